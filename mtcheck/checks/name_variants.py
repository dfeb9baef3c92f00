"""More ways one name is written two ways in one document (used by MT101).

- near spellings: a rare name word one letter or one pinyin syllable away from another
  ("Jianmin" / "Jianming", "Zhongguancun" / "Zhongguanchun", "Xishi" / "Hengshi");
- a swapped generic head word in a multiword name ("... Development Zone" / "... Development
  Area");
- one mention transliterated where the others translate ("Jinan Gongyuan" / "Jinan Park"),
  and the reverse: a rare pinyin-like word where the other mentions have a common English
  generic word.

Each rule yields (mentions of the flagged form, the word span to flag, the form to use, why).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterator, NamedTuple, Sequence

from mtcheck.names import CONNECTORS, HEAD_WORDS, Mention, generic_words, is_rare, near_spelling, pinyin_split, zipf

#: head words that name the same kind of area: swapping one for another is a variant, not a new entity
AREA_HEADS = frozenset({"district", "area", "zone", "region", "park", "centre", "center", "base", "belt",
                        "cluster", "hub", "corridor", "quarter", "sector"})
#: heads with a narrower meaning: a swap needs a longer shared stem ("Haidian District" and
#: "Haidian Park" are two places)
_WIDE = frozenset({"district", "area", "zone", "region"})
#: common English words that a name may translate where another mention transliterates
_TRANSLATED_HEADS = HEAD_WORDS | AREA_HEADS | frozenset({
    "mountain", "mountains", "river", "lake", "temple", "road", "street", "avenue", "bridge", "square",
    "garden", "gardens", "town", "township", "island", "hall", "gate", "market", "tower", "palace", "port",
    "bay", "sea", "pass", "valley", "peak", "cave", "pagoda", "lane", "alley", "town", "village", "county",
    "city", "province", "prefecture", "league", "banner", "hill", "hills", "spring", "springs", "canal",
    "reservoir", "dam", "forest", "grassland", "desert", "plateau", "basin", "new area"})
#: a transliterated word is rarer than this (wordfreq zipf): "Gongyuan", not "Jinan"
_UNKNOWN_ZIPF = 1.5


#: a name word: letters, with inner hyphens or apostrophes ("Meta-universe", "Children’s")
_WORD_SHAPE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


class Variant(NamedTuple):
    mentions: list[tuple[Mention, int | tuple[int, int]]]  # (mention, index of the differing word, or (lo, hi) of words)
    keep_word: str                       # the word to use instead
    why: str


def _first(ms: Sequence[tuple[Mention, int]]) -> tuple[int, int]:
    return min((m.seg, m.start) for m, _ in ms)


def _pick(forms: dict[str, list[tuple[Mention, int]]], ref_count: Counter[str]) -> str:
    """The reference's form, else the most frequent, else the earliest."""
    return max(forms, key=lambda f: (ref_count.get(f, 0), len(forms[f]), tuple(-x for x in _first(forms[f]))))


def _why(keep: str, forms: dict, ref_count: Counter[str]) -> str:
    if ref_count.get(keep):
        return "the reference's form"
    return "the more frequent form" if all(len(forms[keep]) > len(v) for f, v in forms.items() if f != keep) \
        else "the earlier form"


