"""What the Moderate page's Duplicates and Articles tabs compute, without Streamlit.

- `pair_rows`: two records side by side, a field a row, with whether they differ;
- `reason_text`: a reason the duplicate matcher gave (`atlas.matching`, in English) in the page's
  language; the words it quotes from the names stay as they are (they are shown as plain text);
- `merge_choices`: the `take` mapping of `Store.merge` from the moderator's choices, field by field;
- `draft_edits`: the fields of an article draft a moderator changed (only those are saved);
- `languages_key`: how a sentence names the languages a draft's summary is still extractive in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from atlas import labels
from atlas.i18n import N_, t

_FIXED_REASONS = {
    "same name": N_("pair_reason_same_name"),
    "same name but the spaces": N_("pair_reason_same_name_spaces"),
    "same name but the city": N_("pair_reason_same_name_city"),
    "acronym": N_("pair_reason_acronym"),
    "pages of the same website": N_("pair_reason_same_site_pages"),
    "same website": N_("pair_reason_same_website"),
    "same website name": N_("pair_reason_same_website_name"),
    "other websites": N_("pair_reason_other_websites"),
    "other country": N_("pair_reason_other_country"),
    "same city": N_("pair_reason_same_city"),
    "other city": N_("pair_reason_other_city"),
    "look-alike letters": N_("pair_reason_lookalike"),
    "same page of the same website": N_("pair_reason_same_page"),
    "same phone": N_("pair_reason_same_phone"),
    "same street address": N_("pair_reason_same_address"),
    "other street address": N_("pair_reason_other_address"),
    "branches of one network": N_("pair_reason_network"),
}
_PATTERNS = (
    (re.compile(r"other words \((?P<a>.*) / (?P<b>.*)\)"), N_("pair_reason_other_words")),
    (re.compile(r"extra word \((?P<word>.*)\)"), N_("pair_reason_extra_word")),
    (re.compile(r"name (?P<pct>\d+)%"), N_("pair_reason_name_pct")),
    (re.compile(r"(?P<m>\d+) m apart"), N_("pair_reason_m_apart")),
    (re.compile(r"(?P<km>\d+(?:\.\d+)?) km apart"), N_("pair_reason_km_apart")),
)


def reason_text(reason: str, lang: str) -> str:
    """One of the matcher's reasons in `lang` (an unknown reason as it was written)."""
    if reason in _FIXED_REASONS:
        return t(_FIXED_REASONS[reason], lang)
    for pattern, key in _PATTERNS:
        found = pattern.fullmatch(reason)
        if found:
            values = found.groupdict()
            if "km" in values and lang == "fr":
                values["km"] = values["km"].replace(".", ",")
            return t(key, lang, **values)
    return reason


@dataclass(frozen=True)
class PairRow:
    field: str
    a: object
    b: object
    differs: bool


def pair_rows(a: Mapping[str, object], b: Mapping[str, object], fields: Iterable[str]) -> list[PairRow]:
    """The two records field by field (a field empty on both sides is left out)."""
    rows = []
    for field in fields:
        va, vb = _blank(a.get(field)), _blank(b.get(field))
        if va == "" and vb == "":
            continue
        rows.append(PairRow(field, va, vb, str(va) != str(vb)))
    return rows


def merge_choices(keep: str, other: str, chosen: Mapping[str, str | None]) -> dict[str, str]:
    """`Store.merge`'s `take`: the fields whose value the moderator takes from the entry not kept.

    `chosen` maps a field to the id of the entry whose value wins (None or "": the kept entry's);
    an id that is neither of the pair is refused (`ValueError`): the page offers only those two.
    """
    take = {}
    for field, source in chosen.items():
        if not source or source == keep:
            continue
        if source != other:
            raise ValueError(f"{source} is not one of the pair")
        take[field] = other
    return take


def draft_edits(before: Mapping[str, object], now: Mapping[str, object]) -> dict[str, str]:
    """The fields whose text the moderator changed (surrounding spaces ignored), with their new text."""
    return {
        field: str(value or "")
        for field, value in now.items()
        if str(value or "").strip() != str(before.get(field) or "").strip()
    }


def languages_key(languages: Iterable[str]) -> str:
    """The translation key naming `languages` ("en", "fr" or both) in a sentence."""
    return labels.LANGUAGES_WRITTEN[tuple(lang for lang in ("en", "fr") if lang in set(languages))]


def _blank(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value
