"""The Moderate page: sign-in, the queue of pending changes and its decisions, entries, the audit log.

Who may act is checked on every run and again inside every action callback, right before the store
is called (a callback can be reached by a replayed widget message). The moderator named to the store
is `auth.email()` — the address the identity provider vouched for — never a widget's value; the
revision, its version and the entry come from the page as the server drew it (the callbacks' args).

Everything a visitor or a moderator wrote (names, notes, values, addresses) is shown as plain text:
`st.text`, `st.code`, data frames and widget values, never Markdown or HTML.

The page is a set of tabs (`TABS`, `(title key, render function)` pairs): Queue, Entries and Audit
log are drawn here; what the tabs share (the decision runner `act`, the pager, field rows) is in
`atlas.ui.moderate_common`.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from atlas.categories import CATEGORY_IDS, category_label
from atlas.i18n import N_, t, tn
from atlas.labels import MODERATE_ACTION, MODERATE_SECRET, MODERATE_STATE, PRECISION, STATUS
from atlas.schema import GEO_PRECISIONS, ODC_STATUSES
from atlas.sources import SourceUnavailable
from atlas.store.records import QueueItem
from atlas.store.store import MAX_NOTE, Store
from atlas.text import fold
from atlas.ui import auth, moderate_audit, safe, state
from atlas.ui import moderate_common as common
from atlas.ui.loaders import current_snapshot, current_store
from atlas.ui.moderate_articles import render_articles
from atlas.ui.moderate_audit import render_audit
from atlas.ui.moderate_common import editable_fields, label_key, shown_value
from atlas.ui.moderate_duplicates import render_duplicates
from atlas.ui.moderate_sources import render_sources
from atlas.ui.state import Key, item_key

PAGE_SIZE = 10  # queue items a page
SEARCH_LIMIT = 20  # entries offered by a name search
LONG_FIELDS = ("description_en", "description_fr")


# -- the page ---------------------------------------------------------------------------------


def render() -> None:
    lang = state.lang()
    st.title(t(auth.moderate_page_title(), lang))
    if not auth.auth_configured():
        st.info(t("moderate_auth_missing", lang), icon=":material/key_off:")
        return
    problem = auth.secret_problem()
    if problem:  # a cookie anyone could sign: nobody is signed in, nobody may start to
        st.error(
            t("moderate_sign_in_refused", lang, problem=t(MODERATE_SECRET[problem], lang)),
            icon=":material/key_off:",
        )
        return
    back = st.query_params.pop("signin", None)  # back from the identity provider (atlas/web/signin.py)
    if not auth.signed_in():
        if back:  # …and still signed out: never silently
            st.error(t("moderate_sign_in_failed", lang), icon=":material/error:")
        _sign_in(lang)
        return
    if not auth.is_moderator():
        st.error(t("moderate_refused", lang), icon=":material/block:")
        _account(lang)
        return
    _account(lang)
    try:
        store = current_store()
    except SourceUnavailable:
        st.warning(t("moderate_db_unavailable", lang), icon=":material/cloud_off:")
        return
    if store is None:
        st.info(t("moderate_no_database", lang), icon=":material/database_off:")
        return
    _flash()
    specs = TABS
    tabs = st.tabs([t(title, lang) for title, _ in specs], key=Key.MOD_TABS, on_change="rerun")  # titles: keys
    for tab, (_, draw) in zip(tabs, specs, strict=True):
        if tab.open is not False:  # only the open tab runs (None: the tabs do not report it)
            with tab:
                draw(store, lang)


def _sign_in(lang: str) -> None:
    """The way in: the button, or — when this page is not at the address the identity provider
    returns to — where to open it instead (signing in here would end signed out, silently)."""
    st.markdown(t("moderate_sign_in_intro", lang))
    mismatch = auth.host_mismatch()
    if mismatch is not None:
        configured, here = mismatch
        st.warning(t("moderate_host_mismatch", lang), icon=":material/link_off:")
        st.text(t("moderate_address_configured", lang, address=configured))  # addresses: plain text
        st.text(t("moderate_address_here", lang, address=here))
        st.link_button(
            t("moderate_open_configured", lang),
            auth.page_url_at(configured, "moderate", lang),
            type="primary",
            icon=":material/open_in_new:",
        )
        return
    if st.button(t("moderate_sign_in", lang), key="mod_login", type="primary", icon=":material/login:"):
        auth.sign_in("moderate", lang)  # back to this page in this language afterwards


def _account(lang: str) -> None:
    """Who is signed in, and the way out."""
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.text(t("moderate_signed_in_as", lang, email=auth.identity() or t("moderate_no_email", lang)))
    if right.button(t("moderate_sign_out", lang), key="mod_logout", icon=":material/logout:"):
        st.logout()


def _flash() -> None:
    """The outcome of the last decision: a message of our own, then its details as plain text."""
    outcome = state.take_flash()
    if outcome is None:
        return
    level, title, detail = outcome
    show = {"success": st.success, "warning": st.warning}.get(level, st.error)
    with st.container(key="mod_flash"):
        show(title)
        if detail:
            st.text(detail)


# -- the queue --------------------------------------------------------------------------------


def render_queue(store: Store, lang: str) -> None:
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    action = left.segmented_control(
        t("moderate_filter_action", lang),
        ["submission", "correction"],
        key=Key.MOD_ACTION,
        format_func=lambda a: t(MODERATE_ACTION[a], lang),
        on_change=state.reset_queue_page,
    )
    text = right.text_input(
        t("moderate_filter_text", lang), key=Key.MOD_TEXT, max_chars=common.MAX_SEARCH, on_change=state.reset_queue_page
    )
    index = state.page_index(Key.MOD_QUEUE_PAGE)
    page = store.queue(page=index, size=PAGE_SIZE, action=action or "", text=text or "")
    if index >= page.pages:  # the last page emptied by decisions: show the one before
        state.set_page_index(Key.MOD_QUEUE_PAGE, page.pages - 1)
        page = store.queue(page=page.pages - 1, size=PAGE_SIZE, action=action or "", text=text or "")
    st.caption(tn("moderate_queue_count", int(page.total), lang))
    if not page.items:
        st.info(t("moderate_queue_empty", lang), icon=":material/inbox:")
    for item in page.items:
        _item(store, item, lang)
    common.pager(Key.MOD_QUEUE_PAGE, page.page, page.pages, lang)


def _item(store: Store, item: QueueItem, lang: str) -> None:
    rid = item.revision_id
    with st.container(border=True, key=item_key("item", rid)):
        st.markdown(
            t(
                "moderate_item_head",
                lang,
                action=t(MODERATE_ACTION[item.action], lang),
                n=int(rid),
                kind=t("kind_odc", lang) if item.kind == "odc" else t("kind_organisation", lang),
            )
        )
        safe.strong(item.name)
        st.text(
            t(
                "moderate_item_meta",
                lang,
                id=item.entry_id,
                n=rid,
                at=common.when(item.created_at),
            )
        )
        if item.stale:
            st.warning(t("moderate_stale", lang), icon=":material/history:")
        _changes(item, lang)
        if item.note:
            st.text(t("moderate_submitter_note", lang, note=item.note))
        if item.has_contact:
            contact = st.expander(
                t("moderate_contact", lang), key=item_key("contact", rid), on_change="rerun", icon=":material/mail:"
            )
            if contact.open:
                with contact:
                    st.code(store.contact(rid) or "-", language=None)
        _decide_form(item, lang)
        edit = st.expander(
            t("moderate_edit", lang), key=item_key("editopen", rid), on_change="rerun", icon=":material/edit:"
        )
        if edit.open:
            with edit:
                _edit_form(store, item, lang)
        if item.action == "submission":
            duplicate = st.expander(
                t("moderate_duplicate", lang),
                key=item_key("dupopen", rid),
                on_change="rerun",
                icon=":material/content_copy:",
            )
            if duplicate.open:
                with duplicate:
                    _duplicate_form(store, item, lang)


def _changes(item: QueueItem, lang: str) -> None:
    """The proposed values, a field a line: for a correction, each changed field now → proposed."""
    rows = []
    for change in item.changes:
        new = shown_value(change.field, change.new, lang)
        if item.action == "correction":
            new = f"{shown_value(change.field, change.old, lang) or '—'}  →  {new or '—'}"
        rows.append((change.field, new))
    common.field_rows(rows, item_key("changes", item.revision_id), lang)


def _decide_form(item: QueueItem, lang: str) -> None:
    rid = item.revision_id
    with st.form(key=item_key("form", rid), border=False, enter_to_submit=False):
        st.text_input(
            t("moderate_reason", lang),
            key=item_key("note", rid),
            max_chars=MAX_NOTE,
            placeholder=t("moderate_reason_placeholder", lang),
        )
        common.problem(state.problems(rid).get("reason"), lang)
        with st.container(horizontal=True):
            st.form_submit_button(
                t("moderate_approve", lang),
                key=item_key("approve", rid),
                type="primary",
                icon=":material/check:",
                on_click=_approve,
                args=(rid, item.version, item.kind, False, lang),
            )
            st.form_submit_button(
                t("moderate_reject", lang),
                key=item_key("reject", rid),
                icon=":material/close:",
                on_click=_reject,
                args=(rid, item.version, lang),
            )


def _proposed(store: Store, item: QueueItem) -> dict[str, str]:
    """The record as it would be published: the entry, with a correction's new values."""
    entry = store.entry(item.entry_id) or {}
    record = {f: common.cell(entry.get(f)) for f in editable_fields(item.kind)}
    if item.action == "correction":
        record.update({c.field: common.cell(c.new) for c in item.changes if c.field in record})
    return record


