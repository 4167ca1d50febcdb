"""Is it the same organisation? The one matcher of the form, the imports and `atlas dedup`.

`score(a, b)` weighs the evidence two records give, in [0, 1], with the reasons (English phrases
that `atlas.moderation.reason_text` shows in the page's language):

- names (and aliases), folded (case, accents, punctuation, look-alike letters of other scripts by
  their Unicode TR39 confusable, so "ЕmmаüѕСоnnесt" is "Emmaüs Connect") and without legal-form
  noise (association, asbl, e.V., GmbH, SAS, SCIC, coop…), compared with rapidfuzz; a word that one
  name has and the other lacks counts against (“Open Food Lab” is not “Open Data Lab”), a misspelt
  or abbreviated word does not (“Fed.” is “Fédération”), an acronym of the other name counts for
  (“FFF”); a town's name inside a name is ignored only when it is that entry's own town and both
  are in one place (“Emmaüs Connect Paris” is “Emmaüs Connect” in Paris);
- geography: two entries in different towns, or more than `NEAR_KM` apart, are different places
  unless strong evidence says otherwise (the same phone, the same street address, the same page
  of a website beyond a network's shared domain); so branches of one network (“MSAP Objectif
  Emploi Clerval” / “… Sancey”, “CCAS Chalon-sur-Saône” / “CCAS de Virey-le-Grand”) are a family,
  never duplicates;
- the street address (number, street, postcode; folded, common abbreviations expanded), so a
  listing without coordinates still matches one at the same address, and two listings of one
  name at two addresses of a town count against;
- the website's domain (a path on a shared host such as facebook.com counts as the site), the
  phone number, the distance between the two points (when both are located finer than a
  country), the country.

Co-located organisations (one address, clearly different names) are not duplicates: the address
and the phone only add to names that already match.

`LIKELY` is where a pair is proposed to the moderators as a duplicate; `POSSIBLE` where the
submission form lists an entry under "Is it one of these?". The labelled pairs in
`tests/fixtures/dedup/pairs.csv` (written for the purpose) and `tests/fixtures/dedup_real/`
(real open directories, judged by hand) measure both (docs/data/duplicates.md).

`candidate_pairs` finds which pairs are worth scoring in a whole atlas without comparing every
pair: blocks by country and name word (rare words only), by website domain, by initials, by
street address and by phone, plus two sorted neighbourhoods (names sorted forwards and backwards
within a country).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from confusable_homoglyphs import categories, confusables  # type: ignore[import-untyped]
from rapidfuzz import fuzz, process

from atlas.text import fold_key

# Words that say what legal form an organisation has, not which one it is (folded forms), and
# the little words of names in the atlas's languages.
LEGAL_FORMS = frozenset(
    """
    association associations asso assoc associazione asociacion associacio associacao asbl aisbl vzw ev e v
    gmbh ggmbh ag sa sas sasu sarl eurl scic scop sci coop cooperative cooperativa cooperatieve ltd limited llc
    inc corp plc cic srl spa onlus aps ets ong ngo
    cio gug ug mbh eg ek ohg kg bv nv cvba scrl scs snc sl slu oy ab stichting vereniging verein loi 1901
    the la le les l d de du des of and et y e und der die das del della di da do dos das van von het een a an
    for pour fur per para
    """.split()
)
# Kinds of organisation spelt differently in each language: kept (they tell two bodies apart,
# "Fondation Orange" is not "Orange") but compared as one word.
SYNONYMS = {
    "fondation": "foundation",
    "fundacion": "foundation",
    "fundacio": "foundation",
    "fondazione": "foundation",
    "stiftung": "foundation",
    "stichting": "foundation",
    "fundacao": "foundation",
    "federation": "federation",
    "federacion": "federation",
    "federazione": "federation",
    "institut": "institute",
    "instituto": "institute",
    "istituto": "institute",
    "reseau": "network",
    "netzwerk": "network",
    "red": "network",
    "rete": "network",
    "europeen": "european",
    "europeenne": "european",
    "europaische": "european",
    "europea": "european",
    "europeo": "european",
    "internationale": "international",
    "intl": "international",
    "centre": "center",
    "centro": "center",
    "zentrum": "center",
}
# Hosts where many organisations have a page: the first path segment names the site.
SHARED_HOSTS = frozenset(
    """
    facebook.com fb.com linkedin.com twitter.com x.com instagram.com youtube.com github.com gitlab.com
    medium.com linktr.ee helloasso.com sites.google.com google.com wikipedia.org wikidata.org
    mastodon.social framagit.org
    """.split()
)

# Words that make a name another service of the same organisation or place (folded).
OTHER_SERVICE = frozenset("bus itinerant itinerante itinerance mobile camion".split())

LIKELY = 0.85  # at or above: proposed to the moderators as a duplicate (import, `atlas dedup`)
POSSIBLE = 0.6  # at or above: offered as "Is it one of these?" in the submission form
MAX_BLOCK = 60  # a name-word block bigger than this is too common a word to say anything
WINDOW = 3  # sorted-neighbourhood window
RARE_WORDS = 2  # name words per entry used as blocking keys (the rarest in its country)
_DIGITS = re.compile(r"\d")
NEAR_KM = 2.0  # two address points further apart than this are two places (unless strong evidence)
CITY_KM = 15.0  # the same for a town's point (geo_precision "city"): about a town's size
_LATINISH = frozenset(("LATIN", "COMMON", "INHERITED"))


@lru_cache(maxsize=4096)
def _latin_lookalike(char: str) -> str:
    """The Latin letter(s) a character of another script is confusable with (TR39), else itself."""
    if char.isascii() or categories.alias(char) in _LATINISH:
        return char
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"])
    for hit in found or ():
        for glyph in hit["homoglyphs"]:
            text = glyph["c"]
            if text and all(c.isascii() or categories.alias(c) == "LATIN" for c in text):
                return str(text)
    return char


def skeleton(text: object) -> str:
    """`text` with letters of other scripts that look Latin replaced by the Latin ones, after the
    confusables table of Unicode TR39 ("ЕmmаüѕСоnnесt" -> "EmmaüsConnect"). Applied to both sides
    of every comparison, so two names in one other script still compare alike."""
    if text is None:
        return ""
    value = str(text)
    if value.isascii():
        return value
    return "".join(_latin_lookalike(c) for c in value)


# One network's names across its renamings (folded phrases): the French public service points
# were "maisons de services au public" (MSAP) until 2020, then "maisons France services" (MFS),
# now "France services"; one label, written each way by directories of different years.
NETWORK_NAMES = (
    (
        re.compile(
            r"\b(?:maisons? (?:de )?services? au public|msap|maisons? france services?|mfs"
            r"|espaces? france services?|france services?)\b"
        ),
        "franceservices",
    ),
)


def name_key(name: object) -> str:
    """Folded name without legal-form words: "Association Emmaüs Connect" -> "emmaus connect"."""
    folded = fold_key(skeleton(name))
    for pattern, label in NETWORK_NAMES:
        folded = pattern.sub(label, folded)
    words = [SYNONYMS.get(w, w) for w in folded.split() if w not in LEGAL_FORMS]
    return " ".join(words) or folded


# Street words written in several ways (folded), and the little words of an address.
STREET_WORDS = {
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "bvd": "boulevard",
    "r": "rue",
    "pl": "place",
    "pce": "place",
    "che": "chemin",
    "ch": "chemin",
    "chem": "chemin",
    "rte": "route",
    "imp": "impasse",
    "all": "allee",
    "crs": "cours",
    "fg": "faubourg",
    "fbg": "faubourg",
    "sq": "square",
    "st": "saint",
    "ste": "sainte",
    "qu": "quai",
    "prom": "promenade",
    "gal": "general",
    "gen": "general",
    "mal": "marechal",
    "pdt": "president",
    "str": "strasse",
    "straße": "strasse",
}
_ADDRESS_NOISE = frozenset("de du des la le les l d et a au aux bis ter b".split())
_POSTCODE = re.compile(r"(?<![\d-])(\d{5}|\d{4})(?![\d-])")
_NUMBER = re.compile(r"^(\d{1,4})(?:\s*(?:bis|ter|[a-d])\b)?")


def postcode_of(record: Mapping[str, object]) -> str:
    """The record's postcode: its `postcode` field, else the last 4–5 digit group of its address
    after the house number (leading zeros dropped: "04000" and "4000" are one)."""
    given = re.sub(r"\s", "", str(record.get("postcode") or ""))
    if given:
        return given.lstrip("0") if given.isdigit() else given.lower()
    text = str(record.get("address") or "").strip()
    match = _NUMBER.match(text)
    found = _POSTCODE.findall(text[match.end() :] if match else text)
    return found[-1].lstrip("0") if found else ""


def street_of(address: object, city: str = "") -> tuple[str, str]:
    """(house number, street) of an address, folded.

    "14, r. Camille Claudel 21000 Dijon" -> ("14", "rue camille claudel").
    """
    text = fold_key(address)
    if not text:
        return "", ""
    match = _NUMBER.match(text)
    number = match.group(1) if match else ""
    rest = _POSTCODE.sub(" ", text[match.end() :] if match else text)
    words = [STREET_WORDS.get(w, w) for w in rest.split()]
    town = city.split()
    if number and town and len(words) > len(town) and words[-len(town) :] == town:
        words = words[: -len(town)]
    words = [w for w in words if w not in _ADDRESS_NOISE and not w.isdigit()]
    return number, " ".join(words)


def phone_key(phone: object) -> str:
    """A phone number's last nine digits (enough to tell numbers apart, whatever the prefix)."""
    digits = re.sub(r"\D", "", str(phone or ""))
    return digits[-9:] if len(digits) >= 9 else ""


