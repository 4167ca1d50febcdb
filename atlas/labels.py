"""Message keys the code chooses at run time, from a stored value or a field name, written out once.

Each table maps a value ("city", "open", "submission"…) to the key of its words in the catalogues, every
key an N_("...") literal so that extraction (`make messages`, atlas/i18n_tools.py) sees it: a key built
as f"precision_{value}" is invisible to it. A value without an entry has no words of its own.
"""

from __future__ import annotations

from collections.abc import Mapping

from atlas.i18n import N_

# Where coordinates point to, in a sentence ("Located at the city") and as a table's label.
PRECISION: Mapping[str, str] = {
    "address": N_("precision_address"),
    "city": N_("precision_city"),
    "region": N_("precision_region"),
    "country": N_("precision_country"),
}
PRECISION_LABEL: Mapping[str, str] = {
    "address": N_("precision_label_address"),
    "city": N_("precision_label_city"),
    "region": N_("precision_label_region"),
    "country": N_("precision_label_country"),
}
STATUS: Mapping[str, str] = {"open": N_("status_open"), "planned": N_("status_planned")}
KIND: Mapping[str, str] = {"organisation": N_("kind_organisation"), "odc": N_("kind_odc"), "place": N_("kind_place")}
FORM_KIND: Mapping[str, str] = {"organisation": N_("form_kind_organisation"), "odc": N_("form_kind_odc")}
GEO_SOURCE: Mapping[str, str] = {
    "manual": N_("geo_source_manual"),
    "gazetteer": N_("geo_source_gazetteer"),
    "nominatim": N_("geo_source_nominatim"),
}
SOURCE_CONFIDENCE: Mapping[str, str] = {
    "high": N_("source_confidence_high"),
    "medium": N_("source_confidence_medium"),
    "low": N_("source_confidence_low"),
}
CHART_AXIS: Mapping[str, str] = {"x": N_("chart_axis_x"), "y": N_("chart_axis_y")}

# The Moderate page: what a change did, where an entry stands, what became of a proposal.
MODERATE_ACTION: Mapping[str, str] = {
    "submission": N_("moderate_action_submission"),
    "correction": N_("moderate_action_correction"),
    "edit": N_("moderate_action_edit"),
    "state": N_("moderate_action_state"),
    "seed": N_("moderate_action_seed"),
    "import": N_("moderate_action_import"),
    "merge": N_("moderate_action_merge"),
}
MODERATE_STATE: Mapping[str, str] = {
    "pending": N_("moderate_state_pending"),
    "published": N_("moderate_state_published"),
    "rejected": N_("moderate_state_rejected"),
    "withdrawn": N_("moderate_state_withdrawn"),
    "duplicate": N_("moderate_state_duplicate"),
}
MODERATE_STATUS: Mapping[str, str] = {
    "applied": N_("moderate_status_applied"),
    "rejected": N_("moderate_status_rejected"),
    "pending": N_("moderate_status_pending"),
    "changed": N_("moderate_status_changed"),
}
MODERATE_WORDS: Mapping[str, Mapping[str, str]] = {
    "action": MODERATE_ACTION,
    "state": MODERATE_STATE,
    "status": MODERATE_STATUS,
}
MODERATE_SECRET: Mapping[str, str] = {
    "missing": N_("moderate_secret_missing"),
    "short": N_("moderate_secret_short"),
    "example": N_("moderate_secret_example"),
}
# A field's label on the Moderate page: the table's column header, else a label of its own.
MODERATE_FIELD: Mapping[str, str] = {
    "id": N_("col_id"),
    "name": N_("col_name"),
    "kind": N_("col_kind"),
    "category": N_("col_category"),
    "country": N_("col_country"),
    "city": N_("col_city"),
    "address": N_("col_address"),
    "postcode": N_("col_postcode"),
    "region": N_("col_region"),
    "status": N_("col_status"),
    "opened": N_("col_opened"),
    "website": N_("col_website"),
    "description": N_("col_description"),
    "lat": N_("col_lat"),
    "lon": N_("col_lon"),
    "geo_precision": N_("col_geo_precision"),
    "source": N_("col_source"),
    "aliases": N_("moderate_field_aliases"),
    "description_en": N_("moderate_field_description_en"),
    "description_fr": N_("moderate_field_description_fr"),
    "geo_source": N_("moderate_field_geo_source"),
}

