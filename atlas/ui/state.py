"""Session state seeded from the URL, and the URL kept in step with the widgets."""

from __future__ import annotations

import streamlit as st

from atlas import urlstate
from atlas.filters import Bounds, Filters
from atlas.urlstate import UrlState, View

KEYS = {
    "countries": "f_country",
    "categories": "f_category",
    "kinds": "f_kind",
    "statuses": "f_status",
    "query": "f_query",
}


def init_from_url() -> None:
    """On a session's first run, put the link's state into the widgets' session keys."""
    if st.session_state.get("_initialised"):
        return
    state = urlstate.decode(st.query_params.to_dict())
    ss = st.session_state
    ss["lang"] = state.lang
    for field_name, key in KEYS.items():
        value = getattr(state.filters, field_name)
        ss[key] = list(value) if isinstance(value, tuple) else value
    ss["f_inview"] = state.in_view
    ss["view"] = ss["view0"] = state.view
    ss["article"] = state.article
    ss["ignored_params"] = state.ignored
    ss["view0_filters"] = state.filters
    ss["_initialised"] = True


def current_filters(bounds: Bounds | None = None) -> Filters:
    """The filters the widgets hold now (bounds only when "only what the map shows" is on)."""
    ss = st.session_state
    return Filters(
        countries=tuple(ss.get("f_country", [])),
        categories=tuple(ss.get("f_category", [])),
        kinds=tuple(ss.get("f_kind", [])),
        statuses=tuple(ss.get("f_status", [])),
        query=ss.get("f_query", ""),
        bounds=bounds if ss.get("f_inview") else None,
    )


def sync_url() -> None:
    """Write the current state to the query string (only when it changed)."""
    ss = st.session_state
    state = UrlState(
        lang=ss.get("lang", "en"),
        filters=current_filters().without_bounds(),
        in_view=bool(ss.get("f_inview")),
        view=ss.get("view"),
        article=ss.get("article", ""),
    )
    wanted = urlstate.encode(state)
    if wanted != st.query_params.to_dict():
        st.query_params.from_dict(wanted)


def clear_filters() -> None:
    """Button callback: back to the whole atlas (language and view kept)."""
    ss = st.session_state
    for key in KEYS.values():
        ss[key] = "" if key == "f_query" else []
    ss["f_inview"] = False
    ss["article"] = ""


def set_view(lat: float, lon: float, zoom: int) -> None:
    """Remember the map view (for the link and for the next map build)."""
    st.session_state["view"] = View(round(lat, 4), round(lon, 4), int(zoom))
