"""What every read route of the atlas shares: query parameters, errors, caching, CORS.

- `Params`: a request's query parameters, checked; an unknown parameter or a bad value raises
  `Problem` (400), so a typo (`?contry=FR`) is said, not silently ignored.
- `Problem`: an error as `application/problem+json` (RFC 9457): `type`, `title`, `status`,
  `detail`, `instance`, and for a bad parameter `parameter`.
- `read_route(path, handler, params=...)`: a Starlette route. The handler receives the request,
  its checked `Params` and the published snapshot, and returns a `Reply` (how to build the body)
  or raises `Problem`. The route answers `OPTIONS` (CORS preflight), sends `ETag` (the data
  revision + the path, the query and the media type) and `Cache-Control`, answers 304 to a
  matching `If-None-Match`, and keeps recent bodies (`BodyCache`) so a popular query is built
  once per data revision (and compressed once, for clients that accept gzip). Bodies are built
  in a worker thread: the event loop, which also carries the page's sessions, never waits for
  pandas or the database.
- `ATLAS_API_CACHE`: how many response bodies to keep (default 512; 0: none).
- With `ATLAS_API_RATE` (requests per second per client address; unset: no limit here, nginx's
  job), a client over it gets 429 with `Retry-After`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import math
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atlas.web.published import Published, peek, published

PROBLEM = "application/problem+json"
JSON = "application/json"
GEOJSON = "application/geo+json"
CACHE_CONTROL = "public, max-age=60"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link, Retry-After",
}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, Content-Type",
    "Access-Control-Max-Age": "86400",
}
MAX_TEXT = 200
GZIP_FROM = 1024  # bodies from this size are sent gzip-compressed to clients that accept it
GZIP_KEY = ":gzip"


class Problem(Exception):
    """An error a client is told about as problem+json (RFC 9457)."""

    def __init__(self, status: int, title: str, detail: str = "", **extra: Any) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra
        self.headers: dict[str, str] = {}


def bad_parameter(name: str, detail: str) -> Problem:
    return Problem(400, "Bad request", detail, parameter=name)


def not_found(detail: str) -> Problem:
    return Problem(404, "Not found", detail)


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def problem_response(request: Request, problem: Problem) -> Response:
    body = {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail or problem.title,
        "instance": request.url.path,
        **problem.extra,
    }
    headers = {**CORS, "Cache-Control": "no-store", **problem.headers}
    return Response(dumps(body), status_code=problem.status, media_type=PROBLEM, headers=headers)


# -- parameters -----------------------------------------------------------------------------------


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?$")


def parse_moment(value: str, name: str) -> dt.datetime:
    """An RFC 3339 date-time (or a date: its midnight UTC); without a time zone: UTC."""
    text = value.strip()
    if not (_DATE.match(text) or _DATETIME.match(text)):
        raise bad_parameter(name, f"{name} must be an RFC 3339 date-time such as 2025-01-31T00:00:00Z, or a date")
    try:
        moment = dt.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise bad_parameter(name, f"{name} is not a valid date or time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def parse_bbox(raw: str, name: str = "bbox") -> tuple[float, float, float, float]:
    """min lon, min lat, max lon, max lat (WGS 84); min lon > max lon crosses the antimeridian."""
    try:
        numbers = [float(p) for p in raw.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise bad_parameter(name, f"{name} must be four numbers: min longitude,min latitude,max longitude,max latitude")
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise bad_parameter(
            name, f"{name}: longitudes from -180 to 180, latitudes from -90 to 90, min latitude ≤ max latitude"
        )
    return west, south, east, north


class Params:
    """The query parameters of a request, each read (and checked) by the handler."""

    def __init__(self, request: Request, allowed: Iterable[str]) -> None:
        self.allowed = frozenset(allowed)
        self.items = request.query_params.multi_items()
        unknown = sorted({k for k, _ in self.items} - self.allowed)
        if unknown:
            known = ", ".join(sorted(self.allowed)) or "none"
            raise bad_parameter(unknown[0], f"unknown parameter {unknown[0]!r} (this URL takes: {known})")

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.items if k == name]

    def one(self, name: str) -> str | None:
        values = self.all(name)
        if len(values) > 1:
            raise bad_parameter(name, f"{name} is given {len(values)} times; give it once")
        return values[0] if values else None

    def text(self, name: str, limit: int = MAX_TEXT) -> str:
        value = self.one(name) or ""
        if len(value) > limit:
            raise bad_parameter(name, f"{name} is longer than {limit} characters")
        if any(ord(c) < 32 and c not in "\t" for c in value):
            raise bad_parameter(name, f"{name} holds control characters")
        return value.strip()

    def values(self, name: str, check: Callable[[str], str]) -> tuple[str, ...]:
        """Repeated or comma-separated values (`country=FR,BE` or `country=FR&country=BE`), each checked."""
        out: list[str] = []
        for raw in self.all(name):
            for part in raw.split(","):
                value = part.strip()
                if not value:
                    raise bad_parameter(name, f"{name} has an empty value")
                out.append(check(value))
                if len(out) > 300:
                    raise bad_parameter(name, f"{name} has too many values")
        return tuple(dict.fromkeys(out))

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.one(name)
        if raw is None:
            return default
        if not re.fullmatch(r"\d{1,9}", raw.strip()):
            raise bad_parameter(name, f"{name} must be a whole number from {low} to {high}")
        value = int(raw)
        if not low <= value <= high:
            raise bad_parameter(name, f"{name} must be from {low} to {high}")
        return value

    def choice(self, name: str, options: Iterable[str], default: str) -> str:
        raw = self.one(name)
        if raw is None:
            return default
        choices = tuple(options)
        if raw not in choices:
            raise bad_parameter(name, f"{name} must be one of: {', '.join(choices)}")
        return raw

    def bbox(self, name: str = "bbox") -> tuple[float, float, float, float] | None:
        raw = self.one(name)
        return None if raw is None else parse_bbox(raw, name)

    def moment(self, name: str) -> dt.datetime | None:
        raw = self.one(name)
        return None if raw is None else parse_moment(raw, name)

    def key(self) -> str:
        """The query in a canonical form (for the ETag and the body cache)."""
        return "&".join(f"{k}={v}" for k, v in sorted(self.items))


# -- replies and caching ------------------------------------------------------------------------------


@dataclass
class Reply:
    """What a handler answers: a builder of the body (run in a worker thread when not cached)."""

    build: Callable[[], Any]
    media_type: str = JSON
    status: int = 200
    raw: bool = False  # build() returns bytes already
    headers: dict[str, str] = field(default_factory=dict)
    cache: bool = True
    variant: str = ""  # what else the body depends on (a language chosen by a header), for the ETag


class BodyCache:
    """The most recent response bodies by ETag (bounded in count and bytes), shared by all routes."""

    def __init__(self, entries: int = 512, max_bytes: int = 64 << 20, largest: int = 4 << 20) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.entries, self.max_bytes, self.largest = entries, max_bytes, largest

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        if len(body) > self.largest or self.entries <= 0:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = body
            self._bytes += len(body)
            while len(self._items) > self.entries or self._bytes > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self._bytes -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


def _cache_entries() -> int:
    raw = (os.environ.get("ATLAS_API_CACHE") or "").strip()
    return int(raw) if raw.isdigit() else 512


BODIES = BodyCache(entries=_cache_entries())  # ATLAS_API_CACHE=0: no body kept (benchmarks of the uncached path)


class RateLimiter:
    """A token bucket per client address: `rate` requests a second, bursts of `burst`."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """0 when the request may go on (and is counted), else the seconds until it may."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                if len(self._buckets) > 10_000:  # forget the idle
                    self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 60}
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate


