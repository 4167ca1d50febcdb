"""The Moderate page's Duplicates tab through AppTest, on a real database (the fixtures of
tests/test_moderate.py): pairs side by side, merge with a field from the other entry, "not the
same" remembered, paging, and no decision without a moderator."""

from __future__ import annotations

from atlas.moderation import merge_choices, pair_rows, reason_text
from atlas.store.store import Store
from tests import test_moderate
from tests.store.records import new_org
from tests.test_moderate import MODERATOR, click, page, texts

store = test_moderate.store  # the same fixture: a seeded database, a moderator allowed

TWIN = {"name": "Alpha Civic Lab (Lyon)", "lat": 45.764, "lon": 4.8357, "website": "https://alpha.example.org/about"}


def a_pair(store: Store):
    """A submission that duplicates the published `alpha-civic`, proposed as a pair."""
    done = store.submit("organisation", new_org(**TWIN))
    (found,) = store.propose_duplicates()
    assert found.new and {found.entry_a, found.entry_b} == {"alpha-civic", done.entry_id}
    (pair,) = store.duplicate_pairs().items
    return pair, done.entry_id


def duplicates_tab(email: str = MODERATOR, lang: str = "en"):
    at = page(email=email, lang=lang)
    at.session_state["mod_tabs"] = "Doublons" if lang == "fr" else "Duplicates"
    at.run()
    assert not at.exception, at.exception
    return at


def pair_heads(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(("**Pair #", "**Paire n°"))]


def test_a_pair_is_shown_side_by_side_field_by_field(store) -> None:
    pair, twin = a_pair(store)
    at = duplicates_tab()
    assert pair_heads(at) == [f"**Pair #{pair.pair_id}** · likeness 100 %"]
    assert "1 pair waiting" in [c.value for c in at.caption]
    assert "Why: same name but the city; same website; same city" in texts(at)
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["Field", "A: alpha-civic", f"B: {twin}", "Differs"]
    rows = frame.set_index("Field")
    assert rows.loc["Name"].tolist() == ["Alpha Civic Lab", "Alpha Civic Lab (Lyon)", "≠"]
    assert rows.loc["State"].tolist() == ["published", "waiting for a decision", "≠"]
    assert rows.loc["City"].tolist()[2] == ""  # the same on both sides
    assert at.selectbox(key=f"mod_keep_{pair.pair_id}").value == "alpha-civic"  # the published one stays


def test_a_moderator_merges_a_pair_and_both_histories_trace_it(store) -> None:
    pair, twin = a_pair(store)
    at = duplicates_tab()
    at.selectbox(key=f"mod_take_{pair.pair_id}_website").set_value(twin)
    at.text_input(key=f"mod_pairnote_{pair.pair_id}").input("same lab, their new page")
    click(at, f"mod_merge_{pair.pair_id}")
    assert at.success[0].value.startswith("Merged")
    assert f"{twin} → alpha-civic" in texts(at)
    kept, gone = store.entry("alpha-civic"), store.entry(twin)
    assert kept["state"] == "published" and kept["website"] == TWIN["website"] and kept["name"] == "Alpha Civic Lab"
    assert gone["state"] == "duplicate" and gone["duplicate_of"] == "alpha-civic"
    merged = store.history("alpha-civic", public=False)[-1]
    assert merged.action == "merge" and merged.decided_by == f"moderator:{MODERATOR}"
    assert merged.decision_note == "same lab, their new page" and "merged" in merged.fields
    assert store.history(twin, public=False)[-1].action == "state"
    assert pair_heads(at) == [] and any("No duplicate pair" in i.value for i in at.info)
    assert store.duplicate_pair(pair.pair_id).status == "merged"


def test_not_the_same_makes_the_pair_go_away_and_stay_away(store) -> None:
    pair, twin = a_pair(store)
    at = duplicates_tab()
    click(at, f"mod_notsame_{pair.pair_id}")
    assert at.success[0].value.startswith("Not the same: remembered")
    assert pair_heads(at) == []
    click(at, "mod_pairs_find")  # the matcher runs again over the whole atlas
    assert at.success[0].value == "Duplicate search done: 0 new pairs."
    assert pair_heads(at) == []
    assert [p.new for p in store.propose_duplicates()] == [False]
    assert store.entry(twin)["state"] == "pending" and store.entry("alpha-civic")["state"] == "published"


def test_look_for_duplicates_queues_new_pairs_and_they_are_paged(store) -> None:
    for n in range(6):
        for city_twin in ("", " "):
            store.submit(
                "organisation", new_org(name=f"Collectif Numero{n}{city_twin}", website=f"https://c{n}.example")
            )
    at = duplicates_tab()
    assert any("No duplicate pair" in i.value for i in at.info)
    click(at, "mod_pairs_find")
    assert at.success[0].value == "Duplicate search done: 6 new pairs."
    assert "6 pairs waiting" in [c.value for c in at.caption] and len(pair_heads(at)) == 5
    click(at, "_mod_pair_page_next")
    assert len(pair_heads(at)) == 1 and "Page 2 of 2" in texts(at)
    (last,) = store.duplicate_pairs(page=1, size=5).items
    click(at, f"mod_notsame_{last.pair_id}")  # the last page emptied: back to the one before
    assert len(pair_heads(at)) == 5 and "Page 2 of 2" not in texts(at)


def test_a_non_moderator_cannot_act(store, monkeypatch) -> None:
    pair, twin = a_pair(store)
    visitor = duplicates_tab(email="visitor@example.org")
    assert "may not moderate" in visitor.error[0].value and pair_heads(visitor) == []
    at = duplicates_tab()
    monkeypatch.setenv("ATLAS_MODERATORS", "other@example.org")  # removed while the page is open
    click(at, f"mod_merge_{pair.pair_id}")
    assert "may not moderate" in at.error[0].value
    assert store.duplicate_pair(pair.pair_id).status == "pending" and store.entry(twin)["state"] == "pending"


def test_french(store) -> None:
    pair, _twin = a_pair(store)
    at = duplicates_tab(lang="fr")
    assert pair_heads(at) == [f"**Paire n° {pair.pair_id}** · ressemblance 100 %"]
    assert "Pourquoi : même nom, la ville mise à part; même site web; même ville" in texts(at)
    assert [b.label for b in at.button if b.key and b.key.startswith("mod_")][-2:] == ["Fusionner", "Pas les mêmes"]


def test_the_pure_helpers() -> None:
    assert reason_text("other words (lyon / paris)", "fr") == "mots différents (lyon / paris)"
    assert reason_text("1.5 km apart", "fr") == "à 1,5 km l'une de l'autre"
    assert reason_text("name 93%", "en") == "names 93% alike"
    assert reason_text("something new", "fr") == "something new"
    rows = pair_rows({"name": "A", "city": None}, {"name": "B", "city": float("nan")}, ["name", "city"])
    assert [(r.field, r.differs) for r in rows] == [("name", True)]
    assert merge_choices("a", "b", {"name": "b", "city": "a", "website": None}) == {"name": "b"}


def test_where_a_position_comes_from_is_said_in_the_page_language() -> None:
    from atlas.ui.moderate_common import shown_value

    assert shown_value("geo_source", "manual", "fr") == "placé à la main (manual)"
    assert shown_value("geo_source", "cache:gazetteer", "en") == "offline gazetteer (cache:gazetteer)"
    assert shown_value("geo_source", "opencage", "en") == "opencage"  # a service without a name of ours
