"""House style: one form per document for dates, percentages, numerals, acronyms, casing and spelling (MT109)."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from typing import Iterator, NamedTuple

from mtcheck.checks.base import Check
from mtcheck.corpus import Document
from mtcheck.findings import Finding, Severity
from mtcheck.names import fix_case, function_words, zipf

_MONTH_NAMES = ("January February March April May June July August September October "
                "November December").split()
_ABBR = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
         "Oct": 10, "Nov": 11, "Dec": 12}
_MONTH_NO = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_AP_ABBR = {1: "Jan.", 2: "Feb.", 8: "Aug.", 9: "Sept.", 10: "Oct.", 11: "Nov.", 12: "Dec."}
_M = "|".join(_MONTH_NAMES)
_A = "|".join(sorted(_ABBR, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)"
_DATE = re.compile(
    rf"(?<![\w.])(?:"
    rf"(?P<md_m>{_M})\s+(?P<md_d>\d{{1,2}})(?P<md_o>{_ORD})?"
    rf"|(?P<ab_m>{_A})(?P<ab_dot>\.?)\s+(?P<ab_d>\d{{1,2}})(?P<ab_o>{_ORD})?"
    rf"|(?P<dm_the>the\s+)?(?P<dm_d>\d{{1,2}})(?P<dm_o>{_ORD})?\s+(?P<dm_of>of\s+)?(?P<dm_m>{_M}|(?:{_A})\.?)"
    rf")(?![\w-]|[.,]\d)")
_PCT = re.compile(r"(?<![\w.,])(?P<n>\d+(?:[.,]\d+)*)(?P<sp>\s?)(?P<u>%|percent\b|per\s+cent\b|pct\b)")
_NUM_WORDS = {w: i for i, w in enumerate("two three four five six seven eight nine ten eleven twelve thirteen "
                                         "fourteen fifteen sixteen seventeen eighteen nineteen".split(), 2)}
_NUM_WORDS.update({w: 10 * k for k, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)})
_WORD_OF: dict[int, str] = {v: k for k, v in _NUM_WORDS.items()}
_TENS = ("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty "
         "fifty sixty seventy eighty ninety").split()
_NUM_WORD_RE = "|".join(sorted(["two", "three", "four", "five", "six", "seven", "eight", "nine", *_TENS], key=len,
                               reverse=True))
#: a count before a noun, or one end of a range; a hyphen joins a range only to another number
#: ("3-6 years"; "six-piece set" is a compound adjective, no count of sets)
_COUNT = re.compile(r"(?<![\w.,:/#%$€£¥+-])(?P<n>(?i:" + _NUM_WORD_RE + r")|[2-9]|[1-9]\d)(?![\w.,%:/])"
                    r"(?:\s(?P<noun>[a-z]{3,})\b|(?=\s*(?:to\s*(?:\d|[a-z]{3,}\s[a-z])|[-–]\s*(?:\d|(?i:" + _NUM_WORD_RE + r")\b))))")
_COUNT_DIGITS = re.compile(r"[2-9]|1\d")
_COUNT_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", *_TENS)
_BEFORE_COUNT = re.compile(r"(?:\b[A-Z][\w.]*|[Nn]o\.?|#)\s*$")
_ACRONYM = re.compile(r"(?<![\w&.-])(?P<acr>[A-Z][A-Z&]{1,6})s?(?![\w&-]|\.\w)")
_BRACKETED = re.compile(r"\(\s*([A-Z][A-Z&]{1,6})s?\s*\)")
_INITIAL_WORD = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")
_UPPER2 = re.compile(r"[A-Z]{2}")
_ACRONYM_INTRO = re.compile(r"\(\s*(?P<acr>[A-Z][A-Z&]{1,5})s?\s*\)")
_WORD = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")
#: exactly the _WORD tokens that hold a capital or a hyphen (the lookbehinds admit only the
#: positions where a _WORD token starts; the lookahead may admit a few more, which is harmless)
_STYLED_WORD = re.compile(r"(?<![A-Za-z])(?<![A-Za-z][-'’])(?=[a-z'’]*[A-Z-])[A-Za-z]+(?:[-'’][A-Za-z]+)*")
#: the first letter of each [a-z]+ run that is not one of _SKIP_IN_ACRONYM (as _INITIAL_WORD finds them)
_INITIALS = re.compile(r"(?<![a-z])(?!(?:of|and|the|for|in|on|to|an|a)(?![a-z]))[a-z]")
_SKIP_IN_ACRONYM = frozenset({"of", "and", "the", "for", "&", "in", "on", "to", "a", "an"})
#: a Title-Case word at least this common (wordfreq zipf), alone mid-sentence, is a common word capitalised
_COMMON_WORD_ZIPF = 3.0
_MID_SENTENCE = re.compile(r"[a-z,]\s+$")
_LIST_WORDS = frozenset({"and", "or", "nor", "but", "to"})
_NOT_COUNTED = frozenset({"percent", "per", "cent", "million", "billion", "thousand", "hundred", "trillion",
                          "dozen"})


@lru_cache(maxsize=1)
def spelling_pairs() -> dict[str, tuple[str, str, str]]:
    """Lower-case word -> (its system ``british``/``american``, the other spelling, dimension)."""
    text = resources.files("mtcheck").joinpath("data", "spelling_variants.tsv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        brit, amer, dim = line.split("\t")
        out[brit] = ("British", amer, dim)
        out[amer] = ("American", brit, dim)
    return out


class _Use(NamedTuple):
    seg: int
    start: int
    end: int
    form: str          # the style: "Month D", "D%", "digits", "British" ...
    render: dict       # form -> the same thing written in that form (for the suggestion)


def _date_uses(text: str, s: int) -> list[_Use]:
    out = []
    for m in _DATE.finditer(text):
        g = m.groupdict()
        if g["md_m"]:
            month, day, ordinal = _MONTH_NO[g["md_m"]], int(g["md_d"]), bool(g["md_o"])
            form = "Month Dth" if ordinal else "Month D"
        elif g["ab_m"]:
            month, day = _ABBR[g["ab_m"]], int(g["ab_d"])
            form = "Mon. D" if g["ab_dot"] else "Mon D"
        else:
            name = g["dm_m"].rstrip(".")
            month = _MONTH_NO.get(name) or _ABBR[name]
            day = int(g["dm_d"])
            form = "the Dth of Month" if g["dm_the"] and g["dm_of"] else (
                "Dth Month" if g["dm_o"] else "D Month")
            if g["dm_the"] and not g["dm_of"]:
                continue  # "the 9 February": unusual, leave it
        if not 1 <= day <= 31:
            continue
        full = _MONTH_NAMES[month - 1]
        abbr = _AP_ABBR.get(month, full)
        th = f"{day}{'th' if 10 <= day % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"
        render = {"Month D": f"{full} {day}", "Month Dth": f"{full} {th}", "Mon. D": f"{abbr} {day}",
                  "Mon D": f"{abbr.rstrip('.')} {day}", "D Month": f"{day} {full}",
                  "Dth Month": f"{th} {full}", "the Dth of Month": f"the {th} of {full}"}
        out.append(_Use(s, m.start(), m.end(), form, render))
    return out


def _pct_uses(text: str, s: int) -> list[_Use]:
    out = []
    for m in _PCT.finditer(text):
        u = m.group("u")
        form = u if u in ("%", "pct") else ("percent" if u == "percent" else "per cent")
        n = m.group("n")
        render = {"%": f"{n}%", "percent": f"{n} percent", "per cent": f"{n} per cent", "pct": f"{n} pct"}
        out.append(_Use(s, m.start(), m.end(), form, render))
    return out


def _may_count(text: str) -> bool:
    """Whether ``_COUNT`` can match in ``text``: it needs a digit from 2 to 9, a 1 before a
    digit, or a number word. ASCII text only is judged (IGNORECASE lets "ſix" match)."""
    if not text.isascii() or _COUNT_DIGITS.search(text):
        return True
    low = text.lower()
    return any(w in low for w in _COUNT_WORDS)


def _count_uses(text: str, s: int, fw: frozenset[str]) -> list[tuple[str, _Use]]:
    """Counts in words or digits before a lower-case word (or in a range, "3 to six years"),
    in two classes: two to nine, and ten to ninety-nine (style guides treat them apart)."""
    out = []
    if not _may_count(text):
        return out
    for m in _COUNT.finditer(text):
        n, noun = m.group("n"), m.group("noun") or ""
        if noun in _NOT_COUNTED or noun in _LIST_WORDS:
            continue  # "3 million": a scale takes digits in every style; "two, three and four": a list
        digit = n.isdigit()
        if _BEFORE_COUNT.search(text[max(0, m.start() - 24):m.start()]):
            continue  # "Article 3 states", "No. 3"
        if not digit and n[0].isupper():
            continue  # a sentence begins with the word: style guides spell it out there
        value = int(n) if digit else _NUM_WORDS[n.lower()]
        if value not in _WORD_OF:
            continue  # "twenty-one" has no one-word form here
        form = "digits" if digit else "words"
        end = m.start("n") + len(n)
        render = {"digits": str(value), "words": _WORD_OF[value]}
        out.append(("small" if value < 10 else "tens", _Use(s, m.start("n"), end, form, render)))
    return out


@lru_cache(maxsize=4096)
def _initials_pattern(letters: str) -> re.Pattern[str]:
    """Words whose initials spell ``letters``, connectors ("of", "and", "the") allowed between."""
    parts = [rf"[{c.upper()}{c.lower()}][a-z]*(?:['’][A-Za-z]+)?(?:-[A-Za-z]+)*?" for c in letters]
    joint = r"(?:\s+(?:(?:of|and|the|for|on|in|&)\s+)*|-)"
    return re.compile(r"(?<![\w-])" + joint.join(parts) + r"(?![\w-])")


def _spells(phrase: str, letters: str) -> bool:
    """Whether the content words of ``phrase`` (split at spaces, or at spaces and hyphens)
    have ``letters`` as initials, all capitalised or all lower-case words of four letters or more."""
    for split in (r"\s+", r"[\s-]+"):
        words = [w for w in re.split(split, phrase) if w and w.lower() not in _SKIP_IN_ACRONYM]
        if len(words) != len(letters) or "".join(w[0] for w in words).lower() != letters.lower():
            continue
        if all(w[0].isupper() for w in words) or all(w.islower() and len(w) >= 4 for w in words):
            return True
    return False


def _expansion_before(before: str, acr: str) -> tuple[int, str] | None:
    """Where the words before ``(ACR)`` spell the acronym: (offset in ``before``, expansion)."""
    words = list(_WORD.finditer(before))
    letters = acr.replace("&", "").lower()
    need = len(letters)
    k = len(words) - 1
    got: list[str] = []
    while k >= 0 and len(got) < need:
        w = words[k].group()
        if w.lower() in _SKIP_IN_ACRONYM and got:
            k -= 1
            continue
        got.append(w[0].lower())
        k -= 1
    if len(got) != need or "".join(reversed(got)) != letters:
        return None
    start = words[k + 1].start()
    if before[words[-1].end():].strip():
        return None  # something between the words and the bracket
    return start, before[start:words[-1].end()]


class Style(Check):
    """One style per document: dates, percentages, numerals, acronyms, casing and spelling.

    Bad: "on February 9 ... on Feb. 12 ... on 15 February"; "5% ... 7 percent";
    "artificial intelligence (AI) ... AI ... artificial intelligence"; "the app ... the APP";
    "the organisation ... the organization"; "colour ... color".
    Good: one form in the document ("February 9 ... February 12 ... February 15"). The
    majority form wins and the minority is flagged with the majority form as suggestion; on a
    tie the earlier form wins. Numerals are judged for small counts ("three schools" / "3
    schools") of one noun, or where the document is otherwise consistent. -ise/-ize is judged
    apart from the other British/American differences (Oxford spelling mixes them).
    Spellings are data (mtcheck/data/spelling_variants.tsv).
    """

    code = "MT109"
    name = "consistency.style"
    severity = Severity.WARNING
    scope = "document"

    def check_document(self, doc: Document) -> Iterator[Finding]:
        dates: list[_Use] = []
        pcts: list[_Use] = []
        counts: list[tuple[str, _Use]] = []
        spell: dict[str, list[_Use]] = defaultdict(list)
        casing: dict[str, list[_Use]] = defaultdict(list)
        styled_title: set[str] = set()
        capped: dict[str, list[_Use]] = defaultdict(list)
        special: set[str] = set()
        fw = function_words()
        pairs = spelling_pairs()
        texts = [seg.mt for seg in doc.segments]
        words_of: list[list[str]] = []
        for s, text in enumerate(texts):
            words = _WORD.findall(text)
            words_of.append(words)
            if not text:
                continue
            if _DIGIT.search(text):
                dates.extend(_date_uses(text, s))
                if "%" in text or "cent" in text or "pct" in text:
                    pcts.extend(_pct_uses(text, s))
            counts.extend(_count_uses(text, s, fw))
            shouting = None
            titled = None
            # a lower-case word without a hyphen matters only when it is a spelling variant
            tokens = _WORD.finditer(text) if not pairs.keys().isdisjoint(words) else _STYLED_WORD.finditer(text)
            for m in tokens:
                w = m.group()
                if w.islower():  # the common case: a lower-case word
                    hit = pairs.get(w)
                    if hit is not None:
                        system, other, dim = hit
                        spell[dim].append(_Use(s, m.start(), m.end(), system, {system: w, _other(system): other}))
                    if "-" in w:  # "e-commerce" / "ecommerce"
                        key = w.replace("-", "")
                        casing[key].append(_Use(s, m.start(), m.end(), w, {}))
                        special.add(key)
                    continue
                low = w.lower()
                start, end = m.start(), m.end()
                initial = _sentence_initial(text, start)
                hit = pairs.get(low)
                if hit is not None:
                    system, other, dim = hit
                    if not initial:
                        dim = "name"  # inside a name: judged against the same name's other mentions
                    spell[dim].append(_Use(s, start, end, system, {system: w, _other(system): fix_case(other, w)}))
                if len(w) < 2:
                    continue
                if shouting is None:
                    shouting = _shouting(text)
                if shouting:
                    continue
                key = low.replace("-", "")
                if not _plain(w):  # APP, WeChat, eBay
                    casing[key].append(_Use(s, start, end, w, {}))
                    special.add(key)
                elif not initial and _isolated(text, start, end):
                    if "-" in w:
                        styled_title.add(w)  # "the Wi-Fi network": Title-Case outside a name
                        casing[key].append(_Use(s, start, end, w, {}))
                        special.add(key)
                        continue
                    if titled is None:
                        words = text.split()
                        titled = sum(x[:1].isupper() for x in words) > 0.3 * len(words)  # a headline
                    if not titled and low not in fw and _MID_SENTENCE.search(text, max(0, start - 8), start) \
                            and _isolated(text, start, end, 2) and zipf(low) >= _COMMON_WORD_ZIPF:
                        capped[low].append(_Use(s, start, end, w, {}))  # "the Enterprises"
                        special.add(low)
        if special:  # the lower-case forms of the words seen in another casing
            for s, text in enumerate(texts):
                if special.isdisjoint(words_of[s]):
                    continue
                for m in _WORD.finditer(text):
                    w = m.group()
                    if w in special and w.islower():
                        casing[w].append(_Use(s, m.start(), m.end(), w, {}))
        yield from self._majority(doc, dates, "date", "dates")
        yield from self._majority(doc, pcts, "percentage", "percentages")
        yield from self._numerals(doc, counts)
        if spell.get("ize") and spell.get("other"):
            other_forms = Counter(u.form for u in spell["other"])
            ize_forms = Counter(u.form for u in spell["ize"])
            oxford = other_forms["American"] == 0 and other_forms["British"] >= 2 and ize_forms["British"] == 0
            if not oxford:  # -ize with British -our is Oxford spelling only when kept to
                spell["other"] += spell.pop("ize")
        names_spelt = spell.pop("name", [])
        for dim in sorted(spell):
            yield from self._majority(doc, spell[dim], "spelling", "-ise/-ize spellings" if dim == "ize"
                                      else "British/American spellings")
        by_word: dict[str, list[_Use]] = defaultdict(list)
        for u in names_spelt:  # "China Children's Center" / "... Centre": one name, two spellings
            by_word[min(u.render.values()).lower()].append(u)
        for key in sorted(by_word):
            yield from self._majority(doc, by_word[key], "spelling", f"the spelling of '{key}' in names")
        yield from self._casing(doc, casing, styled_title)
        yield from self._capitalised(doc, casing, capped)
        yield from self._acronyms(doc, texts)

    def _majority(self, doc: Document, uses: list[_Use], what: str, plural: str,
                  min_share: float = 0.0) -> Iterator[Finding]:
        forms = Counter(u.form for u in uses)
        if len(forms) < 2:
            return
        first = {}
        for u in uses:
            first.setdefault(u.form, (u.seg, u.start))
        keep = max(forms, key=lambda f: (forms[f], tuple(-x for x in first[f])))
        if forms[keep] < min_share * len(uses):
            return
        n_keep = forms[keep]
        for u in uses:
            if u.form == keep:
                continue
            seg = doc.segments[u.seg]
            example = next(x for x in uses if x.form == keep)
            ex_text = doc.segments[example.seg].mt[example.start:example.end]
            yield self.finding(
                doc, seg, u.start, u.end,
                f"'{seg.mt[u.start:u.end]}' breaks the document's style for {plural}: {n_keep} other "
                f"{'uses' if n_keep > 1 else 'use'} ({form_name(keep)}, e.g. '{ex_text}', line "
                f"{doc.segments[example.seg].line})", u.render.get(keep, "") if u.render else ex_text)

    def _numerals(self, doc: Document, counts: list[tuple[str, _Use]]) -> Iterator[Finding]:
        """Counts: where the document is mostly consistent within a class (one use, or at
        most a quarter, in the other form), the exceptions are flagged."""
        small = Counter(u.form for c, u in counts if c == "small")
        # digits for two to nine mean digits everywhere; words there and digits from ten up is
        # the usual news style (AP, Reuters), so the classes are judged apart only then
        classes = (("small", "tens"),) if small["digits"] > small["words"] else (("small",), ("tens",))
        for cls in classes:
            uses = [u for c, u in counts if c in cls]
            forms = Counter(u.form for u in uses)
            if len(forms) < 2 or not (min(forms.values()) == 1 or min(forms.values()) * 4 <= len(uses)):
                continue
            yield from self._majority(doc, uses, "numeral", "counts from two to nine" if cls == ("small",)
                                      else "counts from ten to ninety-nine" if cls == ("tens",) else "counts")

    def _casing(self, doc: Document, casing: dict[str, list[_Use]], styled_title: set[str]) -> Iterator[Finding]:
        fw = function_words()
        for key in sorted(casing):
            uses = casing[key]
            forms = Counter(u.form for u in uses)
            if len(forms) < 2 or key in fw:
                continue
            styled = [f for f in forms if not _plain(f) or f in styled_title]
            lowers = [f for f in forms if f == f.lower()]
            if not styled and len(lowers) < 2:
                continue  # "park" / "Park": a name or a word, MT102's business
            if lowers and styled and all(len(f) <= 3 and f.isupper() for f in styled) and zipf(lowers[0]) >= 5.5:
                continue  # "US" / "us", "IT" / "it": an acronym and a common word
            # only the lower-case forms and the styled ones (APP, Wi-Fi, WeChat, e-commerce /
            # ecommerce) compete; a Title-case form is a name or a headline word
            cand = [u for u in uses if u.form in lowers or u.form in styled]
            if len({u.form for u in cand}) < 2:
                continue
            yield from self._majority(doc, cand, "casing", f"'{key}'")

    def _capitalised(self, doc: Document, casing: dict[str, list[_Use]],
                     capped: dict[str, list[_Use]]) -> Iterator[Finding]:
        """A common word capitalised once, alone mid-sentence, where the document writes it
        in lower case at least twice ("the Enterprises, organisations" / "enterprises")."""
        for low in sorted(capped):
            if len(capped[low]) != 1:
                continue
            lowers = [u for u in casing.get(low, ()) if u.form == low]
            if len(lowers) < 2:
                continue
            u = capped[low][0]
            seg = doc.segments[u.seg]
            yield self.finding(doc, seg, u.start, u.end,
                               f"'{u.form}' is capitalised in the middle of a sentence, where the document writes "
                               f"'{low}' {len(lowers)} times (line {doc.segments[lowers[0].seg].line})", low)

    def _acronyms(self, doc: Document, texts: list[str]) -> Iterator[Finding]:
        yield from self._introduced(doc, texts)
        yield from self._uninterduced(doc, texts)

    def _uninterduced(self, doc: Document, texts: list[str]) -> Iterator[Finding]:
        """An acronym the document never introduces, beside the name it abbreviates (found by
        its initials: "CPC" / "Communist Party of China", "AI" / "artificial intelligence"):
        the acronym is flagged where the name is the more frequent, the name where it is not."""
        acr_uses: dict[str, list[_Use]] = defaultdict(list)
        for s, text in enumerate(texts):
            if not _UPPER2.search(text, 1):
                continue
            for m in _ACRONYM.finditer(text):
                acr_uses[m.group("acr")].append(_Use(s, m.start(), m.end(), "acronym", {}))
        if not acr_uses:
            return
        from mtcheck.names import default_matcher

        known = default_matcher().form_group  # "US" / "the United States": MT101's known variants
        bracketed = set(_BRACKETED.findall("\n".join(t for t in texts if "(" in t)))
        # the initials of every word of each segment, to find where a phrase may spell an acronym
        initials = ""  # every segment's initials, one line each
        line_starts: list[int] = []
        for acr in sorted(acr_uses):
            if acr in known or acr in bracketed:
                continue
            letters = acr.replace("&", "")
            if not 2 <= len(letters) <= 7 or not letters.isalpha():
                continue
            if not line_starts:
                lines = ["".join(_INITIALS.findall(t.lower())) for t in texts]
                initials = "\n".join(lines)
                pos = 0
                for line in lines:
                    line_starts.append(pos)
                    pos += len(line) + 1
                line_starts.append(pos)
            exps: list[_Use] = []
            low = letters.lower()
            # the segments whose initials hold ``low`` (compiled only for an acronym whose
            # initials some segment has), in order: ``low`` is letters, so no hit spans a newline
            at = initials.find(low)
            while at != -1:
                s = bisect_right(line_starts, at) - 1
                text = texts[s]
                at = initials.find(low, line_starts[s + 1])
                for m in _initials_pattern(letters).finditer(text):
                    if _spells(m.group(), letters):
                        exps.append(_Use(s, m.start(), m.end(), "expansion", {}))
            if not exps:
                continue
            forms = {texts[u.seg][u.start:u.end].casefold() for u in exps}
            if len(forms) > 1 and not all(texts[u.seg][u.start].isupper() for u in exps):
                continue  # different lower-case phrases share the initials: a coincidence
            name = texts[exps[0].seg][exps[0].start:exps[0].end]
            acrs = acr_uses[acr]
            if len(acrs) > len(exps):
                for u in exps:
                    seg = doc.segments[u.seg]
                    yield self.finding(doc, seg, u.start, u.end,
                                       f"'{seg.mt[u.start:u.end]}' is written '{acr}' {len(acrs)} times in this "
                                       f"document (first at line {doc.segments[acrs[0].seg].line}); keep to one form",
                                       acr)
            else:
                for u in acrs:
                    seg = doc.segments[u.seg]
                    yield self.finding(doc, seg, u.start, u.end,
                                       f"'{acr}' is never introduced; the document writes '{name}' "
                                       f"(line {doc.segments[exps[0].seg].line})", name)

    def _introduced(self, doc: Document, texts: list[str]) -> Iterator[Finding]:
        intros: dict[str, tuple[int, int, str]] = {}
        for s, text in enumerate(texts):
            if "(" not in text:
                continue
            for m in _ACRONYM_INTRO.finditer(text):
                acr = m.group("acr")
                if acr in intros:
                    continue
                got = _expansion_before(text[:m.start()], acr)
                if got is not None:
                    intros[acr] = (s, m.end(), got[1])
        for acr in sorted(intros):
            s0, after, expansion = intros[acr]
            acr_re = re.compile(rf"(?<![\w-]){re.escape(acr)}s?(?![\w-])")
            exp_re = re.compile(rf"(?<![\w-]){re.escape(expansion)}(?![\w-])(?!\s*\(\s*{re.escape(acr)})",
                                re.IGNORECASE)
            uses: list[_Use] = []
            exp_low = expansion.lower()
            for s in range(s0, len(texts)):
                text = texts[s]
                if acr not in text and text.isascii() and exp_low not in text.lower():
                    continue  # neither can match (for ASCII text, IGNORECASE is lower-casing)
                lo = after if s == s0 else 0
                for m in acr_re.finditer(text, lo):
                    uses.append(_Use(s, m.start(), m.end(), "acronym", {"acronym": m.group(),
                                                                           "expansion": expansion}))
                for m in exp_re.finditer(text, lo):
                    uses.append(_Use(s, m.start(), m.end(), "expansion", {"acronym": acr}))
            forms = Counter(u.form for u in uses)
            if forms["expansion"] == 0 or (forms["acronym"] == 0 and forms["expansion"] > 1):
                continue  # the name never repeated, or the acronym was never meant to be used
            keep = "expansion" if forms["expansion"] > forms["acronym"] > 0 else "acronym"
            intro_line = doc.segments[s0].line
            for u in uses:
                if u.form == keep:
                    continue
                seg = doc.segments[u.seg]
                if keep == "acronym":
                    n = forms["acronym"]
                    msg = (f"'{seg.mt[u.start:u.end]}' is spelt out again after '{acr}' was introduced "
                           f"(line {intro_line})" + (f" and used {n} time{'s' if n > 1 else ''}" if n else ""))
                    sugg = acr
                else:
                    msg = (f"'{acr}' where the document spells it out ('{expansion}') {forms['expansion']} times "
                           f"after introducing it (line {intro_line})")
                    sugg = expansion
                yield self.finding(doc, seg, u.start, u.end, msg, sugg)


def _plain(form: str) -> bool:
    """Lower case, or Title-Case in every hyphenated part ("Award-Giving")."""
    if "-" not in form:  # one part (the common case)
        return form == form.lower() or (form[:1].isupper() and form[1:] == form[1:].lower())
    return form == form.lower() or all(p[:1].isupper() and p[1:] == p[1:].lower()
                                       for p in form.split("-") if p)


_NEXT_WORD = re.compile(r"\s*([A-Za-z])")
_PREV_WORD = re.compile(r"([A-Za-z])[\w'’]*[\s,]*$")


def _isolated(text: str, start: int, end: int, reach: int = 1) -> bool:
    """Whether no neighbouring word is capitalised (the word is not inside a name); with
    ``reach`` 2, connectors ("of", "for", "the") are skipped on the way."""
    after = text[end:end + 40].split()
    before = text[max(0, start - 40):start].split()
    if before and start > 0 and not text[start - 1].isspace():
        before = before[:-1]
    for side in (after, before[::-1]):
        for k, w in enumerate(side[:reach]):
            w = w.strip("\"'“”‘’()[],.;:")
            if not w:
                break
            if k + 1 < reach and w.lower() in _SKIP_IN_ACRONYM:
                continue
            if w[:1].isupper() and not (side is not after and _sentence_initial(text, text.rfind(w, 0, start))):
                return False
            break
    return True


_DROP_UPPER = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DROP_LETTERS = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _shouting(text: str) -> bool:
    """Whether more than half the letters are capitals (for ASCII text, counted by deleting
    the capitals and the letters with ``str.translate``, which is what isupper/isalpha count)."""
    if text.isascii():
        n = len(text)
        return n - len(text.translate(_DROP_UPPER)) > 0.5 * (n - len(text.translate(_DROP_LETTERS)))
    return sum(map(str.isupper, text)) > 0.5 * sum(map(str.isalpha, text))


def _other(system: str) -> str:
    return "American" if system == "British" else "British"


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 12):pos].rstrip(" \t\"'“‘([")
    if not before and pos > 12:
        before = text[:pos].rstrip(" \t\"'“‘([")
    return not before or before[-1] in ".!?:;"


def form_name(form: str) -> str:
    return {"digits": "digits", "words": "spelt out", "%": "'%'", "percent": "'percent'",
            "per cent": "'per cent'", "pct": "'pct'"}.get(form, form)
