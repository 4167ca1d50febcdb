"""Health check of one app replica: the container's HEALTHCHECK, and how `make cluster` readies each
replica before nginx sends it visitors.

    python deploy/healthcheck.py [http://127.0.0.1:8501]

Healthy (exit 0) when Streamlit's /_stcore/health answers 200. The first time only, it also asks the
replica to run the app once (/_stcore/script-health-check, enabled by
STREAMLIT_SERVER_SCRIPT_HEALTH_CHECK_ENABLED=true; nginx does not let the public reach it): a replica
serves a component's files (the map's frame, /component/streamlit_folium.st_folium/) only once a
script run has imported it, so without this a visitor whose replica dies, or whom a change of the
replica set moves, would land on a fresh replica and get a map that does not load (HTTP 404). That
first run also loads the atlas from the database, which the first visitor would otherwise wait for.
Standard library only.
"""

from __future__ import annotations

import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

DEFAULT_URL = "http://127.0.0.1:8501"


def _status(url: str, timeout: float) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def warm(url: str, timeout: float = 60.0) -> bool:
    """Run the app once in the replica at `url` (True when the script ran without an error)."""
    return _status(f"{url.rstrip('/')}/_stcore/script-health-check", timeout) == 200


def check(url: str = DEFAULT_URL, marker: Path | None = None) -> bool:
    """Healthy? The first call (no `marker` file yet) also warms the replica."""
    url = url.rstrip("/")
    if _status(f"{url}/_stcore/health", 5) != 200:
        return False
    marker = marker or Path(tempfile.gettempdir()) / "atlas-replica-warm"
    if not marker.exists():
        if not warm(url):
            return False
        marker.touch()
    return True


if __name__ == "__main__":
    sys.exit(0 if check(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL) else 1)
