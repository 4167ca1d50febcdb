"""Add or correct an entry: a form checked by the schema, geocoded with a preview, sent to moderation.

What a person types is never lost: the widgets keep their values for the session (page switches
included), a refused or failed sending leaves them as they are, and a correction started from
the map puts a new entry's text aside until the person comes back to it. Everything that comes
from outside (what is typed, the atlas's own data) is shown as plain text (`st.text`, widget
values), never as Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

import streamlit as st

from atlas import config, labels
from atlas.categories import CATEGORY_IDS, category_label
from atlas.contribute import (
    BY_NAME,
    POSITION,
    Position,
    blocking,
    by_field,
    changes,
    check_extras,
    check_record,
    client_address,
    complete_url,
    entry_position,
    entry_values,
    field_limit,
    follow,
    form_record,
    message,
)
from atlas.countries import country_name
from atlas.i18n import N_, t
from atlas.provenance import reader_sources, title_index
from atlas.schema import KINDS, ODC_STATUSES, Problem
from atlas.sources import SourceUnavailable
from atlas.store.errors import InvalidRecord, NotFound, NothingChanged, Refused
from atlas.store.source import UNREACHABLE
from atlas.store.store import Store
from atlas.ui import follow_link, form_state, proof_of_work, safe, state
from atlas.ui.form_state import FORM_FIELD_KEYS, FormDraft, FormKey, FormSent
from atlas.ui.loaders import current_snapshot, current_store
from atlas.ui.location_picker import locate, render_location_picker
from atlas.web.proxy import VISITOR_COOKIE, visitor_token

FORM_CSS = Path(__file__).resolve().parents[3] / "static" / "contribute" / "form.css"
SIMILAR_MIN_NAME = 3  # characters of a name before similar entries are looked for


def render() -> None:
    lang = state.lang()
    st.title(t("page_contribute", lang))
    if config.data_source() == "files":
        st.info(t("contribute_read_only", lang), icon=":material/lock:")
        st.page_link(state.page("map"), label=t("contribute_back_to_map", lang), icon=":material/map:")
        return
    safe.stylesheet(FORM_CSS)
    sent = form_state.form_sent()
    if sent is not None:
        _confirmation(sent, lang)
        return
    store = _store()
    if not _load(store, lang):
        return
    if store is None or not _answers(store):
        st.warning(t("contribute_outage", lang), icon=":material/cloud_off:")
    _form(store, lang)


def _store() -> Store | None:
    """The database, or None when it cannot be opened right now."""
    try:
        return current_store()
    except SourceUnavailable:
        return None


def _answers(store: Store) -> bool:
    """Whether the database answers now (one primary-key read): the form says so before anyone
    types in vain, and tries again when the person sends."""
    try:
        store.revision()
    except UNREACHABLE:
        return False
    return True


def _load(store: Store | None, lang: str) -> bool:
    """Fill the widgets for the current target (once); False when there is no form to show."""
    target = form_state.form_target()
    if not target or form_state.form_loaded():
        form_state.load_form(FormDraft)
        return True
    try:
        entry = store.entry(target) if store is not None else None
    except UNREACHABLE:
        store, entry = None, None
    if store is None:
        st.warning(t("contribute_outage", lang), icon=":material/cloud_off:")
    elif entry is None or entry["state"] != "published":
        st.warning(t("contribute_entry_gone", lang), icon=":material/warning:")
    if entry is None or entry["state"] != "published":
        st.button(t("contribute_new_instead", lang), on_click=form_state.start_new, key="form_new_instead")
        return False
    query = (str(entry["city"] or ""), str(entry["country"] or ""), str(entry["address"] or ""))
    draft = FormDraft(str(entry["kind"]), _correction_values(entry), entry_position(entry), query, dict(entry))
    form_state.load_form(lambda: draft)
    return True


def _form(store: Store | None, lang: str) -> None:
    target = form_state.form_target()
    entry = form_state.form_entry() if target else None
    if entry is None:
        st.caption(t("contribute_intro", lang))
        st.radio(
            t("contribute_kind", lang),
            KINDS,
            key=FormKey.KIND,
            horizontal=True,
            format_func=lambda k: t(labels.FORM_KIND[k], lang),
            persist_state="session",
        )
    else:
        with st.container(border=True):
            st.caption(t("contribute_correcting", lang))
            safe.strong(entry["name"])
            st.button(t("contribute_new_instead", lang), on_click=form_state.start_new, key="form_new_instead")
    kind = form_state.form_kind()
    values = form_state.form_values()
    position = _position(values, lang)
    record = form_record(kind, values, position)
    if entry is not None:
        record = _kept_sources(record, entry)
    clean, problems = store.check(kind, record) if store is not None else check_record(kind, record)
    problems = [*problems, *check_extras(values["contact"], values["note"])]
    shown = by_field(problems, values, form_state.form_attempted())
    limits = {name: field_limit(name, (entry or {}).get(name, "")) for name in BY_NAME}
    form = _Fields(lang, shown, limits)

    st.subheader(t("contribute_section_what", lang))
    form.field("name")
    if kind == "organisation":
        form.field("aliases")
        form.choice("category", list(CATEGORY_IDS), lambda c: category_label(c, lang))
    else:
        form.choice("status", list(ODC_STATUSES), lambda s: t(labels.STATUS[s], lang), radio=True)
        form.field("opened")
    form.field("website")
    if complete_url(values["website"]) != values["website"]:  # typed without https://: said how it is kept
        safe.small(t("form_website_completed", lang, url=complete_url(values["website"]).strip()))
    left, right = st.columns(2)
    with left:
        form.field("description_en")
    with right:
        form.field("description_fr")
    form.honeypot()

    st.subheader(t("contribute_section_where", lang))
    left, right = st.columns([2, 3], gap="medium")
    with left:
        codes = sorted(_country_codes(), key=lambda c: country_name(c, lang))
        form.choice("country", codes, lambda c: country_name(c, lang))
        form.field("city")
        form.field("address")
        form.field("postcode")
        form.field("region")
    with right:
        _position_panel(position, entry, values, lang)
        form.messages(POSITION)

    if entry is None and store is not None:
        _similar(store, clean or record, values, lang)

    st.subheader(t("contribute_section_source", lang))
    if entry is not None:
        _current_sources(entry, lang)
    form.field("source")
    st.subheader(t("contribute_section_contact", lang))
    form.field("contact")
    form.field("note")

    if entry is not None and clean is not None:
        _changes(entry, clean, lang)
    _send_button(store, kind, record, values, problems, lang)


class _Fields:
    """Draws the form's fields, each followed by its own messages."""

    def __init__(self, lang: str, shown: dict[str, list[Problem]], limits: dict[str, int]) -> None:
        self.lang, self.shown, self.limits = lang, shown, limits

    def field(self, name: str) -> None:
        spec, key, limit = BY_NAME[name], FORM_FIELD_KEYS[name], self.limits[name]
        lang = self.lang
        hint = labels.FORM_HELP.get(name, "")
        if spec.area:
            st.text_area(
                t(spec.label, lang) + (" *" if spec.required else ""),
                key=key,
                max_chars=limit,
                help=t(hint, lang) if hint else None,
                height=80 if name == "note" else 110,
                persist_state="session",
            )
        else:
            kind: Literal["default", "email", "url"] = (
                "email" if name == "contact" else "url" if name == "website" else "default"
            )
            st.text_input(
                t(spec.label, lang) + (" *" if spec.required else ""),
                key=key,
                max_chars=limit,
                help=t(hint, lang) if hint else None,
                type=kind,
                placeholder=t(labels.FORM_PLACEHOLDER[name], lang) if name in labels.FORM_PLACEHOLDER else "",
                validate="",  # the schema's rules, said next to the field, are the only ones
                autocomplete="email" if name == "contact" else "off",
                persist_state="session",
            )
        self.messages(name)

    def choice(self, name: str, options: list[str], label: Callable[[str], str], radio: bool = False) -> None:
        spec, key = BY_NAME[name], FORM_FIELD_KEYS[name]
        if radio:
            st.radio(
                t(spec.label, self.lang) + (" *" if spec.required else ""),
                options,
                index=None,
                key=key,
                format_func=label,
                horizontal=True,
                persist_state="session",
            )
        else:
            st.selectbox(
                t(spec.label, self.lang) + (" *" if spec.required else ""),
                options,
                index=None,
                key=key,
                format_func=label,
                placeholder=t("choose", self.lang),
                persist_state="session",
            )
        self.messages(name)

    def honeypot(self) -> None:
        """A field people never see (static/contribute/form.css hides it) and bots fill in."""
        st.text_input(t("form_hp", self.lang), key=FormKey.HONEYPOT, max_chars=200, autocomplete="off")

    def messages(self, name: str) -> None:
        for problem in self.shown.get(name, []):
            key, n = message(problem)
            if blocking(problem):
                st.error(t(key, self.lang, n=int(n)), icon=":material/error:")
            else:
                st.warning(t(key, self.lang, n=int(n)), icon=":material/info:")


