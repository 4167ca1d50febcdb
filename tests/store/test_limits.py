"""The anonymous-proposal limits cannot be sidestepped (issue 21, item 4): a reload, a visitor on
loopback, the many addresses of one IPv6 subscriber, one network filling the queue for everyone.
Each test runs on SQLite and on PostgreSQL (tests/store/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from atlas.store import open_store
from atlas.store.errors import Refused
from atlas.store.limits import Limits, address_keys, proof_holds, solve
from atlas.store.store import Store
from tests.store.records import new_org


@pytest.fixture()
def limited(db_url: str) -> Iterator[Store]:
    """A store with the default limits (5 a session, 20 an address, 100 pending an hour)."""
    s = open_store(db_url)
    yield s
    s.engine.dispose()


def send(store: Store, n: int, client: str, session: str = "", proof: str = "") -> str:
    return store.submit("organisation", new_org(name=f"Org {n}"), client=client, session=session, proof=proof).entry_id


def refusal(store: Store, n: int, client: str, session: str = "") -> str:
    with pytest.raises(Refused) as caught:
        send(store, n, client, session)
    return caught.value.reason


def test_a_reload_does_not_reset_the_session_limit(limited: Store) -> None:
    """Without the visitor cookie (a reload that lost it, a script) the session is the address."""
    for n in range(5):
        send(limited, n, "198.51.100.7")
    assert refusal(limited, 5, "198.51.100.7") == "session"
    send(limited, 6, "198.51.100.8")  # someone else is not affected
    for n in range(7, 11):  # the same visitor cookie from a new Streamlit session counts as one
        send(limited, n, "203.0.113.1", session="cookie-abc")
    send(limited, 11, "203.0.113.1", session="cookie-abc")
    assert refusal(limited, 12, "203.0.113.1", session="cookie-abc") == "session"


@pytest.mark.parametrize("client", ["", "loopback", "127.0.0.1", "::1", "::ffff:127.0.0.1"])
def test_a_visitor_without_an_address_or_on_loopback_is_counted(limited: Store, client: str) -> None:
    """st.context.ip_address is None on loopback: such visitors share one key, never no key."""
    for n in range(20):
        send(limited, n, client, session=f"reload-{n}")  # a new session at every reload
    assert refusal(limited, 20, client, session="reload-20") == "client"
    # every spelling of loopback is the same visitor
    assert address_keys(client)[0] in {"loopback", "unknown"}
    assert address_keys("127.0.0.1") == address_keys("::1") == address_keys("::ffff:127.0.0.1")


def test_an_ipv6_subscriber_counts_by_its_64(limited: Store) -> None:
    for n in range(20):
        send(limited, n, f"2001:db8:1:2::{n + 1:x}", session=f"s{n}")
    assert refusal(limited, 20, "2001:db8:1:2:ffff:ffff:ffff:ffff", session="s20") == "client"
    send(limited, 21, "2001:db8:1:3::1", session="s21")  # the next /64: another subscriber
    assert address_keys("2001:db8:1:2::1") == ("2001:db8:1:2::/64", "2001:db8:1::/48")
    assert address_keys("203.0.113.9") == ("203.0.113.9", "203.0.113.0/24")


def test_one_network_cannot_fill_the_queue_for_everyone(limited: Store) -> None:
    """100 proposals from one /48 (many /64s, many sessions): refused after its share (25); people
    elsewhere can still propose."""
    accepted = 0
    with pytest.raises(Refused) as caught:
        for n in range(100):
            send(limited, n, f"2001:db8:7:{n:x}::1", session=f"bot-{n}")
            accepted += 1
    assert caught.value.reason == "network" and accepted == 25
    ipv4 = 0
    with pytest.raises(Refused) as caught:
        for n in range(100):
            send(limited, 100 + n, f"192.0.2.{n + 1}", session=f"bot4-{n}")
            ipv4 += 1
    assert caught.value.reason == "network" and ipv4 == 25
    # the queue is now under pressure (50 pending): others still get in, with a proof of work
    for n, (client, session) in enumerate([("198.51.100.20", "someone"), ("2001:db8:8::1", "someone-6")]):
        challenge = limited.challenge(client, session)
        assert challenge is not None
        send(limited, 300 + n, client, session, proof=solve(challenge))
    assert limited.queue().total == 52


def test_under_pressure_a_proof_of_work_is_asked(db_url: str) -> None:
    store = open_store(db_url, limits=Limits(pending_per_hour=10, challenge_from=3, challenge_bits=8))
    try:
        assert store.challenge("198.51.100.1", "a") is None  # a calm queue asks nothing
        for n in range(3):
            send(store, n, f"198.51.{n}.1", session=f"v{n}")
        challenge = store.challenge("203.0.113.5", "visitor")
        assert challenge is not None and challenge.bits == 8
        assert refusal(store, 3, "203.0.113.5", session="visitor") == "challenge"
        nonce = solve(challenge)
        assert proof_holds(challenge.seed, nonce, 8)
        with pytest.raises(Refused) as caught:  # the proof is this visitor's only
            send(store, 4, "203.0.113.77", session="another", proof=nonce)
        assert caught.value.reason == "challenge"
        send(store, 5, "203.0.113.5", session="visitor", proof=nonce)
        assert store.queue().total == 4
        # scripts and tests (no client, no session) are not visitors: the queue's cap only
        store.submit("organisation", new_org(name="By a script"))
    finally:
        store.engine.dispose()


def test_only_keyed_hashes_are_stored(limited: Store) -> None:
    send(limited, 0, "2001:db8:1:2::1", session="cookie-xyz")
    with limited.reading() as s:
        stored = " ".join(str(r) for r in s.execute(text("SELECT client, session FROM rate_events")))
    assert "2001" not in stored and "cookie-xyz" not in stored
