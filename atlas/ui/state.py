"""Every session-state key of the app, behind typed accessors; the URL kept in step with them.

Streamlit keeps a visitor's state in `st.session_state`, a dict keyed by strings. Widgets own
the keys named in `Key` that end in a widget's `key=`; the others are the app's own. No other
module reads or writes `st.session_state` directly: it calls the functions below.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import streamlit as st

from atlas import urlstate
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
    ss[Key.LANG] = state.lang
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


def sync_url() -> None:
    """Write the current state to the query string (only when it changed)."""
    wanted = urlstate.encode(url_state())
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


# -- the contribution form (Add or correct an entry) ---------------------------------------------
#
# Its widgets keep their values for the whole session (`persist_state="session"`): a person who
# goes to the map and comes back finds what they typed. The form holds one entry at a time (the
# *target*: "" for a new entry, else the id of the entry being corrected); switching target puts
# the current values aside as a draft and brings back that target's draft, if any.


class FormKey(StrEnum):
    """Session-state keys of the contribution form (widgets first, then the form's own)."""

    KIND = "form_kind"
    NAME = "form_name"
    ALIASES = "form_aliases"
    CATEGORY = "form_category"
    STATUS = "form_status"
    OPENED = "form_opened"
    COUNTRY = "form_country"
    CITY = "form_city"
    ADDRESS = "form_address"
    POSTCODE = "form_postcode"
    REGION = "form_region"
    WEBSITE = "form_website"
    DESCRIPTION_EN = "form_description_en"
    DESCRIPTION_FR = "form_description_fr"
    SOURCE = "form_source"
    CONTACT = "form_contact"
    NOTE = "form_note"
    HONEYPOT = "form_hp"  # hidden by static/contribute/form.css: only bots fill it in
    MAP = "form_map"
    # the form's own
    SESSION_ID = "_form_session"  # a random id: submissions are counted per session
    TARGET = "_form_target"  # "" (a new entry) or the id of the entry being corrected
    CHALLENGE = "form_challenge"  # (seed, bits) of the proof of work the store asked for, under pressure
    PROOF = "form_proof"  # the answer the page's script found
    LOADED = "_form_loaded"  # the target whose values the widgets hold
    DRAFTS = "_form_drafts"  # target -> FormDraft put aside
    POSITION = "_form_position"  # the entry's position (atlas.contribute.Position) or None
    GEO_QUERY = "_form_geo_query"  # the (city, country, address) the position was looked up for
    ENTRY = "_form_entry"  # the record of the entry being corrected, as it was when loaded
    LAST_CLICK = "_form_last_click"  # the last map click handled
    ATTEMPTED = "_form_attempted"  # the person tried to send: empty required fields are errors now
    SENT = "_form_sent"  # what was sent (FormSent), shown until the person starts another


FORM_FIELD_KEYS: dict[str, FormKey] = {
    key.value.removeprefix("form_"): key
    for key in FormKey
    if key.value.startswith("form_") and key not in (FormKey.KIND, FormKey.HONEYPOT, FormKey.MAP)
}


@dataclass(frozen=True)
class FormDraft:
    """A form's values put aside (or to load): widget values, position, and the entry corrected."""

    kind: str = "organisation"
    values: dict[str, str | None] = field(default_factory=dict)
    position: object = None  # atlas.contribute.Position | None
    geo_query: tuple[str, str, str] | None = None
    entry: dict[str, object] | None = None


@dataclass(frozen=True)
class FormSent:
    """A proposal received: its reference (None when the honeypot was filled: nothing stored)."""

    reference: int | None
    entry_id: str
    correction: bool


def form_session_id() -> str:
    """This session's random id (made on first use), by which the store counts its submissions."""
    ss = st.session_state
    if not ss.get(FormKey.SESSION_ID):
        ss[FormKey.SESSION_ID] = secrets.token_urlsafe(18)
    return str(ss[FormKey.SESSION_ID])


def form_target() -> str:
    return str(st.session_state.get(FormKey.TARGET) or "")


def start_correction(entry_id: str) -> None:
    """Button callback: the form now corrects `entry_id` (pre-filled on the contribution page)."""
    st.session_state[FormKey.TARGET] = entry_id
    st.session_state[FormKey.SENT] = None
    st.session_state[FormKey.ATTEMPTED] = False


def start_new() -> None:
    """Button callback: the form now adds a new entry (with the new entry's draft, if any)."""
    start_correction("")


def form_kind() -> str:
    return str(st.session_state.get(FormKey.KIND) or "organisation")


def form_values() -> dict[str, str]:
    """What the form's fields hold now ("" for nothing; a choice not made yet is "")."""
    ss = st.session_state
    return {name: "" if ss.get(key) is None else str(ss.get(key)) for name, key in FORM_FIELD_KEYS.items()}


def honeypot_filled() -> bool:
    return bool(str(st.session_state.get(FormKey.HONEYPOT) or "").strip())


def _current_draft() -> FormDraft:
    ss = st.session_state
    return FormDraft(
        kind=form_kind(),
        values={name: ss.get(key) for name, key in FORM_FIELD_KEYS.items()},
        position=ss.get(FormKey.POSITION),
        geo_query=ss.get(FormKey.GEO_QUERY),
        entry=ss.get(FormKey.ENTRY),
    )


def _put_draft(draft: FormDraft) -> None:
    ss = st.session_state
    ss[FormKey.KIND] = draft.kind
    for name, key in FORM_FIELD_KEYS.items():
        value = draft.values.get(name)
        ss[key] = None if value is None and name in ("category", "country", "status") else (value or "")
    ss[FormKey.HONEYPOT] = ""
    ss[FormKey.POSITION] = draft.position
    ss[FormKey.GEO_QUERY] = draft.geo_query
    ss[FormKey.ENTRY] = draft.entry
    ss[FormKey.ATTEMPTED] = False


def form_loaded() -> bool:
    """True when the widgets hold the current target's values."""
    ss = st.session_state
    return ss.get(FormKey.LOADED) == form_target() and FormKey.NAME in ss


def load_form(initial: Callable[[], FormDraft]) -> None:
    """Put the current target's values in the widgets (before they are drawn), unless they are
    there already: its draft put aside earlier, else `initial()`. The values the widgets held for
    another target are put aside as that target's draft (one correction draft is kept)."""
    ss = st.session_state
    target = form_target()
    if form_loaded():
        return
    drafts: dict[str, FormDraft] = ss.setdefault(FormKey.DRAFTS, {})
    loaded = ss.get(FormKey.LOADED)
    if loaded is not None and loaded != target and FormKey.NAME in ss:
        for other in [k for k in drafts if k and k != target]:
            del drafts[other]
        drafts[loaded] = _current_draft()
    draft = drafts.pop(target, None)
    _put_draft(draft if draft is not None else initial())
    ss[FormKey.LOADED] = target


def form_entry() -> dict[str, object] | None:
    """The record of the entry being corrected, as it was when the form was filled from it."""
    return st.session_state.get(FormKey.ENTRY)


def form_position() -> object:
    return st.session_state.get(FormKey.POSITION)


def form_geo_query() -> tuple[str, str, str] | None:
    return st.session_state.get(FormKey.GEO_QUERY)


def set_form_position(position: object, query: tuple[str, str, str] | None) -> None:
    st.session_state[FormKey.POSITION] = position
    st.session_state[FormKey.GEO_QUERY] = query


def relocate() -> None:
    """Button callback: look the position up again from the city and address (drops a hand-placed pin)."""
    st.session_state[FormKey.GEO_QUERY] = None
    st.session_state[FormKey.POSITION] = None


def form_new_click(point: tuple[float, float]) -> bool:
    """True the first time a given click on the form's map is seen (the map repeats its last click)."""
    if point == st.session_state.get(FormKey.LAST_CLICK):
        return False
    st.session_state[FormKey.LAST_CLICK] = point
    return True


def form_attempted() -> bool:
    return bool(st.session_state.get(FormKey.ATTEMPTED))


def mark_attempted() -> None:
    """Send button callback: from now on, an empty required field is shown as an error."""
    st.session_state[FormKey.ATTEMPTED] = True


def form_challenge() -> tuple[str, int] | None:
    """The proof of work this visitor was asked for (seed, bits), while the queue is under pressure."""
    asked = st.session_state.get(FormKey.CHALLENGE)
    return (str(asked[0]), int(asked[1])) if asked else None


def set_form_challenge(seed_bits: tuple[str, int] | None) -> None:
    """A new proof of work to find (or none); any answer found for an earlier one is dropped."""
    st.session_state.pop(FormKey.PROOF, None)
    if seed_bits is None:
        st.session_state.pop(FormKey.CHALLENGE, None)
    else:
        st.session_state[FormKey.CHALLENGE] = seed_bits


def form_proof() -> str:
    """The answer to the proof of work the page's script found ("" until then)."""
    return str(st.session_state.get(FormKey.PROOF) or "")


def set_form_proof(value: str) -> None:
    st.session_state[FormKey.PROOF] = value


def form_sent() -> FormSent | None:
    return st.session_state.get(FormKey.SENT)


def set_form_sent(sent: FormSent) -> None:
    """Remember what was sent; the form it came from is done with (its values are replaced by the
    next target's when the form is shown again)."""
    ss = st.session_state
    ss.setdefault(FormKey.DRAFTS, {}).pop(form_target(), None)
    ss[FormKey.SENT] = sent
    ss[FormKey.TARGET] = ""
    ss[FormKey.LOADED] = None
    ss[FormKey.LAST_CLICK] = None


def another() -> None:
    """Button callback after a proposal was sent: an empty form for a new entry."""
    st.session_state[FormKey.SENT] = None
    st.session_state[FormKey.TARGET] = ""
