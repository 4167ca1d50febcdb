"""Outside text (URL, data file, article) is never Markdown: the rule of `atlas/ui/safe.py`, checked three ways.

1. A reading of the page's code: every Markdown-rendering Streamlit call gets only project text.
2. The escaping helper behind `safe.strong`/`safe.small` (`text_html`) keeps any text as text (Hypothesis).
3. The page itself (AppTest): hostile link parameters and data reach no Markdown element.
"""

from __future__ import annotations

import ast
import html.parser
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from atlas.text import text_html
from atlas.ui.safe import SMALL, STRONG

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
APP = str(ROOT / "app.py")
# The page's code, but for safe.py: the sanctioned place.
PAGE_FILES = [ROOT / "app.py", *sorted(p for p in (ROOT / "atlas" / "ui").rglob("*.py") if p.name != "safe.py")]

# Streamlit calls whose text argument (or `help=`, `title=`, `label=`…) is rendered as Markdown.
MARKDOWN_CALLS = {
    "markdown", "caption", "info", "warning", "error", "success", "toast", "write", "title", "header",
    "subheader", "latex", "badge", "expander", "popover", "tabs", "status", "metric", "button", "link_button",
    "download_button", "page_link", "radio", "multiselect", "pills", "segmented_control", "selectbox",
    "select_slider", "slider", "text_input", "text_area", "number_input", "toggle", "checkbox", "date_input",
    "time_input", "file_uploader", "color_picker", "chat_input", "form_submit_button", "dialog",
    "notice",  # safe.notice: its message is shown as Markdown, its items as text
}  # fmt: skip
TEXT_KEYWORDS = {"body", "label", "help", "title", "placeholder", "message"}
# Functions whose result is the project's own text: the translation table, and the category and
# country tables (their arguments are ids the loader has already checked against those tables).
PROJECT_TEXT = {"t", "tn", "category_label", "country_name"}
NUMBERS = {"len", "int", "float", "round"}


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _streamlit_names(tree: ast.Module) -> set[str]:
    """`st`, and the names bound to Streamlit containers (`sb = st.sidebar`, `left, right = st.columns(2)`)."""
    names = {"st"}
    for node in ast.walk(tree):
        value, targets = None, []
        if isinstance(node, ast.Assign):
            value, targets = node.value, node.targets
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            value, targets = node.context_expr, [node.optional_vars]
        root = _root(value) if value is not None else None
        if isinstance(root, ast.Name) and root.id == "st":
            names |= {n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def _is_number(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float))
    if isinstance(node, ast.Name):
        return node.id.isupper()
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in NUMBERS


def _is_project_text(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in PROJECT_TEXT:
        return all(_is_project_text(k.value) or _is_number(k.value) for k in node.keywords)
    if isinstance(node, ast.IfExp):
        return _is_project_text(node.body) and _is_project_text(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):  # st.tabs' titles
        return all(_is_project_text(e) for e in node.elts)
    if isinstance(node, ast.ListComp):
        return _is_project_text(node.elt)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_project_text(node.left) and _is_project_text(node.right)
    if isinstance(node, ast.JoinedStr):
        return all(
            _is_project_text(part.value) or _is_number(part.value)
            for part in node.values
            if isinstance(part, ast.FormattedValue)
        )
    return False


def markdown_calls_with_outside_text(source: str, filename: str) -> list[str]:
    """Every call that could show outside text as Markdown (or use st.html outside safe.py)."""
    tree = ast.parse(source)
    receivers = _streamlit_names(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, root = node.func.attr, _root(node.func.value)
        where = f"{filename}:{node.lineno} {name}"
        if name == "html" or any(k.arg == "unsafe_allow_html" for k in node.keywords):
            found.append(f"{where}: HTML only through atlas/ui/safe.py")
            continue
        if name == "notice" or (name in MARKDOWN_CALLS and isinstance(root, ast.Name) and root.id in receivers):
            first = [] if name == "page_link" else node.args[:1]  # page_link's first argument is the page
            texts = first + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        elif isinstance(root, ast.Name) and root.id in receivers:
            texts = [k.value for k in node.keywords if k.arg == "help"]  # st.text(…, help=…) and the like
        else:
            continue
        found += [f"{where}: {ast.unparse(text)}" for text in texts if not _is_project_text(text)]
    return found


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_the_page_gives_markdown_elements_only_project_text(path: Path) -> None:
    assert markdown_calls_with_outside_text(path.read_text(encoding="utf-8"), path.name) == []


@pytest.mark.parametrize(
    "line",
    [
        "st.caption(f\"{t('field_source', lang)}: {row['source']}\")",
        "st.info(t('bad_params', lang, params=', '.join(ignored)))",
        "st.markdown(f'**{name}**')",
        "sb = st.sidebar\nsb.caption(row['city'])",
        "left, right = st.columns(2)\nleft.warning('Bad: ' + value)",
        "st.text(name, help=name)",
        "st.html(f'<b>{name}</b>')",
        "st.markdown(name, unsafe_allow_html=True)",
        "safe.notice(value, [])",
        "st.caption(t('article_by', lang, author=article.author))",
        "st.tabs([t('a', lang), name])",
        "st.tabs([row['name'] for row in rows])",
    ],
)
def test_the_reading_catches_outside_text_in_markdown(line: str) -> None:
    assert markdown_calls_with_outside_text(line, "x.py") != []


@pytest.mark.parametrize(
    "line",
    [
        "st.caption(t('chart_no_dates', lang))",
        "st.markdown(t('count_summary', lang, shown=len(shown), total=len(full), orgs=int(n)))",
        "st.caption(t('table_first_rows', lang, rows=TABLE_ROWS, total=len(table)))",
        "st.button(t('article_clear', lang), key=f'art_{article.id}')",
        "st.text(row['name'])",
        "article.title(lang)",
        "safe.small(row['source'])",
        "st.tabs([t('a', lang), t('b', lang)])",
        "st.tabs([t(key, lang) for key, _ in TABS])",
    ],
)
def test_the_reading_lets_project_text_through(line: str) -> None:
    assert markdown_calls_with_outside_text(line, "x.py") == []


# --- the escaping helper -----------------------------------------------------------------------

HOSTILE = [
    "![x](http://attacker.invalid/pixel.png)",
    "[Your session expired](https://attacker.invalid/login)",
    "www.example.org someone@example.org https://attacker.invalid/",
    ":red[red] :blue-background[x] :material/home: :streamlit: :smile: $x^2$ $$y$$ a -> b",
    "<img src=x onerror=alert(1)> &lt; &amp;amp; <!-- c --> <![CDATA[x]]> <?pi?> <!DOCTYPE html>",
    "# h\n> q\n- l\n1. n\n| a | b |\n|---|---|\n***bold*** ~~s~~ `code` \\*",
    "`${alert(4)}` \" ' \\ \x00 \r\n\u2028",
]


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, object]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", (tag, attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        self.text += data

    def handle_comment(self, data):
        self.events.append(("comment", data))

    def handle_decl(self, decl):
        self.events.append(("decl", decl))

    def handle_pi(self, data):
        self.events.append(("pi", data))

    def unknown_decl(self, data):
        self.events.append(("unknown", data))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.text(), st.sampled_from(HOSTILE)), max_size=4).map("".join),
    st.sampled_from([STRONG, SMALL, ""]),
)
def test_text_html_keeps_any_text_as_the_text_of_one_element(text: str, style: str) -> None:
    parser = _Collector()
    parser.feed(text_html(text, style))
    parser.close()
    assert parser.events == [("start", ("div", [("style", style)])), ("end", "div")]
    assert parser.text == text


