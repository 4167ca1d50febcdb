"""Every session-state key of the app, behind typed accessors; the URL kept in step with them.

Streamlit keeps a visitor's state in `st.session_state`, a dict keyed by strings. Widgets own
the keys named in `Key` that end in a widget's `key=`; the others are the app's own. No other
module reads or writes `st.session_state` directly: it calls the functions below.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

import streamlit as st

from atlas import urlstate
from atlas.browser_lang import negotiate as browser_lang_of
from atlas.filters import Bounds, Filters
from atlas.i18n import normalise_lang
from atlas.urlstate import UrlState, View


class Key(StrEnum):
    """Session-state keys. Widget keys are passed as `key=` to the widget that owns them."""

    # widgets
    LANG = "lang"
    COUNTRIES = "f_country"
    REGIONS = "f_region"
    CATEGORIES = "f_category"
    KINDS = "f_kind"
    STATUSES = "f_status"
    QUERY = "f_query"
    IN_VIEW = "f_inview"
    ARTICLE_QUERY = "a_query"
    MAP = "atlas_map"
    TABLE = "atlas_table"
    CHART_TAB = "chart_tab"  # the open tab of the charts (only it is drawn)
    # the app's own
    INITIALISED = "_initialised"
    IGNORED_PARAMS = "ignored_params"
    ARTICLE = "article"  # the article highlighted on the map ("" for none)
    SELECTED = "selected"  # id of the entry in the detail panel
    PLACE = "selected_place"  # id of the article place in the detail panel (a click on one; not in the link)
    LAST_CLICK = "_last_click"  # the last map click handled (the map repeats it on every rerun)
    MAP_BOUNDS = "map_bounds"  # the map's view, when "only what the map shows" is on
    VIEW = "view"  # the map's current centre and zoom, for the link
    LINK_VIEW = "view0"  # the view a shared link asked for, kept until the filters change
    LINK_FILTERS = "view0_filters"  # the filters that came with that link
    # the Moderate page: widgets (per-item widgets are named by `item_key`)
    MOD_TABS = "mod_tabs"
    MOD_ACTION = "mod_action"  # the queue's filter: "", "submission" or "correction"
    MOD_TEXT = "mod_text"  # the queue's text filter
    MOD_AUDIT_TEXT = "mod_audit_text"
    MOD_ENTRY_TEXT = "mod_entry_text"  # the Entries tab's search
    MOD_ENTRY = "mod_entry"  # the entry chosen in the Entries tab
    MOD_ENTRY_NOTE = "mod_entry_note"  # the reason for withdrawing or publishing it again
    MOD_DRAFT_TEXT = "mod_draft_text"  # the Articles tab's search
    MOD_DRAFT = "mod_draft"  # the article draft chosen in the Articles tab
    # the Moderate page: its own
    MOD_QUEUE_PAGE = "_mod_queue_page"
    MOD_AUDIT_PAGE = "_mod_audit_page"
    MOD_PAIR_PAGE = "_mod_pair_page"  # the Duplicates tab's page
    MOD_DRAFT_PAGE = "_mod_draft_page"  # the Articles tab's page of drafts
    MOD_FLASH = "_mod_flash"  # the outcome of the last decision, shown once
    MOD_PROBLEMS = "_mod_problems"  # revision id (or entry id) -> {field: message} of a refused decision
    LINK_ENTRY = "entry0"  # the entry a permalink opened, until another one is selected
    RECORD_SHOWN = "_record_shown"  # the entry whose record the embed layout last opened
    TABLE_PICK = "_table_pick"  # the table row selection last handled (the table repeats it on every rerun)
    PAGES = "_pages"  # this run's pages by name (atlas/ui/navigation.py), for the links between them


FILTER_KEYS = {
    "countries": Key.COUNTRIES,
    "regions": Key.REGIONS,
    "categories": Key.CATEGORIES,
    "kinds": Key.KINDS,
    "statuses": Key.STATUSES,
    "query": Key.QUERY,
}


def init_from_url() -> None:
    """On a session's first run, put the link's state into the widgets' session keys."""
    ss = st.session_state
    if ss.get(Key.INITIALISED):
        return
    state = urlstate.decode(st.query_params.to_dict())
    # a link's language, else the browser's (issue 25): a French browser's first page is French
    ss[Key.LANG] = state.lang if "lang" in st.query_params else browser_lang()
    for field_name, key in FILTER_KEYS.items():
        value = getattr(state.filters, field_name)
        ss[key] = list(value) if isinstance(value, tuple) else value
    ss[Key.IN_VIEW] = state.in_view
    ss[Key.VIEW] = ss[Key.LINK_VIEW] = state.view
    ss[Key.ARTICLE] = state.article
    ss[Key.LINK_ENTRY] = state.entry
    if state.entry:  # a permalink opens that entry's record
        ss[Key.SELECTED] = state.entry
    ss[Key.IGNORED_PARAMS] = state.ignored
    ss[Key.LINK_FILTERS] = state.filters
    ss[Key.INITIALISED] = True


