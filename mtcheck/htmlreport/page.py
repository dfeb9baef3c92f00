"""Pieces shared by the HTML pages: escaping, the JSON data island, the security policy.

Every page is one self-contained file: its style and script are inline and allowed by
their SHA-256 hashes in a Content-Security-Policy that forbids every other load
(``default-src 'none'``; images only as ``data:`` URIs), so a report opens offline and
nothing in it can fetch or run anything else.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from pathlib import Path
from typing import Sequence

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute value."""
    return html.escape("" if value is None else str(value), quote=True)


def asset(name: str) -> str:
    """A packaged file under ``mtcheck/data/`` (the report's CSS and script)."""
    return (DATA_DIR / name).read_text(encoding="utf-8")


def json_island(data: object, element_id: str) -> str:
    """``data`` as a ``<script type="application/json">`` block that no text can end early.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so ``</script>`` or ``<!--`` in an
    MT line stays inside the string; U+2028/U+2029 are escaped too.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(styles: Sequence[str], scripts: Sequence[str]) -> str:
    """The policy: nothing remote, inline style/script only by hash, images as data: URIs."""
    script_src = " ".join(_hash(s) for s in scripts) if scripts else "'none'"
    style_src = " ".join(_hash(s) for s in styles) if styles else "'none'"
    return (f"default-src 'none'; script-src {script_src}; style-src {style_src}; img-src data:; "
            "base-uri 'none'; form-action 'none'; object-src 'none'; connect-src 'none'")


def document(title: str, body: str, style: str, script: str | None = None) -> str:
    """A complete HTML page with its policy, one inline style and at most one inline script."""
    scripts = [script] if script else []
    head = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{esc(csp([style], scripts))}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            f"<title>{esc(title)}</title>\n<style>{style}</style>\n</head>\n")
    tail = f"<script>{script}</script>\n" if script else ""
    return head + "<body>\n" + body + tail + "</body>\n</html>\n"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 finding``, ``2 findings``."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def highlight(text: str, spans: Sequence[tuple[int, int, str, str, str]]) -> str:
    """``text`` escaped, with ``<mark>`` around each (start, end, severity, title, id) span.

    Overlapping spans split the text into pieces; each piece is marked by every span that
    covers it (``data-f`` lists their ids, the most severe one colours it). An empty span
    becomes an empty mark at its position.
    """
    rank = {"error": 3, "warning": 2, "info": 1}
    n = len(text)
    cuts = sorted({0, n, *(min(max(s, 0), n) for s, _, _, _, _ in spans),
                   *(min(max(e, 0), n) for _, e, _, _, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:] + [None]):
        for s, e, sev, title, fid in spans:
            if s == e == a:
                out.append(f'<mark class="hl empty sev-{esc(sev)}" data-f="{esc(fid)}" title="{esc(title)}"></mark>')
        if b is None:
            break
        cover = [sp for sp in spans if sp[0] <= a and sp[1] >= b and sp[0] < sp[1]]
        piece = esc(text[a:b])
        if not cover:
            out.append(piece)
            continue
        top = max(cover, key=lambda sp: rank.get(sp[2], 0))[2]
        ids = " ".join(str(sp[4]) for sp in cover)
        title = "\n".join(sp[3] for sp in cover)
        out.append(f'<mark class="hl sev-{esc(top)}" data-f="{esc(ids)}" title="{esc(title)}">{piece}</mark>')
    return "".join(out)