def _configured_limiter() -> RateLimiter | None:
    raw = (os.environ.get("ATLAS_API_RATE") or "").strip()
    try:
        rate = float(raw) if raw else 0.0
    except ValueError:
        rate = 0.0
    return RateLimiter(rate, max(1.0, rate * 2)) if rate > 0 and math.isfinite(rate) else None


_limiter: RateLimiter | None = _configured_limiter()


def set_limiter(limiter: RateLimiter | None) -> None:
    """Replace the process's limiter (tests); None: no limit."""
    global _limiter
    _limiter = limiter


Handler = Callable[[Request, Params, Published], Reply]


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in header.split(","))


def read_route(path: str, handler: Handler, params: Iterable[str] = (), name: str | None = None) -> Route:
    """A GET (and HEAD, OPTIONS) route answering with `handler`'s `Reply`; see the module's docstring.

    The route's endpoint carries `params` (the query parameters it takes) for the OpenAPI check.
    """
    allowed = frozenset(params)

    async def endpoint(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=PREFLIGHT)
        try:
            limiter = _limiter
            if limiter is not None:
                wait = limiter.wait(request.client.host if request.client else "")
                if wait > 0:
                    problem = Problem(429, "Too many requests", "too many requests from this address; retry later")
                    problem.headers["Retry-After"] = str(max(1, math.ceil(wait)))
                    raise problem
            checked = Params(request, allowed)
            snapshot = peek()
            if snapshot is None:
                snapshot = await run_in_threadpool(published)
            reply = handler(request, checked, snapshot)
            headers = {**CORS, **reply.headers}
            if not reply.cache:
                body = await run_in_threadpool(_render, reply)
                return Response(body, status_code=reply.status, media_type=reply.media_type, headers=headers)
            etag = snapshot.etag(
                request.url.path, checked.key(), reply.media_type, reply.variant, str(request.base_url)
            )
            headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept, Accept-Language", **headers}
            if _matches(request.headers.get("if-none-match"), etag):
                return Response(status_code=304, headers=headers)
            cached = BODIES.get(etag)
            if cached is None:
                cached = await run_in_threadpool(_render, reply)
                BODIES.put(etag, cached)
            if len(cached) >= GZIP_FROM and "gzip" in request.headers.get("accept-encoding", "").lower():
                # compressed once per body and kept (the server's gzip middleware would redo it every time)
                packed = BODIES.get(etag + GZIP_KEY)
                if packed is None:
                    packed = await run_in_threadpool(gzip.compress, cached, 6)
                    BODIES.put(etag + GZIP_KEY, packed)
                headers.update({"Content-Encoding": "gzip", "Vary": "Accept, Accept-Language, Accept-Encoding"})
                cached = packed
            return Response(cached, status_code=reply.status, media_type=reply.media_type, headers=headers)
        except Problem as problem:
            return problem_response(request, problem)

    endpoint.params = allowed  # type: ignore[attr-defined]
    return Route(path, endpoint, methods=["GET", "HEAD", "OPTIONS"], name=name)


