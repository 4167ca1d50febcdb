"""The Moderate page's Sources tab: every import source at a glance, and the runs to act on.

One row per source (`atlas import`, `atlas sync`): its format, where it comes from (its URL, or a
file), its last run and that run's counts, how many of its entries wait for a moderator or are no
longer in the source, the next step, and its licence and attribution as stored on `import_sources`
("unknown licence" said plainly when none was given). The values (names, URLs, licences) are shown
in a data frame, as plain text: a licence URL is never made a link.

Below the list, the runs a moderator can act on, each in a box of its own: a run with pending rows
offers "Publish the N pending rows of this run" (`atlas import publish SOURCE --run N`), and each
source's latest run not undone offers "Undo this run" (`atlas import undo SOURCE --run N`) behind a
confirmation box. Both callbacks go through `moderate_common.act`, which checks again, at the click,
that the session is a moderator's and names the moderator to the store (who published or undid the
run is recorded on the run, and on every revision it decides).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.i18n import t, tn
from atlas.imports.sync import overview
from atlas.store.imports import SourceReview, publish_run, review, undo_run
from atlas.store.store import Store
from atlas.ui import moderate_common as common
from atlas.ui import state
from atlas.ui.state import item_key


def next_step_text(step: str, n: int, lang: str) -> str:
    """The next step of SourceOverview.next_step() in words."""
    if step == "review":
        return tn("sources_next_review", n, lang)
    if step == "gone":
        return tn("sources_next_gone", n, lang)
    return t("sources_next_sync", lang) if step == "sync" else t("sources_next_file", lang)


def source_table(store: Store, lang: str, reviews: list[SourceReview] | None = None) -> pd.DataFrame:
    licences = {r.name: r for r in (review(store) if reviews is None else reviews)}
    rows = []
    for source in overview(store):
        summary = source.last_summary
        step, n = source.next_step()
        found = licences.get(source.name)
        rows.append(
            {
                t("sources_col_name", lang): source.name,
                t("sources_col_format", lang): source.format,
                t("sources_col_origin", lang): source.url or t("sources_file", lang),
                t("sources_col_last_run", lang): common.when(source.last_run_at),
                t("sources_col_last_counts", lang): t(
                    "sources_counts",
                    lang,
                    rows=int(summary.get("rows", 0)),
                    new=int(summary.get("new", 0)) + int(summary.get("duplicate", 0)),
                    update=int(summary.get("update", 0)),
                    error=int(summary.get("error", 0)),
                    gone=int(summary.get("gone", 0)),
                ),
                t("sources_col_entries", lang): source.entries,
                t("sources_col_pending", lang): source.pending,
                t("sources_col_next", lang): next_step_text(step, n, lang),
                t("sources_col_licence", lang): (found.licence if found else "") or t("sources_licence_unknown", lang),
                t("sources_col_attribution", lang): (found.attribution if found else "")
                or t("sources_attribution_none", lang),
            }
        )
    return pd.DataFrame(rows)


def render_sources(store: Store, lang: str) -> None:
    st.caption(t("sources_help_actions", lang))
    reviews = review(store)
    table = source_table(store, lang, reviews)
    if table.empty:
        st.info(t("sources_empty", lang), icon=":material/inbox:")
        return
    st.dataframe(table, hide_index=True, width="stretch")
    st.subheader(t("sources_runs_title", lang))
    runs = [(source, run) for source in reviews for run in source.runs]
    if not runs:
        st.info(t("sources_runs_none", lang), icon=":material/inbox:")
    for source, run in runs:
        _run_box(source.name, run.id, run.started_at, run.author, run.pending, run.latest, lang)


def _run_box(source: str, run_id: int, at: object, author: str, pending: int, latest: bool, lang: str) -> None:
    with st.container(border=True, key=item_key("run", run_id)):
        st.markdown(t("sources_run_head", lang, run=int(run_id)))
        st.text(  # the source's name and the run's author are outside text: plain text only
            t("sources_run_meta", lang, source=source, run=run_id, at=common.when(at), by=author, n=int(pending))
        )
        if pending:
            st.button(
                t("sources_publish_run", lang, n=int(pending)),
                key=item_key("publishrun", run_id),
                type="primary",
                icon=":material/publish:",
                on_click=_publish,
                args=(source, run_id, lang),
            )
        if latest:
            sure = st.checkbox(t("sources_undo_confirm", lang, run=int(run_id)), key=item_key("undosure", run_id))
            st.button(
                t("sources_undo_run", lang),
                key=item_key("undorun", run_id),
                icon=":material/undo:",
                disabled=not sure,
                on_click=_undo,
                args=(source, run_id, lang),
            )


# -- the actions (widget callbacks: `common.act` checks the moderator again, at the click) -----------


def _publish(source: str, run_id: int, lang: str) -> None:
    done: dict[str, int] = {}

    def publish(store: Store, moderator: str) -> None:
        done.update(publish_run(store, source, run_id, moderator))

    if common.act(lang, f"run{run_id}", publish, "sources_published"):
        state.set_flash("success", t("sources_published", lang, run=int(run_id), n=int(done["published"])), source)


def _undo(source: str, run_id: int, lang: str) -> None:
    if state.widget_value(item_key("undosure", run_id)) is not True:  # the button's disabled state is the page's
        state.set_flash("error", t("sources_undo_confirm_first", lang))
        return
    done: dict[str, int] = {}

    def undo(store: Store, moderator: str) -> None:
        done.update(undo_run(store, source, run_id, who=f"moderator:{moderator}"))

    if common.act(lang, f"run{run_id}", undo, "sources_undone"):
        state.set_flash(
            "success",
            t(
                "sources_undone",
                lang,
                run=int(run_id),
                withdrawn=int(done["withdrawn"]),
                reverted=int(done["reverted"]),
                rejected=int(done["rejected"]),
                gone=int(done["gone_cleared"]),
            ),
            source,
        )
