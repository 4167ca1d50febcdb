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
    "coordinates_line": {
        "en": "Coordinates: {lat:.4f}, {lon:.4f} · Located at {precision}",
        "fr": "Coordonnées : {lat:.4f}, {lon:.4f} · Localisé à {precision}",
    },
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
        "en": "Some link parameters were not understood and were ignored:",
        "fr": "Certains paramètres du lien n'ont pas été compris et ont été ignorés :",
    },
    "bad_params_more": {"en": "and {n} more", "fr": "et {n} autre(s)"},
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
    # -- pages and data source ------------------------------------------------------------------
    "page_map": {"en": "Map", "fr": "Carte"},
    "page_contribute": {"en": "Add or correct an entry", "fr": "Ajouter ou corriger une entrée"},
    "page_moderate": {"en": "Moderate", "fr": "Modérer"},
    "page_moderators": {"en": "Moderators", "fr": "Modération"},
    "page_about": {"en": "About the data", "fr": "À propos des données"},
    "about_counts": {
        "en": "The atlas holds {orgs} organisations and {odcs} Orange Digital Centers in {countries} countries, "
        "and {articles} articles.",
        "fr": "L'atlas compte {orgs} organisations et {odcs} Orange Digital Centers dans {countries} pays, "
        "et {articles} articles.",
    },
    "about_sources_title": {"en": "Where the data comes from", "fr": "D'où viennent les données"},
    "about_sources": {
        "en": "Every entry started from the articles of the Social Good Accelerator (SOGA) on the digital "
        "transition of the social economy, completed with public facts. Each entry names its source: the "
        "article, or the public page a fact was read on, with how sure it is. Descriptions and summaries are "
        "written for the atlas, in English and French; no article text is copied.",
        "fr": "Chaque entrée vient des articles du Social Good Accelerator (SOGA) sur la transition numérique "
        "de l'économie sociale, complétés par des faits publics. Chaque entrée cite sa source : l'article, ou "
        "la page publique où un fait a été lu, avec son degré de certitude. Descriptions et résumés sont "
        "rédigés pour l'atlas, en français et en anglais ; aucun texte d'article n'est recopié.",
    },
    "about_categories_title": {"en": "Categories", "fr": "Catégories"},
    "about_entries": {"en": "Entries", "fr": "Entrées"},
    "about_checks_title": {"en": "How entries are checked", "fr": "Comment les entrées sont vérifiées"},
    "about_checks": {
        "en": "Every entry follows one schema: a known country and category, coordinates that say how precise "
        "they are (address, city, region or country), http(s) links only. Proposals from visitors wait for a "
        "moderator; every change is kept with its date and reason, and nothing is ever deleted: an entry that "
        "closes is withdrawn, and its history stays.",
        "fr": "Chaque entrée suit un même schéma : un pays et une catégorie connus, des coordonnées qui disent "
        "leur précision (adresse, ville, région ou pays), des liens http(s) uniquement. Les propositions des "
        "visiteurs attendent un modérateur ; chaque changement est conservé avec sa date et sa raison, et rien "
        "n'est jamais effacé : une entrée qui ferme est retirée, son historique demeure.",
    },
    "about_contribute_title": {"en": "Contribute", "fr": "Contribuer"},
    "about_contribute": {
        "en": "Anyone can propose an organisation or a correction. Say where your facts come from; a moderator "
        "reads every proposal before it appears on the map.",
        "fr": "Chacun peut proposer une organisation ou une correction. Indiquez d'où viennent vos "
        "informations ; un modérateur lit chaque proposition avant qu'elle n'apparaisse sur la carte.",
    },
    "about_privacy_title": {"en": "Privacy", "fr": "Vie privée"},
    "about_privacy": {
        "en": "The atlas sets no tracker and sends no usage statistics. An e-mail address left with a proposal "
        "is seen by the moderators only: it is never shown, never exported. Visitors' network addresses are "
        "not stored; limits on proposals use a keyed hash kept for one day.",
        "fr": "L'atlas ne pose aucun traceur et n'envoie aucune statistique d'usage. Une adresse e-mail laissée "
        "avec une proposition n'est vue que des modérateurs : elle n'est jamais affichée ni exportée. Les "
        "adresses réseau des visiteurs ne sont pas enregistrées ; les limites de propositions utilisent une "
        "empreinte à clé conservée un jour.",
    },
    "source_unavailable": {
        "en": "The atlas database cannot be reached right now: the map shows the last data this server "
        "loaded. New entries and corrections cannot be received until it is back.",
        "fr": "La base de l'atlas est injoignable pour le moment : la carte montre les dernières données "
        "chargées par ce serveur. Les ajouts et corrections ne peuvent pas être reçus avant son retour.",
    },
    "source_as_of": {"en": "Data as of", "fr": "Données du"},
    "source_unavailable_files": {
        "en": "The atlas database cannot be reached right now: the map shows the data bundled with the "
        "atlas, which may be older. New entries and corrections cannot be received until it is back.",
        "fr": "La base de l'atlas est injoignable pour le moment : la carte montre les données fournies "
        "avec l'atlas, peut-être plus anciennes. Les ajouts et corrections ne peuvent pas être reçus "
        "avant son retour.",
    },
}


def normalise_lang(lang: object) -> str:
    """A supported language code; English for anything else."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of `key` in `lang`, with `{placeholders}` filled from `values`."""
    text = TRANSLATIONS[key][normalise_lang(lang)]
    return text.format(**values) if values else text