def _edit_form(store: Store, item: QueueItem, lang: str) -> None:
    rid = item.revision_id
    record = _proposed(store, item)
    found = state.problems(rid)
    with st.form(key=item_key("editform", rid), border=False, enter_to_submit=False):
        for field in editable_fields(item.kind):
            _field_input(field, record.get(field, ""), item_key("edit", rid, field), lang)
            common.problem(found.get(field), lang)
        st.text_input(t("moderate_edit_note", lang), key=item_key("editnote", rid), max_chars=MAX_NOTE)
        st.form_submit_button(
            t("moderate_edit_approve", lang),
            key=item_key("editapprove", rid),
            type="primary",
            icon=":material/done_all:",
            on_click=_approve,
            args=(rid, item.version, item.kind, True, lang),
        )


def _field_input(field: str, value: str, key: str, lang: str) -> None:
    choices: dict[str, tuple[str, ...]] = {
        "category": tuple(CATEGORY_IDS),
        "geo_precision": ("", *GEO_PRECISIONS),
        "status": ODC_STATUSES,
    }
    if field in choices:
        options = list(choices[field])
        if value not in options:  # a value the schema refuses: kept, so that the moderator sees it
            options.append(value)
        shown = {
            "category": lambda c: category_label(c, lang) if c in CATEGORY_IDS else c,
            "geo_precision": lambda p: t(PRECISION[p], lang) if p else "—",
            "status": lambda s: t(STATUS[s], lang) if s in ODC_STATUSES else s,
        }[field]
        st.selectbox(t(label_key(field), lang), options, index=options.index(value), key=key, format_func=shown)
    elif field in LONG_FIELDS:
        st.text_area(t(label_key(field), lang), value=value, key=key, max_chars=4000, height=90)
    else:
        st.text_input(t(label_key(field), lang), value=value, key=key, max_chars=2000)


