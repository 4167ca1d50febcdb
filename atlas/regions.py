"""UN M49 regions (continents and their sub-regions), for the region filter.

Which country lies in which region comes from Unicode CLDR's territory containment, which follows
the UN M49 standard (the "world" tree of CLDR's `supplemental/territoryContainment`, without its
groupings such as the EU or its deprecated codes). Babel, which the atlas already uses for country
names, is built from CLDR but does not ship that table, so the table is read once from the npm
package `cldr-core` (Unicode's own JSON release of CLDR, locked in package-lock.json) into
`atlas/m49_regions.json`, which is committed: `python -m atlas.regions` writes it again after an
upgrade, and a test checks that it still equals the package's data. The regions' names in English
and French come from Babel (the same CLDR).

A region filter adds its countries to the country filter's: both choose places (OR), and the
places chosen are ANDed with the other filters.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale

from atlas import config
from atlas.i18n import LANGS
from atlas.text import fold

REGIONS_FILE = Path(__file__).with_name("m49_regions.json")
CLDR_FILE = config.PROJECT_ROOT / "node_modules" / "cldr-core" / "supplemental" / "territoryContainment.json"
CLDR_PACKAGE = CLDR_FILE.parents[1] / "package.json"
WORLD = "001"


@dataclass(frozen=True)
class Region:
    """A UN M49 region: a continent (parent "001") or one of its sub-regions."""

    code: str  # three digits, e.g. "011" (Western Africa)
    parent: str
    countries: frozenset[str]  # ISO 3166-1 alpha-2 codes

    @property
    def is_continent(self) -> bool:
        return self.parent == WORLD


def build(containment: Mapping[str, Mapping[str, object]], source: str) -> dict[str, object]:
    """The regions file's content from CLDR's `territoryContainment` table (pure).

    Continents are the world's children; sub-regions their children with an M49 (numeric) code.
    A region's countries are every two-letter code below it, CLDR's own non-M49 regions (such as
    "QO", Outlying Oceania) included.
    """

    def children(code: str) -> list[str]:
        entry = containment.get(code) or {}
        if entry.get("_grouping"):
            return []
        return [str(c) for c in entry.get("_contains", [])]  # type: ignore[attr-defined]

    def countries(code: str) -> list[str]:
        found: list[str] = []
        for child in children(code):
            if child in containment:
                found += countries(child)
            elif len(child) == 2 and child.isalpha():
                found.append(child)
        return found

    regions: dict[str, dict[str, object]] = {}
    for continent in children(WORLD):
        regions[continent] = {"parent": WORLD, "countries": sorted(set(countries(continent)))}
        for sub in children(continent):
            if sub.isdigit():
                regions[sub] = {"parent": continent, "countries": sorted(set(countries(sub)))}
    return {"source": source, "regions": dict(sorted(regions.items()))}


@cache
def regions() -> dict[str, Region]:
    """Every region, by code."""
    data = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    return {code: Region(code, str(r["parent"]), frozenset(r["countries"])) for code, r in data["regions"].items()}


def is_region_code(code: object) -> bool:
    return isinstance(code, str) and code in regions()


@cache
def _names(lang: str) -> dict[str, str]:
    return dict(Locale(lang).territories)


def region_name(code: str, lang: str = "en") -> str:
    """The region's name in `lang` from CLDR ("011", "fr" -> "Afrique de l’Ouest"); the code if unknown."""
    return _names(lang if lang in LANGS else "en").get(code, code)


def countries_in(codes: Iterable[str]) -> frozenset[str]:
    """Every country of the given regions (unknown codes add nothing)."""
    table = regions()
    return frozenset(c for code in codes if code in table for c in table[code].countries)


def regions_of(countries: Iterable[str], lang: str = "en") -> list[str]:
    """Codes of the regions holding at least one of `countries`: each continent followed by its
    sub-regions, both in the alphabetical order of their names in `lang`."""
    present = set(countries)
    table = regions()
    by_name = sorted(table, key=lambda c: fold(region_name(c, lang)))
    out: list[str] = []
    for code in by_name:
        if table[code].is_continent and table[code].countries & present:
            out.append(code)
            out += [s for s in by_name if table[s].parent == code and table[s].countries & present]
    return out


def dumps(data: Mapping[str, object]) -> str:
    """The regions file's text: one line per region, so that a CLDR upgrade reads as a short diff."""
    table: Mapping[str, object] = data["regions"]  # type: ignore[assignment]
    lines = [f"{json.dumps(code)}: {json.dumps(region, ensure_ascii=False)}" for code, region in table.items()]
    return '{\n "source": ' + json.dumps(data["source"]) + ',\n "regions": {\n  ' + ",\n  ".join(lines) + "\n }\n}\n"


def main(argv: list[str] | None = None) -> int:
    """Write `atlas/m49_regions.json` again from the installed `cldr-core` package."""
    if not CLDR_FILE.exists():
        print(f"{CLDR_FILE} is missing: run `npm ci` first", file=sys.stderr)
        return 2
    version = json.loads(CLDR_PACKAGE.read_text(encoding="utf-8"))["version"]
    table = json.loads(CLDR_FILE.read_text(encoding="utf-8"))["supplemental"]["territoryContainment"]
    data = build(table, f"cldr-core {version} (npm), supplemental/territoryContainment.json")
    REGIONS_FILE.write_text(dumps(data), encoding="utf-8")
    print(f"wrote {REGIONS_FILE} ({len(data['regions'])} regions)")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
