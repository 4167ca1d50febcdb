"""A client of Streamlit's own websocket protocol, speaking it as the browser does.

One `StreamlitClient` is one browser tab: it opens `/_stcore/stream`, asks for script runs
with the widget states the browser would send (protobuf `BackMsg`), reads what comes back
(`ForwardMsg`: session, deltas, script finished), keeps track of the widgets it was asked to
follow (by their `key=`), and downloads files the way a download button does. It knows nothing
of the atlas: what to click and what to check is the scenario's business (`scenario.py`).

Each client keeps its own cookies, as a browser would (a load balancer's sticky session may
live in a cookie): set by the page's HTTP responses or the websocket handshake, sent with every
HTTP request and with the handshake.

It only talks to a loopback address: the target (`http://127.0.0.1:PORT`, optionally with a
path prefix such as `/atlas` when the app runs behind a proxy with `server.baseUrlPath`) is
refused otherwise.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import email.message
import http.client
import http.cookiejar
import ipaddress
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

# Element types followed as widgets; their values are sent back as the browser sends them.
WIDGET_TYPES = ("multiselect", "radio", "button_group", "text_input", "checkbox", "download_button", "button")


class ProtocolError(Exception):
    """Something the browser would show as broken (or never get); `kind` says what went wrong."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def loopback_host(host: str) -> str:
    """`host` as an IP literal if it is a loopback address (or "localhost"); raises ValueError otherwise."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"{host!r} is not an IP address; only loopback addresses are allowed") from None
    if not address.is_loopback:
        raise ValueError(f"{host} is not a loopback address; this load generator only targets this machine")
    return str(address)


def target_url(url: str) -> str:
    """`url` (http://HOST[:PORT][/prefix]) normalised, without a trailing slash; raises ValueError
    unless HOST is a loopback address and the URL has nothing but a scheme, host, port and path."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{url!r}: the URL must start with http:// or https://")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{url!r}: only a scheme, a host, a port and a path are allowed")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{url!r}: {exc}") from None
    host = loopback_host(parts.hostname or "")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


@dataclass
class Widget:
    """A widget as the page last drew it, and the value this tab will send for it."""

    id: str
    kind: str  # one of WIDGET_TYPES
    options: list[str] = field(default_factory=list)
    value: Any = None  # None: send nothing (a button: not clicked)
    disabled: bool = False
    deferred_file_id: str = ""  # a download built on click
    url: str = ""  # a download sent with the page


@dataclass
class Run:
    """One script run as this tab saw it."""

    seconds: float  # rerun sent (for connect(): page requested) → script finished
    bytes: int  # size of the messages received
    markdown: list[str]  # bodies of the markdown elements drawn, in order


@dataclass
class Download:
    seconds: float  # request → file received
    url: str
    disposition: str  # Content-Disposition (the file name)
    body: bytes