def near_words(mentions: Sequence[Mention], ref_words: Counter[str]) -> Iterator[Variant]:
    """Capitalised name words one letter or one pinyin syllable apart ("Beijing" / "Beijnig",
    "Jianming" / "Jianmin", "Hunan" / "Zhennan"). A word the dictionary does not know beside
    one it knows is a misspelling wherever it is; two unknown words must be in different
    segments (or share a neighbouring word); two known words must share one ("Zhang
    Zhongmou" / "Zhan Zhongmou"), else they are two names (Hunan and Henan)."""
    occ: dict[str, list[tuple[Mention, int]]] = defaultdict(list)
    for m in mentions:
        if len(m.spans) != len(m.words):
            continue
        for i, w in enumerate(m.words):
            if len(w) >= 4 and w[0].isupper() and w[1:].islower() and _WORD_SHAPE.fullmatch(w):
                occ[w].append((m, i))
    if len(occ) < 2:
        return
    buckets: dict[object, list[str]] = defaultdict(list)
    for w in occ:
        low = w.lower()
        for k in range(len(low)):
            buckets[("d", low[:k] + low[k + 1:])].append(w)
        buckets[("d", low)].append(w)
        syl = pinyin_split(w) if zipf(w) < _UNKNOWN_ZIPF or is_rare(w) else None
        if syl and len(syl) >= 2:
            for k in range(len(syl)):
                buckets[("s", len(syl), syl[:k], syl[k + 1:])].append(w)
    pairs: set[tuple[str, str]] = set()
    for words in buckets.values():
        if 1 < len(words) < 50:
            for a in words:
                for b in words:
                    if a < b:
                        pairs.add((a, b))
    if not pairs:
        return
    segs = {w: {m.seg for m, _ in v} for w, v in occ.items()}
    neighbours = {w: {_context(m, i) for m, i in v} - {None} for w, v in occ.items()}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b in sorted(pairs):
        how = near_spelling(a, b)
        if how is None:
            continue
        unknown_a, unknown_b = zipf(a) < _UNKNOWN_ZIPF, zipf(b) < _UNKNOWN_ZIPF
        shared = bool(neighbours[a] & neighbours[b])
        short, long_ = sorted((a.lower(), b.lower()), key=len)
        if long_.startswith(short) and (long_[len(short):] in ("s", "es")
                                        or long_[len(short):] == "n" and short[-1] in "aeiou"):
            continue  # a plural or a demonym: "Knife" / "Knifes", "Mongolia" / "Mongolian" (not "Afghann")
        if how == "syllable" and len(pinyin_split(a) or ()) < 3 and not shared:
            # two-syllable names one syllable apart are two names unless they share a neighbour,
            # or one letter at the end tells a misspelling ("Beijin" / "Beijing", not "Huzhou" / "Suzhou")
            if not (a[0] == b[0] and max(len(a), len(b)) >= 6 and _one_letter(a, b)):
                continue
        if not (unknown_a or unknown_b):
            if not shared or not (is_rare(a) or is_rare(b)):
                continue  # two known words: Hunan and Henan, Party and Parry
        elif unknown_a and unknown_b:
            if segs[a] & segs[b] and not (neighbours[a] & neighbours[b] - _surnames(neighbours[a])):
                # named together in one segment: two names ("Xiaoming and Xiaohong"), and two
                # given names after one surname are two people of a family ("Ji Jiali ... her
                # sister Ji Jiayan")
                continue
        parent[find(a)] = find(b)
    groups: dict[str, set[str]] = defaultdict(set)
    for w in set(parent) | set(parent.values()):
        groups[find(w)].add(w)
    for root in sorted(groups):
        forms = {w: occ[w] for w in groups[root]}
        keep = max(forms, key=lambda f: (ref_words.get(f, 0), len(forms[f]), zipf(f) >= _UNKNOWN_ZIPF,
                                         tuple(-x for x in _first(forms[f]))))
        if zipf(keep) < _UNKNOWN_ZIPF and any(zipf(f) >= _UNKNOWN_ZIPF for f in forms) \
                and not ref_words.get(keep):
            keep = max((f for f in forms if zipf(f) >= _UNKNOWN_ZIPF), key=lambda f: len(forms[f]))
            why = "the spelling the dictionary knows"
        else:
            why = _why(keep, forms, ref_words)
        for w in sorted(forms):
            if w != keep:
                yield Variant(forms[w], keep, why)


def _one_letter(a: str, b: str) -> bool:
    from rapidfuzz.distance import OSA

    return OSA.distance(a.lower(), b.lower(), score_cutoff=1) <= 1