def _country_codes() -> list[str]:
    import pycountry

    return [c.alpha_2 for c in pycountry.countries]


def _position(values: dict[str, str], lang: str) -> Position | None:
    """The entry's position: looked up again when the city, country or address change (`follow`)."""
    query = (values["city"].strip(), values["country"].strip(), values["address"].strip())
    before = form_state.form_geo_query()
    current = form_state.form_position()
    current = current if isinstance(current, Position) else None
    if before != query:
        with st.spinner(t("contribute_locating", lang)):
            found = locate(*query)
        current = follow(current, before, query, found)
        form_state.set_form_position(current, query)
    return current


def _position_panel(position: Position | None, entry: dict | None, values: dict[str, str], lang: str) -> None:
    st.markdown(f"**{t('contribute_position', lang)}**")
    if position is None:
        searched = values["city"].strip() or values["address"].strip()
        st.info(t("contribute_position_not_found" if searched else "contribute_position_none", lang))
    else:
        st.text(t("contribute_coordinates", lang, lat=f"{position.lat:.5f}", lon=f"{position.lon:.5f}"))
        level = labels.PRECISION.get(position.precision) or N_("contribute_empty")
        if entry is not None and entry_position(entry) == position:
            st.caption(t("contribute_position_entry", lang, precision=t(level, lang)))
        elif position.manual:  # published as precise as the zoom of the click; closer for a street
            closer = position.precision != "address" and config.tile_source() is not None
            st.caption(
                t("pin_published_as", lang, precision=t(labels.PRECISION_LABEL[position.precision], lang))
                + (" " + t("pin_zoom_in", lang) if closer else "")
                + " "
                + t("pin_click_again", lang)
            )
        else:
            st.caption(t("contribute_position_found", lang, precision=t(level, lang)))
        if position.label:
            safe.text(position.label)
    clicked = render_location_picker(position, lang=lang)
    if clicked is not None and form_state.form_new_click((clicked.lat, clicked.lon)):
        form_state.set_form_position(clicked, form_state.form_geo_query())
        st.rerun()
    if position is not None and position.manual:
        st.button(t("contribute_relocate", lang), on_click=form_state.relocate, key="form_relocate")