def domain(url: object) -> str:
    """The website's site: host without `www.` ("example.org"); on a shared host, host/first-segment."""
    if not isinstance(url, str) or "//" not in url:
        return ""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    except ValueError:
        return ""
    if host in SHARED_HOSTS:
        segment = next((s for s in parts.path.lower().split("/") if s), "")
        return f"{host}/{segment}" if segment else ""
    return host


def distance_km(lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None) -> float | None:
    """Great-circle distance, or None when a coordinate is missing."""
    if None in (lat1, lon1, lat2, lon2) or any(
        isinstance(v, float) and math.isnan(v) for v in (lat1, lon1, lat2, lon2)
    ):
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(lon2 - lon1)  # type: ignore[operator]
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


_SECOND_LEVEL = frozenset(("co", "com", "org", "net", "gov", "ac", "gouv", "asso"))


def site_name(site: str) -> str:
    """A site's name without the top-level domain: "emmaus-connect.org" -> "emmaus-connect"."""
    if not site or "/" in site:
        return site
    labels = site.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-1]
    name = ".".join(labels[:-1])
    return name if len(name) >= 5 else site


# Path segments that say nothing about which organisation a page is about.
GENERIC_PAGES = frozenset(
    """
    about about-us aboutus a-propos apropos qui-sommes-nous quisommesnous chi-siamo ueber-uns uber-uns
    wir-ueber-uns who-we-are nous contact contacts home accueil index index.html index.php projects projets
    projekte progetti proyectos nos-actions actions team equipe en fr de it es nl pt pl
    """.split()
)
_LANGUAGE_SEGMENT = re.compile(r"[a-z]{2}(?:[-_][a-z]{2})?")


