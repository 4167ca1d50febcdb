"""`atlas geocode`: exit codes, messages, in-place atomic writes, cache use, concurrency."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from geofakes import FakeClock, FakeGeocoder, raising
from geopy.exc import GeocoderTimedOut

from atlas.cli import main
from atlas.geocoding import pipeline
from atlas.geocoding.cli import _Progress
from atlas.geocoding.online import OnlineSource

HEADER = "id,name,country,city,notes\n"


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_all_resolved_exit_0_in_place(tmp_path, capsys):
    src = write(tmp_path / "orgs.csv", HEADER + '1,A,FR,Autrêches,"a, b"\n2,B,IT,Montefalco,\n3,C,BE,Bruxelles,007\n')
    assert main(["geocode", str(src), "--offline", "--cache", str(tmp_path / "c.sqlite3")]) == 0
    out = rows(src)
    assert [r["id"] for r in out] == ["1", "2", "3"] and out[0]["notes"] == "a, b" and out[2]["notes"] == "007"
    assert list(out[0]) == ["id", "name", "country", "city", "notes", "lat", "lon", "geo_precision", "geo_source"]
    assert {r["geo_source"] for r in out} == {"gazetteer"} and {r["geo_precision"] for r in out} == {"city"}
    assert float(out[0]["lat"]) == pytest.approx(49.44, abs=0.05)
    assert "3 of 3 rows resolved (3 distinct queries: 0 from the cache, 3 looked up)" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_unresolved_rows_exit_1_and_are_listed(tmp_path, capsys):
    src = write(
        tmp_path / "in.csv",
        HEADER + "1,A,FR,Lille,\n2,B,FR,Nowhereville-sur-Mer,\n3,C,XX,Lille,\n4,D,FR,nowhereville sur mer,\n",
    )
    target = tmp_path / "out.csv"
    assert main(["geocode", str(src), "-o", str(target), "--offline", "--cache", str(tmp_path / "c.sqlite3")]) == 1
    text = capsys.readouterr().out
    assert "3 rows unresolved, coordinates left empty (data rows, 1 = the first line after the header)" in text
    assert "Nowhereville-sur-Mer, FR: rows 2, 4" in text and "Lille, unknown country 'XX': row 3" in text
    out = rows(target)
    assert [r["lat"] for r in out][1:] == ["", "", ""] and out[0]["lat"]
    assert src.read_text(encoding="utf-8").count("\n") == 5 and "lat" not in src.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,name,country,town\n1,A,FR,Lille\n", "needs a `country` column and a `city` and/or `address` column"),
        (b"country,city\nFR,B\xe8gles\n", "not UTF-8"),
        (b"", "the file is empty"),
    ],
)
def test_unusable_input_exit_2(tmp_path, capsys, content, message):
    src = tmp_path / "bad.csv"
    src.write_bytes(content)
    assert main(["geocode", str(src), "--offline", "--cache", str(tmp_path / "c.sqlite3")]) == 2
    err = capsys.readouterr().err
    assert str(src) in err and message in err
    assert src.read_bytes() == content


def test_missing_file_exit_2(tmp_path, capsys):
    assert main(["geocode", str(tmp_path / "nope.csv"), "--offline"]) == 2
    assert "nope.csv: cannot read it" in capsys.readouterr().err


def test_second_run_is_served_by_the_cache_and_force_redoes_it(tmp_path, capsys):
    src = write(
        tmp_path / "in.csv", "country,city,geo_source,lat,lon\nFR,Lille,,,\nIT,Foligno,,,\nFR,Nancy,manual,1,2\n"
    )
    cache = str(tmp_path / "c.sqlite3")
    assert main(["geocode", str(src), "--offline", "--cache", cache]) == 0
    capsys.readouterr()
    assert main(["geocode", str(src), "--offline", "--cache", cache]) == 0
    assert "(2 distinct queries: 2 from the cache, 0 looked up)" in capsys.readouterr().out
    assert [r["geo_source"] for r in rows(src)] == ["cache:gazetteer", "cache:gazetteer", "manual"]
    assert main(["geocode", str(src), "--offline", "--cache", cache, "--force"]) == 0
    assert "(2 distinct queries: 0 from the cache, 2 looked up)" in capsys.readouterr().out
    out = rows(src)
    assert [r["geo_source"] for r in out] == ["gazetteer", "gazetteer", "manual"]
    assert (out[2]["lat"], out[2]["lon"]) == ("1", "2")


def test_offline_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "source_from_env", lambda: pytest.fail("must not go online"))
    monkeypatch.setenv("ATLAS_GEOCODE_OFFLINE", "1")
    src = write(tmp_path / "in.csv", "country,city\nFR,Lille\n")
    assert main(["geocode", str(src), "--cache", str(tmp_path / "c.sqlite3")]) == 0
    assert "(offline)" in capsys.readouterr().out


def test_online_failure_is_reported_and_the_run_completes(tmp_path, monkeypatch, capsys):
    clock = FakeClock()
    fake = FakeGeocoder(raising(GeocoderTimedOut("timed out")), clock)
    monkeypatch.setattr(
        pipeline, "source_from_env", lambda: OnlineSource(fake, "nominatim", clock=clock, sleep=clock.sleep)
    )
    src = write(tmp_path / "in.csv", "country,city\nFR,Lille\nFR,Nancy\nIT,Foligno\n")
    assert main(["geocode", str(src), "--cache", str(tmp_path / "c.sqlite3")]) == 0
    out = capsys.readouterr().out
    assert "online geocoder nominatim unavailable after 3 tries: timed out; used the gazetteer for 3 queries" in out
    assert {r["geo_source"] for r in rows(src)} == {"gazetteer"}


def test_progress_bar_on_long_runs(tmp_path, capsys):
    body = "".join(f"FR,Hamlet {i}\n" for i in range(250))
    src = write(tmp_path / "in.csv", "country,city\n" + body)
    assert main(["geocode", str(src), "--offline", "--cache", str(tmp_path / "c.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert "geocoding: 250/250 queries (100%)" in err and err.count("\n") <= 12


def test_subprocess_run_and_two_concurrent_runs_on_one_cache(tmp_path, run_cli, child_env):
    cache = tmp_path / "shared.sqlite3"
    first = write(
        tmp_path / "a.csv",
        "country,city\n"
        + "".join(
            f"FR,{c}\n" for c in ("Lille", "Roubaix", "Nancy", "Schiltigheim", "Bègles", "Montreuil", "Hamlet A")
        ),
    )
    second = write(
        tmp_path / "b.csv",
        "country,city\n"
        + "".join(f"IT,{c}\n" for c in ("Foligno", "Montefalco", "Perugia", "Roma", "Milano", "Hamlet B")),
    )
    env = {"ATLAS_GEOCODE_OFFLINE": "1"}
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "atlas.cli", "geocode", str(p), "--cache", str(cache)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**child_env, **env},
        )
        for p in (first, second)
    ]
    results = [child.communicate(timeout=180) for child in children]
    assert [child.returncode for child in children] == [1, 1], results
    assert "Hamlet A, FR: row 7" in results[0][0]
    again = run_cli("geocode", str(first), "-o", str(tmp_path / "a2.csv"), "--cache", str(cache), env=env)
    assert again.returncode == 1 and "(7 distinct queries: 7 from the cache, 0 looked up)" in again.stdout
    again = run_cli("geocode", str(second), "--cache", str(cache), env=env)
    assert "(6 distinct queries: 6 from the cache, 0 looked up)" in again.stdout


def test_progress_bar_redraws_in_place_on_a_terminal():
    stream = io.StringIO()
    stream.isatty = lambda: True
    bar = _Progress(stream)
    for done in (1, 2, 3):
        bar(done, 3)
    bar.close()
    text = stream.getvalue()
    assert text.startswith("\rgeocoding [") and text.endswith("] 3/3 queries\n") and text.count("\n") == 1
