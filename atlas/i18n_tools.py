"""Keep the gettext catalogues of atlas/locales in step with the code (`make messages`), and add a message.

    python -m atlas.i18n_tools update                # extract the keys, rewrite atlas.pot and every atlas.po
    python -m atlas.i18n_tools add KEY --en TEXT --fr TEXT [--es TEXT]
    python -m atlas.i18n_tools add KEY --plural --en ONE OTHER --fr ONE MANY OTHER [--es ONE MANY OTHER]
    python -m atlas.i18n_tools carry OLD_I18N.py     # add the keys of a branch's old TRANSLATIONS dict

Extraction is pybabel extract's (babel.messages.extract) with the keywords t, tn and N_ and the method
`extract_ast` below (babel.cfg names it, for `pybabel extract -F babel.cfg`): it reads the code's syntax
tree, so a call inside an f-string counts, and both keys of `t("a" if x else "b", lang)`. The first
argument of each call, when it is a literal string, is a message key. A key the code builds at run time
cannot be found that way: such keys live in a table of N_("...") literals (atlas/labels.py).
The catalogues are written sorted by key, with the source files (not lines) that use each key, so that
two branches adding keys rarely touch the same lines. docs/develop/translations.md explains the rest.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

from atlas.i18n import DEFAULT_LANG, DOMAIN, LANGS, LOCALES, PLURAL_SUFFIX, catalogue_path

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS: dict[str, tuple[int, ...] | None] = {"t": None, "tn": None, "N_": None}  # pybabel -k t -k tn -k N_
SOURCES = ("atlas", "app.py")  # what extraction reads, relative to ROOT
METHOD = "atlas.i18n_tools:extract_ast"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
ENGLISH = "English: "  # the extracted comment that shows translators the English text


def _literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def extract_ast(
    fileobj: IO[bytes], keywords: Mapping[str, object], comment_tags: Collection[str], options: Mapping[str, object]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extraction method: each call of a keyword function whose first argument is a literal
    string (or a conditional between literal strings) gives that string, wherever the call is."""
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in keywords and node.args:
            for key in _literals(node.args[0]):
                yield node.lineno, node.func.id, key, []


def extract(root: Path = ROOT) -> dict[str, set[str]]:
    """Every message key the code uses, with the files (relative to `root`) that use it."""
    found: dict[str, set[str]] = {}

    def keep(path: str, message: object) -> None:
        if isinstance(message, str) and message:
            found.setdefault(message, set()).add(path)

    for source in SOURCES:
        path = root / source
        if path.is_dir():
            method_map = [("**.py", METHOD)]
            for filename, _lineno, message, _comments, _context in extract_from_dir(
                path, method_map, keywords=KEYWORDS
            ):
                keep(f"{source}/{filename}", message)
        else:
            for _lineno, message, _comments, _context in extract_from_file(METHOD, path, keywords=KEYWORDS):
                keep(source, message)
    return found


def read(lang: str, root: Path = LOCALES) -> Catalog:
    with catalogue_path(lang, root).open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def write(catalog: Catalog, path: Path) -> None:
    """Write `catalog` as gettext tools expect it: sorted by key, source files without line numbers.
    No python-brace-format flag: `msgfmt -c` would compare the placeholders with the msgid, a key
    here (tests/test_i18n.py compares them with the English text instead)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=0, sort_output=True, include_lineno=False)


def languages(root: Path = LOCALES) -> list[str]:
    """Every language with a catalogue under `root`, English first."""
    found = sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return sorted(found, key=lambda lang: (lang != DEFAULT_LANG, lang))


def english_of(message: Message) -> str:
    """The English text of an English catalogue's message (both forms of a plural, joined by ' | ')."""
    return " | ".join(message.string) if isinstance(message.string, tuple) else str(message.string)


