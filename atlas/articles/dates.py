"""Dates written out in French or English text: "le 18 juin 2022", "du 2 au 8 novembre", "May 2021", "2015"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    **{
        m: i
        for i, m in enumerate(
            "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(), 1
        )
    },
    "fevrier": 2,
    "aout": 8,
    "decembre": 12,
    **{
        m: i
        for i, m in enumerate(
            "january february march april may june july august september october november december".split(), 1
        )
    },
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d{2}"
_DATE = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})(?:er)?(?:\s*(?:et|and|au|to|-|–)\s*\d{{1,2}}(?:er)?)?\s+)?"
    rf"(?P<month>{_MONTH})(?:\s+(?P<year>{_YEAR}))?\b"
    rf"|\b(?P<bare>{_YEAR})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MentionedDate:
    """A date found in a text: ISO value ("2022-06-18", "2022-06", "2022", or "--06-18" without a year)."""

    text: str
    value: str
    precision: str  # day | month | year


def find_dates(text: str) -> list[MentionedDate]:
    """Dates in `text`, first occurrence of each value, in reading order.

    A month name counts only next to a day or a year, so "may" the verb is not a date.
    """
    found: dict[str, MentionedDate] = {}
    for match in _DATE.finditer(text):
        day, year = match.group("day"), match.group("year")
        month = _MONTHS.get((match.group("month") or "").lower(), 0)
        if match.group("bare"):
            value, precision = match.group("bare"), "year"
        elif day and 1 <= int(day) <= 31:
            value, precision = f"{year or '-'}-{month:02d}-{int(day):02d}", "day"
        elif year:
            value, precision = f"{year}-{month:02d}", "month"
        else:
            continue
        found.setdefault(value, MentionedDate(match.group(0), value, precision))
    return list(found.values())
