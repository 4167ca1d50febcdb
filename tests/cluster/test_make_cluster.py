"""`make cluster` (python -m bench.cluster) leaves nothing behind: after Ctrl-C, or at the end of a
`--seconds` run, none of the processes it started runs any more (PostgreSQL, the replicas, nginx's
master and workers), the balancer's port is closed and its temporary folder is gone."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
START_TIMEOUT = 240


def start(*args: str) -> tuple[subprocess.Popen[str], dict[str, str], queue.Queue[str]]:
    """The command in its own process group (as a terminal runs it), once it says it is up."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.cluster", "--port", "0", "--data", str(FIXTURES / "small_atlas"), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    said: dict[str, str] = {}
    deadline = time.monotonic() + START_TIMEOUT
    while "processes" not in said or "files" not in said:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("the cluster did not come up")
        for name in ("atlas cluster up", "processes", "files"):
            if line.startswith(f"{name}: "):
                said[name] = line.split(": ", 1)[1]
    return proc, said, lines


def running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def assert_all_gone(proc: subprocess.Popen[str], said: dict[str, str], lines: queue.Queue[str]) -> None:
    assert proc.wait(timeout=90) == 0
    pids = [int(p) for p in said["processes"].split()]
    assert len(pids) >= 2 + 3 + 2  # two replicas, nginx's master and two workers, PostgreSQL's processes
    deadline = time.monotonic() + 10
    while any(running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [p for p in pids if running(p)] == []
    assert not Path(said["files"]).exists()
    port = int(said["atlas cluster up"].rsplit(":", 1)[1])
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    output = []
    while not lines.empty():
        output.append(lines.get())
    assert any(line.startswith("stopped:") for line in output), output


def test_ctrl_c_stops_everything_it_started(can_cluster) -> None:
    proc, said, lines = start("--replicas", "2")
    url = said["atlas cluster up"]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{url}/_stcore/health", timeout=10) as response:
        assert response.status == 200
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole foreground group
    assert_all_gone(proc, said, lines)


def test_a_timed_run_stops_everything_it_started(can_cluster) -> None:
    proc, said, lines = start("--replicas", "2", "--seconds", "3")
    assert_all_gone(proc, said, lines)