def page_name(url: object, site: str) -> str:
    """The part of a website's path that names something ("/fr/odc" -> "odc"), "" for a home page."""
    if not isinstance(url, str) or not site or "/" in site:
        return ""
    try:
        path = urlsplit(url.strip()).path.lower()
    except ValueError:
        return ""
    segments = [s for s in path.split("/") if s and s not in GENERIC_PAGES and not _LANGUAGE_SEGMENT.fullmatch(s)]
    return "/".join(segments)


@dataclass(frozen=True)
class Candidate:
    """An existing entry that may be the same as the one being added, and why."""

    id: str
    name: str
    city: str
    country: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Prepared:
    """What the matcher reads of a record, computed once."""

    keys: tuple[str, ...]  # name key first, then the aliases'
    country: str
    city: str
    site: str
    site_name: str  # the site's name without its top-level domain ("emmaus-connect")
    page: str  # what the website's path names, beyond a language or an "about" page ("odc")
    lat: float | None
    lon: float | None
    precise: bool  # coordinates of an address (two of them a few hundred metres apart say something)
    located: bool  # coordinates finer than a country's centroid
    bare: tuple[str, ...] = ()  # the keys without the words of the record's own city
    compact: tuple[str, ...] = ()  # the keys without spaces
    initials: frozenset[str] = frozenset()  # acronym blocking keys
    postcode: str = ""
    number: str = ""  # house number of the street address
    street: str = ""  # street of the address, folded, abbreviations expanded
    phone: str = ""  # last nine digits
    lookalike: bool = False  # the name has letters of another script that look Latin