def _surnames(contexts: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """The contexts that are a one-syllable surname before a given name ("Ji" in "Ji Jiali")."""
    return {(side, w) for side, w in contexts if side == -1 and len(pinyin_split(w) or ()) == 1}


def _context(m: Mention, i: int) -> tuple[int, str] | None:
    """A neighbouring word of the ``i``-th word of a mention, with its side (None alone)."""
    if i + 1 < len(m.key):
        return (1, m.key[i + 1])
    if i > 0:
        return (-1, m.key[i - 1])
    return None


def surname_variants(types: dict[tuple[str, ...], list[Mention]], ref_keys: Counter) -> Iterator[Variant]:
    """Two-word Chinese person names with one rare given name of two or more pinyin syllables
    and two different one-syllable surnames ("Zhang Diming" / "Wang Diming"): one person, one
    surname mistyped. Names in one segment are two people."""
    by_given: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key in types:
        if len(key) == 2 and len(pinyin_split(key[0]) or ()) == 1 and len(pinyin_split(key[1]) or ()) >= 2 \
                and key[0].isalpha() and is_rare(key[1]):
            by_given[key[1]].append(key)
    for given, keys in by_given.items():
        if len(keys) < 2:
            continue
        forms: dict[str, list[tuple[Mention, int]]] = {}
        for key in keys:
            ms = [(m, len(m.words) - 2) for m in types[key] if len(m.spans) == len(m.words)]
            if ms:
                forms[key[0]] = ms
        if len(forms) < 2 or _share_segment(forms):
            continue
        yield from _variants(forms, Counter({k[0]: n for k, n in ref_keys.items() if len(k) == 2 and k[1] == given}))


def _share_segment(forms: dict[str, list[tuple[Mention, int]]]) -> bool:
    """Whether two of the forms occur in one segment."""
    segs = [{m.seg for m, _ in v} for v in forms.values()]
    return any(a & b for i, a in enumerate(segs) for b in segs[i + 1:])


def _variants(forms: dict[str, list[tuple[Mention, int]]], ref_heads: Counter) -> Iterator[Variant]:
    """The forms other than the one kept (the reference's, else the majority), each as a Variant."""
    keep = _pick(forms, ref_heads)
    why = _why(keep, forms, ref_heads)
    m, i = forms[keep][0]
    word = " ".join(m.words[i[0]:i[1]]) if isinstance(i, tuple) else m.words[i]
    for head, ms in forms.items():
        if head != keep:
            yield Variant(ms, word, why)


def head_variants(types: dict[tuple[str, ...], list[Mention]], ref_keys: Counter) -> Iterator[Variant]:
    """Multiword names that differ only in their last word: a swapped area head word, or a
    transliterated head where the other mentions translate it."""
    buckets: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for key in types:
        if len(key) >= 2:
            buckets[key[:-1]].append(key)
        if len(key) >= 3 and key[-1] in AREA_HEADS and key[-2] not in CONNECTORS and key[-2][0].isalpha() \
                and not is_rare(key[-2]):
            buckets[key[:-2]].append(key)  # a head of two words: "... New Area", "... Development Zone"
    generic = generic_words()
    for stem, keys in buckets.items():
        if len(keys) < 2:
            continue
        content = [w for w in stem if w not in CONNECTORS]
        if not content:
            continue
        heads = {" ".join(k[len(stem):]): k for k in keys}
        for kind in ("area", "same-kind", "any-head", "translit"):
            group = _head_group(kind, heads, stem, content, generic)
            if len(group) < 2:
                continue
            forms: dict[str, list[tuple[Mention, int]]] = {}
            for head in group:
                n = len(heads[head]) - len(stem)
                ms = [(m, len(m.words) - 1 if n == 1 else (len(m.words) - n, len(m.words)))
                      for m in types[heads[head]] if len(m.spans) == len(m.words)]
                if ms:
                    forms[head] = ms
            if len(forms) < 2:
                continue
            if _share_segment(forms) and not (kind in ("area", "same-kind") and len(content) >= 2):
                # both forms in one segment: two places ("the park in the district"), unless a
                # longer stem names one entity ("Lanzhou Jiaotong University" / "... School")
                continue
            if kind == "any-head":
                sizes = sorted(len(v) for v in forms.values())
                if len(forms) != 2 or sizes != [1, sizes[1]] or sizes[1] < 2:
                    continue  # heads of different kinds: only one odd mention against two or more
            yield from _variants(forms, Counter({k[-1]: n for k, n in ref_keys.items() if k[:-1] == stem}))


_ANY_HEAD = HEAD_WORDS | AREA_HEADS | frozenset({
    "commission", "council", "board", "administration", "authority", "society", "federation", "union",
    "alliance", "chamber", "enterprise", "firm", "gala", "ceremony", "carnival", "congress", "convention",
    "forum", "summit", "expo", "exhibition", "fair", "festival", "conference", "town", "township",
    "prefecture", "ministry", "agency"})
#: head words of one kind: a swap within a kind is one entity written two ways
SAME_KIND_HEADS = (
    frozenset({"committee", "commission", "council", "board"}),
    frozenset({"office", "bureau", "department", "agency", "administration", "authority"}),
    frozenset({"association", "society", "federation", "league", "union", "alliance", "chamber"}),
    frozenset({"company", "group", "corporation", "enterprise", "firm", "co."}),
    frozenset({"center", "centre", "station", "base", "hub"}),
    frozenset({"festival", "conference", "forum", "summit", "expo", "exhibition", "fair", "gala", "ceremony",
               "carnival", "congress", "convention"}),
    frozenset({"school", "college", "academy", "institute", "university"}),
)


def _head_group(kind: str, heads: dict[str, tuple[str, ...]], stem: tuple[str, ...], content: list[str],
                generic: frozenset[str]) -> list[str]:
    if kind == "same-kind":
        for heads_of_kind in SAME_KIND_HEADS:
            group = [h for h in heads if h in heads_of_kind]
            if len(group) >= 2:
                return group
        return []
    if kind == "any-head":
        return [h for h in heads if h in _ANY_HEAD]
    if kind == "area":
        group = [h for h in heads if h.split()[-1] in AREA_HEADS]
        if len(group) < 2 or all(" " in h for h in group):
            return []  # heads of two words against each other: the one-word stem's business
        rare_stem = any(is_rare(w) for w in content)
        if len(content) >= 2 or (rare_stem and all(h.split()[-1] in _WIDE for h in group)):
            return group
        return []
    translated = [h for h in heads if h in _TRANSLATED_HEADS]
    translit = [h for h in heads if h.isalpha() and h not in generic and zipf(h) < _UNKNOWN_ZIPF
                and len(pinyin_split(h) or ()) >= 2]
    if len(translated) == 1 and len(translit) == 1:
        return translated + translit
    return []
