"""The load script's pure parts: the target's safety, the command line, the CSV check, the figures,
and each visitor's cookies (against a small local websocket server, not the app)."""

from __future__ import annotations

import asyncio
from http import HTTPStatus

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.http11 import Request, Response

from atlas.export import EXPORT_COLUMNS
from atlas.i18n import t
from bench.load.__main__ import parse_args
from bench.load.protocol import ProtocolError, StreamlitClient, loopback_host, target_url
from bench.load.report import ServerFigures, Stats, build_report, exit_status, memory_verdict, percentile, summary
from bench.load.scenario import check_csv, entries_shown, summary_patterns

# --- where it may go --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8501", "http://127.0.0.1:8501"),
        ("http://127.0.0.1:8501/", "http://127.0.0.1:8501"),
        ("http://localhost:8080/atlas/", "http://127.0.0.1:8080/atlas"),
        ("http://127.0.0.2", "http://127.0.0.2"),
        ("http://[::1]:9000/a/b", "http://[::1]:9000/a/b"),
        ("https://127.0.0.1:8443", "https://127.0.0.1:8443"),
    ],
)
def test_target_urls_on_loopback_are_normalised(url, expected) -> None:
    assert target_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1:8501",
        "http://192.168.1.20",
        "http://example.org",
        "http://0.0.0.0:8501",
        "ftp://127.0.0.1",
        "127.0.0.1:8501",
        "http://127.0.0.1:8501/?x=1",
        "http://user:pw@127.0.0.1:8501",
        "http://127.0.0.1:99999",
    ],
)
def test_target_urls_off_loopback_or_odd_are_refused(url) -> None:
    with pytest.raises(ValueError):
        target_url(url)


def test_the_client_refuses_a_remote_target_and_builds_its_stream_url() -> None:
    with pytest.raises(ValueError, match="loopback"):
        StreamlitClient("http://93.184.215.14:80", [])
    assert StreamlitClient("http://127.0.0.1:8080/atlas/", []).stream_url == "ws://127.0.0.1:8080/atlas/_stcore/stream"
    assert loopback_host("localhost") == "127.0.0.1" and loopback_host("::1") == "::1"


# --- the command line -------------------------------------------------------------------------


def test_defaults_start_the_app_on_loopback() -> None:
    args = parse_args([])
    assert (args.sessions, args.seconds, args.host, args.url, args.rows) == (20, 60.0, "127.0.0.1", None, None)
    assert parse_args(["--url", "http://localhost:8080/"]).url == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    "argv",
    [
        ["--sessions", "51"],
        ["--sessions", "0"],
        ["--seconds", "601"],
        ["--think", "31"],
        ["--rounds", "2"],
        ["--timeout", "500"],
        ["--rows", "0"],
        ["--host", "192.168.1.1"],
        ["--host", "example.org"],
        ["--url", "http://10.1.2.3:8080"],
        ["--url", "http://127.0.0.1:8080", "--rows", "1000"],
        ["--url", "http://127.0.0.1:8080", "--host", "127.0.0.1"],
    ],
)
def test_out_of_bounds_or_remote_arguments_are_refused(argv, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        parse_args(argv)
    assert exit_.value.code == 2 and "error:" in capsys.readouterr().err


# --- what a visitor checks --------------------------------------------------------------------


def test_the_count_of_entries_shown_is_read_in_both_languages() -> None:
    patterns = summary_patterns()
    en = t("count_summary", "en", shown=3, total=9, orgs=2, odcs=1)
    fr = t("count_summary", "fr", shown=4, total=9, orgs=3, odcs=1)
    assert entries_shown(["title", en], patterns) == 3
    assert entries_shown([en, "other", fr], patterns) == 4  # the last count on the page
    assert entries_shown(["no count here", f"**{en}**"], patterns) is None


def csv_file(rows: int, bom: bool = True, header: list[str] | None = None) -> bytes:
    lines = [",".join(header or EXPORT_COLUMNS)] + [",".join(["x"] * len(EXPORT_COLUMNS))] * rows
    return (b"\xef\xbb\xbf" if bom else b"") + "\r\n".join(lines).encode() + b"\r\n"


def test_the_csv_check_accepts_what_the_page_promised_and_nothing_else() -> None:
    name = 'attachment; filename="social-tech-atlas_FR_2026-01-01.csv"'
    assert check_csv(csv_file(3), name, 3) == 3
    assert check_csv(csv_file(0), name, None) == 0
    for body, disposition, expected, message in [
        (csv_file(3), name, 4, "3 rows, the page shows 4"),
        (csv_file(3, bom=False), name, 3, "BOM"),
        (csv_file(1, header=["id", "name"]), name, 1, "header"),
        (csv_file(1), 'attachment; filename="data.csv"', 1, "file name"),
    ]:
        with pytest.raises(ProtocolError, match=message) as error:
            check_csv(body, disposition, expected)
        assert error.value.kind == "file"


# --- the figures ------------------------------------------------------------------------------


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]
    assert percentile([], 95) is None
    assert (percentile(values, 95), percentile(values, 50), percentile(values, 100)) == (19.0, 10.0, 20.0)
    assert percentile([4.0], 95) == 4.0
    assert summary([]) == {"count": 0, "median_s": None, "p95_s": None, "max_s": None}
    assert summary([0.1, 0.3, 0.2]) == {"count": 3, "median_s": 0.2, "p95_s": 0.3, "max_s": 0.3}


