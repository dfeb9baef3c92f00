"""Lint output formats, all built from the same records (``Located.record()``)."""
from __future__ import annotations

from typing import Callable

from mtcheck.formats.machine import to_csv, to_json, to_junit, to_sarif
from mtcheck.formats.text import to_github, to_text
from mtcheck.htmlreport.lintview import to_html
from mtcheck.lint import LintResult

FORMATS: dict[str, Callable[[LintResult], str]] = {
    "text": to_text,
    "github": to_github,
    "json": to_json,
    "sarif": to_sarif,
    "junit": to_junit,
    "csv": to_csv,
    "html": to_html,
}

__all__ = ["FORMATS"]
