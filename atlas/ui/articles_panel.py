"""The articles panel: summaries that follow the filters, linked to the map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.articles.linking import articles_for, search_articles
from atlas.articles.model import Article
from atlas.countries import place_label
from atlas.filters import Filters
from atlas.i18n import t, tn
from atlas.ui import safe
from atlas.ui.state import Key, choose_article, chosen_article


def render_articles(articles: list[Article], full: pd.DataFrame, filters: Filters, lang: str) -> None:
    """List the articles touching the filtered countries, searchable; a button highlights one on the map."""
    st.subheader(t("articles", lang))
    linked = full[full["id"].isin({i for a in articles for i in (*a.organisations, *a.odcs)})]
    org_country = dict(zip(linked["id"], linked["country"], strict=True))
    names = dict(zip(linked["id"], linked["name"], strict=True))
    selection = articles_for(articles, filters.countries, org_country)
    query = st.text_input(t("articles_search", lang), key=Key.ARTICLE_QUERY, max_chars=200)
    shown = search_articles(selection.shown, query, lang)
    if selection.hidden:
        st.caption(tn("articles_hidden", int(selection.hidden), lang))
    if not shown:
        st.caption(t("articles_none", lang))
    chosen = chosen_article()
    # The highlighted article first, even when the filters would hide it (it was opened from a
    # record's "Mentioned in", which clears the search, or from a link); a search still narrows.
    picked = search_articles([a for a in articles if a.id == chosen], query, lang)
    shown = picked + [a for a in shown if a.id != chosen]
    with st.container(height=620, border=False, key=ARTICLES_BOX):
        for article in shown:
            _card(article, names, lang, chosen == article.id)


ARTICLES_BOX = "articles_box"
CHOSEN_CARD = "article_card_chosen"  # page.css marks the card with this key


def _card(article: Article, names: dict[str, str], lang: str, chosen: bool) -> None:
    with st.container(border=True, key=CHOSEN_CARD if chosen else None):
        safe.strong(article.title(lang))
        byline = [t("article_by", lang, author=article.author)] if article.author else []
        byline += [article.published] if article.published else []
        if byline:
            safe.small(" · ".join(byline))
        safe.text(article.summary(lang))
        orgs = [names.get(o, o) for o in (*article.organisations, *article.odcs)]
        if orgs:
            safe.small(t("article_organisations_line", lang, names=", ".join(orgs)))
        places = sorted({place_label(p.name, p.country, lang) for p in article.places})
        if places:
            safe.small(t("article_places_line", lang, names=", ".join(places)))
        if chosen:
            st.button(
                t("article_clear", lang), key=f"art_{article.id}", on_click=choose_article, args=("",), type="primary"
            )
        else:
            st.button(
                t("article_show_on_map", lang), key=f"art_{article.id}", on_click=choose_article, args=(article.id,)
            )
