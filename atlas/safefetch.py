"""The one HTTP client of the project for URLs that come from outside (feeds, their articles, imports).

A URL found in a feed or a file may point anywhere, including at this machine or its network
(`http://127.0.0.1:8080/admin`, `http://169.254.169.254/` — a cloud's metadata service —,
`http://2130706433/`, a name whose DNS answer is `10.0.0.5`, a redirect to any of these). So:

- Only http and https, to a host whose every address is globally routable
  (`ipaddress.ip_address(...).is_global`): loopback, private, link-local, shared (CGNAT),
  multicast, reserved and unspecified addresses are refused, as are IPv6 addresses that carry
  such an IPv4 address (IPv4-mapped, 6to4, NAT64). The check is on the addresses the name
  resolves to, so decimal, octal or hexadecimal spellings (`2130706433`, `0177.0.0.1`) are
  refused like `127.0.0.1`.
- The connection goes to the address that was checked (one look-up per request; httpcore is
  given a network backend that only connects there), with the URL's host in the `Host` header
  and, for https, in the TLS server name (certificates are verified as usual).
- Redirects are followed here (at most `MAX_REDIRECTS`), each target checked again.
- One deadline for the whole request (connecting, sending, every read): each socket operation
  waits at most for the time left, so a server sending one byte a second cannot hold it longer.
- A size limit: a body past `max_bytes` is not read further (the request fails).
- No proxy, no cookies, no compression asked for.
- Exceptions, for trials and tests only: hosts named in `allow_hosts` (`HOST` or `HOST:PORT`,
  as the URL spells them) and in the environment variable `ATLAS_FETCH_ALLOW_HOSTS`
  (comma-separated, same form) skip the address check. Nothing else does.

See docs/security.md.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import threading
import time
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

import httpcore

from atlas import __version__
from atlas.config import fetch_allow_hosts

USER_AGENT = f"SocialTechAtlas/{__version__}"
TIMEOUT = 20.0  # seconds for one whole request
MAX_BYTES = 5_000_000
MAX_REDIRECTS = 5
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"
PERMANENT_STATUSES = (401, 403, 404, 410, 451)
REDIRECT_STATUSES = (301, 302, 303, 307, 308)

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int, float], list[str]]


class FetchError(Exception):
    """A request that gave nothing usable. `permanent`: asking again will not help (404, too large…)."""

    def __init__(self, url: str, reason: str, status: int | None = None, permanent: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status, self.permanent = url, reason, status, permanent


class Refused(FetchError):
    """A URL this client will not ask for (its scheme, its host's addresses): no connection was made."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, f"refused: {reason}", permanent=True)


@dataclass(frozen=True)
class Response:
    url: str  # the URL asked for (after redirects, for `SafeFetcher.get`)
    status: int
    content_type: str  # "text/html", lower case, without parameters; "" when the server gave none
    charset: str  # "" when the server did not say
    body: bytes
    location: str = ""  # a redirect's target (absolute), when the status is a redirect
    headers: tuple[tuple[str, str], ...] = ()  # the answer's headers (names as sent), for validators (ETag…)


# -- addresses ---------------------------------------------------------------------------------------


def not_global_reason(address: str) -> str | None:
    """What kind of address this is when it is not globally routable ("loopback"…); None when it is."""
    try:
        ip: Address = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    embedded: Address | None = None
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and (ip in _NAT64 or ip in _NAT64_LOCAL):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    for candidate in (embedded, ip):
        if candidate is not None and not _public(candidate):
            return _kind(candidate) if candidate is ip else f"{_kind(candidate)}, as {candidate}"
    return None


def _public(ip: Address) -> bool:
    # `is_global` alone lets multicast through (224.0.0.0/4 and ff00::/8 are in no "private" list)
    special = ip.is_multicast or ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
    return ip.is_global and not special and not ip.is_unspecified


def _kind(ip: Address) -> str:
    for name in ("unspecified", "loopback", "link_local", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    return "not globally routable"


def resolve(host: str, port: int, timeout: float) -> list[str]:
    """The addresses of `host` (a name or an IP literal in any spelling the C library accepts).

    The look-up runs in a daemon thread so that `timeout` bounds it; FetchError when it fails.
    """
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    result: list[list[str] | BaseException] = []
    done = threading.Event()

    def look_up() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
            result.append(list(dict.fromkeys(str(info[4][0]) for info in infos)))
        except BaseException as exc:
            result.append(exc)
        finally:
            done.set()

    threading.Thread(target=look_up, name=f"resolve {host}", daemon=True).start()
    if not done.wait(max(0.0, timeout)):
        raise FetchError(host, f"the name {host} did not resolve within {timeout:g} s")
    (answer,) = result
    if isinstance(answer, BaseException):
        raise FetchError(host, f"cannot resolve {host} ({answer})")
    if not answer:
        raise FetchError(host, f"{host} has no address")
    return answer


# -- the allow-list ------------------------------------------------------------------------------


def parse_allowed_host(text: str) -> tuple[str, int | None]:
    """`HOST` or `HOST:PORT` (`[::1]:8080` for IPv6) as (lower-case host, port or None); ValueError."""
    text = text.strip().lower()
    port: int | None = None
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError(f"{text!r} is not HOST or HOST:PORT")
        port_text = rest[1:] if rest else ""
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host, port_text = text, ""
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"{text!r}: the port must be a number from 1 to 65535")
        port = int(port_text)
    if not host or any(c in host for c in "/@?# "):
        raise ValueError(f"{text!r} is not HOST or HOST:PORT")
    return host, port


class AllowList:
    """Hosts exempt from the address check, as the URL names them (`127.0.0.1:8080` does not exempt
    `localhost:8080` nor `2130706433:8080`). An entry without a port exempts every port."""

    def __init__(self, entries: Iterable[str] = ()) -> None:
        self.entries: frozenset[tuple[str, int | None]] = frozenset(parse_allowed_host(e) for e in entries if e.strip())

    def __bool__(self) -> bool:
        return bool(self.entries)

    def allows(self, host: str, port: int) -> bool:
        host = host.lower().strip("[]")
        return (host, None) in self.entries or (host, port) in self.entries


# -- the network backend: connect only to the vetted addresses, within the deadline -------------------


def _left(deadline: float, what: type[Exception] = httpcore.ReadTimeout) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise what("the deadline has passed")
    return left


def _cap(timeout: float | None, deadline: float, what: type[Exception]) -> float:
    left = _left(deadline, what)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits at most until the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner, self._deadline = inner, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _cap(timeout, self._deadline, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _cap(timeout, self._deadline, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _cap(timeout, self._deadline, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects `host` to the addresses checked for it, and to nothing else."""

    def __init__(self, host: str, addresses: Sequence[str], deadline: float) -> None:
        self._host, self._addresses, self._deadline = host, addresses, deadline
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        if host.strip("[]").lower() != self._host:
            raise httpcore.ConnectError(f"asked to connect to {host}, not to the checked {self._host}")
        failure: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in self._addresses:
            try:
                stream = self._inner.connect_tcp(
                    address, port, _cap(timeout, self._deadline, httpcore.ConnectTimeout), None, socket_options
                )
            except httpcore.ConnectError as exc:
                failure = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used")


# -- the client ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A URL that passed the checks: where to connect, and what to say."""

    url: str
    scheme: str
    host: str  # lower case, IDNA (ASCII)
    port: int
    path: str  # path and query
    addresses: tuple[str, ...]  # what the host resolved to, all checked (or allowed)
    allowed: bool  # exempted by the allow-list

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def is_http(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class SafeFetcher:
    """GET requests as described in the module docstring; `resolver` and `ssl_context` are for the tests."""

    def __init__(
        self,
        *,
        allow_hosts: Iterable[str] = (),
        timeout: float = TIMEOUT,
        max_bytes: int = MAX_BYTES,
        user_agent: str = USER_AGENT,
        max_redirects: int = MAX_REDIRECTS,
        resolver: Resolver = resolve,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.allow = AllowList([*allow_hosts, *fetch_allow_hosts()])
        self.timeout, self.max_bytes, self.user_agent = timeout, max_bytes, user_agent
        self.max_redirects, self.resolver = max_redirects, resolver
        self._ssl = ssl_context or httpcore.default_ssl_context()  # certificates verified (certifi's roots)

    def check(self, url: str, deadline: float | None = None) -> Target:
        """Where `url` would be fetched from: Refused (no connection made) when it may not be;
        FetchError when its host does not resolve. Makes no connection to the host."""
        try:
            parts = urlsplit(url)
            port = parts.port
            host = parts.hostname or ""
        except ValueError as exc:
            raise Refused(url, f"not a valid URL ({exc})") from None
        if parts.scheme not in ("http", "https") or not host:
            raise Refused(url, "not an http(s) URL")
        try:
            ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
        except UnicodeError:
            raise Refused(url, f"{host!r} is not a valid host name") from None
        if not re.fullmatch(r"[a-z0-9._:-]+", ascii_host):
            raise Refused(url, f"{host!r} is not a valid host name")
        port = port or (443 if parts.scheme == "https" else 80)
        allowed = self.allow.allows(ascii_host, port)
        left = self.timeout if deadline is None else max(0.0, deadline - time.monotonic())
        addresses = self.resolver(ascii_host, port, left)
        if not allowed:
            for address in addresses:
                kind = not_global_reason(address)
                if kind is not None:
                    where = address if ascii_host == address else f"{ascii_host} resolves to {address}"
                    raise Refused(url, f"{where}, not a public address ({kind})")
        path = parts.path or "/"
        if parts.query:
            path += f"?{parts.query}"
        return Target(url, parts.scheme, ascii_host, port, path, tuple(addresses), allowed)

    def request(
        self,
        url: str,
        *,
        deadline: float | None = None,
        max_bytes: int | None = None,
        headers: Sequence[tuple[str, str]] = (),
    ) -> Response:
        """One GET, no redirect followed (a 3xx gives a Response with `location`); FetchError otherwise."""
        deadline = time.monotonic() + self.timeout if deadline is None else deadline
        limit = self.max_bytes if max_bytes is None else max_bytes
        target = self.check(url, deadline)
        sent = [
            ("Host", target.host_header),
            ("User-Agent", self.user_agent),
            ("Accept", ACCEPT),
            ("Accept-Encoding", "identity"),
            ("Connection", "close"),
            *headers,
        ]
        core_url = httpcore.URL(
            scheme=target.scheme.encode(), host=target.host.encode(), port=target.port, target=target.path.encode()
        )
        backend = _PinnedBackend(target.host, target.addresses, deadline)
        waited = max(0.0, deadline - time.monotonic())
        timeouts = {"connect": waited, "read": waited, "write": waited, "pool": waited}
        status = 0
        try:
            with (
                httpcore.ConnectionPool(ssl_context=self._ssl, network_backend=backend, max_connections=1) as pool,
                pool.stream(
                    "GET",
                    core_url,
                    headers=[(k.encode(), v.encode()) for k, v in sent],
                    extensions={"timeout": timeouts},
                ) as answer,
            ):
                message = Message()
                for name, value in answer.headers:
                    message[name.decode("latin-1")] = value.decode("latin-1")
                status = answer.status
                reason = bytes(answer.extensions.get("reason_phrase", b"")).decode("latin-1", "replace")
                if status in REDIRECT_STATUSES and message.get("Location"):
                    return Response(url, status, "", "", b"", urljoin(url, str(message["Location"]).strip()))
                if status >= 300:
                    raise FetchError(url, f"HTTP {status} {reason}".strip(), status, status in PERMANENT_STATUSES)
                declared = str(message.get("Content-Length") or "").strip()
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(url, f"larger than {limit:,} bytes ({int(declared):,})", status, True)
                chunks: list[bytes] = []
                size = 0
                for chunk in answer.iter_stream():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(url, f"larger than {limit:,} bytes", status, True)
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise httpcore.ReadTimeout("the deadline has passed")
        except httpcore.TimeoutException:
            if status:
                raise FetchError(url, f"the answer took longer than {self.timeout:g} s") from None
            raise FetchError(url, f"no answer within {self.timeout:g} s") from None
        except httpcore.ConnectError as exc:
            raise FetchError(url, f"cannot connect ({exc or 'refused'})") from None
        except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
            raise FetchError(url, f"{exc.__class__.__name__}: {exc}") from None
        except (OSError, ValueError) as exc:
            raise FetchError(url, f"{exc.__class__.__name__}: {exc}") from None
        content_type = message.get_content_type().lower() if message.get("Content-Type") else ""
        body = b"".join(chunks)
        return Response(
            url, status, content_type, message.get_content_charset() or "", body, "", tuple(message.items())
        )

    def get(self, url: str, *, max_bytes: int | None = None) -> Response:
        """The page at `url`, redirects followed (each hop checked), all within one deadline."""
        deadline = time.monotonic() + self.timeout
        for _ in range(self.max_redirects + 1):
            response = self.request(url, deadline=deadline, max_bytes=max_bytes)
            if not response.location:
                return response
            url = response.location
        raise FetchError(url, f"more than {self.max_redirects} redirects", permanent=True)
