"""Files the map's browser fetches once and then keeps: the packed points of the whole atlas and
the country outlines, written at run time into the git-ignored `static/generated/`, which
Streamlit serves (`server.enableStaticServing`) at `/app/static/generated/`.

Each file is named by a hash of its content, so a changed atlas gets a new name and no browser can
hold a stale copy. Streamlit's static route sends no `Cache-Control` and answers every request in
full (no 304), so the files' modification time is set far in the past: browsers then keep them
fresh for long by the standard heuristic (a tenth of the time since `Last-Modified`), which is
safe for a name that changes with the content. The inode change time (`st_ctime`) still says
when a file was last published; the oldest beyond `KEEP` per kind are deleted once they are
older than `MIN_AGE_S`, so files do not pile up as the atlas changes, and a file that a page has
just been given is never deleted under it — several app processes may share this folder (replicas,
`make run` beside the tests), each publishing its own files.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

from atlas import assets

GENERATED_DIR = assets.STATIC_DIR / "generated"
GENERATED_URL = f"{assets.STATIC_URL}/generated"
KEEP = 12  # files of one kind kept (two languages × a few revisions, for sessions still open)
MIN_AGE_S = 3600  # a file published less than this long ago is kept (a page may still fetch it)
LAST_MODIFIED = 946_684_800  # 2000-01-01: the modification time every published file gets
_lock = threading.Lock()


def publish(text: str, kind: str, directory: Path = GENERATED_DIR) -> str:
    """Write `text` as `<kind>-<hash>.json` in `directory` (unless there already) and return its URL."""
    data = text.encode("utf-8")
    name = f"{kind}-{hashlib.sha256(data).hexdigest()[:16]}.json"
    path = directory / name
    with _lock:
        if not path.is_file():
            directory.mkdir(parents=True, exist_ok=True)
            tmp = directory / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, path)  # atomic: a browser never reads half a file
        os.utime(path, (LAST_MODIFIED, LAST_MODIFIED))  # also marks it as just published (st_ctime)
        prune(directory, kind, keep=KEEP, current=path)
    return f"{GENERATED_URL}/{name}" if directory == GENERATED_DIR else str(path)


def prune(
    directory: Path, kind: str, keep: int, current: Path, min_age: float = MIN_AGE_S, now: float | None = None
) -> list[Path]:
    """Delete the files of `kind` beyond the `keep` most recently published, when published more
    than `min_age` seconds before `now` (never `current`)."""
    cutoff = (time.time() if now is None else now) - min_age
    found = []
    for path in directory.glob(f"{kind}-*.json"):
        try:
            found.append((path.stat().st_ctime, path))
        except OSError:  # deleted meanwhile by another process
            continue
    found.sort(reverse=True)
    removed = []
    for published, path in found[keep:]:
        if path != current and published < cutoff:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def url_path(url: str, directory: Path = GENERATED_DIR) -> Path:
    """The file behind a URL `publish` returned."""
    return directory / url.rsplit("/", 1)[-1]
