"""The Streamlit page points to the feeds and pages: "Follow this view" and the open entry's page in
the Share menu, and the page's own script (static/atlas/page.mjs) given the `<link rel="alternate">`
of the view's Atom feed."""

from __future__ import annotations

from atlas.ui.share import feed_url
from atlas.urlstate import decode
from tests.test_app import component_data


def test_the_share_menu_follows_the_view_with_its_feed(app) -> None:
    at = app(lang="fr", country="BE", category="training", entry="gamma-skills", view="50,5,7")
    codes = [c.value for c in at.get("code")]
    assert codes[-2] == "http://localhost:8501/feeds/entries.atom?lang=fr&country=BE&category=training"
    assert "Suivre cette vue" in " ".join(c.value for c in at.caption)
    assert codes[-1] == "http://localhost:8501/fr/entry/gamma-skills"  # the entry's own page


def test_the_page_script_names_the_feed_of_the_view(app) -> None:
    data = component_data(app(region="011", q="dakar"), "atlas_page")
    assert data["feed"] == {
        "href": "http://localhost:8501/feeds/entries.atom?region=011&q=dakar",
        "title": "Social Tech Atlas: new and changed entries",
    }


def test_the_feed_address_carries_the_filters_only_and_honours_the_public_address(app, monkeypatch) -> None:
    state = decode({"country": "SN,FR", "kind": "odc", "status": "open", "article": "x", "inview": "1"})
    assert feed_url("https://atlas.example.org/", state) == (
        "https://atlas.example.org/feeds/entries.atom?country=SN,FR&kind=odc&status=open"
    )
    assert feed_url("https://atlas.example.org/", decode({})) == "https://atlas.example.org/feeds/entries.atom"
    monkeypatch.setenv("ATLAS_PUBLIC_URL", "https://atlas.example.org")
    data = component_data(app(country="SN"), "atlas_page")
    assert data["feed"]["href"] == "https://atlas.example.org/feeds/entries.atom?country=SN"
