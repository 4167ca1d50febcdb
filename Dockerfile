# syntax=docker/dockerfile:1
# Social Tech Atlas: two images from one file (compose.yaml builds both).
#   target app  the Streamlit app, one replica per container (non-root, port 8501)
#   target web  nginx in front of the replicas, with the static files baked in (non-root, port 8080)
# The front-end files are fetched at build time with `npm ci` (package-lock.json), the Python
# packages installed at the versions requirements.lock pins; nothing is fetched at run time.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:22-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-alpine

# --- Leaflet and its plugins, as package-lock.json locks them (no dev tools, no install scripts)
FROM ${NODE_IMAGE} AS frontend
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- the app, installed the way `make` installs it (editable, so atlas finds data/ and static/ beside it)
FROM ${PYTHON_IMAGE} AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY atlas/ atlas/
RUN --mount=type=cache,target=/root/.cache/pip pip install --constraint requirements.lock --editable .
COPY app.py ./
COPY .streamlit/config.toml .streamlit/config.toml
COPY data/ data/
COPY static/atlas/ static/atlas/
COPY deploy/healthcheck.py deploy/healthcheck.py

# --- static/vendor/ filled from node_modules by the project's own copier (as `make assets` does)
FROM base AS assets
COPY --from=frontend /src/node_modules node_modules/
RUN python -m atlas.assets

# --- one replica
FROM base AS app
COPY --from=assets /app/static/vendor/ static/vendor/
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/atlas --shell /usr/sbin/nologin atlas \
    && mkdir -p /var/cache/atlas && chown atlas:atlas /var/cache/atlas
USER atlas
# Per replica, by design: the geocoder's cache of answers (SQLite) and the offline gazetteer's index,
# built here once rather than by every container (about 10 s).
ENV ATLAS_GEOCODE_CACHE=/var/cache/atlas/geocode.sqlite3 \
    ATLAS_ASSETS=local \
    ATLAS_TILES=none \
    STREAMLIT_SERVER_SCRIPT_HEALTH_CHECK_ENABLED=true
RUN python -c "from atlas.geocoding.gazetteer import get_gazetteer; get_gazetteer()"
EXPOSE 8501
# Healthy when /_stcore/health answers; the first check also runs the app once (see the script).
HEALTHCHECK --interval=30s --timeout=70s --start-period=30s --retries=3 \
    CMD ["python", "deploy/healthcheck.py", "http://127.0.0.1:8501"]
CMD ["streamlit", "run", "app.py", \
     "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", \
     "--server.fileWatcherType=none", "--server.runOnSave=false", "--browser.gatherUsageStats=false"]

# --- nginx, configured at start from deploy/nginx/atlas.conf.template (envsubst of ATLAS_* settings)
FROM ${NGINX_IMAGE} AS web
COPY deploy/nginx/atlas.conf.template /etc/nginx/templates/atlas.conf.template
COPY --chmod=0755 deploy/nginx/15-atlas-upstreams.envsh /docker-entrypoint.d/15-atlas-upstreams.envsh
COPY --from=assets /app/static/ /srv/atlas/static/
USER root
RUN rm -f /etc/nginx/conf.d/default.conf
USER 101
ENV ATLAS_LISTEN=8080 \
    ATLAS_SERVER_NAME=_ \
    ATLAS_STATIC_ROOT=/srv/atlas/static \
    ATLAS_FRAME_ANCESTORS="'self'" \
    ATLAS_CSP_IMG_EXTRA="" \
    ATLAS_ROUTE_COOKIE_ATTRIBUTES="Path=/; HttpOnly; SameSite=Lax" \
    ATLAS_HSTS=""
    ATLAS_PROXY_CACHE=/tmp/atlas-proxy-cache
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/_stcore/health"]
