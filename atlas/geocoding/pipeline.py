"""The geocoder: cache, then the online service (when enabled and answering), then the gazetteer.

Levels: a street address is asked online only (`address` precision), then the row falls back
to its city (online, then gazetteer: `city` precision); a row with only a country gets the
country centroid (`country` precision). An unknown city is left unresolved rather than
moved to its country's centroid.

Cache rules: every answer is stored as soon as it is known, "not found" included, but an
online *failure* never is. A cached "not found" is trusted only when every source the
current run could ask already said so (an offline "not found" is asked again online).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from atlas import config
from atlas.countries import country_name, resolve_country
from atlas.geocoding.cache import GeoCache
from atlas.geocoding.gazetteer import Gazetteer, get_gazetteer
from atlas.geocoding.models import CACHE_PREFIX, GAZETTEER, GeoResult, Query
from atlas.geocoding.online import OnlineError, OnlineSource, source_from_env


@dataclass(frozen=True)
class Answer:
    """The outcome of one query: `result` None means unresolved; `cached` that no source was asked."""

    result: GeoResult | None
    cached: bool


class Geocoder:
    """Resolve queries through the cache, an optional online geocoder and the gazetteer.

    `online` is anything with geopy's `geocode(query, timeout=...)` (or an `OnlineSource`);
    `clock`/`sleep` drive its rate limit and back-off (tests pass fakes).
    """

    def __init__(
        self,
        cache: GeoCache | Path | str | None = None,
        *,
        online: Any = None,
        gazetteer: Gazetteer | None = None,
        online_name: str | None = None,
        timeout: float = 10.0,
        min_delay: float = 1.0,
        max_tries: int = 3,
        backoff: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cache = cache if isinstance(cache, GeoCache) else GeoCache(cache or config.cache_path())
        if online is not None and not isinstance(online, OnlineSource):
            online = OnlineSource(
                online,
                online_name,
                timeout=timeout,
                min_delay=min_delay,
                max_tries=max_tries,
                backoff=backoff,
                clock=clock,
                sleep=sleep,
            )
        self.online: OnlineSource | None = online
        self._gazetteer = gazetteer
        self._failure: str | None = None  # why the online source was given up for this run
        self._fallbacks = 0  # queries sent to the gazetteer because the online source failed
        self._rejected: list[str] = []

    @classmethod
    def from_env(cls, offline: bool = False, cache: Path | str | None = None) -> Geocoder:
        """The CLI's geocoder: online per `ATLAS_GEOCODER*` unless `offline`; raises ConfigurationError."""
        return cls(cache, online=None if offline else source_from_env())

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = get_gazetteer()
        return self._gazetteer

    @property
    def online_active(self) -> bool:
        return self.online is not None and self._failure is None

    @property
    def online_name(self) -> str:
        """Name of the online service ("" when there is none)."""
        return self.online.name if self.online is not None else ""

    def query(
        self, city: str | None, country: str | None, address: str | None = None, admin1: str | None = None
    ) -> Query | None:
        """A normalised query, or None when `country` is given but unknown."""
        country = (country or "").strip()
        code = resolve_country(country) if country else None
        if country and code is None and len(country) == 2:  # GeoNames-only codes such as XK
            code = self.gazetteer.country_code(country)
        if country and code is None:
            return None
        return Query(code, (city or "").strip(), (address or "").strip(), (admin1 or "").strip())

    def geocode(
        self, city: str | None, country: str | None, address: str | None = None, admin1: str | None = None
    ) -> GeoResult | None:
        """Coordinates for a city and/or street address in `country` (alpha-2 or name), or None."""
        query = self.query(city, country, address, admin1)
        return None if query is None else self.resolve(query).result

    def resolve(self, query: Query, force: bool = False) -> Answer:
        """Answer `query`; `force` ignores (and overwrites) cached answers."""
        answer = self._resolve(query, force)
        if self._failure is not None and query.city and not answer.cached:
            self._fallbacks += 1
        return answer

    def _resolve(self, query: Query, force: bool) -> Answer:
        if query.address:
            answer = self._address(query, force)
            if answer is not None:
                return answer
        if query.city:
            return self._city(query, force)
        if query.address or not query.country:
            return Answer(None, cached=False)
        return self._country(query, force)

    def notes(self) -> list[str]:
        """What happened online during this run, for the report."""
        notes = []
        if self._failure is not None:
            notes.append(
                f"online geocoder {self.online_name} {self._failure}; used the gazetteer for "
                f"{self._fallbacks} {'query' if self._fallbacks == 1 else 'queries'}"
            )
        if self._rejected:
            notes.append(
                f"online geocoder rejected {len(self._rejected)} queries (used the gazetteer for them), "
                f"e.g. {self._rejected[0]}"
            )
        return notes

    def _cached(self, key: str, force: bool) -> tuple[GeoResult | None, set[str]] | None:
        hit = None if force else self.cache.get(key)
        if hit is None:
            return None
        if hit.result is not None:
            return dataclasses.replace(hit.result, geo_source=CACHE_PREFIX + hit.source), set()
        return None, set(hit.source.split(","))

    def _ask_online(self, query: Query, precision: str) -> tuple[bool, GeoResult | None]:
        """(asked, result): asked is False when the service failed or is given up."""
        if self.online is None or self._failure is not None:
            return False, None
        parts = (
            query.address if precision == "address" else "",
            query.city,
            query.admin1,
            country_name(query.country) if query.country else "",
        )
        try:
            return True, self.online.lookup(", ".join(p for p in parts if p), query.country, precision)
        except OnlineError as exc:
            if exc.fatal:
                self._failure = exc.reason
            else:
                self._rejected.append(f"{query.describe()}: {exc.reason}")
            return False, None

    def _address(self, query: Query, force: bool) -> Answer | None:
        key = query.key("address")
        cached = self._cached(key, force)
        if cached is not None and cached[0] is not None:
            return Answer(cached[0], cached=True)
        if cached is not None or not self.online_active:
            return None  # known to be unknown online, or no one to ask: fall back to the city
        asked, result = self._ask_online(query, "address")
        if asked:
            self.cache.put(key, result, self.online_name)
        return None if result is None else Answer(result, cached=False)

    def _city(self, query: Query, force: bool) -> Answer:
        key = query.key("city")
        cached = self._cached(key, force)
        if cached is not None:
            result, said_not_found = cached
            sources = {self.online_name, GAZETTEER} if self.online_active else {GAZETTEER}
            if result is not None or sources <= said_not_found:
                return Answer(result, cached=True)
        asked, result = self._ask_online(query, "city")
        if result is None:
            place = next(iter(self.gazetteer.find(query.city, query.country, query.admin1)), None)
            if place is not None:
                result = GeoResult(place.lat, place.lon, "city", GAZETTEER, f"{place.name}, {place.country}")
        if result is not None:
            self.cache.put(key, result, result.geo_source)
        else:
            self.cache.put(key, None, f"{self.online_name},{GAZETTEER}" if asked else GAZETTEER)
        return Answer(result, cached=False)

    def _country(self, query: Query, force: bool) -> Answer:
        key = query.key("country")
        cached = self._cached(key, force)
        if cached is not None:
            return Answer(cached[0], cached=True)
        code = query.country or ""
        centroid = self.gazetteer.country_centroid(code) if code else None
        result = None if centroid is None else GeoResult(*centroid, "country", GAZETTEER, country_name(code))
        self.cache.put(key, result, GAZETTEER)
        return Answer(result, cached=False)
