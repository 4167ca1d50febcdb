"""Online geocoding through geopy: Nominatim by default, any geopy service by configuration.

Environment: `ATLAS_GEOCODER` (a name `geopy.geocoders.get_geocoder_for_service` knows,
default "nominatim"), `ATLAS_GEOCODER_USER_AGENT`, `ATLAS_GEOCODER_API_KEY` (never printed:
it is masked in every message this module produces).
"""

from __future__ import annotations

import inspect
import logging
import math
import os
import time
from collections.abc import Callable
from typing import Any

from geopy.exc import (
    ConfigurationError,
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim, get_geocoder_for_service

from atlas import __version__
from atlas.geocoding.models import GeoResult

DEFAULT_USER_AGENT = f"social-tech-atlas/{__version__} (+see the Social Tech Atlas project README)"
MAX_WAIT = 60.0  # seconds: the longest back-off, even when a 429 asks for more
_KEY_PARAMETERS = ("api_key", "apikey", "key", "access_token")
_TYPE_PRECISION = {
    "country": "country",
    **dict.fromkeys(("state", "region", "province", "county", "state_district", "department"), "region"),
    **dict.fromkeys(
        (
            "city",
            "town",
            "village",
            "hamlet",
            "municipality",
            "suburb",
            "quarter",
            "neighbourhood",
            "city_district",
            "borough",
            "locality",
            "isolated_dwelling",
            "croft",
            "postcode",
        ),
        "city",
    ),
}


class OnlineError(Exception):
    """The online service gave no usable answer; `fatal` means: stop asking it for this run."""

    def __init__(self, reason: str, fatal: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fatal = fatal


_SECRETS: set[str] = set()


def mask_in_logs(secret: str) -> None:
    """Mask `secret` as *** in every log record from now on, whatever logger or handler emits it.

    geopy's and urllib3's records quote request URLs, which carry an API key; a filter on one
    logger would miss the others, so the record factory itself does the masking (installed once).
    """
    if not _SECRETS:
        make_record = logging.getLogRecordFactory()

        def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = make_record(*args, **kwargs)
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                return record
            if any(s in message for s in _SECRETS):
                for s in _SECRETS:
                    message = message.replace(s, "***")
                record.msg, record.args = message, ()
            return record

        logging.setLogRecordFactory(masking_factory)
    _SECRETS.add(secret)


class _RateLimiter(RateLimiter):
    """geopy's RateLimiter with an injectable clock and sleep; retries are `OnlineSource`'s job."""

    def __init__(
        self, func: Callable[..., Any], min_delay: float, clock: Callable[[], float], sleep: Callable[[float], None]
    ) -> None:
        super().__init__(
            func, min_delay_seconds=min_delay, max_retries=0, error_wait_seconds=min_delay, swallow_exceptions=False
        )
        self._clock_fn, self._sleep_fn = clock, sleep

    def _clock(self) -> float:
        return self._clock_fn()

    def _sleep(self, seconds: float) -> None:
        self._sleep_fn(seconds)


def precision_of(raw: object, default: str) -> str:
    """address | city | region | country from a Nominatim answer (`addresstype`, then `place_rank`)."""
    if not isinstance(raw, dict):
        return default
    kind = raw.get("addresstype") or raw.get("type")
    if kind in _TYPE_PRECISION:
        return _TYPE_PRECISION[kind]
    try:
        rank = int(raw["place_rank"])
    except (KeyError, TypeError, ValueError):
        return default
    return "address" if rank >= 26 else "city" if rank >= 13 else "region" if rank >= 5 else "country"


class OnlineSource:
    """A geopy-shaped geocoder behind a 1-request-per-second limit, timeouts and bounded retries."""

    def __init__(
        self,
        geocoder: Any,
        name: str | None = None,
        *,
        timeout: float = 10.0,
        min_delay: float = 1.0,
        max_tries: int = 3,
        backoff: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        secret: str | None = None,
    ) -> None:
        self.geocoder = geocoder
        self.name = name or type(geocoder).__name__.lower()
        self.timeout = timeout
        self.max_tries = max_tries
        self.backoff = backoff
        self._sleep = sleep
        self._secret = secret
        self._limited = _RateLimiter(geocoder.geocode, min_delay, clock, sleep)

    def lookup(self, query: str, country: str | None, precision: str) -> GeoResult | None:
        """The service's answer (None for "not found"); raises OnlineError when it gives none."""
        location = self._call(query, country)
        if location is None:
            return None
        lat, lon = getattr(location, "latitude", None), getattr(location, "longitude", None)
        if not (_coordinate(lat, 90) and _coordinate(lon, 180)) or (lat, lon) == (0, 0):
            raise OnlineError(f"returned a garbage answer: {self._text(repr(location))}")
        label = str(getattr(location, "address", "") or "")
        assert lat is not None and lon is not None  # checked by _coordinate
        return GeoResult(
            float(lat), float(lon), precision_of(getattr(location, "raw", None), precision), self.name, label
        )

    def _call(self, query: str, country: str | None) -> Any:
        kwargs: dict[str, Any] = {"timeout": self.timeout}
        if country and isinstance(self.geocoder, Nominatim):
            kwargs["country_codes"] = country.lower()
        reason = ""
        for attempt in range(1, self.max_tries + 1):
            wait = self.backoff * 2 ** (attempt - 1)
            try:
                return self._limited(query, **kwargs)
            except GeocoderQueryError as exc:
                raise OnlineError(f"rejected the query: {self._text(exc)}", fatal=False) from None
            except GeocoderRateLimited as exc:
                reason, wait = "rate limited (HTTP 429)", min(max(wait, exc.retry_after or 0), MAX_WAIT)
            except (
                GeocoderAuthenticationFailure,
                GeocoderInsufficientPrivileges,
                GeocoderQuotaExceeded,
                ConfigurationError,
            ) as exc:
                raise OnlineError(f"refused the request: {self._text(exc)}") from None
            except GeocoderTimedOut:
                reason = "timed out"
            except GeocoderUnavailable as exc:
                reason = f"unreachable ({self._text(exc)})"
            except (GeocoderServiceError, GeopyError, OSError) as exc:
                reason = f"failed ({type(exc).__name__}: {self._text(exc)})"
            if attempt < self.max_tries:
                self._sleep(wait)
        raise OnlineError(f"unavailable after {self.max_tries} tries: {reason}")

    def _text(self, value: object) -> str:
        """`str(value)` with the API key masked, cut to a readable length."""
        text = str(value)
        if self._secret:
            text = text.replace(self._secret, "***")
        return text if len(text) <= 160 else text[:157] + "..."


def _coordinate(value: object, limit: float) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and -limit <= value <= limit
    )


def source_from_env(**options: Any) -> OnlineSource:
    """The online source configured by the environment (Nominatim unless `ATLAS_GEOCODER` says otherwise).

    Raises ConfigurationError (its message never shows the API key) for an unknown service or a
    key that the service cannot take. `options` go to `OnlineSource` (timeout, max_tries...).
    """
    service = (os.environ.get("ATLAS_GEOCODER") or "nominatim").strip().lower()
    api_key = os.environ.get("ATLAS_GEOCODER_API_KEY") or None
    try:
        cls = get_geocoder_for_service(service)
    except GeopyError as exc:
        raise ConfigurationError(f"ATLAS_GEOCODER={service!r} is not a geopy service: {exc}") from None
    parameters = inspect.signature(cls.__init__).parameters
    kwargs: dict[str, Any] = {
        "user_agent": os.environ.get("ATLAS_GEOCODER_USER_AGENT") or DEFAULT_USER_AGENT,
        "timeout": options.get("timeout", 10.0),
    }
    if api_key:
        param = next((p for p in _KEY_PARAMETERS if p in parameters), None)
        if param is None:
            raise ConfigurationError(f"ATLAS_GEOCODER_API_KEY is set but geopy's {cls.__name__} takes no API key")
        kwargs[param] = api_key
        mask_in_logs(api_key)
    try:
        geocoder = cls(**kwargs)
    except (GeopyError, TypeError, ValueError) as exc:
        message = str(exc).replace(api_key, "***") if api_key else str(exc)
        raise ConfigurationError(f"cannot set up geopy's {cls.__name__}: {message}") from None
    return OnlineSource(geocoder, service, secret=api_key, **options)
