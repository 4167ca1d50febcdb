"""The Moderate page's Articles tab: the drafts `atlas articles fetch` made from the blog's feed
(issue 17), reviewed through `atlas.store.drafts.ArticleReview`.

For one draft: its titles and summaries in English and French, rewritten and saved (the draft is
marked extractive until both summaries are the project's own words), each proposed link (an
organisation, an ODC, a place) and each candidate new organisation accepted or rejected, then the
draft published or rejected (with a reason).

Everything here but our own labels comes from the web page or the feed — titles, summaries, names,
the quoted evidence, the extracted text, the link — and is shown as plain text (`st.text`,
`safe.*`, data frames, widget values), never Markdown. The extracted text is shown only on demand.
Every decision is checked again in its callback (`common.act`); the draft's and the link's
versions come from the page as the server drew it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from atlas import labels
from atlas.articles.drafting import EXTRACTIVE, MAX_SUMMARY, MAX_TITLE
from atlas.categories import CATEGORY_IDS, category_label
from atlas.i18n import N_, t, tn
from atlas.moderation import draft_edits, languages_key
from atlas.store.drafts import ArticleReview, DraftView, LinkView
from atlas.store.errors import NothingChanged
from atlas.store.store import MAX_NOTE, Store
from atlas.text import safe_url
from atlas.ui import moderate_common as common
from atlas.ui import safe, state
from atlas.ui.state import Key, item_key

DRAFT_PAGE_SIZE = 10  # drafts listed a page
TEXT_FIELDS = ("title_en", "title_fr", "summary_en", "summary_fr")
LINK_KINDS = ("organisation", "odc", "place", "candidate")
CANDIDATE_FIELDS = ("name", "category", "country", "city")  # what a moderator checks before accepting one
CANDIDATE_WIDTHS = (3, 3, 1, 2)  # a category's name is long, a country a two-letter code


def render_articles(store: Store, lang: str) -> None:
    review = ArticleReview(store)
    st.caption(t("drafts_help", lang))
    text = str(
        st.text_input(
            t("drafts_search", lang),
            key=Key.MOD_DRAFT_TEXT,
            max_chars=common.MAX_SEARCH,
            on_change=state.reset_draft_page,
        )
        or ""
    )
    index = state.page_index(Key.MOD_DRAFT_PAGE)
    listing = review.drafts(page=index, size=DRAFT_PAGE_SIZE, text=text)
    if index >= listing.pages:  # the last page emptied by decisions: show the one before
        index = listing.pages - 1
        state.set_page_index(Key.MOD_DRAFT_PAGE, index)
        listing = review.drafts(page=index, size=DRAFT_PAGE_SIZE, text=text)
    st.caption(tn("drafts_count", int(listing.total), lang))
    if not listing.items:
        st.info(t("drafts_empty", lang), icon=":material/inbox:")
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("drafts_col_title", lang): [i.title_en or i.title_fr for i in listing.items],
                t("drafts_col_added", lang): [common.when(i.created_at) for i in listing.items],
                t("drafts_col_summary", lang): [_status(i.summary_status, lang) for i in listing.items],
                t("drafts_col_undecided", lang): [i.undecided for i in listing.items],
                t("drafts_col_candidates", lang): [i.candidates for i in listing.items],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    common.pager(Key.MOD_DRAFT_PAGE, index, listing.pages, lang)
    titles = {i.article_id: f"{i.title_en or i.title_fr} ({i.article_id})" for i in listing.items}
    state.keep_choice(Key.MOD_DRAFT, list(titles))
    chosen = st.selectbox(
        t("drafts_choose", lang),
        list(titles),
        index=None,
        key=Key.MOD_DRAFT,
        format_func=lambda i: titles.get(i, i),
        placeholder=t("drafts_choose_placeholder", lang),
    )
    if chosen:
        _draft(store, review.draft(str(chosen)), lang)


def _status(summary_status: str, lang: str) -> str:
    return t("draft_summary_extractive" if summary_status == EXTRACTIVE else "draft_summary_edited", lang)


def _extractive(view: DraftView) -> list[str]:
    """The languages whose summary is still the machine's."""
    return [lang for lang in ("en", "fr") if not getattr(view, f"summary_{lang}_by")]


