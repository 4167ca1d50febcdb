"""Sign-in cannot be forged or misread (issue 21, item 5): no sign-in at all with a cookie secret
that is missing, short or published; `email_verified` must be the boolean true; moderators by
account (issuer|subject) for providers that never verify addresses. Through AppTest; the forged
cookie itself, in a browser, is tests/browser/test_sign_in_refused.py."""

from __future__ import annotations

import logging
import secrets
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from atlas import config
from tests.store.records import new_org
from tests.test_moderate import AUTH, MODERATOR, page, store  # noqa: F401 (the store fixture)

EXAMPLE = config.PROJECT_ROOT / ".streamlit" / "secrets.example.toml"


def with_secret(secret: str | None, lang: str = "en", **user: object) -> AppTest:
    from tests.test_moderate import _page

    at = AppTest.from_function(_page, default_timeout=60)
    section = dict(AUTH)
    if secret is None:
        section.pop("cookie_secret")
    else:
        section["cookie_secret"] = secret
    at.secrets["auth"] = section
    at.user = {"is_logged_in": True, "email": MODERATOR, "email_verified": True, **user}
    if lang != "en":
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_example_file_ships_without_a_secret() -> None:
    shipped = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))["auth"]["cookie_secret"]
    assert shipped == "" and config.cookie_secret_problem(shipped) == "missing"


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        ("replace-me-with-a-long-random-string", "example"),  # what the example file used to hold
        ("xxx", "example"),  # Streamlit's documentation
        (None, "missing"),
        ("", "missing"),
        ("x" * 31, "short"),
    ],
)
def test_a_weak_cookie_secret_refuses_all_sign_in(store, caplog, secret, problem) -> None:  # noqa: F811
    """A forged cookie (a moderator's address, verified, signed with the known key) opens nothing."""
    from atlas.ui import auth

    store.submit("organisation", new_org(name="Waiting Org"))
    auth._log_refusal.cache_clear()  # said once a process: here, once a test
    with caplog.at_level(logging.ERROR, logger="atlas.ui.auth"):
        at = with_secret(secret)
    said = {"example": "an example value published", "missing": "is missing", "short": "shorter than 32"}[problem]
    assert [e.value for e in at.error if "Sign-in is switched off" in e.value and said in e.value]
    assert not at.button and not at.tabs and not at.dataframe  # no sign-in, no queue
    assert "Waiting Org" not in repr(at)
    assert any("Sign-in refused" in r.getMessage() for r in caplog.records)
    fr = with_secret(secret, lang="fr")
    assert [e.value for e in fr.error if "La connexion est désactivée" in e.value]


def test_a_long_random_secret_lets_the_moderator_in(store) -> None:  # noqa: F811
    at = with_secret(secrets.token_urlsafe(32))
    assert not at.error and at.tabs


@pytest.mark.parametrize("verified", ["false", "true", "False", 1, None])
def test_only_a_boolean_true_verifies_the_address(store, verified) -> None:  # noqa: F811
    at = with_secret(secrets.token_urlsafe(32), email_verified=verified)
    assert [e.value for e in at.error if e.value.startswith("This account may not moderate")]
    assert not at.tabs


def test_a_moderator_named_by_issuer_and_subject(store, monkeypatch) -> None:  # noqa: F811
    """Microsoft Entra ID and the like: no verified address, the account is allow-listed."""
    issuer = "https://login.microsoftonline.com/tenant/v2.0"
    monkeypatch.setenv("ATLAS_MODERATOR_SUBJECTS", f"{issuer}|abc-123")
    sent = store.submit("organisation", new_org(name="Entra Org"))
    account = {"email": "someone@example.org", "email_verified": None, "iss": issuer, "sub": "abc-123"}
    at = with_secret(secrets.token_urlsafe(32), **account)
    assert at.tabs
    at.button(key=f"mod_approve_{sent.revision_id}").click().run()
    assert not at.exception
    decided = store.history(sent.entry_id, public=False)[-1].decided_by
    assert decided == f"moderator:{issuer}|abc-123"
    other = with_secret(secrets.token_urlsafe(32), **{**account, "sub": "someone-else"})
    assert not other.tabs
    elsewhere = with_secret(secrets.token_urlsafe(32), **{**account, "iss": "https://evil.example"})
    assert not elsewhere.tabs
