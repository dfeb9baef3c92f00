"""Terminology: a glossary enforced on the MT (MT106)."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from mtcheck.checks.base import Check
from mtcheck.corpus import Document
from mtcheck.errors import InputError
from mtcheck.findings import Finding, Severity
from mtcheck.names import fix_case
from mtcheck.readers.table import csv_header, csv_rows


@dataclass(frozen=True)
class Term:
    source: str
    target: str
    forbidden: tuple[str, ...]
    line: int
    note: str = ""


def _pattern(term: str) -> re.Pattern[str]:
    """Case-insensitive, tolerant to plural and possessive endings and to spacing/hyphens."""
    words = [re.escape(w) for w in re.split(r"[\s\-]+", term.strip()) if w]
    body = r"[\s\-]+".join(words)
    return re.compile(rf"(?<!\w){body}(?:s|es|'s|’s)?(?!\w)", re.IGNORECASE)


def read_glossary(path: str | Path) -> list[Term]:
    """Read a TSV/CSV glossary: columns ``source``, ``target`` and optionally ``forbidden``
    (variants separated by ``|``) and ``note``. Raises InputError naming file and line."""
    from mtcheck.readers.textio import read_text

    p = Path(path)
    text = read_text(p)
    delimiter = "\t" if p.suffix.lower() in (".tsv", ".tab", ".txt") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in csv_header(p, reader)]
    except InputError as exc:
        raise InputError(p, f"glossary: {exc.message}", exc.line) from None
    for need in ("source", "target"):
        if need not in header:
            raise InputError(p, f"glossary has no {need!r} column (columns: {', '.join(header)})", 1)
    terms = []
    for line, row in csv_rows(p, reader, header, allow_short=True):
        rec = {k: str(v).strip() for k, v in row.items()}
        if not rec.get("target"):
            raise InputError(p, "glossary row without a target term", line)
        forbidden = tuple(f.strip() for f in rec.get("forbidden", "").split("|") if f.strip())
        terms.append(Term(rec.get("source", ""), rec["target"], forbidden, line, rec.get("note", "")))
    return terms


class Glossary(Check):
    """A glossary term is missing where its source term occurs, or a forbidden variant is used.

    Glossary (TSV): source, target, forbidden
                    数字经济, digital economy, numerical economy|digitized economy
    Bad: source "数字经济" translated "the numerical economy"
    Good: "the digital economy"
    Matching ignores case and plural or possessive endings. A missing term needs the
    source text (``src``); forbidden variants are found without it.
    """

    code = "MT106"
    name = "terminology.glossary"
    severity = Severity.ERROR
    scope = "segment"
    options = {"glossary": ""}

    def __init__(self, severity: Severity | None = None, **options: str) -> None:
        super().__init__(severity, **options)
        path = self.opts["glossary"]
        self.terms = read_glossary(path) if path else []
        self.where = str(path)
        self._compiled = [(t, _pattern(t.target), [(_f, _pattern(_f)) for _f in t.forbidden])
                          for t in self.terms]

    def check_document(self, doc: Document) -> Iterator[Finding]:
        if not self.terms:
            return
        for seg in doc.segments:
            src = (seg.src or "").casefold()
            for term, target, forbidden in self._compiled:
                entry = f"glossary {self.where}:{term.line}: '{term.source}' -> '{term.target}'"
                for variant, pat in forbidden:
                    for m in pat.finditer(seg.mt):
                        yield self.finding(doc, seg, m.start(), m.end(),
                                           f"'{m.group()}' is a forbidden variant ({entry})",
                                           fix_case(term.target, m.group()))
                if src and term.source and term.source.casefold() in src and not target.search(seg.mt):
                    yield self.finding(doc, seg, 0, 0,
                                       f"the source has '{term.source}' but the MT lacks '{term.target}' ({entry})",
                                       term.target)
