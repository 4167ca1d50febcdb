"""What the map shows for the article a visitor chose: its entries highlighted, its places, its frame."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from atlas.articles.linking import article_places_frame, article_places_points
from atlas.articles.model import Article
from atlas.map import view_bounds


@dataclass(frozen=True)
class ArticleFocus:
    """The map's article layer and highlight for one rerun."""

    chosen: Article | None
    places: pd.DataFrame  # places of the chosen article (of every article when none is chosen), as map points
    highlight: frozenset[str]  # ids of the entries the chosen article names
    fit: list[list[float]] | None  # bounds framing the chosen article's entries and places; None: no framing


def article_focus(articles: Sequence[Article], chosen_id: str, on_map: pd.DataFrame, lang: str) -> ArticleFocus:
    """The focus for `chosen_id` ("" or an unknown id: no article chosen) over the map's rows `on_map`.

    Without a chosen article the map still carries every article's places (as a hidden layer),
    highlights nothing and frames nothing.
    """
    chosen = next((a for a in articles if a.id == chosen_id), None) if chosen_id else None
    titles = {a.id: a.title(lang) for a in articles}
    places = article_places_points(article_places_frame([chosen] if chosen else articles), titles, lang)
    if chosen is None:
        return ArticleFocus(None, places, frozenset(), None)
    highlight = frozenset((*chosen.organisations, *chosen.odcs))
    framed = pd.concat([on_map[on_map["id"].isin(highlight)], places])
    return ArticleFocus(chosen, places, highlight, view_bounds(framed))
