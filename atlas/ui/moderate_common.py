"""What the Moderate page's tabs share: the decision runner (`act`), the pager, field rows and labels,
values for a reader, dates. The tabs themselves are `atlas.ui.pages.moderate` (Queue, Entries, Audit
log), `atlas.ui.moderate_duplicates` and `atlas.ui.moderate_articles`.

`act` is how every decision reaches the store: it checks — at the moment of the click — that the
session is a moderator's, names the moderator by the address the identity provider vouched for,
and turns the store's refusals into a message of our own (flashed above the tabs on the next run).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from atlas import labels
from atlas.categories import CATEGORY_IDS, category_label
from atlas.countries import country_name, is_country_code
from atlas.i18n import t, tn
from atlas.moderation import languages_key
from atlas.schema import GEO_PRECISIONS, ODC_STATUSES, SCHEMAS
from atlas.sources import SourceUnavailable
from atlas.store.drafts import StillExtractive, Undecided
from atlas.store.errors import AlreadyDecided, InvalidRecord, NotFound, NothingChanged, StoreError
from atlas.store.store import Store, describe_problem
from atlas.ui import auth, state
from atlas.ui.loaders import current_store
from atlas.ui.state import Key

MAX_SEARCH = 200  # characters of a moderator's search box


def field_rows(rows: list[tuple[str, str]], key: str, lang: str) -> None:
    """A field's label (ours) and its value (plain text, wrapped in its column) on one line each."""
    with st.container(gap="xxsmall", key=key):
        for field, value in rows:
            with st.container(horizontal=True, gap="small", wrap=False):
                st.caption(t(label_key(field), lang), width=150)
                st.text(value, width="stretch")


def shown_value(field: str, value: object, lang: str) -> str:
    """A stored value for a reader: a category or country code with its name."""
    text = cell(value)
    if field == "category" and text in CATEGORY_IDS:
        return f"{category_label(text, lang)} ({text})"
    if field == "country" and is_country_code(text):
        return f"{country_name(text, lang)} ({text})"
    if field == "geo_precision" and text in GEO_PRECISIONS:
        return t(labels.PRECISION[text], lang)
    if field == "status" and text in ODC_STATUSES:
        return t(labels.STATUS[text], lang)
    if field == "geo_source" and text.removeprefix("cache:") in labels.GEO_SOURCE:
        return f"{t(labels.GEO_SOURCE[text.removeprefix('cache:')], lang)} ({text})"
    return text


def editable_fields(kind: str) -> list[str]:
    """The fields of a `kind` entry a moderator can change, in the file's order."""
    return [c for c in SCHEMAS[kind].file_columns if c != "id"]


def pager(key: Key, index: int, pages: int, lang: str) -> None:
    if pages <= 1:
        return
    with st.container(horizontal=True, vertical_alignment="center", key=f"{key}pager"):
        st.button(
            t("moderate_previous", lang),
            key=f"{key}_prev",
            icon=":material/chevron_left:",
            disabled=index <= 0,
            on_click=state.set_page_index,
            args=(key, index - 1),
        )
        st.text(t("moderate_page_of", lang, page=index + 1, pages=pages))
        st.button(
            t("moderate_next", lang),
            key=f"{key}_next",
            icon=":material/chevron_right:",
            disabled=index >= pages - 1,
            on_click=state.set_page_index,
            args=(key, index + 1),
        )


def problem(message: str | None, lang: str) -> None:
    """A refused value's message, next to its field (our words, then the schema's as plain text)."""
    if message:
        st.error(t("moderate_field_refused", lang), icon=":material/error:")
        st.text(message)


def label_key(field: str) -> str:
    """The translation key of a field's label (every data field has one: a test checks it)."""
    return labels.MODERATE_FIELD.get(field, "")


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else repr(value)
    return str(value)


def when(at: object) -> str:
    if not isinstance(at, dt.datetime):
        return ""
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC)
    return at.strftime("%Y-%m-%d %H:%M:%S UTC")


def act(lang: str, item: int | str, action: Callable[[Store, str], object], done: str, detail: str = "") -> bool:
    """Run one decision if — checked now — the session is a moderator's; report the outcome.
    True when the decision was made. `done` is the success message's key ("" when the caller reports it)."""
    if not auth.is_moderator():
        state.set_flash("error", t("moderate_refused", lang))
        return False
    moderator = auth.identity()  # the verified address, else the provider's account (issuer|subject)
    try:
        store = current_store()
        if store is None:
            state.set_flash("error", t("moderate_no_database", lang))
            return False
        action(store, moderator)
    except AlreadyDecided as exc:
        state.set_flash(
            "warning",
            t("moderate_already_title", lang),
            t(
                "moderate_already_decided",
                lang,
                by=moderator_name(exc.by) or t("moderate_someone", lang),
                at=when(exc.at) or "?",
                status=status_word(exc.status, lang),
            ),
        )
    except InvalidRecord as exc:
        state.set_problems(item, {(p.column or "reason"): describe_problem(p) for p in exc.problems})
        state.set_flash("error", t("moderate_invalid", lang))
    except NothingChanged:
        state.set_flash("warning", t("moderate_nothing_changed", lang))
    except NotFound:
        state.set_flash("error", t("moderate_not_found", lang))
    except StillExtractive as exc:
        state.set_flash("error", t("draft_still_extractive", lang, langs=t(languages_key(exc.languages), lang)))
    except Undecided as exc:
        state.set_flash("error", tn("draft_undecided", int(exc.count), lang))
    except (SourceUnavailable, SQLAlchemyError):
        state.set_flash("error", t("moderate_db_unavailable", lang))
    except StoreError as exc:
        state.set_flash("error", t("moderate_failed", lang), str(exc))
    else:
        state.set_problems(item, {})
        if done:  # "": the caller says it (a count, with its plural)
            state.set_flash("success", t(done, lang), detail)
        return True
    return False


def moderator_name(author: str | None) -> str:
    return (author or "").removeprefix("moderator:")


def status_word(status: str, lang: str) -> str:
    return word("status", status, lang)


def word(kind: str, value: str, lang: str) -> str:
    """A stored action or status in the page's language (as stored when it has no translation)."""
    key = labels.MODERATE_WORDS[kind].get(value)
    return t(key, lang) if key else value
