"""Checks where the Chinese source decides: names (MT107) and terms (MT108).

Language knowledge (jieba words, pinyin, CC-CEDICT) comes from ``mtcheck.lang.zh``, loaded
only when a document has a Chinese source. ``source_votes`` lets MT101 ask which of two
competing forms of a name the aligned source supports.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterator, Sequence

from mtcheck.checks.base import Check
from mtcheck.corpus import Document, Segment
from mtcheck.findings import Finding, Severity
from mtcheck.lang import zh
from mtcheck.names import fix_case, function_words, is_rare, tokenize, zipf


def has_source(doc: Document) -> bool:
    """Whether any segment of ``doc`` has a Chinese source."""
    return any(zh.has_chinese(s.src) for s in doc.segments)


# -- English name windows ----------------------------------------------------------------

class Window(tuple):
    """(start, end, text, letters, first token index, last token index + 1)."""

    __slots__ = ()

    start = property(lambda self: self[0])
    end = property(lambda self: self[1])
    text = property(lambda self: self[2])
    letters = property(lambda self: self[3])
    lo = property(lambda self: self[4])
    hi = property(lambda self: self[5])


@lru_cache(maxsize=16384)
def _windows(mt: str, max_words: int = 3) -> tuple[Window, ...]:
    """Runs of 1-``max_words`` capitalised words next to each other (space or hyphen)."""
    toks = [t for t in tokenize(mt)]
    out: list[Window] = []
    runs: list[list[int]] = []
    cur: list[int] = []
    for k, t in enumerate(toks):
        if t.is_word and t.cap:
            if cur and not mt[toks[cur[-1]].end:t.start].strip(" -") == "" :
                runs.append(cur)
                cur = []
            cur.append(k)
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    for run in runs:
        for i in range(len(run)):
            for j in range(i + 1, min(len(run), i + max_words) + 1):
                a, b = toks[run[i]], toks[run[j - 1]]
                text = mt[a.start:b.end]
                end = b.end
                if text[-2:] in ("'s", "’s"):
                    text, end = text[:-2], end - 2
                out.append(Window((a.start, end, text, zh.letters(text), run[i], run[j - 1] + 1)))
    return tuple(out)


def _near(eng: str, name: zh.SourceName) -> tuple[tuple[str, ...], bool] | None:
    """The reading of ``name`` that ``eng`` (letters) is one letter or one pinyin syllable
    away from, if any, and whether that is weak evidence on its own: one of only two
    syllables swapped for an unlike one (Xishi for Hengshi, Zhejiang for Zheda), or a
    one-letter difference that leaves no pinyin (Kunbizze for 昆比泽 Kunbize: foreign
    names keep their own spelling)."""
    from rapidfuzz.distance import OSA, Levenshtein

    syls = zh.syllables()
    letter = None
    for s in _orders(name):
        joined = "".join(s)
        if len(joined) >= 5 and OSA.distance(eng, joined, score_cutoff=1) == 1:
            if zh.syllable_parse(eng):
                return s, False
            letter = letter or s
            continue
        for i in range(len(s)):
            pre, suf = "".join(s[:i]), "".join(s[i + 1:])
            if len(eng) < len(pre) + len(suf) or not (eng.startswith(pre) and eng.endswith(suf)):
                continue
            mid = eng[len(pre):len(eng) - len(suf)]
            if not mid and len(s) >= 3:
                return s, False
            if mid and mid != s[i] and mid in syls:
                weak = len(s) <= 2 and Levenshtein.distance(mid, s[i]) > 1
                return s, weak
    return (letter, True) if letter else None


def _orders(name: zh.SourceName) -> list[tuple[str, ...]]:
    """``name.orders()``, and, for a place whose last character English translates (永暑岛
    "Yongshu Island", 江湾路 "Jiangwan Road"), the readings without it."""
    out = name.orders()
    if len(name.text) >= 3 and name.text[-1] in zh.generic_suffixes() and not name.is_person:
        out = out + [s[:-1] for s in name.syllables if len(s) == len(name.text)]
    return out


def _surname_len(name: zh.SourceName) -> int:
    """Where a person's name splits: jieba's person names (nr), and two- or three-character
    names tagged nz that open with a common surname (周珊珊)."""
    if name.is_person:
        return name.surname_len
    if name.flag in ("nz", "nr") and 2 <= len(name.text) <= 3 and name.text[0] in zh.common_surnames():
        return 1
    return 0


def _tied(name: zh.SourceName, w: "Window", reading: tuple[str, ...], usual: Counter, exact) -> bool:
    """Whether something besides closeness ties window ``w`` to ``name``: CC-CEDICT gives the
    pinyin as its English name (湖南 Hunan), another mention spells it, a neighbouring word spells another source name, or
    (a person) the surname is spelt right."""
    pinyin = {"".join(x) for x in name.orders()}
    if any(zh.letters(g) in pinyin for g in name.glosses) or usual or any(x.hi == w.lo or x.lo == w.hi for _, x in exact):
        return True
    k = _surname_len(name)
    if k:
        # a person: the surname or the given name, written apart, is spelt right
        parts = {"".join(r[:k]) for r in name.syllables} | {"".join(r[k:]) for r in name.syllables}
        ws = [zh.letters(x) for x in w.text.replace("-", " ").split()]
        if len(ws) > 2:
            ws = [ws[0], "".join(ws[1:])]
        return len(ws) > 1 and bool(parts & set(ws))
    return False


def _spell(name: zh.SourceName, syl: tuple[str, ...], like: str = " ") -> str:
    """``syl`` (a reading of ``name``) written as English: "Hengshi", "Wang Jianming"; joined
    up where the English form ``like`` is one word."""
    k = _surname_len(name)
    if k and len(syl) > k and " " in like.strip():
        if name.syllables and syl[:k] != name.syllables[0][:k] and syl[-k:] == name.syllables[0][:k]:
            return f"{zh.join_syllables(syl[:-k])} {zh.join_syllables(syl[-k:])}"
        return f"{zh.join_syllables(syl[:k])} {zh.join_syllables(syl[k:])}"
    return zh.join_syllables(syl)


def _plausible(w: Window, mt: str) -> bool:
    """A window that could be a transliterated name: long enough, not common English."""
    if len(w.letters) < 4:
        return False
    return _plausible_text(mt[w.start:w.end])


@lru_cache(maxsize=16384)
def _plausible_text(text: str) -> bool:
    """``_plausible`` of a window's text (cached: every system writes the same names)."""
    ws = text.replace("-", " ").split()
    fw = function_words()
    if any(x.lower() in fw for x in ws):
        return False
    return any(is_rare(x) for x in ws)


