"""Segment, Document, Corpus: plain immutable records.

Everything downstream (metrics, checks, fluency, reports, lint formats) reads these
records and nothing else, so they carry what each of them needs: the text, where it
came from (file, line, column), the aligned references and source, and how the
references were aligned.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator


@dataclass(frozen=True)
class Segment:
    """One MT segment (a line of an MT file, or a row of a table).

    ``refs`` holds one entry per reference stream: the aligned reference text, ``""``
    when the aligner found no reference sentence for this segment (a 1-0 bead), or
    ``None`` when that stream has no reference for this document at all.
    ``line`` is the 1-based line in the MT file, ``col`` the 0-based character offset
    of ``mt`` inside that line (leading indentation is not part of the segment).
    """

    index: int
    seg_id: str
    line: int
    mt: str
    refs: tuple[str | None, ...] = ()
    src: str | None = None
    col: int = 0
    #: for text whose markup was stripped (Markdown): the column in the original line of
    #: every character of ``mt``; None when ``mt`` is a plain slice of the line at ``col``
    colmap: tuple[int, ...] | None = None

    @property
    def has_ref(self) -> bool:
        return any(r is not None for r in self.refs)

    def column(self, offset: int) -> int:
        """The 0-based column in the original line of character ``offset`` of ``mt``."""
        if self.colmap is None:
            return self.col + offset
        if not self.colmap:
            return self.col
        if offset >= len(self.colmap):
            return self.colmap[-1] + 1 + (offset - len(self.colmap))
        return self.colmap[offset]


@dataclass(frozen=True)
class Bead:
    """One step of a sentence alignment: MT segment indices against reference line indices."""

    mt: tuple[int, ...]
    ref: tuple[int, ...]

    @property
    def kind(self) -> str:
        return f"{len(self.mt)}-{len(self.ref)}"


@dataclass(frozen=True)
class Alignment:
    """How one reference stream of a document was paired with the MT segments.

    ``method`` is ``parallel`` (line by line, nothing moved), ``identity`` (same
    number of non-empty lines) or ``dp`` (dynamic-programming alignment).
    ``ref_lines`` are the reference sentences with their 1-based file lines.
    """

    method: str
    beads: tuple[Bead, ...]
    ref_lines: tuple[tuple[int, str], ...] = ()

    def unaligned_refs(self) -> list[tuple[int, str]]:
        """Reference sentences that no MT segment covers (0-1 beads)."""
        return [self.ref_lines[j] for b in self.beads if not b.mt for j in b.ref]


@dataclass(frozen=True)
class Document:
    """One document of one MT system."""

    corpus: str
    system: str
    doc_id: str
    segments: tuple[Segment, ...]
    path: str = ""
    ref_paths: tuple[str, ...] = ()
    src_path: str = ""
    alignments: tuple[Alignment | None, ...] = ()

    @property
    def n_refs(self) -> int:
        return len(self.alignments)

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.segments)

    def __len__(self) -> int:
        return len(self.segments)

    def extra_refs(self) -> list[tuple[str | None, ...]]:
        """Reference sentences left unaligned, as reference tuples for metric statistics.

        Each becomes an empty hypothesis against that sentence, so that dropped content
        still counts against the system at document and corpus level.
        """
        out: list[tuple[str | None, ...]] = []
        for k, al in enumerate(self.alignments):
            if al is None:
                continue
            for _, text in al.unaligned_refs():
                refs: list[str | None] = [None] * len(self.alignments)
                refs[k] = text
                out.append(tuple(refs))
        return out


@dataclass(frozen=True)
class Corpus:
    """Documents of one or more systems, read from one CORPUS argument."""

    name: str
    path: str
    documents: tuple[Document, ...]
    warnings: tuple[str, ...] = field(default=())
    #: documents that could not be read: (path, line or None, message)
    errors: tuple[tuple[str, int | None, str], ...] = field(default=())

    @property
    def systems(self) -> list[str]:
        seen: dict[str, None] = {}
        for d in self.documents:
            seen.setdefault(d.system, None)
        return list(seen)

    def by_system(self, system: str) -> list[Document]:
        return [d for d in self.documents if d.system == system]

    @property
    def n_segments(self) -> int:
        return sum(len(d) for d in self.documents)
