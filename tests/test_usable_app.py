"""Issue 18 through Streamlit's AppTest: the table in the page's language, the region filter, the
permalink, the record's sources and articles, the page's script and the embed layout."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.test_app import component_data, summary

CODES = {"organisation", "odc", "civic_tech", "digital_commons", "training", "open", "planned", "city", "country"}


def _table(at: AppTest):
    return next(d for d in at.dataframe if {"name", "kind_label", "geo_precision_label"} <= set(d.value.columns))


def test_the_table_shows_labels_in_the_page_language_and_no_codes_or_ids(app) -> None:
    at = app(lang="fr")
    table = _table(at)
    shown = list(table.proto.column_order) or list(table.value.columns)  # a page of the shown columns only
    assert shown[:4] == ["name", "kind_label", "category_label", "country_name"]
    assert not {"id", "kind", "category", "country", "status", "geo_precision"} & set(shown)
    config = json.loads(table.proto.columns)
    assert config["kind_label"]["label"] == "Type" and config["geo_precision_label"]["label"] == "Localisé à"
    values = {str(v) for c in shown for v in table.value[c]}
    assert not CODES & values, CODES & values
    assert {"Organisation", "Orange Digital Center", "Communs numériques", "Ville", "Pays", "Sénégal"} <= values


def test_a_region_filters_its_countries_and_joins_the_country_filter(app) -> None:
    at = app()
    region = at.sidebar.multiselect(key="f_region")
    assert "011" in region.options or "Western Africa (1)" in region.options
    region.set_value(["011"]).run()  # Western Africa: Dakar
    assert summary(at) == "1 of 7 entries shown (0 organisations, 1 ODCs)"
    assert at.query_params["region"] in ("011", ["011"])
    at.sidebar.multiselect(key="f_country").set_value(["BE"]).run()  # places: OR
    assert summary(at) == "2 of 7 entries shown (1 organisations, 1 ODCs)"


def test_region_names_and_counts_follow_the_language(app) -> None:
    at = app(lang="fr", region="155")
    region = at.sidebar.multiselect(key="f_region")
    assert region.value == ["155"]
    assert "Europe de l’Ouest (4)" in region.options and "Afrique occidentale (1)" in region.options


def test_a_permalink_opens_the_record_with_readable_sources(app) -> None:
    at = app(entry="gamma-skills", lang="fr")
    texts = [t.value for t in at.text]
    assert "Une école de code de test à Liège." in texts
    assert at.query_params["entry"] in ("gamma-skills", ["gamma-skills"])
    assert any("Sources : test fixture" in h.proto.body for h in at.get("html"))


def test_a_permalink_to_an_unknown_entry_says_so(app) -> None:
    at = app(entry="no-such-entry")
    assert "The entry of this link is not in the atlas (any more)." in [c.value for c in at.caption]


def test_an_article_opened_from_a_record_shows_its_card_even_when_filtered_out(app) -> None:
    at = app(entry="delta-network", country="FR")  # Perugia's article is hidden by the country filter
    assert component_data(at, "mentioned_delta-network")["items"] == [
        {"id": "perugia-meeting", "text": "A test meeting in Umbria", "current": False}
    ]
    titles = [h.proto.body for h in at.get("html") if "font-weight" in h.proto.body]
    assert not any("A test meeting in Umbria" in b for b in titles)
    at.session_state["article"] = "perugia-meeting"  # what choosing it does (state.open_article)
    at.run()
    titles = [h.proto.body for h in at.get("html") if "font-weight" in h.proto.body]
    assert any("A test meeting in Umbria" in b for b in titles)
    assert component_data(at, "mentioned_delta-network")["items"][0]["current"] is True


def test_the_page_script_gets_the_language_skip_links_and_the_map_frame_name(app) -> None:
    data = component_data(app(lang="fr"), "atlas_page")
    assert data["lang"] == "fr"
    assert [s["target"] for s in data["skips"]] == ["atlas-record", "atlas-table", "atlas-downloads"]
    assert data["skips"][0]["label"] == "Aller à l'entrée sélectionnée"  # shown while an entry is open
    assert data["toolbar"]["labels"]["Download as PNG"] == "Télécharger en PNG"
    assert data["named"][0]["pattern"] == "Voir sur la carte : {title}"
    assert data["frames"][0]["label"] == "Carte des organisations et des Orange Digital Centers"
    assert data["css"].startswith("app/static/atlas/page.css?v=")


def test_the_share_control_holds_the_link_and_the_embed_code(app) -> None:
    at = app(lang="fr", country="BE", entry="gamma-skills")
    codes = [c.value for c in at.get("code")]
    assert codes[0].startswith("http://localhost:8501/?lang=fr&country=BE") and "entry=gamma-skills" in codes[0]
    assert codes[1] == "http://localhost:8501/?lang=fr&entry=gamma-skills"
    assert codes[2].startswith('<iframe src="http://localhost:8501/?lang=fr&amp;country=BE')
    assert "embed=true" in codes[2]


def test_the_record_script_gets_the_selected_entry_to_announce(app) -> None:
    """Issue 25: the record of a marker opened from the keyboard is announced and focused (record.mjs)."""
    data = component_data(app(lang="fr", entry="delta-network"), "atlas_record_focus")
    assert (data["id"], data["name"], data["anchor"]) == ("delta-network", "Delta Network", "atlas-record")
    assert data["announce"] == "Fiche ouverte : Delta Network" and data["back"] == "Retour à la carte"
    assert component_data(app(lang="en"), "atlas_record_focus")["id"] == ""  # nothing open: nothing said
