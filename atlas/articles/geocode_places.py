"""Fill the coordinates of the places in `data/articles/*.md` with the project's geocoding pipeline.

Only `lat`, `lon`, `geo_precision` and `geo_source` of each place change; a place whose
`geo_source` is `manual` (set by hand by an editor) is left alone. A place named like its
country ("Kenya", KE) is geocoded at country level, any other as a city. `geo_source` records
where the coordinates come from, so the pipeline's "cache:" prefix is dropped: a second run
answered from the cache leaves the files as they are.

    python -m atlas.articles.geocode_places [--folder DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from atlas.articles.frontmatter import FrontMatterError, render_front_matter, split_front_matter
from atlas.config import data_dir
from atlas.countries import resolve_country
from atlas.geocoding.models import CACHE_PREFIX, MANUAL


class GeoLike(Protocol):
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...
    @property
    def geo_precision(self) -> str: ...
    @property
    def geo_source(self) -> str: ...


Geocode = Callable[[str | None, str], GeoLike | None]  # (city or None for the country itself, country)


@dataclass
class PlacesReport:
    """What a run did: files rewritten, places resolved, places left without coordinates, unreadable files."""

    changed_files: list[str] = field(default_factory=list)
    resolved: int = 0
    unresolved: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def geocode_articles(folder: Path, geocode: Geocode) -> PlacesReport:
    """Geocode every place of every article file in `folder`, rewriting the files that change."""
    report = PlacesReport()
    for path in sorted(Path(folder).glob("*.md")):
        try:
            data, body = split_front_matter(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, FrontMatterError) as exc:
            report.errors.append(f"{path.name}: {exc}")
            continue
        places = data.get("places") or []
        changed = False
        for place in places if isinstance(places, list) else []:
            if not isinstance(place, dict) or place.get("geo_source") == MANUAL:
                continue
            name, country = str(place.get("name") or ""), str(place.get("country") or "")
            new = _fields(geocode(None if resolve_country(name) == country else name, country))
            if new["lat"] is None:
                report.unresolved.append(f"{path.name}: {name} ({country})")
            else:
                report.resolved += 1
            if any(place.get(k) != v for k, v in new.items()):
                place.update(new)
                changed = True
        if changed:
            path.write_text(render_front_matter(data, body), encoding="utf-8")
            report.changed_files.append(path.name)
    return report


def _fields(result: GeoLike | None) -> dict[str, Any]:
    if result is None:
        return {"lat": None, "lon": None, "geo_precision": "", "geo_source": ""}
    return {
        "lat": round(float(result.lat), 5),
        "lon": round(float(result.lon), 5),
        "geo_precision": result.geo_precision,
        "geo_source": result.geo_source.removeprefix(CACHE_PREFIX),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: 0 when every place has coordinates, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m atlas.articles.geocode_places", description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, default=None, help="articles folder (default: <data dir>/articles)")
    args = parser.parse_args(argv)
    from atlas.geocoding import geocode_place

    report = geocode_articles(args.folder or data_dir() / "articles", geocode_place)
    print(f"{report.resolved} place(s) geocoded; {len(report.changed_files)} file(s) rewritten")
    for line in report.unresolved:
        print(f"  no coordinates: {line}")
    for line in report.errors:
        print(f"  skipped: {line}", file=sys.stderr)
    return 0 if not report.unresolved and not report.errors else 1


if __name__ == "__main__":
    sys.exit(main())
