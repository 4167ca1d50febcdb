"""The contributor's follow link (issue 25, item 8): what it shows, and that nothing else opens it."""

from __future__ import annotations

from atlas.store import follow
from atlas.store.store import Store
from tests.store.records import new_org


def _published_id(store: Store) -> str:
    return str(store.published_atlas().frame["id"].iloc[0])


def test_a_submission_is_followed_from_pending_to_the_moderators_reason(store: Store) -> None:
    done = store.submit("organisation", new_org(name="Followed Org"), contact="me@example.org")
    token = follow.create(store, done.revision_id, "fr")
    seen = follow.find(store, token)
    assert seen is not None
    assert (seen.state, seen.name, seen.reference, seen.lang, seen.reason) == (
        "pending",
        "Followed Org",
        done.revision_id,
        "fr",
        "",
    )
    item = next(i for i in store.queue(size=100).items if i.revision_id == done.revision_id)
    store.reject(done.revision_id, item.version, "mod@example.org", "Not a social-tech organisation")
    seen = follow.find(store, token)
    assert seen is not None and seen.state == "rejected"
    assert seen.reason == "Not a social-tech organisation"
    assert "mod@example.org" not in repr(seen) and "me@example.org" not in repr(seen)


def test_an_approved_submission_says_it_is_on_the_map(store: Store) -> None:
    done = store.submit("organisation", new_org(name="Approved Org"))
    token = follow.create(store, done.revision_id, "en")
    item = next(i for i in store.queue(size=100).items if i.revision_id == done.revision_id)
    store.approve(done.revision_id, item.version, "mod@example.org", None, "Welcome")
    seen = follow.find(store, token)
    assert seen is not None and (seen.state, seen.published, seen.reason) == ("approved", True, "Welcome")


def test_a_wrong_or_foreign_token_opens_nothing(store: Store) -> None:
    mine = store.submit("organisation", new_org(name="Mine Org"))
    other = store.submit("organisation", new_org(name="Other Org", city="Paris"))
    token = follow.create(store, mine.revision_id, "en")
    follow.create(store, other.revision_id, "en")
    rid, secret = token.split("-", 1)
    assert follow.find(store, f"{other.revision_id}-{secret}") is None  # my secret on their proposal
    assert follow.find(store, f"{rid}-{'A' * len(secret)}") is None
    assert follow.find(store, "") is None and follow.find(store, "71") is None
    assert follow.find(store, f"{rid}-{secret}x") is None
    assert follow.find(store, "999999-" + secret) is None  # no such proposal
    assert len(secret) >= 43  # 256 bits from secrets.token_urlsafe
    assert secret not in str(store.engine.url)
    with store.reading() as s:
        from atlas.store.models import FollowLink

        stored = {link.digest for link in s.query(FollowLink)}
    assert secret not in stored  # only its digest is kept


def test_a_pending_correction_is_counted_for_its_entry(store: Store) -> None:
    entry_id = _published_id(store)
    assert follow.pending_corrections(store, entry_id) == 0
    store.propose_correction(entry_id, {"city": "Somewhere Else"})
    assert follow.pending_corrections(store, entry_id) == 1