def _duplicate_form(store: Store, item: QueueItem, lang: str) -> None:
    rid = item.revision_id
    record = {c.field: c.new for c in item.changes}
    candidates = store.similar(record, exclude=item.entry_id, pending=True)
    labels = {c.id: _entry_label(c.name, c.city, c.country, c.id) for c in candidates}
    query = str(
        st.text_input(t("moderate_duplicate_search", lang), key=item_key("dupq", rid), max_chars=common.MAX_SEARCH)
        or ""
    )
    for entry_id, label in search_published(query).items():
        labels.setdefault(entry_id, label)
    labels.pop(item.entry_id, None)
    if candidates:
        st.caption(tn("moderate_duplicate_similar_live", len(candidates), lang))
    st.selectbox(
        t("moderate_duplicate_of", lang),
        list(labels),
        index=None,
        key=item_key("dup", rid),
        format_func=lambda i: labels.get(i, i),
        placeholder=t("moderate_duplicate_choose", lang),
    )
    st.button(
        t("moderate_mark_duplicate", lang),
        key=item_key("dupmark", rid),
        icon=":material/content_copy:",
        on_click=_duplicate,
        args=(rid, item.version, lang),
    )


def search_published(text: str, limit: int = SEARCH_LIMIT) -> dict[str, str]:
    """Published entries whose name or id holds `text` (accents and case ignored): id → label."""
    needle = fold(text)
    if not needle:
        return {}
    frame = current_snapshot().atlas.frame
    names = frame["name"].map(fold)
    hits = frame[names.str.contains(needle, regex=False) | frame["id"].str.contains(needle, regex=False)]
    return {
        str(row.id): _entry_label(row.name, row.city, row.country, row.id)
        for row in hits.head(limit).itertuples(index=False)
    }


def _entry_label(name: object, city: object, country: object, entry_id: object) -> str:
    place = ", ".join(str(p) for p in (city, country) if p)
    return f"{name} — {place} ({entry_id})" if place else f"{name} ({entry_id})"


# -- entries: withdraw, publish again ---------------------------------------------------------


