"""The Moderate page's Duplicates and Articles tabs in headless Chromium, signed in through the real
OpenID Connect provider (the site and the sign-in of tests/browser/moderation.py).

- Duplicates: a pair proposed on the app's database (`Store.propose_duplicates`, as in
  tests/test_moderate_duplicates.py) is merged in the browser, one field taken from the other
  entry; the public map and its CSV then have one entry with that value. "Not the same" on another
  pair takes it off the tab.
- Articles: a draft recorded as `atlas articles fetch` records one (tests/test_moderate_articles.py),
  with Markdown, HTML and a `javascript:` link in its title and extracted text: shown as literal
  text, nothing asked of another host; the moderator rewrites both summaries, decides every link
  and publishes; the article is then in the Map page's articles panel.
- axe-core on both tabs (no serious or critical violation), and screenshots of both tabs at a
  desktop size in English and French, written to ATLAS_SCREENSHOTS when set.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from atlas.i18n import t
from atlas.store.store import Store
from tests.browser.conftest import MAP_FRAME, axe, drawn, frames, idle, images_settled
from tests.browser.moderation import MOD1, MOD2, TIMEOUT, Site, csv_rows, submit, visit
from tests.browser.test_hostile_markdown import OWN_LINKS, RENDERED
from tests.test_moderate_articles import LINK, a_draft, link_of

DESKTOP = {"width": 1280, "height": 900}
# What a feed could carry: an image from another host, HTML, a javascript: link, Streamlit's Markdown.
HOSTILE_TITLE = (
    "Hostile ![x](http://attacker.invalid/title.png) <img src=http://attacker.invalid/t.png> "
    "[click](javascript:alert(1)) :red[red]"
)
HOSTILE_TEXT = (
    "![y](http://attacker.invalid/text.png) <iframe src=http://attacker.invalid/frame></iframe> "
    "[Your session expired](javascript:alert(2)) <b>bold</b> $x^2$"
)


def _approved(store: Store, name: str, **fields: object) -> str:
    """An organisation submitted and approved: on the public map."""
    rid, entry_id = submit(store, name, **fields)
    item = next(i for i in store.queue(size=100).items if i.revision_id == rid)
    store.approve(rid, item.version, "setup@example.org")
    return entry_id


def _pair_of(store: Store, entry_id: str):
    return next(p for p in store.duplicate_pairs(size=100).items if entry_id in (p.a["id"], p.b["id"]))


def _tab(page: Page, key: str, lang: str = "en") -> None:
    page.get_by_role("tab", name=t(key, lang)).click()
    expect(page.get_by_role("tab", name=t(key, lang))).to_have_attribute("aria-selected", "true")
    idle(page)


def _pick(page: Page, key: str, option: str) -> None:
    """Choose `option` in the select box whose widget key is `key` (as a person does: open, type, click)."""
    widget = page.locator(f".st-key-{key}")
    box = widget.get_by_role("combobox")
    widget.get_by_test_id("stSelectbox").click()
    page.keyboard.type(option[:20])
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option, timeout=TIMEOUT)
    idle(page)


def _type(page: Page, key: str, text: str, tag: str = "input") -> None:
    """Type into the text field `key` and leave it (Streamlit receives the text on blur)."""
    box = page.locator(f".st-key-{key} {tag}")
    box.fill(text)
    box.press("Tab")
    expect(box).to_have_value(text, timeout=TIMEOUT)
    idle(page)


def test_a_moderator_merges_a_pair_taking_a_field_from_the_other_entry(chromium, browser_contexts, site: Site) -> None:
    website = "https://alpha.example.org/about"
    twin = _approved(site.store, "Alpha Civic Lab (Lyon)", lat=45.764, lon=4.8357, website=website)
    other = submit(site.store, "Beta Commons (Nantes)", city="Nantes", lat=47.2184, lon=-1.5536)[1]
    assert sum(p.new for p in site.store.propose_duplicates()) >= 2
    pair = _pair_of(site.store, twin)
    merged, apart = pair.pair_id, _pair_of(site.store, other).pair_id
    side = "A" if pair.a["id"] == "alpha-civic" else "B"
    assert {twin, "alpha-civic"} <= set(site.store.published_atlas().frame["id"])  # two on the map

    page = visit(chromium, browser_contexts, site, MOD1)
    _tab(page, "moderate_tab_duplicates")
    card = page.locator(f".st-key-mod_pair_{merged}")
    expect(card.get_by_text(f"Pair #{merged}", exact=False)).to_be_visible(timeout=TIMEOUT)
    expect(card.get_by_text(re.compile("^Why: .*same website"))).to_be_visible()
    expect(card.get_by_test_id("stDataFrame")).to_be_visible()
    _pick(page, f"mod_keep_{merged}", f"{side}: Alpha Civic Lab (alpha-civic)")
    _pick(page, f"mod_take_{merged}_website", f"{website} ({twin})")
    card.get_by_role("button", name="Merge").click()
    expect(page.get_by_text(t("pair_merged", "en"))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(f"{twin} → alpha-civic")).to_be_visible()
    expect(card).to_have_count(0)

    second = page.locator(f".st-key-mod_pair_{apart}")
    second.get_by_role("button", name="Not the same").click()
    expect(page.get_by_text(t("pair_told_apart", "en"))).to_be_visible(timeout=TIMEOUT)
    expect(second).to_have_count(0)
    assert site.store.duplicate_pair(apart).status == "not_same"
    assert site.store.entry(other)["state"] == "pending"  # nothing else changed
    assert page.blocked_requests == []

    page.goto(site.app.url + "/?q=Alpha+Civic")
    expect(page.get_by_text(re.compile(r"^1 of \d+ entries shown"))).to_be_visible(timeout=TIMEOUT)
    expect(page.frame_locator(MAP_FRAME).locator(".atlas-pin")).to_have_count(1, timeout=TIMEOUT)
    page.goto(site.app.url)
    expect(page.get_by_text(re.compile(r"entries shown"))).to_be_visible(timeout=TIMEOUT)
    alpha = [r for r in csv_rows(page) if r["name"].startswith("Alpha Civic Lab")]
    assert [(r["id"], r["name"], r["website"]) for r in alpha] == [("alpha-civic", "Alpha Civic Lab", website)]
    assert site.store.entry(twin)["state"] == "duplicate"


def test_a_hostile_draft_is_shown_literally_rewritten_and_published(chromium, browser_contexts, site: Site) -> None:
    view = a_draft(site.store, title=HOSTILE_TITLE, hostile=HOSTILE_TEXT)
    aid = view.article_id
    page = visit(chromium, browser_contexts, site, MOD2)
    _tab(page, "moderate_tab_articles")
    _pick(page, "mod_draft", f"{HOSTILE_TITLE} ({aid})")
    card = page.locator(f".st-key-mod_draft_{aid}")
    expect(card.get_by_text(HOSTILE_TITLE, exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(card.locator(f".st-key-mod_art_{aid}_title_en input")).to_have_value(HOSTILE_TITLE)
    card.get_by_text(t("draft_text", "en")).click()  # the extracted text, on demand
    expect(card.get_by_text(HOSTILE_TEXT, exact=False)).to_be_visible(timeout=TIMEOUT)
    idle(page)
    images_settled(page)  # any image the page holds was asked for
    assert page.evaluate(RENDERED, [LINK]) == []  # "Open the original article" is ours
    assert page.blocked_requests == []

    _type(page, f"mod_art_{aid}_summary_en", "A repair café opens in Lyon, run by volunteers.", "textarea")
    _type(page, f"mod_art_{aid}_summary_fr", "Un café réparation ouvre à Lyon, tenu par des bénévoles.", "textarea")
    _type(page, f"mod_art_{aid}_title_fr", "Un café réparation ouvre à Lyon")
    card.get_by_role("button", name=t("draft_save", "en")).click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible(timeout=TIMEOUT)
    idle(page)

    keep, drop = link_of(view, "Les Réparateurs Lyonnais"), link_of(view, "Fondation Imaginaire")
    _type(page, f"mod_cand_{keep.id}_city", "Lyon")
    decisions = [(keep, "Accept"), (drop, "Reject"), (link_of(view, "Alpha Civic Lab"), "Accept")]
    decisions.append((link_of(view, "Lyon"), "Accept"))
    for link, button in decisions:
        box = page.locator(f".st-key-mod_link_{link.id}")
        decided = box.get_by_text(re.compile(f"^{button}ed by mod2@example.org", re.I))
        box.get_by_role("button", name=button, exact=True).click()
        try:
            expect(decided).to_be_visible(timeout=10_000)
        except AssertionError:  # a click that landed while a rerun redrew the button: once more
            print(f"{button} {link.name}: clicked again;", page.get_by_test_id("stAlert").all_inner_texts())
            box.get_by_role("button", name=button, exact=True).click(timeout=5_000)
            expect(decided).to_be_visible(timeout=TIMEOUT)
        idle(page)
    expect(card.get_by_text("Ready to publish.")).to_be_visible(timeout=TIMEOUT)
    card.get_by_role("button", name=t("draft_publish", "en")).click()
    expect(page.get_by_text(re.compile("^Published"))).to_be_visible(timeout=TIMEOUT)
    assert page.blocked_requests == []

    page.goto(site.app.url)
    panel = page.locator(".st-key-articles_box")
    article = panel.get_by_test_id("stVerticalBlock").filter(has_text="A repair café opens in Lyon, run by volunteers.")
    expect(article.last).to_be_visible(timeout=TIMEOUT)
    expect(article.last.get_by_text(HOSTILE_TITLE, exact=True)).to_be_visible()
    expect(article.last.get_by_text(re.compile("Les Réparateurs Lyonnais"))).to_be_visible()
    expect(panel.get_by_text("Fondation Imaginaire")).to_have_count(0)
    idle(page)
    images_settled(page)
    assert page.evaluate(RENDERED, OWN_LINKS) == []
    assert page.blocked_requests == []


def _shoot(page: Page, folder: Path, name: str) -> None:
    """The page from top to bottom, a screen at a time (Streamlit scrolls its main block)."""
    main = page.get_by_test_id("stMain")
    height, screen = main.evaluate("m => [m.scrollHeight, m.clientHeight]")
    for n in range(min(8, -(-height // screen))):
        main.evaluate(f"m => m.scrollTo({{top: {n * screen}, behavior: 'instant'}})")
        frames(page)
        page.screenshot(path=folder / f"{name}-{n + 1}.png")
    main.evaluate("m => m.scrollTo(0, 0)")


def _serious(violations: list[dict], where: str) -> list[dict]:
    for v in violations:
        print(f"axe {where}: {v['impact']} {v['id']} ({len(v['nodes'])}): {v['help']}")
        for node in v["nodes"][:5]:
            print("    ", node.replace("\n", " "))
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_both_tabs_pass_axe_and_are_photographed(chromium, browser_contexts, site: Site, tmp_path: Path) -> None:
    folder = Path(os.environ.get("ATLAS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    submit(site.store, "Gamma Skills Liège", category="training", country="BE", city="Liège", lat=50.6326, lon=5.5797)
    site.store.propose_duplicates()
    pair = site.store.duplicate_pairs(size=1).items[0].pair_id
    aid = a_draft(site.store, link=LINK.replace("lyon-repair", "lyon-repair-2")).article_id
    for lang in ("en", "fr"):
        page = visit(chromium, browser_contexts, site, MOD1, lang=lang, viewport=DESKTOP)
        _tab(page, "moderate_tab_duplicates", lang)
        expect(page.locator(f".st-key-mod_pair_{pair}")).to_be_visible(timeout=TIMEOUT)
        drawn(page)  # the data frame's first draw
        assert _serious(axe(page), f"duplicates {lang}") == []
        _shoot(page, folder, f"duplicates-{lang}")

        _tab(page, "moderate_tab_articles", lang)
        _pick(page, "mod_draft", f"Alpha Civic Lab opens a repair café in Lyon ({aid})")
        expect(page.locator(f".st-key-mod_draft_{aid}")).to_be_visible(timeout=TIMEOUT)
        drawn(page)
        assert _serious(axe(page), f"articles {lang}") == []
        _shoot(page, folder, f"articles-{lang}")
        assert page.blocked_requests == []
