"""Configuration safety: the app needs no secret, and the optional geocoder API key never shows.

The key (`ATLAS_GEOCODER_API_KEY`) must appear in none of: the app's rendered elements, the
CSV/GeoJSON downloads, the `atlas geocode` output and logs, the geocoder's repr/str and its error
messages. The online geocoder used here can never reach the internet: every connection that is not
to 127.0.0.1 is refused (in-process), or goes to a local proxy that is closed or answers itself.
"""

from __future__ import annotations

import contextlib
import http.server
import logging
import os
import socket
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from geopy.exc import ConfigurationError, GeocoderAuthenticationFailure, GeocoderServiceError
from streamlit.testing.v1 import AppTest

from atlas import config
from atlas.cli import main
from atlas.data import load_atlas
from atlas.export import export_frame, to_csv, to_geojson
from atlas.geocoding import gazetteer as gazetteer_module
from atlas.geocoding.gazetteer import Gazetteer, index_path
from atlas.geocoding.online import OnlineError, OnlineSource, source_from_env
from atlas.geocoding.pipeline import Geocoder
from tests.support import gazetteer_folder

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SMALL = ROOT / "tests" / "fixtures" / "small_atlas"
DEFAULT = ROOT / "var" / "atlas.sqlite3"  # the database `make run` serves
SECRET = "sekret-123"
ENV_SECRETS = ("ATLAS_GEOCODER", "ATLAS_GEOCODER_API_KEY", "ATLAS_GEOCODER_USER_AGENT", "ATLAS_GEOCODE_OFFLINE")
PROXY_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def no_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ATLAS_* setting at all (nor a proxy): the app's defaults, except that its default database
    (var/atlas.sqlite3 in the working tree, which `make run` serves) is one in tmp_path."""
    for name in [n for n in os.environ if n.startswith("ATLAS_")] + list(PROXY_VARS):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "DEFAULT_DATABASE", tmp_path / "var" / "atlas.sqlite3")


@pytest.fixture()
def with_key(no_secrets, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ATLAS_GEOCODER_API_KEY", SECRET)
    return SECRET


@pytest.fixture()
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuse (and record) every name lookup or connection that is not to 127.0.0.1/localhost."""
    refused: list[str] = []
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost", b"127.0.0.1", b"localhost"):
            refused.append(str(host))
            raise socket.gaierror(socket.EAI_NONAME, f"test: no network for {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "localhost"):
            refused.append(str(address))
            raise ConnectionRefusedError(f"test: no network for {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return refused


@pytest.fixture(scope="module")
def index_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stored gazetteer index, in the folder the geocoding tests use (built once, then reused)."""
    return gazetteer_folder(request, tmp_path_factory)


@pytest.fixture()
def gazetteer(index_dir: Path) -> Iterator[Gazetteer]:
    instance = Gazetteer.load_or_build(index_dir / index_path().name)
    previous, gazetteer_module._instance = gazetteer_module._instance, instance
    yield instance
    gazetteer_module._instance = previous


def rendered(at: AppTest) -> bytes:
    """Every element the page sent (sidebar and main), serialised."""
    out = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            out.append(proto.SerializeToString())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    assert len(out) > 20, "the page rendered almost nothing"
    return b"\n".join(out)


def run_app(monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(SMALL))
    monkeypatch.setenv("ATLAS_ASSETS", "local")
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


# --- the app -----------------------------------------------------------------------------------------


def test_the_app_runs_without_any_secret(no_secrets, monkeypatch, tmp_path):
    assert not [n for n in os.environ if n.startswith("ATLAS_")]
    at = run_app(monkeypatch)
    assert not at.exception, at.exception
    assert any("7 of 7 entries shown" in m.value for m in at.markdown)
    assert not (ROOT / ".streamlit" / "secrets.toml").exists(), "the app must not need a secrets file"
    assert config.database_url() == f"sqlite:///{tmp_path / 'var' / 'atlas.sqlite3'}"  # the default, moved


def test_the_default_database_of_the_working_tree_is_left_alone(no_secrets, monkeypatch):
    """The run above uses the default database's place moved into tmp_path: `make test` followed by
    `make run` must not serve the test atlas (7 entries) from var/atlas.sqlite3."""
    before = DEFAULT.stat().st_mtime_ns if DEFAULT.exists() else None
    at = run_app(monkeypatch)
    assert not at.exception, at.exception
    assert (DEFAULT.stat().st_mtime_ns if DEFAULT.exists() else None) == before


def test_the_key_is_not_rendered(with_key, monkeypatch):
    at = run_app(monkeypatch, q="lab", lang="fr")
    assert not at.exception, at.exception
    assert SECRET.encode() not in rendered(at)
    assert SECRET not in repr(dict(at.query_params))
    assert "f_query" in repr(at.session_state) and SECRET not in repr(at.session_state)


def test_the_key_is_not_in_the_downloads(with_key):
    frame = load_atlas(SMALL).frame
    for lang in ("en", "fr"):
        table = export_frame(frame, lang)
        assert SECRET.encode() not in to_csv(table)
        assert SECRET.encode() not in to_geojson(table)


# --- the geocoder object and its errors --------------------------------------------------------------


@pytest.mark.parametrize("service", ["opencage", "geocodio", "mapbox", "here"])
def test_the_key_is_not_in_the_geocoder_repr(with_key, monkeypatch, service):
    monkeypatch.setenv("ATLAS_GEOCODER", service)
    source = source_from_env()
    assert SECRET in vars(source.geocoder).values() or SECRET in str(vars(source.geocoder)), "key not passed on"
    for obj in (source, source.geocoder, Geocoder(None, online=source)):
        assert SECRET not in repr(obj) and SECRET not in str(obj)


@pytest.mark.parametrize(
    ("service", "message"),
    [
        ("nominatim", "takes no API key"),  # a key for a service that takes none
        ("pelias", "cannot set up"),  # a service that cannot be built from the environment
        ("no-such-service", "is not a geopy service"),
    ],
)
def test_configuration_errors_do_not_show_the_key(with_key, monkeypatch, service, message):
    monkeypatch.setenv("ATLAS_GEOCODER", service)
    with pytest.raises(ConfigurationError) as info:
        source_from_env()
    assert message in str(info.value)
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)


class EchoingGeocoder:
    """A geopy-shaped geocoder whose errors quote its request URL, key included (as HTTP errors do)."""

    def __init__(self, exc_type: type[Exception]) -> None:
        self.exc_type = exc_type

    def geocode(self, query, **kwargs):
        raise self.exc_type(f"401 for https://geo.example/search?q={query}&key={SECRET}")


@pytest.mark.parametrize("exc_type", [GeocoderAuthenticationFailure, GeocoderServiceError, OSError])
def test_online_errors_do_not_show_the_key(exc_type):
    source = OnlineSource(
        EchoingGeocoder(exc_type), "echo", secret=SECRET, min_delay=0, backoff=0, sleep=lambda s: None
    )
    with pytest.raises(OnlineError) as info:
        source.lookup("Lyon, France", "FR", "city")
    shown = "".join(traceback.format_exception(info.value))  # what a log with exc_info would print
    text = f"{info.value} {info.value!r} {info.value.reason} {shown}"
    assert "***" in text and SECRET not in text


# --- `atlas geocode` ---------------------------------------------------------------------------------


def _input(tmp_path: Path) -> Path:
    src = tmp_path / "places.csv"
    src.write_text("id,country,city\na,FR,Lille\nb,BE,Liège\n", encoding="utf-8")
    return src


def _geocode_unreachable(monkeypatch, tmp_path, capsys, caplog) -> tuple[str, str, list[logging.LogRecord], Path]:
    monkeypatch.setenv("ATLAS_GEOCODER", "opencage")
    caplog.set_level(logging.DEBUG)
    src = _input(tmp_path)
    code = main(["geocode", str(src), "--cache", str(tmp_path / "answers.sqlite3")])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    return out, err, caplog.records, src


def _text(records: list[logging.LogRecord]) -> str:
    return "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in records)


def test_geocode_cli_unreachable_service(with_key, monkeypatch, tmp_path, capsys, caplog, loopback_only, gazetteer):
    """The online service cannot be reached: its errors (which quote the request URL) are masked."""
    out, err, records, src = _geocode_unreachable(monkeypatch, tmp_path, capsys, caplog)
    assert loopback_only, "the online geocoder was never asked"
    assert "online geocoder opencage unavailable after 3 tries: unreachable" in out
    assert "***" in out, "the error quoted the URL: the key was masked there"
    ours = _text([r for r in records if r.name.split(".")[0] in ("atlas", "geopy", "root", "__main__")])
    assert "OpenCage.geocode" in ours  # geopy's own debug line, which holds the URL, was masked
    for where, text in (("stdout", out), ("stderr", err), ("atlas/geopy logs", ours), ("file", src.read_text("utf-8"))):
        assert SECRET not in text, where


def test_geocode_cli_unreachable_service_every_log_record(
    with_key, monkeypatch, tmp_path, capsys, caplog, loopback_only, gazetteer
):
    """Every log record is masked, urllib3's 'Retrying … ?key=…' warnings included."""
    _out, _err, records, _src = _geocode_unreachable(monkeypatch, tmp_path, capsys, caplog)
    assert SECRET not in _text(records)


class _Proxy(http.server.BaseHTTPRequestHandler):
    """A local HTTP proxy that answers every request itself: 401, quoting the request line."""

    def do_GET(self) -> None:
        body = f'{{"status": {{"code": 401, "message": "invalid key in {self.requestline}"}}}}'.encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def answering_proxy() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_geocode_cli_service_refuses_the_key(with_key, monkeypatch, tmp_path, capsys, caplog, loopback_only, gazetteer):
    """The service answers 401 and quotes the request (key included): output and logs stay clean."""
    import geopy.geocoders

    monkeypatch.setenv("ATLAS_GEOCODER", "opencage")
    monkeypatch.setattr(geopy.geocoders.options, "default_scheme", "http")  # plain HTTP, to the local proxy
    caplog.set_level(logging.INFO)
    src = _input(tmp_path)
    with answering_proxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.setenv("http_proxy", proxy)
        code = main(["geocode", str(src), "--cache", str(tmp_path / "answers.sqlite3")])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "online geocoder opencage refused the request" in out
    logs = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert "Received an HTTP error (401)" in logs and "***" in logs  # geopy logged the answer, masked
    for where, text in (("stdout", out), ("stderr", err), ("logs", logs)):
        assert SECRET not in text, where


@pytest.mark.parametrize(
    "logging_setup",
    [
        "",  # `atlas geocode` as shipped: configures no logging
        pytest.param("import logging; logging.basicConfig(level=logging.DEBUG); ", id="basicConfig"),
    ],
)
def test_geocode_cli_subprocess(tmp_path, index_dir, gazetteer, logging_setup):
    """The real command in a child process, its online service behind a closed local proxy."""
    closed = f"http://127.0.0.1:{_free_port()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATLAS_") and k not in PROXY_VARS}
    env.update(
        ATLAS_GEOCODER="opencage",
        ATLAS_GEOCODER_API_KEY=SECRET,
        HTTPS_PROXY=closed,
        HTTP_PROXY=closed,
        https_proxy=closed,
        http_proxy=closed,
        ATLAS_GEOCODE_CACHE=str(index_dir / "geocode.sqlite3"),
    )
    src = _input(tmp_path)
    code = f"{logging_setup}import sys; from atlas.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", code, "geocode", str(src), "--cache", str(tmp_path / "a.sqlite3")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "online geocoder opencage unavailable" in done.stdout
    assert SECRET not in done.stdout
    assert SECRET not in done.stderr


def test_geocode_cli_offline_never_needs_the_key(with_key, tmp_path, capsys, caplog, gazetteer):
    caplog.set_level(logging.DEBUG)
    src = _input(tmp_path)
    assert main(["geocode", str(src), "--offline", "--cache", str(tmp_path / "answers.sqlite3")]) == 0
    out, err = capsys.readouterr()
    assert "(offline)" in out
    assert SECRET not in out + err + caplog.text
