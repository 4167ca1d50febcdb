"""Hostile JSON files end with a one-line message, quickly and in bounded memory (issue 21, item 7).

The three files of the red team are generated here and imported by the real command line in a
subprocess (a crash of the C parser would take a test process down with it): a 4,301-digit
integer (a segmentation fault before), properties nested 50,000 deep (2.6 GB and a RecursionError
traceback before) and one 60 MB string (read whole, in time growing with the square of its size,
before). The reader's own bounds are then checked on small inputs, chunk boundaries included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.imports import readers
from atlas.imports.readers import InputError, flatten, read

ROOT = Path(__file__).resolve().parents[2]
HEAD = b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, "properties": '
MAX_SECONDS = 20  # CPU seconds (4-7 measured; the 60 MB string took minutes when read whole)
MAX_RSS_KB = 400 * 1024


def big_integer(path: Path) -> None:
    path.write_bytes(HEAD + b'{"name": "A", "n": ' + b"9" * 4301 + b"}}]}")


def deep_nesting(path: Path) -> None:
    depth = 50_000
    path.write_bytes(HEAD + b'{"name": "A", "x": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b"}}]}")


def huge_string(path: Path) -> None:
    with path.open("wb") as fh:
        fh.write(HEAD + b'{"name": "')
        block = b"a" * (1024 * 1024)
        for _ in range(60):
            fh.write(block)
        fh.write(b'"}}]}')


# Runs the command line as `python -m atlas.cli` does, and writes the process's peak resident memory
# (VmHWM: the memory of this program, not of the test process it was forked from, which `wait4`'s
# ru_maxrss would include) and the CPU seconds it used (user + system: what the work costs, whatever
# else the machine is doing) to the file named by ATLAS_TEST_HWM when it exits.
CLI = """
import atexit, os, runpy, sys
def hwm():
    with open("/proc/self/status") as fh:
        peak = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
    cpu = os.times()
    with open(os.environ["ATLAS_TEST_HWM"], "w") as out:
        out.write(f"{peak} {cpu.user + cpu.system}")
