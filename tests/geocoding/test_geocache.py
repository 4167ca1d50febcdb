"""The SQLite answer cache: persistence, "not found", crash safety and concurrent writers."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap

from atlas.geocoding.cache import GeoCache
from atlas.geocoding.models import GeoResult

PARIS = GeoResult(48.85, 2.35, "city", "gazetteer", "Paris, FR")


def test_answers_and_not_found_survive_reopening(tmp_path):
    path = tmp_path / "sub" / "cache.sqlite3"
    cache = GeoCache(path)
    cache.put("city|FR||paris", PARIS, "gazetteer")
    cache.put("city|FR||nowhere", None, "nominatim,gazetteer")
    cache.close()
    reopened = GeoCache(path)
    hit, miss = reopened.get("city|FR||paris"), reopened.get("city|FR||nowhere")
    assert hit.result == PARIS and hit.source == "gazetteer" and hit.resolved_at > 0
    assert miss.result is None and miss.source == "nominatim,gazetteer"
    assert reopened.get("city|FR||lyon") is None
    assert len(reopened) == 2


def test_put_replaces(tmp_path):
    cache = GeoCache(tmp_path / "c.sqlite3")
    cache.put("k", None, "gazetteer")
    cache.put("k", PARIS, "gazetteer")
    assert cache.get("k").result == PARIS and len(cache) == 1


def test_wal_mode(tmp_path):
    GeoCache(tmp_path / "c.sqlite3")
    assert sqlite3.connect(tmp_path / "c.sqlite3").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


WRITER = textwrap.dedent("""
    import sys
    from atlas.geocoding.cache import GeoCache
    from atlas.geocoding.models import GeoResult
    cache = GeoCache(sys.argv[1])
    prefix, count = sys.argv[2], int(sys.argv[3])
    for i in range(count):
        cache.put(f"{prefix}{i}", GeoResult(float(i % 90), 1.0, "city", "gazetteer", "x" * 200), "gazetteer")
        print(i, flush=True)
""")


def test_killed_writer_leaves_a_sound_cache_with_every_committed_answer(tmp_path):
    path = tmp_path / "c.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "k", "10000000"], stdout=subprocess.PIPE, text=True
    )
    last = -1
    while last < 300:
        last = int(child.stdout.readline())
    child.send_signal(signal.SIGKILL)  # mid-write: it never stops writing by itself
    child.wait(timeout=30)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    cache = GeoCache(path)
    assert all(cache.get(f"k{i}") is not None for i in range(last + 1))
    assert len(cache) >= last + 1


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "c.sqlite3"
    children = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), prefix, "400"], stdout=subprocess.DEVNULL)
        for prefix in ("a", "b")
    ]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    cache = GeoCache(path)
    assert len(cache) == 800
    assert all(cache.get(f"{p}{i}") for p in "ab" for i in range(400))