class StreamlitClient:
    """One browser tab on the app at `url`, following the widgets whose keys are in `keys`.

    `connect()` loads the page (its HTTP GET, for the cookies), opens a session and waits for
    the first run; then set `widgets[key].value` (or `click(key)`) and `rerun()`;
    `download(key)` fetches a download button's file. A failure raises `ProtocolError`;
    `close()` ends the session (`connect()` starts a new one, as a reload would, with the same
    cookies).
    """

    def __init__(
        self,
        url: str,
        keys: Iterable[str],
        timeout: float = 60.0,
        executor: concurrent.futures.Executor | None = None,
    ) -> None:
        self.url = target_url(url)
        parts = urllib.parse.urlsplit(self.url)
        self.stream_url = urllib.parse.urlunsplit(
            ("wss" if parts.scheme == "https" else "ws", parts.netloc, parts.path + "/_stcore/stream", "", "")
        )
        self.keys = tuple(keys)
        self.timeout = timeout
        self.executor = executor  # for the blocking HTTP requests; None: the event loop's default
        self.cookies = http.cookiejar.CookieJar()  # this tab's, kept across sessions as a reload keeps them
        # Straight to the target (a loopback address), never through a proxy from the environment.
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.cookies)
        )
        self.ws: ClientConnection | None = None
        self.connections = 0  # sessions opened so far
        self._reset()

    def _reset(self) -> None:
        self.session_id = ""
        self.page_hash = ""
        self.page_name = ""  # the page asked for by its URL path (st.navigation), until the server names it
        self.query_string = ""
        self.widgets: dict[str, Widget] = {}
        self._markdown: list[str] = []
        self._errors: list[str] = []
        self._bytes = 0

    # messages from the server

    def _handle(self, raw: bytes) -> ForwardMsg:
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        self._bytes += len(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self.page_hash = msg.new_session.page_script_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element)
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "session_event":
            event = msg.session_event.WhichOneof("type")
            if event in ("script_compilation_exception", "script_changed_on_disk"):
                self._errors.append(f"session event {event}")
        return msg

    def _element(self, element: Any) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self._errors.append(f"{element.exception.type}: {element.exception.message}")
            return
        if kind == "markdown":
            self._markdown.append(element.markdown.body)
            return
        if kind not in WIDGET_TYPES:
            return
        proto = getattr(element, kind)
        key = next((k for k in self.keys if proto.id.endswith("-" + k)), None)
        if key is None:
            return
        old = self.widgets.get(key)
        widget = Widget(proto.id, kind, value=old.value if old else None)
        if kind in ("multiselect", "radio"):
            widget.options = list(proto.options)
        elif kind == "button_group":
            widget.options = [o.content for o in proto.options]
        elif kind == "download_button":
            widget.deferred_file_id = proto.deferred_file_id
            widget.url = proto.url
        elif kind == "button":
            widget.disabled = proto.disabled
        if getattr(proto, "set_value", False) or old is None:  # the value the page now shows
            if kind in ("multiselect", "button_group"):
                widget.value = (
                    list(proto.raw_values)
                    if proto.set_value
                    else [widget.options[i] for i in proto.default if i < len(widget.options)]
                )
            elif kind == "radio":
                widget.value = (
                    proto.raw_value
                    if proto.set_value
                    else (widget.options[proto.default] if proto.default < len(widget.options) else None)
                )
            elif kind == "text_input" or kind == "checkbox":
                widget.value = proto.value if proto.set_value else proto.default
        self.widgets[key] = widget

    def _socket(self) -> ClientConnection:
        if self.ws is None:
            raise ProtocolError("connection", "not connected")
        return self.ws

    async def _recv(self, until: float) -> ForwardMsg:
        left = until - time.monotonic()
        if left <= 0:
            raise ProtocolError("timeout", f"no answer within {self.timeout:g} s")
        try:
            raw = await asyncio.wait_for(self._socket().recv(), left)
        except TimeoutError:
            raise ProtocolError("timeout", f"no answer within {self.timeout:g} s") from None
        except ProtocolError:
            raise
        except Exception as exc:  # the connection closed
            raise ProtocolError("connection", f"{type(exc).__name__}: {exc}") from None
        if isinstance(raw, str):
            raise ProtocolError("protocol", "text frame from the server")
        return self._handle(raw)

    # messages to the server

    def _widget_states(self) -> WidgetStates:
        states = WidgetStates()
        for widget in self.widgets.values():
            if widget.value is None or widget.kind == "download_button":
                continue
            state = states.widgets.add()
            state.id = widget.id
            if widget.kind == "button":  # a click: sent once, as the browser's trigger
                state.trigger_value = True
                widget.value = None
            elif widget.kind in ("multiselect", "button_group"):
                state.string_array_value.data.extend(widget.value)
            elif widget.kind in ("radio", "text_input"):
                state.string_value = widget.value
            elif widget.kind == "checkbox":
                state.bool_value = bool(widget.value)
        return states

    def click(self, key: str) -> bool:
        """Click the button `key` on the next rerun, if the page shows it enabled."""
        widget = self.widgets.get(key)
        if widget is None or widget.kind != "button" or widget.disabled:
            return False
        widget.value = True
        return True

    async def rerun(self) -> Run:
        """Send a rerun with the current widget states and wait until the script has finished."""
        back = BackMsg()
        back.rerun_script.query_string = self.query_string
        back.rerun_script.page_script_hash = self.page_hash
        if not self.page_hash:
            back.rerun_script.page_name = self.page_name
        back.rerun_script.widget_states.CopyFrom(self._widget_states())
        self._errors, self._bytes, self._markdown = [], 0, []
        start = time.monotonic()
        await self._socket().send(back.SerializeToString())
        until = start + self.timeout
        while True:
            msg = await self._recv(until)
            if msg.WhichOneof("type") != "script_finished":
                continue
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # the script asked for a rerun (st.rerun): the page is not done yet
            elapsed = time.monotonic() - start
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise ProtocolError("script", "the script did not compile")
            if self._errors:
                raise ProtocolError("exception", "; ".join(self._errors))
            return Run(elapsed, self._bytes, self._markdown)

    # files

    async def get(self, url: str, timeout: float | None = None) -> tuple[int, str, bytes]:
        """HTTP GET of `url` (relative to the app's address) → (status, Content-Disposition, body)."""
        absolute = urllib.parse.urljoin(self.url + "/", url.lstrip("/"))
        if urllib.parse.urlsplit(absolute).netloc != urllib.parse.urlsplit(self.url).netloc:
            raise ProtocolError("download", f"the URL leaves the server: {absolute}")
        loop = asyncio.get_running_loop()
        wait = max(self.timeout if timeout is None else timeout, 1.0)
        return await loop.run_in_executor(self.executor, self._get, absolute, wait)

    def _get(self, url: str, timeout: float) -> tuple[int, str, bytes]:
        try:
            with self._opener.open(url, timeout=timeout) as response:
                return response.status, response.headers.get("Content-Disposition", ""), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, "", b""
        except OSError as exc:
            raise ProtocolError("download", f"GET failed: {exc}") from None

    # cookies on the websocket handshake (urllib's cookie processor does the HTTP requests)

    def set_cookie(self, name: str, value: str) -> None:
        """Hold the cookie `name` for the app's host, as a browser that received it would."""
        host = urllib.parse.urlsplit(self.url).hostname or ""
        self.cookies.set_cookie(
            http.cookiejar.Cookie(
                0, name, value, None, False, host, False, False, "/", True, False, None, False, None, None, {}
            )
        )

    def _cookie_value(self, name: str) -> str:
        return next((c.value or "" for c in self.cookies if c.name == name), "")

    def _cookie_header(self) -> str | None:
        request = urllib.request.Request(self.url + "/_stcore/stream")
        self.cookies.add_cookie_header(request)
        return request.get_header("Cookie")

    def _keep_cookies(self, set_cookie: list[str]) -> None:
        if set_cookie:
            headers = email.message.Message()
            for value in set_cookie:
                headers["Set-Cookie"] = value
            response = cast(http.client.HTTPResponse, _Handshake(headers))  # CookieJar only calls .info()
            self.cookies.extract_cookies(response, urllib.request.Request(self.url + "/_stcore/stream"))

    async def download(self, key: str) -> Download:
        """The download button `key`: a GET of the file sent with the page, or (a file built on
        click) a `backend_operation_request` for its deferred file, then a GET of the URL the
        server answers with."""
        widget = self.widgets.get(key)
        if widget is None or widget.kind != "download_button":
            raise ProtocolError("page", f"the page shows no download button {key!r}")
        start = time.monotonic()
        url = widget.url
        if not url:
            back = BackMsg()
            request = back.backend_operation_request
            request.request_id = uuid.uuid4().hex
            request.session_id = self.session_id
            request.deferred_file.file_id = widget.deferred_file_id
            await self._socket().send(back.SerializeToString())
            until = start + self.timeout
            while True:
                msg = await self._recv(until)
                if (
                    msg.WhichOneof("type") == "backend_operation_response"
                    and msg.backend_operation_response.request_id == request.request_id
                ):
                    break
            answer = msg.backend_operation_response
            if answer.error_msg:
                raise ProtocolError("download", f"deferred file refused: {answer.error_msg}")
            url = answer.deferred_file.url
        status, disposition, body = await self.get(url, start + self.timeout - time.monotonic())
        elapsed = time.monotonic() - start
        if status != 200:
            raise ProtocolError("download", f"HTTP {status} for {url}")
        return Download(elapsed, url, disposition, body)

    # the session

    async def load_page(self) -> None:
        """The page's HTTP GET, as the browser's first request (a load balancer may set its cookie)."""
        try:
            status, _, _ = await self.get("/")
        except ProtocolError as exc:
            raise ProtocolError("connection", f"cannot load the page: {exc}") from None
        if status != 200:
            raise ProtocolError("page", f"HTTP {status} for the page {self.url}/")

    async def open_socket(self) -> None:
        """Open the websocket, sending this tab's cookies and keeping those the handshake sets."""
        await self.close()
        cookie = self._cookie_header()
        # As the browser does: the XSRF cookie's value as a second subprotocol, and the page's origin
        # (Streamlit reads the sign-in cookie only from a handshake that has both).
        xsrf = self._cookie_value("_streamlit_xsrf")
        parts = urllib.parse.urlsplit(self.url)
        try:
            self.ws = await connect(
                self.stream_url,
                additional_headers={"Cookie": cookie} if cookie else None,
                origin=Origin(f"{parts.scheme}://{parts.netloc}"),
                subprotocols=[Subprotocol("streamlit"), *([Subprotocol(xsrf)] if xsrf else [])],
                max_size=None,
                ping_interval=None,
                compression=None,
                open_timeout=self.timeout,
                proxy=None,
            )
        except Exception as exc:
            raise ProtocolError("connection", f"cannot connect: {type(exc).__name__}: {exc}") from None
        self.connections += 1
        if self.ws.response is not None:
            self._keep_cookies(self.ws.response.headers.get_all("Set-Cookie"))

    async def connect(self, query: Mapping[str, str] | None = None, page: str = "") -> Run:
        """Open a new session on the page with this query string (`page`: a page's URL path, "" for
        the default page); returns its first run, timed from the page's request (page, websocket,
        first run)."""
        await self.close()
        self._reset()
        self.query_string = urllib.parse.urlencode(query or {}, safe=",")
        self.page_name = page
        start = time.monotonic()
        await self.load_page()
        await self.open_socket()
        run = await self.rerun()
        run.seconds = time.monotonic() - start
        return run

    @property
    def connected(self) -> bool:
        return self.ws is not None

    async def close(self) -> None:
        if self.ws is not None:
            ws, self.ws = self.ws, None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 5)


class _Handshake:
    """The websocket handshake's response as CookieJar.extract_cookies sees a response."""

    def __init__(self, headers: email.message.Message) -> None:
        self._headers = headers

    def info(self) -> email.message.Message:
        return self._headers