# The fields of a record `prepare` reads (with `id`, to name it): what callers select from the store.
MATCH_FIELDS = tuple("id name aliases country city address postcode lat lon geo_precision website".split())


def prepare(record: Mapping[str, object]) -> Prepared:
    names = [record.get("name"), *str(record.get("aliases") or "").split("|")]
    keys = tuple(dict.fromkeys(k for k in (name_key(n) for n in names if n and str(n).strip()) if k))
    lat, lon = _num(record.get("lat")), _num(record.get("lon"))
    precision = str(record.get("geo_precision") or "")
    site = domain(record.get("website"))
    city = fold_key(record.get("city"))
    own = set(city.split())
    name = str(record.get("name") or "")
    address = record.get("address")
    number, street = street_of(address, city) if fold_key(address) != fold_key(name) else ("", "")
    return Prepared(
        keys=keys,
        country=str(record.get("country") or "").upper(),
        city=city,
        site=site,
        site_name=site_name(site),
        page=page_name(record.get("website"), site),
        lat=lat,
        lon=lon,
        precise=lat is not None and lon is not None and precision == "address",
        located=lat is not None and lon is not None and precision not in ("country", "region"),
        bare=tuple(" ".join(w for w in k.split() if w not in own) or k for k in keys),
        compact=tuple(k.replace(" ", "") for k in keys),
        initials=frozenset(x for k in keys for x in _initials(k)),
        postcode=postcode_of(record),
        number=number,
        street=street,
        phone=phone_key(record.get("phone")),
        lookalike=skeleton(name) != name,
    )


def _word_matches(word: str, others: Sequence[str]) -> bool:
    """A word of one name found in the other: the same, misspelt (≥ 80 %), or abbreviated ("fed")."""
    if word in others:
        return True
    if _DIGITS.search(word):
        return False  # numbers must be equal
    for other in others:
        if len(word) >= 3 and len(other) >= 3 and (other.startswith(word) or word.startswith(other)):
            return not _DIGITS.search(other)
    if len(word) >= 4:
        best = process.extractOne(word, [o for o in others if len(o) >= 4], scorer=fuzz.ratio, score_cutoff=80)
        return best is not None and not _DIGITS.search(best[0])
    return False


def _unmatched(words: Sequence[str], others: Sequence[str]) -> list[str]:
    return [w for w in words if not _word_matches(w, others)]


