"""``mtcheck lint --format html``: findings per file, highlighted in the file's own lines.

Built from the lint records (path, line, 1-based column and inclusive end column in the
original file); the lines themselves are read again from the files with the same reader
the linter used. A static page: no script, so its policy allows none.
"""
from __future__ import annotations

from mtcheck import __version__
from mtcheck.errors import InputError
from mtcheck.htmlreport.page import asset, document, esc, highlight, plural
from mtcheck.lint import LintResult
from mtcheck.readers import TABLE_SUFFIXES
from mtcheck.readers.textio import read_lines

#: files longer than this show only the lines with findings and CONTEXT lines around them
FULL_FILE_LINES = 400
CONTEXT = 2


def _lines(path: str) -> list[str] | None:
    if path.lower().endswith(TABLE_SUFFIXES):
        return None  # a table corpus: its lines are rows, not text
    try:
        return read_lines(path)
    except (InputError, OSError):
        return None


def _title(rec: dict) -> str:
    t = f"{rec['code']} [{rec['severity']}] {rec['message']}"
    return t + (f"\nsuggestion: {rec['suggestion']}" if rec["suggestion"] else "")


def _file_section(k: int, path: str, recs: list[dict]) -> str:
    lines = _lines(path)
    counts = {s: sum(1 for r in recs if r["severity"] == s) for s in ("error", "warning", "info")}
    head = (f'<section class="file" id="file-{k}"><h2>{esc(path)}</h2><p class="note">'
            f'{plural(len(recs), "finding")} ({", ".join(plural(counts[s], s) for s in counts)})</p>')
    items = []
    for r in recs:
        sugg = f" <em>({esc(r['suggestion'])})</em>" if r["suggestion"] else ""
        items.append(f'<li><a href="#f{k}-L{r["line"]}">{r["line"]}:{r["column"]}</a> '
                     f'<span class="badge sev-{esc(r["severity"])}">{esc(r["severity"])}</span> '
                     f'<code>{esc(r["code"])}</code> {esc(r["message"])}{sugg}</li>')
    body = ""
    if lines is not None:
        spans: dict[int, list] = {}
        for fid, r in enumerate(recs):
            spans.setdefault(r["line"], []).append(
                (r["column"] - 1, r["end_column"] if r["end"] > r["start"] else r["column"] - 1,
                 r["severity"], _title(r), f"{k}-{fid}"))
        if len(lines) <= FULL_FILE_LINES:
            keep = set(range(1, len(lines) + 1))
        else:
            keep = {n for ln in spans for n in range(ln - CONTEXT, ln + CONTEXT + 1) if 1 <= n <= len(lines)}
        out, last = [], 0
        for n in sorted(keep):
            if last and n > last + 1:
                out.append('<div class="gap">\u2026</div>')
            out.append(f'<div id="f{k}-L{n}"><span class="ln">{n}</span>'
                       f'{highlight(lines[n - 1], spans.get(n, []))}</div>')
            last = n
        body = f'<div class="lines">{"".join(out)}</div>'
    elif recs:
        body = ('<p class="note">The file is a table; its findings, with the text they point at:</p><ul>'
                + "".join(f"<li><code>{esc(r['doc_id'])}</code> segment {esc(r['seg_id'])}: "
                          f"{highlight(r['text'], [(0, len(r['text']), r['severity'], _title(r), f'{k}-{i}')])}</li>"
                          for i, r in enumerate(recs)) + "</ul>")
    return head + body + (f'<ol class="found">{"".join(items)}</ol>' if items else "") + "</section>\n"


def to_html(result: LintResult) -> str:
    """The lint view: one section per file, findings highlighted where they are."""
    recs = [loc.record() for loc in result.located]
    by_path: dict[str, list[dict]] = {}
    for r in recs:
        by_path.setdefault(str(r["path"]), []).append(r)
    paths = list(dict.fromkeys([p for p, _ in result.documents] + list(by_path)))
    c = result.counts()
    summary = (f"{plural(len(recs), 'finding')} ({plural(c['error'], 'error')}, {plural(c['warning'], 'warning')}, "
               f"{plural(c['info'], 'info')}) in {plural(len(paths), 'file')}"
               + (f", {result.suppressed} suppressed" if result.suppressed else ""))
    toc = "".join(f'<li><a href="#file-{k}">{esc(p)}</a> ({plural(len(by_path.get(p, [])), "finding")})</li>'
                  for k, p in enumerate(paths))
    sections = "".join(_file_section(k, p, by_path.get(p, [])) for k, p in enumerate(paths) if by_path.get(p))
    body = (f"<header><h1>mtcheck lint</h1><p class=\"lead\">{esc(summary)}. mtcheck {esc(__version__)}.</p></header>\n"
            f'<main><ul class="toc">{toc}</ul>\n{sections}</main>\n')
    return document("mtcheck lint", body, asset("report.css"))