def ends(*mbs: float | None) -> list[dict]:
    return [{"rss_end_mb": mb} for mb in mbs]


def test_memory_growth_is_flagged_only_above_both_tolerances() -> None:
    assert memory_verdict(ends(200, 300))["stable"] is None  # too few rounds
    assert memory_verdict(ends(200, 250, 260, 270))["stable"] is True  # +20 MB, 8 %
    assert memory_verdict(ends(100, 100, 110, 120))["stable"] is True  # +20 %, but 20 MB
    assert memory_verdict(ends(400, 400, 420, 430))["stable"] is True  # +30 MB, but 7.5 %
    growing = memory_verdict(ends(200, 250, None, 290))
    assert growing["stable"] is False and growing["growth_mb"] == 40 and growing["baseline_mb"] == 250


def run_stats() -> Stats:
    stats = Stats(t0=0.0)
    stats.page_loads = [(0.5, 0.4)]
    stats.filters = [(1.0, 0.2), (3.0, 0.4), (5.5, 0.6)]
    stats.downloads = [(1.1, 0.01), (3.1, 0.03)]
    stats.errors = [(5.0, "timeout", "visitor 0: no answer"), (5.2, "timeout", "visitor 1: no answer")]
    stats.bytes_per_run = [100, 300, 200]
    stats.rows_downloaded, stats.sessions_opened, stats.result_sizes = 12, 2, {3, 9}
    return stats


def test_the_report_counts_every_request_and_slices_the_run() -> None:
    server = ServerFigures(
        samples=[(0.5, 200.0), (2.5, 210.0), (4.5, 220.0), (5.9, 215.0)], idle_mb=190.0, after_mb=205.0, cpu_s=3.0
    )
    report = build_report(run_stats(), wall=6.0, seconds=6.0, rounds=3, server=server, client_cpu_s=0.3)
    assert report["requests"] == {"page_loads": 1, "filter_changes": 3, "downloads": 2, "total": 6}
    assert report["throughput_per_s"] == round(5 / 6, 2)
    assert report["errors"] == 2 and report["errors_by_kind"] == {"timeout": 2}
    assert report["error_examples"][0] == "5.0s timeout: visitor 0: no answer"
    assert report["filter_change"]["median_s"] == 0.4 and report["download"]["max_s"] == 0.03
    assert report["bytes_per_run_median"] == 200 and report["distinct_result_sizes"] == 2
    assert [(r["filter_changes"], r["downloads"], r["errors"], r["rss_end_mb"]) for r in report["rounds"]] == [
        (1, 1, 0, 200.0),
        (1, 1, 0, 210.0),
        (1, 0, 2, 215.0),
    ]
    assert report["memory"]["max_mb"] == 220.0 and report["memory"]["stable"] is True
    assert report["cpu"] == {"server_cpu_s": 3.0, "server_cpu_pct": 50.0, "client_cpu_s": 0.3}
    assert exit_status(report) == 1


