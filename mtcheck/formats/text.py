"""Human and GitHub Actions output."""
from __future__ import annotations

import re

from mtcheck.lint import LintResult

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """Control characters (ANSI escapes, bidi overrides, ...) as visible escapes, so that
    an article cannot rewrite the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                        text.replace("\n", "\\n").replace("\t", "\\t"))


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def summary_line(result: LintResult) -> str:
    """``1 finding (1 error, 0 warnings, 0 infos) in 1 document``."""
    c = result.counts()
    n = len(result.located)
    docs = _count(len(result.documents), "document")
    extra = f", {result.suppressed} suppressed" if result.suppressed else ""
    if not n:
        return f"no findings in {docs}{extra}"
    return (f"{_count(n, 'finding')} ({_count(c['error'], 'error')}, {_count(c['warning'], 'warning')}, "
            f"{_count(c['info'], 'info')}) in {docs}{extra}")


def to_text(result: LintResult) -> str:
    lines = []
    for loc in result.located:
        f = loc.finding
        sugg = f" ({escape(f.suggestion)})" if f.suggestion else ""
        lines.append(f"{escape(loc.path)}:{loc.line}:{loc.column}: {f.code} [{f.severity}] {escape(f.message)}{sugg}")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def to_github(result: LintResult) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation."""
    lines = []
    for loc in result.located:
        f = loc.finding
        msg = f.message + (f" (suggestion: {f.suggestion})" if f.suggestion else "")
        props = (f"file={_gh_prop(loc.path)},line={loc.line},col={loc.column},endLine={loc.end_line},"
                 f"endColumn={loc.end_column},title={_gh_prop(f.code + ' ' + f.check)}")
        lines.append(f"::{_GH_LEVEL[str(f.severity)]} {props}::{_gh_data(msg)}")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
