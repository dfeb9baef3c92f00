"""Reading the CSV reports of a run back into plain records, for the HTML report.

The report is built from the files alone (``mtcheck report OUT_DIR``), so every column a
newer or older mtcheck may or may not write (``quality``, ``src``, ``compare.csv``) is
optional here. Cells that the CSV writer neutralised for spreadsheets (a leading ``'``
before ``= + - @``, tab or CR) are restored, so offsets into ``mt`` stay right.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

from mtcheck.errors import InputError, MtcheckError

#: the reports a run must have for a report to be built from it
REQUIRED = ("segments", "documents", "findings", "summary")
OPTIONAL = ("errors", "compare")
#: columns each required report must have (the rest are optional)
NEEDED_COLUMNS = {
    "segments": ("corpus", "system", "doc_id", "seg_id", "mt"),
    "documents": ("corpus", "system", "doc_id"),
    "findings": ("corpus", "system", "doc_id", "seg_id", "code", "severity", "start", "end"),
    "summary": ("corpus", "system"),
    "errors": (),
    "compare": ("system", "metric"),
}
INT_COLUMNS = frozenset({"line", "findings", "start", "end", "segments", "documents", "errors", "warnings",
                         "infos"})
FLOAT_COLUMNS = frozenset({"bleu", "chrf", "ter", "lm_logprob", "lm_ppl", "lm_slor", "fluency", "quality",
                           "score", "baseline_score", "delta", "ci_low", "ci_high", "p_value"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def restore(value: str) -> str:
    """Undo the CSV writer's spreadsheet neutralisation of one text cell."""
    if value.startswith("'") and value[1:2] and value[1] in _FORMULA_START:
        return value[1:]
    return value


def _convert(path: Path, line: int, col: str, value: str):
    if col in INT_COLUMNS or col in FLOAT_COLUMNS:
        if value == "" or value.lower() == "nan":
            return None
        try:
            num = float(value)
        except ValueError:
            raise InputError(path, f"column {col!r}: not a number: {value[:40]!r}", line) from None
        if not math.isfinite(num):
            return None
        return int(num) if col in INT_COLUMNS and num.is_integer() else num
    return restore(value)


def read_table(path: Path, needed: tuple[str, ...] = ()) -> tuple[list[str], list[dict]]:
    """The header and rows of one report; numbers converted, blanks as None."""
    try:
        fh = open(path, encoding="utf-8", newline="")
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    with fh:
        try:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise InputError(path, "empty file, expected a header line", 1)
            missing = [c for c in needed if c not in header]
            if missing:
                raise InputError(path, f"not an mtcheck report: no column {', '.join(missing)}", 1)
            rows = []
            for raw in reader:
                line = reader.line_num
                if len(raw) != len(header):
                    raise InputError(path, f"{len(raw)} cells, expected {len(header)}", line)
                rows.append({c: _convert(path, line, c, v) for c, v in zip(header, raw)})
        except UnicodeDecodeError as exc:
            raise InputError(path, f"invalid UTF-8 at byte offset {exc.start}") from None
        except csv.Error as exc:
            raise InputError(path, f"bad CSV: {exc}") from None
    return header, rows


@dataclass
class Run:
    """The reports of one run, as rows (dicts); optional ones empty when absent."""

    folder: Path
    columns: dict[str, list[str]] = field(default_factory=dict)
    tables: dict[str, list[dict]] = field(default_factory=dict)

    def has(self, table: str, column: str) -> bool:
        """Whether ``table`` has ``column`` with at least one value."""
        return column in self.columns.get(table, ()) and any(
            r.get(column) not in (None, "") for r in self.tables.get(table, ()))


def load_run(folder: str | Path) -> Run:
    """The CSV reports in ``folder`` (as written by ``mtcheck score``)."""
    out = Path(folder)
    if not out.is_dir():
        raise InputError(out, "no such folder" if not out.exists() else "not a folder")
    missing = [f"{name}.csv" for name in REQUIRED if not (out / f"{name}.csv").is_file()]
    if missing:
        raise MtcheckError(f"{out}: no mtcheck reports here (missing {', '.join(missing)}); "
                           "run mtcheck score first")
    run = Run(out)
    for name in (*REQUIRED, *OPTIONAL):
        path = out / f"{name}.csv"
        if name in OPTIONAL and not path.is_file():
            run.columns[name], run.tables[name] = [], []
            continue
        run.columns[name], run.tables[name] = read_table(path, NEEDED_COLUMNS[name])
    return run
