"""The matcher on the hand-labelled pairs (tests/fixtures/dedup/pairs.csv): precision, recall, blocking."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from atlas.matching import (
    LIKELY,
    POSSIBLE,
    candidate_pairs,
    domain,
    find_duplicates,
    name_key,
    prepare,
    score,
    similar,
)

PAIRS = Path(__file__).resolve().parents[1] / "fixtures" / "dedup" / "pairs.csv"


def labelled() -> list[tuple[str, str, dict, dict]]:
    out = []
    with PAIRS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            a = {k[2:]: v for k, v in row.items() if k.startswith("a_")}
            b = {k[2:]: v for k, v in row.items() if k.startswith("b_")}
            for side in (a, b):
                side["geo_precision"] = side.pop("precision")
            out.append((row["label"], row["case"], a, b))
    return out


def confusion() -> Counter[str]:
    counts: Counter[str] = Counter()
    for label, _case, a, b in labelled():
        predicted = score(a, b)[0] >= LIKELY
        counts[("t" if predicted == (label == "same") else "f") + ("p" if predicted else "n")] += 1
    return counts


def test_the_labelled_set_covers_every_case() -> None:
    cases = Counter((label, case) for label, case, _a, _b in labelled())
    for case in ("spelling", "accents", "legal_form", "abbreviation", "moved", "website_path"):
        assert cases["same", case] >= 5, case
    assert cases["different", "same_city_similar_name"] >= 30
    assert cases["different", "same_name_other_country"] >= 15
    assert sum(cases.values()) >= 150


def test_precision_and_recall_on_the_labelled_set() -> None:
    c = confusion()
    precision = c["tp"] / (c["tp"] + c["fp"])
    recall = c["tp"] / (c["tp"] + c["fn"])
    print(f"labelled pairs: {sum(c.values())}; precision {precision:.3f}, recall {recall:.3f} ({dict(c)})")
    assert precision >= 0.95
    assert recall >= 0.90


def test_the_score_is_symmetric_and_bounded() -> None:
    for _label, _case, a, b in labelled():
        ab, ba = score(a, b)[0], score(b, a)[0]
        assert ab == ba and 0.0 <= ab <= 1.0


def test_blocking_proposes_every_true_pair_of_the_labelled_set() -> None:
    """All the labelled records in one atlas: every true pair is among the candidates."""
    records, truth = [], []
    for n, (label, _case, a, b) in enumerate(labelled()):
        records += [prepare(a), prepare(b)]
        if label == "same":
            truth.append((2 * n, 2 * n + 1))
    pairs = candidate_pairs(records)
    assert [t for t in truth if t not in pairs] == []
    assert len(pairs) < len(records) * (len(records) - 1) / 2 / 10  # far fewer than every pair


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Association Emmaüs Connect", "emmaus connect"),
        ("Digital Impact Alliance e.V.", "digital impact alliance"),
        ("Fondation Orange", "foundation orange"),
        ("Stichting Bits of Freedom", "bits freedom"),
        ("Tactical Tech gGmbH", "tactical tech"),
    ],
)
def test_name_keys_drop_legal_forms_but_keep_what_tells_bodies_apart(name: str, key: str) -> None:
    assert name_key(name) == key


def test_website_sites() -> None:
    assert domain("https://www.example.org/fr/a") == "example.org"
    assert domain("https://facebook.com/techforgoodlyon/about") == "facebook.com/techforgoodlyon"
    assert domain("https://www.facebook.com/") == ""
    assert domain("javascript:alert(1)") == ""


def test_the_form_still_lists_possible_entries_best_first() -> None:
    existing = [
        {"id": "emmaus-connect", "name": "Emmaüs Connect", "country": "FR", "city": "Paris"},
        {"id": "emmaus-france", "name": "Emmaüs France", "country": "FR", "city": "Paris"},
        {"id": "bayes", "name": "Bayes Impact", "country": "FR", "city": "Paris"},
    ]
    found = similar({"name": "Emmaus Conect", "country": "FR", "city": "Paris"}, existing)
    assert found[0].id == "emmaus-connect" and found[0].score >= LIKELY
    assert all(c.score >= POSSIBLE for c in found) and "bayes" not in [c.id for c in found]


# Geography, networks, addresses and look-alikes (issue 23 items 1-2, issue 21 item 8)


def place(name: str, city: str, lat: float | None = None, lon: float | None = None, **more: object) -> dict:
    record: dict[str, object] = {"name": name, "city": city, "country": "FR", **more}
    if lat is not None and lon is not None:
        record.update(lat=lat, lon=lon, geo_precision="address")
    return record


def test_a_town_leaves_a_name_only_in_its_own_town() -> None:
    assert score(place("Emmaüs Connect Paris", "Paris"), place("Emmaüs Connect", "Paris"))[0] >= LIKELY
    value, reasons = score(place("CCAS Chalon-sur-Saône", "Chalon-sur-Saône"), place("CCAS de Virey-le-Grand", "Virey"))
    assert value < LIKELY and "same name but the city" not in reasons


def test_branches_of_a_network_in_neighbouring_towns_are_a_family_not_duplicates() -> None:
    clerval = place("MSAP Objectif Emploi Clerval", "Clerval", 47.3935, 6.4972, address="Place de l'Hôtel de Ville")
    sancey = place("MSAP Objectif Emploi Sancey", "Sancey-le-Grand", 47.2982, 6.5859, address="30 bis Rue du Maréchal")
    value, reasons = score(clerval, sancey)
    assert value < LIKELY and "branches of one network" in reasons
    bavans = place("Agence Crédit Agricole Bavans", "Bavans", 47.4796, 6.7315, website="https://www.ca-franchecomte.fr")
    audincourt = place(
        "Agence Crédit Agricole Audincourt", "Audincourt", 47.4796, 6.8407, website="https://www.ca-franchecomte.fr"
    )
    assert score(bavans, audincourt)[0] < LIKELY  # the network's one website is no evidence


def test_one_name_in_two_towns_more_than_2_km_apart_is_two_places() -> None:
    a = place("Ecole primaire", "Vieux-Charmont", 47.5253, 6.8372)
    b = place("Ecole primaire", "Mathay", 47.4374, 6.7825)
    assert score(a, b)[0] < LIKELY
    assert score(place("Ecole primaire", "Vieux-Charmont"), place("Ecole primaire", "Mathay"))[0] < LIKELY


def test_a_networks_shared_phone_and_site_do_not_join_two_addresses() -> None:
    site = "http://www.onlineformapro.com"
    a = place(
        "Onlineformapro",
        "Avallon",
        47.49,
        3.90,
        address="4 Rue de Lyon",
        postcode="89200",
        phone="0373275157",
        website=site,
    )
    b = place(
        "Onlineformapro",
        "Auxerre",
        47.79,
        3.57,
        address="1 Avenue des Plaines de l'Yonne",
        postcode="89000",
        phone="03 73 27 51 57",
        website=site,
    )
    assert score(a, b)[0] < LIKELY


def test_strong_evidence_joins_one_place_listed_under_two_commune_names() -> None:
    a = place(
        "Maison Galilée", "Sens", 48.1975, 3.2832, address="1  rue Jean Cousin", postcode="89100", phone="0386000000"
    )
    b = place(
        "Maison Galilée",
        "Soucy",
        48.2492,
        3.3215,
        address="1 rue Jean Cousin",
        postcode="89100",
        phone="03 86 00 00 00",
    )
    value, reasons = score(a, b)
    assert value >= LIKELY and "same street address" in reasons and "same phone" in reasons


def test_a_second_listing_with_a_transposed_letter_a_few_hundred_metres_away_is_found() -> None:
    a = place("France services de Château-Chinon", "Château-Chinon", 47.0628, 3.9341, address="6 Place Notre Dame")
    b = place("France services de Château-hCinon", "Château-Chinon", 47.0649, 3.9362)
    assert score(a, b)[0] >= LIKELY


def test_a_listing_without_coordinates_is_found_by_its_street_address() -> None:
    a = place("PANDA Grésilles", "DIJON", 47.3297, 5.0690, address="14  rue Camille Claudel", postcode="21000")
    b = place("Panda Gresilles", "Dijon", address="14 r. Camille Claudel, 21000 Dijon")
    value, reasons = score(a, b)
    assert value >= LIKELY and "same street address" in reasons
    records = [
        prepare(place(f"Médiathèque {n}", "Dijon", 47.3 + n / 100, 5.0, address=f"{n} rue X")) for n in range(30)
    ]
    records += [prepare(a), prepare(b)]
    assert (30, 31) in {(i, j) for i, j, _v, _r in find_duplicates(records)}


def test_co_located_organisations_with_other_names_are_not_duplicates() -> None:
    where = {"address": "6 Place Notre Dame", "postcode": "58120", "phone": "0386850000"}
    a = place("Mission Locale Château-Chinon", "Château-Chinon", 47.0628, 3.9341, **where)
    b = place("MFS Maison de la Solidarité Château-Chinon", "Château-Chinon", 47.0628, 3.9341, **where)
    assert score(a, b)[0] < LIKELY


def test_the_bus_of_a_service_is_not_its_fixed_place() -> None:
    a = place(
        "France services Pimms Médiation Rennes", "Rennes", 48.1, -1.68, address="2 Rue du Sous-Lieutenant Yves-Berger"
    )
    b = place(
        "Bus France services Pimms Médiation Rennes",
        "Rennes",
        48.1,
        -1.68,
        address="2 Rue du sous-lieutenant Yves Berger",
    )
    assert score(a, b)[0] < LIKELY


def test_a_renamed_public_service_point_is_found() -> None:
    a = place("MSAP Seurre", "SEURRE", 47.0, 5.15, address="22 Rue de la République", postcode="21250")
    b = place("France services Seurre", "Seurre", 47.0, 5.15, address="22 Rue de la république", postcode="21250")
    assert score(a, b)[0] >= LIKELY


def test_a_look_alike_name_in_cyrillic_letters_is_proposed() -> None:
    existing = [{"id": "emmaus-connect", "name": "Emmaüs Connect", "country": "FR", "city": "Paris"}]
    lookalike = {"name": "ЕmmаüѕСоnnесt", "country": "FR", "city": "Paris"}
    found = similar(lookalike, existing)
    assert [c.id for c in found] == ["emmaus-connect"] and found[0].score >= LIKELY
    assert "look-alike letters" in found[0].reasons
    assert name_key("ЕmmаüѕСоnnесt") == name_key("EmmaüsConnect")
    records = [prepare(existing[0]), prepare(lookalike)]
    assert find_duplicates(records) and find_duplicates(records)[0][:2] == (0, 1)


def test_every_reason_is_shown_in_french() -> None:
    from atlas.moderation import reason_text

    reasons = {r for _label, _case, a, b in labelled() for r in score(a, b)[1]}
    reasons |= {"look-alike letters", "same phone", "same street address", "other street address"}
    reasons |= {"branches of one network", "same page of the same website"}
    assert sorted(r for r in reasons if reason_text(r, "fr") == r) == []
