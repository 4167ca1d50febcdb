"""How many anonymous submissions the atlas takes, from whom, and the proof of work asked when the
queue is under pressure: the counting keys of a client address (IPv6 by /64, networks by /24 and /48)."""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Anonymous submissions allowed per hour: per session (the visitor's cookie, else the address),
    per client address (an IPv6 address counts by its /64), per network (IPv4 /24, IPv6 /48: one
    network's share of the queue, so that it cannot fill the queue for everyone), and pending in all.

    From `challenge_from` pending submissions in the hour (default: half of `pending_per_hour`) the
    queue is under pressure: a submission must then come with a proof of work (`Challenge`) of
    `challenge_bits` bits, which the visitor's browser computes in a second or so.
    """

    per_session: int = 5
    per_client: int = 20
    pending_per_hour: int = 100
    per_network: int | None = None  # default: a quarter of pending_per_hour (at least per_client)
    challenge_from: int | None = None  # default: half of pending_per_hour
    challenge_bits: int = 18

    @property
    def network(self) -> int:
        return self.per_network if self.per_network is not None else max(self.per_client, self.pending_per_hour // 4)

    @property
    def pressure(self) -> int:
        return self.challenge_from if self.challenge_from is not None else self.pending_per_hour // 2


@dataclass(frozen=True)
class Challenge:
    """A proof of work asked of a visitor when the queue is under pressure: find a `nonce` such that
    SHA-256 of `f"{seed}:{nonce}"` starts with `bits` zero bits (`solve` does it; so does the page)."""

    seed: str
    bits: int


def proof_holds(seed: str, nonce: str, bits: int) -> bool:
    """True when SHA-256 of `seed:nonce` starts with `bits` zero bits."""
    if not nonce or len(nonce) > 32:
        return False
    digest = int.from_bytes(hashlib.sha256(f"{seed}:{nonce}".encode()).digest(), "big")
    return digest >> (256 - bits) == 0 if bits > 0 else True


def solve(challenge: Challenge) -> str:
    """A nonce that satisfies `challenge` (what the page's script does, for tests and scripts)."""
    n = 0
    while not proof_holds(challenge.seed, str(n), challenge.bits):
        n += 1
    return str(n)


UNKNOWN_CLIENT = "unknown"  # a visitor whose address the server does not know: one key for all of them
LOOPBACK_CLIENT = "loopback"  # a visitor on this machine (st.context says None): one key for all of them


def address_keys(client: str) -> tuple[str, str]:
    """What a client address is counted by: (the address, its network). An IPv6 address counts by
    its /64 (one subscriber usually holds a whole /64) and its network by the /48; an IPv4 address
    by itself and its /24. An IPv4-mapped IPv6 address is its IPv4 address. Loopback is one key,
    and anything that is not an address (empty, `unknown`) another: never no key at all."""
    text = client.strip().strip("[]")
    if not text:
        return UNKNOWN_CLIENT, UNKNOWN_CLIENT
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return text[:100], text[:100]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return LOOPBACK_CLIENT, LOOPBACK_CLIENT
    if isinstance(address, ipaddress.IPv4Address):
        return str(address), str(ipaddress.ip_network(f"{address}/24", strict=False))
    return (
        str(ipaddress.ip_network(f"{address}/64", strict=False)),
        str(ipaddress.ip_network(f"{address}/48", strict=False)),
    )
