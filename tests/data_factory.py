"""Tiny atlas data files for tests: valid rows by default, any cell overridable.

    from data_factory import org_row, odc_row, write_atlas

    folder = write_atlas(tmp_path, orgs=[org_row(), org_row(id="bad", country="XX")], odcs=[])
    atlas = load_atlas(folder)

`org_row()` / `odc_row()` return a complete, valid row as a dict of strings (column -> cell);
keyword arguments replace cells, and a cell set to `None` is left out of the file's header.
Files are written with `csv.writer` (UTF-8, "\r\n" line ends, so that any text in a cell,
"\r" included, is quoted and round-trips).
The rows of a file are on lines 2, 3, … unless a cell holds a line break.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from atlas.schema import ODCS, ORGANISATIONS

ORG_COLUMNS: tuple[str, ...] = ORGANISATIONS.columns
ODC_COLUMNS: tuple[str, ...] = ODCS.columns

_ORG_DEFAULTS = {
    "id": "test-org",
    "name": "Test Organisation",
    "aliases": "",
    "category": "civic_tech",
    "country": "FR",
    "city": "Lyon",
    "address": "",
    "postcode": "",
    "region": "",
    "lat": "45.764",
    "lon": "4.8357",
    "geo_precision": "city",
    "geo_source": "manual",
    "website": "https://org.example.org",
    "description_en": "A test organisation.",
    "description_fr": "Une organisation de test.",
    "source": "test fixture",
}
_ODC_DEFAULTS = {
    "id": "odc-test",
    "name": "Orange Digital Center Test",
    "country": "SN",
    "city": "Dakar",
    "address": "",
    "postcode": "",
    "region": "",
    "lat": "14.6937",
    "lon": "-17.44406",
    "geo_precision": "city",
    "geo_source": "manual",
    "status": "open",
    "opened": "2020-01",
    "description_en": "A test centre.",
    "description_fr": "Un centre de test.",
    "source": "test fixture",
    "website": "",
}


def _row(defaults: Mapping[str, str], columns: Sequence[str], overrides: Mapping[str, str | None]) -> dict[str, str]:
    row: dict[str, str | None] = {col: defaults[col] for col in columns}
    row.update(overrides)
    return {col: value for col, value in row.items() if value is not None}


def org_row(**overrides: str | None) -> dict[str, str]:
    """A valid organisations.csv row; `org_row(country="XX")` changes one cell, `lat=None` drops the column."""
    return _row(_ORG_DEFAULTS, ORG_COLUMNS, overrides)


def odc_row(**overrides: str | None) -> dict[str, str]:
    """A valid odc.csv row; same conventions as `org_row`."""
    return _row(_ODC_DEFAULTS, ODC_COLUMNS, overrides)


def numbered(factory, count: int, prefix: str = "row", **overrides: str | None) -> list[dict[str, str]]:
    """`count` rows from `factory` with distinct ids `prefix-1`, `prefix-2`, …"""
    return [factory(**{"id": f"{prefix}-{i}", **overrides}) for i in range(1, count + 1)]


def csv_text(
    rows: Iterable[Mapping[str, str]],
    columns: Sequence[str] | None = None,
    delimiter: str = ",",
    lineterminator: str = "\r\n",
) -> str:
    """CSV text of `rows` under `columns` (default: every column the rows use, in first-seen order).

    `columns` may repeat or omit names, to make broken headers; a row's missing cells are empty.
    """
    rows = list(rows)
    if columns is None:
        columns = list(dict.fromkeys(col for row in rows for col in row))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(col, "") for col in columns])
    return out.getvalue()


def write_csv(
    path: Path,
    rows: Iterable[Mapping[str, str]],
    columns: Sequence[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write `rows` as CSV to `path` (see `csv_text`); returns `path`."""
    rows = list(rows)
    if columns is None and not rows:
        raise ValueError("give `columns` to write a file without rows")
    path.write_bytes(csv_text(rows, columns, delimiter).encode(encoding))
    return path


def write_atlas(
    folder: Path, orgs: Iterable[Mapping[str, str]] | None = None, odcs: Iterable[Mapping[str, str]] | None = None
) -> Path:
    """Write organisations.csv and odc.csv into `folder`; returns `folder`.

    `None` (the default) writes one valid row; `[]` writes a header without rows.
    """
    folder.mkdir(parents=True, exist_ok=True)
    orgs = [org_row()] if orgs is None else list(orgs)
    odcs = [odc_row()] if odcs is None else list(odcs)
    write_csv(folder / ORGANISATIONS.filename, orgs, None if orgs else ORG_COLUMNS)
    write_csv(folder / ODCS.filename, odcs, None if odcs else ODC_COLUMNS)
    return folder