def _is_acronym(short: str, words: Sequence[str]) -> bool:
    """`short` ("fff", "soga") made of the first letters (or first syllables) of `words`, in order."""
    if not 2 <= len(short) <= 8 or len(words) < 2 or not short.isalpha():
        return False
    memo: dict[tuple[int, int], bool] = {}

    def fits(i: int, j: int) -> bool:  # short[i:] made from words[j:]
        if (i, j) in memo:
            return memo[i, j]
        if i == len(short):
            result = all(w in LEGAL_FORMS or len(w) <= 2 for w in words[j:])
        elif j == len(words):
            result = False
        else:
            word = words[j]
            result = (word in LEGAL_FORMS or len(word) <= 2) and fits(i, j + 1)
            n = 1
            while not result and n <= min(len(word), len(short) - i) and word[:n] == short[i : i + n]:
                result = fits(i + n, j + 1)
                n += 1
        memo[i, j] = result
        return result

    return fits(0, 0)


def name_similarity(
    a: str, b: str, town_a: frozenset[str] = frozenset(), town_b: frozenset[str] = frozenset()
) -> tuple[float, str]:
    """How alike two name keys are, in [0, 1], and a word for why.

    `town_a` and `town_b` are the words of each entry's own town, given only when both entries
    are in one place: "Emmaüs Connect Paris" is then "Emmaüs Connect" (each name loses its own
    town's words, never the other's).
    """
    if a == b:
        return 1.0, "same name"
    ca, cb = a.replace(" ", ""), b.replace(" ", "")
    if ca == cb:
        return 0.98, "same name"
    if (
        a.count(" ") != b.count(" ")
        and min(len(ca), len(cb)) >= 8
        and abs(len(ca) - len(cb)) <= 1
        and fuzz.ratio(ca, cb) >= 92
    ):
        return 0.95, "same name but the spaces"
    wa, wb = a.split(), b.split()
    if town_a or town_b:
        sa, sb = [w for w in wa if w not in town_a], [w for w in wb if w not in town_b]
        if sa and sb and (len(sa) < len(wa) or len(sb) < len(wb)):
            if sa == sb:
                return 0.97, "same name but the city"
            stripped = name_similarity(" ".join(sa), " ".join(sb))
            whole = name_similarity(a, b)
            return max(stripped, whole, key=lambda r: r[0])
    if len(wa) == 1 and _is_acronym(wa[0], fold_key(b).split() if len(wb) < 2 else wb):
        return 0.92, "acronym"
    if len(wb) == 1 and _is_acronym(wb[0], fold_key(a).split() if len(wa) < 2 else wa):
        return 0.92, "acronym"
    base = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100
    only_a = [w for w in dict.fromkeys(wa) if w not in wb and (len(w) >= 3 or _DIGITS.search(w))]
    only_b = [w for w in dict.fromkeys(wb) if w not in wa and (len(w) >= 3 or _DIGITS.search(w))]
    extra_a = _unmatched(only_a, wb)
    extra_b = _unmatched(only_b, wa)
    service = [w for w in (*extra_a, *extra_b) if w in OTHER_SERVICE]
    if service:  # "Bus France services X" is not "France services X": another service of one place
        return min(base, 0.6), f"other words ({service[0]} / -)"
    if extra_a and extra_b:  # each name has a word the other lacks: other organisations, likely
        return min(base, 0.6), f"other words ({extra_a[0]} / {extra_b[0]})"
    if extra_a or extra_b:  # one name has more words: the same only with other evidence
        return 0.75, f"extra word ({(extra_a or extra_b)[0]})"
    return max(base, 0.9), f"name {base:.0%}"


def score(a: Mapping[str, object], b: Mapping[str, object]) -> tuple[float, tuple[str, ...]]:
    """How likely records `a` and `b` describe the same organisation, in [0, 1], with the reasons.

    Reads `name`, `aliases`, `country`, `city`, `lat`, `lon`, `geo_precision`, `website`
    (missing values are ignored).
    """
    return score_prepared(prepare(a), prepare(b))


