"""Fakes for the online path: a clock that moves only when slept on, and a geopy-shaped geocoder."""

from __future__ import annotations

from collections.abc import Callable

from geopy.location import Location


class FakeClock:
    """A monotonic clock that only moves when something sleeps (or a fake call takes time)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeGeocoder:
    """geopy-shaped geocoder: `answer(query)` returns a Location/None or raises; calls are recorded."""

    def __init__(self, answer: Callable[[str], object], clock: FakeClock | None = None, duration: float = 0.05) -> None:
        self.answer = answer
        self.clock = clock
        self.duration = duration
        self.calls: list[tuple[float | None, str, float | None]] = []

    def geocode(self, query: str, timeout: float | None = None) -> object:
        self.calls.append((self.clock() if self.clock else None, query, timeout))
        if self.clock:
            self.clock.now += self.duration
        return self.answer(query)


def location(lat: float, lon: float, addresstype: str = "city", place_rank: int = 16, label: str = "X") -> Location:
    """A Location shaped like geopy's Nominatim answers."""
    raw = {
        "lat": str(lat),
        "lon": str(lon),
        "addresstype": addresstype,
        "place_rank": place_rank,
        "class": "place",
        "type": addresstype,
        "display_name": label,
    }
    return Location(label, (lat, lon), raw)


def raising(exc: BaseException) -> Callable[[str], object]:
    """An `answer` that always raises `exc`."""

    def answer(query: str) -> object:
        raise exc

    return answer
