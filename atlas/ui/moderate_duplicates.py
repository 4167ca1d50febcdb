"""The Moderate page's Duplicates tab: the pairs the matcher proposed (imports, `atlas dedup`, or the
tab's own *Look for duplicates*), both records side by side, and the two decisions.

- *Merge*: the moderator chooses the entry that stays and, field by field, whether the other's
  value is taken instead (`Store.merge`'s `keep` and `take`); the other entry becomes a duplicate of
  it, both sources stay attached, and both histories record it.
- *Not the same*: remembered by the store; the pair is never proposed again.

As everywhere on the page, each decision is checked again in its callback (`common.act`), the pair
and its version come from the page as the server drew it, and the entries' text (names, values,
the words the matcher quotes) is shown as plain text: data frames, `st.text`, widget values.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from atlas.i18n import N_, t, tn
from atlas.moderation import merge_choices, pair_rows, reason_text
from atlas.store.pairs import PairItem
from atlas.store.store import MAX_NOTE, Store
from atlas.ui import moderate_common as common
from atlas.ui import state
from atlas.ui.moderate_common import editable_fields, label_key, shown_value
from atlas.ui.state import Key, item_key

PAIR_PAGE_SIZE = 5  # pairs a page (each shows two whole records)
MAX_OPTION = 80  # characters of a value in a "take this value" choice


def render_duplicates(store: Store, lang: str) -> None:
    st.caption(t("pairs_help", lang))
    index = state.page_index(Key.MOD_PAIR_PAGE)
    page = store.duplicate_pairs(page=index, size=PAIR_PAGE_SIZE)
    pages = page.pages
    if index >= pages:  # the last page emptied by decisions: show the one before
        index = pages - 1
        state.set_page_index(Key.MOD_PAIR_PAGE, index)
        page = store.duplicate_pairs(page=index, size=PAIR_PAGE_SIZE)
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(tn("pairs_count", int(page.total), lang))
    right.button(t("pairs_find", lang), key="mod_pairs_find", icon=":material/search:", on_click=_find, args=(lang,))
    if not page.items:
        st.info(t("pairs_empty", lang), icon=":material/inbox:")
    for pair in page.items:
        _pair(pair, lang)
    common.pager(Key.MOD_PAIR_PAGE, index, pages, lang)


def _pair(pair: PairItem, lang: str) -> None:
    pid = pair.pair_id
    a_id, b_id = str(pair.a["id"]), str(pair.b["id"])
    with st.container(border=True, key=item_key("pair", pid)):
        st.markdown(t("pair_head", lang, n=int(pid), score=round(pair.score * 100)))
        st.text(t("pair_meta", lang, by=_proposer(pair.proposed_by, lang), at=common.when(pair.created_at)))
        st.text(t("pair_reasons", lang, reasons="; ".join(reason_text(r, lang) for r in pair.reasons)))
        # every row shown: the fields that differ are often below the tenth (website, descriptions)
        st.dataframe(_comparison(pair, lang), hide_index=True, width="stretch", height="content")
        _merge_form(pair, a_id, b_id, lang)


def _proposer(proposed_by: str, lang: str) -> str:
    if proposed_by.startswith("import:"):
        return t("pair_by_import", lang, source=proposed_by.removeprefix("import:"))
    return t("pair_by_dedup", lang) if proposed_by == "dedup" else proposed_by


def _fields(pair: PairItem) -> list[str]:
    """The data fields of the pair's kinds, in the file's order."""
    return list(dict.fromkeys([*editable_fields(str(pair.a["kind"])), *editable_fields(str(pair.b["kind"]))]))


def _comparison(pair: PairItem, lang: str) -> pd.DataFrame:
    """Both records, a field a row: ids, states, every field one of them has, their sources."""
    a, b = pair.a, pair.b
    rows: list[tuple[str, str, str, bool]] = [
        (t("pair_field_id", lang), str(a["id"]), str(b["id"]), False),
        (
            t("pair_field_state", lang),
            common.word("state", str(a["state"]), lang),
            common.word("state", str(b["state"]), lang),
            a["state"] != b["state"],
        ),
    ]
    for row in pair_rows(a, b, _fields(pair)):
        rows.append(
            (
                t(label_key(row.field), lang),
                shown_value(row.field, row.a, lang),
                shown_value(row.field, row.b, lang),
                row.field in pair.differing,
            )
        )
    rows.append((t("pair_field_sources", lang), _sources(a), _sources(b), False))
    return pd.DataFrame(
        {
            t("pair_col_field", lang): [r[0] for r in rows],
            t("pair_col_side", lang, side="A", id=str(a["id"])): [r[1] for r in rows],
            t("pair_col_side", lang, side="B", id=str(b["id"])): [r[2] for r in rows],
            t("pair_col_differs", lang): ["≠" if r[3] else "" for r in rows],
        }
    )


def _sources(side: dict[str, object]) -> str:
    found = side.get("sources") or []
    assert isinstance(found, list)
    return "; ".join(f"{s.get('source')}: {s.get('source_id')}" for s in found if isinstance(s, dict))


def _merge_form(pair: PairItem, a_id: str, b_id: str, lang: str) -> None:
    pid = pair.pair_id
    labels = {
        a_id: t("pair_col_side", lang, side="A", id=f"{pair.a['name']} ({a_id})"),
        b_id: t("pair_col_side", lang, side="B", id=f"{pair.b['name']} ({b_id})"),
    }
    # the published one stays by default (a pending newcomer merges into the atlas's entry)
    first = 1 if pair.b["state"] == "published" and pair.a["state"] != "published" else 0
    fields = [f for f in pair.differing if f in _fields(pair)]
    with st.form(key=item_key("pairform", pid), border=False, enter_to_submit=False):
        st.selectbox(
            t("pair_keep", lang),
            [a_id, b_id],
            index=first,
            key=item_key("keep", pid),
            format_func=lambda i: labels.get(i, i),
        )
        if fields:
            st.caption(t("pair_take_help", lang))
            columns = st.columns(2)
            for n, field in enumerate(fields):
                values = {a_id: pair.a.get(field), b_id: pair.b.get(field)}
                columns[n % 2].selectbox(
                    t(label_key(field), lang),
                    [a_id, b_id],
                    index=None,
                    key=item_key("take", pid, field),
                    format_func=_formatter(field, values, lang),
                    placeholder=t("pair_take_kept", lang),
                )
        st.text_input(t("pair_note", lang), key=item_key("pairnote", pid), max_chars=MAX_NOTE)
        with st.container(horizontal=True):
            st.form_submit_button(
                t("pair_merge", lang),
                key=item_key("merge", pid),
                type="primary",
                icon=":material/merge:",
                on_click=_merge,
                args=(pid, pair.version, a_id, b_id, tuple(fields), lang),
            )
            st.form_submit_button(
                t("pair_not_same", lang),
                key=item_key("notsame", pid),
                icon=":material/call_split:",
                on_click=_not_same,
                args=(pid, pair.version, lang),
            )


def _formatter(field: str, values: dict[str, object], lang: str) -> Callable[[str], str]:
    """A choice's text: that entry's value of `field` (cut short), then the entry's id."""

    def option(entry_id: str) -> str:
        shown = shown_value(field, values.get(entry_id), lang) or "—"
        if len(shown) > MAX_OPTION:
            shown = shown[: MAX_OPTION - 1] + "…"
        return f"{shown} ({entry_id})"

    return option