def same_town(a: Prepared, b: Prepared) -> bool | None:
    """Whether two entries' towns are one by name (exonyms and spellings allowed), None if unknown."""
    if not a.city or not b.city:
        return None
    if a.city == b.city or a.city.replace(" ", "") == b.city.replace(" ", ""):
        return True
    ratio = fuzz.ratio(a.city, b.city)  # a spelling, or a short exonym ("Milano", "Milan")
    return ratio >= 90 or (ratio >= 80 and max(len(a.city), len(b.city)) <= 10 and a.city[:3] == b.city[:3])


def same_address(a: Prepared, b: Prepared) -> bool | None:
    """Whether two entries have one street address (number, street, and town or postcode): True,
    False (another street, number or postcode), None when it cannot be told."""
    if not a.street or not b.street:
        return None
    if a.postcode and b.postcode and a.postcode != b.postcode:
        return False
    if a.number and b.number and a.number != b.number:
        return False
    short, long = sorted((a.street, b.street), key=len)
    alike = (
        short == long
        or fuzz.ratio(short, long) >= 85
        or (" " in short and long.startswith(short + " "))
        or (" " in short and fuzz.token_set_ratio(short, long) >= 95)
    )
    if not alike:
        return False if fuzz.token_set_ratio(short, long) < 60 else None
    if a.number != b.number:
        return None  # one without a number
    if not a.number and (len(short) < 8 or short in ("village", "bourg", "le bourg")):
        return None  # "le village", "le bourg": not an address
    if (a.postcode and a.postcode == b.postcode) or same_town(a, b):
        return True
    return None