def _render(reply: Reply) -> bytes:
    data = reply.build()
    return data if reply.raw else dumps(data)


Endpoint = Callable[[Request], Awaitable[Response]]


def absolute(request: Request, path: str, query: dict[str, Any] | None = None) -> str:
    """An absolute URL on this server (as the client reached it) for `path` and `query`."""
    from urllib.parse import urlencode

    base = str(request.base_url).rstrip("/")
    encoded = urlencode({k: v for k, v in (query or {}).items() if v not in (None, "")}, doseq=True)
    return f"{base}{path}{'?' + encoded if encoded else ''}"


def fallback_route(prefix: str) -> Route:
    """Any other URL under `prefix` (say `/api/`): 404 as problem+json, not the Streamlit page."""

    async def endpoint(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=PREFLIGHT)
        return problem_response(request, not_found(f"nothing is served at {request.url.path[:200]}"))

    endpoint.fallback = True  # type: ignore[attr-defined]
    return Route(prefix.rstrip("/") + "/{rest:path}", endpoint, methods=["GET", "HEAD", "OPTIONS"])


def redirect_route(path: str) -> Route:
    """`path` without its trailing slash (`/ogc`) sends to `path/` (`/ogc/`), the query kept."""

    async def endpoint(request: Request) -> Response:
        query = request.url.query
        target = request.url.path + "/" + (f"?{query}" if query else "")
        return Response(status_code=308, headers={**CORS, "Location": target})

    endpoint.fallback = True  # type: ignore[attr-defined]
    return Route(path, endpoint, methods=["GET", "HEAD", "OPTIONS"])


def tcp_nodelay_everywhere() -> None:
    """Send small responses without waiting: TCP_NODELAY on every TCP connection the server accepts.

    asyncio sets TCP_NODELAY on accepted connections only when the listening socket was created
    with `proto=IPPROTO_TCP`; Streamlit binds its own with `socket.socket(family)` (proto 0), so its
    connections keep Nagle's algorithm. uvicorn writes a response's headers and body separately,
    and on a kept-alive connection the body then waits for the client's delayed ACK: about 40 ms
    on every request but the first (measured: 44 ms per request on a reused connection, 1 ms on a
    new one, for any route, Streamlit's own `/_stcore/health` included). This makes asyncio set
    the option for any TCP stream socket. Idempotent; called when the routes are built.
    """
    import asyncio.base_events as base_events
    import socket

    current = getattr(base_events, "_set_nodelay", None)  # private: a Python without it is left as it is
    if current is None or getattr(current, "atlas_nodelay", False) or not hasattr(socket, "TCP_NODELAY"):
        return

    def set_nodelay(sock: socket.socket) -> None:
        if sock.family in {socket.AF_INET, socket.AF_INET6} and sock.type == socket.SOCK_STREAM:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                current(sock)

    set_nodelay.atlas_nodelay = True  # type: ignore[attr-defined]
    base_events._set_nodelay = set_nodelay  # type: ignore[attr-defined]