class SourceName(Check):
    """A transliterated name does not spell the name in the Chinese source.

    Bad: source 山西恒石事业集团, MT "Shanxi Xishi Cause Group" (恒石 is Hengshi);
    source 王建明, MT "Wang Jianmin" (one letter or one syllable off "Wang Jianming").
    Good: "Shanxi Hengshi Cause Group", "Wang Jianming"; names that are translated
    rather than transliterated (黄河 Yellow River, 北京大学 Peking University, from
    CC-CEDICT) are accepted, and so are the usual forms of a romanisation (joined or
    hyphenated syllables, Xi'an or Xian, surname first or last). Also flagged: one source
    name spelt two ways in one document ("Fangfang" and "Fang Fang").
    """

    code = "MT107"
    name = "consistency.source-name"
    severity = Severity.ERROR
    scope = "document"
    needs = frozenset({"src"})

    def check_document(self, doc: Document) -> Iterator[Finding]:
        if not has_source(doc):
            return
        per_seg = []
        usual: dict[str, Counter[str]] = defaultdict(Counter)
        for seg in doc.segments:
            if not zh.has_chinese(seg.src):
                per_seg.append(None)
                continue
            names = [n for n in zh.names(seg.src or "") if len(n.syllables[0]) >= 2]
            wins = _windows(seg.mt) if names else ()
            exact = self._exact(names, wins)
            for n, w in exact:
                usual[n.text][w.text] += 1
            per_seg.append((names, wins, exact))
        for seg, info in zip(doc.segments, per_seg):
            if info is not None and info[0]:
                yield from self._transliterated(doc, seg, info[2])
                yield from self._misspelt(doc, seg, *info, usual)
        yield from self._two_spellings(doc, per_seg, usual)

    def _transliterated(self, doc: Document, seg: Segment, exact) -> Iterator[Finding]:
        """Pinyin where CC-CEDICT gives a translated English name: "Yilang" for 伊朗 (Iran)."""
        for n, w in exact:
            want = n.translated_as
            if want and w.letters in {"".join(s) for s in n.orders(longer=False)} \
                    and zh.letters(want) != w.letters:
                yield self.finding(doc, seg, w.start, w.end,
                                   f"'{w.text}' spells the pinyin of the source's {n.text}, "
                                   f"whose English name is '{want}'", want)

    def _translated(self, seg: Segment, n: zh.SourceName, wins, taken: set[int]) -> "Window | None":
        """A window that translates the characters of a name the source transliterates:
        "Green Ocean" for 青海 (Qinghai), "Lan Prefecture" for 兰州, "Ji Beautiful
        Beautiful" for 纪佳丽."""
        if n.glosses and not n.translated_as and not n.pinyin_name:
            return None
        chars = n.text
        for w in wins:
            if taken & set(range(w.lo, w.hi)):
                continue
            ws = [x for x in w.text.replace("-", " ").split()]
            if not 2 <= len(ws) <= len(chars):
                continue
            if self._covers(ws, chars, n):
                return w
        return None

    @staticmethod
    def _covers(ws: list[str], chars: str, n: zh.SourceName) -> bool:
        """Each word translates its character or spells it in pinyin, and at least one word
        translates: "Green Ocean" (青海), "Lake Nan" (湖南), "Ning City" (宁城). A last
        character that English translates anyway (路 Road, 省 Province) does not count, and
        may be left out: "River West" (江西省), "Extra Yao" (余姚市)."""
        suffix = chars[-1] in zh.generic_suffixes()
        if suffix and len(ws) == len(chars) - 1 >= 2:
            chars, suffix = chars[:-1], False
        if len(ws) != len(chars):
            return False
        readings = [{s[i] for s in n.syllables if i < len(s)} for i in range(len(chars))]
        kinds = []
        for i, (word, ch) in enumerate(zip(ws, chars)):
            low = word.lower()
            if zh.letters(word) in readings[i]:
                kinds.append("pinyin")
            elif low in zh.char_glosses(ch) or base(low) in zh.char_glosses(ch):
                kinds.append("gloss")
            else:
                return False
        if suffix:
            kinds = kinds[:-1]  # "Nanjing Road", "Sheng Street": the generic part is translated
        return "gloss" in kinds

    @staticmethod
    def _exact(names: Sequence[zh.SourceName], wins: Sequence[Window]) -> list[tuple[zh.SourceName, Window]]:
        """(source name, English window) pairs that spell each other, longest windows first."""
        out = []
        taken: set[int] = set()
        for w in sorted(wins, key=lambda w: (w.lo - w.hi, w.start)):
            if taken & set(range(w.lo, w.hi)):
                continue
            for n in names:
                if w.letters in n.letter_forms():
                    out.append((n, w))
                    taken.update(range(w.lo, w.hi))
                    break
        return out

    @staticmethod
    def _near_gloss(w: Window, names) -> tuple[zh.SourceName, str] | None:
        """A name one letter off CC-CEDICT's English name of a source name ("Switzerlan" for
        瑞士 Switzerland)."""
        from rapidfuzz.distance import OSA

        hits = []
        for n in names:
            for g in n.glosses:
                lg = zh.letters(g)
                if len(lg) >= 5 and len(g.split()) == len(w.text.split()) \
                        and OSA.distance(w.letters, lg, score_cutoff=1) == 1:
                    own = {x.lower() for x in g.split()}
                    if all(zipf(x) < 1.0 for x in w.text.split() if x.lower() not in own):
                        hits.append((n, g))  # not another spelling in use ("Macau", "Teheran", "Tibetans")
                    break
        return hits[0] if len(hits) == 1 else None

    def _misspelt(self, doc: Document, seg: Segment, names, wins, exact, usual) -> Iterator[Finding]:
        src = seg.src or ""
        need = Counter(n.text for n in names)
        need.subtract(Counter(n.text for n, _ in exact))
        open_names = {n.text: n for n in names if need[n.text] > 0 and n.pinyin_name}
        if not open_names:
            return
        taken = {i for _, w in exact for i in range(w.lo, w.hi)}
        for n in list(open_names.values()):
            hit = self._translated(seg, n, wins, taken)
            if hit is not None:
                taken.update(range(hit.lo, hit.hi))
                del open_names[n.text]
                best = usual[n.text].most_common(1)
                nw = len(hit.text.split())
                pinyin = tuple("".join(x) for x in n.syllables)
                named = [g for g in n.glosses if zh.letters(g).startswith(pinyin)] or list(n.glosses[:1])
                want = best[0][0] if best else (
                    min(named, key=lambda g: (abs(len(g.split()) - nw), len(g))) if named else n.romanised())
                yield self.finding(doc, seg, hit.start, hit.end,
                                   f"'{hit.text}' translates the characters of the source's name {n.text}, "
                                   f"which is transliterated ({n.romanised()})", want)
        glossed = None
        for w in sorted(wins, key=lambda w: (w.lo - w.hi, w.start)):
            if taken & set(range(w.lo, w.hi)) or not _plausible(w, seg.mt):
                continue
            near = [(n, r) for n in open_names.values() for r in (_near(w.letters, n),) if r is not None]
            if not near:
                g = self._near_gloss(w, open_names.values())
                if g is not None and not re.search(rf"\b{re.escape(w.text.lower())}\b", zh.gloss_text(src)):
                    n, want = g
                    taken.update(range(w.lo, w.hi))
                    del open_names[n.text]
                    yield self.finding(doc, seg, w.start, w.end,
                                       f"'{w.text}' misspells '{want}', the English name of the source's {n.text}",
                                       want)
                    if not open_names:
                        return
                continue
            if len(near) != 1:
                continue
            if zh.transliterates(src, w.text) or w.text.lower() in src.lower():
                continue  # it spells another stretch of the source, or the source has it in Latin letters
            if glossed is None:
                glossed = zh.gloss_text(src)
            if re.search(rf"\b{re.escape(w.text.lower())}\b", glossed):
                continue  # CC-CEDICT gives it as the English of a word of the source
            n, (reading, weak) = near[0]
            if weak and not _tied(n, w, reading, usual[n.text], exact):
                continue  # nothing but closeness ties this word to that name
            taken.update(range(w.lo, w.hi))
            del open_names[n.text]
            best = usual[n.text].most_common(1)
            want = best[0][0] if best else _spell(n, reading, w.text)
            if " " not in w.text and " " not in want:
                want = fix_case(want, w.text)
            yield self.finding(
                doc, seg, w.start, w.end,
                f"'{w.text}' does not spell the source's {n.text} ({_spell(n, reading)})", want)
            if not open_names:
                return

    def _two_spellings(self, doc: Document, per_seg, usual) -> Iterator[Finding]:
        for text, forms in usual.items():
            if len(forms) < 2:
                continue
            by_letters: dict[str, list[str]] = defaultdict(list)
            for f in forms:
                if len(zh.letters(f)) >= 4 and zh.syllable_parse(f):  # romanisations, not "U.S." / "US"
                    by_letters[zh.letters(f)].append(f)
            for same in by_letters.values():
                if len(same) < 2:
                    continue
                first: dict[str, tuple[int, int]] = {}
                for seg, info in zip(doc.segments, per_seg):
                    if info is None:
                        continue
                    for n, w in info[2]:
                        if n.text == text and w.text in same:
                            first.setdefault(w.text, (seg.index, w.start))
                keep = max(same, key=lambda f: (forms[f], tuple(-x for x in first.get(f, (0, 0)))))
                for seg, info in zip(doc.segments, per_seg):
                    if info is None:
                        continue
                    for n, w in info[2]:
                        if n.text == text and w.text in same and w.text != keep:
                            yield self.finding(
                                doc, seg, w.start, w.end,
                                f"the source's {text} is written '{keep}' elsewhere in this document "
                                f"({forms[keep]} mention{'s' if forms[keep] > 1 else ''})", keep)


