"""What the Moderate page's browser tests share (tests/browser/test_moderate.py and
test_moderate_tabs.py): the site — `oidc-provider-mock` on loopback with its predefined users (two
moderators and a visitor), the secrets file (`[auth]` for `st.login`, `[atlas] moderators`), the real
app on it and its database — and the sign-in a person goes through (Moderate → Sign in → the
provider's page → the user's button → back to the app). The fixtures `site` and
`browser_contexts` are in conftest.py.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from atlas.i18n import t
from atlas.store import open_store
from atlas.store.store import Store
from bench.oidc import MockProvider, User, secrets_toml
from bench.server import AppServer
from tests.browser.conftest import FIXTURES, local_only
from tests.store.records import new_org

TIMEOUT = 30_000
MOD1 = User("mod1", "mod1@example.org", name="First Moderator")
MOD2 = User("mod2", "Mod2@Example.org", name="Second Moderator")  # the allow-list ignores case
VISITOR = User("visitor", "visitor@example.org", name="A Visitor")
MODERATORS = ["mod1@example.org", "mod2@example.org"]


class Site:
    """The provider, the app, its secrets file and its database."""

    def __init__(self, workdir: Path) -> None:
        self.provider = MockProvider([MOD1, MOD2, VISITOR], workdir / "oidc.log")
        self.secrets = workdir / "secrets.toml"
        self.cookie_secret = secrets.token_urlsafe(32)  # long and random: a known one refuses sign-in
        self.write_secrets(MODERATORS)
        self.db_url = f"sqlite:///{workdir / 'atlas.sqlite3'}"
        try:
            self.app = AppServer(
                FIXTURES / "small_atlas",
                workdir,
                env={
                    "ATLAS_ASSETS": "local",
                    "ATLAS_TILES": "none",
                    "ATLAS_DATABASE_URL": self.db_url,
                    "ATLAS_SECRETS": str(self.secrets),
                },
                args=["--secrets.files", str(self.secrets)],
            )
        except Exception:
            self.provider.stop()
            raise
        # seeded from the app's own data folder now, as the app would at its first page
        self.store = open_store(self.db_url, seed_from=FIXTURES / "small_atlas")

    def write_secrets(self, moderators: list[str]) -> None:
        self.secrets.write_text(
            secrets_toml(
                self.provider.metadata_url,
                moderators,
                app_url="http://127.0.0.1:{port}",
                cookie_secret=self.cookie_secret,
            ),
            encoding="utf-8",
        )

    def stop(self) -> None:
        self.store.engine.dispose()
        self.app.stop()
        self.provider.stop()


def new_context(chromium, viewport: dict[str, int] | None = None) -> BrowserContext:
    """A browser profile that reaches this machine only (the app and the provider); what it was
    refused is listed in `context.blocked_requests` (`visit` gives its page that list as
    `page.blocked_requests`, as conftest's `page` fixture does)."""
    context = chromium.new_context(viewport=viewport or {"width": 1400, "height": 1000}, accept_downloads=True)
    context.blocked_requests = local_only(context)
    return context


def visit(
    chromium,
    opened: list[BrowserContext],
    site: Site,
    user: User | None,
    lang: str = "en",
    viewport: dict[str, int] | None = None,
) -> Page:
    """A new browser profile on the Moderate page, signed in as `user` (None: anonymous)."""
    context = new_context(chromium, viewport)
    opened.append(context)
    page = context.new_page()
    page.blocked_requests = context.blocked_requests
    moderate = site.app.url + "/moderate" + ("" if lang == "en" else f"?lang={lang}")
    page.goto(moderate)
    sign_in = page.get_by_role("button", name=t("moderate_sign_in", lang))
    expect(sign_in).to_be_visible(timeout=TIMEOUT)
    if user is None:
        return page
    sign_in.click()
    page.wait_for_url(re.compile(re.escape(site.provider.url)), timeout=TIMEOUT)  # the provider's page
    page.get_by_role("button", name=user.sub, exact=True).click()
    page.wait_for_url(re.compile(re.escape(site.app.url)), timeout=TIMEOUT)  # back, with the cookie
    page.blocked_requests.clear()  # the provider's own page asks for a stylesheet elsewhere: not the app
    page.goto(moderate)
    expect(page.get_by_text(t("moderate_signed_in_as", lang, email=user.email.lower()))).to_be_visible(timeout=TIMEOUT)
    return page


def item(page: Page, revision_id: int):
    return page.locator(f".st-key-mod_item_{revision_id}")


def submit(store: Store, name: str, **fields: object) -> tuple[int, str]:
    done = store.submit("organisation", new_org(name=name, **fields), contact="someone@example.org")
    return done.revision_id, done.entry_id


def csv_rows(page: Page) -> list[dict[str, str]]:
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name="Download CSV").click()
    return list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
