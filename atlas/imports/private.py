"""Contact details in imported files: a column whose header or values look like e-mail addresses or
phone numbers is private (never imported), and every message, report and log line is scrubbed of
them before it is printed (`scrub`)."""

from __future__ import annotations

import re
from typing import Any

from atlas.text import fold_key

PRIVATE = "private"  # the mapping's target for a column of personal contact details: never imported

EMAIL = re.compile(r"[^@\s<>\"'`:]{1,64}@[^@\s<>\"'`]{1,190}\.[A-Za-z]{2,}")
# A phone number: an optional +/00 prefix and at least four groups of digits (or one run of 9+ digits
# behind a + or a 0), apart by spaces, dots, dashes or brackets; coordinates and years do not match.
PHONE = re.compile(
    r"(?<![\w.])(?:(?:\+|00)\d{1,3}[\s.\-]?)?\(?\d{1,4}\)?(?:[\s.\-]\(?\d{2,4}\)?){3,}(?![\w.])"
    r"|(?<![\w.])(?:\+|0)\d{8,13}(?![\w.])"
    r"|(?<![\w.])\(\d{1,4}\)\s?\d{5,}(?![\w.])"
    r"|(?<![\w.])\d{3}[\s.\-]\d{3}[\s.\-]\d{4}(?![\w.])"
)
_PHONE_VALUE = re.compile(r"(?:tel:)?[+(]?[\d\s().\-/]{7,}")
_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}")
PRIVATE_WORDS = frozenset(
    ("email", "mail", "courriel", "tel", "telephone", "phone", "mobile", "portable", "fax", "gsm", "whatsapp")
)
PRIVATE_MARK = "[private]"


def looks_private_value(value: Any) -> bool:
    text = " ".join(str(v) for v in value) if isinstance(value, list) else str(value or "")
    text = text.strip()
    if not text:
        return False
    if EMAIL.search(text) or text.lower().startswith(("mailto:", "tel:")) or PHONE.fullmatch(text):
        return True
    digits = sum(c.isdigit() for c in text)
    return (
        bool(_PHONE_VALUE.fullmatch(text))
        and 8 <= digits <= 15
        and not _DECIMAL.fullmatch(text)
        and not _DATE.fullmatch(text)
    )


def looks_private(column: str, values: list[Any]) -> bool:
    """A column of contact details: its header has a contact word ("contact_tel", "E-mail"), or most
    of its values are e-mail addresses or phone numbers."""
    words = set(re.split(r"[\W_]+", fold_key(column.replace("_", " ").replace("-", " ")).lower()))
    if words & PRIVATE_WORDS:
        return True
    if not values:
        return False
    hits = sum(1 for v in values if looks_private_value(v))
    return hits / len(values) >= 0.5


def scrub(text: str) -> str:
    """`text` with every e-mail address and phone number replaced by [private] (messages, reports, logs)."""
    if not text:
        return text
    text = EMAIL.sub(PRIVATE_MARK, text)
    return PHONE.sub(PRIVATE_MARK, text)