# The public history of an entry (details panel) and the contribution form.
CONTRIBUTE_HISTORY: Mapping[str, str] = {
    "seed": N_("contribute_history_seed"),
    "import": N_("contribute_history_import"),
    "submission": N_("contribute_history_submission"),
    "correction": N_("contribute_history_correction"),
    "edit": N_("contribute_history_edit"),
    "state": N_("contribute_history_state"),
}
CONTRIBUTE_REFUSED: Mapping[str, str] = {
    "session": N_("contribute_refused_session"),
    "client": N_("contribute_refused_client"),
    "queue": N_("contribute_refused_queue"),
    "network": N_("contribute_refused_network"),
}
# A field's label on the contribution form (and in the history's list of changed fields).
FORM_FIELD: Mapping[str, str] = {
    "name": N_("form_name"),
    "aliases": N_("form_aliases"),
    "category": N_("form_category"),
    "status": N_("form_status"),
    "opened": N_("form_opened"),
    "country": N_("form_country"),
    "city": N_("form_city"),
    "address": N_("form_address"),
    "postcode": N_("form_postcode"),
    "region": N_("form_region"),
    "website": N_("form_website"),
    "description_en": N_("form_description_en"),
    "description_fr": N_("form_description_fr"),
    "source": N_("form_source"),
    "contact": N_("form_contact"),
    "note": N_("form_note"),
}
FORM_HELP: Mapping[str, str] = {
    "aliases": N_("form_aliases_help"),
    "website": N_("form_website_help"),
    "region": N_("form_region_help"),
    "source": N_("form_source_help"),
    "contact": N_("form_contact_help"),
    "note": N_("form_note_help"),
    "description_en": N_("form_description_help"),
    "description_fr": N_("form_description_help"),
}
FORM_PLACEHOLDER: Mapping[str, str] = {
    "website": N_("form_website_placeholder"),
    "contact": N_("form_contact_placeholder"),
}
CONTRIBUTE_FIELD: Mapping[str, str] = {
    "state": N_("contribute_field_state"),
    "duplicate_of": N_("contribute_field_duplicate_of"),
}

# The Moderate page's Articles tab.
DRAFT_FIELD: Mapping[str, str] = {
    "title_en": N_("draft_field_title_en"),
    "title_fr": N_("draft_field_title_fr"),
    "summary_en": N_("draft_field_summary_en"),
    "summary_fr": N_("draft_field_summary_fr"),
}
DRAFT_LINK: Mapping[str, str] = {
    "organisation": N_("draft_link_organisation"),
    "odc": N_("draft_link_odc"),
    "place": N_("draft_link_place"),
    "candidate": N_("draft_link_candidate"),
    "accepted": N_("draft_link_accepted"),
    "rejected": N_("draft_link_rejected"),
}
DRAFT_LINK_DONE: Mapping[str, str] = {
    "accepted": N_("draft_link_done_accepted"),
    "rejected": N_("draft_link_done_rejected"),
}
DRAFT_CANDIDATE_DONE: Mapping[str, str] = {
    "accepted": N_("draft_candidate_done_accepted"),
    "rejected": N_("draft_candidate_done_rejected"),
}

# A sentence's list of the languages a text is written in (atlas.moderation.languages_key).
LANGUAGES_WRITTEN: Mapping[tuple[str, ...], str] = {
    (): N_("langs_none"),
    ("en",): N_("langs_en"),
    ("fr",): N_("langs_fr"),
    ("en", "fr"): N_("langs_en_fr"),
}

# A category's label in an interface language other than English and French (atlas.categories keeps
# those two with the taxonomy; tests/test_i18n.py checks that the catalogues say the same).
CATEGORY: Mapping[str, str] = {
    "civic_tech": N_("category_civic_tech"),
    "digital_mediation": N_("category_digital_mediation"),
    "resource_mobilisation": N_("category_resource_mobilisation"),
    "digital_commons": N_("category_digital_commons"),
    "training": N_("category_training"),
    "network": N_("category_network"),
    "tech_company": N_("category_tech_company"),
    "funder": N_("category_funder"),
    "digital_center": N_("category_digital_center"),
}

# The follow page (atlas/web/follow.py): what the contributor sent, and where it stands.
FOLLOW_KIND: Mapping[str, str] = {
    "submission": N_("follow_kind_submission"),
    "correction": N_("follow_kind_correction"),
}
FOLLOW_STATE: Mapping[str, str] = {
    "pending": N_("follow_state_pending"),
    "approved": N_("follow_state_approved"),
    "rejected": N_("follow_state_rejected"),
    "duplicate": N_("follow_state_duplicate"),
}