def _draft(store: Store, view: DraftView, lang: str) -> None:
    aid = view.article_id
    with st.container(border=True, key=item_key("draft", aid)):
        safe.strong(view.fields.get("title_en") or view.fields.get("title_fr") or aid)
        st.text(
            t(
                "draft_meta",
                lang,
                id=aid,
                at=common.when(view.created_at),
                language=view.details.get("language") or "?",
                v=view.version,
            )
        )
        if view.link:
            safe.code(view.link)
            if safe_url(view.link):
                st.link_button(t("draft_open_original", lang), safe_url(view.link), icon=":material/open_in_new:")
        _edit(view, lang)
        _extracted(view, lang)
        _links(store, view, lang)
        _decide(view, lang)


def _edit(view: DraftView, lang: str) -> None:
    aid = view.article_id
    st.subheader(t("draft_edit_title", lang))
    extractive = _extractive(view)
    if extractive:
        st.warning(t("draft_extractive_note", lang, langs=t(languages_key(extractive), lang)), icon=":material/edit:")
    else:
        st.caption(t("draft_edited_note", lang))
    before = {f: str(view.fields.get(f) or "") for f in TEXT_FIELDS}
    for field in TEXT_FIELDS:
        key = item_key("art", aid, field)
        state.init_widget(key, before[field])
        if field.startswith("summary"):
            st.text_area(t(labels.DRAFT_FIELD[field], lang), key=key, max_chars=MAX_SUMMARY, height=120)
        else:
            st.text_input(t(labels.DRAFT_FIELD[field], lang), key=key, max_chars=MAX_TITLE)
        common.problem(state.problems(aid).get(field), lang)
    st.button(
        t("draft_save", lang),
        key=item_key("artsave", aid),
        icon=":material/save:",
        on_click=_save,
        args=(aid, view.version, before, lang),
    )


def _extracted(view: DraftView, lang: str) -> None:
    opened = st.expander(
        t("draft_text", lang),
        key=item_key("arttext", view.article_id),
        on_change="rerun",
        icon=":material/article:",
    )
    if opened.open:
        with opened:
            if view.extracted_text is None:
                st.caption(t("draft_text_cleared", lang))
            else:
                if view.text_cut:
                    st.caption(t("draft_text_cut", lang))
                safe.text(view.extracted_text)


def _links(store: Store, view: DraftView, lang: str) -> None:
    st.subheader(t("draft_links_title", lang))
    if not view.links:
        st.caption(t("draft_links_none", lang))
    order = {kind: n for n, kind in enumerate(LINK_KINDS)}
    for link in sorted(view.links, key=lambda x: (order.get(x.kind, 9), x.id)):
        with st.container(border=True, key=item_key("link", link.id)):
            kind = t(labels.DRAFT_LINK[link.kind], lang) if link.kind in order else link.kind
            st.text(
                t(
                    "draft_link_line",
                    lang,
                    kind=kind,
                    name=link.name,
                    id=f"({link.entry_id})" if link.entry_id else "",
                ).strip()
            )
            if link.written or link.evidence:
                st.text(t("draft_link_evidence", lang, written=link.written, evidence=link.evidence))
            if link.status != "proposed":
                st.text(
                    t(
                        labels.DRAFT_LINK[link.status]
                        if link.status in ("accepted", "rejected")
                        else N_("moderate_failed"),
                        lang,
                        by=common.moderator_name(link.decided_by),
                        at=common.when(link.decided_at),
                    )
                )
                continue
            entry: dict[str, str] = {}
            if link.kind == "candidate" and link.entry_id:
                record = store.entry(link.entry_id) or {}
                entry = {f: common.cell(record.get(f)) for f in CANDIDATE_FIELDS}
                _candidate_fields(link, entry, lang)
            with st.container(horizontal=True):
                st.button(
                    t("draft_accept", lang),
                    key=item_key("linkok", link.id),
                    type="primary",
                    icon=":material/check:",
                    on_click=_decide_link,
                    args=(link.id, link.version, link.kind, True, entry, lang),
                )
                st.button(
                    t("draft_reject_link", lang),
                    key=item_key("linkno", link.id),
                    icon=":material/close:",
                    on_click=_decide_link,
                    args=(link.id, link.version, link.kind, False, entry, lang),
                )


