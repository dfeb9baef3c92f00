"""Fluency checks that read the language model's scores (MT301)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator

from mtcheck.checks.base import Check
from mtcheck.corpus import Corpus, Document
from mtcheck.findings import Finding, Severity


class FluencyLow(Check):
    """A segment reads as disfluent: its fluency score is below the threshold.

    Bad: "The innovation chain is organically connected; condensing the advantages ..."
         (fluency 12; the finding points at the least probable stretch of words)
    Good: "... and promote the organic connection of the education, talent, industrial
          and innovation chains."
    Needs the language model (``mtcheck score`` without ``--no-fluency``, ``lint --fluency``);
    the threshold is ``fluency-threshold`` (0-100, default 20: two standard deviations
    below the median human reference sentence).
    """

    code = "MT301"
    name = "fluency.low"
    severity = Severity.WARNING
    scope = "document"
    needs = frozenset({"fluency"})
    options = {"threshold": "20"}

    def prepare(self, corpus: Corpus, extra: dict[str, Any]) -> None:
        self.scores = extra.get("fluency", {})

    def check_document(self, doc: Document) -> Iterator[Finding]:
        results = getattr(self, "scores", {}).get((doc.system, doc.doc_id))
        if not results:
            return
        threshold = float(self.opts["threshold"])
        for seg, res in zip(doc.segments, results):
            if res.fluency is None or res.fluency >= threshold or res.worst is None:
                continue
            start, end = res.worst
            yield self.finding(
                doc, seg, start, end,
                f"fluency {res.fluency:.1f} is below {threshold:g} (perplexity {res.lm_ppl:.0f}); "
                f"the least probable words are '{seg.mt[start:end]}'")


# a full stop, ! or ? (also "?!"), not an ellipsis ("..." and "……" let a sentence run on)
_END = re.compile(r"(?<![.…])(?:[.!?。！？](?![.…])|[!?]{2,3})['\"”’)]*(?=\s|$)")
_ABBREV = frozenset("co ltd inc corp mr mrs ms dr prof st jr no vs etc gov gen sen rep dept univ jan feb "
                    "mar apr jun jul aug sep sept oct nov dec fig e.g i.e u.s u.k u.n e.u a.m p.m".split())
_LOWER_START = re.compile(r"[a-z]+\b(?![-'’.@/])")
_GERUND_AFTER_SEMI = re.compile(r";\s+([a-z][a-z]+ing)\b")


@lru_cache(maxsize=8192)
def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a segment (a light splitter)."""
    out = []
    start = 0
    for m in _END.finditer(text):
        if text[m.start()] == ".":
            word = text[:m.start()].rsplit(None, 1)[-1] if text[:m.start()].strip() else ""
            word = word.lstrip("(\"'“‘").lower().rsplit("-", 1)[-1]
            if word in _ABBREV or (len(word) == 1 and word.isalpha()) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
                continue
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    spans = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        if a < b:
            spans.append((a, b))
    return spans


def _list_item(doc: Document, k: int) -> bool:
    """Whether line ``k`` ends in a semicolon inside a run of such lines: the items of a list
    ("(1) ... ;" / "(2) ... ;"), not a sentence cut off."""
    if not doc.segments[k].mt.rstrip().endswith(";"):
        return False
    return any(0 <= j < len(doc.segments) and doc.segments[j].mt.rstrip().endswith(";") for j in (k - 1, k + 1))


