"""A contributor's private follow link (issue 25): made for a proposal just stored, e-mailed when
they gave an address and SMTP is set (atlas/notify.py), and shown after sending, to keep."""

from __future__ import annotations

import streamlit as st

from atlas import notify
from atlas.i18n import t
from atlas.store import follow as follow_links
from atlas.store.source import UNREACHABLE
from atlas.store.store import Store
from atlas.ui import safe, share
from atlas.ui.form_state import FormSent
from atlas.web.follow import follow_path


def make(store: Store, revision_id: int, contact: str, lang: str) -> tuple[str, bool]:
    """A follow page for the proposal just stored, and whether its link was e-mailed to `contact`.
    ("", False) when the database failed meanwhile: the proposal is stored, the page says its reference."""
    try:
        token = follow_links.create(store, revision_id, lang)
    except UNREACHABLE:
        return "", False
    url = share.site_root(share.page_base()) + follow_path(token)
    mailed = bool(contact) and notify.send_follow_link(contact, url, revision_id, lang)
    return url, mailed


def show(sent: FormSent, lang: str) -> None:
    """After sending: the private follow link, to keep (and to open), and whether it was e-mailed."""
    if not sent.follow_url:
        return
    with st.container(border=True, key="form_follow"):
        st.subheader(t("contribute_follow_heading", lang))
        st.caption(t("contribute_follow_text", lang))
        safe.code(sent.follow_url)
        st.link_button(t("contribute_follow_open", lang), sent.follow_url, icon=":material/open_in_new:")
        if sent.mailed:
            st.caption(t("contribute_follow_mailed", lang))
