"""The submission form's rules, without Streamlit: its fields, the record it builds, the schema's
messages as translation keys, the changes a correction proposes, and the visitor's address.

The form checks what a person types with the schema's own rules (`atlas.schema.validate_record`,
through `Store.check`); this module decides where each problem is shown (next to which field),
which ones stop the sending, and how it is said in the visitor's language (`message`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from atlas import labels
from atlas.i18n import N_
from atlas.schema import KINDS, MAX_TEXT, SCHEMAS, Problem, validate_record
from atlas.store.models import DATA_FIELDS
from atlas.store.store import EMAIL, MAX_EMAIL, MAX_NOTE
from atlas.text import fold_key, is_http_url

POSITION = "position"  # where problems of lat, lon, geo_precision and geo_source are shown
POSITION_COLUMNS = ("lat", "lon", "geo_precision", "geo_source")
MANUAL_SOURCE = "manual"
# A point placed by hand is as precise as what the person could see when they clicked: the street
# only at a street zoom (with tiles: without them no street is drawn), the city at a town's zoom,
# else the region or the country (issue 25: a click at the 10 km scale claimed a street address).
STREET_ZOOM = 16
CITY_ZOOM = 10
REGION_ZOOM = 6


@dataclass(frozen=True)
class Field:
    """One input of the form: the schema column it fills (or `contact`/`note`), its limits."""

    name: str
    max_chars: int
    kinds: tuple[str, ...] = KINDS
    required: bool = False
    area: bool = False  # several lines
    choice: bool = False  # chosen from a list (category, country, status)

    @property
    def label(self) -> str:
        """Translation key of its label."""
        return labels.FORM_FIELD[self.name]


FIELDS: tuple[Field, ...] = (
    Field("name", 200, required=True),
    Field("aliases", 500, kinds=("organisation",)),
    Field("category", 40, kinds=("organisation",), required=True, choice=True),
    Field("status", 10, kinds=("odc",), required=True, choice=True),
    Field("opened", 7, kinds=("odc",)),
    Field("country", 2, required=True, choice=True),
    Field("city", 120),
    Field("address", 300),
    Field("postcode", 20),
    Field("region", 120),
    Field("website", 500),
    Field("description_en", MAX_TEXT, area=True),
    Field("description_fr", MAX_TEXT, area=True),
    Field("source", MAX_TEXT, required=True, area=True),
    Field("contact", MAX_EMAIL),
    Field("note", MAX_NOTE, area=True),
)
BY_NAME = {f.name: f for f in FIELDS}
TEXT_FIELDS = tuple(f.name for f in FIELDS if not f.choice)


def fields_of(kind: str) -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if kind in f.kinds)


def field_limit(name: str, current: object = "") -> int:
    """`max_chars` of a field: its limit, or the length of the value it is pre-filled with when
    longer (a correction must not cut an existing text), never more than the schema keeps."""
    return min(MAX_TEXT, max(BY_NAME[name].max_chars, len(str(current or ""))))


@dataclass(frozen=True)
class Position:
    """Where the entry is: from the geocoder, from the entry itself, or placed by hand."""

    lat: float
    lon: float
    precision: str
    source: str
    label: str = ""
    zoom: float | None = None  # placed by hand: the map's zoom at the click (the picker keeps it)

    @property
    def manual(self) -> bool:
        return self.source == MANUAL_SOURCE


def precision_at_zoom(zoom: object, tiles: bool = True) -> str:
    """The `geo_precision` of a point clicked at map zoom `zoom` (`GEO_PRECISIONS`): `address` only
    at a street zoom on a map with tiles, `city` at a town's zoom, else `region` or `country`. An
    unknown zoom says `city` (never a street the person may not have seen)."""
    try:
        level = float(zoom)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "city"
    if not math.isfinite(level):
        return "city"
    if level >= STREET_ZOOM and tiles:
        return "address"
    if level >= CITY_ZOOM:
        return "city"
    return "region" if level >= REGION_ZOOM else "country"


def clicked_position(lat: object, lng: object, zoom: object = None, tiles: bool = True) -> Position | None:
    """The point a person clicked on the map (longitude brought back into [-180, 180]), by hand, as
    precise as the map's zoom at the click (`precision_at_zoom`)."""
    try:
        y, x = float(lat), float(lng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(y) and math.isfinite(x)) or abs(y) > 90:
        return None
    x = ((x + 180.0) % 360.0) - 180.0
    try:
        level: float | None = float(zoom)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        level = None
    level = level if level is not None and math.isfinite(level) else None
    return Position(round(y, 5), round(x, 5), precision_at_zoom(zoom, tiles), MANUAL_SOURCE, zoom=level)


