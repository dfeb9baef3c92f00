"""Residue and format checks: what a web page leaves in a translated article (MT401-MT404)."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterator

from mtcheck.checks.base import Check
from mtcheck.checks.fluency_checks import similar_sources
from mtcheck.corpus import Document
from mtcheck.errors import ConfigError
from mtcheck.findings import Finding, Severity
from mtcheck.names import find_names, is_rare


def _parse_patterns(text: str, where: str) -> list[tuple[re.Pattern[str], str]]:
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        pattern, _, what = line.partition("\t")
        try:
            out.append((re.compile(pattern.strip(), re.IGNORECASE), what.strip() or "page residue"))
        except re.error as exc:
            raise ConfigError(f"{where}:{n}: bad residue pattern: {exc}") from None
    return out


@lru_cache(maxsize=1)
def packaged_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    text = resources.files("mtcheck").joinpath("data", "residue_patterns.tsv").read_text(encoding="utf-8")
    return tuple(_parse_patterns(text, "mtcheck/data/residue_patterns.tsv"))


def load_patterns(extra: str) -> list[tuple[re.Pattern[str], str]]:
    pats = list(packaged_patterns())
    for path in [p.strip() for p in extra.split(",") if p.strip()]:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read residue patterns: {exc.strerror or exc}") from None
        pats.extend(_parse_patterns(text, path))
    return pats


_INLINE_FLAGS = re.compile(r"\(\?([aiLmsux-]+)[:)]")


def _anchored(pattern: str) -> bool:
    """Whether every top-level alternative of ``pattern`` opens with ``^``, read from the
    text conservatively (escapes and character classes skipped; a MULTILINE or VERBOSE
    inline flag refused), so that ``search`` can only match at the start, as ``match`` does."""
    if any(set(m.group(1)) & set("mx") for m in _INLINE_FLAGS.finditer(pattern)):
        return False
    depth, k, n = 0, 0, len(pattern)
    branch_start = True
    while k < n:
        c = pattern[k]
        if branch_start:
            if c != "^":
                return False
            branch_start = False
        if c == "\\":
            k += 2
            continue
        if c == "[":
            k += 1
            if k < n and pattern[k] == "^":
                k += 1
            if k < n and pattern[k] == "]":
                k += 1
            while k < n and pattern[k] != "]":
                k += 2 if pattern[k] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            branch_start = True
        k += 1
    return not branch_start


class PatternSet:
    """Residue patterns compiled into one alternation (one scan per line, not one per
    pattern); ``match(text)`` gives the description of the first pattern that matches.
    Where every pattern is anchored with ``^`` (the packaged ones are), the alternation is
    tried at the start of the line only: ``search`` would try each of the 27 at every
    position, to fail at ``^``, and find the same match."""

    def __init__(self, patterns: list[tuple[re.Pattern[str], str]]) -> None:
        self.patterns = patterns
        self.what = [what for _, what in patterns]
        try:
            self.combined: re.Pattern[str] | None = re.compile(
                "|".join(f"(?P<p{k}>{p.pattern})" for k, (p, _) in enumerate(patterns)), re.IGNORECASE)
        except re.error:  # a user pattern with its own group names or backreferences
            self.combined = None
        self.anchored = all(_anchored(p.pattern) and not p.flags & re.MULTILINE for p, _ in patterns)

    def match(self, text: str) -> str | None:
        if self.combined is not None:
            m = self.combined.match(text) if self.anchored else self.combined.search(text)
            return None if m is None else self.what[int(m.lastgroup[1:])]
        for pat, what in self.patterns:
            if pat.search(text):
                return what
        return None


@lru_cache(maxsize=1)
def glued_patterns() -> PatternSet:
    """The packaged prompt, credit, caption and notice patterns, looked for at the end of a paragraph."""
    return PatternSet([(p, w) for p, w in packaged_patterns() if w.startswith(("prompt", "credit", "caption", "notice"))])


class Boilerplate(Check):
    """A line is page residue: an aggregator watermark, a "Read more" prompt, a credit.

    Bad: "laitimes" alone on the first line; "Read on" as the last line; "Editor: Li Ming".
    Good: the article text only.
    Patterns are data (mtcheck/data/residue_patterns.tsv); add files of your own with
    ``residue-patterns = FILE[,FILE]`` (a regular expression, a tab, a description).
    A lone lower-case word that is no English word, on the first line, is a watermark too.
    """

    code = "MT401"
    name = "residue.boilerplate"
    severity = Severity.ERROR
    scope = "document"
    options = {"patterns": ""}

    def __init__(self, severity: Severity | None = None, **options: str) -> None:
        super().__init__(severity, **options)
        self.patterns = PatternSet(load_patterns(self.opts["patterns"]))

    def check_document(self, doc: Document) -> Iterator[Finding]:
        for seg in doc.segments:
            text = seg.mt
            if not text or len(text) > 200:
                continue
            what = self.patterns.match(text.strip())
            if what is not None:
                yield self.finding(doc, seg, 0, len(text), f"'{text}' is page residue ({what})", "")
            else:
                if seg.index == 0 and re.fullmatch(r"[a-z][a-z0-9]{3,19}", text) and is_rare(text) \
                        and len(doc.segments) > 1:
                    yield self.finding(doc, seg, 0, len(text),
                                       f"'{text}' alone on the first line looks like a site watermark", "")


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


class DuplicateLine(Check):
    """A line (the headline or a paragraph) is printed twice.

    Bad: "Shanxi Gaoping Mechanical and Electrical Industry College was inaugurated" on
    line 3 and again on line 5.
    Good: the headline once.
    """

    code = "MT402"
    name = "residue.duplicate-line"
    severity = Severity.ERROR
    scope = "document"

    def check_document(self, doc: Document) -> Iterator[Finding]:
        seen: dict[str, int] = {}
        for seg in doc.segments:
            key = _norm(seg.mt)
            if len(key.split()) < 4:
                continue
            if key in seen:
                first = doc.segments[seen[key]]
                if similar_sources(seg.src, first.src):
                    continue  # the source repeats itself: not residue of the MT
                where = "the line before" if seen[key] == seg.index - 1 else f"line {first.line}"
                yield self.finding(doc, seg, 0, len(seg.mt),
                                   f"this line repeats {where} (line {first.line})", "")
            else:
                seen[key] = seg.index


_SENT_END = re.compile(r"[.!?。！？]['\"”’)]*\s+")


class GluedCredit(Check):
    """A credit or source line is glued to the end of a paragraph.

    Bad: "... in the reform of the vocational education system. Department of Education
    of Shanxi Province"
    Good: "... in the reform of the vocational education system."
    The tail after the paragraph's last full stop is a bare name (capitalised words, no
    verb, no closing punctuation), or a "Source: ..." / "(Editor: ...)" credit.
    """

    code = "MT403"
    name = "residue.glued-credit"
    severity = Severity.ERROR
    scope = "segment"

    _CREDIT = re.compile(r"(?:\(\s*)?(?:source|editor|responsible editor|reporter|author|photo)s?\s*[:：][^.!?]*\)?$",
                         re.IGNORECASE)

    def check_segment(self, seg, doc: Document) -> Iterator[Finding]:
        text = seg.mt.rstrip()
        ends = list(_SENT_END.finditer(text))
        if not ends:
            return
        start = ends[-1].end()
        head_words = len(text[:start].split())
        if head_words < 2:
            return
        tail = text[start:]
        what = glued_patterns().match(tail) if 0 < len(tail) <= 200 else None
        if what is not None:
            yield self.finding(doc, seg, start, len(text),
                               f"page residue is glued to the end of the paragraph ({what[what.find(':') + 1:].strip()}): "
                               f"'{tail}'", "")
            return
        if text[-1:] in ".!?。！？\"”’'):;," or head_words < 4:
            return  # too short a paragraph to have a bare name glued on ("2. SF Express")
        if len(tail.split()) < 2 or len(tail) > 120:
            return
        m = self._CREDIT.match(tail)
        if m:
            yield self.finding(doc, seg, start, len(text), f"a credit line is glued to the paragraph: '{tail}'", "")
            return
        names = find_names(tail, 0)
        if len(names) == 1 and names[0].start == 0 and names[0].end == len(tail):
            yield self.finding(doc, seg, start, len(text),
                               f"'{tail}' after the last sentence looks like a glued credit or source line; "
                               "move it to a line of its own or delete it", "")


_SPACING = (
    (re.compile(r"(?<=\S)  +(?=\S)"), "doubled space", " "),
    # the lookbehinds come after the first character, so that the engine scans for that
    # character instead of testing a lookbehind at every position (same matches)
    (re.compile(r" (?<=\w )(?: *)(?=[,.;:!?](?:\s|$))"), "space before punctuation", ""),
    (re.compile(r"\b[A-Za-z0-9]+(?:[+=] [A-Z0-9]\b(?!,\d)| [+=][A-Z0-9]\b)"),
     "space on one side of an operator only", None),
    (re.compile(r"[,;](?<=[a-z]{2}[,;])(?=[A-Za-z])"), "missing space after punctuation", None),
    (re.compile(r"[.!?](?<=[a-z]{2}[.!?])(?=[A-Z][a-z])"), "missing space after a full stop", None),
)
_PAIRS = (("(", ")"), ("[", "]"), ("“", "”"))


class Spacing(Check):
    """Spacing and pairing errors: doubled or missing spaces, a space before punctuation,
    spaces inside an expression ("1+ X"), unbalanced quotes or brackets.

    Bad: "the pilot of the 1+ X certificate system" / "the city , which" / "(see above"
    Good: "the pilot of the 1+X certificate system" / "the city, which" / "(see above)"
    """

    code = "MT404"
    name = "format.spacing"
    severity = Severity.WARNING
    scope = "segment"

    def check_segment(self, seg, doc: Document) -> Iterator[Finding]:
        text = seg.mt
        for pat, what, fix in _SPACING:
            if what == "doubled space" and "  " not in text:
                continue
            if what == "space before punctuation" and not any(p in text for p in (" ,", " .", " ;", " :", " !", " ?")):
                continue
            if what.startswith("space on one side") and "+" not in text and "=" not in text:
                continue
            for m in pat.finditer(text):
                start, end = m.start(), m.end()
                if what.startswith("space on one side"):
                    span = m.group()  # the whole expression: "1+ X"
                    yield self.finding(doc, seg, start, end, f"{what} in '{span}'", span.replace(" ", ""))
                elif fix is None:
                    yield self.finding(doc, seg, start, end, f"{what} in '{text[max(0, start - 8):end + 8]}'",
                                       text[start:end] + " ")
                else:
                    yield self.finding(doc, seg, start, end, what, fix)
        for a, b in _PAIRS:
            if text.count(a) == text.count(b):
                continue
            if a == "(" and re.match(r"\s*\w{1,3}\)", text) and text.count("(") == text.count(")") - 1:
                continue  # "2) SF Express": a list marker, not a bracket
            opened: list[int] = []
            for i, ch in enumerate(text):
                if ch == a:
                    opened.append(i)
                elif ch == b:
                    if opened:
                        opened.pop()
                    elif not (b == "”" and not text[i + 1:].strip(" .!?")):
                        yield self.finding(doc, seg, i, i + 1, f"'{b}' without an opening '{a}'", "")
            for i in opened:
                if a == "“":
                    continue  # a quotation that runs on into the next paragraph
                yield self.finding(doc, seg, i, i + 1, f"'{a}' is never closed", "")
        n = text.count('"')
        if n % 2:
            i = text.rfind('"') if not text.startswith('"') else text.find('"', 1)
            first, last = text.find('"'), text.rfind('"')
            opens = (last == 0 or text[last - 1] in " :(—–-") and text[last + 1:last + 2].isalnum()
            runs_on = first == 0 or opens or not text[last + 1:].strip(" .!?")
            if not runs_on:  # an open quote at the start or a close at the end runs across paragraphs
                yield self.finding(doc, seg, last, last + 1,
                                   "an odd number of straight quotes: one is unpaired", "")
            del i
