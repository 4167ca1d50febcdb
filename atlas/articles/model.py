"""SOGA articles bundled with the atlas: the `Article` record and a validating loader.

Each article is one `data/articles/<id>.md` file whose YAML front matter holds the fields below.
`load_articles` keeps every article it can and reports each problem as one message naming the
file, the field and the value (cut to a few dozen characters). A file that cannot be read, is
larger than MAX_FILE_BYTES, has bad or oversized YAML (see `frontmatter`), lacks a required field
or repeats an id is left out; a bad optional value (unknown organisation id, bad date, a value
YAML cannot build, bad coordinates, malformed place) is dropped and the rest of the article is
kept. Whatever a file holds, loading it can only drop that file: never raise.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from atlas.articles.frontmatter import FrontMatterError, parse_front_matter
from atlas.countries import is_country_code
from atlas.schema import SLUG, show_value

REQUIRED = ("id", "title_en", "title_fr", "summary_en", "summary_fr", "source")
OPTIONAL_TEXT = ("author", "published_note", "note", "title_en_note")
LIST_FIELDS = ("topics", "organisations", "odcs", "places")
KNOWN_FIELDS = frozenset(
    REQUIRED + OPTIONAL_TEXT + LIST_FIELDS + ("published", "published_precision", "summary_status")
)
DRAFT = "extractive"  # `summary_status` of a draft whose summaries are still the source's own sentences
PRECISIONS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
MAX_FILE_BYTES = 256 * 1024  # an article file larger than this is not read; the bundled ones are under 5 KB
MAX_PROBLEMS_PER_FILE = 20  # further problems of one file are counted, not listed

_ODC_ID = re.compile(r"^odc-[a-z]{2}(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class ArticlePlace:
    """A place an article mentions; coordinates come from the project's geocoding pipeline."""

    name: str
    country: str
    role: str = ""
    lat: float | None = None
    lon: float | None = None
    geo_precision: str = ""
    geo_source: str = ""

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class Article:
    """One reviewed article: bilingual titles and summaries plus what it links to in the atlas."""

    id: str
    title_en: str
    title_fr: str
    summary_en: str
    summary_fr: str
    source: str
    author: str = ""
    published: str = ""
    published_precision: str = ""
    published_note: str = ""
    topics: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    odcs: tuple[str, ...] = ()
    places: tuple[ArticlePlace, ...] = ()
    note: str = ""
    title_en_note: str = ""
    body: str = ""

    def title(self, lang: str) -> str:
        """Title in `lang` ("fr" or anything else for English)."""
        return self.title_fr if lang == "fr" else self.title_en

    def summary(self, lang: str) -> str:
        """Summary in `lang` ("fr" or anything else for English)."""
        return self.summary_fr if lang == "fr" else self.summary_en

    @property
    def countries(self) -> frozenset[str]:
        """Countries of the places the article mentions."""
        return frozenset(p.country for p in self.places)


def odc_country(odc_id: str) -> str:
    """Country code encoded in an ODC id: "odc-fr-saint-ouen-sur-seine" -> "FR"."""
    return odc_id.split("-")[1].upper()


