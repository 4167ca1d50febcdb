"""Extractive draft summaries with TextRank (Mihalcea & Tarau, 2004), written here in plain Python.

Why our own: the maintained libraries (sumy, and summa's TextRank) need NLTK tokenizer data or
other downloads at run time, which an offline install cannot fetch, and they tokenise French
and English with one language's rules. TextRank itself is a few lines: sentences are the nodes
of a graph weighted by shared content words (normalised by the log of their lengths), PageRank
scores the nodes, and the best sentences are returned in their original order. The result is a
*draft* made of the article's own sentences, for an editor to rewrite.
"""

from __future__ import annotations

import math
import re

from atlas.articles.language import ENGLISH, FRENCH
from atlas.text import fold

DAMPING = 0.85
MIN_WORDS, MAX_WORDS = 6, 60
REDUNDANT = 0.5  # content-word overlap (Jaccard) above which a second sentence adds nothing
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«“\"(]?[A-ZÀ-ÖØ-Þ0-9])")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOP = frozenset(fold(w) for w in FRENCH | ENGLISH)
_CREDIT = re.compile(r"^(?:source|credit|crédit|photo)\b", re.IGNORECASE)
_BULLET = re.compile(r"^[^\w«“\"(]+")
_ENDS_SENTENCE = re.compile(r"[.!?…][»”\")]?$")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`; every line is a paragraph, so a sentence never spans two lines."""
    sentences: list[str] = []
    for line in text.splitlines():
        sentences.extend(s.strip() for s in _SENTENCE_END.split(line.strip()) if s.strip())
    return sentences


def _content_words(sentence: str) -> set[str]:
    return {w for w in _WORD.findall(fold(sentence)) if w not in _STOP}


def _similarity(a: set[str], b: set[str]) -> float:
    shared = len(a & b)
    return shared / (math.log(len(a) + 1) + math.log(len(b) + 1)) if shared else 0.0


def textrank(sentences: list[str], iterations: int = 50, tolerance: float = 1e-6) -> list[float]:
    """PageRank score of each sentence in the graph of content-word overlaps."""
    n = len(sentences)
    if not n:
        return []
    words = [_content_words(s) for s in sentences]
    weights = [[_similarity(words[i], words[j]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    out = [sum(row) for row in weights]
    scores = [1.0 / n] * n
    for _ in range(iterations):
        new = [
            (1 - DAMPING) / n + DAMPING * sum(weights[j][i] * scores[j] / out[j] for j in range(n) if out[j])
            for i in range(n)
        ]
        done = max(abs(a - b) for a, b in zip(new, scores, strict=True)) < tolerance
        scores = new
        if done:
            break
    return scores


def summarise(text: str, max_sentences: int = 3) -> list[str]:
    """The `max_sentences` most central sentences of `text`, in reading order.

    Only full sentences count (headings, credits and captions without a final stop are skipped;
    bullet marks are removed), and a sentence that repeats a chosen one is passed over.
    """
    candidates = [_BULLET.sub("", s) for s in split_sentences(text)]
    candidates = [
        s
        for s in dict.fromkeys(candidates)
        if MIN_WORDS <= len(s.split()) <= MAX_WORDS and _ENDS_SENTENCE.search(s) and not _CREDIT.match(s)
    ]
    scores = textrank(candidates)
    chosen: list[int] = []
    for i in sorted(range(len(candidates)), key=lambda i: (-scores[i], i)):
        words = _content_words(candidates[i])
        if all(_jaccard(words, _content_words(candidates[j])) <= REDUNDANT for j in chosen):
            chosen.append(i)
        if len(chosen) == max_sentences:
            break
    return [candidates[i] for i in sorted(chosen)]


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0
