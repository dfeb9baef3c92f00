"""The check framework: a check is a small class with a code, a name and a docstring."""
from __future__ import annotations

from typing import Any, ClassVar, Iterable, Iterator

from mtcheck.corpus import Corpus, Document, Segment
from mtcheck.findings import Finding, Severity


class Check:
    """Base class of all checks.

    Subclasses set ``code`` (stable, never reused), ``name`` (dotted), ``severity``,
    ``scope`` (``segment``, ``document`` or ``corpus``) and ``needs`` (``ref``,
    ``src``), and implement the method of their scope. The first docstring line is the
    description; the rest shows a bad and a good example. ``options`` declares the
    check's own settings with their defaults (strings, as in a config file).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    scope: ClassVar[str] = "document"
    needs: ClassVar[frozenset[str]] = frozenset()
    options: ClassVar[dict[str, Any]] = {}
    aliases: ClassVar[tuple[str, ...]] = ()

    def __init__(self, severity: Severity | None = None, **options: Any) -> None:
        unknown = set(options) - set(self.options)
        if unknown:
            raise ValueError(f"{self.code}: unknown option {sorted(unknown)[0]!r}")
        self.level = severity or type(self).severity
        self.opts = {**self.options, **options}

    @classmethod
    def description(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0]

    def prepare(self, corpus: Corpus, extra: dict[str, Any]) -> None:
        """Receive what was computed before the checks run (``extra["fluency"]``)."""

    # -- scope methods: override the one that matches ``scope`` ------------------
    def check_segment(self, seg: Segment, doc: Document) -> Iterable[Finding]:
        return ()

    def check_document(self, doc: Document) -> Iterable[Finding]:
        for seg in doc.segments:
            yield from self.check_segment(seg, doc)

    def check_corpus(self, corpus: Corpus) -> Iterable[Finding]:
        for doc in corpus.documents:
            yield from self.check_document(doc)

    def run(self, corpus: Corpus) -> Iterator[Finding]:
        if self.scope == "corpus":
            yield from self.check_corpus(corpus)
        else:
            for doc in corpus.documents:
                yield from self.check_document(doc)

    # -- helper -------------------------------------------------------------------
    def finding(self, doc: Document, seg: Segment, start: int, end: int, message: str,
                suggestion: str = "") -> Finding:
        return Finding(
            corpus=doc.corpus, system=doc.system, doc_id=doc.doc_id, seg_id=seg.seg_id,
            line=seg.line, code=self.code, check=self.name, severity=self.level,
            start=start, end=end, text=seg.mt[start:end], message=message,
            suggestion=suggestion, path=doc.path, col=seg.col,
        )