class Fragment(Check):
    """A bogus sentence split: a "sentence" that ends in a semicolon or comma, that is only
    the subject half of a sentence whose rest hangs off a semicolon, or that has no main
    clause (a participle or gerund phrase, "In terms of ...", a subordinate clause or a bare
    noun phrase standing alone).

    Bad: "... and promote the education chain, talent chain and industrial chain. The
    innovation chain is organically connected; condensing the advantages of ..."
    Good: "... and promote the organic connection of the education, talent, industrial and
    innovation chains, and draw on the advantages of ..."
    Bad: "The city grew fast. Focusing on the development of new industries."
    Good: "The city grew fast, focusing on the development of new industries."
    Rules find the candidates and settle the plain cases; the others are parsed with the
    spaCy English model, loaded only when a candidate needs it (``tagger = rules`` never
    loads it). Headlines and title-like lines without a full stop are not fragments.
    """

    code = "MT302"
    name = "fluency.fragment"
    severity = Severity.WARNING
    scope = "document"
    options = {"tagger": "auto"}

    def __init__(self, severity: Severity | None = None, **options: Any) -> None:
        super().__init__(severity, **options)
        if self.opts["tagger"] not in ("auto", "rules"):
            from mtcheck.errors import ConfigError

            raise ConfigError(f"MT302: tagger must be auto or rules, not {self.opts['tagger']!r}")

    def check_document(self, doc: Document) -> Iterator[Finding]:
        from mtcheck.syntax import candidate, decide

        cands = []
        for seg in doc.segments:
            yield from self.check_segment(seg, doc)
            text = seg.mt.rstrip()
            spans = sentences(text)
            for a, b in spans:
                c = candidate(text[a:b], len(spans) > 1)
                if c is not None:
                    cands.append((seg, a, b, c))
        if not cands:
            return
        verdicts = decide([c for *_, c in cands], self.opts["tagger"] == "auto")
        for (seg, a, b, c), bad in zip(cands, verdicts):
            if bad:
                yield self.finding(doc, seg, a, b, f"'{seg.mt[a:b]}' has no main clause ({c.kind} "
                                                   "standing alone): join it to the sentence it belongs to", "")

    def check_segment(self, seg, doc: Document) -> Iterator[Finding]:
        text = seg.mt.rstrip()
        spans = sentences(text)
        if not spans:
            return
        tail = (seg.src or "").rstrip()[-1:]
        src_cut = bool(tail) and tail in ",;，；、"  # the source itself stops there
        if text[-1:] in ",;" and len(text.split()) >= 3 and not src_cut and not _list_item(doc, seg.index):
            a, b = spans[-1]
            yield self.finding(doc, seg, a, b, f"the segment ends in '{text[-1]}': a sentence was cut off", "")
        for k, (a, b) in enumerate(spans):
            if k == 0:
                prev = doc.segments[seg.index - 1].mt.rstrip() if seg.index > 0 else ""
                if prev and prev[-1:] not in ",;" and _LOWER_START.match(text) \
                        and len(text[a:b].split()) >= 3 and text[b - 1:b] in ".!":
                    yield self.finding(doc, seg, a, b, "the line starts in lower case: a sentence was split "
                                                       "across lines", "")
                continue
            sent = text[a:b]
            if sent[:1].islower() and len(sent.split()) >= 3:
                yield self.finding(doc, seg, a, b, "a sentence starts in lower case after a full stop: "
                                                   "the sentence was split in the wrong place", "")
                continue
            m = _GERUND_AFTER_SEMI.search(sent)
            if m and sent.find(";") == m.start() and len(sent[:m.start()].split()) <= 12:
                yield self.finding(doc, seg, a, a + m.start() + 1,
                                   f"'{sent[:m.start() + 1]}' stands as a sentence of its own, but what follows "
                                   f"the semicolon ('{m.group(1)} ...') has no subject: a bogus sentence split",
                                   "")


_DOUBLED = re.compile(r"\b([A-Za-z]+)((?:\s+\1\b)+)", re.IGNORECASE)
_PHRASE = re.compile(r"\b((?:[A-Za-z']+[\s,]+){1,7}[A-Za-z']+)\s+\1\b", re.IGNORECASE)
_PUNCT = str.maketrans({c: " " for c in ".,;:!?\"()[]“”‘’"})
_OK_DOUBLES = {"had", "that", "bye", "ha", "no", "very"}


