"""Table corpora: ``.tsv``, ``.csv`` and ``.jsonl``, one row per segment.

Columns: ``doc_id``, ``mt`` (alias ``hypothesis``), and optionally ``ref`` (alias
``reference``; more references ``ref_2``, ``ref_3`` ...), ``src`` (alias ``source``),
``system`` and ``seg_id``. Other columns are ignored.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any, Iterator

from mtcheck.corpus import Alignment, Bead, Corpus, Document, Segment
from mtcheck.errors import InputError
from mtcheck.readers.folder import DEFAULT_SYSTEM
from mtcheck.readers.textio import read_text

ALIASES = {"hypothesis": "mt", "reference": "ref", "source": "src"}
_REF_COL = re.compile(r"^(?:ref|reference)(?:[-_]?(\d+))?$")

csv.field_size_limit(1 << 30)


def _canonical(col: str) -> str:
    c = col.strip().lower()
    return ALIASES.get(c, c)


def _ref_number(col: str) -> int | None:
    m = _REF_COL.match(col.strip().lower())
    return int(m.group(1) or 1) if m else None


def csv_header(path: Path, reader) -> list[str]:
    """The header row of a csv.reader, or a located InputError."""
    try:
        return next(reader)
    except StopIteration:
        raise InputError(path, "empty file: expected a header row", 1) from None
    except csv.Error as exc:
        raise InputError(path, f"bad header row: {exc}", 1) from None


def csv_rows(path: Path, reader, header: list[str], allow_short: bool = False,
             ) -> Iterator[tuple[int, dict[str, Any]]]:
    """(first line of the row, row as a dict) for every non-blank row; located errors.
    With ``allow_short``, a row may leave out trailing fields."""
    prev = reader.line_num
    while True:
        start = prev + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(path, f"bad row: {exc}", start) from None
        prev = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header) or (len(row) < len(header) and not allow_short):
            raise InputError(path, f"row has {len(row)} fields, the header has {len(header)}", start)
        yield start, dict(zip(header, row))


def _jsonl_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not JSON: {exc.msg} (column {exc.colno})", n) from None
        if not isinstance(obj, dict):
            raise InputError(path, f"expected a JSON object, found {type(obj).__name__}", n)
        yield n, obj


def _cell(path: Path, line: int, row: dict[str, Any], col: str | None) -> str | None:
    if col is None:
        return None
    v = row.get(col)
    if v is None:
        return None
    if isinstance(v, (dict, list)):
        raise InputError(path, f"column {col!r} holds a JSON {type(v).__name__}, expected text", line)
    if isinstance(v, bool):
        v = str(v).lower()
    return str(v)


def _columns(path: Path, line: int, names: list[str]) -> tuple[dict[str, str], list[str]]:
    """Map canonical column names to the file's names; the reference columns in order."""
    columns: dict[str, str] = {}
    refs: dict[int, str] = {}
    for col in names:
        canon = _canonical(col)
        num = _ref_number(col)
        if num is not None:
            if num in refs:
                raise InputError(path, f"two columns for reference {num}: {refs[num]!r} and {col!r}", line)
            refs[num] = col
        elif canon in ("mt", "src", "doc_id", "system", "seg_id"):
            if canon in columns:
                raise InputError(path, f"two columns for {canon!r}: {columns[canon]!r} and {col!r}", line)
            columns[canon] = col
    if "mt" not in columns:
        found = ", ".join(repr(c) for c in names) or "none"
        raise InputError(path, f"no 'mt' (or 'hypothesis') column; columns are {found}", line)
    return columns, [refs[k] for k in sorted(refs)]


def read_table(path: Path, name: str) -> Corpus:
    """Read a TSV, CSV or JSONL corpus."""
    text = read_text(path)
    suffix = path.suffix.lower()
    columns: dict[str, str] | None = None
    ref_cols: list[str] = []
    if suffix == ".jsonl":
        rows: Iterator[tuple[int, dict[str, Any]]] = _jsonl_rows(path, text)
    else:
        reader = csv.reader(io.StringIO(text, newline=""),
                            delimiter="\t" if suffix == ".tsv" else ",", strict=True)
        header = csv_header(path, reader)
        columns, ref_cols = _columns(path, 1, header)
        rows = csv_rows(path, reader, header)
    groups: dict[tuple[str, str], list[tuple[int, str | None, str, tuple[str | None, ...], str | None]]] = {}
    for line, row in rows:
        if suffix == ".jsonl":
            columns, cols_now = _columns(path, line, list(row))
            ref_cols = cols_now if len(cols_now) >= len(ref_cols) else ref_cols
        mt = _cell(path, line, row, columns["mt"]) or ""
        doc = _cell(path, line, row, columns.get("doc_id")) or path.stem
        system = _cell(path, line, row, columns.get("system")) or DEFAULT_SYSTEM
        seg = _cell(path, line, row, columns.get("seg_id"))
        refs_t = tuple(_cell(path, line, row, c) for c in ref_cols)
        refs_t = tuple(None if r is None or not r.strip() else r for r in refs_t)
        src = _cell(path, line, row, columns.get("src"))
        groups.setdefault((system, doc), []).append((line, seg, mt, refs_t, src))
    if columns is None or not groups:
        raise InputError(path, "no rows", 1 if suffix != ".jsonl" else None)
    n_refs = len(ref_cols)
    docs = []
    for (system, doc), items in groups.items():
        if all(s is not None and s.strip().lstrip("-").isdigit() for _, s, _, _, _ in items):
            items = sorted(items, key=lambda it: int(it[1]))  # type: ignore[arg-type]
        segments = []
        for i, (line, seg, mt, refs_t, src) in enumerate(items):
            refs_t = refs_t + (None,) * (n_refs - len(refs_t))
            text = mt.strip()
            col = len(mt) - len(mt.lstrip()) if text else 0
            segments.append(Segment(
                index=i, seg_id=seg if seg not in (None, "") else str(i + 1), line=line,
                mt=text, refs=tuple(r.strip() if r is not None else None for r in refs_t),
                src=src.strip() if src is not None else None, col=col,
            ))
        alignments = tuple(
            Alignment("rows", tuple(Bead((i,), (i,)) for i in range(len(segments))))
            if any(s.refs[k] is not None for s in segments) else None
            for k in range(n_refs)
        )
        docs.append(Document(
            corpus=name, system=system, doc_id=doc, segments=tuple(segments),
            path=str(path), ref_paths=(str(path),) * n_refs,
            src_path=str(path) if columns.get("src") else "", alignments=alignments,
        ))
    return Corpus(name=name, path=str(path), documents=tuple(docs))
