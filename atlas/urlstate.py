"""Shareable state: filters, language and map view to and from the URL's query string."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from atlas.categories import CATEGORY_IDS
from atlas.countries import is_country_code
from atlas.filters import Filters
from atlas.i18n import LANGS
from atlas.schema import KINDS, ODC_STATUSES, show_value

MAX_QUERY = 200
SHOWN_IGNORED = 10  # ignored parameters listed by name and value; the rest are counted
SHOWN_IGNORED_CHARS = 80  # characters shown of each


@dataclass(frozen=True)
class View:
    """Map centre and zoom."""

    lat: float
    lon: float
    zoom: int


@dataclass(frozen=True)
class UrlState:
    """Everything a link can carry; `ignored` lists the parameters that were not understood."""

    lang: str = "en"
    filters: Filters = field(default_factory=Filters)
    in_view: bool = False
    view: View | None = None
    article: str = ""
    ignored: tuple[str, ...] = field(default=())


def _values(raw: object) -> list[str]:
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    return [v.strip() for item in items for v in str(item).split(",") if v.strip()]


def _choose(
    params: Mapping[str, object], name: str, allowed: tuple[str, ...] | None, ignored: list[str], check=None
) -> tuple[str, ...]:
    if name not in params:
        return ()
    good: list[str] = []
    bad: list[str] = []
    for v in _values(params[name]):
        ok = check(v) if check else v in (allowed or ())
        (good if ok else bad).append(v)
    if bad:
        ignored.append(f"{name}={','.join(bad)}")
    return tuple(dict.fromkeys(good))


def decode(params: Mapping[str, object]) -> UrlState:
    """Read a query string (as `st.query_params.to_dict()` gives it); never raises."""
    ignored: list[str] = []
    lang = str(params.get("lang", "en"))
    if lang not in LANGS:
        ignored.append(f"lang={lang}")
        lang = "en"
    countries = _choose(params, "country", None, ignored, check=lambda v: is_country_code(v.upper()) and v.isalpha())
    filters = Filters(
        countries=tuple(dict.fromkeys(c.upper() for c in countries)),  # "FR,fr" is France once
        categories=_choose(params, "category", CATEGORY_IDS, ignored),
        kinds=_choose(params, "kind", KINDS, ignored),
        statuses=_choose(params, "status", ODC_STATUSES, ignored),
        query=str(params.get("q", ""))[:MAX_QUERY],
    )
    view = None
    if "view" in params:
        view = _view(str(params["view"]))
        if view is None:
            ignored.append(f"view={params['view']}")
    in_view = str(params.get("inview", "")) == "1"
    if str(params.get("inview", "")) not in ("", "0", "1"):
        ignored.append(f"inview={params['inview']}")
    article = str(params.get("article", ""))[:100]
    known = {"lang", "country", "category", "kind", "status", "q", "view", "inview", "article"}
    ignored += [k for k in params if k not in known]
    return UrlState(lang, filters, in_view, view, article, tuple(ignored))


def shown_ignored(ignored: tuple[str, ...]) -> tuple[list[str], int]:
    """The ignored parameters to list (each cut to SHOWN_IGNORED_CHARS) and how many more there are.

    They come from the link as typed: show them as plain text only (`atlas.ui.safe`).
    """
    shown = [show_value(item, SHOWN_IGNORED_CHARS, quote=False) for item in ignored[:SHOWN_IGNORED]]
    return shown, max(0, len(ignored) - SHOWN_IGNORED)


def _view(text: str) -> View | None:
    parts = text.split(",")
    try:
        lat, lon, zoom = float(parts[0]), float(parts[1]), int(parts[2])
    except (ValueError, IndexError):
        return None
    if len(parts) != 3 or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if abs(lat) > 90 or abs(lon) > 180 or not 1 <= zoom <= 18:
        return None
    return View(lat, lon, zoom)


def encode(state: UrlState) -> dict[str, str]:
    """Query parameters for `state`, leaving out defaults so links stay short."""
    f = state.filters
    params = {
        "lang": state.lang if state.lang != "en" else "",
        "country": ",".join(f.countries),
        "category": ",".join(f.categories),
        "kind": ",".join(f.kinds),
        "status": ",".join(f.statuses),
        "q": f.query,
        "inview": "1" if state.in_view else "",
        "view": f"{state.view.lat:.4f},{state.view.lon:.4f},{state.view.zoom}" if state.view else "",
        "article": state.article,
    }
    return {k: v for k, v in params.items() if v}
