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


# -- agreement with the source: negation, tense, numbers, names -----------------------
#
# A translation that adds or drops a negation, moves an event into the future, changes a number or
# drops a name often keeps almost every word of a good one, so chrF, MiniLM and coverage barely
# move. Where a Chinese source exists these are read off it directly and compared with the MT.

#: jieba words that negate (standalone 不 and 没, and the usual compounds); words that merely
#: start with a negating character without negating (不断 "continuously", 无论 "regardless",
#: 非常 "very", 未来 "future", 不同 "different") are not in it
ZH_NEGATION = frozenset(
    "不 没 没有 未 无 非 勿 莫 甭 别 不会 不能 不是 不要 不可 不得 不再 不必 不用 不该 不应 不应该 不愿 不想 不敢 "
    "不肯 不准 无法 无须 无需 未能 未曾 尚未 并未 从未 从不 绝不 决不 并不 并非 并没有 也不 都不 还不 还没有 还没 "
    "没能 毫无 不够 不足 无人 不了".split())
_EN_NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|nothing|nowhere|neither|nor|without|cannot|unable|"
                          r"fail|fails|failed|failing|lack|lacks|lacked|lacking)\b|n't\b|n’t\b", re.IGNORECASE)
#: jieba words that mark the future or an intention (将 as an adverb, standalone 会 "will")
ZH_FUTURE = frozenset("将 将要 将会 即将 会 要 拟 预计 计划 打算 准备 行将 将于 明年 明天 未来".split())
_EN_FUTURE = re.compile(r"\b(?:will|shall|won't|won’t|going to|plans? to|planned to|expected to|"
                        r"next (?:year|month|week)|tomorrow|future)\b|'ll\b|’ll\b", re.IGNORECASE)
#: jieba words that mark the past or completion
ZH_PAST = frozenset("了 过 已 已经 曾 曾经 去年 昨天 此前 日前 前不久 当时 此后 以来 上周 上月".split())
_EN_IRREGULAR_PAST = frozenset(
    "was were had did said made took came went got gave saw knew thought told became left felt brought began "
    "kept held stood heard meant met ran paid sat spoke led grew lost fell sent built understood drew broke "
    "spent rose drove bought wore chose sought threw caught dealt won fought taught ate hit set put cut "
    "shut read hurt let cost spread struck flew hung laid forgot froze hid rang sang sank shook stole swam "
    "wrote".split())
_EN_ED = re.compile(r"\b[A-Za-z]{3,}ed\b")
_NOT_PAST_ED = frozenset("need indeed speed seed feed breed bleed proceed succeed exceed red bed shed "
                         "embed hundred kindred naked wicked sacred".split())
_EN_WORD = re.compile(r"[A-Za-z0-9]+")
#: a count difference beyond this is no worse
_CAP = 3


def _zh_counts(src: str) -> tuple[int, int, int]:
    """(negations, future markers, past markers) among the jieba words of ``src``."""
    from mtcheck.lang import zh

    neg = fut = past = 0
    for w in zh.words(src):
        t = w.text
        if t in ZH_NEGATION and not (t == "别" and w.flag != "d"):
            neg += 1
        if (t in ZH_FUTURE or t == "不会") and not (t == "将" and w.flag == "p") and not (t == "要" and w.flag != "v"):
            fut += 1
        if t in ZH_PAST and not (t == "了" and w.flag != "ul") and not (t == "过" and w.flag not in ("ug", "u")):
            past += 1
    return neg, fut, past


def _en_past(mt: str) -> int:
    n = sum(1 for w in _EN_WORD.findall(mt) if w.lower() in _EN_IRREGULAR_PAST)
    return n + sum(1 for m in _EN_ED.finditer(mt) if m.group().lower() not in _NOT_PAST_ED)


def _number_misses(src: str, mt: str) -> int:
    """Significant numbers on one side with no equal value on the other (both directions)."""
    from mtcheck.numbers import chinese_numbers, english_numbers, significant

    zs = [n for n in chinese_numbers(src) if significant(n)]
    es = [n for n in english_numbers(mt) if significant(n)]
    miss = sum(1 for a in zs if not a.optional and not any(a.matches(b) for b in es))
    miss += sum(1 for b in es if not b.optional and not any(b.matches(a) for a in zs))
    return miss


