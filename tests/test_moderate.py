"""The Moderate page through Streamlit's AppTest, on a real database: who sees what, every decision,
the messages next to fields, two moderators on one item, and text shown literally.

`st.user` is AppTest's (`at.user`); the sign-in itself, with a real OpenID Connect provider, is
tested in the browser (tests/browser/test_moderate.py).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.store import open_store
from atlas.store.store import Store
from tests.store.records import new_org

FIXTURES = Path(__file__).parent / "fixtures"
MODERATOR = "mod@example.org"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": secrets.token_urlsafe(32),  # long and random: a known or short one refuses sign-in
    "client_id": "atlas",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
HOSTILE = "**Bold** <b>x</b> [link](javascript:alert(1))"


def _page() -> None:
    from atlas.ui import navigation, state
    from atlas.ui.pages import moderate

    state.init_from_url()
    navigation.pages()  # as app.py does: the pages the page links to
    moderate.render()


@pytest.fixture()
def store(monkeypatch, tmp_path) -> Store:
    url = f"sqlite:///{tmp_path / 'atlas.sqlite3'}"
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(FIXTURES / "small_atlas"))
    monkeypatch.setenv("ATLAS_MODERATORS", f"{MODERATOR.upper()}, other@example.org")
    monkeypatch.setenv("ATLAS_SECRETS", str(tmp_path / "no-secrets.toml"))
    s = open_store(url, seed_from=FIXTURES / "small_atlas")
    yield s
    s.engine.dispose()


def page(email: str | None = MODERATOR, auth: bool = True, verified: bool = True, lang: str = "en") -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
    if email is not None:
        at.user = {"is_logged_in": True, "email": email, "email_verified": verified}
    else:
        at.user = {}
    if lang != "en":
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> list[str]:
    return [e.value for e in at.text]


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def test_without_auth_configured_the_page_says_so(store) -> None:
    at = page(auth=False)
    assert "Sign-in is not configured" in at.info[0].value and "docs/use/moderate.md" in at.info[0].value
    assert not at.button and not at.dataframe
    fr = page(auth=False, lang="fr")
    assert "La connexion n'est pas configurée" in fr.info[0].value


def test_an_anonymous_visitor_gets_a_sign_in_button_only(store) -> None:
    store.submit("organisation", new_org())
    at = page(email=None)
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe and not at.text_input and "Tech for Good Lyon" not in repr(at.main)


@pytest.mark.parametrize(("email", "verified"), [("visitor@example.org", True), (MODERATOR, False)])
def test_a_signed_in_non_moderator_is_refused(store, email, verified) -> None:
    store.submit("organisation", new_org())
    at = page(email=email, verified=verified)
    assert "may not moderate" in at.error[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert not at.dataframe and "Tech for Good Lyon" not in repr(at.main)


def test_a_moderator_approves_a_submission(store) -> None:
    done = store.submit("organisation", new_org(), contact="me@example.org", note="found on their site")
    at = page()
    assert f"Signed in as {MODERATOR}" in texts(at)
    assert "Tech for Good Lyon" in texts(at)
    assert "Note from the submitter: found on their site" in texts(at)
    assert "me@example.org" not in repr(at.main)  # the contact only on demand
    at.session_state[f"mod_contact_{done.revision_id}"] = True  # the expander opened
    at.run()
    assert [c.value for c in at.code] == ["me@example.org"]
    click(at, f"mod_approve_{done.revision_id}")
    assert at.success[0].value == "Approved: it is on the map."
    entry = store.entry(done.entry_id)
    assert entry is not None and entry["state"] == "published"
    history = store.history(done.entry_id, public=False)
    assert history[-1].decided_by == f"moderator:{MODERATOR}"  # the provider's address, lower-cased
    assert "Tech for Good Lyon" not in texts(at)  # left the queue
    assert any("Nothing is waiting" in i.value for i in at.info)


def test_rejecting_needs_a_reason(store) -> None:
    done = store.submit("organisation", new_org())
    at = page()
    click(at, f"mod_reject_{done.revision_id}")
    assert "Not saved" in at.error[0].value
    assert any("reason" in x and "required" in x for x in texts(at))  # next to the field
    assert store.entry(done.entry_id)["state"] == "pending"
    at.text_input(key=f"mod_note_{done.revision_id}").input("not a social-tech organisation")
    click(at, f"mod_reject_{done.revision_id}")
    assert at.success[0].value.startswith("Rejected")
    assert store.entry(done.entry_id)["state"] == "rejected"
    assert store.history(done.entry_id, public=False)[-1].decision_note == "not a social-tech organisation"


def test_edit_then_approve_shows_the_schema_message_next_to_the_field(store) -> None:
    done = store.submit("organisation", new_org())
    rid = done.revision_id
    at = page()
    at.expander(key=f"mod_editopen_{rid}")  # exists, closed: its fields are not drawn
    assert not [w for w in at.text_input if w.key == f"mod_edit_{rid}_name"]
    at.session_state[f"mod_editopen_{rid}"] = True
    at.run()
    at.text_input(key=f"mod_edit_{rid}_lat").input("123")
    at.text_input(key=f"mod_edit_{rid}_name").input("Tech for Good Lyon (TFGL)")
    click(at, f"mod_editapprove_{rid}")
    assert "Not saved" in at.error[0].value
    assert any(x.startswith("lat '123'") for x in texts(at))
    assert at.text_input(key=f"mod_edit_{rid}_name").value == "Tech for Good Lyon (TFGL)"  # kept
    assert store.entry(done.entry_id)["state"] == "pending"
    at.text_input(key=f"mod_edit_{rid}_lat").input("45.76")
    click(at, f"mod_editapprove_{rid}")
    assert at.success[0].value.startswith("Approved")
    entry = store.entry(done.entry_id)
    assert entry["name"] == "Tech for Good Lyon (TFGL)" and entry["lat"] == 45.76


def test_a_correction_shows_old_and_new_and_is_flagged_when_stale(store) -> None:
    done = store.propose_correction("alpha-civic", {"city": "Villeurbanne"})
    entry = store.entry("alpha-civic")
    store.edit("alpha-civic", {"address": "1 rue de test"}, "other@example.org", "typo", int(entry["version"]))
    at = page()
    assert "City" in [c.value for c in at.caption]
    assert "Lyon  →  Villeurbanne" in texts(at)
    assert "The entry changed since" in at.warning[0].value
    click(at, f"mod_approve_{done.revision_id}")
    assert store.entry("alpha-civic")["city"] == "Villeurbanne"


def test_mark_as_duplicate_offers_similar_entries(store) -> None:
    done = store.submit("organisation", new_org(name="Alpha Civic Lab", city="Lyon"))
    rid = done.revision_id
    at = page()
    at.session_state[f"mod_dupopen_{rid}"] = True
    at.run()
    box = at.selectbox(key=f"mod_dup_{rid}")
    assert box.options[0].startswith("Alpha Civic Lab — Lyon, FR (alpha-civic)")
    click(at, f"mod_dupmark_{rid}")  # nothing chosen yet
    assert "Choose the existing entry first" in at.error[0].value
    at.text_input(key=f"mod_dupq_{rid}").input("beta").run()
    assert any("beta-commons" in o for o in at.selectbox(key=f"mod_dup_{rid}").options)
    at.selectbox(key=f"mod_dup_{rid}").set_value("alpha-civic").run()
    click(at, f"mod_dupmark_{rid}")
    entry = store.entry(done.entry_id)
    assert entry["state"] == "duplicate" and entry["duplicate_of"] == "alpha-civic"


def test_the_second_moderator_is_told_who_decided_first(store) -> None:
    done = store.submit("organisation", new_org())
    first, second = page(), page(email="other@example.org")
    click(first, f"mod_approve_{done.revision_id}")
    second.text_input(key=f"mod_note_{done.revision_id}").input("spam")
    click(second, f"mod_reject_{done.revision_id}")
    assert second.warning[0].value == "Someone decided first: nothing was changed."
    detail = next(x for x in texts(second) if x.startswith("Already decided"))
    assert detail.startswith(f"Already decided by {MODERATOR} at ") and detail.endswith("(approved).")
    assert store.entry(done.entry_id)["state"] == "published"
    assert [h.status for h in store.history(done.entry_id, public=False)] == ["applied"]


def queued(at: AppTest) -> list[str]:
    """The ids of the entries the queue page shows, in order (from each item's "Entry id · …" line)."""
    return [x.split(" ")[1] for x in texts(at) if x.startswith("Entry ") and " · anonymous submission #" in x]


def test_the_queue_is_paged_oldest_first_and_filtered(store) -> None:
    submitted = [store.submit("organisation", new_org(name=f"Org number {i:02d}")).entry_id for i in range(13)]
    store.propose_correction("beta-commons", {"city": "Rezé"})
    at = page()
    assert "14 proposals waiting" in at.caption[0].value
    assert queued(at) == submitted[:10]
    click(at, "_mod_queue_page_next")
    assert queued(at) == [*submitted[10:], "beta-commons"]
    at.text_input(key="mod_text").input("number 1").run()
    assert queued(at) == submitted[10:13]
    at.text_input(key="mod_text").input("").run()
    at.button_group(key="mod_action").set_value("correction").run()
    assert queued(at) == ["beta-commons"]


def test_withdraw_an_entry_with_a_reason_then_publish_it_again(store) -> None:
    at = page()
    at.session_state["mod_tabs"] = "Entries"
    at.run()
    at.text_input(key="mod_entry_text").input("alpha").run()
    at.selectbox(key="mod_entry").set_value("alpha-civic").run()
    click(at, "mod_setstate_alpha-civic")
    assert "Not saved" in at.error[0].value
    assert store.entry("alpha-civic")["state"] == "published"
    at.text_input(key="mod_entry_note").input("closed in 2024")
    click(at, "mod_setstate_alpha-civic")
    assert at.success[0].value.startswith("Withdrawn")
    assert store.entry("alpha-civic")["state"] == "withdrawn"
    at.text_input(key="mod_entry_text").input("alpha-civic").run()  # by its exact id, in any state
    at.selectbox(key="mod_entry").set_value("alpha-civic").run()
    assert at.button(key="mod_setstate_alpha-civic").label == "Publish again"


def test_the_audit_log_is_searchable(store) -> None:
    done = store.submit("organisation", new_org())
    store.reject(done.revision_id, 1, "other@example.org", "out of scope")
    at = page()
    at.session_state["mod_tabs"] = "Audit log"
    at.run()
    at.text_input(key="mod_audit_text").input("out of scope").run()
    frame = at.dataframe[0].value
    assert list(frame["Entry"]) == [done.entry_id]
    assert frame.iloc[0]["Reason"] == "out of scope" and frame.iloc[0]["Status"] == "rejected"


def test_outside_text_is_shown_literally(store) -> None:
    store.submit("organisation", new_org(name="Hostile org"), note=HOSTILE)
    at = page()
    assert f"Note from the submitter: {HOSTILE}" in texts(at)
    markdown = " ".join(m.value for m in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error])
    assert "Hostile" not in markdown and "javascript" not in markdown