def test_a_server_not_started_here_has_no_memory_figures() -> None:
    stats = run_stats()
    stats.errors = []
    report = build_report(stats, wall=6.0, seconds=6.0, rounds=3, server=None, client_cpu_s=0.1)
    assert report["memory"] is None and report["cpu"]["server_cpu_s"] is None
    assert all(r["rss_end_mb"] is None for r in report["rounds"])
    assert exit_status(report) == 0
    report["memory"] = {"stable": False}
    assert exit_status(report) == 3


# --- cookies: each visitor its own, on HTTP and on the websocket handshake --------------------


def test_each_visitor_keeps_its_own_cookies_for_http_and_the_handshake() -> None:
    """A stand-in for a load balancer with sticky sessions: the page sets a `route` cookie, the
    handshake another; both must come back with that visitor's later requests only."""
    seen: list[tuple[str, str | None]] = []
    pages = 0

    def process_request(connection: ServerConnection, request: Request) -> Response | None:
        nonlocal pages
        seen.append((request.path, request.headers.get("Cookie")))
        if request.path.endswith("/_stcore/stream"):
            return None  # the websocket handshake goes on
        if request.path != "/atlas/":
            return connection.respond(HTTPStatus.OK, "file\n")
        pages += 1
        response = connection.respond(HTTPStatus.OK, "page\n")
        response.headers["Set-Cookie"] = f"route=r{pages}; Path=/"
        return response

    def process_response(connection: ServerConnection, request: Request, response: Response) -> None:
        if response.status_code == HTTPStatus.SWITCHING_PROTOCOLS:
            response.headers["Set-Cookie"] = f"socket={len(seen)}; Path=/atlas"

    async def handler(connection: ServerConnection) -> None:
        await connection.wait_closed()

    async def scenario() -> None:
        async with serve(
            handler, "127.0.0.1", 0, process_request=process_request, process_response=process_response
        ) as server:
            port = server.sockets[0].getsockname()[1]
            one, two = (StreamlitClient(f"http://127.0.0.1:{port}/atlas", [], timeout=10) for _ in range(2))
            for client in (one, two):
                await client.load_page()
                await client.open_socket()
            assert seen[:4] == [
                ("/atlas/", None),
                ("/atlas/_stcore/stream", "route=r1"),
                ("/atlas/", None),
                ("/atlas/_stcore/stream", "route=r2"),
            ]
            assert sorted(c.name + "=" + (c.value or "") for c in one.cookies) == ["route=r1", "socket=2"]
            await one.get("/media/file.csv")  # a later request: both cookies
            assert seen[-1][0] == "/atlas/media/file.csv"
            assert sorted((seen[-1][1] or "").split("; ")) == ["route=r1", "socket=2"]
            await one.close()
            await one.open_socket()  # a new session (a reload) keeps the cookies
            assert sorted((seen[-1][1] or "").split("; ")) == ["route=r1", "socket=2"]
            for client in (one, two):
                await client.close()

    asyncio.run(scenario())


def test_a_page_that_does_not_answer_200_is_a_page_error() -> None:
    def process_request(connection: ServerConnection, request: Request) -> Response:
        return connection.respond(HTTPStatus.BAD_GATEWAY, "no upstream\n")

    async def handler(connection: ServerConnection) -> None:
        await connection.wait_closed()

    async def scenario() -> None:
        async with serve(handler, "127.0.0.1", 0, process_request=process_request) as server:
            client = StreamlitClient(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", [], timeout=10)
            with pytest.raises(ProtocolError, match="HTTP 502") as error:
                await client.connect()
            assert error.value.kind == "page" and not client.connected

    asyncio.run(scenario())
