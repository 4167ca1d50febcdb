"""bench/api.py's load generator counts requests, errors and latencies (against a tiny local server)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.api import hammer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b"{}" if self.path == "/ok" else b"no"
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_hammer_measures_throughput_and_counts_errors() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        good = hammer(f"http://127.0.0.1:{port}/ok", seconds=0.3, concurrency=2)
        assert good["requests"] > 0 and good["errors"] == 0 and good["rps"] > 0
        assert 0 < good["p50_ms"] <= good["p95_ms"]
        bad = hammer(f"http://127.0.0.1:{port}/missing", seconds=0.2, concurrency=1)
        assert bad["errors"] == bad["requests"] > 0
    finally:
        server.shutdown()
