"""The container files, checked for what can be checked without a container engine: the nginx
configuration's syntax (`nginx -t`, as `make cluster` and as compose.yaml render it), the same
rendering by the image's envsubst as by bench/cluster.py, compose.yaml naming the settings `make
cluster` uses, the Dockerfile's promises, and the CSP's hash of Streamlit's inline script."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit
import yaml

from bench import cluster
from bench.cluster import NGINX_DEFAULTS, NGINX_SETTINGS, REPLICA_SETTINGS, TEMPLATE, UPSTREAMS_SCRIPT, Balancer
from tests.support import require

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
APP_PORT = 8501


def app_services() -> dict[str, dict]:
    return {name: s for name, s in COMPOSE["services"].items() if s.get("build", {}).get("target") == "app"}


def web() -> dict:
    return COMPOSE["services"]["web"]


def stage(name: str) -> str:
    """The Dockerfile's lines of the stage `name` (FROM … AS name up to the next FROM)."""
    match = re.search(rf"^FROM \S+ AS {name}\n(.*?)(?=^FROM |\Z)", DOCKERFILE, re.M | re.S)
    assert match, f"the Dockerfile has no stage {name}"
    return match.group(1)


# -- nginx ------------------------------------------------------------------------------------------


def test_the_template_uses_the_settings_and_only_them() -> None:
    used = set(re.findall(r"\$\{(\w+)\}", TEMPLATE.read_text(encoding="utf-8")))
    assert used == {*NGINX_SETTINGS, "ATLAS_UPSTREAM_SERVERS"} - {"ATLAS_REPLICAS"}
    assert not re.search(r"\$ATLAS_", TEMPLATE.read_text(encoding="utf-8")), "unbraced: envsubst would take it"


def test_rendering_refuses_a_missing_setting() -> None:
    with pytest.raises(ValueError, match="ATLAS_REPLICAS"):
        cluster.render({"ATLAS_LISTEN": "8080", "ATLAS_STATIC_ROOT": "/srv"})
    with pytest.raises(ValueError, match="empty"):
        cluster.render({"ATLAS_LISTEN": "8080", "ATLAS_STATIC_ROOT": "/srv", "ATLAS_REPLICAS": " "})


def test_the_image_renders_what_make_cluster_renders() -> None:
    """The nginx image sources 15-atlas-upstreams.envsh, then runs envsubst over the template with
    every variable of its environment (its 20-envsubst-on-templates.sh): the same text results."""
    require("envsubst")
    settings = {**NGINX_DEFAULTS, **compose_web_settings()}
    script = (
        f". {UPSTREAMS_SCRIPT} && "
        "envsubst \"$(printf '${%s} ' $(env | cut -d= -f1))\" < " + str(TEMPLATE)  # as the image does
    )
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **settings}
    result = subprocess.run(["sh", "-c", script], capture_output=True, text=True, env=env, check=True)
    assert result.stdout == cluster.render(settings)


def compose_web_settings() -> dict[str, str]:
    """The web service's settings with compose's defaults applied (what .env does not override)."""
    values = {}
    for name, value in web()["environment"].items():
        match = re.fullmatch(r"\$\{\w+:-(.*)\}", str(value))
        values[name] = match.group(1) if match else str(value)
    return values


@pytest.fixture()
def nginx_folder() -> Iterator[Path]:
    """A folder nginx can use when it runs as nobody (pytest's own are private to root)."""
    with tempfile.TemporaryDirectory(prefix="atlas-nginx-test-") as folder:
        Path(folder).chmod(0o711)
        yield Path(folder)


@pytest.mark.parametrize("variant", ["make cluster", "compose"])
def test_nginx_accepts_the_rendered_configuration(variant: str, nginx_folder: Path) -> None:
    require("nginx")
    tmp_path = nginx_folder
    if variant == "compose":
        # the replicas' names resolve only inside compose's network: nginx -t resolves them here
        settings = compose_web_settings()
        replicas = re.sub(r"\bapp\d+:", "127.0.0.1:", settings.pop("ATLAS_REPLICAS"))
        settings.pop("ATLAS_STATIC_ROOT")
        settings.pop("ATLAS_PROXY_CACHE")  # the container's /tmp: here, the balancer's own folder
        balancer = Balancer(replicas, tmp_path / "nginx", settings=settings)
    else:
        balancer = Balancer("127.0.0.1:18501 127.0.0.1:18502", tmp_path / "nginx")
    report = balancer.check()
    assert "syntax is ok" in report and "test is successful" in report
    conf = (tmp_path / "nginx" / "atlas.conf").read_text(encoding="utf-8")
    assert "hash $atlas_route_key consistent;" in conf
    assert conf.count("max_fails=3 fail_timeout=10s;") == 4  # two upstreams: by session, and any replica


