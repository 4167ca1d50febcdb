"""A file built on a download click survives other sessions' reruns until the browser fetches it.

Streamlit stores what a deferred download button's callable returns without any session's
reference and deletes such files at the second clean-up after any session's run: under twenty
visitors (`make load`) 98 of 246 CSV downloads answered 404 (issue 26).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit import runtime
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from atlas.data import load_atlas
from atlas.filters import Filters
from atlas.ui import table_panel, views

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def media(monkeypatch) -> MediaFileManager:
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    monkeypatch.setattr(runtime, "exists", lambda: True)
    monkeypatch.setattr(runtime, "get_instance", lambda: SimpleNamespace(media_file_mgr=manager))
    return manager


def test_a_file_built_on_a_click_outlives_the_clean_ups_of_other_sessions_runs(media) -> None:
    frame = load_atlas(FIXTURES / "small_atlas").frame
    view = views.view("files:test", "r-click", Filters(), "en")
    assert views.built(view, "csv") is None
    on_click = table_panel._file(view, "csv", frame, "text/csv", "atlas.csv")
    assert callable(on_click)  # nothing built with the page
    file_id = media.add_deferred(on_click, "text/csv", "1.2.3", file_name="atlas.csv")
    url = media.execute_deferred(file_id)  # the visitor's click
    for _ in range(3):  # three other sessions finish a run before this browser asks for the file
        media.remove_orphaned_files()
    stored = media.read_file(url.rsplit("/", 1)[1].split(".")[0])
    assert stored is not None and stored.content == views.built(view, "csv")
    assert stored.content.decode("utf-8-sig").count("\r\n") == len(frame) + 1
    # once built, the next run of any session showing this view sends the file with the page
    assert table_panel._file(view, "csv", frame, "text/csv", "atlas.csv") == stored.content
