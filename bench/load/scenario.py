"""What one visitor of the atlas does, and many visitors at once.

A visitor arrives with a shared link (`START_QUERIES`), then until the deadline: changes one
filter (countries, categories, kind, search text or language, or clears them all), waits for
the page, downloads the CSV and checks it (header, one row per entry the page says it shows,
file name), and pauses about `think` seconds. A failure is counted and the visitor starts
afresh with a new session, as a reload would.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import csv
import io
import random
import re
import time

from bench.load.protocol import ProtocolError, Run, StreamlitClient
from bench.load.report import Stats

START_QUERIES: tuple[dict[str, str], ...] = (  # what visitors arrive with (shared links)
    {},
    {"lang": "fr"},
    {"country": "FR"},
    {"country": "FR,BE", "category": "training"},
    {"kind": "odc", "status": "open"},
    {"q": "numérique", "lang": "fr"},
    {"category": "civic_tech,digital_commons"},
    {"country": "SN,MA", "kind": "odc"},
    {"q": "lab"},
    {"country": "IT", "lang": "fr"},
)
SEARCHES = (
    "",
    "",
    "lab",
    "numérique",
    "NUMERIQUE",
    "digital",
    "école",
    "Liège",
    "orange",
    "tech",
    "social",
    "formation",
    "inclusion",
    "centre",
    "zzz-nothing-matches",
    "commons",
    "réseau",
    "data",
)
ACTIONS = (("country", 30), ("category", 25), ("query", 20), ("lang", 10), ("kind", 8), ("clear", 7))
WIDGET_KEYS = {  # action → the widget's key= in the app
    "lang": "lang",
    "country": "f_country",
    "category": "f_category",
    "kind": "f_kind",
    "status": "f_status",
    "query": "f_query",
    "inview": "f_inview",
    "csv": "dl_csv",
    "clear": "clear_sidebar",
}


def summary_patterns() -> list[re.Pattern[str]]:
    """The page's "N of M entries shown" line, in every language, as regular expressions."""
    from atlas.i18n import TRANSLATIONS

    patterns = []
    for template in TRANSLATIONS["count_summary"].values():
        text = re.escape(template)
        for name in ("shown", "total", "orgs", "odcs"):
            text = text.replace(re.escape("{" + name + "}"), rf"(?P<{name}>\d+)")
        patterns.append(re.compile(text))
    return patterns


def entries_shown(markdown: list[str], patterns: list[re.Pattern[str]]) -> int | None:
    """The number of entries the page says it shows (its last count line), or None."""
    shown = None
    for body in markdown:
        for pattern in patterns:
            found = pattern.fullmatch(body)
            if found:
                shown = int(found["shown"])
    return shown


def check_csv(body: bytes, disposition: str, expected_rows: int | None) -> int:
    """The downloaded CSV is what the page promised: BOM, export header, one row per entry shown.
    Returns its number of data rows."""
    from atlas.export import EXPORT_COLUMNS

    if not body.startswith(b"\xef\xbb\xbf"):
        raise ProtocolError("file", "the CSV has no UTF-8 BOM")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    if not rows or rows[0] != list(EXPORT_COLUMNS):
        raise ProtocolError("file", f"unexpected CSV header {rows[0] if rows else None}")
    if expected_rows is not None and len(rows) - 1 != expected_rows:
        raise ProtocolError("file", f"the CSV has {len(rows) - 1} rows, the page shows {expected_rows} entries")
    if "social-tech-atlas_" not in disposition or ".csv" not in disposition:
        raise ProtocolError("file", f"unexpected file name in {disposition!r}")
    return len(rows) - 1