def score_prepared(a: Prepared, b: Prepared) -> tuple[float, tuple[str, ...]]:
    if not a.keys or not b.keys:
        return 0.0, ()
    km = distance_km(a.lat, a.lon, b.lat, b.lon) if a.located and b.located else None
    town = same_town(a, b)
    address = same_address(a, b)
    phone = bool(a.phone) and a.phone == b.phone
    # one place: near enough (two address points within NEAR_KM, or a town's point within CITY_KM
    # of the other), or the same town or street address when there are no two points to compare
    precise = a.precise and b.precise
    near = km is not None and km <= (NEAR_KM if precise else CITY_KM)
    together = (near and (precise or town is not False)) or (km is None and (town is True or address is True))
    # (two towns' names on one point, a gazetteer's: one town in two languages, "Bruxelles" / "Brussels")
    one_point = km is not None and km <= 1.0
    apart = (km is not None and not near) or (
        not (near and precise) and town is False and address is not True and not one_point
    )
    # a town's name leaves a name only in that town (two towns' names: two branches of a network)
    strip = together and (town is not False or (km is not None and km <= 0.5 and address is not False))
    own_a, own_b = (frozenset(a.city.split()), frozenset(b.city.split())) if strip else (frozenset(), frozenset())
    names, why = max((name_similarity(x, y, own_a, own_b) for x in a.keys for y in b.keys), key=lambda r: r[0])
    value, reasons = names, [why]
    if a.lookalike or b.lookalike:
        reasons.append("look-alike letters")
    same_site = bool(a.site) and (a.site == b.site or a.site_name == b.site_name)
    same_page = same_site and bool(a.page) and a.page == b.page
    if same_site and a.page != b.page:  # two pages of one site: a programme of the organisation, maybe
        value += 0.05
        reasons.append("pages of the same website")
    elif same_site:
        value += 0.15 if a.site == b.site else 0.1
        reasons.append(
            "same page of the same website"
            if same_page
            else ("same website" if a.site == b.site else "same website name")
        )
    elif a.site and b.site:
        value -= 0.08
        reasons.append("other websites")
    if a.country and b.country and a.country != b.country:
        value -= 0.4
        reasons.append("other country")
    if names >= 0.75:  # an address or a phone says nothing of two different names (co-located bodies)
        if phone and address is not False:  # a network's one number, at two addresses: not one place
            value += 0.1
            reasons.append("same phone")
        if address:
            value += 0.1
            reasons.append("same street address")
    if address is False:
        value -= 0.35
        reasons.append("other street address")
    if km is not None:
        if address is False:
            reasons.append(
                f"{km * 1000:.0f} m apart" if km < 1 else f"{km:.1f} km apart" if km < 10 else f"{km:.0f} km apart"
            )
        elif km <= 0.5 and a.precise and b.precise:
            value += 0.06
            reasons.append(f"{km * 1000:.0f} m apart")
        elif km <= NEAR_KM and a.precise and b.precise:
            value += 0.03
            reasons.append(f"{km:.1f} km apart")
        elif near and town:  # a town's point within CITY_KM of the other
            value += 0.03
            reasons.append("same city")
        elif km > 200:
            value -= 0.35
            reasons.append(f"{km:.0f} km apart")
        elif km > NEAR_KM:
            value -= 0.2 if km > 30 else 0.0
            reasons.append(f"{km:.1f} km apart" if km < 10 else f"{km:.0f} km apart")
    elif town:
        value += 0.03
        reasons.append("same city")
    elif town is False:
        value -= 0.05
        reasons.append("other city")
    # a network's branches: the names differ only by each entry's own town, and the towns differ
    family = town is False and any(x == y for x in a.bare for y in b.bare) and (a.bare != a.keys or b.bare != b.keys)
    # strong evidence of one place despite the distance; a network's shared phone or site does not
    # count against another street address
    strong = address is True or ((phone or same_page) and address is not False)
    if (apart and not strong) or (family and address is not True):
        # two towns, or two points more than NEAR_KM apart: two places, whatever their names say
        # (at most POSSIBLE: the form still lists another branch of a network under "Is it one of these?")
        if family:
            reasons.append("branches of one network")
        value = min(value, POSSIBLE)
    return round(max(0.0, min(1.0, value)), 3), tuple(dict.fromkeys(reasons))


def similar(
    record: Mapping[str, object], existing: Iterable[Mapping[str, object]], limit: int = 5, threshold: float = POSSIBLE
) -> list[Candidate]:
    """Existing records that may be `record`, best first (those scoring at least `threshold`)."""
    found = []
    mine = prepare(record)
    for other in existing:
        value, reasons = score_prepared(mine, prepare(other))
        if value >= threshold:
            found.append(
                Candidate(
                    str(other.get("id") or ""),
                    str(other.get("name") or ""),
                    str(other.get("city") or ""),
                    str(other.get("country") or ""),
                    round(value, 3),
                    reasons,
                )
            )
    found.sort(key=lambda c: (-c.score, c.name))
    return found[:limit]


def _initials(key: str) -> set[str]:
    """Blocking keys for acronyms: a long name's initials; every initials string a short name may stand for."""
    words = key.split()
    if len(words) >= 2:
        long_words = [w for w in words if len(w) >= 3]
        return {"".join(w[0] for w in words), "".join(w[0] for w in long_words)} - {""}
    word = words[0] if words else ""
    if not 2 <= len(word) <= 6 or not word.isalpha():
        return set()
    rest = word[1:]  # the first letter always starts a word; any other letter may start the next one
    return {word[0] + "".join(c for k, c in enumerate(rest) if mask >> k & 1) for mask in range(1, 1 << len(rest))}


