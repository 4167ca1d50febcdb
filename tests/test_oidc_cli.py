"""`make oidc` (bench/oidc.py, issue 25 item 4): the secrets are printed once the provider answers
on its port, for the app's address given by `--app-port`; a port in use stops before printing."""

from __future__ import annotations

import io
import socket
import tomllib
import urllib.request

import pytest

from bench import oidc


def test_the_secrets_name_the_port_the_provider_answers_on() -> None:
    out = io.StringIO()
    assert oidc.main(["--port", "0", "--app-port", "8502"], out=out, wait=False) == 0
    provider = oidc.main.provider  # type: ignore[attr-defined]
    try:
        text = out.getvalue()
        secrets = tomllib.loads(text[text.index("[auth]") :])
        assert secrets["auth"]["server_metadata_url"] == provider.metadata_url
        assert secrets["auth"]["redirect_uri"] == "http://localhost:8502/oauth2callback"
        assert "http://localhost:8502/moderate" in text
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(provider.metadata_url, timeout=10) as answer:  # it answers already
            assert answer.status == 200
    finally:
        provider.stop()


def test_a_port_in_use_stops_before_printing(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert oidc.main(["--port", str(port)], out=out, wait=False) == 2
    assert out.getvalue() == ""
    assert f"Port {port} is in use" in capsys.readouterr().err


def test_the_help_documents_the_app_port(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        oidc.main(["--help"])
    help_text = capsys.readouterr().out
    assert "--app-port" in help_text and "--app-host" in help_text and "0: a free one" in help_text