def _similar(store: Store, record: dict[str, object], values: dict[str, str], lang: str) -> None:
    """ "Is it one of these?": published entries with a similar name (in the same country)."""
    if len(values["name"].strip()) < SIMILAR_MIN_NAME:
        return
    try:
        candidates = store.similar(record)
    except UNREACHABLE:
        return
    if not candidates:
        return
    with st.container(border=True):
        st.markdown(f"**{t('contribute_similar_title', lang)}**")
        st.caption(t("contribute_similar_hint", lang))
        for candidate in candidates:
            where = ", ".join(p for p in (candidate.city, country_name(candidate.country, lang)) if p)
            safe.text(f"{candidate.name} — {where}" if where else candidate.name)
            st.button(
                t("contribute_similar_choose", lang),
                key=f"form_similar_{candidate.id}",
                on_click=form_state.start_correction,
                args=(candidate.id,),
            )


def _field_key(field: str) -> str:
    """Translation key of a field's name (the position's four columns are one: the position)."""
    if field in ("lat", "lon", "geo_precision", "geo_source"):
        return N_("contribute_field_position")
    return labels.FORM_FIELD.get(field) or N_("contribute_field_other")


def _changes(entry: dict[str, object], clean: dict[str, object], lang: str) -> None:
    """The correction as the moderators will see it: each changed field, before and after."""
    st.subheader(t("contribute_changes_title", lang))
    found = changes(entry, clean)
    if not found:
        st.info(t("contribute_changes_none", lang))
        return
    with st.container(border=True, key="form_changes"):
        for change in found:
            st.markdown(f"**{t(_field_key(change.field), lang)}**")
            empty = t("contribute_empty", lang)
            before, after = _shown_change(change.field, change.old, lang), _shown_change(change.field, change.new, lang)
            safe.text(f"{t('contribute_change_before', lang)} {before or empty}")
            safe.text(f"{t('contribute_change_after', lang)} {after or empty}")