def _back_to_back(words: list[str]) -> bool:
    """Whether some phrase of 2-8 words is immediately repeated (via repeated bigrams)."""
    bigrams = list(zip(words, words[1:]))
    if len(set(bigrams)) == len(bigrams):
        return False
    where: dict[tuple[str, str], list[int]] = {}
    for i, bg in enumerate(bigrams):
        where.setdefault(bg, []).append(i)
    for pos in where.values():
        for a in pos:
            for b in pos:
                n = b - a
                if 2 <= n <= 8 and words[a:a + n] == words[b:b + n]:
                    return True
    return False


def _shared_source(a: str | None, b: str | None, share: float = 0.0, same: bool = False) -> bool:
    """Whether the source says twice what the MT repeats: the source segments ``a`` and ``b``
    (``same``: one segment, the repeat is inside it) share a run of characters at least
    0.6 times as long as the source text that the repeated sentence stands for (``share``: the
    sentence's share of segment ``b``'s MT), and never under 4 characters. Inside one
    segment the two runs must not overlap: a source is not its own repeat."""
    if not a or not b:
        return False
    k = max(4, int(0.6 * share * len(b)))
    if same:
        first: dict[str, int] = {}
        for i in range(len(b) - k + 1):
            if i - first.setdefault(b[i:i + k], i) >= k:
                return True
        return False
    grams = {a[i:i + k] for i in range(len(a) - k + 1)}
    return any(b[i:i + k] in grams for i in range(len(b) - k + 1))


def similar_sources(a: str | None, b: str | None) -> bool:
    """Whether two source segments are (near) duplicates, so that a repeated translation
    is faithful rather than residue."""
    if not a or not b:
        return False
    from rapidfuzz.fuzz import ratio

    return ratio(a, b) >= 80


class Repetition(Check):
    """A word or phrase is repeated back to back, or a sentence is printed twice.

    Bad: "the the college", "in the city in the city", a sentence repeated in the article
    Good: "the college", "in the city"
    A whole line repeated is MT402's (residue.duplicate-line).
    """

    code = "MT303"
    name = "fluency.repetition"
    severity = Severity.WARNING
    scope = "document"

    def check_document(self, doc: Document) -> Iterator[Finding]:
        lines: dict[str, int] = {}
        seen: dict[str, tuple[int, int]] = {}
        for seg in doc.segments:
            text = seg.mt
            words = text.lower().translate(_PUNCT).split()
            if any(map(str.__eq__, words, words[1:])):
                for m in _DOUBLED.finditer(text):
                    w = m.group(1)
                    if w.lower() in _OK_DOUBLES or (w[0].isupper() and m.group(2).strip()[0].isupper()):
                        continue  # "Fang Fang", "Want Want": reduplicated names and brands
                    yield self.finding(doc, seg, m.start(), m.end(), f"'{m.group(1)}' is repeated", m.group(1))
            repeated = _back_to_back(words)
            for m in (_PHRASE.finditer(text) if repeated else ()):
                if " " not in m.group(1).strip():
                    continue
                yield self.finding(doc, seg, m.start(), m.end(), f"'{m.group(1)}' is repeated back to back",
                                   m.group(1))
            line_key = " ".join(text.casefold().split())
            whole_dup = line_key in lines
            lines.setdefault(line_key, seg.index)
            if whole_dup:
                continue
            for a, b in sentences(text):
                key = text[a:b].casefold()
                if key.count(" ") < 4:
                    continue
                if key in seen and key != line_key or (key in seen and seen[key][0] != seg.index):
                    first = doc.segments[seen[key][0]]
                    if _shared_source(first.src, seg.src, (b - a) / max(1, len(text)), first is seg):
                        continue  # the source says it twice too
                    yield self.finding(doc, seg, a, b, f"this sentence was already printed (line {first.line})", "")
                else:
                    seen.setdefault(key, (seg.index, a))