def update(root: Path = ROOT, locales: Path = LOCALES) -> list[str]:
    """Rewrite the template and every catalogue from the keys the code uses: a new key is added
    (untranslated), a key no longer used is dropped. Returns what changed, one line each."""
    used = extract(root)
    english = read(DEFAULT_LANG, locales)
    changes: list[str] = []
    template = Catalog(domain=DOMAIN, project="Social Tech Atlas", header_comment=_header("template"), fuzzy=False)
    template.creation_date = english.creation_date
    for key in sorted(used):
        known = english.get(key)
        plural = bool(known and known.pluralizable)
        template.add(
            (key, key + PLURAL_SUFFIX) if plural else key,
            ("", "") if plural else "",
            locations=[(path, 0) for path in sorted(used[key])],
            auto_comments=[ENGLISH + english_of(known)] if known and known.string else [],
        )
    write(template, locales / TEMPLATE.name)
    for lang in languages(locales):
        old = read(lang, locales)
        new = Catalog(
            locale=lang, domain=DOMAIN, project="Social Tech Atlas", header_comment=_header(lang), fuzzy=False
        )
        new.creation_date = old.creation_date
        new.revision_date = old.revision_date
        new.last_translator = old.last_translator
        new.language_team = old.language_team
        for entry in template:
            if not entry.id:
                continue
            key = str(entry.id[0] if isinstance(entry.id, tuple) else entry.id)
            before = old.get(key)
            string: object
            if before is not None and before.pluralizable == entry.pluralizable:
                string = before.string
            else:
                string = tuple("" for _ in range(new.num_plurals)) if entry.pluralizable else ""
                changes.append(f"{lang}: {key} added")
            comments = [] if lang == DEFAULT_LANG else list(entry.auto_comments)
            new.add(entry.id, string, locations=entry.locations, auto_comments=comments)
        for message in old:
            key = str(message.id[0] if isinstance(message.id, tuple) else message.id)
            if key and key not in used:
                changes.append(f"{lang}: {key} dropped (no code uses it)")
        write(new, catalogue_path(lang, locales))
    return changes


def _header(lang: str) -> str:
    what = "Template of the messages" if lang == "template" else f"The messages in {lang}"
    return (
        f"# {what} of the Social Tech Atlas's interface: msgid is the key the code passes to t() or tn().\n"
        "# Edit with any gettext tool (Poedit, Weblate); `make messages` refreshes it from the code.\n"
        "# How to add a message or a language: docs/develop/translations.md\n#"
    )


def add(key: str, texts: dict[str, Sequence[str]], plural: bool, locales: Path = LOCALES) -> None:
    """Add (or replace) message `key` in every catalogue: texts[lang] is one text, or the plural forms."""
    if DEFAULT_LANG not in texts:
        raise SystemExit("add: the English text (--en) is required")
    for lang in languages(locales):
        catalog = read(lang, locales)
        forms = list(texts.get(lang, ()))
        msgid: str | tuple[str, str] = (key, key + PLURAL_SUFFIX) if plural else key
        if plural:
            if forms and len(forms) != catalog.num_plurals:
                raise SystemExit(f"add: {lang} needs {catalog.num_plurals} plural forms ({catalog.plural_forms})")
            string: str | tuple[str, ...] = tuple(forms) if forms else tuple("" for _ in range(catalog.num_plurals))
        else:
            if len(forms) > 1:
                raise SystemExit(f"add: --{lang} takes one text for a singular message")
            string = forms[0] if forms else ""
        english = " | ".join(texts[DEFAULT_LANG])
        catalog.delete(key)
        catalog.add(
            msgid,
            string,
            auto_comments=[] if lang == DEFAULT_LANG else [ENGLISH + english],
        )
        write(catalog, catalogue_path(lang, locales))


def carry(old_module: Path, locales: Path = LOCALES) -> list[str]:
    """Add every key of an old-style `TRANSLATIONS = {key: {"en": ..., "fr": ...}}` dict (a branch's
    atlas/i18n.py) that the catalogues lack. Returns the keys added."""
    tree = ast.parse(old_module.read_text(encoding="utf-8"))
    table: dict[str, dict[str, str]] = {}
    target: ast.expr
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "TRANSLATIONS":
            table = ast.literal_eval(value)
    english = read(DEFAULT_LANG, locales)
    added = [key for key in table if key not in english]
    for key in added:
        add(key, {lang: [text] for lang, text in table[key].items()}, plural=False, locales=locales)
    return added


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m atlas.i18n_tools", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update", help="extract the keys from the code, rewrite atlas.pot and every atlas.po")
    adding = sub.add_parser("add", help="add a message to every catalogue")
    adding.add_argument("key")
    adding.add_argument("--plural", action="store_true", help="a plural message: give every form")
    for lang in LANGS:
        adding.add_argument(f"--{lang}", nargs="+", metavar="TEXT", default=None)
    carrying = sub.add_parser("carry", help="add the keys of an old TRANSLATIONS dict the catalogues lack")
    carrying.add_argument("module", type=Path)
    args = parser.parse_args(argv)
    if args.command == "update":
        for line in update():
            print(line)
    elif args.command == "add":
        add(args.key, {lang: getattr(args, lang) for lang in LANGS if getattr(args, lang)}, args.plural)
    else:
        for key in carry(args.module):
            print(f"added {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
