"""How well `atlas articles fetch` reads a blog: the seed articles served as a feed on loopback.

    python -m bench.feed SEED.txt [--json OUT] [--quick]

SEED.txt is the plain-text export the bundled articles were written from. It is split into
articles (`atlas/articles/split.py`) and each one is served as an HTML page laid out as a
WordPress post (menu, article, footer): its title lines, its body, its author block; an RSS feed
lists them with their first title line and link only (the export has no dates nor authors, so
the feed gives none). `atlas articles fetch` then runs against it — the polite client, trafilatura,
the drafting, an SQLite database seeded with the bundled entries but no article — with the
offline geocoding pipeline. Each draft is compared with the reviewed article of `data/articles/`:

- titles (English, French) and author: the same after folding case, accents and punctuation;
- date: the draft's date cut to the reviewed date's precision (year, month or day);
- places: (name, country) pairs; organisations: the atlas ids proposed.

Precision is right / proposed, recall right / in the reviewed articles, over all articles.
A second run takes the organisations the seed articles name *out* of the atlas, and counts how
many come back as candidate new organisations (recall) and how many candidates are one of them
(precision; other candidates may be real organisations the atlas lacks, so this is a lower bound).

The summariser comparison scores each extractive summary against the reviewed summary in the
article's language with ROUGE-1 and ROUGE-2 (content words, folded; F1): the project's TextRank,
sumy's LexRank, LSA and TextRank, and the first three sentences (lead-3, a baseline).
Nothing leaves the machine: the server listens on 127.0.0.1 and the geocoder is offline.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from difflib import SequenceMatcher
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from atlas.articles.fetch import fetch_feed
from atlas.articles.model import Article, load_articles
from atlas.articles.polite import PoliteClient
from atlas.articles.split import RawArticle, split_articles
from atlas.articles.summarise import MAX_WORDS, MIN_WORDS, split_sentences, summarise
from atlas.matching import LIKELY, score
from atlas.store import open_store
from atlas.store.drafts import ArticleReview, DraftView, FeedLedger
from atlas.text import fold, fold_key

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIELDS = ("title_en", "title_fr", "author", "published", "places", "organisations")


# -- the blog ------------------------------------------------------------------------------------


def page_html(raw: RawArticle) -> bytes:
    titles = [t for t in (raw.title_en, raw.title_fr, *raw.subtitles) if t]
    lines = titles[1:] + [line for line in raw.body.splitlines() if line.strip()]
    if raw.author:
        lines += [f"Un article écrit par {raw.author}", *raw.author_details]
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    title = html.escape(titles[0] if titles else "")
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title} – SOGA</title></head><body>'
        '<nav><a href="/">Accueil</a> <a href="/blog/">Blog</a> <a href="/contact/">Contact</a></nav>'
        f"<main><article><h1>{title}</h1>\n{paragraphs}\n</article></main>"
        "<footer><p>Social Good Accelerator – mentions légales</p></footer></body></html>"
    ).encode()


def feed_xml(base: str, raws: list[RawArticle]) -> bytes:
    items = "".join(
        f"<item><title>{html.escape(r.title_en or r.title_fr)}</title><link>{base}/articles/{n}/</link>"
        f'<guid isPermaLink="false">{base}/?p={n}</guid></item>'
        for n, r in enumerate(raws)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>SOGA</title>'
        f"<link>{base}/</link><language>fr-FR</language>{items}</channel></rss>"
    ).encode()


@contextmanager
def serve(raws: list[RawArticle]) -> Iterator[str]:
    routes: dict[str, tuple[bytes, str]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, kind = routes.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes["/robots.txt"] = (b"User-agent: *\nDisallow: /wp-admin/\n", "text/plain")
    routes["/feed/"] = (feed_xml(base, raws), "application/rss+xml; charset=UTF-8")
    for n, raw in enumerate(raws):
        routes[f"/articles/{n}/"] = (page_html(raw), "text/html; charset=utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


# -- running the fetch -----------------------------------------------------------------------------


def seed_folder(folder: Path, leave_out: set[str]) -> None:
    """The bundled entries (without `leave_out`) and no article, as a folder to seed a database from."""
    folder.mkdir(parents=True)
    shutil.copy(DATA / "odc.csv", folder / "odc.csv")
    with (DATA / "organisations.csv").open(encoding="utf-8", newline="") as src:
        rows = list(csv.reader(src))
    with (folder / "organisations.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows([rows[0], *(r for r in rows[1:] if r[0] not in leave_out)])


def run_fetch(raws: list[RawArticle], leave_out: set[str], work: Path) -> tuple[list[DraftView], float]:
    from atlas.geocoding import geocode_place
    from atlas.geocoding.gazetteer import get_gazetteer

    seed_folder(work / "seed", leave_out)
    store = open_store(f"sqlite:///{work / 'atlas.sqlite3'}", seed_from=work / "seed")
    gazetteer = get_gazetteer()
    with serve(raws) as base:
        started = time.perf_counter()
        client = PoliteClient(delay=0, allow_hosts=[base.split("://", 1)[1]])  # the loopback blog, named
        report = fetch_feed(f"{base}/feed/", FeedLedger(store), client, gazetteer, geocode_place)
        elapsed = time.perf_counter() - started
    if report.failed or report.skipped:
        print(f"warning: failed {report.failed}, skipped {report.skipped}", file=sys.stderr)
    review = ArticleReview(store)
    drafts = [review.draft(i.article_id) for i in review.drafts(size=200).items]
    store.engine.dispose()
    return drafts, elapsed


def reference_for(draft: DraftView, references: list[Article]) -> Article:
    def similarity(a: Article) -> float:
        mine = [draft.fields.get("title_en") or "", draft.fields.get("title_fr") or ""]
        return max(
            SequenceMatcher(None, fold_key(m), fold_key(t)).ratio() for m in mine for t in (a.title_en, a.title_fr)
        )

    return max(references, key=similarity)


class Tally:
    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.proposed: Counter[str] = Counter()
        self.expected: Counter[str] = Counter()

    def add(self, field: str, proposed: Iterable[Any], expected: Iterable[Any], right: int) -> None:
        self.proposed[field] += len(list(proposed))
        self.expected[field] += len(list(expected))
        self.right[field] += right

    def table(self) -> dict[str, dict[str, float | int]]:
        out = {}
        for field in FIELDS:
            p, e, r = self.proposed[field], self.expected[field], self.right[field]
            out[field] = {
                "right": r,
                "proposed": p,
                "expected": e,
                "precision": round(r / p, 3) if p else 1.0,
                "recall": round(r / e, 3) if e else 1.0,
            }
        return out


def compare(drafts: list[DraftView], references: list[Article]) -> dict[str, dict[str, float | int]]:
    tally = Tally()
    for draft in drafts:
        ref = reference_for(draft, references)
        f = draft.fields
        for field, mine, theirs in (
            ("title_en", f.get("title_en") or "", ref.title_en),
            ("title_fr", f.get("title_fr") or "", ref.title_fr),
            ("author", f.get("author") or "", ref.author),
        ):
            if field == "title_en" and ref.title_en_note:  # our own translation: no source title to find
                theirs = ""
            right = int(bool(mine) and bool(theirs) and fold_key(mine) == fold_key(theirs))
            tally.add(field, [mine] if mine else [], [theirs] if theirs else [], right)
        mine_date, ref_date = str(f.get("published") or ""), ref.published
        right = int(bool(mine_date) and bool(ref_date) and mine_date[: len(ref_date)] == ref_date)
        tally.add("published", [mine_date] if mine_date else [], [ref_date] if ref_date else [], right)
        places = {
            (fold_key(link.name), (link.place or {}).get("country")) for link in draft.links if link.kind == "place"
        }
        ref_places = {(fold_key(p.name), p.country) for p in ref.places}
        tally.add("places", places, ref_places, len(places & ref_places))
        orgs = {link.entry_id for link in draft.links if link.kind == "organisation"}
        tally.add("organisations", orgs, ref.organisations, len(orgs & set(ref.organisations)))
    return tally.table()


def candidate_recall(drafts: list[DraftView], held_out: dict[str, list[str]]) -> dict[str, float | int]:
    """Held-out organisations that came back as candidates (by the matcher), and the candidates that are one."""
    names = [link.name for d in drafts for link in d.links if link.kind == "candidate"]
    found: set[str] = set()
    hits = 0
    for name in names:
        match = {
            org
            for org, aliases in held_out.items()
            if any(score({"name": name}, {"name": a})[0] >= LIKELY for a in aliases)
        }
        found |= match
        hits += bool(match)
    return {
        "held_out": len(held_out),
        "found": len(found),
        "recall": round(len(found) / len(held_out), 3) if held_out else 1.0,
        "candidates": len(names),
        "candidates_held_out": hits,
        "precision_lower_bound": round(hits / len(names), 3) if names else 1.0,
    }


# -- summaries -----------------------------------------------------------------------------------


def _content(text: str) -> list[str]:
    from atlas.articles.summarise import _STOP

    return [w for w in re.findall(r"[^\W\d_]{3,}", fold(text)) if w not in _STOP]


def rouge(candidate: str, reference: str, n: int) -> float:
    def grams(words: list[str]) -> Counter[tuple[str, ...]]:
        return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))

    c, r = grams(_content(candidate)), grams(_content(reference))
    overlap = sum((c & r).values())
    if not overlap:
        return 0.0
    p, rc = overlap / sum(c.values()), overlap / sum(r.values())
    return 2 * p * rc / (p + rc)


def _sentences(body: str) -> list[str]:
    found = [s for s in split_sentences(body) if MIN_WORDS <= len(s.split()) <= MAX_WORDS and re.search(r"[.!?…]$", s)]
    return list(dict.fromkeys(found))


def sumy_summariser(name: str) -> Callable[[str, str], list[str]] | None:
    try:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
        from sumy.nlp.stemmers import Stemmer
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.lsa import LsaSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words
    except ImportError:
        return None
    kinds = {"LexRank": LexRankSummarizer, "LSA": LsaSummarizer, "TextRank": TextRankSummarizer}

    class Words:  # sumy's tokenizer interface, without NLTK's downloadable models
        def __init__(self, language: str) -> None:
            self.language = language

        def to_words(self, sentence: str) -> list[str]:
            return re.findall(r"\w+", sentence)

    def run(body: str, language: str) -> list[str]:
        lang = "french" if language == "fr" else "english"
        tokenizer = Words(lang)
        document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in _sentences(body)])])
        summariser = kinds[name](Stemmer(lang))
        summariser.stop_words = get_stop_words(lang)
        return [str(s) for s in summariser(document, 3)]

    return run


def compare_summaries(raws: list[RawArticle], references: list[Article]) -> dict[str, dict[str, float]]:
    from atlas.articles.language import language_shares

    methods: dict[str, Callable[[str, str], list[str]]] = {
        "TextRank (atlas)": lambda body, _lang: summarise(body),
        "lead-3 (baseline)": lambda body, _lang: _sentences(body)[:3],
    }
    for name in ("LexRank", "LSA", "TextRank"):
        method = sumy_summariser(name)
        if method is not None:
            methods[f"sumy {name}"] = method
    scores: dict[str, list[tuple[float, float]]] = {m: [] for m in methods}
    for raw in raws:
        ref = max(
            references,
            key=lambda a: max(
                SequenceMatcher(None, fold_key(t), fold_key(u)).ratio()
                for t in (raw.title_en, raw.title_fr)
                for u in (a.title_en, a.title_fr)
            ),
        )
        shares = language_shares(split_sentences(raw.body))
        lang = next(iter(shares), "fr")
        reference = ref.summary_fr if lang == "fr" else ref.summary_en
        for name, method in methods.items():
            text = " ".join(method(raw.body, lang))
            scores[name].append((rouge(text, reference, 1), rouge(text, reference, 2)))
    return {
        name: {
            "rouge1_f": round(statistics.mean(a for a, _b in values), 3),
            "rouge2_f": round(statistics.mean(b for _a, b in values), 3),
        }
        for name, values in scores.items()
    }


# -- the command -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.feed", description=__doc__.split("\n")[0])
    parser.add_argument("seed", type=Path, help="the plain-text export of the seed articles")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--quick", action="store_true", help="skip the held-out candidates run")
    args = parser.parse_args(argv)
    raws = split_articles(args.seed.read_text(encoding="utf-8-sig"))
    references, problems = load_articles(DATA / "articles")
    if problems:
        print("\n".join(problems), file=sys.stderr)
    results: dict[str, Any] = {"articles": len(raws), "references": len(references)}
    with tempfile.TemporaryDirectory() as tmp:
        drafts, elapsed = run_fetch(raws, set(), Path(tmp) / "full")
        results["drafts"], results["fetch_seconds"] = len(drafts), round(elapsed, 2)
        results["fields"] = compare(drafts, references)
        if not args.quick:
            named = {o for a in references for o in a.organisations}
            with (DATA / "organisations.csv").open(encoding="utf-8", newline="") as fh:
                aliases = {
                    r["id"]: [r["name"], *(x for x in r["aliases"].split("|") if x)]
                    for r in csv.DictReader(fh)
                    if r["id"] in named
                }
            held, _elapsed = run_fetch(raws, named, Path(tmp) / "held-out")
            results["candidates_held_out"] = candidate_recall(held, aliases)
    results["summaries"] = compare_summaries(raws, references)
    print(f"{results['drafts']} drafts from {results['articles']} articles in {results['fetch_seconds']} s")
    print(f"{'field':<14}{'precision':>10}{'recall':>8}   right/proposed/expected")
    for field, row in results["fields"].items():
        counts = f"{row['right']}/{row['proposed']}/{row['expected']}"
        print(f"{field:<14}{row['precision']:>10.2f}{row['recall']:>8.2f}   {counts}")
    if "candidates_held_out" in results:
        c = results["candidates_held_out"]
        print(
            f"candidates (held-out organisations): recall {c['recall']:.2f} ({c['found']}/{c['held_out']}), "
            f"precision ≥ {c['precision_lower_bound']:.2f} ({c['candidates_held_out']}/{c['candidates']})"
        )
    print(f"{'summariser':<20}{'ROUGE-1 F':>10}{'ROUGE-2 F':>10}")
    for name, row in results["summaries"].items():
        print(f"{name:<20}{row['rouge1_f']:>10.3f}{row['rouge2_f']:>10.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
