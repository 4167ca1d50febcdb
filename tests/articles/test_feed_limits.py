"""A feed is bounded: no XML entity declarations (the "billion laughs"), a size cap, an item cap.

Issue 21: a 126 KB feed declaring one 100 KB entity referenced 8,000 times took 2.6 GB and 55 s
(expat refused it, then feedparser's lenient parser expanded it without limit). Now it is refused
before feedparser sees it; the command is measured in a subprocess (time and peak memory).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from atlas.articles import feed as feed_module
from atlas.articles.feed import MAX_FEED_ITEMS, parse_feed, read_feed
from atlas.articles.polite import PoliteClient
from atlas.cli import main
from atlas.errors import UnusableInput
from tests.articles.feedsite import BlogSite, Route, rss, serve

ROOT = Path(__file__).resolve().parents[2]
TIME_BOUND_S = 5.0
MEMORY_BOUND_MB = 300


def entity_bomb() -> bytes:
    """The red-team's feed: one 100 KB internal entity, referenced 8,000 times (about 126 KB)."""
    references = "&e;" * 8000
    return textwrap.dedent(
        f"""\
        <?xml version="1.0" encoding="utf-8"?>
        <!DOCTYPE rss [
        <!ENTITY e "{"x" * 100_000}">
        ]>
        <rss version="2.0"><channel><title>T</title>
        <item><title>One</title><guid>one</guid><description>{references}</description></item>
        </channel></rss>
        """
    ).encode()


MEASURE = textwrap.dedent(
    """
    import json, resource, sys, time
    from atlas.cli import main
    import atlas.articles.fetch, atlas.articles.feed  # imported before the clock starts
    from atlas.store import open_store

    open_store(sys.argv[2]).engine.dispose()  # the database migrated before the clock starts too
    started = time.process_time()  # CPU seconds: what the feed costs, whatever else the machine does
    code = main(["articles", "fetch", sys.argv[1], "--database", sys.argv[2]])
    elapsed = time.process_time() - started
    # The peak of this process's own memory (VmHWM: reset by exec). ru_maxrss is not: on Linux it keeps
    # the parent's peak across fork and exec, and a long test run's worker is the parent here.
    try:
        with open("/proc/self/status") as status:
            peak_mb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"code": code, "seconds": elapsed, "peak_mb": peak_mb}))
    """
)


def test_the_entity_expansion_feed_ends_fast_and_small(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(entity_bomb())
    assert 120_000 < bomb.stat().st_size < 130_000
    script = tmp_path / "measure.py"
    script.write_text(MEASURE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ATLAS_FETCH_ALLOW_HOSTS", None)
    done = subprocess.run(
        [sys.executable, str(script), str(bomb), f"sqlite:///{tmp_path / 'atlas.sqlite3'}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,  # the old code needed about a minute and 2.6 GB here
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"entity-expansion feed: {figures}")  # shown with -s: the measured figures
    assert figures["code"] == 2 and "declares XML entities" in done.stderr, (figures, done.stderr)
    assert figures["seconds"] <= TIME_BOUND_S and figures["peak_mb"] < MEMORY_BOUND_MB, figures


BIG = '"' + "x" * 1000 + '"'


@pytest.mark.parametrize(
    "document",
    [
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a {BIG}>]><rss version="2.0"><channel><title>&a;</title>'
        "</channel></rss>",
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n]>\n<rss version="2.0"><channel>'
        "<title>T&nbsp;</title></channel></rss>",
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY ext SYSTEM "file:///etc/passwd">]><rss version="2.0">'
        "<channel><title>&ext;</title></channel></rss>",
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p "x"> %p;]><rss version="2.0"><channel/></rss>',
        # not well-formed before the DTD: expat stops early, feedparser's lenient parser would go on
        f'<?xml version="1.0"?>&broken;\n<!DOCTYPE rss [\n<!ENTITY a {BIG}>\n]>\n<rss version="2.0"><channel>'
        "<item><title>&a;&a;&a;</title><guid>g</guid></item></channel></rss>",
    ],
    ids=["internal", "small-internal", "external", "parameter", "after-an-error"],
)
def test_any_entity_declaration_is_refused(document: str) -> None:
    with pytest.raises(UnusableInput, match="declares XML entities"):
        parse_feed(document.encode(), "feed")


def test_an_entity_declaration_in_another_encoding_is_refused_too() -> None:
    document = f'<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY a {BIG}>]><rss version="2.0">'
    document += "<channel><item><title>&a;</title><guid>g</guid></item></channel></rss>"
    for data in (document.encode("utf-16"), b"junk" + document.encode("utf-16")):
        with pytest.raises(UnusableInput, match="declares XML entities"):
            parse_feed(data, "feed")


def test_ordinary_feeds_are_still_read() -> None:
    netscape = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel><title>T</title>'
        b"<item><title>Fish &amp; chips &#233;t&#xE9;</title><link>http://192.0.2.1/a</link></item></channel></rss>"
    )
    (item,) = parse_feed(netscape, "netscape").items
    assert item.title == "Fish & chips été"


def test_a_feed_is_read_up_to_its_size_and_item_caps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = [{"title": f"T{n}", "link": f"http://192.0.2.1/{n}/", "guid": f"g{n}"} for n in range(MAX_FEED_ITEMS + 300)]
    many = rss("http://192.0.2.1", items)
    feed = parse_feed(many, "many")
    assert [i.guid for i in feed.items] == [f"g{n}" for n in range(MAX_FEED_ITEMS)]
    assert feed.problems == [f"only the first {MAX_FEED_ITEMS} of about {MAX_FEED_ITEMS + 300} items were read"]
    monkeypatch.setattr(feed_module, "MAX_FEED_BYTES", 10_000)
    path = tmp_path / "big.xml"
    path.write_bytes(many)
    with pytest.raises(UnusableInput, match="larger than 10,000 bytes"):
        read_feed(str(path), PoliteClient())
    site = BlogSite()
    site.routes = {"/feed/": Route(many, content_type="application/rss+xml")}
    with serve(site):
        client = PoliteClient(delay=0, timeout=2, max_bytes=10_000, allow_hosts=[site.host])
        with pytest.raises(UnusableInput, match="larger than 10,000 bytes"):
            read_feed(site.url("/feed/"), client)


def test_the_command_refuses_the_entity_feed_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(entity_bomb())
    assert main(["articles", "fetch", str(bomb), "--database", f"sqlite:///{tmp_path / 'db.sqlite3'}"]) == 2
    assert "declares XML entities" in capsys.readouterr().err
