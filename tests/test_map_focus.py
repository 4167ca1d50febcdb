"""What a rerun tells the map about an entry chosen outside it (issue 25): where to take the map and
which point's record to open; and the Share dialog's embed code, which frames a filtered view."""

from __future__ import annotations

from pathlib import Path

from atlas.data import load_atlas
from atlas.filters import Filters
from atlas.map import View, atlas_layers, map_update, view_bounds
from atlas.ui.share import embed_state
from atlas.urlstate import UrlState
from atlas.urlstate import View as LinkView

FIXTURES = Path(__file__).parent / "fixtures"


def test_an_entry_chosen_outside_the_map_is_framed_opened_and_highlighted(tmp_path) -> None:
    frame = load_atlas(FIXTURES / "small_atlas").frame
    layers = atlas_layers(frame, "en", tmp_path)
    view = View(key="k", fit=view_bounds(frame), focus=(14.6937, -17.4441), open="odc-test-dakar")
    spec = map_update(layers, frame, "en", view, highlight=frozenset({"odc-test-dakar"}))
    focus = spec["view"]["focus"]
    assert focus["center"] == [14.6937, -17.4441] and focus["zoom"] >= 12
    index = focus["open"]["index"]
    assert focus["open"]["layer"] == "odcs" and layers.ids["odcs"][index] == "odc-test-dakar"
    assert spec["layers"]["odcs"]["hl"] == [index]  # its ring: drawn on its own, never in a cluster
    # without a focus (a click on the map itself), the map is not moved
    plain = map_update(layers, frame, "en", View(key="k", fit=view_bounds(frame)))
    assert plain["view"]["focus"] is None


def test_the_embed_code_of_a_filtered_view_frames_its_filters_not_the_map_position() -> None:
    view = LinkView(50.0, 4.0, 3)
    filtered = UrlState(filters=Filters(categories=("training",)), view=view, in_view=True)
    assert embed_state(filtered).view is None and not embed_state(filtered).in_view
    assert embed_state(UrlState(view=view)).view == view  # no filter: the position is what is shared
