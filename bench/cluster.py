"""The deployment's topology on this machine, without containers (`make cluster`): a throwaway
PostgreSQL (`bench.pg`), N replicas of the app on loopback ports sharing it (one database URL, one
cookie secret), and Debian's nginx in front, configured from `deploy/nginx/atlas.conf.template`, the
file the container image renders too, with the same setting names as `compose.yaml`.

    python -m bench.cluster [--replicas 2] [--port 8080] [--seconds N]

prints the balancer's URL and serves until Ctrl-C (or for `--seconds`), then stops everything it
started: nginx, the replicas, PostgreSQL and its files. `Cluster` is the same thing as a context
manager, for the tests (`tests/cluster/`) and the scaling measurement (`bench.cluster_load`).

nginx runs with a temporary prefix (configuration, pid, logs and temporary files in one folder,
nothing in /etc/nginx or /var); as root it runs as `nobody` (PostgreSQL as `postgres`, by
`bench.pg`). Ctrl-C, SIGTERM and the end of `--seconds` stop everything; nginx is also told to end
if this process dies, but a SIGKILL of this process leaves the replicas and PostgreSQL running.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import ctypes
import importlib.util
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType

from bench.pg import TemporaryPostgres
from bench.pg import available as postgres_available
from bench.server import ROOT, AppServer

DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "nginx" / "atlas.conf.template"
UPSTREAMS_SCRIPT = DEPLOY / "nginx" / "15-atlas-upstreams.envsh"
HEALTHCHECK = DEPLOY / "healthcheck.py"
MIME_TYPES = Path("/etc/nginx/mime.types")

# What the nginx template reads (compose.yaml gives the `web` service the same names).
NGINX_SETTINGS = (
    "ATLAS_LISTEN",
    "ATLAS_SERVER_NAME",
    "ATLAS_REPLICAS",
    "ATLAS_STATIC_ROOT",
    "ATLAS_FRAME_ANCESTORS",
    "ATLAS_CSP_IMG_EXTRA",
    "ATLAS_ROUTE_COOKIE_ATTRIBUTES",
    "ATLAS_HSTS",  # empty: plain HTTP; behind HTTPS: the Strict-Transport-Security value (Secure cookies)
    "ATLAS_PROXY_CACHE",
)
NGINX_DEFAULTS = {
    "ATLAS_SERVER_NAME": "_",
    "ATLAS_FRAME_ANCESTORS": "'self'",
    "ATLAS_CSP_IMG_EXTRA": "",
    "ATLAS_ROUTE_COOKIE_ATTRIBUTES": "Path=/; HttpOnly; SameSite=Lax",
    "ATLAS_HSTS": "",
    "ATLAS_PROXY_CACHE": "/tmp/atlas-proxy-cache",  # the cache of the read routes (make cluster: in its folder)
}
# What every replica is given (compose.yaml gives the app services the same names).
REPLICA_SETTINGS = (
    "ATLAS_DATABASE_URL",  # one database for all: what one replica publishes, the others show
    "STREAMLIT_SERVER_COOKIE_SECRET",  # one secret for all: st.login's cookies are signed with it
    "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION",
    "ATLAS_ASSETS",  # local: Leaflet from this server (the CSP allows nothing else)
    "ATLAS_TILES",
    "ATLAS_GEOCODE_CACHE",  # per replica (an SQLite file): a cache of answers, not data
    "STREAMLIT_SERVER_SCRIPT_HEALTH_CHECK_ENABLED",  # deploy/healthcheck.py runs the app once at start
    "ATLAS_TRUSTED_PROXY",  # 1: the visitor's address is the last X-Forwarded-For entry, the one nginx saw
)
UPSTREAM_PARAMETERS = "max_fails=3 fail_timeout=10s"
_PR_SET_PDEATHSIG = 1


def healthcheck() -> ModuleType:
    """deploy/healthcheck.py, the container's health check (not a package: loaded from its path)."""
    spec = importlib.util.spec_from_file_location("atlas_deploy_healthcheck", HEALTHCHECK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upstream_servers(replicas: str) -> str:
    """The upstream's server lines for `ATLAS_REPLICAS` ("host:port host:port"), exactly as
    deploy/nginx/15-atlas-upstreams.envsh writes them in the container."""
    names = replicas.split()
    if not names:
        raise ValueError("ATLAS_REPLICAS is empty: name the replicas (host:port ...)")
    return "".join(f"server {name} {UPSTREAM_PARAMETERS}; " for name in names)


def render(settings: Mapping[str, str], template: str | None = None) -> str:
    """The nginx configuration for `settings` (NGINX_SETTINGS; defaults for the optional ones):
    `${NAME}` replaced as envsubst does in the nginx image, nginx's own `$variables` untouched."""
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    values = {**NGINX_DEFAULTS, **settings}
    missing = [name for name in NGINX_SETTINGS if name not in values]
    if missing:
        raise ValueError(f"nginx settings missing: {', '.join(missing)}")
    values["ATLAS_UPSTREAM_SERVERS"] = upstream_servers(values["ATLAS_REPLICAS"])
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    left = sorted(set(re.findall(r"\$\{(\w+)\}", text)))
    if left:
        raise ValueError(f"the template names settings nobody gave: {', '.join(left)}")
    return text


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def available() -> str | None:
    """Why the cluster cannot run here (None when it can)."""
    if not nginx_binary():
        return "nginx is not installed (Debian package: nginx)"
    if not postgres_available():
        return "PostgreSQL is not installed (Debian package: postgresql)"
    return None


def _others_can_read(folder: Path) -> bool:
    """Whether a user with no rights but "others'" can reach and read `folder` (nginx as nobody)."""
    for part in [folder, *folder.parents]:
        mode = part.stat().st_mode
        if not mode & stat.S_IXOTH or (part == folder and not mode & stat.S_IROTH):
            return False
    return True


def _die_with_parent() -> None:
    """In the child, before exec: end (SIGTERM) when the process that started it dies."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


class Balancer:
    """nginx from Debian's package in front of `replicas` ("host:port ..."), listening on
    127.0.0.1:`port`, configured from the deploy/ template; its files live in `folder`."""

    def __init__(
        self,
        replicas: str,
        folder: Path,
        port: int = 0,
        static_root: Path = ROOT / "static",
        settings: Mapping[str, str] | None = None,
    ) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (Debian package: nginx)")
        self.binary = binary
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = folder
        self.prefix.mkdir(parents=True, exist_ok=True)
        self.user = pwd.getpwnam("nobody") if os.geteuid() == 0 else None
        if self.user is not None and not all(p.stat().st_mode & stat.S_IXOTH for p in self.prefix.parents):
            raise RuntimeError(f"nginx runs as nobody, who cannot reach {self.prefix}")
        if self.user is not None and not _others_can_read(static_root):
            # nobody cannot reach the checkout (a home folder): serve a copy of static/ instead
            shutil.copytree(static_root, self.prefix / "static")
            static_root = self.prefix / "static"
        self.settings = {
            "ATLAS_LISTEN": f"127.0.0.1:{self.port}",
            "ATLAS_REPLICAS": replicas,
            "ATLAS_STATIC_ROOT": str(static_root),
            "ATLAS_PROXY_CACHE": str(self.prefix / "cache"),
            **(settings or {}),
        }
        self.conf = self.prefix / "nginx.conf"
        (self.prefix / "atlas.conf").write_text(render(self.settings), encoding="utf-8")
        self.conf.write_text(self._main_conf(), encoding="utf-8")
        (self.prefix / "tmp").mkdir(exist_ok=True)
        if self.user is not None:
            for path in [self.prefix, *self.prefix.rglob("*")]:
                os.chown(path, self.user.pw_uid, self.user.pw_gid)
        self.proc: subprocess.Popen[bytes] | None = None

    def _main_conf(self) -> str:
        """What the nginx image's own nginx.conf provides around conf.d/*.conf, for a temp prefix."""
        p = self.prefix
        types = f"include {MIME_TYPES};" if MIME_TYPES.exists() else _MINIMAL_TYPES
        temp = "\n".join(
            f"    {kind}_temp_path {p / 'tmp' / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        return f"""# written by bench/cluster.py for `make cluster`; the site itself is atlas.conf (deploy/ template)
worker_processes 2;
pid {p / "nginx.pid"};
error_log {p / "error.log"} warn;
events {{
    worker_connections 1024;
}}
http {{
    {types}
    default_type application/octet-stream;
    log_format atlas '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                     'upstream=$upstream_addr route=$cookie_atlas_route';
    access_log {p / "access.log"} atlas;
    sendfile on;
{temp}
    include {p / "atlas.conf"};
}}
"""

    def _command(self, *args: str) -> list[str]:
        return [self.binary, "-p", str(self.prefix), "-c", str(self.conf), "-e", str(self.prefix / "error.log"), *args]

    def _preexec(self) -> None:
        if self.user is not None:
            os.setgroups([])
            os.setgid(self.user.pw_gid)
            os.setuid(self.user.pw_uid)
        _die_with_parent()  # after setuid, which clears it

    def check(self) -> str:
        """`nginx -t` on the rendered configuration; returns its report, raises when it fails."""
        result = subprocess.run(
            self._command("-t"), capture_output=True, text=True, preexec_fn=self._preexec, timeout=30
        )
        if result.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{result.stderr}")
        return result.stderr

    def start(self, timeout: float = 20.0) -> None:
        self.check()
        with socket.socket() as probe:  # another server on that port would answer in nginx's place
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", self.port))
            except OSError as exc:
                raise RuntimeError(f"port {self.port} of 127.0.0.1 is taken ({exc}): choose another") from None
        self.proc = subprocess.Popen(
            self._command("-g", "daemon off;"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=self._preexec,
            start_new_session=True,  # Ctrl-C reaches this program, which stops nginx itself
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                time.sleep(0.2)  # the workers are forked after the socket listens
                if self.proc.poll() is None:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not start on {self.url}: {self.errors()}")

    def pids(self) -> list[int]:
        """nginx's master and workers."""
        if self.proc is None:
            return []
        import psutil

        with contextlib.suppress(psutil.Error):
            master = psutil.Process(self.proc.pid)
            return [master.pid, *(c.pid for c in master.children(recursive=True))]
        return []

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # fast shutdown: open websockets are closed, not waited for
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)

    def errors(self) -> str:
        log = self.prefix / "error.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""

    def access_log(self) -> list[str]:
        log = self.prefix / "access.log"
        return log.read_text(errors="replace").splitlines() if log.exists() else []


_MINIMAL_TYPES = """types {
        text/html html; text/css css; application/javascript js; application/json json;
        image/png png; image/svg+xml svg; image/x-icon ico; font/woff2 woff2;
    }"""


class Cluster:
    """PostgreSQL + `replicas` app replicas + nginx, on loopback, for the life of the block:
    `with Cluster(2) as c: c.url` (the balancer), `c.replicas[i]` (an `AppServer`), `c.kill(i)`."""

    def __init__(
        self,
        replicas: int = 2,
        port: int = 0,
        data_dir: Path = ROOT / "data",
        env: Mapping[str, str] | None = None,
        nginx: Mapping[str, str] | None = None,
        log: Callable[[str], None] = lambda message: None,
        keep: Path | None = None,
    ) -> None:
        if replicas < 1:
            raise ValueError("a cluster needs at least one replica")
        self.count, self.port, self.data_dir, self.log = replicas, port, data_dir, log
        self.extra_env, self.nginx_settings = dict(env or {}), dict(nginx or {})
        self.folder = keep or Path(tempfile.mkdtemp(prefix="atlas-cluster-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o711)  # nginx's prefix is inside: as root, nginx runs as nobody
        self._own_folder = keep is None
        self.pg: TemporaryPostgres | None = None
        self.database_url = ""
        self.cookie_secret = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
        self.replicas: list[AppServer] = []
        self.balancer: Balancer | None = None

    @property
    def url(self) -> str:
        if self.balancer is None:
            raise RuntimeError("the cluster is not started")
        return self.balancer.url

    def replica_env(self, index: int) -> dict[str, str]:
        """The settings of replica `index` (REPLICA_SETTINGS, plus what the caller added)."""
        return {
            "ATLAS_DATABASE_URL": self.database_url,
            "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret,
            "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION": "true",
            "ATLAS_ASSETS": "local",
            "ATLAS_TILES": "none",
            "ATLAS_GEOCODE_CACHE": str(self.folder / f"replica-{index}" / "geocode.sqlite3"),
            "STREAMLIT_SERVER_SCRIPT_HEALTH_CHECK_ENABLED": "true",
            "ATLAS_TRUSTED_PROXY": "1",
            **self.extra_env,
        }

    def start(self) -> Cluster:
        try:
            self.log("starting PostgreSQL")
            self.pg = TemporaryPostgres(tcp=True)
            self.database_url = self.pg.create_database("atlas")
            self.log(f"starting {self.count} replicas on one database")
            # all at once, as containers start: the migration lock and the one-time seeding are
            # what keeps them from doing the work twice
            with concurrent.futures.ThreadPoolExecutor(self.count) as pool:
                futures = [pool.submit(self._replica, i) for i in range(self.count)]
                errors = []
                for future in futures:
                    try:
                        self.replicas.append(future.result())
                    except Exception as exc:
                        errors.append(exc)
                if errors:
                    raise errors[0]
            self.replicas.sort(key=lambda r: r.port)
            self.log("starting nginx")
            self.balancer = Balancer(
                " ".join(f"127.0.0.1:{r.port}" for r in self.replicas),
                self.folder / "nginx",
                port=self.port,
                settings=self.nginx_settings,
            )
            self.balancer.start()
        except BaseException:
            self.stop()
            raise
        return self

    def _replica(self, index: int) -> AppServer:
        workdir = self.folder / f"replica-{index}"
        workdir.mkdir(parents=True, exist_ok=True)
        replica = AppServer(self.data_dir, workdir, env=self.replica_env(index), timeout=120)
        if not healthcheck().warm(replica.url, timeout=120):  # as the container's first health check does
            replica.stop()
            raise RuntimeError(f"the app does not run in the replica at {replica.url}; see {replica.log_path}")
        return replica

    def kill(self, index: int) -> None:
        """Replica `index` dies at once (SIGKILL), as a crashed process or a lost machine would."""
        proc = self.replicas[index].proc
        proc.kill()
        proc.wait(timeout=10)

    def pids(self) -> list[int]:
        """Every process the cluster started that is still running (replicas, nginx, PostgreSQL)."""
        import psutil

        pids = [r.proc.pid for r in self.replicas if r.proc.poll() is None]
        pids += self.balancer.pids() if self.balancer else []
        if self.pg is not None:
            pidfile = self.pg.data / "postmaster.pid"
            with contextlib.suppress(OSError, ValueError, psutil.Error):
                master = psutil.Process(int(pidfile.read_text().split()[0]))
                pids += [master.pid, *(c.pid for c in master.children(recursive=True))]
        return pids

    def stop(self) -> None:
        """Stop nginx, the replicas and PostgreSQL (in that order) and remove the files."""
        if self.balancer is not None:
            self.balancer.stop()
        for replica in self.replicas:  # all at once: each may take seconds to close its sessions
            if replica.proc.poll() is None:
                replica.proc.terminate()
        for replica in self.replicas:
            with contextlib.suppress(Exception):
                replica.stop()
        if self.pg is not None:
            self.pg.stop()
            self.pg = None
        if self._own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_healthy(url: str, timeout: float = 30.0) -> None:
    """Until `url`/_stcore/health answers 200 (through the balancer: a replica answers)."""
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while True:
        try:
            with opener.open(f"{url}/_stcore/health", timeout=3) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2, help="app replicas (1..8; default 2)")
    parser.add_argument("--port", type=int, default=8080, help="the balancer's port on 127.0.0.1 (8080; 0: any)")
    parser.add_argument("--seconds", type=float, help="stop after this many seconds (default: at Ctrl-C)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="folder seeding the database (default data/)")
    args = parser.parse_args(argv)
    if not 1 <= args.replicas <= 8:
        parser.error("--replicas must be between 1 and 8")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be a TCP port")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    why = available()
    if why:
        print(f"make cluster: {why}", file=sys.stderr)
        return 2
    from atlas.assets import local_assets_present

    if not local_assets_present():
        print("make cluster: Leaflet's files are not fetched (make assets): the CSP allows no CDN", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def end(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, end)
    cluster = Cluster(args.replicas, port=args.port, data_dir=args.data, log=log)
    try:
        cluster.start()
        wait_healthy(cluster.url)
        replicas = ", ".join(r.url for r in cluster.replicas)
        print(f"atlas cluster up: {cluster.url}", flush=True)
        print(f"replicas: {replicas}", flush=True)
        print(f"database: {cluster.database_url}", flush=True)
        print(f"processes: {' '.join(str(p) for p in cluster.pids())}", flush=True)
        print(f"files: {cluster.folder}", flush=True)
        print("Ctrl-C stops everything" if args.seconds is None else f"stopping in {args.seconds:g} s", flush=True)
        deadline = None if args.seconds is None else time.monotonic() + args.seconds
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2 if deadline is None else max(0.0, min(0.2, deadline - time.monotonic())))
            dead = [r.url for r in cluster.replicas if r.proc.poll() is not None]
            if dead and len(dead) == len(cluster.replicas):
                log("every replica has stopped")
                return 1
    except KeyboardInterrupt:
        log("stopping")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not interrupt the clean-up
        cluster.stop()
        signal.signal(signal.SIGINT, signal.default_int_handler)
    log("stopped: nginx, the replicas and PostgreSQL; files removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
