"""A polite HTTP client for reading a blog: what `atlas articles fetch` asks a web server, and how.

- One request at a time (the client is not shared between threads), a pause between two
  requests to the same host (`delay`, or the site's `Crawl-delay` when longer, at most a minute).
- A timeout on connecting and on every read, and a deadline for the whole response; a size
  limit (a larger page is refused, not cut).
- A clear user agent naming the project.
- `robots.txt` respected, read through this same client and kept for the run: a page it
  disallows is not asked for. No `robots.txt` (4xx) allows everything; 401/403 disallow
  everything, as `urllib.robotparser` does; a server error or no answer means "try again later".
- Redirects are followed by hand (at most five), each target checked against its own
  host's `robots.txt`; only http(s) is ever fetched.
- No compression is asked for; no cookies are kept; environment proxies are never used for
  loopback addresses (the tests' servers).
"""

from __future__ import annotations

import ipaddress
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from atlas import __version__

AGENT_NAME = "SocialTechAtlas"
USER_AGENT = f"{AGENT_NAME}/{__version__} (articles feed reader of the Social Tech Atlas; polite, robots.txt honoured)"
TIMEOUT = 20.0
MAX_BYTES = 5_000_000
DELAY = 1.0
MAX_CRAWL_DELAY = 60.0
MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class FetchError(Exception):
    """A request that gave nothing usable. `permanent`: asking again will not help (404, too large…)."""

    def __init__(self, url: str, reason: str, status: int | None = None, permanent: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status, self.permanent = url, reason, status, permanent


class Disallowed(FetchError):
    """`robots.txt` asks robots not to fetch this URL."""

    def __init__(self, url: str) -> None:
        super().__init__(url, "robots.txt disallows it", permanent=True)


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    content_type: str  # "text/html", lower case, without parameters
    charset: str  # "" when the server did not say
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 3xx comes back as an HTTPError; `PoliteClient` follows it itself


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_http(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class PoliteClient:
    """GET requests as described above; `clock` and `sleep` are for the tests."""

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        timeout: float = TIMEOUT,
        max_bytes: int = MAX_BYTES,
        delay: float = DELAY,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent, self.timeout, self.max_bytes, self.delay = user_agent, timeout, max_bytes, delay
        self.clock, self.sleep = clock, sleep
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchError] = {}
        self._last: dict[str, float] = {}  # host -> when its last request ended
        self._host_delay: dict[str, float] = {}  # host -> its robots.txt Crawl-delay
        self.requests = 0  # requests sent (robots.txt included), for the report and the tests
        handlers = [_NoRedirect(), urllib.request.HTTPCookieProcessor(None)]
        self._proxied = urllib.request.build_opener(*handlers)
        self._direct = urllib.request.build_opener(urllib.request.ProxyHandler({}), *handlers)

    # -- public -----------------------------------------------------------------------------------

    def get(self, url: str) -> Response:
        """The page at `url` (redirects followed); FetchError (or Disallowed) when there is none."""
        for _ in range(MAX_REDIRECTS + 1):
            if not is_http(url):
                raise FetchError(url, "not an http(s) URL", permanent=True)
            if not self.allowed(url):
                raise Disallowed(url)
            response, location = self._request(url)
            if location is None:
                assert response is not None
                return response
            url = urljoin(url, location)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects", permanent=True)

    def allowed(self, url: str) -> bool:
        """Whether `robots.txt` lets this client fetch `url` (read once per host and run)."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(site)
        if rules is None:
            rules = self._read_robots(site)
            self._robots[site] = rules
        if isinstance(rules, FetchError):
            raise FetchError(url, f"robots.txt could not be read ({rules.reason}); will try again next run")
        return rules.can_fetch(AGENT_NAME, url)

    # -- inside -----------------------------------------------------------------------------------

    def _read_robots(self, site: str) -> urllib.robotparser.RobotFileParser | FetchError:
        rules = urllib.robotparser.RobotFileParser(f"{site}/robots.txt")
        try:
            response, location = self._request(f"{site}/robots.txt")
            hops = 0
            while location is not None and hops < MAX_REDIRECTS:  # robots.txt may redirect (http -> https)
                target = urljoin(f"{site}/robots.txt", location)
                if not is_http(target):
                    break
                response, location = self._request(target)
                hops += 1
        except FetchError as exc:
            if exc.status is None or exc.status >= 500 or exc.status == 429:
                return exc
            if exc.status in (401, 403):
                rules.parse(["User-agent: *", "Disallow: /"])
            else:  # 404 and other client errors: no rules
                rules.parse([])
            return rules
        if response is None:
            rules.parse([])
            return rules
        rules.parse(response.body.decode(response.charset or "utf-8", errors="replace").splitlines())
        delay = rules.crawl_delay(AGENT_NAME)
        if delay is not None:
            self._host_delay[urlsplit(site).netloc] = min(float(delay), MAX_CRAWL_DELAY)
        return rules

    def _wait_turn(self, host: str) -> None:
        pause = max(self.delay, self._host_delay.get(host, 0.0))
        last = self._last.get(host)
        if last is not None:
            wait = last + pause - self.clock()
            if wait > 0:
                self.sleep(wait)

    def _request(self, url: str) -> tuple[Response | None, str | None]:
        """One GET: (response, None), or (None, redirect location); FetchError otherwise."""
        parts = urlsplit(url)
        host = parts.netloc
        self._wait_turn(host)
        request = urllib.request.Request(
            url,
            headers={
                "User-Agent": self.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5",
                "Accept-Encoding": "identity",
            },
        )
        opener = self._direct if _is_loopback(parts.hostname or "") else self._proxied
        started = self.clock()
        self.requests += 1
        try:
            with opener.open(request, timeout=self.timeout) as handle:
                headers: Message = handle.headers
                body = self._read(url, handle, started)
                status = handle.status
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303, 307, 308) and exc.headers.get("Location"):
                return None, str(exc.headers["Location"])
            permanent = exc.code in (404, 410, 401, 403, 451)
            raise FetchError(url, f"HTTP {exc.code} {exc.reason}", exc.code, permanent) from None
        except TimeoutError:
            raise FetchError(url, f"no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise FetchError(url, f"no answer within {self.timeout:g} s") from None
            raise FetchError(url, f"cannot connect ({reason})") from None
        except (OSError, ValueError) as exc:  # connection reset, bad status line, bad URL
            raise FetchError(url, f"{exc.__class__.__name__}: {exc}") from None
        finally:
            self._last[host] = self.clock()
        content_type = headers.get_content_type().lower() if headers.get("Content-Type") else ""
        return Response(url, status, content_type, headers.get_content_charset() or "", body), None

    def _read(self, url: str, handle: object, started: float) -> bytes:
        declared = getattr(handle, "headers", {}).get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, f"larger than {self.max_bytes:,} bytes ({int(declared):,})", permanent=True)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = handle.read(CHUNK)  # type: ignore[attr-defined]
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(url, f"larger than {self.max_bytes:,} bytes", permanent=True)
            if self.clock() - started > self.timeout * 2:
                raise FetchError(url, f"the answer took longer than {self.timeout * 2:g} s")
            chunks.append(chunk)
        return b"".join(chunks)
