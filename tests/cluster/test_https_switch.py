"""The deployment's HTTPS switch (issue 21, item 9): ATLAS_HSTS empty (the default) sends no
Strict-Transport-Security and leaves the app's cookies as they are; set, nginx sends the header and
marks every cookie of the app Secure. Through nginx from Debian's package, in front of an app
answering as the atlas's middleware does (a page with the visitor cookie)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from atlas.web.proxy import VISITOR_COOKIE, VisitorMiddleware
from bench.cluster import Balancer, render
from tests.cluster.conftest import require
from tests.cluster.test_proxy_headers import echo, serve

HSTS = "max-age=31536000; includeSubDomains"


@pytest.fixture()
def nginx_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="atlas-nginx-https-") as folder:
        Path(folder).chmod(0o711)
        yield Path(folder)


def test_the_template_has_the_switch_off_by_default() -> None:
    conf = render({"ATLAS_LISTEN": "8080", "ATLAS_STATIC_ROOT": "/srv", "ATLAS_REPLICAS": "127.0.0.1:1"})
    assert 'add_header Strict-Transport-Security "" always;' in conf  # nginx sends no empty header
    on = render(
        {"ATLAS_LISTEN": "8080", "ATLAS_STATIC_ROOT": "/srv", "ATLAS_REPLICAS": "127.0.0.1:1", "ATLAS_HSTS": HSTS}
    )
    assert f'add_header Strict-Transport-Security "{HSTS}" always;' in on


@pytest.mark.parametrize("hsts", ["", HSTS])
def test_hsts_and_secure_cookies_follow_the_switch(hsts: str, nginx_folder: Path) -> None:
    require("nginx")
    with serve(VisitorMiddleware(echo, trusted=1)) as url:
        balancer = Balancer(url.removeprefix("http://"), nginx_folder / "nginx", settings={"ATLAS_HSTS": hsts})
        balancer.start()
        try:
            response = httpx.get(balancer.url + "/")
        finally:
            balancer.stop()
    assert response.status_code == 200
    cookies = response.headers.get_list("set-cookie")
    visitor = next(c for c in cookies if c.startswith(VISITOR_COOKIE + "="))
    if hsts:
        assert response.headers["strict-transport-security"] == HSTS
        assert "secure" in visitor.lower().replace(" ", "").split(";")
    else:
        assert "strict-transport-security" not in response.headers
        assert "secure" not in visitor.lower().replace(" ", "").split(";")