def test_text_html_refuses_a_style_that_is_not_plain_css() -> None:
    with pytest.raises(ValueError):
        text_html("x", 'color: red" onclick="alert(1)')


# --- the page ----------------------------------------------------------------------------------


def _markdown_sources(at: AppTest) -> list[str]:
    """Every text the page hands to a Markdown-rendering element (alerts, markdown, captions, headings)."""
    out = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success") for e in at.get(kind)]
    return out + [e.value for kind in ("title", "header", "subheader") for e in at.get(kind)]


def _texts(at: AppTest) -> list[str]:
    return [e.value for e in at.get("text")]


HOSTILE_PARAMS = {
    "lang": "![x](http://attacker.invalid/pixel.png)",
    "view": "[Your session expired – click here](https://attacker.invalid/login)",
    "country": ":red[FR] $x^2$",
    "inview": "www.attacker.invalid",
    "someone@attacker.invalid": ":streamlit: x -> y",
}


@pytest.fixture()
def hostile_page(monkeypatch) -> AppTest:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(FIXTURES / "small_atlas"))
    monkeypatch.setenv("ATLAS_ASSETS", "local")
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in HOSTILE_PARAMS.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_hostile_link_parameters_are_named_in_plain_text_only(hostile_page: AppTest) -> None:
    markdown = " ".join(_markdown_sources(hostile_page))
    assert "were not understood" in markdown
    listed = " ".join(_texts(hostile_page))
    for name, value in HOSTILE_PARAMS.items():
        assert value not in markdown and "attacker" not in markdown
        assert f"{name}={value}" in listed or name in listed  # (an unknown name is listed without its value)


def test_a_flood_of_link_parameters_is_listed_short(monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(FIXTURES / "small_atlas"))
    at = AppTest.from_file(APP, default_timeout=60)
    for i in range(40):
        at.query_params[f"p{i}"] = "x" * 5000
    at.run()
    assert not at.exception
    listed = next(text for text in _texts(at) if "p0" in text)
    assert len(listed) < 1200 and "and 30 more" in listed


def test_data_text_never_reaches_markdown(monkeypatch, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "small_atlas", data)
    rows = (data / "organisations.csv").read_text(encoding="utf-8").splitlines()
    header, first = rows[0], rows[1].split(",")
    columns = header.split(",")
    first[columns.index("name")] = "Beacon ![x](http://attacker.invalid/pixel.png)"
    first[columns.index("source")] = "[phish](https://attacker.invalid/login) :red[red] $x$ www.attacker.invalid"
    (data / "organisations.csv").write_text("\n".join([header, ",".join(first), *rows[2:]]) + "\n", encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["selected"] = first[0]
    at.run()
    assert not at.exception
    markdown = " ".join(_markdown_sources(at))
    assert "attacker.invalid" not in markdown and ":red[" not in markdown
    built = [e.proto.body for e in at.get("html")]  # safe.strong / safe.small: project-built, escaped
    assert '<div style="font-weight: 600">Beacon ![x](http://attacker.invalid/pixel.png)</div>' in built
    assert any("[phish](https://attacker.invalid/login) :red[red] &#36;x&#36; www.attacker.invalid" in b for b in built)
