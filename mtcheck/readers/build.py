"""Turning MT, reference and source lines into a Document (shared by the readers)."""
from __future__ import annotations

from typing import Sequence

from mtcheck import align as aligner
from mtcheck.corpus import Alignment, Document, Segment
from mtcheck.errors import InputError

ALIGN_MODES = ("auto", "always", "never")


def _trim(lines: Sequence[str]) -> list[str]:
    out = list(lines)
    while out and not out[-1].strip():
        out.pop()
    return out


def _nonblank(lines: Sequence[str]) -> list[tuple[int, str]]:
    return [(i + 1, t.strip()) for i, t in enumerate(lines) if t.strip()]


def _is_parallel(mt: list[str], refs: list[list[str]]) -> bool:
    """Files are line-parallel when every reference has as many lines as the MT and
    blank lines (almost) always coincide: a test set, where a blank MT line is an
    empty translation rather than a paragraph break."""
    if not refs or any(len(r) != len(mt) for r in refs):
        return False
    n = len(mt)
    mismatched = sum(
        1 for k in range(n) for r in refs if bool(mt[k].strip()) != bool(r[k].strip())
    )
    return mismatched * 100 <= n


def build_document(
    *,
    corpus: str,
    system: str,
    doc_id: str,
    mt_path: str,
    mt_lines: Sequence[str],
    ref_streams: Sequence[tuple[str, Sequence[str]] | None],
    src: tuple[str, Sequence[str]] | None = None,
    align: str = "auto",
    colmaps: Sequence[Sequence[int]] | None = None,
) -> Document:
    """Build one document from file lines (folder and text layouts).

    ``ref_streams`` has one entry per reference stream: ``(path, lines)`` or ``None``
    when that stream has no file for this document.
    """
    mt = _trim(mt_lines)
    present = [(k, p, _trim(lines)) for k, s in enumerate(ref_streams) if s for p, lines in [s]]
    n_streams = len(ref_streams)
    refs_per_seg: list[list[str | None]]
    alignments: list[Alignment | None] = [None] * n_streams

    if align != "always" and _is_parallel(mt, [r for _, _, r in present]):
        keep = [
            i for i in range(len(mt))
            if mt[i].strip() or any(r[i].strip() for _, _, r in present)
        ]
        mt_items = [(i + 1, mt[i]) for i in keep]
        refs_per_seg = [[None] * n_streams for _ in keep]
        for k, _, r in present:
            ref_lines = tuple((i + 1, r[i].strip()) for i in keep)
            for s, (_, text) in enumerate(ref_lines):
                refs_per_seg[s][k] = text
            alignments[k] = Alignment("parallel", tuple(aligner.identity(len(keep))), ref_lines)
    else:
        mt_items = [(i + 1, mt[i]) for i in range(len(mt)) if mt[i].strip()]
        refs_per_seg = [[None] * n_streams for _ in mt_items]
        texts = [t.strip() for _, t in mt_items]
        for k, path, r in present:
            ref_lines = tuple(_nonblank(r))
            if len(ref_lines) == len(texts) and align != "always":
                beads, method = aligner.identity(len(texts)), "identity"
            elif align == "never":
                raise InputError(
                    path,
                    f"{len(ref_lines)} reference lines against {len(texts)} MT lines in "
                    f"{mt_path}; use --align auto to align them",
                )
            else:
                beads, method = aligner.align(texts, [t for _, t in ref_lines]), "dp"
            for bead in beads:
                joined = " ".join(ref_lines[j][1] for j in bead.ref)
                for i in bead.mt:
                    refs_per_seg[i][k] = joined
            alignments[k] = Alignment(method, tuple(beads), ref_lines)

    src_texts: list[str | None] = [None] * len(mt_items)
    src_path = ""
    if src is not None:
        src_path, src_lines = src
        s_lines = _trim(src_lines)
        if len(s_lines) == len(mt):
            src_texts = [s_lines[line - 1].strip() for line, _ in mt_items]
        else:
            nb = _nonblank(s_lines)
            if len(nb) == len(mt_items):
                src_texts = [t for _, t in nb]

    segments = []
    for s, (line, raw) in enumerate(mt_items):
        text = raw.strip()
        col = len(raw) - len(raw.lstrip()) if text else 0
        cmap = None
        if colmaps is not None:
            full = colmaps[line - 1]
            cmap = tuple(full[col:col + len(text)])
            col = cmap[0] if cmap else 0
        segments.append(Segment(
            index=s, seg_id=str(s + 1), line=line, mt=text,
            refs=tuple(refs_per_seg[s]), src=src_texts[s], col=col, colmap=cmap,
        ))
    return Document(
        corpus=corpus, system=system, doc_id=doc_id, segments=tuple(segments),
        path=mt_path,
        ref_paths=tuple(s[0] if s else "" for s in ref_streams),
        src_path=src_path, alignments=tuple(alignments),
    )

