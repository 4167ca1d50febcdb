"""The proof of work asked of a visitor's browser when the moderators' queue is under pressure: the
store's challenge, the page script that finds the answer (static/atlas/proof.mjs), where the person stands."""

from __future__ import annotations

from functools import cache
from typing import Any

import streamlit as st

from atlas import assets
from atlas.i18n import t
from atlas.store.source import UNREACHABLE
from atlas.store.store import Store
from atlas.ui import form_state, state

PROOF_COMPONENT = "form_proof_work"


@cache
def _proof_component() -> Any:
    return st.components.v2.component("atlas_proof", js=(assets.OWN_DIR / "proof.mjs").read_text(encoding="utf-8"))


def ask(store: Store, visitor: dict[str, str], lang: str) -> None:
    """The queue is under pressure: ask this visitor's browser for a proof of work, then a new send."""
    try:
        challenge = store.challenge(visitor["client"], visitor["session"])
    except UNREACHABLE:
        st.error(t("contribute_outage", lang), icon=":material/cloud_off:")
        return
    # None: the pressure went down meanwhile, and sending again will do
    form_state.set_form_challenge(None if challenge is None else (challenge.seed, challenge.bits))
    st.rerun()


def _solved() -> None:
    value = state.component_trigger(PROOF_COMPONENT, "solved")
    if value:
        form_state.set_form_proof(str(value))


def render(lang: str) -> None:
    """While a proof is asked: the script that finds it, and where the person stands."""
    asked = form_state.form_challenge()
    if not asked:
        return
    if form_state.form_proof():
        st.info(t("contribute_proof_ready", lang), icon=":material/check:")
        return
    seed, bits = asked
    st.info(t("contribute_proof_working", lang), icon=":material/hourglass:")
    _proof_component()(key=PROOF_COMPONENT, data={"seed": seed, "bits": bits}, on_solved_change=_solved)