def source_votes(doc: Document, forms: dict) -> Counter:
    """For MT101: how many mentions of each competing form the aligned source spells.

    ``forms`` maps a name form (a tuple of case-folded words) to its mentions; a mention
    counts for its form when a word that only that form has transliterates a stretch of
    the segment's Chinese source, or is one of its CC-CEDICT glosses. Empty without a source.
    """
    votes: Counter = Counter()
    if not has_source(doc):
        return votes
    for key, mentions in forms.items():
        others = set().union(*(set(k) for k in forms if k != key))
        own = [w for w in key if w not in others and len(w) >= 3]
        if not own:
            continue
        for m in mentions:
            src = doc.segments[m.seg].src
            if not zh.has_chinese(src):
                continue
            if any(zh.transliterates(src, w) for w in own):
                votes[key] += 1
    # the source decides only where it tells the forms apart
    if len(votes) > 1:
        return Counter()
    return votes



# -- MT108: one source term, one rendering -------------------------------------------------

#: jieba tags of words that can be terms: nouns, verbal and adjectival nouns, idioms,
#: organisations and places that CC-CEDICT translates
TERM_TAGS = frozenset({"n", "nz", "nt", "ns", "nl", "ng", "l", "j"})
_SUFFIXES = ("ational", "ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "es", "ed", "s", "al",
             "ly", "e")