def test_french(store) -> None:
    store.submit("organisation", new_org())
    at = page(lang="fr")
    assert at.title[0].value == "Modérer"
    assert [b.label for b in at.button][:3] == ["Se déconnecter", "Approuver", "Refuser"]


def test_every_field_has_a_translated_label() -> None:
    from atlas.i18n import TRANSLATIONS
    from atlas.schema import SCHEMAS
    from atlas.store.models import DATA_FIELDS
    from atlas.ui.pages.moderate import label_key

    fields = set(DATA_FIELDS) | {c for schema in SCHEMAS.values() for c in schema.columns}
    assert [f for f in sorted(fields) if label_key(f) not in TRANSLATIONS] == []


def test_a_correction_of_the_postcode_and_region_shows_them_labelled(store) -> None:
    """Issue 23: the moderators see a proposed postcode and region, named in their language."""
    store.propose_correction("alpha-civic", {"postcode": "69002", "region": "Auvergne-Rhône-Alpes"})
    at = page()
    captions = [c.value for c in at.caption]
    assert "Postcode" in captions and "Region" in captions
    assert "—  →  69002" in texts(at) and "—  →  Auvergne-Rhône-Alpes" in texts(at)
    french = page(lang="fr")
    assert {"Code postal", "Région"} <= {c.value for c in french.caption}
