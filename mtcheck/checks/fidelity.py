"""Fidelity checks: numbers, untranslated text, omissions (MT201-MT203)."""
from __future__ import annotations

import re
from typing import Iterator

from mtcheck.checks.base import Check
from mtcheck.corpus import Document, Segment
from mtcheck.findings import Finding, Severity
from mtcheck.numbers import Number, chinese_numbers, english_numbers, significant

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _unmatched(a: list[Number], b: list[Number]) -> tuple[list[Number], list[Number]]:
    """Multiset difference by value: (in a, not in b), (in b, not in a)."""
    left = sorted(b, key=lambda m: m.optional)  # spend firm numbers before optional ones
    only_a = []
    for n in sorted(a, key=lambda m: m.optional):
        for k, m in enumerate(left):
            if n.matches(m):
                del left[k]
                break
        else:
            only_a.append(n)
    return only_a, left


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if v == int(v) else f"{v:,}"


class Number_(Check):
    """A number, amount, percentage or date differs between the MT and its source or reference.

    Bad: source "营收350万元", MT "revenue of 3.6 million yuan"
    Good: "revenue of 3.5 million yuan" (= 3,500,000 = 350万 = 三百五十万)
    Values are compared, not strings. With a Chinese source the source decides, else the
    aligned reference. Numbers under 10 are left alone (they are often written as words),
    except one written in digits on both sides that disagrees one against one with the
    source: MT "9 years" for 5年.
    """

    code = "MT201"
    name = "fidelity.number"
    severity = Severity.WARNING
    scope = "segment"

    def check_segment(self, seg: Segment, doc: Document) -> Iterator[Finding]:
        mt = [n for n in english_numbers(seg.mt) if significant(n)]
        if seg.src and _CJK.search(seg.src):
            other = [n for n in chinese_numbers(seg.src) if significant(n)]
            side = "source"
        else:
            refs = [r for r in seg.refs if r]
            if not refs:
                return
            other = [n for n in english_numbers(refs[0]) if significant(n)]
            side = "reference"
        extra, missing = _unmatched(mt, other) if mt or other else ([], [])
        extra = [n for n in extra if not n.optional]
        missing = [n for n in missing if not n.optional]
        for n in extra:
            want = f"; the {side} has {', '.join(repr(m.text) for m in missing)}" if missing else ""
            yield self.finding(doc, seg, n.start, n.end,
                               f"'{n.text}' ({_fmt(n.value)}) is not in the {side}{want}",
                               _fmt(missing[0].value) if len(missing) == 1 and len(extra) == 1 else "")
        if missing and not extra:
            spans: dict[tuple[int, int], list[Number]] = {}
            for m in missing:
                spans.setdefault(_where_missing(seg.mt, seg.src if side == "source" else refs[0], m, side), []).append(m)
            for (a, b), ms in spans.items():
                listed = ", ".join(f"'{m.text}' ({_fmt(m.value)})" for m in ms)
                yield self.finding(doc, seg, a, b, f"the {side} has {listed}, which the MT lacks", "")
        if side == "source" and not missing:  # (a source number the MT lacks: a unit converted, 10斤 "5 kg")
            yield from self._small_digits(seg, doc)

    def _small_digits(self, seg: Segment, doc: Document) -> Iterator[Finding]:
        """A number under 10 in digits that the source writes as another digit: "9 years"
        for 5年, "7." for a list item 3. Only one against one, both in digits, and only
        where the MT's value is nowhere in the source (not as a Chinese numeral either) and
        the source's is nowhere in the MT (not as a word either)."""
        src = seg.src or ""
        mt_numbers, src_numbers = english_numbers(seg.mt), chinese_numbers(src)
        mine = [n for n in mt_numbers if _small_digit(n)]
        theirs = [n for n in src_numbers if _small_digit(n)]
        if not mine or not theirs:
            return
        extra, missing = _unmatched(mine, theirs)
        if len(extra) != 1 or len(missing) != 1:
            return
        n, m = extra[0], missing[0]
        if any(n.matches(x) for x in src_numbers) or _ZH_DIGIT_CHARS[int(n.value)] in src:
            return
        if any(m.matches(x) for x in mt_numbers) \
                or re.search(rf"\b(?:{_EN_SMALL[int(m.value)]})\b", seg.mt.lower()):
            return
        yield self.finding(doc, seg, n.start, n.end,
                           f"'{n.text}' ({_fmt(n.value)}) is not in the source, which has '{m.text}'",
                           _fmt(m.value))


_ZH_DIGIT_CHARS = "〇一二三四五六七八九"
_EN_SMALL = ("zero|none", "one|first|a single", "two|second|both|twice|double|pair", "three|third|thrice|triple",
             "four|fourth", "five|fifth", "six|sixth", "seven|seventh", "eight|eighth", "nine|ninth")


def _small_digit(n: Number) -> bool:
    """A whole number under 10 written in digits, not part of a code or a name."""
    return not n.optional and n.value < 10 and n.value == int(n.value) and n.text[:1].isdigit() \
        and n.value >= 0 and "." not in n.text


_ZH_END = re.compile(r"[。！？!?；;…]+[”’」』）)]*")