# A web address typed without its scheme: a host with a dot (letters of any script), a port, a path.
_BARE_URL = re.compile(r"(?://)?(?:[\w-]+\.)+[\w-]{2,}\.?(?::[0-9]{1,5})?(?:[/?#]\S*)?")


def complete_url(value: str) -> str:
    """A website as the form keeps it: `example.org/x` completed to `https://example.org/x` (people
    rarely type the scheme); an http(s) URL, an empty value or anything else as it was typed (the
    schema then says what is wrong with it)."""
    text = value.strip()
    if not text or is_http_url(text) or not _BARE_URL.fullmatch(text):
        return value
    completed = "https://" + text.removeprefix("//")
    return completed if is_http_url(completed) else value


Query = tuple[str, str, str]  # (city, country, address) as typed


def follow(current: Position | None, before: Query | None, query: Query, found: Position | None) -> Position | None:
    """The position once the place typed changed from `before` to `query` and the geocoder answered
    `found`. It follows the place, except that a street address the geocoder cannot place (it can
    only say the city) does not move a pin that is already in that city: placed by hand, or the
    entry's own."""
    if current is None or before is None or (found is not None and found.precision == "address"):
        return found
    same_place = fold_key(before[0]) == fold_key(query[0]) and before[1] == query[1]
    return current if same_place and before[2] != query[2] else found


def form_record(kind: str, values: Mapping[str, object], position: Position | None) -> dict[str, object]:
    """The schema record of what the form holds (every column of `kind` but the id)."""
    record: dict[str, object] = {}
    for column in SCHEMAS[kind].columns:
        if column in ("id", *POSITION_COLUMNS):
            continue
        value = values.get(column)
        record[column] = "" if value is None else str(value)
    if "website" in record:
        record["website"] = complete_url(str(record["website"]))
    if position is not None:
        record.update(lat=position.lat, lon=position.lon, geo_precision=position.precision, geo_source=position.source)
    else:
        record.update(lat="", lon="", geo_precision="", geo_source="")
    return record


def check_record(kind: str, record: Mapping[str, object]) -> tuple[dict[str, object] | None, list[Problem]]:
    """The schema's verdict, as `Store.check` gives it (used when the database is unreachable)."""
    return validate_record({**record, "id": "new-entry"}, SCHEMAS[kind], "form")


def check_extras(contact: str, note: str) -> list[Problem]:
    """The store's rules for the two fields that are not in the schema (same messages)."""
    problems = []
    if contact.strip() and (len(contact) > MAX_EMAIL or not EMAIL.fullmatch(contact.strip())):
        problems.append(Problem("form", None, "contact", contact, "is not an e-mail address"))
    if len(note) > MAX_NOTE:
        problems.append(Problem("form", None, "note", note[:60], f"is longer than {MAX_NOTE} characters"))
    return problems


# -- what the schema says, in the visitor's words ----------------------------------------------

# (beginning of the schema's or the store's English message, translation key), most specific first.
# tests/contribute/test_form_rules.py checks that every message in schema.py and store.py is here.
MESSAGES: tuple[tuple[str, str], ...] = (
    ("contains control characters", N_("form_msg_control")),
    ("is required but empty", N_("form_msg_required")),
    ("is required", N_("form_msg_required")),
    ("is not a slug", N_("form_msg_slug")),
    ("is not a known category", N_("form_msg_category")),
    ("must be 'open' or 'planned'", N_("form_msg_status")),
    ("is not an ISO 3166-1 alpha-2 country code", N_("form_msg_country")),
    ("is not a number", N_("form_msg_number")),
    ("is not a finite number", N_("form_msg_number")),
    ("is outside [", N_("form_msg_outside")),
    ("and lon must be given together", N_("form_msg_lat_lon")),
    ("must be one of", N_("form_msg_precision")),
    ("is empty: the row is kept but not shown on the map", N_("form_msg_no_position")),
    ("contains markup", N_("form_msg_markup")),
    ("is longer than", N_("form_msg_too_long")),
    ("is not an http(s) URL", N_("form_msg_website")),
    ("is not a date of the form YYYY or YYYY-MM", N_("form_msg_opened")),
    ("is not a geocoding source", N_("form_msg_geo_source")),
    ("is not an e-mail address", N_("form_msg_email")),
)
UNKNOWN_MESSAGE = N_("form_msg_other")
# Warnings of a file row that the form does not accept: the person can fix them now, and the
# store would otherwise drop what they typed (a link that is not http(s), a date it cannot read).
BLOCKING_WARNINGS = ("is not an http(s) URL", "is not a date of the form", "is longer than")
_NUMBER = re.compile(r"\d+")