def remember_pages(pages: Mapping[str, st.Page]) -> None:
    """The pages `st.navigation` was given in this run (`atlas/ui/navigation.py`), by name."""
    st.session_state[Key.PAGES] = dict(pages)


def page(name: str) -> st.Page:
    """The page `name` (map, contribute, about, moderate), to link or switch to: the pages link to
    each other through here, not through the module that lists them (which imports them)."""
    return st.session_state[Key.PAGES][name]


def lang() -> str:
    """The page's language ("en" or "fr")."""
    return normalise_lang(st.session_state.get(Key.LANG))


def ignored_params() -> list[str]:
    """The link's parameters that were not understood (shown once as a notice)."""
    return list(st.session_state.get(Key.IGNORED_PARAMS) or [])


def current_filters(bounds: Bounds | None = None) -> Filters:
    """The filters the widgets hold now (`bounds` only when "only what the map shows" is on)."""
    ss = st.session_state
    return Filters(
        countries=tuple(ss.get(Key.COUNTRIES, [])),
        regions=tuple(ss.get(Key.REGIONS, [])),
        categories=tuple(ss.get(Key.CATEGORIES, [])),
        kinds=tuple(ss.get(Key.KINDS, [])),
        statuses=tuple(ss.get(Key.STATUSES, [])),
        query=ss.get(Key.QUERY, ""),
        bounds=bounds if ss.get(Key.IN_VIEW) else None,
    )


def page_filters() -> Filters:
    """The filters of this rerun, with the map's last bounds when the view filter is on."""
    return current_filters(st.session_state.get(Key.MAP_BOUNDS))


def keep_known(key: Key, allowed: set[str]) -> None:
    """Drop values (e.g. from an old link) that are no longer options, so the widget never fails."""
    st.session_state[key] = [v for v in st.session_state.get(key, []) if v in allowed]


def clear_filters() -> None:
    """Button callback: back to the whole atlas (language and view kept)."""
    ss = st.session_state
    for key in FILTER_KEYS.values():
        ss[key] = "" if key == Key.QUERY else []
    ss[Key.IN_VIEW] = False
    ss[Key.ARTICLE] = ""


def in_view_filter_on() -> bool:
    return bool(st.session_state.get(Key.IN_VIEW))


def map_bounds() -> Bounds | None:
    return st.session_state.get(Key.MAP_BOUNDS)


def set_map_bounds(bounds: Bounds) -> bool:
    """Remember the map's view for the view filter; True when it changed."""
    if bounds == st.session_state.get(Key.MAP_BOUNDS):
        return False
    st.session_state[Key.MAP_BOUNDS] = bounds
    return True


def chosen_article() -> str:
    """Id of the article highlighted on the map ("" for none)."""
    return str(st.session_state.get(Key.ARTICLE) or "")


def choose_article(article_id: str) -> None:
    """Button callback: highlight an article on the map ("" to clear)."""
    st.session_state[Key.ARTICLE] = article_id


def open_article(article_id: str) -> None:
    """Callback of a record's "Mentioned in": highlight the article and show its card (the
    articles' search is cleared, so that nothing hides it)."""
    st.session_state[Key.ARTICLE] = article_id
    st.session_state[Key.ARTICLE_QUERY] = ""


def selected_id() -> str:
    """Id of the entry shown in the detail panel ("" for none)."""
    return str(st.session_state.get(Key.SELECTED) or "")


def select(entry_id: str) -> None:
    st.session_state[Key.SELECTED] = entry_id
    st.session_state.pop(Key.PLACE, None)


def select_place(place_id: str) -> None:
    """Show an article place (`article_places_frame`'s id) in the detail panel instead of an entry."""
    st.session_state[Key.SELECTED] = ""
    st.session_state[Key.PLACE] = place_id


def selected_place() -> str:
    """Id of the article place shown in the detail panel ("" for none)."""
    return str(st.session_state.get(Key.PLACE) or "")


def link_entry() -> str:
    """The entry a permalink (`?entry=ID`) opened, while it is still the selected one ("" otherwise)."""
    ss = st.session_state
    entry = str(ss.get(Key.LINK_ENTRY) or "")
    return entry if entry and entry == selected_id() else ""


def new_table_pick(entry_id: str) -> bool:
    """True the first time a table row selection is seen (the table reports it on every rerun), so
    that a marker clicked later is not overridden by a row still ticked in the table."""
    if entry_id == st.session_state.get(Key.TABLE_PICK):
        return False
    st.session_state[Key.TABLE_PICK] = entry_id
    return True


