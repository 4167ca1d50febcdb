"""schema.org JSON-LD for an entry's page, and its safe embedding in a `<script>` element.

`entry_jsonld` takes the plain dict the page is drawn from (the published entry's public fields,
see `atlas.web.pages`) and says what a search engine may read: an Organization with its name,
description, postal address, position, its own website (`sameAs`, http(s) only) and the articles
that mention it. `script_text` turns it into text that cannot end the `<script>` element it is
embedded in nor open an HTML comment there: `<`, `>` and `&` are written as JSON escapes
(`\\u003c`…), which JSON parsers read back as the same characters.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from atlas.text import safe_url

_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def entry_jsonld(
    entry: Mapping[str, Any],
    page_url: str,
    lang: str,
    description: str = "",
    articles: Sequence[Mapping[str, Any]] = (),
    country_name: str = "",
) -> dict[str, Any]:
    """The schema.org description of one published entry, as a JSON-able dict.

    `entry`: id, kind, name, city, address, postcode, region, country (alpha-2), lat, lon, website;
    `description`: the text in `lang`; `articles`: {title, url} of the articles that mention it.
    Only http(s) URLs are kept (a `javascript:` website is left out, not rewritten).
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": f"{page_url}#organization",
        "name": _text(entry.get("name")),
        "url": page_url,
        "inLanguage": lang,
    }
    if description:
        data["description"] = description
    address = {
        "@type": "PostalAddress",
        "streetAddress": _text(entry.get("address")),
        "postalCode": _text(entry.get("postcode")),
        "addressLocality": _text(entry.get("city")),
        "addressRegion": _text(entry.get("region")),
        "addressCountry": _text(entry.get("country")),
    }
    address = {k: v for k, v in address.items() if v}
    if len(address) > 1:
        data["address"] = address
    if country_name:
        data["areaServed"] = {"@type": "Country", "name": country_name}
    lat, lon = _number(entry.get("lat")), _number(entry.get("lon"))
    if lat is not None and lon is not None and abs(lat) <= 90 and abs(lon) <= 180:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
    website = safe_url(entry.get("website"))
    if website:
        data["sameAs"] = [website]
    mentioned = [
        {"@type": "Article", "headline": _text(a.get("title")), "url": safe_url(a.get("url"))}
        for a in articles
        if _text(a.get("title"))
    ]
    mentioned = [{k: v for k, v in a.items() if v} for a in mentioned]
    if mentioned:
        data["subjectOf"] = mentioned
    return data


def script_text(data: Any) -> str:
    """`data` as JSON that is safe as the content of an HTML `<script type="application/ld+json">`:
    no `</script>`, `<!--` or `]]>` can appear in it, whatever the strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_UNSAFE.items():
        text = text.replace(char, escaped)
    return text
