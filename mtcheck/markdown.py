"""Markdown markup is not translated text: strip it, keep every line and a column map.

``strip_markdown(lines)`` returns, for every input line, the text the checks see and, for
each of its characters, the 0-based column of that character in the original line, so
that findings are reported where they are in the file.
"""
from __future__ import annotations

import re

_INLINE = re.compile(
    r"(?P<img>!\[(?P<alt>[^\]]*)\]\([^)]*\))"
    r"|(?P<link>\[(?P<ltext>[^\]]+)\]\([^)]*\))"
    r"|(?P<ref>\[(?P<rtext>[^\]]+)\]\[[^\]]*\])"
    r"|(?P<code>`+[^`]*`+)"
    r"|(?P<auto><https?://[^>]+>)"
    r"|(?P<html></?[A-Za-z][^>]*>|<!--.*?-->)"
    r"|(?P<strong>\*\*|__)"
    r"|(?P<em>(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*]))")
_BLOCK = re.compile(r"^(?P<indent>\s*)(?:(?:>\s?)+|#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+)*")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINKDEF = re.compile(r"^\s*\[[^\]]+\]:\s+\S+")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")


def _inline(line: str, start: int) -> tuple[str, list[int]]:
    out: list[str] = []
    cols: list[int] = []

    def keep(a: int, b: int) -> None:
        out.append(line[a:b])
        cols.extend(range(a, b))

    pos = start
    for m in _INLINE.finditer(line, start):
        keep(pos, m.start())
        for name, inner in (("img", "alt"), ("link", "ltext"), ("ref", "rtext")):
            if m.group(name):
                sub_text, sub_cols = _inline(line[:m.end(inner)], m.start(inner))
                out.append(sub_text)
                cols.extend(sub_cols)
                break
        pos = m.end()
    keep(pos, len(line))
    text = "".join(out)
    # removing markup ("with `code` and") must not leave a doubled space behind
    keep_idx = [i for i in range(len(text))
                if not (i > 0 and text[i] == " " and text[i - 1] == " " and cols[i] != cols[i - 1] + 1)]
    return "".join(text[i] for i in keep_idx), [cols[i] for i in keep_idx]


def strip_markdown(lines: list[str]) -> list[tuple[str, list[int]]]:
    """Stripped text and column map for every line (same number of lines)."""
    result: list[tuple[str, list[int]]] = []
    fenced = False
    front = bool(lines) and lines[0].strip() == "---"
    for n, line in enumerate(lines):
        if front:
            result.append(("", []))
            if n > 0 and line.strip() in ("---", "..."):
                front = False
            continue
        if _FENCE.match(line):
            fenced = not fenced
            result.append(("", []))
            continue
        indented_code = line.startswith("    ") and n > 0 and not lines[n - 1].strip() \
            and not line.lstrip().startswith(("-", "*", "+"))
        if fenced or _LINKDEF.match(line) or _RULE.match(line) or indented_code:
            result.append(("", []))
            continue
        m = _BLOCK.match(line)
        start = m.end() if m else 0
        text, cols = _inline(line, start)
        # a heading's closing hashes
        trail = re.search(r"\s+#+\s*$", text)
        if trail and line.lstrip().startswith("#"):
            cols = cols[:trail.start()]
            text = text[:trail.start()]
        result.append((text, cols))
    return result
