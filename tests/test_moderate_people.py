"""The Moderate page's details people tripped on (issue 25, items 4 and 8), through AppTest: one
name signed in or out, the audit log wraps its text instead of cutting the moderator and reason off,
and a page opened at another address than `[auth] redirect_uri` says where to sign in."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from atlas.i18n import t
from tests.store.records import new_org
from tests.test_moderate import AUTH, _page, page, store  # noqa: F401 (the store fixture)

LONG_REASON = "Out of scope: " + "this organisation sells software to banks and is not a social-tech project " * 2


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_page_has_one_name_signed_in_or_out(store, lang: str) -> None:  # noqa: F811
    signed_out = page(email=None, lang=lang)
    signed_in = page(lang=lang)
    assert signed_out.title[0].value == signed_in.title[0].value == t("page_moderate", lang)


def test_the_audit_log_wraps_the_moderator_and_the_reason(store) -> None:  # noqa: F811
    done = store.submit("organisation", new_org())
    store.reject(done.revision_id, 1, "a.moderator.with.a.long.address@example.org", LONG_REASON)
    at = page()
    at.session_state["mod_tabs"] = "Audit log"
    at.run()
    table = at.dataframe[0]
    assert table.value.iloc[0]["Reason"] == LONG_REASON.strip()
    # Streamlit wraps a table's text only when its rows are taller than 4rem (64 px)
    assert table.proto.row_height > 64
    widths = {name: spec.get("width") for name, spec in json.loads(table.proto.columns).items()}
    assert widths["Reason"] == widths["Fields"] == "large"
    assert widths["Decided by"] == widths["By"] == "medium"
    assert widths["When"] == widths["Change"] == widths["Status"] == "small"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_another_address_than_the_configured_one_is_said_before_sign_in(store, monkeypatch, lang: str) -> None:  # noqa: F811
    from atlas.ui import auth

    monkeypatch.setattr(auth, "page_origin", lambda: "http://127.0.0.1:8501")
    at = page(email=None, lang=lang)
    assert t("moderate_host_mismatch", lang) in [w.value for w in at.warning]
    shown = [x.value for x in at.text]
    assert t("moderate_address_configured", lang, address="http://localhost:8501") in shown
    assert t("moderate_address_here", lang, address="http://127.0.0.1:8501") in shown
    assert not [b for b in at.button if b.key == "mod_login"]  # no button that would end signed out
    monkeypatch.setattr(auth, "page_origin", lambda: auth._origin("http://LOCALHOST:8501/moderate"))  # same place
    at = page(email=None, lang=lang)
    assert not at.warning and [b for b in at.button if b.key == "mod_login"]


def test_the_configured_address_is_read_as_streamlit_reads_it(monkeypatch) -> None:
    from atlas.ui import auth

    assert auth._origin("http://localhost:8501/oauth2callback") == "http://localhost:8501"
    assert auth._origin("https://Atlas.Example.org:443/oauth2callback") == "https://atlas.example.org"
    assert auth._origin("http://[::1]:8501/x") == "http://[::1]:8501"
    assert auth._origin("ftp://x/") == auth._origin("not a url") == ""
    assert AUTH["redirect_uri"].startswith("http://localhost:8501")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_back_from_a_failed_sign_in_the_page_says_so(store, lang: str) -> None:  # noqa: F811
    at = AppTest.from_function(_page, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {}
    at.query_params["lang"] = lang
    at.query_params["signin"] = "1"  # what /signin/return adds
    at.run()
    assert t("moderate_sign_in_failed", lang) in [e.value for e in at.error]
    assert [b for b in at.button if b.key == "mod_login"]  # and the way to try again
    at.run()
    assert not at.error  # said once: the address no longer carries it


def test_back_signed_in_nothing_is_said(store) -> None:  # noqa: F811
    at = AppTest.from_function(_page, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "mod@example.org", "email_verified": True}
    at.query_params["signin"] = "1"
    at.run()
    assert not at.error and "signin" not in at.query_params