def candidate_pairs(records: Sequence[Prepared], among: Sequence[bool] | None = None) -> set[tuple[int, int]]:
    """Index pairs (i < j) worth scoring, from blocks and sorted neighbourhoods (not every pair).

    With `among`, only pairs where at least one side is flagged (the rows of an import against
    the atlas and each other, say).
    """
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    words_of = [{w for k in p.keys for w in k.split() if len(w) >= 3 or _DIGITS.search(w)} for p in records]
    frequency: Counter[tuple[str, str]] = Counter(
        (p.country, w) for p, words in zip(records, words_of, strict=True) for w in words
    )
    for i, (p, words) in enumerate(zip(records, words_of, strict=True)):
        # a name's rarest words say most about it: blocks on those only (common words make huge blocks)
        for w in sorted(words, key=lambda w: (frequency[p.country, w], w))[:RARE_WORDS]:
            blocks[("w", p.country, w)].append(i)
        if p.site:
            blocks[("s", p.site)].append(i)
        if p.street:
            blocks[("a", p.postcode or p.city, p.number, p.street)].append(i)
        if p.phone:
            blocks[("p", p.phone)].append(i)
        for initials in p.initials:
            blocks[("i", p.country, initials)].append(i)
    pairs: set[tuple[int, int]] = set()

    def add(i: int, j: int) -> None:
        if i != j and (among is None or among[i] or among[j]):
            pairs.add((i, j) if i < j else (j, i))

    for members in blocks.values():
        if 1 < len(members) <= MAX_BLOCK:
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    add(i, j)
    for reverse in (False, True):
        order = sorted(
            (
                (p.country, (k.replace(" ", "")[::-1] if reverse else k.replace(" ", "")), i)
                for i, p in enumerate(records)
                for k in p.keys[:1]
            ),
        )
        for x, (country, _key, i) in enumerate(order):
            for country2, _key2, j in order[x + 1 : x + WINDOW]:
                if country2 != country:
                    break
                add(i, j)
    return pairs


def _words(key: str) -> list[str]:
    """A key's words; a one-word key's folded words (legal forms included) for acronyms."""
    return key.split() if " " in key else fold_key(key).split()


def _worth_scoring(a: Prepared, b: Prepared) -> bool:
    """False when `a` and `b` cannot reach `LIKELY` (a cheap test before `score_prepared`)."""
    if not a.keys or not b.keys or (a.country and b.country and a.country != b.country):
        return False  # another country costs 0.4: no pair of two countries reaches LIKELY
    if a.located and b.located and not (a.phone and a.phone == b.phone):
        km = distance_km(a.lat, a.lon, b.lat, b.lon)
        address = same_address(a, b)
        if (
            km is not None
            and km > (NEAR_KM if a.precise and b.precise else CITY_KM)
            and address is not True
            and not (address is None and a.page and a.page == b.page)
        ):
            return False  # two places: capped below LIKELY
    if a.site and (a.site == b.site or a.site_name == b.site_name):
        return True
    for x in a.bare:
        for y in b.bare:
            if fuzz.token_set_ratio(x, y, score_cutoff=75):
                return True
    for x in a.compact:
        for y in b.compact:
            if fuzz.ratio(x, y, score_cutoff=90):
                return True
    if a.initials & b.initials:  # an acronym, maybe
        for x in (*a.keys, *a.bare):
            for y in (*b.keys, *b.bare):
                if (" " not in x and _is_acronym(x, _words(y))) or (" " not in y and _is_acronym(y, _words(x))):
                    return True
    return False


def find_duplicates(
    records: Sequence[Prepared], among: Sequence[bool] | None = None, threshold: float = LIKELY
) -> list[tuple[int, int, float, tuple[str, ...]]]:
    """Pairs (i, j, score, reasons) scoring at least `threshold`, best first; see `candidate_pairs`."""
    found = []
    for i, j in candidate_pairs(records, among):
        a, b = records[i], records[j]
        if threshold >= LIKELY and not _worth_scoring(a, b):
            continue
        value, reasons = score_prepared(a, b)
        if value >= threshold:
            found.append((i, j, value, reasons))
    found.sort(key=lambda f: (-f[2], f[0], f[1]))
    return found


def _num(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