atexit.register(hwm)
sys.argv = ["atlas", *sys.argv[1:]]
runpy.run_module("atlas.cli", run_name="__main__")
"""


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str, float, int]:
    """Exit code, stdout, stderr, CPU seconds and peak resident memory (KB) of `python -m atlas.cli ARGS`."""
    hwm = cwd / "hwm.txt"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ATLAS_GEOCODE_OFFLINE": "1",
        "ATLAS_GEOCODE_CACHE": str(cwd / "geocode.sqlite3"),
        "PYTHONIOENCODING": "utf-8",
        "ATLAS_TEST_HWM": str(hwm),
    }
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args], cwd=cwd, env=env, capture_output=True, timeout=300, check=False
    )
    peak, seconds = hwm.read_text().split() if hwm.is_file() else ("-1", "inf")
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"), float(seconds), int(peak)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (big_integer, "row 1: not valid JSON (parse error: integer overflow)"),
        (deep_nesting, "row 1: nested more than 64 levels deep"),
        (huge_string, "row 1: a string longer than 8 MB: not a file an import takes"),
    ],
    ids=["4301-digit-integer", "50000-deep", "60-MB-string"],
)
def test_hostile_geojson_ends_with_one_line_quickly_in_bounded_memory(make: Any, message: str, tmp_path: Path) -> None:
    path = tmp_path / "hostile.geojson"
    make(path)
    code, _out, err, seconds, rss = run_cli(
        ["import", str(path), "--format", "geojson", "--dry-run", "--url", f"sqlite:///{tmp_path / 'db.sqlite3'}"],
        tmp_path,
    )
    assert code in (1, 2), (code, err[-2000:])
    assert "Traceback" not in err and "Error:" not in err, err[-2000:]
    lines = err.strip().splitlines()
    assert lines == [f"atlas import: {path}: {message}"], err[-2000:]
    assert seconds <= MAX_SECONDS, seconds
    assert rss <= MAX_RSS_KB, f"{rss / 1024:.0f} MB"
    print(f"{make.__name__}: exit {code}, {seconds:.1f} CPU s, {rss / 1024:.0f} MB peak RSS")


# -- the reader's bounds, in process -------------------------------------------------------------


def geojson(tmp_path: Path, properties: bytes) -> Path:
    path = tmp_path / "x.geojson"
    path.write_bytes(HEAD + properties + b"}]}")
    return path


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    depth = readers.MAX_DEPTH - 4  # the file's object, the features array, the feature, its properties
    path = geojson(tmp_path, b'{"name": "A", "x": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b"}")
    (row,) = list(read(path, "geojson")[0])
    assert row.values["x" + ".a" * depth] == 1.0
    deeper = geojson(tmp_path, b'{"name": "A", "x": ' + b"[" * (depth + 1) + b"]" * (depth + 1) + b"}")
    with pytest.raises(InputError, match=r"row 1: nested more than 64 levels deep$"):
        list(read(deeper, "geojson")[0])


def test_an_element_with_too_many_values_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_EVENTS", 100)
    path = geojson(tmp_path, json.dumps({f"k{i}": i for i in range(200)}).encode())
    with pytest.raises(InputError, match="row 1: more than 100 values in one element"):
        list(read(path, "geojson")[0])


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_a_long_string_is_caught_across_chunks_and_escapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(readers, "CHUNK", chunk)
    monkeypatch.setattr(readers, "MAX_TOKEN", 50)
    fine = '{"name": "' + 'a\\"b\\\\' * 7 + '"}'  # 49 bytes of string with escaped quotes and backslashes
    assert next(iter(read(geojson(tmp_path, fine.encode()), "geojson")[0])).values["name"] == 'a"b\\' * 7
    long = '{"name": "' + 'a\\"b\\\\' * 9 + '"}'  # the escaped quotes do not end the string
    with pytest.raises(InputError, match="row 1: a string longer than 50 bytes"):
        list(read(geojson(tmp_path, long.encode()), "geojson")[0])
    number = '{"n": 0.' + "1" * 200 + "}"  # longer than the limit and a chunk: it spans a chunk end
    with pytest.raises(InputError, match="row 1: a number longer than 50 bytes"):
        list(read(geojson(tmp_path, number.encode()), "geojson")[0])


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(json_values, max_size=5), st.sampled_from([1, 2, 5, 16, 65536]))
def test_any_json_reads_as_the_standard_parser_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, items: list[Any], chunk: int
) -> None:
    """The event builder and the guard change nothing: every element is what `json.loads` gives."""
    monkeypatch.setattr(readers, "CHUNK", chunk)
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"type": "x", "data": items, "after": [[1]]}, ensure_ascii=False), encoding="utf-8")
    assert list(readers._json_items(path, "data", bare_list=True)) == items
    path.write_text(json.dumps(items), encoding="utf-8")
    assert list(readers._json_items(path, "data", bare_list=True)) == items


def test_flatten_is_iterative_and_keeps_the_depth_first_order() -> None:
    deep: Any = 1
    for _ in range(5000):  # far beyond Python's recursion limit
        deep = {"a": deep}
    assert flatten({"x": deep}) == {"x" + ".a" * 5000: 1}
    assert list(flatten({"b": {"c": 1, "d": [{"e": 2}, {"f": [3, 4]}]}, "a": "z"}).items()) == [
        ("b.c", 1),
        ("b.d.0.e", 2),
        ("b.d.1.f", [3, 4]),
        ("a", "z"),
    ]


def test_a_deeply_nested_hsds_descriptor_is_refused_in_one_line(tmp_path: Path) -> None:
    """`datapackage.json` was read with json.loads: 100,000 levels ended in a RecursionError traceback."""
    (tmp_path / "organizations.csv").write_text("id,name\n1,A\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputError, match=r"datapackage.json: nested more than 64 levels deep$"):
        list(read(tmp_path, "hsds")[0])
    (tmp_path / "datapackage.json").write_text('{"name": "x", "resources": [}', encoding="utf-8")
    with pytest.raises(InputError, match=r"datapackage.json: not valid JSON \(parse error: .*\)$"):
        list(read(tmp_path, "hsds")[0])
