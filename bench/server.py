"""The real app as a subprocess on a free local port: shared by the browser tests, the browser
benchmark and the load script."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class AppServer:
    """`streamlit run app.py` (or another `script`) on `host` (loopback), with its own data folder, cache
    and log file; with `base_path` ("atlas"), served under that path as behind a proxy (`server.baseUrlPath`);
    with `root`, the app of another checkout (a benchmark comparing today's code with yours);
    `args`: more `streamlit run` options."""

    def __init__(
        self,
        data_dir: Path,
        workdir: Path,
        host: str = "127.0.0.1",
        env: Mapping[str, str] | None = None,
        timeout: float = 90.0,
        base_path: str = "",
        script: Path | str = "app.py",
        root: Path = ROOT,
        args: Sequence[str] = (),
    ) -> None:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.bind((host, 0))
            self.port = s.getsockname()[1]
        self.host = host
        netloc = f"[{host}]:{self.port}" if ":" in host else f"{host}:{self.port}"
        prefix = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
        self.url = f"http://{netloc}{prefix}"
        self.log_path = workdir / f"streamlit-{self.port}.log"
        # not the developer's geocoder key, nor their moderators (a test names its own)
        environment = {k: v for k, v in os.environ.items() if k not in ("ATLAS_GEOCODER_API_KEY", "ATLAS_MODERATORS")}
        environment.update(
            ATLAS_DATA_DIR=str(data_dir),
            ATLAS_GEOCODE_CACHE=str(workdir / "geocode.sqlite3"),
            # its own database, seeded from `data_dir` at the first start (unless `env` names one)
            ATLAS_DATABASE_URL=f"sqlite:///{workdir / f'atlas-{self.port}.sqlite3'}",
        )
        environment.update(env or {})  # may name its own database
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.address",
                host,
                "--server.port",
                str(self.port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
                "--server.runOnSave",
                "false",
                *(["--server.baseUrlPath", prefix] if prefix else []),
                *args,  # more of streamlit's options, e.g. ["--secrets.files", PATH]
            ],
            cwd=root,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the app did not start on {self.url}; see {self.log_path}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server's log (for a failing test's message)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]

    def log_errors(self) -> list[str]:
        """Tracebacks and error lines the server wrote to its log."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return [
            line
            for line in text.splitlines()
            if "Traceback" in line or " ERROR " in line or line.startswith(("ERROR", "Exception"))
        ]
