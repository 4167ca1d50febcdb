"""The app's pages, in one place (app.py lists them; pages link to each other through `state.page`)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from atlas.i18n import N_, t
from atlas.ui import auth, state


def _spec() -> dict[str, tuple[Callable[[], None], str, str]]:
    from atlas.ui.pages import about, contribute, map_page, moderate

    return {
        "map": (map_page.render, N_("page_map"), ":material/map:"),
        "contribute": (contribute.render, N_("page_contribute"), ":material/edit_location_alt:"),
        "about": (about.render, N_("page_about"), ":material/info:"),
        "moderate": (moderate.render, auth.moderate_page_title(), ":material/shield_person:"),
    }


def page(name: str) -> st.Page:
    """The page `name` (map, contribute, about, moderate), titled in the visitor's language."""
    render, title, icon = _spec()[name]
    return st.Page(render, title=t(title, state.lang()), icon=icon, url_path=name, default=name == "map")


def pages() -> list[st.Page]:
    """Every page, in the menu's order; remembered for this run so that pages can link to each
    other (`state.page`)."""
    listed = {name: page(name) for name in _spec()}
    state.remember_pages(listed)
    return list(listed.values())
