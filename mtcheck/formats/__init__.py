"""Lint output formats, all built from the same records (``Located.record()``).

Each format's module is imported when that format is used (the JUnit writer's XML escaping
and the HTML view cost start-up time that a plain-text lint does not need)."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from mtcheck.lint import LintResult


def _lazy(module: str, name: str) -> Callable[["LintResult"], str]:
    def render(result: "LintResult") -> str:
        return getattr(import_module(module), name)(result)

    render.__name__ = render.__qualname__ = name
    return render


FORMATS: dict[str, Callable[["LintResult"], str]] = {
    "text": _lazy("mtcheck.formats.text", "to_text"),
    "github": _lazy("mtcheck.formats.text", "to_github"),
    "json": _lazy("mtcheck.formats.machine", "to_json"),
    "sarif": _lazy("mtcheck.formats.machine", "to_sarif"),
    "junit": _lazy("mtcheck.formats.machine", "to_junit"),
    "csv": _lazy("mtcheck.formats.machine", "to_csv"),
    "html": _lazy("mtcheck.htmlreport.lintview", "to_html"),
}

__all__ = ["FORMATS"]