def _zh_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a Chinese segment."""
    out, start = [], 0
    for m in _ZH_END.finditer(text):
        if text[start:m.end()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def _where_missing(mt: str, other: str, n: Number, side: str) -> tuple[int, int]:
    """The MT text that should carry the number ``n`` of the source (or reference) ``other``:
    the MT sentence aligned with the sentence of ``other`` that has it, where both have as
    many sentences, else the whole MT segment (never an empty span)."""
    from mtcheck.checks.fluency_checks import sentences

    theirs = _zh_sentences(other) if side == "source" else sentences(other)
    mine = sentences(mt)
    if len(mine) > 1 and len(mine) == len(theirs):
        for (a, b), (c, d) in zip(theirs, mine):
            if a <= n.start < b:
                return c, len(mt[:d].rstrip())
    a = len(mt) - len(mt.lstrip())
    return a, max(a, len(mt.rstrip()))


_FOREIGN = {
    "Han": r"\u2e80-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
    "CJK punctuation": r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65",
    "Kana": r"\u3040-\u30ff\u31f0-\u31ff",
    "Hangul": r"\u1100-\u11ff\uac00-\ud7af",
    "Cyrillic": r"\u0400-\u04ff",
    "Arabic": r"\u0600-\u06ff",
    "Hebrew": r"\u0590-\u05ff",
    "Thai": r"\u0e00-\u0e7f",
    "Devanagari": r"\u0900-\u097f",
}


class Untranslated(Check):
    """Chinese (or other non-Latin) text is left in the English output.

    Bad: "the 晋城 Vocational and Technical College", "the plan，which"
    Good: "the Jincheng Vocational and Technical College", "the plan, which"
    ``allowed-scripts`` lists scripts that may appear (for example ``Cyrillic``);
    ``keep`` lists terms a newsroom keeps (comma-separated). A gloss in brackets right
    after a romanised name ("Gaoping (高平)") is kept unless ``allow-glosses = no``.
    """

    code = "MT202"
    name = "fidelity.untranslated"
    severity = Severity.ERROR
    scope = "segment"
    options = {"allowed-scripts": "", "keep": "", "allow-glosses": "yes"}

    def __init__(self, severity: Severity | None = None, **options: str) -> None:
        super().__init__(severity, **options)
        allowed = {s.strip().lower() for s in self.opts["allowed-scripts"].split(",") if s.strip()}
        ranges = "".join(r for name, r in _FOREIGN.items() if name.lower() not in allowed)
        self._re = re.compile(f"[{ranges}]+(?:[\\s·・]*[{ranges}]+)*") if ranges else None
        self.keep = {k.strip() for k in self.opts["keep"].split(",") if k.strip()}
        self.glosses = self.opts["allow-glosses"].strip().lower() in ("yes", "true", "1", "on")

    def check_segment(self, seg: Segment, doc: Document) -> Iterator[Finding]:
        if self._re is None:
            return
        text = seg.mt
        for m in self._re.finditer(text):
            run = m.group()
            if run in self.keep:
                continue
            if self.glosses and text[m.start() - 1:m.start()] in "(（" and text[m.end():m.end() + 1] in ")）" \
                    and re.search(r"[A-Z][a-z]+\s*$", text[:max(0, m.start() - 1)]):
                continue
            yield self.finding(doc, seg, m.start(), m.end(), f"untranslated text '{run}'", "")


class Omission(Check):
    """Content of the reference is missing from the MT: a reference sentence no MT segment
    covers, or an MT segment far shorter (or longer) than its aligned reference.

    Bad: reference "Prices rose 5% in June, the fastest pace in a decade, officials said."
         MT "Prices rose."
    Good: "Prices rose 5% in June, the fastest pace in a decade, officials said."
    """

    code = "MT203"
    name = "fidelity.omission"
    severity = Severity.WARNING
    scope = "document"
    needs = frozenset({"ref"})
    options = {"min-ratio": "0.4", "max-ratio": "2.5", "min-words": "10"}

    def check_document(self, doc: Document) -> Iterator[Finding]:
        lo, hi = float(self.opts["min-ratio"]), float(self.opts["max-ratio"])
        min_words = int(self.opts["min-words"])
        for k, al in enumerate(doc.alignments):
            if al is None:
                continue
            last_mt = 0
            for bead in al.beads:
                if bead.mt:
                    last_mt = bead.mt[-1]
                    if not bead.ref:
                        continue
                    if al.ref_lines:
                        ref = " ".join(al.ref_lines[j][1] for j in bead.ref)
                    else:  # a table: the row's own reference
                        ref = " ".join(doc.segments[i].refs[k] or "" for i in bead.mt)
                    mt = " ".join(doc.segments[i].mt for i in bead.mt)
                    nr, nm = len(ref.split()), len(mt.split())
                    if nr < min_words and nm < min_words:
                        continue
                    seg = doc.segments[bead.mt[0]]
                    if nm < lo * nr:
                        yield self.finding(doc, seg, 0, len(seg.mt),
                                           f"the MT has {nm} words where the aligned reference has {nr}: "
                                           f"content may be missing (reference: '{ref[:120]}')", "")
                    elif nm > hi * nr and nr >= min_words:
                        yield self.finding(doc, seg, 0, len(seg.mt),
                                           f"the MT has {nm} words where the aligned reference has {nr}: "
                                           "content may be added or repeated", "")
                elif bead.ref and doc.segments and al.ref_lines:
                    seg = doc.segments[last_mt]
                    for j in bead.ref:
                        line, text = al.ref_lines[j]
                        if len(text.split()) < min_words:
                            continue
                        yield self.finding(doc, seg, len(seg.mt), len(seg.mt),
                                           f"reference sentence (line {line}) has no MT: '{text[:120]}'", "")
            if k == 0:
                break  # the first reference decides; more references would repeat it
