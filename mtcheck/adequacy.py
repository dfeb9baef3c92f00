"""Source coverage: how much of the Chinese source a translation renders, from CC-CEDICT.

A reference-free adequacy signal for ``quality``: the content words of the source (jieba
words of two or more Chinese characters that are not function words) are looked up in
CC-CEDICT, and a word counts as covered when the translation holds a word that one of its
English glosses holds, compared on a crude stem (lower case, the first five letters:
"recovery" = "recovered"). A known variant group (``mtcheck/data/variants.tsv``: "United
States" / "US" / "U.S.") counts as one gloss. A word CC-CEDICT does not know is looked for
by its pinyin romanisation (a name: "Hengshi"). Coverage is the covered share of the
looked-up words.

The figure is crude on its own (glosses miss paraphrases) but it is compared among
translations of one source, where it tells a translation that drops or garbles content
from one that keeps it. Analyses are cached per source segment (:mod:`mtcheck.lang.zh`).
"""
from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z]+")
_STOP = frozenset("a an the of to in on at for by with and or is are be was were as from that this it its "
                  "their his her one".split())


def _stem(word: str) -> str:
    w = word.lower()
    return w[:5]


@lru_cache(maxsize=1)
def _variant_stems() -> dict[str, frozenset[str]]:
    """A stem of one form of a known variant group -> the stems of every form in it."""
    from mtcheck.names import variant_groups

    out: dict[str, set[str]] = {}
    for group in variant_groups():
        stems = {_stem(t) for form in group for t in _WORD.findall(form) if t.lower() not in _STOP}
        for s in stems:
            out.setdefault(s, set()).update(stems)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=65536)
def _gloss_stems(word: str) -> frozenset[str]:
    from mtcheck.lang import zh

    keys: set[str] = set()
    for g in zh.gloss_phrases(word):
        for t in _WORD.findall(g):
            if len(t) > 1 and t.lower() not in _STOP:
                keys.add(_stem(t))
    vs = _variant_stems()
    for k in list(keys):
        keys |= vs.get(k, frozenset())
    return frozenset(keys)


@lru_cache(maxsize=65536)
def _romanisations(word: str) -> tuple[str, ...]:
    from mtcheck.lang import zh

    per = zh.readings(word)
    if not per or not all(per):
        return ()
    return tuple("".join(c) for c in zh._combos(per)[:8])


@lru_cache(maxsize=16384)
def _content(src: str) -> tuple[tuple[frozenset[str], tuple[str, ...]], ...]:
    """Per content word of ``src``: its gloss stems and (for words without glosses) romanisations."""
    from mtcheck.lang import zh

    fw = zh.function_words()
    out = []
    for w in zh.words(src):
        t = w.text
        if len(t) < 2 or t in fw or not zh._ALL_CJK.match(t):
            continue
        stems = _gloss_stems(t)
        roms = () if stems else _romanisations(t)
        if stems or roms:
            out.append((stems, roms))
    return tuple(out)


def source_coverage(src: str | None, mt: str) -> float | None:
    """The share of the source's looked-up content words that ``mt`` renders (0-1); None
    without a Chinese source or where it has no such word."""
    from mtcheck.lang import zh

    if not src or not zh.has_chinese(src):
        return None
    words = _content(src)
    if not words:
        return None
    mt_stems = {_stem(t) for t in _WORD.findall(mt)}
    letters = zh.letters(mt)
    covered = 0
    for stems, roms in words:
        if stems:
            covered += not stems.isdisjoint(mt_stems)
        else:
            covered += any(r in letters for r in roms)
    return covered / len(words)


__all__ = ["source_coverage"]