def _candidate_fields(link: LinkView, entry: Mapping[str, str], lang: str) -> None:
    """The candidate's guessed name, category, country and city, to check before accepting it."""
    st.caption(t("draft_candidate_check", lang))
    found = state.problems(f"link{link.id}")
    columns = st.columns(CANDIDATE_WIDTHS)
    for column, field in zip(columns, CANDIDATE_FIELDS, strict=True):
        key = item_key("cand", link.id, field)
        state.init_widget(key, entry.get(field, ""))
        with column:
            if field == "category":
                options = list(CATEGORY_IDS)
                if entry.get(field, "") not in options:
                    options.append(entry.get(field, ""))
                st.selectbox(
                    t(common.label_key(field), lang),
                    options,
                    key=key,
                    format_func=lambda c: category_label(c, lang) if c in CATEGORY_IDS else c,
                )
            else:
                st.text_input(t(common.label_key(field), lang), key=key, max_chars=200)
            common.problem(found.get(field), lang)


def _decide(view: DraftView, lang: str) -> None:
    aid = view.article_id
    st.subheader(t("draft_decide_title", lang))
    undecided = sum(1 for link in view.links if link.status == "proposed")
    extractive = _extractive(view)
    if extractive:
        st.info(t("draft_still_extractive", lang, langs=t(languages_key(extractive), lang)), icon=":material/edit:")
    if undecided:
        st.info(tn("draft_undecided", int(undecided), lang), icon=":material/pending:")
    if not extractive and not undecided:
        st.caption(t("draft_ready", lang))
    with st.form(key=item_key("artform", aid), border=False, enter_to_submit=False):
        st.text_input(t("draft_note", lang), key=item_key("artnote", aid), max_chars=MAX_NOTE)
        common.problem(state.problems(aid).get("reason"), lang)
        with st.container(horizontal=True):
            st.form_submit_button(
                t("draft_publish", lang),
                key=item_key("artpublish", aid),
                type="primary",
                icon=":material/publish:",
                on_click=_publish,
                args=(aid, view.version, lang),
            )
            st.form_submit_button(
                t("draft_reject", lang),
                key=item_key("artreject", aid),
                icon=":material/close:",
                on_click=_reject,
                args=(aid, view.version, lang),
            )


# -- decisions (widget callbacks) -------------------------------------------------------------


def _save(article_id: str, version: int, before: dict[str, str], lang: str) -> None:
    now = {f: str(state.widget_value(item_key("art", article_id, f), before.get(f, "")) or "") for f in TEXT_FIELDS}
    edits = draft_edits(before, now)

    def save(store: Store, moderator: str) -> None:
        if not edits:
            raise NothingChanged()
        review = ArticleReview(store)
        review.edit(article_id, version, moderator, **edits)
        saved = review.draft(article_id).fields  # as stored: cleaned of markup, cut to length
        for field in TEXT_FIELDS:
            state.set_widget(item_key("art", article_id, field), str(saved.get(field) or ""))

    common.act(lang, article_id, save, N_("draft_saved"), article_id)


def _decide_link(link_id: int, version: int, kind: str, accept: bool, entry: dict[str, str], lang: str) -> None:
    edits: dict[str, str] = {}
    if kind == "candidate" and accept:
        for field in CANDIDATE_FIELDS:
            value = str(state.widget_value(item_key("cand", link_id, field), entry.get(field, "")) or "").strip()
            if value != entry.get(field, ""):
                edits[field] = value

    def decide(store: Store, moderator: str) -> None:
        review = ArticleReview(store)
        if kind == "candidate":
            if accept:
                review.accept_candidate(link_id, version, moderator, edits=edits or None)
            else:
                review.reject_candidate(link_id, version, moderator)
        elif accept:
            review.accept_link(link_id, version, moderator)
        else:
            review.reject_link(link_id, version, moderator)

    outcome = "accepted" if accept else "rejected"
    done = (labels.DRAFT_CANDIDATE_DONE if kind == "candidate" else labels.DRAFT_LINK_DONE)[outcome]
    common.act(lang, f"link{link_id}", decide, done)


def _publish(article_id: str, version: int, lang: str) -> None:
    note = str(state.widget_value(item_key("artnote", article_id), "") or "")
    if common.act(
        lang,
        article_id,
        lambda store, moderator: ArticleReview(store).publish(article_id, version, moderator, note),
        N_("draft_published"),
        article_id,
    ):
        state.set_widget(Key.MOD_DRAFT, None)


def _reject(article_id: str, version: int, lang: str) -> None:
    note = str(state.widget_value(item_key("artnote", article_id), "") or "")
    if common.act(
        lang,
        article_id,
        lambda store, moderator: ArticleReview(store).reject(article_id, version, moderator, note),
        N_("draft_rejected"),
        article_id,
    ):
        state.set_widget(Key.MOD_DRAFT, None)
