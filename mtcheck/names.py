"""Finding entity mentions in English text: tokens, capitalised name runs, known variants.

Shared by the consistency checks (MT101-MT105). Names are found by capitalisation
patterns: maximal runs of capitalised words, joined by ``and``/``of``/``for``/``&`` and
the ``Co., Ltd.`` pattern, with a sentence-initial common word stripped ("After
Shanxi ..."). Word rarity comes from ``wordfreq`` (a transliterated name like "Xishi" is
rare; "Normal" is not). Knowledge lives in data files under ``mtcheck/data``.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple, Sequence

from mtcheck.corpus import Document

_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"                                   # U.S., U.K., U.S.A.
    r"|(?:Co|Ltd|Inc|Corp|Dr|Mr|Mrs|Ms|St|Jr|Prof|Gov|Gen|Sen|Rep)\.(?!\w)"
    r"|[^\W\d_]+(?:['’\-][^\W\d_]+)*"                    # words, People's, Xi'an, well-known
    r"|\d+(?:[.,:]\d+)*"
    r"|\S",
    re.UNICODE,
)
CONNECTORS = frozenset({"and", "of", "for", "&", "de", "du", "van", "von", "der", "al", "on"})
SENTENCE_END = frozenset({".", "!", "?", ";", ":", "。", "！", "？", "\u2014"})
OPENERS = frozenset({'"', "'", "“", "‘", "(", "[", "«", "-", "–", "—", "*"})
LEGAL_SUFFIX = frozenset({"Ltd.", "Inc.", "Ltd", "Inc", "LLC", "Corp."})
#: nouns that end a name: "School and Shanxi ..." is two names, "Mechanical and Electrical" one
HEAD_WORDS = frozenset({
    "academy", "agency", "association", "bank", "bureau", "center", "centre", "city", "club",
    "co.", "college", "commission", "committee", "company", "corp.", "corporation", "council",
    "county", "court", "department", "district", "foundation", "government", "group", "hospital",
    "inc.", "institute", "league", "ltd.", "ministry", "museum", "office", "party", "plan",
    "province", "school", "society", "station", "university", "village", "park", "zone",
})
#: month and weekday names: "on" before one is a date, not part of a name ("Xinhua News Agency
#: on December 9", but "Summit on Democracy")
DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split())
#: a word at least this frequent (wordfreq zipf) is a common English word
COMMON_ZIPF = 3.5


@lru_cache(maxsize=1)
def _data_lines(name: str) -> tuple[str, ...]:
    text = resources.files("mtcheck").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    return frozenset(_data_lines("generic_name_words.txt"))


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    return frozenset(_data_lines("function_words.txt"))


@lru_cache(maxsize=1)
def proper_nouns() -> frozenset[str]:
    return frozenset(_data_lines("proper_nouns.txt"))


@lru_cache(maxsize=1)
def _lower_words() -> frozenset[str]:
    return frozenset(_data_lines("lower_words.txt"))


@lru_cache(maxsize=1)
def _capital_words() -> frozenset[str]:
    return frozenset(_data_lines("capital_words.txt"))


def _inflections(w: str) -> tuple[str, ...]:
    """``w`` and the bases it may be an inflection of: "submarines" -> submarine, "cities" ->
    city, "steamed" -> steam."""
    out = [w]
    if w.endswith("ies") and len(w) > 4:
        out.append(w[:-3] + "y")
    if w.endswith("es") and len(w) > 4:
        out.append(w[:-2])
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        out.append(w[:-1])
    if w.endswith("ed") and len(w) > 4:
        out += [w[:-2], w[:-1]]
    if w.endswith("ing") and len(w) > 5:
        out += [w[:-3], w[:-3] + "e"]
    return tuple(out)


def lower_word(word: str) -> bool:
    """A rare word that English writes in lower case (CC-CEDICT's glosses do, in it or its base
    form): "metaphysics", "submarines", "invoice". Its capitalised use in a title or a heading is
    no evidence of a name (mtcheck/data/lower_words.txt, benchmarks/make_cased_words.py)."""
    lw = _lower_words()
    return any(f in lw for f in _inflections(word.lower()))


def capital_word(word: str) -> bool:
    """A frequent word that English capitalises: a name ("Vienna", "Intel", "Afghanistan";
    mtcheck/data/capital_words.txt, from CC-CEDICT's glosses)."""
    return word.lower() in _capital_words()


def variant_groups(extra: Sequence[Sequence[str]] = ()) -> list[tuple[str, ...]]:
    groups = [tuple(f.strip() for f in ln.split("\t") if f.strip()) for ln in _data_lines("variants.tsv")]
    return groups + [tuple(g) for g in extra]


_FREQ: dict[str, float] = {}


def zipf(word: str) -> float:
    """English word frequency on the zipf scale (0 for unknown words), cached: exactly
    ``wordfreq.zipf_frequency(word.lower(), "en")`` (see :class:`_EnglishFrequencies`)."""
    w = word.lower()
    f = _FREQ.get(w)
    if f is None:
        f = _english().zipf(w)
        if len(_FREQ) > 200_000:
            _FREQ.clear()
        _FREQ[w] = f
    return f


#: the word shapes that wordfreq's English tokenizer leaves alone, but for a final full stop
#: (dropped) and hyphens (token breaks): "college", "people's", "low-power", "co."
_PLAIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*(?:-[a-z]+(?:'[a-z]+)*)*\.?")


class _EnglishFrequencies:
    """wordfreq's English ("large") frequency list, read straight from wordfreq's data file.

    Importing wordfreq (ftfy, langcodes, regex) and building its 320,000-word dictionary
    take a fifth of a second, most of one short lint run. For words of the common shapes
    (:data:`_PLAIN_WORD`) this computes what ``wordfreq.zipf_frequency(word, "en")``
    returns, with the same arithmetic: the first few hundred words are looked up by
    bisection in the alphabetical frequency bands, after that a dictionary is built once.
    Any other word (digits, accents, curly apostrophes, "u.s.") goes to wordfreq itself.
    """

    BISECT_LOOKUPS = 256

    def __init__(self) -> None:
        self.bands: list[list[str]] | None = None
        self.index: dict[str, int] | None = None
        self.lookups = 0

    def _load(self) -> bool:
        if self.bands is None:
            import gzip
            from importlib.util import find_spec
            from pathlib import Path

            from mtcheck import _wordlist

            def unpack(raw: bytes) -> list[list[str]]:
                import msgpack

                data = msgpack.unpackb(gzip.decompress(raw), raw=False)
                header = data[0] if data else None
                if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
                    raise ValueError("not wordfreq's cB format 1")
                return data[1:]

            try:
                spec = find_spec("wordfreq")
                path = Path(next(iter(spec.submodule_search_locations))) / "data" / "large_en.msgpack.gz"
                # one alphabetical table of every word and its band, cached (mtcheck._wordlist)
                self.bands = _wordlist.load(path, unpack)
            except (ImportError, AttributeError, OSError, StopIteration, TypeError, ValueError):
                self.bands = []
                return False
        return bool(self.bands)

    def band(self, token: str) -> int | None:
        """The frequency band (minus centibels) of a token, None if wordfreq lacks it."""
        if self.index is not None:
            return self.index.get(token)
        self.lookups += 1
        if self.lookups > self.BISECT_LOOKUPS:
            self.index = self.bands.as_dict()
            return self.index.get(token)
        return self.bands.band(token)

    def zipf(self, word: str) -> float:
        if not _PLAIN_WORD.fullmatch(word) or not self._load():
            from wordfreq import zipf_frequency

            return zipf_frequency(word, "en")
        # wordfreq.word_frequency(word, "en", minimum=zipf_to_freq(0)), then freq_to_zipf, rounded
        minimum = 10 ** 0 / 1e9
        freq = minimum
        one_over = 0.0
        for token in word.rstrip(".").split("-"):
            b = self.band(token)
            if b is None:
                break
            one_over += 1.0 / 10 ** (-b / 100)
        else:
            unrounded = max(1.0 / one_over, minimum)
            freq = round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)
        return round(math.log(freq, 10) + 9, 2)


_ENGLISH: list[_EnglishFrequencies] = []


def _english() -> _EnglishFrequencies:
    if not _ENGLISH:
        _ENGLISH.append(_EnglishFrequencies())
    return _ENGLISH[0]


def clear_caches() -> None:
    """Forget every cached analysis (for benchmarks that time cold runs)."""
    _FREQ.clear()
    _ENGLISH.clear()
    _DOC_CACHE.clear()
    _names_in.cache_clear()
    _tokens.cache_clear()
    pinyin_split.cache_clear()
    default_matcher()._cache.clear()


def is_rare(word: str) -> bool:
    """A word that is not common English, like most transliterated names."""
    return zipf(word) < COMMON_ZIPF and word.lower() not in proper_nouns()


class Token(NamedTuple):
    text: str
    start: int
    end: int
    initial: bool  # first word of a sentence

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def cap(self) -> bool:
        return self.text[0].isupper()

    @property
    def lower(self) -> bool:
        return self.text[0].islower()


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (words, numbers, other characters), each flagged ``initial``
    when it is the first word of a sentence. Cached: every check reads the same segments."""
    return list(_tokens(text))


_new_tuple = tuple.__new__


#: small on purpose: the checks run document by document, so a few thousand segments cover the
#: reuse, and a cache of every segment's tokens (millions of tuples) makes garbage collection slow
@lru_cache(maxsize=2048)
def _tokens(text: str) -> tuple[Token, ...]:
    out: list[Token] = []
    append = out.append
    initial = True
    for m in _TOKEN.finditer(text):
        t = m.group()
        c = t[0]
        if c.isalpha():
            append(_new_tuple(Token, (t, *m.span(), initial)))
            initial = False
        else:
            append(_new_tuple(Token, (t, *m.span(), False)))
            if t in SENTENCE_END:
                initial = True
            elif c.isdigit():
                initial = False
    return tuple(out)


class Mention(NamedTuple):
    """A name in one segment: its words, their case-folded ``key``, and where it is."""

    seg: int
    start: int
    end: int
    words: tuple[str, ...]
    initial: bool  # the mention starts a sentence
    spans: tuple[tuple[int, int], ...]  # character span of each word
    key: tuple[str, ...]


def _strip_initial(run: list[Token]) -> list[Token]:
    """Drop a sentence-initial common word ("After", "The") and dangling connectors."""
    fw = function_words()
    while run and run[0].initial and run[0].text.lower() in fw:
        run = run[1:]
        while run and run[0].text.lower() in CONNECTORS:
            run = run[1:]
        if run:
            run = [Token(run[0].text, run[0].start, run[0].end, True), *run[1:]]
    while run and (run[-1].text.lower() in CONNECTORS or run[-1].text == ","):
        run = run[:-1]
    return run


_CAP = (r"(?:[A-Z]\.){2,}(?![A-Za-z])|(?:Co|Ltd|Inc|Corp|Mr|Mrs|Ms|Dr|Prof)\.(?!\w)"
        r"|[A-ZÀ-ÖØ-Þ][^\W_]*(?:['’\-][^\W_]+)*")
_CONN = r"(?:and|of|for|&|de|du|van|von|der|al|on)"
_RUN = re.compile(rf"(?<![\w'’\-])(?:{_CAP})(?:(?:\s+{_CONN})?\s+(?:{_CAP})|,\s+(?:Ltd|Inc|LLC|Corp)\.?(?!\w))*")
_PIECE = re.compile(rf"{_CAP}|{_CONN}(?=\s)|,")
_BEFORE_INITIAL = frozenset(".!?:;。！？\u2014")
_QUOTES = " \t\"'“‘([«*-–—"


def _initial_at(text: str, pos: int) -> bool:
    """Whether the word at ``pos`` starts a sentence (or the segment)."""
    before = text[:pos].rstrip(_QUOTES)
    return not before or before[-1] in _BEFORE_INITIAL


_AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "has", "have", "had", "will",
                          "would", "can", "could", "should", "may", "must", "does", "did", "do", "to"})


def _finish(run: list[Token], seg: int, out: list[Mention]) -> None:
    run = _strip_initial(run)
    fw = function_words()
    if any(t.text.lower() in _AUXILIARIES or (t.text.lower() in fw and t.text[0].isupper())
           for t in run[1:]):
        return  # a title-cased headline ("Modernization Is the Way"), not a name
    if run and run[-1].text[-2:] in ("'s", "’s") and len(run[-1].text) > 2:
        last = run[-1]
        run[-1] = Token(last.text[:-2], last.start, last.end - 2, last.initial)
    if len(run) == 1 and run[0].initial and not is_rare(run[0].text) \
            and run[0].text.lower() not in proper_nouns() \
            and not (run[0].text.isupper() and len(run[0].text) > 1):
        return  # "Officials said ...": a capitalised common word, not a name
    if run and not (len(run) == 1 and len(run[0].text) == 1):
        kept = [tok for tok in run if tok.text != ","]
        words = tuple(t.text for t in kept)
        out.append(Mention(seg, run[0].start, run[-1].end, words, run[0].initial,
                           tuple((t.start, t.end) for t in kept), tuple(w.casefold() for w in words)))


def find_names(text: str, seg: int) -> list[Mention]:
    """Maximal capitalised runs in one segment (see the module docstring)."""
    out: list[Mention] = []
    fw = function_words()
    pn = proper_nouns()
    for m in _RUN.finditer(text):
        base = m.start()
        word = m.group()
        if " " not in word and "," not in word:  # the common case: one capitalised word
            initial = _initial_at(text, base)
            low = word.lower()
            if (initial and (low in fw or (not is_rare(word) and low not in pn and not (word.isupper() and len(word) > 1)))) \
                    or len(word) == 1:
                continue
            if word[-2:] in ("'s", "’s") and len(word) > 2:
                word = word[:-2]
            out.append(Mention(seg, base, base + len(word), (word,), initial, ((base, base + len(word)),),
                               (word.casefold(),)))
            continue
        pieces = [Token(p.group(), base + p.start(), base + p.end(), False)
                  for p in _PIECE.finditer(m.group())]
        if not pieces:
            continue
        pieces[0] = pieces[0]._replace(initial=_initial_at(text, pieces[0].start))
        run: list[Token] = []
        for k, tok in enumerate(pieces):
            if tok.text == "on" and k + 1 < len(pieces) and pieces[k + 1].text.lower() in DATE_WORDS:
                if run:
                    _finish(run, seg, out)
                run = []
                continue
            if run:
                prev = run[-1]
                split = (tok.text == "and" and prev.text.lower() in HEAD_WORDS) or (
                    prev.text in LEGAL_SUFFIX and tok.text != ",") or (
                    prev.text.endswith(".") and tok.text.lower() in fw)
                if split:
                    _finish(run, seg, out)
                    run = []
                    if tok.text.lower() in CONNECTORS and tok.text.islower():
                        continue
                    tok = tok._replace(initial=prev.text.endswith(".") and _initial_at(text, tok.start))
            run.append(tok)
        if run:
            _finish(run, seg, out)
    return out


@dataclass(frozen=True)
class VariantMention:
    """A mention of a known variant group ("U.S." of the United States group)."""

    seg: int
    start: int
    end: int
    group: int
    form: str


class VariantMatcher:
    """Finds the forms of known variant groups in text (case-sensitive, longest first)."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self.groups = [tuple(g) for g in groups]
        forms: dict[str, int] = {}
        for gi, g in enumerate(self.groups):
            for f in g:
                forms.setdefault(f, gi)
        self.form_group = forms
        self._cache: dict[str, list[VariantMention]] = {}
        alts = sorted(forms, key=len, reverse=True)
        body = "|".join(re.escape(f) for f in alts)
        self._re = re.compile(rf"(?<![\w.])(?:(?:[Tt]he)\s+)?({body})(?![\w]|\.\w)") if alts else None

    def find_cached(self, text: str) -> list[VariantMention]:
        """``find(text, 0)``, remembered (references are shared by every system)."""
        got = self._cache.get(text)
        if got is None:
            if len(self._cache) > 65536:
                self._cache.clear()
            got = self._cache[text] = self.find(text, 0)
        return got

    def find(self, text: str, seg: int) -> list[VariantMention]:
        if self._re is None:
            return []
        out = []
        for m in self._re.finditer(text):
            form = m.group(1)
            start, end = m.start(1), m.end(1)
            if form.endswith(".") and text[m.end(1):m.end(1) + 1].isalpha():
                continue
            out.append(VariantMention(seg, start, end, self.form_group[form], form))
        return out


@dataclass
class DocNames:
    """Everything the consistency checks need to know about one document's names."""

    mentions: list[Mention]
    variants: list[VariantMention]


_DOC_CACHE: list[tuple[Document, int, DocNames]] = []
_DEFAULT_MATCHER: list[VariantMatcher] = []


def default_matcher() -> VariantMatcher:
    if not _DEFAULT_MATCHER:
        _DEFAULT_MATCHER.append(VariantMatcher(variant_groups()))
    return _DEFAULT_MATCHER[0]


def analyse(doc: Document, matcher: VariantMatcher | None = None) -> DocNames:
    """Tokens, name mentions and variant mentions of a document (cached for the last few)."""
    matcher = matcher or default_matcher()
    for cached_doc, mid, names in _DOC_CACHE:
        if cached_doc is doc and mid == id(matcher):
            return names
    mentions: list[Mention] = []
    variants: list[VariantMention] = []
    for s, seg in enumerate(doc.segments):
        mentions.extend(find_names(seg.mt, s))
        variants.extend(matcher.find(seg.mt, s))
    names = DocNames(mentions, variants)
    _DOC_CACHE.append((doc, id(matcher), names))
    if len(_DOC_CACHE) > 32:
        _DOC_CACHE.pop(0)
    return names


@lru_cache(maxsize=65536)
def _names_in(text: str) -> tuple[Mention, ...]:
    return tuple(find_names(text, 0))


def names_in(text: str) -> list[Mention]:
    """Name mentions of a free-standing text (a reference sentence); cached, since
    every system of a corpus shares the same references."""
    return list(_names_in(text))


def fix_case(word: str, like: str) -> str:
    """``word`` in the casing of ``like`` (codespell's fix_case): all caps, title, lower."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word



@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Toneless pinyin syllables (mtcheck/data/pinyin_syllables.txt)."""
    return frozenset(_data_lines("pinyin_syllables.txt"))


@lru_cache(maxsize=65536)
def pinyin_split(word: str) -> tuple[str, ...] | None:
    """A romanised word as pinyin syllables, fewest first ("Jianmin" -> jian, min; "Xi'an"
    -> xi, an), or None if it is not pinyin. Apostrophes and hyphens are syllable breaks."""
    syl = pinyin_syllables()
    out: list[str] = []
    for part in re.split(r"['’\-]", word.lower()):
        if not part:
            continue
        if not part.isascii() or not part.isalpha():
            return None
        n = len(part)
        best: list[tuple[str, ...] | None] = [()] + [None] * n
        for i in range(1, n + 1):
            for j in range(max(0, i - 6), i):
                prev = best[j]
                if prev is not None and part[j:i] in syl:
                    cand = prev + (part[j:i],)
                    if best[i] is None or len(cand) < len(best[i]):
                        best[i] = cand
        if best[n] is None:
            return None
        out.extend(best[n])
    return tuple(out) or None


def near_spelling(a: str, b: str) -> str | None:
    """How two different words are near: "letter" (one letter added, dropped, changed or two swapped),
    "syllable" (one pinyin syllable changed), or None."""
    la, lb = a.lower(), b.lower()
    if la == lb:
        return None
    sa, sb = pinyin_split(a), pinyin_split(b)
    if sa and sb and len(sa) == len(sb) >= 2 and sum(x != y for x, y in zip(sa, sb)) == 1:
        return "syllable"
    if min(len(la), len(lb)) >= 4 and abs(len(la) - len(lb)) <= 1:
        from rapidfuzz.distance import OSA

        if OSA.distance(la, lb, score_cutoff=1) <= 1:  # one letter added, dropped, changed or swapped
            return "letter"
    return None
