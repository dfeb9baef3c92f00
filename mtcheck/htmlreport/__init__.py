"""HTML reports: the run report (``mtcheck score --html``, ``mtcheck report``) and the lint view.

Importing this package is light; matplotlib loads only when a chart is drawn.
"""
from __future__ import annotations

from mtcheck.htmlreport.builder import REPORT_NAME, build_report, write_report

__all__ = ["REPORT_NAME", "build_report", "write_report"]
