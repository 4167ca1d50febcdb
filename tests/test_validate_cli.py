"""`atlas validate [PATH…]`: lists every located problem, exits 1 when there is any, 0 when clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from data_factory import numbered, odc_row, org_row, write_atlas, write_csv

from atlas import config
from atlas.cli import main

BUNDLED = config.PROJECT_ROOT / "data"


def validate(capsys, *args: str) -> tuple[int, list[str]]:
    code = main(["validate", *args])
    return code, capsys.readouterr().out.splitlines()


def same_report(out: list[str], expected: list[str]) -> bool:
    """The same problem lines (in any order) and the same summary line last."""
    return sorted(out[:-1]) == sorted(expected[:-1]) and out[-1:] == expected[-1:]


@pytest.fixture()
def bad_atlas(tmp_path: Path) -> Path:
    """A data folder with one error in each file, one warning, and a duplicate id across the files."""
    return write_atlas(
        tmp_path / "data",
        orgs=[
            org_row(id="good"),
            org_row(id="shared"),
            org_row(id="bad-country", country="XX"),
            org_row(id="js-link", website="javascript:alert(1)"),
        ],
        odcs=[*numbered(odc_row, 4, "odc"), odc_row(id="shared"), odc_row(id="far-north", lat="123.4")],
    )


BAD_ATLAS_LINES = [
    "error: data/organisations.csv row 4: country 'XX' is not an ISO 3166-1 alpha-2 country code (e.g. FR, BE)",
    "warning: data/organisations.csv row 5: website 'javascript:alert(1)' is not an http(s) URL; the link was removed",
    "error: data/odc.csv row 7: lat '123.4' is outside [-90, 90]",
    "error: data/odc.csv row 6: id 'shared' is already used by another row; row skipped",
    "4 problem(s): 3 error(s), 1 warning(s)",
]


def test_bundled_data_is_clean(capsys, monkeypatch) -> None:
    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)
    code, out = validate(capsys)
    assert (code, out) == (0, ["No problems found."])


def test_bundled_data_given_as_a_path(capsys) -> None:
    assert validate(capsys, str(BUNDLED)) == (0, ["No problems found."])


def test_bad_folder_lists_located_problems_and_fails(capsys, monkeypatch, bad_atlas: Path) -> None:
    monkeypatch.chdir(bad_atlas.parent)
    code, out = validate(capsys, "data")
    assert code == 1
    assert same_report(out, BAD_ATLAS_LINES), out


def test_folder_from_the_environment(capsys, monkeypatch, bad_atlas: Path) -> None:
    monkeypatch.chdir(bad_atlas.parent)
    monkeypatch.setenv("ATLAS_DATA_DIR", "data")
    code, out = validate(capsys)
    assert code == 1 and same_report(out, BAD_ATLAS_LINES), out


def test_warnings_alone_still_fail(capsys, tmp_path: Path) -> None:
    folder = write_atlas(tmp_path, orgs=[org_row(name="<b>Bold</b>")], odcs=[odc_row(lat="", lon="")])
    code, out = validate(capsys, str(folder))
    assert code == 1
    assert out[-1] == "2 problem(s): 0 error(s), 2 warning(s)"
    assert all(line.startswith("warning: ") for line in out[:-1])


def test_single_files_are_checked_by_their_name_or_header(capsys, tmp_path: Path) -> None:
    odc_file = write_csv(tmp_path / "centres.csv", [odc_row(status="closed")])
    org_file = write_csv(tmp_path / "orgs-export.csv", [org_row(category="robots")])
    good = write_csv(tmp_path / "odc.csv", [odc_row()])
    code, out = validate(capsys, str(odc_file), str(org_file), str(good))
    assert code == 1
    assert out == [
        f"error: {odc_file} row 2: status 'closed' must be 'open' or 'planned'",
        f"error: {org_file} row 2: category 'robots' is not a known category "
        "(civic_tech, digital_mediation, resource_mobilisation, digital_commons, training, network, "
        "tech_company, funder, digital_center)",
        "2 problem(s): 2 error(s), 0 warning(s)",
    ]
    assert validate(capsys, str(good)) == (0, ["No problems found."])


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_odc_file_with_status_as_last_column(capsys, tmp_path: Path, bom: bytes) -> None:
    columns = [c for c in odc_row() if c != "status"] + ["status"]
    path = write_csv(tmp_path / "centres.csv", [odc_row()], columns=columns)
    path.write_bytes(bom + path.read_bytes())
    assert validate(capsys, str(path)) == (0, ["No problems found."])


def test_unreadable_files_are_reported_not_raised(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "odc.csv"
    (tmp_path / "latin1.csv").write_bytes("id,name\nx,Café\n".encode("latin-1"))
    code, out = validate(capsys, str(missing), str(tmp_path / "latin1.csv"))
    assert code == 1
    assert out[0].startswith(f"error: {missing}: cannot be read")
    assert f"error: {tmp_path / 'latin1.csv'} row 2: is not valid UTF-8 (save the file as UTF-8); row skipped" in out


def test_real_command_in_a_subprocess(tmp_path: Path, bad_atlas: Path) -> None:
    env = {**os.environ, "ATLAS_DATA_DIR": "data"}
    bad = subprocess.run(
        [sys.executable, "-m", "atlas.cli", "validate"],
        cwd=bad_atlas.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1, bad.stderr
    assert same_report(bad.stdout.splitlines(), BAD_ATLAS_LINES), bad.stdout
    assert bad.stderr == ""
    good = subprocess.run(
        [sys.executable, "-m", "atlas.cli", "validate", str(BUNDLED)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (good.returncode, good.stdout) == (0, "No problems found.\n"), good.stderr


def test_articles_are_validated_too(capsys, tmp_path: Path) -> None:
    folder = write_atlas(tmp_path / "data", orgs=[org_row(id="known")], odcs=[])
    (folder / "articles").mkdir()
    (folder / "articles" / "good.md").write_text(
        "---\nid: good\ntitle_en: T\ntitle_fr: T\nsummary_en: S\nsummary_fr: S\nsource: s\n"
        "organisations: [known]\n---\n",
        encoding="utf-8",
    )
    (folder / "articles" / "bad.md").write_text(
        "---\nid: bad\ntitle_en: T\ntitle_fr: T\nsummary_en: S\nsummary_fr: S\nsource: s\n"
        "organisations: [unknown-org]\npublished: 2023-02-30\n---\n",
        encoding="utf-8",
    )
    (folder / "articles" / "broken.md").write_text("no front matter", encoding="utf-8")
    code, out = validate(capsys, str(folder))
    assert code == 1
    articles = folder / "articles"
    assert f"error: {articles / 'broken.md'}: does not start with a '---' front matter line; file skipped" in out
    assert any(line.startswith(f"warning: {articles / 'bad.md'}: field 'organisations'") for line in out)
    assert any(line.startswith(f"warning: {articles / 'bad.md'}: field 'published'") for line in out)
    assert not any("good.md" in line for line in out)
