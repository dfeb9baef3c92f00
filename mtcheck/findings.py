"""Severity and Finding: what a check reports."""
from __future__ import annotations

import enum
from dataclasses import asdict, dataclass


class Severity(enum.IntEnum):
    """How serious a finding is; comparable (``ERROR > WARNING > INFO``)."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r}; choose from error, warning, info") from None


#: the keys of :meth:`Finding.to_dict`, in report order (findings.csv, json, ...)
FINDING_FIELDS = (
    "corpus", "system", "doc_id", "seg_id", "line", "code", "check", "severity",
    "start", "end", "text", "message", "suggestion",
)


@dataclass(frozen=True)
class Finding:
    """One problem found by a check, located in one segment.

    ``start``/``end`` are character offsets into the segment's MT text, and
    ``text == segment.mt[start:end]``. ``line`` is the 1-based line in the MT file,
    ``col`` the 0-based column of the segment's first character in that line.
    """

    corpus: str
    system: str
    doc_id: str
    seg_id: str
    line: int
    code: str
    check: str
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestion: str = ""
    path: str = ""
    col: int = 0

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["severity"] = str(self.severity)
        return {k: d[k] for k in FINDING_FIELDS}