def load_articles(
    folder: Path,
    known_org_ids: Iterable[str] | None = None,
    known_odc_ids: Iterable[str] | None = None,
) -> tuple[list[Article], list[str]]:
    """Articles of every `*.md` file in `folder` (newest first) and the problems found.

    Organisation and ODC ids are checked against the given sets when they are passed.
    A missing folder is reported as a problem, not raised.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return [], [f"{folder}: articles folder not found"]
    checker = _Checker(
        frozenset(known_org_ids) if known_org_ids is not None else None,
        frozenset(known_odc_ids) if known_odc_ids is not None else None,
    )
    return _collect(checker, ((path, checker.load(path)) for path in sorted(folder.glob("*.md"))))


def parse_articles(
    texts: Iterable[tuple[str, str]],
    known_org_ids: Iterable[str] | None = None,
    known_odc_ids: Iterable[str] | None = None,
) -> tuple[list[Article], list[str]]:
    """`load_articles` for (file name, text) pairs held elsewhere (say, in the atlas database)."""
    checker = _Checker(
        frozenset(known_org_ids) if known_org_ids is not None else None,
        frozenset(known_odc_ids) if known_odc_ids is not None else None,
    )
    return _collect(checker, ((PurePath(name), checker.parse(PurePath(name), text)) for name, text in texts))


def _collect(checker: _Checker, parsed: Iterable[tuple[PurePath, Article | None]]) -> tuple[list[Article], list[str]]:
    """The articles in order (newest first), the first of each id kept."""
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for path, article in parsed:
        if article is None:
            continue
        if article.id in seen:
            checker.problem(path, "id", article.id, f"already used by {seen[article.id]}; file skipped")
            continue
        seen[article.id] = path.name
        articles.append(article)
    articles.sort(key=lambda a: a.id)
    articles.sort(key=lambda a: a.published, reverse=True)
    return articles, checker.problems


class _Checker:
    """Validates one file at a time and collects problem messages."""

    def __init__(self, org_ids: frozenset[str] | None, odc_ids: frozenset[str] | None) -> None:
        self.org_ids = org_ids
        self.odc_ids = odc_ids
        self.problems: list[str] = []

    def problem(self, path: PurePath, field: str, value: object, what: str) -> None:
        shown = "" if value is None else f" = {show_value(value)}"
        self.problems.append(f"{path.name}: field {show_value(field)}{shown}: {what}")

    def load(self, path: Path) -> Article | None:
        """The article of one file (None when the file is skipped); problems beyond a few are counted."""
        return self._checked(PurePath(path.name), lambda: self._load(path))

    def parse(self, path: PurePath, text: str) -> Article | None:
        """The article in `text`, the content of the file `path.name` (None when it is skipped)."""
        return self._checked(path, lambda: self._parse(path, text))

    def _checked(self, path: PurePath, check: Callable[[], Article | None]) -> Article | None:
        start = len(self.problems)
        try:
            article = check()
        except Exception as exc:  # a check that failed on a value nobody foresaw: drop the file, keep the page
            self.problems.append(f"{path.name}: cannot be checked ({type(exc).__name__}); file skipped")
            article = None
        extra = len(self.problems) - start - MAX_PROBLEMS_PER_FILE
        if extra > 0:
            del self.problems[start + MAX_PROBLEMS_PER_FILE :]
            self.problems.append(f"{path.name}: {extra} more problem(s) not listed")
        return article

    def _load(self, path: Path) -> Article | None:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.problems.append(f"{path.name}: larger than {MAX_FILE_BYTES // 1024} KB; file skipped")
                return None
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            self.problems.append(f"{path.name}: cannot read the file ({reason}); file skipped")
            return None
        return self._parse(PurePath(path.name), text)

    def _parse(self, path: PurePath, text: str) -> Article | None:
        if len(text) > MAX_FILE_BYTES:  # characters: at least as many bytes
            self.problems.append(f"{path.name}: larger than {MAX_FILE_BYTES // 1024} KB; file skipped")
            return None
        try:
            parsed = parse_front_matter(text)
        except FrontMatterError as exc:
            self.problems.append(f"{path.name}: {exc}; file skipped")
            return None
        data, body = parsed.data, parsed.body
        for bad in parsed.bad_fields:
            if bad.key in REQUIRED:
                self.problems.append(f"{path.name}: {bad}; file skipped")
                return None
            self.problems.append(f"{path.name}: {bad}" + ("" if bad.key is None else "; dropped"))
        for field in sorted(set(data) - KNOWN_FIELDS):
            self.problem(path, field, data[field], "unknown field, ignored")
        required = {}
        for field in REQUIRED:
            value = data.get(field)
            if not isinstance(value, str) or not value.strip():
                self.problem(path, field, value, "required text is missing; file skipped")
                return None
            required[field] = value.strip()
        if not SLUG.fullmatch(required["id"]):
            self.problem(path, "id", required["id"], "must be a lower-case slug; file skipped")
            return None
        if data.get("summary_status") == DRAFT:
            self.problem(path, "summary_status", DRAFT, "a draft: the summaries are not rewritten yet; file skipped")
            return None
        published, precision = self._published(path, data.get("published"), data.get("published_precision"))
        return Article(
            **required,
            **{field: self._text(path, field, data.get(field)) for field in OPTIONAL_TEXT},
            published=published,
            published_precision=precision,
            topics=self._ids(path, "topics", data.get("topics"), lambda v: bool(SLUG.fullmatch(v)), "not a slug"),
            organisations=self._ids(
                path,
                "organisations",
                data.get("organisations"),
                lambda v: v in self.org_ids if self.org_ids is not None else bool(SLUG.fullmatch(v)),
                "unknown organisation id",
            ),
            odcs=self._ids(
                path,
                "odcs",
                data.get("odcs"),
                lambda v: v in self.odc_ids if self.odc_ids is not None else bool(_ODC_ID.match(v)),
                "unknown ODC id",
            ),
            places=self._places(path, data.get("places")),
            body=body,
        )

    def _text(self, path: PurePath, field: str, value: object) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(path, field, value, "not text, ignored")
            return ""
        return value.strip()

    def _list(self, path: PurePath, field: str, value: object) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, field, value, "not a list, ignored")
            return []
        return value

    def _ids(self, path: PurePath, field: str, value: object, ok: Callable[[str], bool], what: str) -> tuple[str, ...]:
        kept: dict[str, None] = {}
        for item in self._list(path, field, value):
            if isinstance(item, str) and ok(item.strip()):
                kept[item.strip()] = None
            else:
                self.problem(path, field, item, f"{what}, dropped")
        return tuple(kept)

    def _published(self, path: PurePath, value: object, precision: object) -> tuple[str, str]:
        if value is None or value == "":
            return "", ""
        if isinstance(value, dt.date):
            value = value.isoformat()[:10]
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problem(path, "published", value, "not a date; dropped")
            return "", ""
        text = str(value).strip()
        found = next((p for p, fmt in PRECISIONS.items() if _parses(text, fmt)), None)
        if found is None:
            self.problem(path, "published", value, "not a real date as YYYY-MM-DD, YYYY-MM or YYYY; dropped")
            return "", ""
        if precision not in (None, "", found):
            self.problem(path, "published_precision", precision, f"does not match the date, '{found}' used")
        return text, found

    def _places(self, path: PurePath, value: object) -> tuple[ArticlePlace, ...]:
        places: list[ArticlePlace] = []
        for item in self._list(path, "places", value):
            if not isinstance(item, dict):
                self.problem(path, "places", item, "not a mapping, dropped")
                continue
            name, country = _str(item.get("name")), _str(item.get("country"))
            if not name or not is_country_code(country):
                self.problem(path, "places", item, "needs a name and an ISO alpha-2 country; dropped")
                continue
            lat, lon = _coordinate(item.get("lat"), 90), _coordinate(item.get("lon"), 180)
            missing = item.get("lat") in (None, "") and item.get("lon") in (None, "")
            if (lat is None or lon is None) and not missing:
                self.problem(
                    path,
                    "places",
                    {"name": name, "lat": item.get("lat"), "lon": item.get("lon")},
                    "bad coordinates, dropped",
                )
            has = lat is not None and lon is not None
            places.append(
                ArticlePlace(
                    name=name,
                    country=country,
                    role=_str(item.get("role")),
                    lat=lat if has else None,
                    lon=lon if has else None,
                    geo_precision=_str(item.get("geo_precision")) if has else "",
                    geo_source=_str(item.get("geo_source")) if has else "",
                )
            )
        return tuple(places)


def _str(value: object) -> str:
    """Text stripped; anything that is not text counts as missing (it is never printed whole)."""
    return value.strip() if isinstance(value, str) else ""


def _parses(text: str, fmt: str) -> bool:
    if len(text) != {"%Y-%m-%d": 10, "%Y-%m": 7, "%Y": 4}[fmt]:
        return False
    try:
        dt.datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


def _coordinate(value: object, limit: float) -> float | None:
    """A finite number within ±limit, else None (booleans and text are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) and -limit <= number <= limit else None