_INFLECTIONS = ("ies", "ied", "ing", "es", "ed", "s")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stem of the word family: "vocational" = "vocation", "plans" = "plan"."""
    w = word.lower()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[:-len(suf)]
    return w


@lru_cache(maxsize=65536)
def base(word: str) -> str:
    """The word without its inflection ("plans", "planned" -> "plan"), derivation kept
    ("national" stays: it renders an adjective, not the noun "nation")."""
    w = word.lower()
    for suf in _INFLECTIONS:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[:-len(suf)]
            if suf in ("ies", "ied"):
                w += "y"
            elif suf in ("ing", "ed") and len(w) >= 4 and w[-1] == w[-2]:
                w = w[:-1]  # planned -> plan
            break
    return w.rstrip("e") if len(w) > 4 else w


@lru_cache(maxsize=65536)
def _alike(a: str, b: str) -> bool:
    """Two stems of one word family: "detect" / "detection", "spirit" / "spiritual"."""
    if base(a) == base(b):
        return True
    a, b = stem(a), stem(b)
    n = min(len(a), len(b))
    return a[:n] == b[:n] and n >= 4 or (n >= 6 and a[:n - 1] == b[:n - 1])


_ADJ = ("al", "ic", "ive", "ful", "ous", "ary", "ible", "able", "ese", "ian")


@lru_cache(maxsize=65536)
def word_class(word: str) -> str:
    """"adj", "verb" or "noun", from the ending alone: good enough to keep "national"
    from being compared with "country", or "stipulated" with "regulation"."""
    w = word.lower()
    if w.endswith(("ed", "ing")) and len(w) > 5:
        return "verb"
    if w.endswith(_ADJ) and len(w) > 5:
        return "adj"
    return "noun"


def _stems(text: str) -> list[tuple[str, int, int]]:
    return [(stem(t[0]), t[1], t[2]) for t in tokenize(text) if t[0][0].isalpha()]


@lru_cache(maxsize=65536)
def _phrase_stems(phrase: str) -> tuple[str, ...] | None:
    ws = [t.text for t in tokenize(phrase) if t.is_word]
    fw = function_words()
    if not ws or not any(len(w) >= 3 and w.lower() not in fw for w in ws):
        return None
    return tuple(stem(w) for w in ws)


@lru_cache(maxsize=16384)
def _terms(src: str) -> tuple[str, ...]:
    """The terms of a source segment: jieba words of two or more characters with a noun-like
    tag, and the CC-CEDICT entries inside longer ones (职业 in 职业培训), minus function
    words and the names that CC-CEDICT does not translate (MT107's business)."""
    fw = zh.function_words()
    out: list[str] = []
    for w in zh.words(src):
        if len(w.text) < 2 or w.flag not in TERM_TAGS or not zh.has_chinese(w.text):
            continue
        if w.flag in zh.NAME_TAGS and not zh.is_proper(w.text):
            continue
        parts = [w.text]
        if len(w.text) >= 3:
            parts += [w.text[i:j] for i in range(len(w.text)) for j in range(i + 2, len(w.text) + 1)
                      if (i, j) != (0, len(w.text))]
        for t in parts:
            if t not in fw and t not in out and zh.gloss_phrases(t):
                out.append(t)
    return tuple(out)


class _SegStems(list):
    """The stems of a segment's words, with where each stem starts (for phrase look-ups);
    the lower-case words and their bases are worked out when first asked for."""

    def __init__(self, text: str) -> None:
        super().__init__(_stems(text))
        self.text = text
        at: dict[str, list[int]] = {}
        for i, (st, _, _) in enumerate(self):
            got = at.get(st)
            if got is None:
                at[st] = [i]
            else:
                got.append(i)
        self.at = at
        self._words: list[tuple[str, int, int]] | None = None
        self._bases: set[str] | None = None

    @property
    def words(self) -> list[tuple[str, int, int]]:
        """(lower-case word, start, end) of each word."""
        if self._words is None:
            text = self.text
            self._words = [(text[a:b].lower(), a, b) for _, a, b in self]
        return self._words

    @property
    def bases(self) -> set[str]:
        """The lower-case words and their uninflected forms."""
        if self._bases is None:
            low = {w for w, _, _ in self.words}
            self._bases = low | {base(w) for w in low}
        return self._bases


def _occurrences(stems: _SegStems, phrase: tuple[str, ...]) -> list[tuple[int, int]]:
    n = len(phrase)
    out = []
    for i in stems.at.get(phrase[0], ()):
        if i + n <= len(stems) and all(stems[i + j][0] == phrase[j] for j in range(1, n)):
            out.append((stems[i][1], stems[i + n - 1][2]))
    return out


@lru_cache(maxsize=4096)
def _char_phrases(ch: str) -> tuple[tuple[str, ...], ...]:
    """The English glosses of one character as word tuples of one to three lower-case words
    (视: look at, see, watch), a leading "to"/"a"/"the" dropped; single words are CC-CEDICT's
    ``char_glosses``."""
    out = {(w,) for w in zh.char_glosses(ch)}
    for e in zh.entries(ch):
        if e.proper:
            continue
        for g in e.glosses:
            if g.startswith(("CL:", "see ", "variant of", "old variant", "also written", "abbr. for", "surname ")):
                continue
            for part in re.split(r"[;,]| or ", re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", g)):
                ws = part.lower().split()
                if ws and ws[0] in ("to", "a", "an", "the"):
                    ws = ws[1:]
                if 2 <= len(ws) <= 3 and all(w.isalpha() and w.isascii() for w in ws):
                    out.add(tuple(ws))
    return tuple(sorted(out, key=lambda p: (-len(p), p)))


class SourceTerm(Check):
    """One source term is rendered in different ways in one document.

    Bad: 职业 rendered "vocational" in two segments and "professional" in a third, where
    the source says 职业 each time; 计划 as "plan" and later "program".
    Good: one rendering throughout. The renderings are located through the term's
    CC-CEDICT glosses; the first or majority rendering is suggested. A rendering that
    also glosses another word of the same source segment is not flagged.
    """

    code = "MT108"
    name = "consistency.source-term"
    severity = Severity.WARNING
    scope = "document"
    needs = frozenset({"src"})
    #: segments that must agree on the main rendering before a word-by-word rendering is
    #: flagged, and before another gloss or a synonym is
    min_support = 1
    min_majority = 2

    def check_document(self, doc: Document) -> Iterator[Finding]:
        if not has_source(doc):
            return
        term_segs: dict[str, list[int]] = defaultdict(list)
        seg_terms: dict[int, set[str]] = {}
        for k, seg in enumerate(doc.segments):
            if not zh.has_chinese(seg.src):
                continue
            terms = set(_terms(seg.src or ""))
            seg_terms[k] = terms
            for t in sorted(terms):
                term_segs[t].append(k)
        stems_of: dict[int, list[tuple[str, int, int]]] = {}
        for term, segs in term_segs.items():
            if len(segs) < 2:
                continue
            phrases = {}
            for p in zh.gloss_phrases(term):
                ps = _phrase_stems(p)
                if ps is not None:
                    phrases.setdefault(ps, p)
            if not phrases:
                continue
            yield from self._term(doc, term, segs, phrases, seg_terms, stems_of)

    def _term(self, doc: Document, term: str, segs: list[int], phrases: dict, seg_terms, stems_of) -> Iterator[Finding]:
        found: dict[int, dict[tuple[str, ...], list[tuple[int, int]]]] = {}
        for k in segs:
            if k not in stems_of:
                stems_of[k] = _SegStems(doc.segments[k].mt)
            occ: dict[tuple[str, ...], list[tuple[int, int]]] = {}
            for ps in phrases:
                hits = _occurrences(stems_of[k], ps)
                if hits:
                    occ[ps] = hits
            # keep maximal occurrences: "vocational education" hides "education"
            spans = [(a, b, ps) for ps, hs in occ.items() for a, b in hs]
            keep: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
            for a, b, ps in spans:
                if not any(a2 <= a and b <= b2 and (b2 - a2) > (b - a) for a2, b2, _ in spans):
                    keep[ps].append((a, b))
            found[k] = dict(keep)
        # a rendering inside a name ("Digital Technology Forum") says nothing; a segment whose
        # only renderings are in names is left out
        kept_segs = []
        for k in segs:
            mt = doc.segments[k].mt
            free = {ps: [h for h in hs if not self._in_name(mt, h[0])] for ps, hs in found[k].items()}
            free = {ps: hs for ps, hs in free.items() if hs}
            if found[k] and not free:
                continue
            found[k] = free
            kept_segs.append(k)
        segs = kept_segs
        seen = Counter(ps for k in segs for ps in found[k])
        if not seen:
            return
        first = {}
        for k in segs:
            for ps, hs in found[k].items():
                first.setdefault(ps, (k, hs[0]))
        main = max(seen, key=lambda ps: (seen[ps], -first[ps][0], -first[ps][1][0]))
        if seen[main] < self.min_support:
            return
        main_stems = set(main)
        k0, (a0, b0) = first[main]
        want = doc.segments[k0].mt[a0:b0]
        literal = set()
        for k in segs:  # the term translated word by word where other segments use its gloss
            if not any(main in found[j] for j in segs if j != k):
                continue
            hit = self._literal(doc.segments[k], term, stems_of[k], set(phrases))
            if hit is not None and zh.letters(doc.segments[k].mt[hit[0]:hit[1]]) != zh.letters(want):
                literal.add(k)
                seg = doc.segments[k]
                yield self.finding(doc, seg, hit[0], hit[1],
                                   f"the source's {term} is rendered character by character as "
                                   f"'{seg.mt[hit[0]:hit[1]]}' here and '{want}' elsewhere "
                                   f"(line {doc.segments[k0].line})", want)
        for k in segs:
            seg = doc.segments[k]
            mains = found[k].get(main, ())
            if k in literal or mains:
                continue  # flagged above, or the main rendering is there
            if any(_alike(s, m) for s, _, _ in stems_of[k] for m in main_stems):
                continue  # the main rendering's words are there: a paraphrase, not a swap
            if seen[main] < self.min_majority:
                continue  # one segment against one: free variation as often as not
            hit = self._other_gloss(seg, term, found[k], main_stems, want) \
                or self._synonym(seg, term, stems_of[k], want)
            if hit is None or self._in_name(seg.mt, hit[0]):
                continue
            a, b, how = hit
            yield self.finding(
                doc, seg, a, b,
                f"the source's {term} is rendered '{seg.mt[a:b]}' here{how} and '{want}' elsewhere "
                f"(line {doc.segments[k0].line}, {seen[main]} segment{'s' if seen[main] > 1 else ''})",
                fix_case(want, seg.mt[a:b]) if " " not in want else want)

    def _other_gloss(self, seg: Segment, term: str, found, main_stems, want: str):
        """Another CC-CEDICT gloss of the term: "program" where the others say "plan"."""
        for ps, hs in found.items():
            if any(_alike(s, m) for s in ps for m in main_stems):
                continue
            if word_class(seg.mt[hs[0][0]:hs[0][1]].split()[-1]) != word_class(want.split()[-1]):
                continue  # "national" beside "country": another use of the term, not a swap
            if self._glosses_other(ps, term, set(), seg.src or ""):
                continue
            return hs[0][0], hs[0][1], ""
        return None

    def _literal(self, seg: Segment, term: str, stems, glosses: set):
        """The term translated character by character: "net ball" for 网球 (tennis), "look at
        frequency" for 视频 (video), not one of its CC-CEDICT glosses (``glosses``: their stem
        tuples). Each character is rendered by one of its glosses of one to three words."""
        n = len(term)
        if n < 2:
            return None
        gl = [_char_phrases(c) for c in term]
        if not all(gl):
            return None
        first = {p[0] for p in gl[0]}
        if stems.bases.isdisjoint(first):
            return None
        words = stems.words
        fw = function_words()

        def match(i: int, c: int) -> int | None:
            """The end (word index) of characters c.. rendered from word i on."""
            if c == n:
                return i
            for p in gl[c]:
                j = i + len(p)
                if j > len(words) or words[i][0] in fw:
                    continue
                if all(w == q or base(w) == q for (w, _, _), q in zip(words[i:j], p)):
                    end = match(j, c + 1)
                    if end is not None:
                        return end
            return None

        for i in range(len(words) - n + 1):
            if words[i][0] not in first and base(words[i][0]) not in first:
                continue
            end = match(i, 0)
            if end is not None and tuple(stem(w) for w, _, _ in words[i:end]) not in glosses:
                return words[i][1], words[end - 1][2], ""
        return None

    def _synonym(self, seg: Segment, term: str, stems, want: str):
        """A word CC-CEDICT treats as a synonym of the main rendering ("cost" for "price"),
        that glosses no other word of the segment's source."""
        ws = want.split()
        if len(ws) != 1:
            return None
        head = want.lower()
        fw = function_words()
        for w, a, b in stems.words:
            if w in fw or len(w) < 3 or _alike(stem(w), stem(head)):
                continue
            if word_class(w) != word_class(head):
                continue
            if zh.synonyms(base(w), base(head)) or zh.synonyms(w, head):
                if self._glosses_other((stem(w),), term, set(), seg.src or ""):
                    continue
                return a, b, ""
        return None

    @staticmethod
    def _in_name(mt: str, at: int) -> bool:
        """A capitalised word that does not start a sentence: part of a name or a title."""
        if not mt[at:at + 1].isupper():
            return False
        before = mt[:at].rstrip(" \"'“‘(")
        return bool(before) and before[-1] not in ".!?:;"

    @staticmethod
    def _glosses_other(ps: tuple[str, ...], term: str, terms: set[str], src: str) -> bool:
        """Whether the rendering ``ps`` also glosses another word of the same source segment."""
        for w in zh.words(src):
            if w.text == term or not zh.has_chinese(w.text):
                continue
            for p in zh.gloss_phrases(w.text):
                q = _phrase_stems(p)
                if q is not None and (q == ps or (len(ps) == 1 and ps[0] in q)):
                    return True
        return False


__all__ = ["SourceName", "SourceTerm", "has_source", "source_votes", "stem"]
