"""The link's query string: decoding never fails, what it cannot use is reported, encode/decode round-trip."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.categories import CATEGORY_IDS
from atlas.filters import Filters
from atlas.i18n import LANGS
from atlas.regions import regions
from atlas.schema import KINDS, ODC_STATUSES
from atlas.urlstate import MAX_QUERY, UrlState, View, decode, encode

SETTINGS = settings(max_examples=100, deadline=None)
KNOWN = ("lang", "country", "region", "category", "kind", "status", "q", "view", "inview", "article", "entry")
REGION_CODES = tuple(regions())
CODES = tuple(sorted(c.alpha_2 for c in pycountry.countries))

values = st.one_of(st.text(), st.lists(st.text(), max_size=3), st.none(), st.integers(), st.floats())
likely_keys = st.one_of(st.sampled_from(KNOWN), st.text(max_size=10))
plausible = st.one_of(
    st.text(),
    st.sampled_from(
        [
            "",
            ",",
            "FR,BE",
            "fr",
            "FR,,BE",
            "XX",
            "45.7,4.8,6",
            "nan,nan,5",
            "1e999,0,3",
            "0,0,99",
            "1,2",
            "1,2,3,4",
            "1",
            "0",
            "yes",
            "en",
            "fr",
            "de",
            "open,planned",
            "odc",
            "training,civic_tech",
            "٣,٣,٣",
            "9" * 5000,
        ]
    ),
)


@SETTINGS
@given(st.dictionaries(likely_keys, st.one_of(values, plausible), max_size=12))
def test_decode_never_raises(params):
    state = decode(params)
    assert state.lang in LANGS
    assert all(c in CODES for c in state.filters.countries)
    assert set(state.filters.categories) <= set(CATEGORY_IDS)
    assert set(state.filters.kinds) <= set(KINDS)
    assert set(state.filters.statuses) <= set(ODC_STATUSES)
    for field in ("countries", "categories", "kinds", "statuses"):
        chosen = getattr(state.filters, field)
        assert len(chosen) == len(set(chosen)), f"{field} repeats a value: {chosen}"
    assert len(state.filters.query) <= MAX_QUERY and len(state.article) <= 100
    if state.view is not None:
        assert -90 <= state.view.lat <= 90 and -180 <= state.view.lon <= 180 and 1 <= state.view.zoom <= 18
    assert all(isinstance(i, str) for i in state.ignored)
    encode(state)  # whatever was decoded can be written back


@pytest.mark.parametrize(
    ("params", "reported"),
    [
        ({"lang": "de"}, "lang=de"),
        ({"country": "FR,XX,France"}, "country=XX,France"),
        ({"country": "12"}, "country=12"),
        ({"category": "training,nope"}, "category=nope"),
        ({"kind": "company"}, "kind=company"),
        ({"status": "closed"}, "status=closed"),
        ({"view": "91,0,5"}, "view=91,0,5"),
        ({"view": "45,4,0"}, "view=45,4,0"),
        ({"view": "45,4"}, "view=45,4"),
        ({"view": "nan,4,5"}, "view=nan,4,5"),
        ({"inview": "yes"}, "inview=yes"),
        ({"utm_source": "x"}, "utm_source"),
    ],
)
def test_invalid_values_are_reported(params, reported):
    assert reported in decode(params).ignored


invalid = {
    "lang": st.sampled_from(["de", "EN", "english", " fr", "x"]),
    "country": st.sampled_from(["XX", "FRA", "France", "F", "1", "UK", "E1"]),
    "category": st.text(min_size=1, max_size=6).filter(
        lambda v: "," not in v and v.strip() not in CATEGORY_IDS and v.strip()
    ),
    "kind": st.sampled_from(["org", "ODC", "company"]),
    "status": st.sampled_from(["closed", "Open", "soon"]),
    "view": st.sampled_from(["91,0,5", "0,181,5", "0,0,19", "0,0,0", "a,b,c", "1,2", "inf,0,3", "1,2,3,4"]),
    "inview": st.sampled_from(["yes", "true", "2", "on"]),
    "region": st.sampled_from(["1", "001", "EU", "Europe", "999", "11"]),
    "entry": st.sampled_from(["Soga", "a b", "<x>", "../x", "-x", "x" * 101]),
}
valid = {
    "lang": st.sampled_from(LANGS),
    "country": st.lists(
        st.sampled_from(CODES).flatmap(lambda c: st.sampled_from([c, c.lower(), c.title()])), min_size=1, max_size=3
    ).map(",".join),
    "category": st.lists(st.sampled_from(CATEGORY_IDS), min_size=1, max_size=3).map(",".join),
    "kind": st.sampled_from(KINDS),
    "status": st.lists(st.sampled_from(ODC_STATUSES), min_size=1, max_size=2).map(",".join),
    "view": st.tuples(st.integers(-90, 90), st.integers(-180, 180), st.integers(1, 18)).map(
        lambda v: ",".join(map(str, v))
    ),
    "inview": st.sampled_from(["", "0", "1"]),
    "region": st.lists(st.sampled_from(REGION_CODES), min_size=1, max_size=3).map(",".join),
    "entry": st.sampled_from(["soga", "odc-tn-tunis", "x" * 100]),
}


@SETTINGS
@given(st.data())
def test_each_invalid_parameter_is_reported_and_only_those(data):
    params, bad = {}, set()
    for key in invalid:
        choice = data.draw(st.sampled_from(["absent", "valid", "invalid"]), label=key)
        if choice == "valid":
            params[key] = data.draw(valid[key], label=key)
        elif choice == "invalid":
            params[key] = data.draw(invalid[key], label=key)
            bad.add(key)
    ignored = decode(params).ignored
    reported = {entry.split("=", 1)[0] for entry in ignored}
    assert reported == bad, (params, ignored)


def _states():
    lists = lambda items, n: st.lists(st.sampled_from(items), max_size=n, unique=True).map(tuple)  # noqa: E731
    views = st.builds(
        View,
        st.integers(-900_000, 900_000).map(lambda x: x / 10_000),
        st.integers(-1_800_000, 1_800_000).map(lambda x: x / 10_000),
        st.integers(1, 18),
    )
    return st.builds(
        UrlState,
        lang=st.sampled_from(LANGS),
        filters=st.builds(
            Filters,
            countries=lists(CODES, 4),
            categories=lists(CATEGORY_IDS, 3),
            kinds=lists(KINDS, 2),
            statuses=lists(ODC_STATUSES, 2),
            query=st.text(max_size=MAX_QUERY),
            regions=lists(REGION_CODES, 3),
        ),
        in_view=st.booleans(),
        view=st.one_of(st.none(), views),
        article=st.text(max_size=100).filter(lambda a: a != ""),
        entry=st.sampled_from(["", "soga", "odc-sn-dakar"]),
    ) | st.just(UrlState())


@SETTINGS
@given(_states())
def test_encode_then_decode_gives_the_same_state(state):
    params = encode(state)
    assert all(v for v in params.values()), "defaults are left out"
    assert decode(params) == state


@SETTINGS
@given(_states())
def test_round_trip_through_a_real_query_string(state):
    query = urlencode(encode(state))
    assert decode(dict(parse_qsl(query, keep_blank_values=True))) == state


def test_defaults_give_an_empty_query_string():
    assert encode(UrlState()) == {}
    assert decode({}) == UrlState()


def test_duplicates_and_case_collapse():
    state = decode({"country": "FR,fr,Fr,BE", "category": "training,training", "status": "open,open"})
    assert state.filters.countries == ("FR", "BE")
    assert state.filters.categories == ("training",)
    assert state.filters.statuses == ("open",)
    assert state.ignored == ()
    assert encode(state)["country"] == "FR,BE"


def test_a_permalink_names_one_entry_and_a_region_link_its_regions():
    state = decode({"entry": "odc-sn-dakar", "region": "011,150,011"})
    assert state.entry == "odc-sn-dakar"
    assert state.filters.regions == ("011", "150")
    assert encode(state) == {"entry": "odc-sn-dakar", "region": "011,150"}
    assert decode({"entry": "<script>", "region": "EU"}).ignored == ("region=EU", "entry=<script>")


def test_the_share_link_and_the_embed_code_carry_the_view():
    from atlas.urlstate import embed_code, share_url

    state = decode({"lang": "fr", "region": "011", "q": "café & co", "entry": "odc-sn-dakar"})
    url = share_url("http://atlas.example/?old=1", state)
    assert url == "http://atlas.example/?lang=fr&region=011&q=caf%C3%A9%20%26%20co&entry=odc-sn-dakar"
    assert decode(dict(parse_qsl(url.split("?", 1)[1]))) == state
    embedded = share_url("http://atlas.example", state, embed=True)
    assert embedded.endswith("&embed=true")
    code = embed_code(embedded, 'Atlas "de" la Social Tech')
    assert code.startswith('<iframe src="http://atlas.example/?lang=fr&amp;region=011&amp;q=caf%C3%A9')
    assert 'title="Atlas &quot;de&quot; la Social Tech" width="600" height="450"' in code
    assert share_url("http://atlas.example/", UrlState()) == "http://atlas.example/"
    assert share_url("https://x.org/atlas/map", UrlState(lang="fr")) == "https://x.org/atlas/map?lang=fr"
