"""French/English language guess from stop words: small, offline and good enough for blog text.

Each word that is a frequent function word of one language (and not of the other) votes for it;
elided articles ("l'", "d'", "qu'") vote French. A sentence is given a language only when the
winner has at least `MIN_VOTES` votes and twice as many as the loser, so names and short
headings stay undecided instead of being guessed.
"""

from __future__ import annotations

import re

FRENCH = frozenset(
    """
    a le la les un une des du de au aux et ou mais donc ni que qui quoi dont où ce cet cette ces son
    sa ses leur leurs notre nos votre vos mon ma mes je tu il elle nous vous ils elles on se est
    sont été être avoir ont était sera seront fait plus moins très aussi comme pour par avec sans
    sous sur dans chez entre vers depuis pendant après avant ainsi alors encore déjà tout tous toute
    toutes même cela ceci ça pas ne y en lors dès afin été leurs celle celui ceux nos
    """.split()
)

ENGLISH = frozenset(
    """
    the a an and or so of to in on at by for with without from into about over under between is are
    was were be been being has have had do does did will would can could should may might this that
    these those it its he she they them their our we you your his her which who whom what when where
    why how not no than then there here also more most very just only such through during after
    before while as if
    """.split()
)

# Words spelt alike in both languages ("a", "on") vote for neither.
_SHARED = FRENCH & ENGLISH
_ELISION = re.compile(r"\b(?:l|d|qu|n|s|c|j|m|t|jusqu|lorsqu|puisqu)['’]\w", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
MIN_VOTES = 2


def votes(text: str) -> dict[str, int]:
    """Stop-word votes per language in `text`."""
    fr = len(_ELISION.findall(text))
    en = 0
    for word in _WORD.findall(text.lower()):
        if word in _SHARED:
            continue
        fr += word in FRENCH
        en += word in ENGLISH
    return {"fr": fr, "en": en}


def detect_language(text: str) -> str | None:
    """'fr', 'en' or None when the text gives too little evidence either way."""
    v = votes(text)
    winner, loser = ("fr", "en") if v["fr"] >= v["en"] else ("en", "fr")
    if v[winner] >= MIN_VOTES and v[winner] >= 2 * v[loser]:
        return winner
    return None


def language_shares(sentences: list[str]) -> dict[str, float]:
    """Share of the words of the decided sentences written in each language, largest first."""
    words: dict[str, int] = {}
    for sentence in sentences:
        lang = detect_language(sentence)
        if lang:
            words[lang] = words.get(lang, 0) + len(_WORD.findall(sentence))
    total = sum(words.values())
    ranked = sorted(words.items(), key=lambda kv: -kv[1])
    return {lang: round(count / total, 3) for lang, count in ranked} if total else {}