def render_entries(store: Store, lang: str) -> None:
    st.caption(t("moderate_entries_help", lang))
    text = str(
        st.text_input(t("moderate_entries_search", lang), key=Key.MOD_ENTRY_TEXT, max_chars=common.MAX_SEARCH) or ""
    )
    labels = search_published(text)
    exact = store.entry(text.strip()) if text.strip() else None
    if exact is not None:  # any state, by its exact id: how a withdrawn entry is found again
        labels = {
            str(exact["id"]): _entry_label(exact["name"], exact["city"], exact["country"], exact["id"]),
            **labels,
        }
    if text.strip() and not labels:
        st.info(t("moderate_entries_none", lang), icon=":material/search_off:")
    chosen = st.selectbox(
        t("moderate_entries_choose", lang),
        list(labels),
        index=None,
        key=Key.MOD_ENTRY,
        format_func=lambda i: labels.get(i, i),
        placeholder=t("moderate_duplicate_choose", lang),
    )
    entry = store.entry(chosen) if chosen else None
    if entry is None:
        return
    entry_id = str(entry["id"])
    st.text(str(entry["name"]))
    st.text(
        t(
            "moderate_entry_meta",
            lang,
            id=entry_id,
            state=t(MODERATE_STATE[str(entry["state"])], lang),
            at=common.when(entry["updated_at"]),
        )
    )
    fields = editable_fields(str(entry["kind"]))
    common.field_rows([(f, shown_value(f, entry.get(f), lang)) for f in fields], item_key("record", entry_id), lang)
    st.subheader(t("moderate_history", lang))
    st.dataframe(
        moderate_audit.history_frame(store.history(entry_id, public=False), lang), hide_index=True, width="stretch"
    )
    target = {"published": "withdrawn", "withdrawn": "published"}.get(str(entry["state"]))
    if target is None:
        return
    with st.form(key=item_key("entryform", entry_id), border=False, enter_to_submit=False):
        st.text_input(t("moderate_state_reason", lang), key=Key.MOD_ENTRY_NOTE, max_chars=MAX_NOTE)
        common.problem(state.problems(entry_id).get("reason"), lang)
        st.form_submit_button(
            t("moderate_withdraw" if target == "withdrawn" else "moderate_republish", lang),
            key=item_key("setstate", entry_id),
            icon=":material/visibility_off:" if target == "withdrawn" else ":material/visibility:",
            on_click=_set_state,
            args=(entry_id, target, int(str(entry["version"])), lang),
        )


# -- decisions (widget callbacks) -------------------------------------------------------------


def _approve(revision_id: int, version: int, kind: str, edited: bool, lang: str) -> None:
    if edited:
        edits = {f: str(state.widget_value(item_key("edit", revision_id, f), "")) for f in editable_fields(kind)}
        note = str(state.widget_value(item_key("editnote", revision_id), "") or "")
    else:
        edits, note = {}, str(state.widget_value(item_key("note", revision_id), "") or "")
    common.act(
        lang,
        revision_id,
        lambda store, moderator: store.approve(revision_id, version, moderator, edits or None, note),
        N_("moderate_approved"),
        t("moderate_item_ref", lang, n=revision_id),
    )


def _reject(revision_id: int, version: int, lang: str) -> None:
    note = str(state.widget_value(item_key("note", revision_id), "") or "")
    common.act(
        lang,
        revision_id,
        lambda store, moderator: store.reject(revision_id, version, moderator, note),
        N_("moderate_rejected"),
        t("moderate_item_ref", lang, n=revision_id),
    )


def _duplicate(revision_id: int, version: int, lang: str) -> None:
    of = str(state.widget_value(item_key("dup", revision_id), "") or "")
    if not of:
        state.set_flash("error", t("moderate_duplicate_choose_first", lang))
        return
    common.act(
        lang,
        revision_id,
        lambda store, moderator: store.mark_duplicate(revision_id, version, moderator, of),
        N_("moderate_marked_duplicate"),
        t("moderate_item_ref", lang, n=revision_id) + f" → {of}",
    )


def _set_state(entry_id: str, target: str, version: int, lang: str) -> None:
    note = str(state.widget_value(Key.MOD_ENTRY_NOTE, "") or "")
    common.act(
        lang,
        entry_id,
        lambda store, moderator: store.set_state(entry_id, target, moderator, note, version),
        N_("moderate_withdrawn") if target == "withdrawn" else N_("moderate_republished"),
        entry_id,
    )


TABS: list[tuple[str, Callable[[Store, str], None]]] = [
    (N_("moderate_tab_queue"), render_queue),
    (N_("moderate_tab_entries"), render_entries),
    (N_("moderate_tab_duplicates"), render_duplicates),
    (N_("moderate_tab_articles"), render_articles),
    (N_("moderate_tab_sources"), render_sources),  # licences, publish or undo a run: atlas/ui/moderate_sources.py
    (N_("moderate_tab_audit"), render_audit),
]