def test_the_csp_allows_streamlits_inline_script_by_its_hash() -> None:
    """Streamlit's index.html runs one inline script; the CSP allows exactly it. A Streamlit upgrade
    that changes it fails here: put the new hash in deploy/nginx/atlas.conf.template."""
    index = Path(streamlit.__file__).parent / "static" / "index.html"
    scripts = re.findall(r"<script>(.*?)</script>", index.read_text(encoding="utf-8"), re.S)
    hashes = {"sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}
    allowed = set(re.findall(r"'(sha256-[A-Za-z0-9+/=]+)'", TEMPLATE.read_text(encoding="utf-8")))
    assert hashes == allowed, f"Streamlit's inline scripts are {hashes}; the template allows {allowed}"


# -- compose ------------------------------------------------------------------------------------------


def test_compose_runs_postgresql_replicas_and_nginx() -> None:
    apps = app_services()
    assert len(apps) >= 2
    assert COMPOSE["services"]["db"]["image"].startswith("postgres:")
    assert "healthcheck" in COMPOSE["services"]["db"]
    assert web()["build"]["target"] == "web"
    assert set(web()["depends_on"]) == set(apps)
    assert all(d["condition"] == "service_healthy" for d in web()["depends_on"].values())
    assert web()["environment"]["ATLAS_REPLICAS"].split() == [f"{name}:{APP_PORT}" for name in apps]


def test_compose_gives_the_replicas_and_nginx_the_settings_make_cluster_gives() -> None:
    for name, service in app_services().items():
        assert set(REPLICA_SETTINGS) <= set(service["environment"]), name
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
    secrets_of = {s["environment"]["STREAMLIT_SERVER_COOKIE_SECRET"] for s in app_services().values()}
    databases = {s["environment"]["ATLAS_DATABASE_URL"] for s in app_services().values()}
    assert len(secrets_of) == 1 and len(databases) == 1  # one secret, one database for all
    assert set(web()["environment"]) == set(NGINX_SETTINGS)
    assert {k: v for k, v in compose_web_settings().items() if k in NGINX_DEFAULTS} == NGINX_DEFAULTS
    replica_env = cluster.Cluster(1).replica_env(0)  # make cluster's (nothing started)
    assert set(replica_env) == set(REPLICA_SETTINGS)
    for name in ("STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION", "ATLAS_ASSETS", "ATLAS_TILES"):
        assert str(next(iter(app_services().values()))["environment"][name]) == replica_env[name], name


# -- Dockerfile -------------------------------------------------------------------------------------


def test_the_app_image_is_locked_non_root_and_checks_its_health() -> None:
    front, base, app = stage("frontend"), stage("base"), stage("app")
    assert "COPY package.json package-lock.json" in front and "npm ci" in front
    assert "--constraint requirements.lock" in base
    assert "python -m atlas.assets" in stage("assets")
    user = re.findall(r"^USER (\S+)", app, re.M)
    assert user and user[-1] not in ("root", "0")
    assert app.index("USER") < app.index("CMD")
    health = re.search(r"HEALTHCHECK .*?CMD (\[.*?\])", app, re.S)
    assert health and "deploy/healthcheck.py" in health.group(1)
    assert "/_stcore/health" in (ROOT / "deploy" / "healthcheck.py").read_text(encoding="utf-8")
    for name, value in (("ATLAS_ASSETS", "local"), ("STREAMLIT_SERVER_SCRIPT_HEALTH_CHECK_ENABLED", "true")):
        assert re.search(rf"\b{name}={value}\b", app), name


def test_the_web_image_uses_the_same_template_and_static_files() -> None:
    web_stage = stage("web")
    assert f"COPY {TEMPLATE.relative_to(ROOT)} /etc/nginx/templates/atlas.conf.template" in web_stage
    assert f"COPY --chmod=0755 {UPSTREAMS_SCRIPT.relative_to(ROOT)} /docker-entrypoint.d/" in web_stage
    assert "COPY --from=assets /app/static/ /srv/atlas/static/" in web_stage
    assert re.findall(r"^USER (\S+)", web_stage, re.M)[-1] not in ("root", "0")
    for name, value in {**NGINX_DEFAULTS, "ATLAS_STATIC_ROOT": "/srv/atlas/static"}.items():
        assert re.search(rf"{name}=\"?{re.escape(value)}\"?( |\\|$)", web_stage, re.M), name
    assert os.access(UPSTREAMS_SCRIPT, os.X_OK)


def test_the_build_context_leaves_out_local_files() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for name in (".git", ".venv", "node_modules", "static/vendor", ".env", ".streamlit/secrets.toml"):
        assert name in ignored
