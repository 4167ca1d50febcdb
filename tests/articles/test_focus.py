"""The map's focus on a chosen article: highlight, places layer and frame."""

from __future__ import annotations

from pathlib import Path

from atlas.articles.focus import article_focus
from atlas.sources import CsvFolder

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small_atlas"


def _data():
    source = CsvFolder(SMALL)
    frame = source.load().frame
    articles, _ = source.articles(set(frame["id"]), set())
    return frame, articles


def test_no_article_chosen_carries_every_place_and_frames_nothing() -> None:
    frame, articles = _data()
    focus = article_focus(articles, "", frame, "en")
    assert focus.chosen is None and focus.highlight == frozenset() and focus.fit is None
    assert len(focus.places) == len({(p.name, p.country) for a in articles for p in a.places})


def test_an_unknown_article_is_no_article() -> None:
    frame, articles = _data()
    assert article_focus(articles, "no-such-article", frame, "en").chosen is None


def test_a_chosen_article_highlights_its_entries_and_frames_them_with_its_places() -> None:
    frame, articles = _data()
    article = next(a for a in articles if a.organisations and a.places)
    focus = article_focus(articles, article.id, frame, "fr")
    assert focus.chosen == article
    assert focus.highlight == frozenset((*article.organisations, *article.odcs))
    assert set(focus.places["name"]) == {p.name for p in article.places}
    (south, west), (north, east) = focus.fit
    for row in frame[frame["id"].isin(focus.highlight)].itertuples():
        assert south <= row.lat <= north and west <= row.lon <= east
    for place in article.places:
        assert south <= place.lat <= north and west <= place.lon <= east
    assert all(title == article.title_fr for title in focus.places["description_fr"])
