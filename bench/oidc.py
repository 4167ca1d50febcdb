"""A local OpenID Connect provider for trials and tests, and the secrets file that points the app at it.

`MockProvider` runs the PyPI package `oidc-provider-mock` (in the `test` extra) as its own process on
a free loopback port, with predefined users: its sign-in page lists them, one click each. It accepts
any client id and secret. It is for trying moderation on one machine and for the browser tests —
never a way to protect a real atlas.

`python -m bench.oidc` (what `make oidc` runs) starts one on port 9400 (`--port`, 0 for a free one)
with two users, a moderator and a visitor, and once it answers prints the secrets file to write for
an app at `http://localhost:8501` (`--app-host`, `--app-port`); see docs/use/moderate.md.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO


@dataclass(frozen=True)
class User:
    """A person the provider can sign in: `sub` is the name on its button."""

    sub: str
    email: str
    email_verified: bool = True
    name: str = ""

    def claims(self) -> str:
        body: dict[str, object] = {"sub": self.sub, "email": self.email, "email_verified": self.email_verified}
        if self.name:
            body["name"] = self.name
        return json.dumps(body)


TRIAL_USERS = (
    User("moderator", "moderator@example.org", name="Mo Derator"),
    User("visitor", "visitor@example.org", name="Vi Sitor"),
)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def provider_command(port: int, users: Sequence[User], host: str = "127.0.0.1") -> list[str]:
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", host, "--port", str(port)]
    for user in users:
        command += ["--user-claims", user.claims()]
    return command


class MockProvider:
    """`oidc-provider-mock` on `host`:`port` (a free one by default), its log in `log_path`."""

    def __init__(
        self, users: Sequence[User], log_path: Path, host: str = "127.0.0.1", port: int = 0, timeout: float = 60.0
    ) -> None:
        self.port = port or free_port(host)
        self.url = f"http://{host}:{self.port}"
        self.metadata_url = f"{self.url}/.well-known/openid-configuration"
        self._log = log_path.open("w")
        self.proc = subprocess.Popen(
            provider_command(self.port, users, host), stdout=self._log, stderr=subprocess.STDOUT
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with opener.open(self.metadata_url, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the OpenID Connect provider did not start on {self.url}; see {log_path}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()


def secrets_toml(
    metadata_url: str,
    moderators: Sequence[str],
    app_url: str = "http://localhost:{port}",
    client_id: str = "social-tech-atlas",
    client_secret: str = "not-a-secret-the-mock-accepts-any",
    cookie_secret: str = "",
) -> str:
    """A `.streamlit/secrets.toml` for the app: `[auth]` for `st.login`, `[atlas] moderators`.

    `{port}` in `app_url` is Streamlit's: it stands for the port the app serves on.
    """
    cookie = cookie_secret or secrets.token_urlsafe(32)
    listed = ", ".join(json.dumps(m) for m in moderators)
    return (
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        f'cookie_secret = "{cookie}"\n'
        f'client_id = "{client_id}"\n'
        f'client_secret = "{client_secret}"\n'
        f'server_metadata_url = "{metadata_url}"\n'
        "\n[atlas]\n"
        f"moderators = [{listed}]\n"
    )


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, wait: bool = True) -> int:
    """Start the provider, then — once it answers on its port — print the secrets file for it.

    `--port 0` takes a free port; a port already in use stops here, before anything is printed.
    `--app-port` and `--app-host` are where the app will run: the provider sends the browser back
    there, and sign-in works only when the app is opened at exactly that address (the Moderate
    page says so otherwise). `wait=False` (tests) returns with the provider running:
    `main.provider` is it, to stop.
    """
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="python -m bench.oidc",
        description=__doc__.split("\n\n")[0],
        epilog="Example: make oidc OIDC_ARGS='--port 0 --app-port 8502' (a free provider port, the app on 8502).",
    )
    parser.add_argument("--port", type=int, default=9400, help="the provider's port (default 9400; 0: a free one)")
    parser.add_argument(
        "--app-port",
        type=int,
        default=8501,
        help="the port the app runs on (make run: 8501): it goes into the secrets' redirect_uri",
    )
    parser.add_argument(
        "--app-host",
        default="localhost",
        help="the host name you open the app with (default localhost; 127.0.0.1 is another address to a browser)",
    )
    options = parser.parse_args(argv)
    if options.port:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", options.port))
            except OSError:
                print(f"Port {options.port} is in use: choose another with --port (0: any free port).", file=sys.stderr)
                return 2
    log = Path(tempfile.gettempdir()) / f"atlas-oidc-{os.getpid()}.log"
    provider = MockProvider(TRIAL_USERS, log, port=options.port)
    main.provider = provider  # type: ignore[attr-defined]
    app_url = f"http://{options.app_host}:{options.app_port}"
    moderators = [u.email for u in TRIAL_USERS if u.sub == "moderator"]
    print(
        f"A local OpenID Connect provider is running at {provider.url} (users: moderator, visitor; log {log}).",
        file=out,
    )
    print("Write this to .streamlit/secrets.toml (git-ignored), run `make run` in another terminal, and open", file=out)
    print(f"{app_url}/moderate — at exactly that address:\n", file=out)
    print(secrets_toml(provider.metadata_url, moderators, app_url=app_url), file=out)
    out.flush()
    if not wait:
        return 0
    try:
        provider.proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        provider.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
