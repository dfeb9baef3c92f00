"""Records -> pandas DataFrames -> CSV, with fixed column lists.

Two runs on the same input give byte-identical files: fixed columns, the corpus's
own document order, findings sorted by position, floats with four decimals.
Every file is written to a temporary name first and all are renamed at the end, so
a failed or interrupted run leaves the previous reports as they were.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from mtcheck.corpus import Corpus
from mtcheck.findings import FINDING_FIELDS, Finding, Severity
from mtcheck.fluency import aggregate  # light: torch is imported only by the scorer
from mtcheck.metrics import METRICS, Scores

if TYPE_CHECKING:
    import pandas as pd

SEVERITY_COLUMNS = ("errors", "warnings", "infos")
FLUENCY_COLUMNS = ("lm_logprob", "lm_ppl", "lm_slor", "fluency")
QUALITY_COLUMNS = ("quality",)
SEGMENT_COLUMNS = ("corpus", "system", "doc_id", "seg_id", "line", "mt", "ref", "align",
                   *METRICS, *FLUENCY_COLUMNS, *QUALITY_COLUMNS, "findings")
DOCUMENT_COLUMNS = ("corpus", "system", "doc_id", "segments", *METRICS, *FLUENCY_COLUMNS, *QUALITY_COLUMNS,
                    *SEVERITY_COLUMNS)
SUMMARY_COLUMNS = ("corpus", "system", "documents", "segments", *METRICS, *FLUENCY_COLUMNS, *QUALITY_COLUMNS,
                   *SEVERITY_COLUMNS, "bleu_signature", "bleu_segment_signature", "chrf_signature",
                   "ter_signature", "fluency_signature", "quality_signature")
NUMERIC = (*METRICS, *FLUENCY_COLUMNS, *QUALITY_COLUMNS)
FINDING_COLUMNS = FINDING_FIELDS
REPORTS = ("segments", "documents", "findings", "summary", "errors")
#: a cell starting with one of these is a formula to a spreadsheet (OWASP CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a single quote to text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
FLOAT_FORMAT = "%.4f"


def publishable(fd: int) -> None:
    """Give a file made by ``tempfile.mkstemp`` (mode 0600) the mode a plain ``open`` would
    (0666 less the umask), so the reports it becomes are readable as any file the user writes."""
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.fchmod(fd, 0o666 & ~mask)
    except OSError:  # pragma: no cover - a file system without modes
        pass


@dataclass
class CorpusResult:
    """Everything computed for one corpus: the input, its scores and its findings."""

    corpus: Corpus
    scores: Scores
    findings: list[Finding]
    #: per (system, doc_id): one SegmentFluency per segment, or None without fluency
    fluency: dict | None = None
    fluency_signature: str | None = None
    #: per (system, doc_id): quality (0-100 or None) per segment, or None without quality
    quality: dict | None = None
    quality_signature: str | None = None


def _severity_counts(findings: Sequence[Finding]) -> dict[str, int]:
    counts = {c: 0 for c in SEVERITY_COLUMNS}
    for f in findings:
        counts[{Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "infos"}[f.severity]] += 1
    return counts


def _bead_kinds(doc) -> list[str]:
    kinds = [""] * len(doc.segments)
    al = doc.alignments[0] if doc.alignments else None
    if al is None:
        return kinds
    for bead in al.beads:
        for i in bead.mt:
            kinds[i] = bead.kind
    return kinds


def frames(results: Sequence[CorpusResult]) -> dict[str, "pd.DataFrame"]:
    """The four reports as DataFrames with their fixed columns."""
    import pandas as pd

    seg_rows, doc_rows, sum_rows, find_rows = [], [], [], []
    from mtcheck.quality import mean_quality

    for res in results:
        corpus, scores, flu, qual = res.corpus, res.scores, res.fluency, res.quality
        by_seg: dict[tuple[int, int], int] = {}
        by_doc: dict[int, list[Finding]] = {}
        doc_index = {(d.system, d.doc_id): k for k, d in enumerate(corpus.documents)}
        seg_index = {(d.system, d.doc_id, s.seg_id): s.index for d in corpus.documents for s in d}
        for f in res.findings:
            k = doc_index[(f.system, f.doc_id)]
            by_doc.setdefault(k, []).append(f)
            i = seg_index[(f.system, f.doc_id, f.seg_id)]
            by_seg[(k, i)] = by_seg.get((k, i), 0) + 1
        for k, doc in enumerate(corpus.documents):
            kinds = _bead_kinds(doc)
            for seg in doc.segments:
                row = {"corpus": corpus.name, "system": doc.system, "doc_id": doc.doc_id,
                       "seg_id": seg.seg_id, "line": seg.line, "mt": seg.mt,
                       "ref": seg.refs[0] if seg.refs else None, "align": kinds[seg.index],
                       "findings": by_seg.get((k, seg.index), 0)}
                row.update(scores.segment[k][seg.index])
                if flu is not None:
                    f = flu[(doc.system, doc.doc_id)][seg.index]
                    row.update(lm_logprob=f.lm_logprob, lm_ppl=f.lm_ppl, lm_slor=f.lm_slor, fluency=f.fluency)
                if qual is not None:
                    row["quality"] = qual[(doc.system, doc.doc_id)][seg.index]
                seg_rows.append(row)
            row = {"corpus": corpus.name, "system": doc.system, "doc_id": doc.doc_id,
                   "segments": len(doc.segments), **scores.document[k],
                   **_severity_counts(by_doc.get(k, []))}
            if flu is not None:
                row.update(aggregate(flu[(doc.system, doc.doc_id)]))
            if qual is not None:
                row["quality"] = mean_quality(qual[(doc.system, doc.doc_id)])
            doc_rows.append(row)
            for f in sorted(by_doc.get(k, []), key=lambda f: (f.line, f.start, f.code, f.end)):
                find_rows.append(f.to_dict())
        for system in corpus.systems:
            docs = corpus.by_system(system)
            sys_findings = [f for f in res.findings if f.system == system]
            row = {"corpus": corpus.name, "system": system, "documents": len(docs),
                   "segments": sum(len(d) for d in docs), **scores.system[system],
                   **_severity_counts(sys_findings)}
            for m in METRICS:
                row[f"{m}_signature"] = scores.signatures.get(m)
            row["bleu_segment_signature"] = scores.signatures.get("bleu_segment")
            if flu is not None:
                row.update(aggregate([f for d in docs for f in flu[(d.system, d.doc_id)]]))
                row["fluency_signature"] = res.fluency_signature
            if qual is not None:
                row["quality"] = mean_quality([v for d in docs for v in qual[(d.system, d.doc_id)]])
                row["quality_signature"] = res.quality_signature
            sum_rows.append(row)
    out = {}
    for name, rows, cols in (("segments", seg_rows, SEGMENT_COLUMNS),
                             ("documents", doc_rows, DOCUMENT_COLUMNS),
                             ("findings", find_rows, FINDING_COLUMNS),
                             ("summary", sum_rows, SUMMARY_COLUMNS)):
        df = pd.DataFrame(rows, columns=list(cols))
        for m in NUMERIC:
            if m in df.columns:
                df[m] = pd.to_numeric(df[m], errors="coerce").astype("float64")
        out[name] = df
    return out


def write_reports(out_dir: str | Path, tables: dict[str, "pd.DataFrame"], raw: bool = False) -> list[Path]:
    """Write ``<name>.csv`` for each table atomically; return the paths written.

    Text cells that a spreadsheet would run as formulas get a leading single quote unless
    ``raw``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, df in tables.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            publishable(fd)
            staged.append((tmp, out / f"{name}.csv"))
            if not raw:
                df = df.copy()
                for col in df.columns:
                    if df[col].dtype == object or str(df[col].dtype).startswith("str"):
                        df[col] = df[col].map(neutralise)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                df.to_csv(fh, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, final in staged:
        os.replace(tmp, final)
    return [final for _, final in staged]


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` under a temporary name, then rename it into place (atomic)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    publishable(fd)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
