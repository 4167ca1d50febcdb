"""The one translation table: every user-facing string of the atlas, in English and French."""

from __future__ import annotations

LANGS = ("en", "fr")
DEFAULT_LANG = "en"

TRANSLATIONS: dict[str, dict[str, str]] = {
    "app_title": {"en": "Social Tech Atlas", "fr": "Atlas de la Social Tech"},
    "app_subtitle": {
        "en": "Europe's social-tech organisations and the Orange Digital Center network, "
        "from the articles of the Social Good Accelerator.",
        "fr": "Les organisations européennes de la Social Tech et le réseau des Orange Digital Centers, "
        "d'après les articles du Social Good Accelerator.",
    },
    "language": {"en": "Language", "fr": "Langue"},
    "filters": {"en": "Filters", "fr": "Filtres"},
    "country": {"en": "Country", "fr": "Pays"},
    "category": {"en": "Category", "fr": "Catégorie"},
    "kind": {"en": "Kind", "fr": "Type"},
    "kind_organisation": {"en": "Organisation", "fr": "Organisation"},
    "kind_odc": {"en": "Orange Digital Center", "fr": "Orange Digital Center"},
    "kind_place": {"en": "Article place", "fr": "Lieu d'article"},
    "odc_status": {"en": "ODC status", "fr": "Statut des ODC"},
    "status_open": {"en": "Open", "fr": "Ouvert"},
    "status_planned": {"en": "Planned", "fr": "En projet"},
    "odc_open": {"en": "ODC open", "fr": "ODC ouvert"},
    "odc_planned": {"en": "ODC planned", "fr": "ODC en projet"},
    "search": {"en": "Search name, city, description", "fr": "Rechercher nom, ville, description"},
    "search_help": {
        "en": "Accents and case are ignored; every word must match.",
        "fr": "Les accents et la casse sont ignorés ; chaque mot doit correspondre.",
    },
    "only_map_view": {"en": "Only what the map shows", "fr": "Seulement ce que montre la carte"},
    "only_map_view_help": {
        "en": "Keep the rows inside the map's current view; pan or zoom to update.",
        "fr": "Garder les lignes visibles dans la vue actuelle de la carte ; déplacez ou zoomez pour mettre à jour.",
    },
    "clear_filters": {"en": "Clear all filters", "fr": "Effacer tous les filtres"},
    "choose": {"en": "Choose…", "fr": "Choisir…"},
    "count_summary": {
        "en": "{shown} of {total} entries shown ({orgs} organisations, {odcs} ODCs)",
        "fr": "{shown} entrées affichées sur {total} ({orgs} organisations, {odcs} ODC)",
    },
    "empty_result": {"en": "No entry matches these filters.", "fr": "Aucune entrée ne correspond à ces filtres."},
    "map": {"en": "Map", "fr": "Carte"},
    "legend": {"en": "In this view", "fr": "Dans cette vue"},
    "layer_organisations": {"en": "Organisations", "fr": "Organisations"},
    "layer_odcs": {"en": "Orange Digital Centers", "fr": "Orange Digital Centers"},
    "layer_article_places": {"en": "Article places", "fr": "Lieux des articles"},
    "website": {"en": "Website", "fr": "Site web"},
    "details_below": {"en": "Full record below the map", "fr": "Fiche complète sous la carte"},
    "fullscreen": {"en": "Full screen", "fr": "Plein écran"},
    "fullscreen_exit": {"en": "Exit full screen", "fr": "Quitter le plein écran"},
    "details": {"en": "Selected entry", "fr": "Entrée sélectionnée"},
    "details_hint": {
        "en": "Click a marker or a table row to see its full record here.",
        "fr": "Cliquez sur un marqueur ou une ligne du tableau pour voir sa fiche ici.",
    },
    "field_name": {"en": "Name", "fr": "Nom"},
    "field_city": {"en": "City", "fr": "Ville"},
    "field_address": {"en": "Address", "fr": "Adresse"},
    "field_description": {"en": "Description", "fr": "Description"},
    "field_source": {"en": "Source", "fr": "Source"},
    "field_opened": {"en": "Opened", "fr": "Ouverture"},
    "field_status": {"en": "Status", "fr": "Statut"},
    "field_coordinates": {"en": "Coordinates", "fr": "Coordonnées"},
    "field_precision": {"en": "Located at", "fr": "Localisé à"},
    "precision_address": {"en": "street address", "fr": "l'adresse"},
    "precision_city": {"en": "city level", "fr": "la ville"},
    "precision_region": {"en": "region level", "fr": "la région"},
    "precision_country": {"en": "country level", "fr": "le pays"},
    "mentioned_in": {"en": "Mentioned in", "fr": "Cité dans"},
    "charts": {"en": "Charts", "fr": "Graphiques"},
    "chart_by_country": {"en": "Entries by country", "fr": "Entrées par pays"},
    "chart_by_category": {"en": "Entries by category", "fr": "Entrées par catégorie"},
    "chart_odc_openings": {"en": "Orange Digital Center openings", "fr": "Ouvertures d'Orange Digital Centers"},
    "chart_choropleth": {"en": "Entries per country", "fr": "Entrées par pays"},
    "chart_count": {"en": "Entries", "fr": "Entrées"},
    "chart_year": {"en": "Year", "fr": "Année"},
    "chart_cumulative": {"en": "Open centres (cumulative)", "fr": "Centres ouverts (cumul)"},
    "chart_no_dates": {
        "en": "No opening dates in this selection.",
        "fr": "Aucune date d'ouverture dans cette sélection.",
    },
    "table": {"en": "Table", "fr": "Tableau"},
    "table_first_rows": {
        "en": "The table lists the first {rows} of {total} rows; the downloads hold all of them.",
        "fr": "Le tableau montre les {rows} premières lignes sur {total} ; les téléchargements les contiennent toutes.",
    },
    "table_hint": {
        "en": "Select a row to focus the map on it.",
        "fr": "Sélectionnez une ligne pour centrer la carte dessus.",
    },
    "download_csv": {"en": "Download CSV", "fr": "Télécharger en CSV"},
    "download_geojson": {"en": "Download GeoJSON", "fr": "Télécharger en GeoJSON"},
    "download_help": {
        "en": "Exactly the rows and columns shown in the table.",
        "fr": "Exactement les lignes et colonnes du tableau.",
    },
    "articles": {"en": "Articles", "fr": "Articles"},
    "articles_search": {"en": "Search the articles", "fr": "Rechercher dans les articles"},
    "articles_hidden": {
        "en": "{n} article(s) hidden by the filters.",
        "fr": "{n} article(s) masqué(s) par les filtres.",
    },
    "articles_none": {"en": "No article matches.", "fr": "Aucun article ne correspond."},
    "article_show_on_map": {"en": "Show on map", "fr": "Voir sur la carte"},
    "article_clear": {"en": "Clear article highlight", "fr": "Retirer la mise en évidence"},
    "article_by": {"en": "by {author}", "fr": "par {author}"},
    "article_organisations": {"en": "Organisations", "fr": "Organisations"},
    "article_places": {"en": "Places", "fr": "Lieux"},
    "data_problems": {
        "en": "{n} data row(s) were skipped or corrected: see the details.",
        "fr": "{n} ligne(s) de données ignorée(s) ou corrigée(s) : voir le détail.",
    },
    "data_problems_details": {"en": "Data problems", "fr": "Problèmes de données"},
    "bad_params": {
        "en": "Some link parameters were not understood and were ignored: {params}",
        "fr": "Certains paramètres du lien n'ont pas été compris et ont été ignorés : {params}",
    },
    "about": {"en": "About the data", "fr": "À propos des données"},
    "about_text": {
        "en": "Organisations, Orange Digital Centers and places named in SOGA's articles, completed with "
        "public facts. Each row cites its source. Coordinates come from the atlas's geocoder; "
        "their precision is shown in each record.",
        "fr": "Organisations, Orange Digital Centers et lieux cités dans les articles du SOGA, complétés "
        "par des faits publics. Chaque ligne cite sa source. Les coordonnées viennent du géocodeur "
        "de l'atlas ; leur précision figure dans chaque fiche.",
    },
    "col_id": {"en": "id", "fr": "id"},
    "col_name": {"en": "Name", "fr": "Nom"},
    "col_kind": {"en": "Kind", "fr": "Type"},
    "col_category": {"en": "Category", "fr": "Catégorie"},
    "col_category_label": {"en": "Category name", "fr": "Nom de la catégorie"},
    "col_country": {"en": "Country", "fr": "Pays"},
    "col_country_name": {"en": "Country name", "fr": "Nom du pays"},
    "col_city": {"en": "City", "fr": "Ville"},
    "col_address": {"en": "Address", "fr": "Adresse"},
    "col_status": {"en": "Status", "fr": "Statut"},
    "col_opened": {"en": "Opened", "fr": "Ouverture"},
    "col_website": {"en": "Website", "fr": "Site web"},
    "col_description": {"en": "Description", "fr": "Description"},
    "col_lat": {"en": "Latitude", "fr": "Latitude"},
    "col_lon": {"en": "Longitude", "fr": "Longitude"},
    "col_geo_precision": {"en": "Precision", "fr": "Précision"},
    "col_source": {"en": "Source", "fr": "Source"},
    "download_hsds": {"en": "Download HSDS (zip)", "fr": "Télécharger au format HSDS (zip)"},
    "download_hsds_help": {
        "en": "Open Referral HSDS 3.0: CSV files and datapackage.json, every field in both languages.",
        "fr": "Open Referral HSDS 3.0 : fichiers CSV et datapackage.json, tous les champs dans les deux langues.",
    },
    "download_jsonld": {"en": "Download JSON-LD", "fr": "Télécharger en JSON-LD"},
    "download_jsonld_help": {
        "en": "schema.org Organization records (address, coordinates, descriptions in English and French).",
        "fr": "Fiches schema.org Organization (adresse, coordonnées, descriptions en anglais et en français).",
    },
}


def normalise_lang(lang: object) -> str:
    """A supported language code; English for anything else."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of `key` in `lang`, with `{placeholders}` filled from `values`."""
    text = TRANSLATIONS[key][normalise_lang(lang)]
    return text.format(**values) if values else text
