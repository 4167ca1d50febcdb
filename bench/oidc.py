"""A local OpenID Connect provider for trials and tests, and the secrets file that points the app at it.

`MockProvider` runs the PyPI package `oidc-provider-mock` (in the `test` extra) as its own process on
a free loopback port, with predefined users: its sign-in page lists them, one click each. It accepts
any client id and secret. It is for trying moderation on one machine and for the browser tests —
never a way to protect a real atlas.

`python -m bench.oidc` (what `make oidc` runs) starts one on port 9400 with two users, a moderator
and a visitor, and prints the secrets file to write; see docs/use/moderate.md.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.oidc", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=9400, help="the provider's port (default 9400)")
    parser.add_argument("--app-port", type=int, default=8501, help="the app's port, for the secrets file")
    options = parser.parse_args(argv)
    metadata = f"http://127.0.0.1:{options.port}/.well-known/openid-configuration"
    moderators = [u.email for u in TRIAL_USERS if u.sub == "moderator"]
    print("A local OpenID Connect provider for a trial (users: moderator, visitor). Write this to")
    print(".streamlit/secrets.toml (git-ignored), run `make run` in another terminal, open Moderate:\n")
    print(secrets_toml(metadata, moderators, app_url=f"http://localhost:{options.app_port}"))
    sys.stdout.flush()
    command = provider_command(options.port, TRIAL_USERS)
    os.execv(command[0], command)  # this process becomes the provider (Ctrl-C stops it)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
