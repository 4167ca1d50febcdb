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
- Every request goes through `atlas.safefetch.SafeFetcher`: a URL whose host is not a public
  address (loopback, private, link-local…, on the first request and on every redirect) is
  refused before any connection (`Refused`), unless its host is on the allow-list given for a
  trial or a test; the deadline covers the whole request, every read included.
- No compression is asked for; no cookies are kept; no proxy is used.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urljoin, urlsplit

from atlas import __version__
from atlas.safefetch import FetchError, Refused, Response, SafeFetcher, is_http

__all__ = ["USER_AGENT", "Disallowed", "FetchError", "PoliteClient", "Refused", "Response", "is_http"]

AGENT_NAME = "SocialTechAtlas"
USER_AGENT = f"{AGENT_NAME}/{__version__} (articles feed reader of the Social Tech Atlas; polite, robots.txt honoured)"
TIMEOUT = 20.0
MAX_BYTES = 5_000_000
DELAY = 1.0
MAX_CRAWL_DELAY = 60.0
MAX_REDIRECTS = 5


class Disallowed(FetchError):
    """`robots.txt` asks robots not to fetch this URL."""

    def __init__(self, url: str) -> None:
        super().__init__(url, "robots.txt disallows it", permanent=True)


class PoliteClient:
    """GET requests as described above; `clock` and `sleep` are for the tests.

    `timeout` is the deadline of each request (each redirect hop is one), `allow_hosts` the hosts
    exempt from the public-address check (`HOST` or `HOST:PORT`; see `atlas.safefetch`)."""

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        timeout: float = TIMEOUT,
        max_bytes: int = MAX_BYTES,
        delay: float = DELAY,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        allow_hosts: Iterable[str] = (),
    ) -> None:
        self.user_agent, self.timeout, self.max_bytes, self.delay = user_agent, timeout, max_bytes, delay
        self.clock, self.sleep = clock, sleep
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchError] = {}
        self._last: dict[str, float] = {}  # host -> when its last request ended
        self._host_delay: dict[str, float] = {}  # host -> its robots.txt Crawl-delay
        self.requests = 0  # requests sent (robots.txt included), for the report and the tests
        self.fetcher = SafeFetcher(allow_hosts=allow_hosts, timeout=timeout, max_bytes=max_bytes, user_agent=user_agent)

    # -- public -----------------------------------------------------------------------------------

    def check(self, url: str) -> None:
        """Refused when `url` may not be fetched (see `atlas.safefetch`); connects to nothing."""
        self.fetcher.check(url)

    def get(self, url: str, headers: Sequence[tuple[str, str]] = ()) -> Response:
        """The page at `url` (redirects followed); FetchError (or Disallowed, Refused) when there is none.
        `headers` are added to every hop's request (a conditional GET's validators)."""
        for _ in range(MAX_REDIRECTS + 1):
            if not is_http(url):
                raise FetchError(url, "not an http(s) URL", permanent=True)
            self.check(url)  # before robots.txt: nothing at all is asked of a refused host
            if not self.allowed(url):
                raise Disallowed(url)
            response, location = self._request(url, headers)
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

    def _request(self, url: str, headers: Sequence[tuple[str, str]] = ()) -> tuple[Response | None, str | None]:
        """One GET: (response, None), or (None, redirect location); FetchError otherwise."""
        host = urlsplit(url).netloc
        self._wait_turn(host)
        try:
            self.requests += 1
            response = self.fetcher.request(url, headers=headers)
        finally:
            self._last[host] = self.clock()
        if response.location:
            return None, response.location
        return response, None