def _send_button(
    store: Store | None,
    kind: str,
    record: dict[str, object],
    values: dict[str, str],
    problems: list[Problem],
    lang: str,
) -> None:
    target = form_state.form_target()
    label = N_("contribute_send_correction") if target else N_("contribute_send")
    proof_of_work.render(lang)
    if not st.button(t(label, lang), type="primary", key="form_send", on_click=form_state.mark_attempted):
        return
    if form_state.honeypot_filled():  # a bot: thank it, store nothing
        form_state.set_form_sent(FormSent(None, target, bool(target)))
        st.rerun()
    if any(blocking(p) for p in problems):
        st.error(t("contribute_fix_first", lang), icon=":material/error:")
        return
    if store is None:
        st.error(t("contribute_outage", lang), icon=":material/cloud_off:")
        return
    options = {
        "contact": values["contact"].strip(),
        "note": values["note"],
        **_visitor(),
        "proof": form_state.form_proof(),
    }
    try:
        if target:
            done = store.propose_correction(target, record, **options)
        else:
            done = store.submit(kind, record, **options)
    except Refused as exc:
        if exc.reason == "challenge":
            proof_of_work.ask(store, _visitor(), lang)
        else:
            st.error(t(labels.CONTRIBUTE_REFUSED[exc.reason], lang), icon=":material/hourglass:")
    except NothingChanged:
        st.info(t("contribute_nothing_changed", lang), icon=":material/info:")
    except NotFound:
        st.error(t("contribute_entry_gone", lang), icon=":material/warning:")
    except InvalidRecord as exc:
        st.error(t("contribute_not_accepted", lang), icon=":material/error:")
        for problem in exc.problems:
            key, n = message(problem)
            st.text(f"{t(_field_key(problem.column or ''), lang)}: {t(key, lang, n=n)}")
    except UNREACHABLE:
        st.error(t("contribute_outage", lang), icon=":material/cloud_off:")
    else:
        form_state.set_form_challenge(None)
        url, mailed = follow_link.make(store, done.revision_id, options["contact"], lang)
        form_state.set_form_sent(FormSent(done.revision_id, done.entry_id, bool(target), url, mailed))
        st.rerun()


def _visitor() -> dict[str, str]:
    """Who is proposing, for the store's limits: the address (atlas/web/proxy.py resolved it from
    the connection and the trusted proxies; `loopback` when Streamlit has none) and the visitor
    cookie that proxy.py sets, which outlives a reload ("" without it: the store then counts the
    visitor by the address)."""
    return {
        "client": client_address(
            st.context.ip_address, st.context.headers.get("X-Forwarded-For"), config.trusted_proxies()
        ),
        "session": visitor_token(st.context.cookies.get(VISITOR_COOKIE)),
    }


def _confirmation(sent: FormSent, lang: str) -> None:
    st.success(t("contribute_sent_title", lang), icon=":material/check_circle:")
    if sent.reference is None:
        st.write(t("contribute_received", lang))
    else:
        key = N_("contribute_sent_correction") if sent.correction else N_("contribute_sent")
        st.write(t(key, lang, ref=int(sent.reference)))
    follow_link.show(sent, lang)
    st.button(t("contribute_another", lang), on_click=form_state.another, key="form_another")
    st.page_link(state.page("map"), label=t("contribute_back_to_map", lang), icon=":material/map:")


# -- the sources of a correction, as a reader reads them (issue 25) -----------------------------


def _correction_values(entry: Mapping[str, object]) -> dict[str, str | None]:
    """A correction's form starts from the entry, but with an empty Source field: the entry's
    sources are shown above it as a reader reads them (`_current_sources`), never in the store's
    own notation, and what the person types there is added to them (`_kept_sources`)."""
    return {**entry_values(entry), "source": ""}


def _reader_lines(source: object, lang: str) -> list[str]:
    articles = current_snapshot().articles
    index = title_index((a.id, (a.title_en, a.title_fr)) for a in articles)
    return reader_sources(source, lang, index, {a.id: a.title(lang) for a in articles})


def _current_sources(entry: dict[str, object], lang: str) -> None:
    lines = _reader_lines(entry.get("source"), lang)
    if lines:
        with st.container(key="form_current_sources"):
            st.caption(t("contribute_sources_as_read", lang))
            for line in lines:
                safe.small(f"• {line}")
    st.caption(t("contribute_sources_add", lang))


def _kept_sources(record: dict[str, object], entry: dict[str, object]) -> dict[str, object]:
    """The record sent for a correction: the entry's sources kept, what the person added before
    them (first, it stays a clause of its own: `atlas.provenance` joins a clause in no known form
    to the one before it)."""
    kept = str(entry.get("source") or "").strip()
    added = str(record.get("source") or "").strip()
    return {**record, "source": f"{added}; {kept}" if kept and added else kept or added}


def _shown_change(field: str, value: object, lang: str) -> str:
    """A value of the correction's before/after list: sources as a reader reads them."""
    if field == "source":
        return t("list_separator", lang).join(_reader_lines(value, lang))
    return str(value or "")