def message(problem: Problem) -> tuple[str, int]:
    """Translation key of a problem's message, and the number it quotes (a length limit, else 0);
    `form_msg_other` when the message is unknown. `t(key, lang, n=n)` says it."""
    for prefix, key in MESSAGES:
        if problem.message.startswith(prefix):
            found = _NUMBER.search(problem.message) if key == "form_msg_too_long" else None
            return key, int(found.group()) if found else MAX_TEXT if key == "form_msg_too_long" else 0
    return UNKNOWN_MESSAGE, 0


def blocking(problem: Problem) -> bool:
    """True when the problem stops the sending (every error, and the warnings above)."""
    return problem.severity == "error" or problem.message.startswith(BLOCKING_WARNINGS)


def field_of(problem: Problem) -> str:
    """The form field a problem is shown next to."""
    column = problem.column or ""
    return POSITION if column in POSITION_COLUMNS else column


def by_field(problems: Sequence[Problem], values: Mapping[str, object], attempted: bool) -> dict[str, list[Problem]]:
    """Problems to show, by field. Before a first attempt to send, an empty field is not yet an
    error (nobody has filled it in), and the map's own "no position" warning is said elsewhere."""
    shown: dict[str, list[Problem]] = {}
    for problem in problems:
        field = field_of(problem)
        if problem.message.startswith("is empty: the row is kept"):
            continue
        if not attempted and problem.message.startswith("is required") and not str(values.get(field) or "").strip():
            continue
        shown.setdefault(field, []).append(problem)
    return shown


# -- corrections -------------------------------------------------------------------------------


def cell(value: object) -> str:
    """A value as a CSV cell holds it (as the store compares values)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if value == value else ""
    return str(value)


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


def changes(current: Mapping[str, object], clean: Mapping[str, object]) -> list[Change]:
    """What a correction changes: the fields whose checked value differs from the entry's."""
    out = []
    for field in DATA_FIELDS:
        if field not in clean:
            continue
        old, new = cell(current.get(field)), cell(clean.get(field))
        if old != new:
            out.append(Change(field, old, new))
    return out


def entry_values(entry: Mapping[str, object]) -> dict[str, str]:
    """The form's values for an existing entry (a correction starts from them)."""
    return {f.name: cell(entry.get(f.name)) for f in FIELDS if f.name not in ("contact", "note")}


def entry_position(entry: Mapping[str, object]) -> Position | None:
    lat, lon = entry.get("lat"), entry.get("lon")
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)) or lat != lat or lon != lon:
        return None
    return Position(float(lat), float(lon), str(entry.get("geo_precision") or ""), str(entry.get("geo_source") or ""))


# -- the visitor -------------------------------------------------------------------------------


LOOPBACK = "loopback"  # st.context.ip_address is None on loopback: such visitors are counted as one


def client_address(ip: object, forwarded_for: object, trusted: int) -> str:
    """The address submissions are counted by: the connection's, or — only when `trusted` proxies
    are configured — the one the outermost of them saw (the `trusted`-th from the right). Never
    empty: a visitor without an address (on loopback, where Streamlit says None) is `loopback`.
    (atlas/web/proxy.py has already resolved the connection's address the same way.)"""
    ip = ip if isinstance(ip, str) and ip.strip() else LOOPBACK
    if trusted > 0 and isinstance(forwarded_for, str) and forwarded_for:
        hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
        if len(hops) >= trusted:
            return hops[-trusted][:100]
    return ip[:100]
