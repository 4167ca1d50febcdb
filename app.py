"""Social Tech Atlas — the Streamlit app. Run with `make run` (or `streamlit run app.py`).

Two things live here. `app` is the ASGI application (`streamlit.starlette.App`) that `streamlit
run` finds in this file: the page, plus the routes of `atlas/web/` (the read API, entry pages,
feeds) served by the same process on the same port. The block under `__main__` is the page
script that Streamlit runs on every rerun (Streamlit runs it as `__main__`; uvicorn imports this
file as the module `app`, which builds the ASGI application only).

The pages live in `atlas/ui/pages/` and are listed in `atlas/ui/navigation.py`; the page script
only sets the page up, draws what every page shares (the language switch, the page's own script)
and hands over to `st.navigation`. The Moderate page checks who is signed in itself: a direct URL
is not a way in.
"""

from __future__ import annotations

import streamlit as st
from streamlit.starlette import App

if __name__ == "__main__":
    from atlas.ui import navigation, page_script, state
    from atlas.ui.sidebar import render_language

    st.set_page_config(page_title="Social Tech Atlas", page_icon="🗺️", layout="wide")
    state.init_from_url()
    # In a partner's frame (`?embed=true`) the map page is all there is: no page list, no sidebar.
    embedded = bool(st.context.is_embedded)
    current = st.navigation(navigation.pages(), position="hidden" if embedded else "sidebar")
    if not embedded:
        render_language()
    page_script.mount(state.lang())  # <html lang>, skip links, the map frame's name (static/atlas/page.mjs)
    current.run()
else:
    from atlas.web import routes
    from atlas.web.proxy import middleware  # the visitor's address and cookie (the proposal limits)

    app = App("app.py", routes=routes(), middleware=middleware())
