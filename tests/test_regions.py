"""UN M49 regions: the committed table is CLDR's, every region is named in both languages."""

from __future__ import annotations

import json

import pandas as pd
import pycountry

from atlas.regions import CLDR_FILE, CLDR_PACKAGE, REGIONS_FILE, build, countries_in, dumps, region_name, regions
from tests.support import require


def test_the_committed_table_is_what_the_locked_cldr_package_gives() -> None:
    require("cldr-core", present=CLDR_FILE.exists())
    version = json.loads(CLDR_PACKAGE.read_text(encoding="utf-8"))["version"]
    table = json.loads(CLDR_FILE.read_text(encoding="utf-8"))["supplemental"]["territoryContainment"]
    expected = dumps(build(table, f"cldr-core {version} (npm), supplemental/territoryContainment.json"))
    assert REGIONS_FILE.read_text(encoding="utf-8") == expected, "run `python -m atlas.regions`"


def test_west_africa_holds_the_west_african_countries_and_not_the_others() -> None:
    west = regions()["011"]
    assert {"SN", "CI", "ML", "BF", "GN", "GW", "SL", "LR"} <= west.countries
    assert not {"CM", "MA", "FR"} & west.countries
    assert west.parent == "002"
    assert countries_in(["011", "155"]) >= {"SN", "FR", "BE"}
    assert countries_in(["nope"]) == frozenset()


def test_continents_hold_their_sub_regions_and_every_country_has_one() -> None:
    table = regions()
    for code, region in table.items():
        if not region.is_continent:
            assert region.countries <= table[region.parent].countries, code
    continents = [r for r in table.values() if r.is_continent]
    assert sorted(r.code for r in continents) == ["002", "009", "019", "142", "150"]
    placed = set().union(*(r.countries for r in continents))
    assert {c.alpha_2 for c in pycountry.countries} <= placed


def test_every_region_has_a_name_in_english_and_french() -> None:
    for code in regions():
        en, fr = region_name(code, "en"), region_name(code, "fr")
        assert en != code and fr != code, code
    assert region_name("011", "en") == "Western Africa"
    assert region_name("011", "fr") == "Afrique occidentale"
    assert region_name("150", "fr") == "Europe"


def test_every_country_of_the_bundled_data_lies_in_a_region() -> None:
    codes = set(pd.read_csv("data/organisations.csv")["country"]) | set(pd.read_csv("data/odc.csv")["country"])
    assert codes <= countries_in(regions())