def new_click(tooltip: str) -> bool:
    """True the first time a given map click is seen (the map reports its last click on every rerun)."""
    if tooltip == st.session_state.get(Key.LAST_CLICK):
        return False
    st.session_state[Key.LAST_CLICK] = tooltip
    return True


def set_view(lat: float, lon: float, zoom: int) -> None:
    """Remember the map view (for the link and for the next map build)."""
    st.session_state[Key.VIEW] = View(round(lat, 4), round(lon, 4), int(zoom))


def link_view() -> View | None:
    """The view a shared link asked for, kept until the filters change (then the map fits the data).

    Live pans are not used here: they must not rebuild the map.
    """
    ss = st.session_state
    if ss.get(Key.LINK_VIEW) and ss.get(Key.LINK_FILTERS) != current_filters().without_bounds():
        ss[Key.LINK_VIEW] = None
    return ss.get(Key.LINK_VIEW)


def url_state() -> UrlState:
    """Everything the link of the current view carries."""
    return UrlState(
        lang=lang(),
        filters=current_filters().without_bounds(),
        in_view=in_view_filter_on(),
        view=st.session_state.get(Key.VIEW),
        article=chosen_article(),
        entry=selected_id(),
    )


def new_record_shown() -> bool:
    """True the first time the selected entry is asked about (the embed layout then opens its record)."""
    entry = selected_id()
    if not entry or entry == st.session_state.get(Key.RECORD_SHOWN):
        return False
    st.session_state[Key.RECORD_SHOWN] = entry
    return True


def browser_lang() -> str:
    """The language the visitor's browser asks for (`Accept-Language`, else its locale)."""
    return browser_lang_of(st.context.headers.get("Accept-Language"), st.context.locale)


def sync_url() -> None:
    """Write the current state to the query string (only when it changed)."""
    wanted = urlstate.encode(url_state())
    if "lang" not in wanted and lang() != browser_lang():  # English chosen in a French browser: said
        wanted = {"lang": lang(), **wanted}
    if wanted != st.query_params.to_dict():
        st.query_params.from_dict(wanted)


# -- the Moderate page --------------------------------------------------------------------------


def item_key(part: str, item: int | str, field: str = "") -> str:
    """Widget key of one queue item's widget (`part`: note, edit, dup, dupq…; `field` for edits)."""
    return f"mod_{part}_{item}" + (f"_{field}" if field else "")


def widget_value(key: str, default: object = None) -> object:
    """What the widget `key` holds now (`default` before it was drawn)."""
    return st.session_state.get(key, default)


def init_widget(key: str, value: object) -> None:
    """Give the widget `key` its first value (before it is drawn), unless it holds one already."""
    st.session_state.setdefault(key, value)


def set_widget(key: str, value: object) -> None:
    """Put `value` in the widget `key` (from a callback, or before the widget is drawn)."""
    st.session_state[key] = value


def keep_choice(key: str, options: list[str]) -> None:
    """Forget the choice of the select box `key` when it is no longer one of its `options`."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = None


def reset_draft_page() -> None:
    st.session_state[Key.MOD_DRAFT_PAGE] = 0


def page_index(key: Key) -> int:
    """A paged list's current page (0-based)."""
    return int(st.session_state.get(key) or 0)


def set_page_index(key: Key, index: int) -> None:
    st.session_state[key] = max(0, int(index))


def reset_queue_page() -> None:
    """Widget callback: a filter changed, back to the first page."""
    st.session_state[Key.MOD_QUEUE_PAGE] = 0


def reset_audit_page() -> None:
    st.session_state[Key.MOD_AUDIT_PAGE] = 0


def set_flash(level: str, title: str, detail: str = "") -> None:
    """Remember the outcome of a decision (`level`: success, warning, error), shown once."""
    st.session_state[Key.MOD_FLASH] = (level, title, detail)


def take_flash() -> tuple[str, str, str] | None:
    """The outcome to show now, forgotten once shown."""
    return st.session_state.pop(Key.MOD_FLASH, None)


def problems(item: int | str) -> dict[str, str]:
    """The field messages of the last refused decision on `item` (a revision or entry id)."""
    return dict((st.session_state.get(Key.MOD_PROBLEMS) or {}).get(item, {}))


def set_problems(item: int | str, found: dict[str, str]) -> None:
    everything = dict(st.session_state.get(Key.MOD_PROBLEMS) or {})
    if found:
        everything[item] = found
    else:
        everything.pop(item, None)
    st.session_state[Key.MOD_PROBLEMS] = everything


def component_trigger(key: str, name: str) -> str:
    """The trigger value `name` a component (`st.components.v2`) keyed `key` just sent ("" for none);
    read in the component's callback."""
    value: object = st.session_state.get(key)
    found = value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)
    return found if isinstance(found, str) else ""