class Visitor:
    """One browser tab on the atlas: changes filters and downloads the CSV until `deadline`."""

    def __init__(
        self,
        number: int,
        url: str,
        stats: Stats,
        rng: random.Random,
        deadline: float,
        think: float,
        timeout: float,
        pool: concurrent.futures.Executor | None = None,
    ) -> None:
        self.number, self.stats, self.rng = number, stats, rng
        self.deadline, self.think = deadline, think
        self.client = StreamlitClient(url, WIDGET_KEYS.values(), timeout=timeout, executor=pool)
        self.patterns = summary_patterns()
        self.shown: int | None = None

    def _page(self, run: Run) -> Run:
        """Check the page a run drew: the CSV button and the count of entries shown are there."""
        self.shown = entries_shown(run.markdown, self.patterns)
        if WIDGET_KEYS["csv"] not in self.client.widgets or self.shown is None:
            raise ProtocolError("page", "the page lacks the CSV button or the count of entries shown")
        self.stats.bytes_per_run.append(run.bytes)
        self.stats.result_sizes.add(self.shown)
        return run

    async def open(self, query: dict[str, str]) -> None:
        self.shown = None
        opened = self.client.connections
        try:
            run = await self.client.connect(query)
        finally:
            self.stats.sessions_opened += self.client.connections - opened
        self._page(run)
        self.stats.page_loads.append((self.stats.now(), run.seconds))

    def change_something(self) -> str:
        """Change one widget's value as a visitor would; returns what was changed."""
        total = sum(weight for _, weight in ACTIONS)
        pick, action = self.rng.uniform(0, total), ACTIONS[-1][0]
        for name, weight in ACTIONS:
            pick -= weight
            if pick <= 0:
                action = name
                break
        widget = self.client.widgets.get(WIDGET_KEYS[action])
        if widget is None:
            return "nothing"
        if action == "clear":  # the "Clear all filters" button, when it is enabled
            self.client.click(WIDGET_KEYS[action])
        elif action == "query":
            widget.value = self.rng.choice([s for s in SEARCHES if s != widget.value])
        elif action == "lang":
            widget.value = next((o for o in widget.options if o != widget.value), widget.value)
        else:
            most = {"country": 3, "category": 2, "kind": 1}.get(action, 1)
            count = self.rng.choice(range(0, most + 1)) if self.rng.random() < 0.9 else 0
            widget.value = self.rng.sample(widget.options, min(count, len(widget.options)))
        return action

    async def change_filter(self) -> float:
        """One filter change, until the page is drawn again; returns seconds."""
        self.change_something()
        self.shown = None
        return self._page(await self.client.rerun()).seconds

    async def download_csv(self) -> tuple[float, int]:
        """The CSV button, checked against the page; returns (seconds, data rows)."""
        expected = self.shown
        file = await self.client.download(WIDGET_KEYS["csv"])
        return file.seconds, check_csv(file.body, file.disposition, expected)

    async def visit(self) -> None:
        stats = self.stats
        while time.monotonic() < self.deadline:
            try:
                if not self.client.connected:
                    await self.open(self.rng.choice(START_QUERIES))
                stats.filters.append((stats.now(), await self.change_filter()))
                elapsed, rows = await self.download_csv()
                stats.downloads.append((stats.now(), elapsed))
                stats.rows_downloaded += rows
            except ProtocolError as exc:
                stats.error(exc.kind, f"visitor {self.number}: {exc}")
                await self.client.close()  # start afresh with a new session, as a reload would
                await asyncio.sleep(1.0)
            if self.think:
                await asyncio.sleep(
                    min(self.rng.uniform(0.5, 1.5) * self.think, max(0.0, self.deadline - time.monotonic()))
                )
        await self.client.close()


async def drive(url: str, stats: Stats, sessions: int, seconds: float, think: float, timeout: float, seed: int) -> None:
    """`sessions` visitors of the app at `url` for `seconds`, arriving over a few seconds."""
    rng = random.Random(seed)
    deadline = stats.t0 + seconds
    with concurrent.futures.ThreadPoolExecutor(max_workers=sessions, thread_name_prefix="get") as pool:
        visitors = [
            Visitor(i, url, stats, random.Random(rng.random()), deadline, think, timeout, pool) for i in range(sessions)
        ]

        async def start(v: Visitor, delay: float) -> None:
            await asyncio.sleep(delay)
            await v.visit()

        ramp = min(3.0, seconds / 10)  # arrivals spread over a few seconds
        tasks = [asyncio.create_task(start(v, ramp * i / sessions)) for i, v in enumerate(visitors)]
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), seconds + timeout + 30)
        except TimeoutError:
            stats.error("timeout", "the run did not end in time; visitors stopped")
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for v in visitors:
                await v.client.close()
