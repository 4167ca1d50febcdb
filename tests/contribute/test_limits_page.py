"""What the Contribute page tells the store about the visitor (issue 21, item 4): an address even
on loopback (where Streamlit has none), and the visitor cookie as the session, never Streamlit's
own session (which a reload renews); a network's refusal is said like the others."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from atlas.store.limits import Limits
from atlas.store.store import Store
from tests.contribute.test_contribute_page import GOOD, good, send, value


def test_a_visitor_on_loopback_is_counted_by_an_address_and_not_by_its_streamlit_session(
    contribute: AppTest, store: Store, monkeypatch
) -> None:
    from atlas.ui.loaders import current_store

    app_store = current_store()
    assert app_store is not None
    seen: list[dict[str, object]] = []
    submit = app_store.submit

    def spy(kind, record, **options):
        seen.append(options)
        return submit(kind, record, **options)

    monkeypatch.setattr(app_store, "submit", spy)
    send(good(contribute))
    assert [s.value for s in contribute.success] == ["Thank you!"]
    [options] = seen
    assert options["client"] == "loopback"  # st.context.ip_address is None here: a key all the same
    assert options["session"] == ""  # no visitor cookie (AppTest has none): the store counts the address


def test_a_networks_refusal_says_why_and_keeps_the_text(contribute: AppTest, store: Store, monkeypatch) -> None:
    from atlas.ui.loaders import current_store

    app_store = current_store()
    assert app_store is not None
    monkeypatch.setattr(app_store, "limits", Limits(per_network=0))
    at = send(good(contribute))
    assert [e.value for e in at.error if e.value.startswith("Many proposals came from your network")]
    assert value(at, "name") == GOOD["name"] and store.queue().total == 0