# -- decisions (widget callbacks) -------------------------------------------------------------


def _merge(pair_id: int, version: int, a_id: str, b_id: str, fields: tuple[str, ...], lang: str) -> None:
    keep = str(state.widget_value(item_key("keep", pair_id), a_id) or a_id)
    if keep not in (a_id, b_id):
        state.set_flash("error", t("moderate_failed", lang))
        return
    other = b_id if keep == a_id else a_id
    chosen = {f: state.widget_value(item_key("take", pair_id, f)) for f in fields}
    try:
        take = merge_choices(keep, other, {f: str(v) if v else None for f, v in chosen.items()})
    except ValueError:
        state.set_flash("error", t("moderate_failed", lang))
        return
    note = str(state.widget_value(item_key("pairnote", pair_id), "") or "")
    common.act(
        lang,
        pair_id,
        lambda store, moderator: store.merge(pair_id, version, moderator, keep, take, note),
        N_("pair_merged"),
        t("pair_merged_detail", lang, kept=keep, other=other),
    )


def _not_same(pair_id: int, version: int, lang: str) -> None:
    note = str(state.widget_value(item_key("pairnote", pair_id), "") or "")
    common.act(
        lang,
        pair_id,
        lambda store, moderator: store.not_same(pair_id, version, moderator, note),
        N_("pair_told_apart"),
        t("moderate_pair_ref", lang, n=pair_id),
    )


def _find(lang: str) -> None:
    found: list = []
    if common.act(lang, "pairs", lambda store, _moderator: found.extend(store.propose_duplicates()), ""):
        state.set_flash("success", tn("pairs_found", sum(1 for p in found if p.new), lang))