def _name_misses(src: str, mt: str) -> int:
    """Names of the source (:func:`mtcheck.lang.zh.names`) the MT renders neither by a CC-CEDICT
    English name or gloss nor by a romanisation."""
    from mtcheck.lang import zh

    names = zh.names(src)
    if not names:
        return 0
    mt_stems = {_stem(t) for t in _WORD.findall(mt)}
    letters = zh.letters(mt)
    miss = 0
    for nm in names:
        if any(zh.letters(g) and zh.letters(g) in letters for g in nm.glosses):
            continue
        if not _gloss_stems(nm.text).isdisjoint(mt_stems):
            continue
        if any(syl and "".join(syl) in letters for syl in nm.orders()[:24]):
            continue
        # a surname alone ("Wang" for 王建明) renders the person
        if nm.surname_len and any("".join(syl[:1]) in letters for syl in nm.syllables[:8]):
            continue
        miss += 1
    return miss


@lru_cache(maxsize=16384)
def _source_lexicon(src: str) -> tuple[frozenset[str], str, int]:
    """(stems of every CC-CEDICT gloss of every jieba word of ``src``, single characters'
    one-word glosses included; the romanisations of its words without glosses, joined;
    the number of its content words)."""
    from mtcheck.lang import zh

    fw = zh.function_words()
    stems: set[str] = set()
    roms: list[str] = []
    n = 0
    for w in zh.words(src):
        t = w.text
        if not zh._ALL_CJK.match(t) or t in fw:
            continue
        g = _gloss_stems(t) if len(t) > 1 else frozenset(_stem(x) for x in zh.char_glosses(t) if x not in _STOP)
        stems |= g
        if len(t) > 1:
            n += 1
            if not g:
                roms.extend(_romanisations(t))
    return frozenset(stems), " ".join(roms), n


def source_support(src: str | None, mt: str) -> float | None:
    """How many content words of ``mt`` the source supports (a CC-CEDICT gloss of one of its
    words has the same crude stem, or a name is the romanisation of one), per content word of
    the source; None without a Chinese source. The reverse of :func:`source_coverage`: a dropped
    word lowers it even where the source word it rendered is still covered by another, and a
    word the source does not say ("decrease" for 增长, a wrong name) does not count."""
    from mtcheck.lang import zh

    if not src or not zh.has_chinese(src):
        return None
    stems, roms, n = _source_lexicon(src)
    if not n:
        return None
    got: set[str] = set()  # distinct words: a word printed twice is not rendered twice
    for t in _WORD.findall(mt):
        low = t.lower()
        if len(low) < 3 or low in _STOP:
            continue
        if _stem(low) in stems or (t[:1].isupper() and len(low) >= 4 and low in roms):
            got.add(low)
    return len(got) / n


AGREEMENT_FEATURES = ("support", "neg_diff", "tense_diff", "num_miss", "name_miss")


def source_agreement(src: str | None, mt: str) -> dict[str, float] | None:
    """How ``mt`` departs from its Chinese source, as numbers that are 0 for a faithful
    translation (None without a Chinese source):

    - ``neg_diff``: the difference between the negations of the source (``ZH_NEGATION``) and of
      the MT ("not", "no", "never", "without", "fail to" ...), each counted up to 3;
    - ``tense_diff``: the same for future markers (将, 会, 即将 ... against "will", "shall",
      "going to"), plus 1 where the source marks the past (了, 已经, 曾 ...) and the MT has no
      past form at all;
    - ``num_miss``: significant numbers on either side without an equal value on the other
      (:mod:`mtcheck.numbers`);
    - ``name_miss``: source names the MT does not render;
    - ``support``: :func:`source_support` (higher is better, unlike the others).
    """
    from mtcheck.lang import zh

    if not src or not zh.has_chinese(src):
        return None
    neg, fut, past = _zh_counts(src)
    en_neg = len(_EN_NEGATION.findall(mt))
    en_fut = len(_EN_FUTURE.findall(mt))
    tense = abs(min(fut, _CAP) - min(en_fut, _CAP))
    if past and not fut and not _en_past(mt):
        tense += 1
    return {"support": source_support(src, mt) or 0.0, "neg_diff": float(abs(min(neg, _CAP) - min(en_neg, _CAP))), "tense_diff": float(tense),
            "num_miss": float(min(_number_misses(src, mt), _CAP)), "name_miss": float(min(_name_misses(src, mt), _CAP))}


__all__ = ["AGREEMENT_FEATURES", "source_agreement", "source_coverage", "source_support"]
