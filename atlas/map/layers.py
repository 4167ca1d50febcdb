"""The whole atlas as the map's static layers: packed once per atlas revision and language into a
file the browser fetches once (`atlas.map.files`), with what the server needs to say later, on
each rerun, which of those points to show (`atlas.map.update`)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from atlas.map import files
from atlas.map.elements import to_json
from atlas.map.legend import legend_html
from atlas.map.points import columns, map_columns, pack_points

RICH_POPUP_LIMIT = 3_000  # up to this many entries, popups carry description and website
LAYER_KINDS = {"organisations": "organisation", "odcs": "odc"}  # layer key -> kind of its entries
log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class AtlasLayers:
    """The atlas's point layers as published: one file, and per layer the rows of its points in order."""

    url: str | None  # the packed points of every layer: {layer key: `pack_points` payload}; None: not published
    rows: dict[str, pd.Index]  # layer key -> index labels (in the atlas frame) of its points, in order
    ids: dict[str, pd.Index]  # layer key -> entry ids of its points, in the same order
    legend: str  # the legend's rows: every marker style of the atlas (escaped HTML)
    rich: bool  # whether popups carry descriptions and websites
    text: str  # the file's content (published again if the file goes missing)

    def source(self, key: str) -> dict[str, Any]:
        """What the map's point layer `key` is made from: its part of the file, or (when the file
        could not be written) the payload itself, in the map's script."""
        return {"url": self.url, "part": key} if self.url else json.loads(self.text)[key]

    def ensure(self, directory: Path = files.GENERATED_DIR) -> None:
        """Publish the file again if it is gone (pruned by another process, a clean-up)."""
        if self.url and not files.url_path(self.url, directory).is_file():
            files.publish(self.text, "points", directory)


def atlas_layers(full: pd.DataFrame, lang: str, directory: Path = files.GENERATED_DIR) -> AtlasLayers:
    """Pack every located entry of `full` into one layer per kind and publish them."""
    rich = len(full) <= RICH_POPUP_LIMIT
    frame = full[map_columns(full, lang, rich, highlight=True)]
    kind = frame["kind"].to_numpy()
    payloads, rows, ids = {}, {}, {}
    for key, value in LAYER_KINDS.items():
        part = frame[kind == value]
        data = columns(part, lang, rich)  # located rows only, in frame order
        located = part["lat"].notna().to_numpy() & part["lon"].notna().to_numpy()
        payloads[key] = pack_points(data)
        rows[key] = pd.Index(data["row"])
        ids[key] = pd.Index(part["id"].to_numpy()[located])
    text = to_json(payloads)
    try:
        url: str | None = files.publish(text, "points", directory)
    except OSError as exc:  # a read-only static folder: the map still works, its script carries the points
        log.warning("the map's points file cannot be written (%s): the points travel with every rerun", exc)
        url = None
    return AtlasLayers(url, rows, ids, legend_html(full, lang, with_places=True), rich, text)


def shown_mask(layer_rows: pd.Index, rows: pd.Index) -> np.ndarray:
    """For each point of a layer, whether its row is among `rows`."""
    return layer_rows.isin(rows)
