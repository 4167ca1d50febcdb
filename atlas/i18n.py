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
    "layer_place_names": {"en": "Place names", "fr": "Noms de lieux"},
    "map_zoom_in": {"en": "Zoom in", "fr": "Zoomer"},
    "map_zoom_out": {"en": "Zoom out", "fr": "Dézoomer"},
    "map_layers": {"en": "Layers", "fr": "Calques"},
    "map_search": {"en": "Find on the map", "fr": "Trouver sur la carte"},
    "map_search_none": {"en": "No entry of that name on the map", "fr": "Aucune entrée de ce nom sur la carte"},
    "map_cluster": {"en": "{n} entries: zoom in", "fr": "{n} entrées : zoomer"},
    "map_gesture": {"en": "Use two fingers to move the map", "fr": "Utilisez deux doigts pour déplacer la carte"},
    "website": {"en": "Website", "fr": "Site web"},
    "details_below": {"en": "Full record below the map", "fr": "Fiche complète sous la carte"},
    "place_articles": {"en": "Articles that name this place", "fr": "Articles qui citent ce lieu"},
    "details_beside": {"en": "Full record beside the map", "fr": "Fiche complète à côté de la carte"},
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
    "chart_tab_country": {"en": "By country", "fr": "Par pays"},
    "chart_tab_category": {"en": "By category", "fr": "Par catégorie"},
    "chart_tab_openings": {"en": "ODC openings", "fr": "Ouvertures d'ODC"},
    "chart_tab_map": {"en": "Map of countries", "fr": "Carte des pays"},
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
    "download_csv": {"en": "Download CSV", "fr": "Télécharger en CSV"},
    "download_geojson": {"en": "Download GeoJSON", "fr": "Télécharger en GeoJSON"},
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
    # -- imports and open data (issue 14) --------------------------------------------------
    "download_hsds": {"en": "Download HSDS (zip)", "fr": "Télécharger au format HSDS (zip)"},
    "download_hsds_help": {
        "en": "Open Referral HSDS 3.0: CSV files and datapackage.json, every field in both languages.",
        "fr": "Open Referral HSDS 3.0 : fichiers CSV et datapackage.json, tous les champs dans les deux langues.",
    },
    "licence_line": {
        "en": "Data licensed under the {name}{url}. Attribution: {attribution}.",
        "fr": "Données sous licence {name}{url}. Attribution : {attribution}.",
    },
    "licence_link": {"en": "Read the licence", "fr": "Lire la licence"},
    "download_jsonld": {"en": "Download JSON-LD", "fr": "Télécharger en JSON-LD"},
    "download_jsonld_help": {
        "en": "schema.org Organization records (address, coordinates, descriptions in English and French).",
        "fr": "Fiches schema.org Organization (adresse, coordonnées, descriptions en anglais et en français).",
    },
    # -- the Moderate page (moderate_*) ------------------------------------------------------------
    "moderate_auth_missing": {
        "en": "Sign-in is not configured on this server, so nobody can moderate here. The documentation's page "
        '"Moderating" (docs/use/moderate.md) explains how to set it up (an [auth] section in '
        ".streamlit/secrets.toml).",
        "fr": "La connexion n'est pas configurée sur ce serveur : personne ne peut modérer ici. La page "
        "« Moderating » de la documentation (docs/use/moderate.md) explique comment la mettre en place (une "
        "section [auth] dans .streamlit/secrets.toml).",
    },
    "moderate_sign_in_refused": {
        "en": "Sign-in is switched off on this server: the cookie secret that signs the sign-in cookie ([auth] "
        "cookie_secret in .streamlit/secrets.toml) is {problem}. Anyone could forge that cookie, so nobody is "
        "signed in here until an administrator sets a long random secret (docs/deployment-security.md).",
        "fr": "La connexion est désactivée sur ce serveur : le secret qui signe le cookie de connexion "
        "(cookie_secret de la section [auth] de .streamlit/secrets.toml) {problem}. N'importe qui pourrait "
        "fabriquer ce cookie : personne n'est donc connecté ici tant qu'un administrateur n'a pas défini un "
        "long secret aléatoire (docs/deployment-security.md).",
    },
    "moderate_secret_missing": {"en": "missing", "fr": "est absent"},
    "moderate_secret_short": {
        "en": "shorter than 32 characters",
        "fr": "fait moins de 32 caractères",
    },
    "moderate_secret_example": {
        "en": "an example value published with the project",
        "fr": "est une valeur d'exemple publiée avec le projet",
    },
    "moderate_sign_in_intro": {
        "en": "Moderators review the entries and corrections proposed by visitors. Sign in with your "
        "organisation's account to continue.",
        "fr": "Les modérateurs relisent les entrées et corrections proposées par les visiteurs. Connectez-vous "
        "avec le compte de votre organisation pour continuer.",
    },
    "moderate_sign_in": {"en": "Sign in", "fr": "Se connecter"},
    "moderate_sign_out": {"en": "Sign out", "fr": "Se déconnecter"},
    "moderate_refused": {
        "en": "This account may not moderate the atlas: it is not on the moderators' list, or the sign-in "
        "provider did not confirm its e-mail address. Nothing was changed.",
        "fr": "Ce compte ne peut pas modérer l'atlas : il n'est pas sur la liste des modérateurs, ou le "
        "fournisseur d'identité n'a pas confirmé son adresse e-mail. Rien n'a été modifié.",
    },
    "moderate_signed_in_as": {"en": "Signed in as {email}", "fr": "Connecté en tant que {email}"},
    "moderate_no_email": {"en": "(no confirmed e-mail address)", "fr": "(aucune adresse e-mail confirmée)"},
    "moderate_no_database": {
        "en": "The atlas is served from its data files (ATLAS_SOURCE=files): there is nothing to moderate.",
        "fr": "L'atlas est servi depuis ses fichiers de données (ATLAS_SOURCE=files) : il n'y a rien à modérer.",
    },
    "moderate_db_unavailable": {
        "en": "The atlas database cannot be reached right now: no decision can be recorded. Try again later.",
        "fr": "La base de l'atlas est injoignable pour le moment : aucune décision ne peut être enregistrée. "
        "Réessayez plus tard.",
    },
    "moderate_tab_queue": {"en": "Queue", "fr": "File d'attente"},
    "moderate_tab_entries": {"en": "Entries", "fr": "Entrées"},
    "moderate_tab_audit": {"en": "Audit log", "fr": "Journal"},
    "moderate_filter_action": {"en": "Show", "fr": "Afficher"},
    "moderate_action_submission": {"en": "New entry", "fr": "Nouvelle entrée"},
    "moderate_action_correction": {"en": "Correction", "fr": "Correction"},
    "moderate_action_edit": {"en": "Moderator's edit", "fr": "Modification d'un modérateur"},
    "moderate_action_state": {"en": "State change", "fr": "Changement d'état"},
    "moderate_action_seed": {"en": "First load", "fr": "Chargement initial"},
    "moderate_action_import": {"en": "Import", "fr": "Import"},
    "moderate_filter_text": {"en": "Search name or id", "fr": "Rechercher un nom ou un id"},
    "moderate_queue_count": {
        "en": "{n} proposal(s) waiting, oldest first.",
        "fr": "{n} proposition(s) en attente, les plus anciennes d'abord.",
    },
    "moderate_queue_empty": {"en": "Nothing is waiting for a decision.", "fr": "Rien n'attend de décision."},
    "moderate_item_meta": {
        "en": "Entry {id} · anonymous submission #{n} · received {at}",
        "fr": "Entrée {id} · proposition anonyme n° {n} · reçue le {at}",
    },
    "moderate_item_head": {"en": "**{action} · #{n}** · {kind}", "fr": "**{action} · n° {n}** · {kind}"},
    "moderate_item_ref": {"en": "Proposal #{n}", "fr": "Proposition n° {n}"},
    "moderate_stale": {
        "en": "The entry changed since this correction was written: check the old values against today's.",
        "fr": "L'entrée a changé depuis la rédaction de cette correction : comparez les anciennes valeurs à "
        "celles d'aujourd'hui.",
    },
    "moderate_submitter_note": {"en": "Note from the submitter: {note}", "fr": "Note de l'auteur : {note}"},
    "moderate_contact": {
        "en": "Submitter's contact (private)",
        "fr": "Contact de l'auteur (privé)",
    },
    "moderate_reason": {"en": "Reason or note", "fr": "Motif ou note"},
    "moderate_reason_placeholder": {
        "en": "Required to reject; kept in the audit log",
        "fr": "Obligatoire pour refuser ; conservé dans le journal",
    },
    "moderate_approve": {"en": "Approve", "fr": "Approuver"},
    "moderate_reject": {"en": "Reject", "fr": "Refuser"},
    "moderate_edit": {"en": "Edit, then approve", "fr": "Modifier puis approuver"},
    "moderate_edit_note": {"en": "Note about your changes", "fr": "Note sur vos modifications"},
    "moderate_edit_approve": {"en": "Approve with these values", "fr": "Approuver avec ces valeurs"},
    "moderate_duplicate": {"en": "Mark as a duplicate of…", "fr": "Marquer comme doublon de…"},
    "moderate_duplicate_search": {
        "en": "Find the existing entry by name",
        "fr": "Trouver l'entrée existante par son nom",
    },
    "moderate_duplicate_similar_live": {
        "en": "{n} similar entry(ies) found, published or waiting in the queue: they are listed first.",
        "fr": "{n} entrée(s) semblable(s) trouvée(s), publiée(s) ou en attente : elles sont en tête de liste.",
    },
    "moderate_duplicate_of": {"en": "Existing entry", "fr": "Entrée existante"},
    "moderate_duplicate_choose": {"en": "Choose an entry…", "fr": "Choisir une entrée…"},
    "moderate_duplicate_choose_first": {
        "en": "Choose the existing entry first: nothing was changed.",
        "fr": "Choisissez d'abord l'entrée existante : rien n'a été modifié.",
    },
    "moderate_mark_duplicate": {"en": "Mark as duplicate", "fr": "Marquer comme doublon"},
    "moderate_entries_help": {
        "en": "Find a published entry to withdraw it (it leaves the map; its history stays). "
        "A withdrawn entry is found by its exact id, to publish it again.",
        "fr": "Trouvez une entrée publiée pour la retirer (elle quitte la carte ; son historique demeure). "
        "Une entrée retirée se retrouve par son id exact, pour la republier.",
    },
    "moderate_entries_search": {"en": "Name or id", "fr": "Nom ou id"},
    "moderate_entries_none": {"en": "No entry matches.", "fr": "Aucune entrée ne correspond."},
    "moderate_entries_choose": {"en": "Entry", "fr": "Entrée"},
    "moderate_entry_meta": {
        "en": "Entry {id} · {state} · last changed {at}",
        "fr": "Entrée {id} · {state} · dernière modification le {at}",
    },
    "moderate_state_pending": {"en": "waiting for a decision", "fr": "en attente de décision"},
    "moderate_state_published": {"en": "published", "fr": "publiée"},
    "moderate_state_rejected": {"en": "rejected", "fr": "refusée"},
    "moderate_state_withdrawn": {"en": "withdrawn", "fr": "retirée"},
    "moderate_state_duplicate": {"en": "duplicate", "fr": "doublon"},
    "moderate_history": {"en": "History", "fr": "Historique"},
    "moderate_state_reason": {"en": "Reason (required)", "fr": "Motif (obligatoire)"},
    "moderate_withdraw": {"en": "Withdraw from the atlas", "fr": "Retirer de l'atlas"},
    "moderate_republish": {"en": "Publish again", "fr": "Republier"},
    "moderate_audit_search": {"en": "Search the log", "fr": "Rechercher dans le journal"},
    "moderate_audit_search_help": {
        "en": "Matches an entry id, an author, a moderator or a reason.",
        "fr": "Cherche dans les id d'entrée, les auteurs, les modérateurs et les motifs.",
    },
    "moderate_audit_count": {
        "en": "{n} change(s), newest first.",
        "fr": "{n} changement(s), du plus récent au plus ancien.",
    },
    "moderate_col_when": {"en": "When", "fr": "Quand"},
    "moderate_col_entry": {"en": "Entry", "fr": "Entrée"},
    "moderate_col_action": {"en": "Change", "fr": "Changement"},
    "moderate_col_status": {"en": "Status", "fr": "Statut"},
    "moderate_col_author": {"en": "By", "fr": "Par"},
    "moderate_col_decided_by": {"en": "Decided by", "fr": "Décidé par"},
    "moderate_col_reason": {"en": "Reason", "fr": "Motif"},
    "moderate_col_changes": {"en": "Fields", "fr": "Champs"},
    "moderate_status_applied": {"en": "approved", "fr": "approuvé"},
    "moderate_status_rejected": {"en": "rejected", "fr": "refusé"},
    "moderate_status_pending": {"en": "waiting", "fr": "en attente"},
    "moderate_status_changed": {"en": "changed", "fr": "modifié"},
    "moderate_previous": {"en": "Previous", "fr": "Précédent"},
    "moderate_next": {"en": "Next", "fr": "Suivant"},
    "moderate_page_of": {"en": "Page {page} of {pages}", "fr": "Page {page} sur {pages}"},
    "moderate_field_refused": {"en": "This value is not accepted:", "fr": "Cette valeur n'est pas acceptée :"},
    "moderate_field_aliases": {"en": "Other names", "fr": "Autres noms"},
    "moderate_field_geo_source": {"en": "Located by", "fr": "Localisé par"},
    "moderate_field_description_en": {"en": "Description (English)", "fr": "Description (anglais)"},
    "moderate_field_description_fr": {"en": "Description (French)", "fr": "Description (français)"},
    "moderate_already_title": {
        "en": "Someone decided first: nothing was changed.",
        "fr": "Quelqu'un a décidé avant vous : rien n'a été modifié.",
    },
    "moderate_already_decided": {
        "en": "Already decided by {by} at {at} ({status}).",
        "fr": "Déjà décidé par {by} le {at} ({status}).",
    },
    "moderate_someone": {"en": "another moderator", "fr": "un autre modérateur"},
    "moderate_invalid": {
        "en": "Not saved: a value is not accepted (see the message next to the field).",
        "fr": "Non enregistré : une valeur n'est pas acceptée (voir le message à côté du champ).",
    },
    "moderate_nothing_changed": {
        "en": "Nothing to save: the values are the same as now.",
        "fr": "Rien à enregistrer : les valeurs sont les mêmes qu'actuellement.",
    },
    "moderate_not_found": {
        "en": "This entry no longer exists: nothing was changed.",
        "fr": "Cette entrée n'existe plus : rien n'a été modifié.",
    },
    "moderate_failed": {"en": "Not saved:", "fr": "Non enregistré :"},
    "moderate_approved": {"en": "Approved: it is on the map.", "fr": "Approuvé : c'est sur la carte."},
    "moderate_rejected": {
        "en": "Rejected: it will not be published. The reason is kept in the log.",
        "fr": "Refusé : ce ne sera pas publié. Le motif est conservé dans le journal.",
    },
    "moderate_marked_duplicate": {
        "en": "Marked as a duplicate: it will not be published.",
        "fr": "Marqué comme doublon : ce ne sera pas publié.",
    },
    "moderate_withdrawn": {
        "en": "Withdrawn: the entry left the map; its history stays.",
        "fr": "Retirée : l'entrée a quitté la carte ; son historique demeure.",
    },
    "moderate_republished": {
        "en": "Published again: it is back on the map.",
        "fr": "Republiée : elle est de retour sur la carte.",
    },
    "moderate_action_merge": {"en": "Merge", "fr": "Fusion"},
    # -- the Moderate page: duplicate pairs (issue 14) ----------------------------------------------
    "moderate_tab_duplicates": {"en": "Duplicates", "fr": "Doublons"},
    "pairs_help": {
        "en": "Pairs of entries the matcher finds alike (imports, or *Look for duplicates*): merge them "
        "into one, or say they are not the same — that is remembered and never proposed again.",
        "fr": "Les paires d'entrées que la recherche de doublons trouve semblables (imports, ou "
        "*Chercher les doublons*) : fusionnez-les, ou dites qu'elles sont différentes — c'est retenu et "
        "jamais reproposé.",
    },
    "pairs_count": {"en": "{n} pair(s) waiting", "fr": "{n} paire(s) en attente"},
    "pairs_empty": {"en": "No duplicate pair is waiting.", "fr": "Aucune paire de doublons en attente."},
    "pairs_find": {"en": "Look for duplicates", "fr": "Chercher les doublons"},
    "pairs_found": {
        "en": "Duplicate search done: {n} new pair(s).",
        "fr": "Recherche de doublons faite : {n} nouvelle(s) paire(s).",
    },
    "pair_head": {"en": "**Pair #{n}** · likeness {score} %", "fr": "**Paire n° {n}** · ressemblance {score} %"},
    "pair_meta": {"en": "Proposed by {by} at {at}", "fr": "Proposée par {by} le {at}"},
    "pair_by_dedup": {"en": "the duplicate search", "fr": "la recherche de doublons"},
    "pair_by_import": {"en": "the import of {source}", "fr": "l'import de {source}"},
    "pair_reasons": {"en": "Why: {reasons}", "fr": "Pourquoi : {reasons}"},
    "pair_col_field": {"en": "Field", "fr": "Champ"},
    "pair_col_side": {"en": "{side}: {id}", "fr": "{side} : {id}"},
    "pair_col_differs": {"en": "Differs", "fr": "Diffère"},
    "pair_field_id": {"en": "Id", "fr": "Identifiant"},
    "pair_field_state": {"en": "State", "fr": "État"},
    "pair_field_sources": {"en": "Imported from", "fr": "Importée de"},
    "pair_keep": {"en": "Entry to keep", "fr": "Entrée à garder"},
    "pair_take_help": {
        "en": "Each field keeps the value of the entry kept, unless you take the other's below.",
        "fr": "Chaque champ garde la valeur de l'entrée gardée, sauf si vous prenez l'autre ci-dessous.",
    },
    "pair_take_kept": {"en": "The kept entry's value", "fr": "La valeur de l'entrée gardée"},
    "pair_note": {"en": "Note (optional)", "fr": "Note (facultative)"},
    "pair_merge": {"en": "Merge", "fr": "Fusionner"},
    "pair_not_same": {"en": "Not the same", "fr": "Pas les mêmes"},
    "pair_merged": {
        "en": "Merged: one entry stays, the other is recorded as its duplicate (both sources kept).",
        "fr": "Fusionnées : une entrée reste, l'autre est enregistrée comme son doublon (les deux sources gardées).",
    },
    "pair_merged_detail": {"en": "{other} → {kept}", "fr": "{other} → {kept}"},
    "pair_told_apart": {
        "en": "Not the same: remembered, this pair will not be proposed again.",
        "fr": "Pas les mêmes : c'est retenu, cette paire ne sera plus proposée.",
    },
    "moderate_pair_ref": {"en": "Pair #{n}", "fr": "Paire n° {n}"},
    "draft_still_extractive": {
        "en": "Not published: the summary is still the machine's extract in {langs}. Rewrite it in the "
        "project's own words and save first.",
        "fr": "Non publié : le résumé est encore l'extrait automatique en {langs}. Réécrivez-le avec les "
        "mots du projet et enregistrez d'abord.",
    },
    "draft_undecided": {
        "en": "Not published: {n} proposed link(s) still wait for a decision.",
        "fr": "Non publié : {n} lien(s) proposé(s) attendent encore une décision.",
    },
    "pair_reason_same_name": {"en": "same name", "fr": "même nom"},
    "pair_reason_same_name_spaces": {"en": "same name but the spaces", "fr": "même nom aux espaces près"},
    "pair_reason_same_name_city": {"en": "same name but the city", "fr": "même nom, la ville mise à part"},
    "pair_reason_acronym": {"en": "one name is the other's acronym", "fr": "un nom est le sigle de l'autre"},
    "pair_reason_same_site_pages": {"en": "pages of the same website", "fr": "pages du même site web"},
    "pair_reason_same_website": {"en": "same website", "fr": "même site web"},
    "pair_reason_same_website_name": {"en": "same website name", "fr": "même nom de site web"},
    "pair_reason_other_websites": {"en": "other websites", "fr": "sites web différents"},
    "pair_reason_other_country": {"en": "other country", "fr": "autre pays"},
    "pair_reason_same_city": {"en": "same city", "fr": "même ville"},
    "pair_reason_other_city": {"en": "other city", "fr": "autre ville"},
    "pair_reason_other_words": {"en": "other words ({a} / {b})", "fr": "mots différents ({a} / {b})"},
    "pair_reason_extra_word": {"en": "extra word ({word})", "fr": "mot en plus ({word})"},
    "pair_reason_name_pct": {"en": "names {pct}% alike", "fr": "noms semblables à {pct} %"},
    "pair_reason_m_apart": {"en": "{m} m apart", "fr": "à {m} m l'une de l'autre"},
    "pair_reason_km_apart": {"en": "{km} km apart", "fr": "à {km} km l'une de l'autre"},
    "pair_reason_lookalike": {
        "en": "letters of another script that look Latin",
        "fr": "lettres d'un autre alphabet qui imitent l'alphabet latin",
    },
    "pair_reason_same_page": {"en": "same page of the same website", "fr": "même page du même site web"},
    "pair_reason_same_phone": {"en": "same phone number", "fr": "même numéro de téléphone"},
    "pair_reason_same_address": {"en": "same street address", "fr": "même adresse"},
    "pair_reason_other_address": {"en": "other street address", "fr": "autre adresse"},
    "pair_reason_network": {
        "en": "branches of one network in two towns",
        "fr": "antennes d'un même réseau dans deux communes",
    },
    # -- the Moderate page: article drafts from the feed (issue 17) ---------------------------------
    "moderate_tab_articles": {"en": "Articles", "fr": "Articles"},
    "drafts_help": {
        "en": "Drafts fetched from the blog's feed (`atlas articles fetch`): rewrite both summaries in the "
        "project's own words, decide each proposed link and new organisation, then publish. The text "
        "taken from the web page is shown here only, as plain text, and is never published.",
        "fr": "Les brouillons tirés du flux du blog (`atlas articles fetch`) : réécrivez les deux résumés avec "
        "les mots du projet, décidez chaque lien et chaque nouvelle organisation proposés, puis publiez. Le "
        "texte repris de la page web n'est montré qu'ici, en texte brut, et n'est jamais publié.",
    },
    "drafts_search": {"en": "Search titles", "fr": "Rechercher dans les titres"},
    "drafts_count": {"en": "{n} draft(s) waiting", "fr": "{n} brouillon(s) en attente"},
    "drafts_empty": {"en": "No article draft is waiting.", "fr": "Aucun brouillon d'article en attente."},
    "drafts_col_title": {"en": "Title", "fr": "Titre"},
    "drafts_col_added": {"en": "Fetched", "fr": "Récupéré"},
    "drafts_col_summary": {"en": "Summary", "fr": "Résumé"},
    "drafts_col_undecided": {"en": "Links to decide", "fr": "Liens à décider"},
    "drafts_col_candidates": {"en": "New organisations", "fr": "Nouvelles organisations"},
    "langs_en": {"en": "English", "fr": "anglais"},
    "langs_fr": {"en": "French", "fr": "français"},
    "langs_en_fr": {"en": "English and French", "fr": "anglais et français"},
    "langs_none": {"en": "no language", "fr": "aucune langue"},
    "draft_summary_extractive": {"en": "machine extract", "fr": "extrait automatique"},
    "draft_summary_edited": {"en": "rewritten", "fr": "réécrit"},
    "drafts_choose": {"en": "Draft to review", "fr": "Brouillon à relire"},
    "drafts_choose_placeholder": {"en": "Choose a draft…", "fr": "Choisir un brouillon…"},
    "draft_meta": {
        "en": "Article {id} · fetched {at} · language {language} · version {v}",
        "fr": "Article {id} · récupéré le {at} · langue {language} · version {v}",
    },
    "draft_open_original": {"en": "Open the original article", "fr": "Ouvrir l'article d'origine"},
    "draft_extractive_note": {
        "en": "Marked extractive: the summary in {langs} is still the machine's sentences from the article. "
        "Rewrite it in the project's own words and save.",
        "fr": "Marqué extractif : le résumé en {langs} est encore fait des phrases de l'article choisies par la "
        "machine. Réécrivez-le avec les mots du projet et enregistrez.",
    },
    "draft_edited_note": {
        "en": "Both summaries are in the project's own words.",
        "fr": "Les deux résumés sont dans les mots du projet.",
    },
    "draft_edit_title": {"en": "Titles and summaries", "fr": "Titres et résumés"},
    "draft_field_title_en": {"en": "Title (English)", "fr": "Titre (anglais)"},
    "draft_field_title_fr": {"en": "Title (French)", "fr": "Titre (français)"},
    "draft_field_summary_en": {"en": "Summary (English)", "fr": "Résumé (anglais)"},
    "draft_field_summary_fr": {"en": "Summary (French)", "fr": "Résumé (français)"},
    "draft_save": {"en": "Save titles and summaries", "fr": "Enregistrer titres et résumés"},
    "draft_saved": {"en": "Saved.", "fr": "Enregistré."},
    "draft_text": {
        "en": "Text taken from the page (never published)",
        "fr": "Texte repris de la page (jamais publié)",
    },
    "draft_text_cut": {
        "en": "The page was long: its text was cut.",
        "fr": "La page était longue : son texte a été coupé.",
    },
    "draft_text_cleared": {"en": "The extracted text was cleared.", "fr": "Le texte extrait a été effacé."},
    "draft_links_title": {"en": "Proposed links", "fr": "Liens proposés"},
    "draft_links_none": {"en": "The draft proposes no link.", "fr": "Le brouillon ne propose aucun lien."},
    "draft_link_organisation": {"en": "Organisation", "fr": "Organisation"},
    "draft_link_odc": {"en": "Orange Digital Center", "fr": "Orange Digital Center"},
    "draft_link_place": {"en": "Place", "fr": "Lieu"},
    "draft_link_candidate": {"en": "New organisation (candidate)", "fr": "Nouvelle organisation (candidate)"},
    "draft_link_line": {"en": "{kind}: {name} {id}", "fr": "{kind} : {name} {id}"},
    "draft_link_evidence": {"en": "Written “{written}” — {evidence}", "fr": "Écrit « {written} » — {evidence}"},
    "draft_link_accepted": {"en": "Accepted by {by} at {at}", "fr": "Accepté par {by} le {at}"},
    "draft_link_rejected": {"en": "Rejected by {by} at {at}", "fr": "Refusé par {by} le {at}"},
    "draft_accept": {"en": "Accept", "fr": "Accepter"},
    "draft_reject_link": {"en": "Reject", "fr": "Refuser"},
    "draft_candidate_check": {
        "en": "Its category and country are guesses: check them before accepting.",
        "fr": "Sa catégorie et son pays sont devinés : vérifiez-les avant d'accepter.",
    },
    "draft_link_done_accepted": {
        "en": "Accepted: the link goes with the article.",
        "fr": "Accepté : le lien accompagnera l'article.",
    },
    "draft_link_done_rejected": {
        "en": "Rejected: the link will not be published.",
        "fr": "Refusé : le lien ne sera pas publié.",
    },
    "draft_candidate_done_accepted": {
        "en": "Accepted: the new organisation is published and linked to the article.",
        "fr": "Acceptée : la nouvelle organisation est publiée et liée à l'article.",
    },
    "draft_candidate_done_rejected": {
        "en": "Rejected: the new organisation will not be published.",
        "fr": "Refusée : la nouvelle organisation ne sera pas publiée.",
    },
    "draft_decide_title": {"en": "Decision", "fr": "Décision"},
    "draft_ready": {"en": "Ready to publish.", "fr": "Prêt à publier."},
    "draft_note": {"en": "Reason (required to reject)", "fr": "Motif (obligatoire pour refuser)"},
    "draft_publish": {"en": "Publish the article", "fr": "Publier l'article"},
    "draft_reject": {"en": "Reject the draft", "fr": "Refuser le brouillon"},
    "draft_published": {
        "en": "Published: the article is in the atlas's articles.",
        "fr": "Publié : l'article est dans les articles de l'atlas.",
    },
    "draft_rejected": {
        "en": "Rejected: the article will not be published; the text taken from the page is cleared.",
        "fr": "Refusé : l'article ne sera pas publié ; le texte repris de la page est effacé.",
    },
    # -- usable (issue 18) ----------------------------------------------------------------------
    "source_article": {"en": "the article “{title}”", "fr": "l'article « {title} »"},
    "source_public": {"en": "public source: {sites}", "fr": "source publique : {sites}"},
    "source_public_many": {"en": "public sources: {sites}", "fr": "sources publiques : {sites}"},
    "source_basis": {"en": "{sites}", "fr": "{sites}"},
    "source_basis_general": {"en": "general knowledge", "fr": "connaissance générale"},
    "source_basis_legal_notice": {"en": "the legal notice of its website", "fr": "les mentions légales de son site"},
    "source_basis_contract_notice": {"en": "a public contract notice", "fr": "un avis de marché public"},
    "source_basis_statutes": {"en": "the association's statutes", "fr": "les statuts de l'association"},
    "source_confidence_high": {"en": "(high confidence)", "fr": "(fiabilité élevée)"},
    "source_confidence_medium": {"en": "(medium confidence)", "fr": "(fiabilité moyenne)"},
    "source_confidence_low": {"en": "(low confidence)", "fr": "(fiabilité faible)"},
    "region": {"en": "Region", "fr": "Région"},
    "region_help": {
        "en": "UN M49 regions (continents and sub-regions). A region adds its countries to the countries chosen.",
        "fr": "Régions M49 de l'ONU (continents et sous-régions). Une région ajoute ses pays aux pays choisis.",
    },
    "geo_source_manual": {"en": "placed by hand", "fr": "placé à la main"},
    "geo_source_gazetteer": {"en": "offline gazetteer", "fr": "répertoire géographique hors ligne"},
    "geo_source_nominatim": {"en": "OpenStreetMap's Nominatim", "fr": "Nominatim d'OpenStreetMap"},
    "precision_label_address": {"en": "Address", "fr": "Adresse"},
    "precision_label_city": {"en": "City", "fr": "Ville"},
    "precision_label_region": {"en": "Region", "fr": "Région"},
    "precision_label_country": {"en": "Country", "fr": "Pays"},
    "col_geo_precision_label": {"en": "Located at", "fr": "Localisé à"},
    "col_status_label": {"en": "ODC status", "fr": "Statut de l'ODC"},
    "table_select_hint": {
        "en": "Select a row to open its record; the map shows the entry.",
        "fr": "Sélectionnez une ligne pour ouvrir sa fiche ; la carte montre l'entrée.",
    },
    "download_labels_help": {
        "en": "Every row shown, with every column: stable codes and their labels in the page's language "
        "(the columns are described in the documentation: docs/data/index.md).",
        "fr": "Toutes les lignes affichées, avec toutes les colonnes : des codes stables et leurs libellés dans "
        "la langue de la page (les colonnes sont décrites dans la documentation : docs/data/index.md).",
    },
    "chart_countries_cut": {
        "en": "{shown} of {total} countries shown; the rest in the table",
        "fr": "{shown} pays affichés sur {total} ; les autres dans le tableau",
    },
    "chart_openings_unknown": {
        "en": "{n} open ODCs have no known opening date:",
        "fr": "{n} ODC ouverts n'ont pas de date d'ouverture connue :",
    },
    "chart_openings_line": {
        "en": "the line counts the {shown} that have one",
        "fr": "la courbe compte les {shown} qui en ont une",
    },
    "chart_openings_unknown_all": {
        "en": "{n} open ODCs in this selection, none with a known opening date.",
        "fr": "{n} ODC ouverts dans cette sélection, aucun avec une date d'ouverture connue.",
    },
    "chart_by_country_desc": {
        "en": "Bar chart of the entries per country, the most represented first.",
        "fr": "Diagramme en barres des entrées par pays, les plus représentés d'abord.",
    },
    "chart_by_category_desc": {
        "en": "Bar chart of the entries per category.",
        "fr": "Diagramme en barres des entrées par catégorie.",
    },
    "chart_odc_openings_desc": {
        "en": "Bars: Orange Digital Centers opened each year; line: centres opened in all since the first.",
        "fr": "Barres : Orange Digital Centers ouverts chaque année ; courbe : centres ouverts en tout "
        "depuis le premier.",
    },
    "chart_choropleth_desc": {
        "en": "Map of the countries, shaded by their number of entries.",
        "fr": "Carte des pays, colorés selon leur nombre d'entrées.",
    },
    "chart_axis_x": {"en": "Horizontal axis: {what}", "fr": "Axe horizontal : {what}"},
    "chart_axis_y": {"en": "Vertical axis: {what}", "fr": "Axe vertical : {what}"},
    "chart_legend": {"en": "Colour scale: {what}", "fr": "Échelle de couleurs : {what}"},
    "chart_bar_desc": {"en": "{label}: {n} entries", "fr": "{label} : {n} entrée(s)"},
    "article_organisations_line": {"en": "Organisations: {names}", "fr": "Organisations : {names}"},
    "article_places_line": {"en": "Places: {names}", "fr": "Lieux : {names}"},
    "mentioned_in_line": {"en": "Mentioned in: {titles}", "fr": "Cité dans : {titles}"},
    "list_separator": {"en": "; ", "fr": " ; "},
    "address_line": {"en": "Address: {address}", "fr": "Adresse : {address}"},
    "status_line": {"en": "Status: {status}", "fr": "Statut : {status}"},
    "opened_line": {"en": "Opened: {opened}", "fr": "Ouverture : {opened}"},
    "sources_line": {"en": "Sources: {sources}", "fr": "Sources : {sources}"},
    "mentioned_in_label": {
        "en": "Articles that mention this entry: each opens its card",
        "fr": "Articles qui citent cette entrée : chacun ouvre sa fiche",
    },
    "entry_not_found": {
        "en": "The entry of this link is not in the atlas (any more).",
        "fr": "L'entrée de ce lien n'est pas (ou plus) dans l'atlas.",
    },
    "search_placeholder": {"en": "Type to search", "fr": "Tapez pour chercher"},
    "share": {"en": "Share", "fr": "Partager"},
    "share_link": {
        "en": "Link to this view (filters, map position, open record): copy it with the button on the right.",
        "fr": "Lien vers cette vue (filtres, position de la carte, fiche ouverte) : copiez-le avec le bouton à droite.",
    },
    "share_entry": {"en": "Permanent link to this entry:", "fr": "Lien permanent vers cette entrée :"},
    "share_embed": {
        "en": "To show this map on another site, paste this code into its page (600 × 450 pixels):",
        "fr": "Pour montrer cette carte sur un autre site, collez ce code dans sa page (600 × 450 pixels) :",
    },
    "embed_open_atlas": {"en": "Open the full atlas", "fr": "Ouvrir l'atlas complet"},
    "skip_links": {"en": "Skip links", "fr": "Liens d'évitement"},
    "skip_to_table": {"en": "Skip to the table", "fr": "Aller au tableau"},
    "skip_to_downloads": {"en": "Skip to the downloads", "fr": "Aller aux téléchargements"},
    "downloads": {"en": "Downloads", "fr": "Téléchargements"},
    "map_frame_title": {
        "en": "Map of the organisations and Orange Digital Centers",
        "fr": "Carte des organisations et des Orange Digital Centers",
    },
    "chart_opening_desc": {
        "en": "{year}: {n} opened, {total} in all",
        "fr": "{year} : {n} ouverture(s), {total} en tout",
    },
    # -- contribution form (Add or correct an entry) and the detail panel's history ---------------
    "contribute_intro": {
        "en": "Propose an organisation or an Orange Digital Center for the atlas. A moderator reads every "
        "proposal before it appears on the map. Fields marked * are required.",
        "fr": "Proposez une organisation ou un Orange Digital Center pour l'atlas. Un modérateur lit chaque "
        "proposition avant qu'elle n'apparaisse sur la carte. Les champs marqués * sont obligatoires.",
    },
    "contribute_read_only": {
        "en": "This atlas is read-only: it shows its data files as they are and cannot receive proposals "
        "or corrections.",
        "fr": "Cet atlas est en lecture seule : il montre ses fichiers de données tels quels et ne peut pas "
        "recevoir de propositions ni de corrections.",
    },
    "contribute_outage": {
        "en": "The atlas database cannot be reached right now, so proposals cannot be received. Nothing you "
        "typed is lost: keep this page open and send again in a moment.",
        "fr": "La base de l'atlas est injoignable pour le moment : les propositions ne peuvent pas être "
        "reçues. Rien de ce que vous avez saisi n'est perdu : gardez cette page ouverte et renvoyez dans "
        "un moment.",
    },
    "contribute_kind": {"en": "What do you propose?", "fr": "Que proposez-vous ?"},
    "contribute_section_what": {"en": "What it is", "fr": "De quoi s'agit-il ?"},
    "contribute_section_where": {"en": "Where it is", "fr": "Emplacement"},
    "contribute_section_source": {"en": "Where do these facts come from?", "fr": "D'où viennent ces informations ?"},
    "contribute_section_contact": {"en": "For the moderators (optional)", "fr": "Pour les modérateurs (facultatif)"},
    "contribute_correcting": {
        "en": "You are suggesting a correction to this entry. Change what is wrong or missing: the "
        "moderators will see what you changed.",
        "fr": "Vous proposez une correction de cette entrée. Modifiez ce qui est faux ou manquant : les "
        "modérateurs verront ce que vous avez changé.",
    },
    "contribute_new_instead": {"en": "Add a new entry instead", "fr": "Ajouter plutôt une nouvelle entrée"},
    "contribute_entry_gone": {
        "en": "This entry cannot be corrected: it is not published (any more).",
        "fr": "Cette entrée ne peut pas être corrigée : elle n'est pas (ou plus) publiée.",
    },
    "contribute_similar_title": {"en": "Is it one of these?", "fr": "Est-ce l'une de celles-ci ?"},
    "contribute_similar_hint": {
        "en": "These entries of the atlas have a similar name. If yours is one of them, suggest a correction "
        "to it rather than adding it a second time.",
        "fr": "Ces entrées de l'atlas ont un nom proche. Si la vôtre en fait partie, proposez-en plutôt une "
        "correction que de l'ajouter une seconde fois.",
    },
    "contribute_similar_choose": {
        "en": "Suggest a correction to this one instead",
        "fr": "Proposer plutôt une correction de celle-ci",
    },
    "contribute_changes_title": {"en": "What you change", "fr": "Ce que vous modifiez"},
    "contribute_changes_none": {
        "en": "You have not changed anything yet.",
        "fr": "Vous n'avez encore rien modifié.",
    },
    "contribute_change_before": {"en": "before:", "fr": "avant :"},
    "contribute_change_after": {"en": "after:", "fr": "après :"},
    "contribute_empty": {"en": "(empty)", "fr": "(vide)"},
    "contribute_send": {"en": "Send for review", "fr": "Envoyer pour relecture"},
    "contribute_send_correction": {"en": "Send the correction", "fr": "Envoyer la correction"},
    "contribute_fix_first": {
        "en": "Some fields need your attention (see the messages next to them): nothing was sent.",
        "fr": "Certains champs demandent votre attention (voir les messages à côté) : rien n'a été envoyé.",
    },
    "contribute_sent_title": {"en": "Thank you!", "fr": "Merci !"},
    "contribute_sent": {
        "en": "Your proposal is waiting for a moderator (reference #{ref}). It will appear on the map once "
        "it is approved.",
        "fr": "Votre proposition attend un modérateur (référence n° {ref}). Elle apparaîtra sur la carte une "
        "fois approuvée.",
    },
    "contribute_sent_correction": {
        "en": "Your correction is waiting for a moderator (reference #{ref}). The entry will change on the "
        "map once it is approved.",
        "fr": "Votre correction attend un modérateur (référence n° {ref}). L'entrée changera sur la carte "
        "une fois la correction approuvée.",
    },
    "contribute_received": {
        "en": "Your proposal has been received.",
        "fr": "Votre proposition a bien été reçue.",
    },
    "contribute_another": {"en": "Add another entry", "fr": "Ajouter une autre entrée"},
    "contribute_back_to_map": {"en": "Back to the map", "fr": "Retour à la carte"},
    "contribute_refused_session": {
        "en": "You have sent several proposals in the last hour: please wait a while before sending more. "
        "Nothing you typed is lost.",
        "fr": "Vous avez envoyé plusieurs propositions dans l'heure : merci d'attendre un peu avant d'en "
        "envoyer d'autres. Rien de ce que vous avez saisi n'est perdu.",
    },
    "contribute_refused_client": {
        "en": "Many proposals came from your network in the last hour: please try again later. Nothing you "
        "typed is lost.",
        "fr": "De nombreuses propositions sont venues de votre réseau dans l'heure : merci de réessayer plus "
        "tard. Rien de ce que vous avez saisi n'est perdu.",
    },
    "contribute_refused_queue": {
        "en": "The moderators have many proposals to read right now: please try again in an hour. Nothing "
        "you typed is lost.",
        "fr": "Les modérateurs ont beaucoup de propositions à lire en ce moment : merci de réessayer dans une "
        "heure. Rien de ce que vous avez saisi n'est perdu.",
    },
    "contribute_refused_network": {
        "en": "Many proposals came from your network in the last hour: please try again later. Nothing you "
        "typed is lost.",
        "fr": "De nombreuses propositions sont venues de votre réseau dans l'heure : merci de réessayer plus "
        "tard. Rien de ce que vous avez saisi n'est perdu.",
    },
    "contribute_proof_working": {
        "en": "The moderators have many proposals to read right now: your browser is doing a short computation "
        "to show that a person is sending (a few seconds). Nothing you typed is lost.",
        "fr": "Les modérateurs ont beaucoup de propositions à lire en ce moment : votre navigateur fait un court "
        "calcul pour montrer qu'une personne envoie (quelques secondes). Rien de ce que vous avez saisi n'est "
        "perdu.",
    },
    "contribute_proof_ready": {
        "en": "Ready: send your proposal again.",
        "fr": "C'est prêt : envoyez à nouveau votre proposition.",
    },
    "contribute_nothing_changed": {
        "en": "This correction changes nothing: the entry already says exactly this. Change a field, or go "
        "back to the map.",
        "fr": "Cette correction ne change rien : l'entrée dit déjà exactement cela. Modifiez un champ, ou "
        "revenez à la carte.",
    },
    "contribute_not_accepted": {
        "en": "The atlas could not accept this proposal:",
        "fr": "L'atlas n'a pas pu accepter cette proposition :",
    },
    "contribute_position": {"en": "Position on the map", "fr": "Position sur la carte"},
    "contribute_coordinates": {"en": "Coordinates: {lat}, {lon}", "fr": "Coordonnées : {lat}, {lon}"},
    "contribute_position_none": {
        "en": "No position yet: choose the country and give the city, or click on the map where it is.",
        "fr": "Pas encore de position : choisissez le pays et indiquez la ville, ou cliquez sur la carte à "
        "l'endroit voulu.",
    },
    "contribute_position_not_found": {
        "en": "This place was not found: click on the map where the entry is.",
        "fr": "Ce lieu est introuvable : cliquez sur la carte à l'endroit de l'entrée.",
    },
    "contribute_position_found": {
        "en": "Found by the atlas's geocoder ({precision}). Click on the map to move the pin.",
        "fr": "Trouvé par le géocodeur de l'atlas ({precision}). Cliquez sur la carte pour déplacer l'épingle.",
    },
    "contribute_position_manual": {
        "en": "Placed by hand on the map. Click again to move the pin.",
        "fr": "Placé à la main sur la carte. Cliquez de nouveau pour déplacer l'épingle.",
    },
    "contribute_position_entry": {
        "en": "The entry's current position ({precision}). Click on the map to move the pin.",
        "fr": "La position actuelle de l'entrée ({precision}). Cliquez sur la carte pour déplacer l'épingle.",
    },
    "contribute_relocate": {
        "en": "Find it again from the city and address",
        "fr": "Le retrouver d'après la ville et l'adresse",
    },
    "contribute_locating": {"en": "Looking for the place…", "fr": "Recherche du lieu…"},
    "contribute_suggest": {"en": "Suggest a correction", "fr": "Proposer une correction"},
    "contribute_added_changed": {
        "en": "Added on {added} · last changed on {changed}",
        "fr": "Ajoutée le {added} · dernière modification le {changed}",
    },
    "contribute_history": {"en": "History of this entry", "fr": "Historique de cette entrée"},
    "contribute_history_seed": {
        "en": "loaded from the atlas's data files",
        "fr": "chargée depuis les fichiers de l'atlas",
    },
    "contribute_history_import": {"en": "imported from data files", "fr": "importée depuis des fichiers"},
    "contribute_history_submission": {
        "en": "proposed by a visitor, approved",
        "fr": "proposée par un visiteur, approuvée",
    },
    "contribute_history_correction": {
        "en": "corrected by a visitor, approved",
        "fr": "corrigée par un visiteur, approuvée",
    },
    "contribute_history_edit": {"en": "edited by a moderator", "fr": "modifiée par un modérateur"},
    "contribute_history_state": {"en": "state changed by a moderator", "fr": "état changé par un modérateur"},
    "contribute_history_other": {"en": "changed", "fr": "modifiée"},
    "contribute_field_position": {"en": "position", "fr": "position"},
    "contribute_field_state": {"en": "state", "fr": "état"},
    "contribute_field_duplicate_of": {"en": "duplicate of", "fr": "doublon de"},
    "contribute_field_other": {"en": "another field", "fr": "un autre champ"},
    "form_kind_organisation": {"en": "An organisation", "fr": "Une organisation"},
    "form_kind_odc": {"en": "An Orange Digital Center", "fr": "Un Orange Digital Center"},
    "form_name": {"en": "Name", "fr": "Nom"},
    "form_aliases": {"en": "Other names", "fr": "Autres noms"},
    "form_aliases_help": {
        "en": "Other names or spellings it is known by, separated by |",
        "fr": "Autres noms ou graphies sous lesquels on la connaît, séparés par |",
    },
    "form_category": {"en": "Category", "fr": "Catégorie"},
    "form_status": {"en": "Status", "fr": "Statut"},
    "form_opened": {"en": "Opened (YYYY or YYYY-MM)", "fr": "Ouverture (AAAA ou AAAA-MM)"},
    "form_country": {"en": "Country", "fr": "Pays"},
    "form_city": {"en": "City", "fr": "Ville"},
    "form_address": {"en": "Street address", "fr": "Adresse"},
    "form_website": {"en": "Website", "fr": "Site web"},
    "form_website_placeholder": {"en": "https://", "fr": "https://"},
    "form_website_help": {"en": "Its address, starting with https://", "fr": "Son adresse, commençant par https://"},
    "form_description_en": {"en": "Description in English", "fr": "Description en anglais"},
    "form_description_fr": {"en": "Description in French", "fr": "Description en français"},
    "form_description_help": {
        "en": "In your own words: what it does, for whom. Do not copy text from elsewhere.",
        "fr": "Avec vos mots : ce qu'elle fait, pour qui. Ne recopiez pas de texte d'ailleurs.",
    },
    "form_source": {"en": "Source", "fr": "Source"},
    "form_source_help": {
        "en": "A public page, article or report where a moderator can check these facts: its address or title.",
        "fr": "Une page publique, un article ou un rapport où un modérateur peut vérifier ces informations : "
        "son adresse ou son titre.",
    },
    "form_contact": {"en": "Your e-mail address", "fr": "Votre adresse e-mail"},
    "form_contact_placeholder": {"en": "you@example.org", "fr": "vous@exemple.fr"},
    "form_contact_help": {
        "en": "Private: only the moderators see it, if they have a question about this proposal. It is never "
        "shown on the atlas and never exported.",
        "fr": "Privée : seuls les modérateurs la voient, s'ils ont une question sur cette proposition. Elle "
        "n'est jamais affichée sur l'atlas ni exportée.",
    },
    "form_note": {"en": "A note for the moderators", "fr": "Un mot pour les modérateurs"},
    "form_note_help": {
        "en": "Anything that helps them decide. It is not published.",
        "fr": "Tout ce qui les aide à décider. Ce mot n'est pas publié.",
    },
    "form_hp": {"en": "Leave this field empty", "fr": "Laissez ce champ vide"},
    "form_msg_control": {
        "en": "Invisible control characters were removed from this text.",
        "fr": "Des caractères de contrôle invisibles ont été retirés de ce texte.",
    },
    "form_msg_required": {"en": "This field is required.", "fr": "Ce champ est obligatoire."},
    "form_msg_slug": {"en": "This identifier is not valid.", "fr": "Cet identifiant n'est pas valide."},
    "form_msg_category": {"en": "Choose a category in the list.", "fr": "Choisissez une catégorie dans la liste."},
    "form_msg_status": {"en": "Choose open or planned.", "fr": "Choisissez ouvert ou en projet."},
    "form_msg_country": {"en": "Choose a country in the list.", "fr": "Choisissez un pays dans la liste."},
    "form_msg_number": {"en": "The position is not a number.", "fr": "La position n'est pas un nombre."},
    "form_msg_outside": {"en": "The position is outside the map.", "fr": "La position est hors de la carte."},
    "form_msg_lat_lon": {
        "en": "The position needs both a latitude and a longitude.",
        "fr": "La position demande une latitude et une longitude.",
    },
    "form_msg_precision": {
        "en": "The position does not say how precise it is.",
        "fr": "La position ne dit pas quelle est sa précision.",
    },
    "form_msg_no_position": {
        "en": "Without a position the entry cannot be shown on the map.",
        "fr": "Sans position, l'entrée ne peut pas figurer sur la carte.",
    },
    "form_msg_markup": {
        "en": "This text looks like HTML or a script: it will be shown as plain text, exactly as typed.",
        "fr": "Ce texte ressemble à du HTML ou à un script : il sera affiché tel quel, en texte brut.",
    },
    "form_msg_too_long": {
        "en": "This text is longer than {n} characters.",
        "fr": "Ce texte dépasse {n} caractères.",
    },
    "form_msg_website": {
        "en": "Give a web address starting with http:// or https://, or leave this field empty.",
        "fr": "Indiquez une adresse web commençant par http:// ou https://, ou laissez ce champ vide.",
    },
    "form_msg_opened": {
        "en": "Write the date as YYYY or YYYY-MM (for example 2021-09).",
        "fr": "Écrivez la date sous la forme AAAA ou AAAA-MM (par exemple 2021-09).",
    },
    "form_msg_geo_source": {
        "en": "The position's origin is not valid.",
        "fr": "L'origine de la position n'est pas valide.",
    },
    "form_msg_email": {"en": "This is not an e-mail address.", "fr": "Ce n'est pas une adresse e-mail."},
    "form_msg_other": {"en": "This value cannot be accepted.", "fr": "Cette valeur ne peut pas être acceptée."},
    # the Moderate page's Sources tab (atlas/ui/moderate_sources.py)
    "moderate_tab_sources": {"en": "Sources", "fr": "Sources"},
    "sources_help": {
        "en": "The directories the atlas imports from (atlas import, atlas sync): read-only.",
        "fr": "Les annuaires que l'atlas importe (atlas import, atlas sync) : en lecture seule.",
    },
    "sources_empty": {"en": "No source has been imported yet.", "fr": "Aucune source n'a encore été importée."},
    "sources_col_name": {"en": "Source", "fr": "Source"},
    "sources_col_format": {"en": "Format", "fr": "Format"},
    "sources_col_origin": {"en": "From", "fr": "Provenance"},
    "sources_col_last_run": {"en": "Last run", "fr": "Dernier import"},
    "sources_col_last_counts": {"en": "Last run's rows", "fr": "Lignes du dernier import"},
    "sources_col_entries": {"en": "Entries", "fr": "Fiches"},
    "sources_col_pending": {"en": "Waiting", "fr": "En attente"},
    "sources_col_next": {"en": "Next step", "fr": "Prochaine étape"},
    "sources_file": {"en": "a file", "fr": "un fichier"},
    "sources_counts": {
        "en": "{rows} rows: {new} new, {update} updated, {error} errors, {gone} gone",
        "fr": "{rows} lignes : {new} nouvelles, {update} modifiées, {error} erreurs, {gone} disparues",
    },
    "sources_next_review": {
        "en": "review its {n} waiting entries (Queue tab)",
        "fr": "examiner ses {n} fiches en attente (onglet File d'attente)",
    },
    "sources_next_gone": {
        "en": "check its {n} entries no longer in the source",
        "fr": "vérifier ses {n} fiches absentes de la source",
    },
    "sources_next_sync": {"en": "nothing: atlas sync keeps it current", "fr": "rien : atlas sync la tient à jour"},
    "sources_next_file": {
        "en": "import the file again when it changes",
        "fr": "réimporter le fichier quand il change",
    },
    # -- the server-rendered pages, feeds and sitemap (atlas/web/pages.py, feeds.py, discovery.py)
    "web_open_on_map": {"en": "Open on the map", "fr": "Ouvrir sur la carte"},
    "web_other_language": {"en": "Français", "fr": "English"},
    "web_sources": {"en": "Sources", "fr": "Sources"},
    "web_place": {"en": "Place", "fr": "Lieu"},
    "web_last_change": {"en": "Last change", "fr": "Dernière modification"},
    "web_website": {"en": "Website", "fr": "Site web"},
    "web_entries": {"en": "Entries", "fr": "Entrées"},
    "web_no_source": {"en": "No source is recorded.", "fr": "Aucune source n'est indiquée."},
    "web_entry_summary": {
        "en": "{name}: {category} in {place}, on the Social Tech Atlas.",
        "fr": "{name} : {category} à {place}, dans l'Atlas de la Social Tech.",
    },
    "web_country_title": {"en": "{country} on the Social Tech Atlas", "fr": "{country} dans l'Atlas de la Social Tech"},
    "web_country_summary": {
        "en": "{n} published entries in {country}: organisations and Orange Digital Centers.",
        "fr": "{n} entrées publiées pour ce pays ({country}) : organisations et Orange Digital Centers.",
    },
    "web_country_link": {"en": "Every entry in {country}", "fr": "Toutes les entrées : {country}"},
    "web_not_found_title": {"en": "Page not found", "fr": "Page introuvable"},
    "web_not_found_text": {
        "en": "There is no published entry or country page at this address.",
        "fr": "Aucune entrée publiée ni page de pays ne se trouve à cette adresse.",
    },
    "web_back_to_atlas": {"en": "Back to the atlas", "fr": "Retour à l'atlas"},
    "web_feed_entries_title": {
        "en": "Social Tech Atlas: new and changed entries",
        "fr": "Atlas de la Social Tech : entrées nouvelles et modifiées",
    },
    "web_feed_articles_title": {"en": "Social Tech Atlas: articles", "fr": "Atlas de la Social Tech : articles"},
    "web_feed_entries_link": {
        "en": "Follow the new and changed entries (Atom feed)",
        "fr": "Suivre les entrées nouvelles et modifiées (flux Atom)",
    },
    "web_feed_articles_link": {"en": "Follow the articles (Atom feed)", "fr": "Suivre les articles (flux Atom)"},
    "share_entry_page": {
        "en": "This entry's own page (readable without the map, for search engines and link previews):",
        "fr": "La page de cette entrée (lisible sans la carte, pour les moteurs de recherche et les aperçus) :",
    },
    "share_follow": {
        "en": "Follow this view: the Atom feed of its new and changed entries, for a feed reader:",
        "fr": "Suivre cette vue : le flux Atom de ses entrées nouvelles et modifiées, pour un lecteur de flux :",
    },
    "api_page_title": {
        "en": "Social Tech Atlas: open data API",
        "fr": "Atlas de la Social Tech : API de données ouvertes",
    },
    "api_page_intro": {
        "en": "The published atlas for programs and GIS software: JSON, GeoJSON, OGC API – Features and "
        "Open Referral HSDS, no key needed. Data licence: {licence}. Examples:",
        "fr": "L'atlas publié pour les programmes et les logiciels SIG : JSON, GeoJSON, OGC API – Features et "
        "Open Referral HSDS, sans clé. Licence des données : {licence}. Exemples :",
    },
    "api_example_country": {"en": "Entries in France, ten a page", "fr": "Les entrées en France, dix par page"},
    "api_example_search": {
        "en": "Search (accents and case ignored)",
        "fr": "Recherche (sans tenir compte des accents ni de la casse)",
    },
    "api_example_geojson": {"en": "Orange Digital Centers as GeoJSON", "fr": "Les Orange Digital Centers en GeoJSON"},
    "api_example_entry": {
        "en": "One entry, with its sources and articles",
        "fr": "Une entrée, avec ses sources et ses articles",
    },
    "api_example_articles": {"en": "The articles", "fr": "Les articles"},
    "api_example_ogc": {
        "en": "OGC API – Features (add it to QGIS or ArcGIS by this URL)",
        "fr": "OGC API – Features (à ajouter dans QGIS ou ArcGIS par cette adresse)",
    },
    "api_example_hsds": {"en": "Open Referral HSDS 3.0 organisations", "fr": "Organisations Open Referral HSDS 3.0"},
    "api_example_openapi": {
        "en": "The OpenAPI description of every interface",
        "fr": "La description OpenAPI de toutes les interfaces",
    },
    "api_page_other_language": {"en": "Cette page en français", "fr": "This page in English"},
    # -- a database filled from another folder (issue 22) -----------------------------------
    "seeded_elsewhere": {
        "en": "This atlas's database was first filled from another folder than the one the atlas is set to "
        "serve: the map may show sample or test entries instead of the atlas. To start again from the atlas's "
        "own data, give it a new, empty database (for the default one, delete var/atlas.sqlite3).",
        "fr": "La base de cet atlas a d'abord été remplie depuis un autre dossier que celui qu'il doit servir : "
        "la carte peut montrer des entrées d'exemple ou de test au lieu de l'atlas. Pour repartir de ses "
        "propres données, donnez-lui une base neuve et vide (pour celle par défaut, supprimez var/atlas.sqlite3).",
    },
    "seeded_from_folder": {"en": "Filled from: {folder}", "fr": "Remplie depuis : {folder}"},
    "seeded_serving_folder": {"en": "Set to serve: {folder}", "fr": "Dossier à servir : {folder}"},
    # fields (issue 23) ----------------------------------------------------------------------
    "form_postcode": {"en": "Postcode", "fr": "Code postal"},
    "form_region": {"en": "Region, state or province", "fr": "Région, État ou province"},
    "form_region_help": {
        "en": "As written locally, e.g. Île-de-France, Bourgogne-Franche-Comté",
        "fr": "Telle qu'on l'écrit sur place, par exemple Île-de-France, Bourgogne-Franche-Comté",
    },
    "col_postcode": {"en": "Postcode", "fr": "Code postal"},
    "col_region": {"en": "Region", "fr": "Région"},
}


def normalise_lang(lang: object) -> str:
    """A supported language code; English for anything else."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of `key` in `lang`, with `{placeholders}` filled from `values`."""
    text = TRANSLATIONS[key][normalise_lang(lang)]
    return text.format(**values) if values else text
