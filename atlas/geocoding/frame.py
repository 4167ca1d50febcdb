"""Geocode a table: one look-up per distinct query, `manual` rows left alone, a report of what happened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from atlas.errors import UnusableInput
from atlas.geocoding.models import MANUAL, Query
from atlas.geocoding.pipeline import Geocoder

OUTPUT_COLUMNS = ("lat", "lon", "geo_precision", "geo_source")
ROW_NUMBERS = "data rows, 1 = the first line after the header"


@dataclass
class GeocodeReport:
    """Counts and problems of one `geocode_frame` run."""

    rows: int = 0
    manual: int = 0
    resolved: int = 0  # rows
    queries: int = 0  # distinct look-ups
    from_cache: int = 0  # queries answered by the cache
    unresolved: dict[str, list[int]] = field(default_factory=dict)  # query -> 1-based data row numbers
    notes: list[str] = field(default_factory=list)

    @property
    def unresolved_rows(self) -> int:
        return sum(len(rows) for rows in self.unresolved.values())

    def summary(self, max_listed: int = 50) -> str:
        """Plain-text summary: counts, online problems, then every unresolved query with its rows."""
        lines = [
            f"{self.resolved} of {self.rows - self.manual} rows resolved ({self.queries} distinct queries: "
            f"{self.from_cache} from the cache, {self.queries - self.from_cache} looked up); "
            f"{_count(self.manual, 'manual row')} left untouched."
        ]
        lines += [f"Note: {note}" for note in self.notes]
        if self.unresolved:
            lines.append(f"{_count(self.unresolved_rows, 'row')} unresolved, coordinates left empty ({ROW_NUMBERS}):")
            for query, rows in list(self.unresolved.items())[:max_listed]:
                lines.append(f"  - {query}: row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))}")
            if len(self.unresolved) > max_listed:
                lines.append(f"  ... and {len(self.unresolved) - max_listed} more unresolved queries")
        return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _column(df: pd.DataFrame, *names: str) -> str | None:
    by_name = {str(c).strip().lower(): c for c in df.columns}
    return next((by_name[n] for n in names if n in by_name), None)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def geocode_frame(
    df: pd.DataFrame, geocoder: Geocoder, force: bool = False, progress: Callable[[int, int], None] | None = None
) -> tuple[pd.DataFrame, GeocodeReport]:
    """A copy of `df` with lat, lon, geo_precision, geo_source filled in, and a report.

    Needs a `country` column and `city` and/or `address`; `admin1` (or `region`) helps choose
    between homonyms. Rows whose geo_source is `manual` are kept as they are; unresolved rows
    get empty values. `progress(done, total)` is called after each distinct query.
    """
    country_col, city_col = _column(df, "country"), _column(df, "city")
    address_col, admin1_col = _column(df, "address"), _column(df, "admin1", "region")
    if country_col is None or (city_col is None and address_col is None):
        raise UnusableInput(
            "needs a `country` column and a `city` and/or `address` column; found: " + ", ".join(map(str, df.columns))
        )
    out = df.copy()
    values: dict[str, list[object]] = {
        c: list(out[c]) if c in out.columns else [None] * len(out) for c in OUTPUT_COLUMNS
    }
    report = GeocodeReport(rows=len(out))
    groups: dict[tuple, tuple[Query, list[int]]] = {}

    def cell(col: str | None, i: int) -> str:
        return "" if col is None else _text(out[col].iat[i])

    for i in range(len(out)):
        if _text(values["geo_source"][i]).lower() == MANUAL:
            report.manual += 1
            continue
        query = geocoder.query(cell(city_col, i), cell(country_col, i), cell(address_col, i), cell(admin1_col, i))
        if query is None:
            for col in OUTPUT_COLUMNS:
                values[col][i] = None
            place = cell(address_col, i) or cell(city_col, i)
            report.unresolved.setdefault(f"{place}, unknown country {cell(country_col, i)!r}", []).append(i + 1)
            continue
        groups.setdefault(query.normalised, (query, []))[1].append(i)

    report.queries = len(groups)
    for done, (query, rows) in enumerate(groups.values(), start=1):
        answer = geocoder.resolve(query, force=force)
        report.from_cache += answer.cached
        result = answer.result
        for i in rows:
            filled = (
                (round(result.lat, 6), round(result.lon, 6), result.geo_precision, result.geo_source)
                if result
                else (None,) * 4
            )
            for col, value in zip(OUTPUT_COLUMNS, filled, strict=True):
                values[col][i] = value
        if result:
            report.resolved += len(rows)
        else:
            report.unresolved.setdefault(query.describe(), []).extend(i + 1 for i in rows)
        if progress is not None:
            progress(done, report.queries)
    for col in OUTPUT_COLUMNS:
        out[col] = pd.Series(values[col], index=out.index, dtype=object)
    report.notes = geocoder.notes()
    report.unresolved = dict(sorted(report.unresolved.items(), key=lambda item: item[1][0]))
    return out, report
