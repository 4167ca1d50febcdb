"""The contribution form's session state (Add or correct an entry), behind typed accessors.

With `atlas/ui/state.py` (the map page, filters, the Moderate page), the only module that reads or
writes `st.session_state`: the form's widgets, the drafts put aside, the position, what was sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import streamlit as st

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
    follow_url: str = ""  # the contributor's private follow page ("" when none could be made)
    mailed: bool = False  # the follow link was also sent to the contributor's e-mail


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
