"""The run report: the CSV reports of one run -> one self-contained ``report.html``.

Another writer of the same records: it reads what ``mtcheck score`` wrote (so
``mtcheck report OUT_DIR`` rebuilds it from the files alone) and computes nothing new.
Small tables and the charts are HTML written here; the segments, findings and documents
go once into a JSON data island, which the inline script (``mtcheck/data/report.js``)
renders a page at a time: the article view, the findings list, the documents table.
"""
from __future__ import annotations

from pathlib import Path

from mtcheck import __version__
from mtcheck.htmlreport import charts
from mtcheck.htmlreport.page import asset, document, esc, json_island, plural
from mtcheck.htmlreport.runfiles import Run, load_run

REPORT_NAME = "report.html"
SEVERITIES = ("error", "warning", "info")
SEVERITY_COLUMNS = ("errors", "warnings", "infos")
#: metric columns shown when a run has them, in this order
METRICS = ("bleu", "chrf", "ter", "fluency", "quality")
LABELS = {"bleu": "BLEU", "chrf": "chrF", "ter": "TER", "fluency": "fluency", "quality": "quality",
          "errors": "errors", "warnings": "warnings", "infos": "infos"}
#: summary.csv signature column for each metric (segment BLEU has its own)
SIGNATURES = {"bleu": "bleu_signature", "chrf": "chrf_signature", "ter": "ter_signature",
              "fluency": "fluency_signature", "quality": "quality_signature"}
COMPARE_COLUMNS = ("system", "baseline", "metric", "score", "baseline_score", "delta", "ci_low", "ci_high",
                   "p_value", "significant")


def _num(v: object, digits: int = 2) -> str:
    return "" if v is None or v == "" else (f"{v:.{digits}f}" if isinstance(v, float) else str(v))


class _Keys:
    """System and document labels (corpus-qualified when a run holds several corpora)."""

    def __init__(self, run: Run) -> None:
        corpora = list(dict.fromkeys(r["corpus"] for t in ("summary", "segments") for r in run.tables[t]))
        self.corpora = corpora
        self.multi = len(corpora) > 1
        self.systems: list[str] = []
        self.docs: list[str] = []
        self._sys: dict[tuple, int] = {}
        self._doc: dict[tuple, int] = {}
        for r in (*run.tables["summary"], *run.tables["segments"], *run.tables["documents"]):
            self.system(r)
        for r in (*run.tables["segments"], *run.tables["documents"]):
            self.doc(r)

    def system(self, r: dict) -> int:
        key = (r["corpus"], r["system"])
        if key not in self._sys:
            self._sys[key] = len(self.systems)
            self.systems.append(f"{key[0]}/{key[1]}" if self.multi else str(key[1]))
        return self._sys[key]

    def doc(self, r: dict) -> int:
        key = (r["corpus"], r["doc_id"])
        if key not in self._doc:
            self._doc[key] = len(self.docs)
            self.docs.append(f"{key[0]}/{key[1]}" if self.multi else str(key[1]))
        return self._doc[key]


def _present(run: Run, table: str) -> list[str]:
    return [m for m in METRICS if run.has(table, m)]


def _data(run: Run, keys: _Keys) -> dict:
    """The JSON island: segments, findings and documents as compact arrays."""
    seg_metrics = _present(run, "segments")
    doc_metrics = _present(run, "documents")
    has_src = run.has("segments", "src")
    texts: list[str] = []
    text_index: dict[str, int] = {}

    def intern(v) -> int:
        if v is None or v == "":
            return -1
        if v not in text_index:
            text_index[v] = len(texts)
            texts.append(v)
        return text_index[v]

    segs = []
    where: dict[tuple, int] = {}
    for k, r in enumerate(run.tables["segments"]):
        where[(r["corpus"], r["system"], r["doc_id"], str(r["seg_id"]))] = k
        segs.append([keys.system(r), keys.doc(r), str(r["seg_id"]), r.get("line"), r["mt"] or "",
                     intern(r.get("ref")), intern(r.get("src")) if has_src else -1, r.get("align") or "",
                     *[r.get(m) for m in seg_metrics]])
    codes = sorted({r["code"] for r in run.tables["findings"]})
    code_index = {c: k for k, c in enumerate(codes)}
    finds = []
    for r in run.tables["findings"]:
        seg = where.get((r["corpus"], r["system"], r["doc_id"], str(r["seg_id"])), -1)
        sev = SEVERITIES.index(r["severity"]) if r["severity"] in SEVERITIES else 2
        finds.append([seg, keys.system(r), keys.doc(r), r.get("line"), code_index[r["code"]], sev,
                      r["start"] or 0, r["end"] or 0, r.get("text") or "", r.get("message") or "",
                      r.get("suggestion") or "", r.get("check") or ""])
    docs = [[keys.system(r), keys.doc(r), r.get("segments"), *[r.get(m) for m in doc_metrics],
             *[r.get(c) for c in SEVERITY_COLUMNS]] for r in run.tables["documents"]]
    return {"version": 1, "systems": keys.systems, "docs": keys.docs, "codes": codes, "texts": texts,
            "segMetrics": seg_metrics, "docMetrics": doc_metrics, "hasSrc": has_src,
            "segs": segs, "finds": finds, "documents": docs}


def _compare_for(run: Run) -> dict[tuple[str, str, str], dict]:
    """(corpus, system, metric) -> the first compare.csv row of that system (its test against the
    baseline, or against the system ranked just above it when every pair was compared)."""
    out: dict[tuple[str, str, str], dict] = {}
    for r in run.tables["compare"]:
        out.setdefault((str(r.get("corpus") or ""), str(r["system"]), str(r["metric"]).lower()), r)
    return out


def _systems_table(run: Run, keys: _Keys) -> str:
    metrics = _present(run, "summary")
    compare = _compare_for(run)
    has_corpus = "corpus" in run.columns["compare"]
    head = ["system", "documents", "segments"]
    cells_head = "".join(f"<th>{esc(h)}</th>" for h in head)
    for m in metrics:
        cells_head += f"<th>{esc(LABELS[m])}</th>"
        if any(k[2] == m for k in compare):
            cells_head += f"<th>{esc(LABELS[m])} 95% CI</th>"
    cells_head += "".join(f'<th class="sev-{s}">{esc(c)}</th>' for s, c in zip(SEVERITIES, SEVERITY_COLUMNS))
    rows = []
    for r in run.tables["summary"]:
        label = keys.systems[keys.system(r)]
        cells = [f"<th scope=\"row\">{esc(label)}</th>", f"<td>{_num(r.get('documents'))}</td>",
                 f"<td>{_num(r.get('segments'))}</td>"]
        for m in metrics:
            digits = 1 if m in ("fluency", "quality") else 2
            c = compare.get((str(r.get("corpus") or "") if has_corpus else "", str(r["system"]), m))
            mark = ""
            if c is not None and str(c.get("significant", "")).lower() in ("true", "1", "yes"):
                mark = (f' <span class="sig-mark" title="significantly different from {esc(c.get("baseline"))} '
                        f'(p = {esc(_num(c.get("p_value"), 4))})">*</span>')
            cells.append(f"<td>{_num(r.get(m), digits)}{mark}</td>")
            if any(k[2] == m for k in compare):
                ci = (f"[{_num(c.get('ci_low'), digits)}, {_num(c.get('ci_high'), digits)}]"
                      if c is not None and c.get("ci_low") is not None else "")
                cells.append(f"<td>{esc(ci)}</td>")
        cells += [f'<td class="sev-{s}">{_num(r.get(c))}</td>' for s, c in zip(SEVERITIES, SEVERITY_COLUMNS)]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    sigs = _signatures(run, metrics)
    note = ('<p class="note">* significantly different from the baseline in <code>compare.csv</code>; '
            'hover for the p-value.</p>') if compare else ""
    return (f'<table class="grid"><thead><tr>{cells_head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f"{note}{sigs}")


def _signature_values(run: Run, column: str) -> list[str]:
    return list(dict.fromkeys(str(r[column]) for r in run.tables["summary"] if r.get(column)))


def _signatures(run: Run, metrics: list[str], extra: tuple[str, ...] = ()) -> str:
    items = []
    for m in metrics:
        col = SIGNATURES.get(m)
        for v in _signature_values(run, col) if col and col in run.columns["summary"] else []:
            items.append(f"<li><span>{esc(LABELS[m])}</span> <code>{esc(v)}</code></li>")
    for col in extra:
        for v in _signature_values(run, col) if col in run.columns["summary"] else []:
            items.append(f"<li><span>{esc(col.replace('_signature', '').replace('_', ' '))}</span> "
                         f"<code>{esc(v)}</code></li>")
    return f'<ul class="sigs">{"".join(items)}</ul>' if items else ""


def _compare_table(run: Run) -> str:
    rows = run.tables["compare"]
    if not rows:
        return ""
    cols = [c for c in COMPARE_COLUMNS if c in run.columns["compare"]]
    head = "".join(f"<th>{esc(c.replace('_', ' '))}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{esc(_num(r.get(c), 4 if c == 'p_value' else 2))}</td>" for c in cols)
                   + "</tr>" for r in rows)
    return ('<section id="compare"><h2>Comparison</h2><p>Paired significance tests from <code>compare.csv</code>.'
            f'</p><table class="grid"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>\n')


def _figure(fid: str, svg: bytes | None, alt: str, caption: str, sig: str) -> str:
    if svg is None:
        return ""
    return (f'<figure id="{esc(fid)}"><img src="{charts.data_uri(svg)}" alt="{esc(alt)}">'
            f"<figcaption>{esc(caption)}{sig}</figcaption></figure>\n")


def _charts(run: Run, keys: _Keys) -> str:
    systems = keys.systems
    seg_metrics = [m for m in charts.DIST_METRICS if run.has("segments", m)]
    values: dict[str, dict[str, list[float]]] = {m: {} for m in seg_metrics}
    points = []
    for r in run.tables["segments"]:
        s = systems[keys.system(r)]
        for m in seg_metrics:
            if r.get(m) is not None:
                values[m].setdefault(s, []).append(r[m])
        if r.get("chrf") is not None and r.get("fluency") is not None:
            points.append((s, r["chrf"], r["fluency"]))
    counts: dict[str, dict[str, int]] = {}
    for r in run.tables["findings"]:
        c = counts.setdefault(systems[keys.system(r)], {})
        c[r["code"]] = c.get(r["code"], 0) + 1
    codes = sorted({r["code"] for r in run.tables["findings"]})
    seg_sigs = []
    for m in seg_metrics:
        col = "bleu_segment_signature" if m == "bleu" else SIGNATURES[m]
        seg_sigs += [(LABELS[m], v) for v in (_signature_values(run, col) if col in run.columns["summary"] else [])]
    out = [_figure("chart-scores", charts.score_distribution(values, systems),
                   "box plots of segment scores per system",
                   "Segment scores per system (box: quartiles, whiskers: 1.5 IQR, line: median).",
                   _sig_list(seg_sigs)),
           _figure("chart-findings", charts.findings_per_code(counts, systems, codes),
                   "stacked bars of findings per check code per system", "Findings per check code and system.",
                   _sig_list([("checks", f"findings.csv, {plural(len(run.tables['findings']), 'finding')}")]))]
    scatter = charts.fluency_vs_chrf(points, systems) if points else None
    if scatter is not None:
        svg, drawn = scatter
        sigs = [(LABELS[m], v) for m in ("chrf", "fluency") for v in _signature_values(run, SIGNATURES[m])
                if SIGNATURES[m] in run.columns["summary"]]
        out.append(_figure("chart-scatter", svg, "scatter of segment fluency against segment chrF",
                           f"Fluency against chrF per segment ({drawn} of {len(points)} segments drawn).",
                           _sig_list(sigs)))
    figs = "".join(out)
    return figs or "<p>No scores or findings to draw.</p>"


def _sig_list(items: list[tuple[str, str]]) -> str:
    if not items:
        return ""
    return '<ul class="sigs">' + "".join(f"<li><span>{esc(k)}</span> <code>{esc(v)}</code></li>"
                                         for k, v in items) + "</ul>"


def _filters(keys: _Keys, codes: list[str]) -> str:
    def boxes(name: str, values: list[str], labels: list[str] | None = None) -> str:
        return "".join(f'<label><input type="checkbox" name="{name}" value="{esc(v)}" checked> '
                       f"{esc(lab)}</label>" for v, lab in zip(values, labels or values))

    return ('<div id="filters" class="filters">'
            f'<fieldset><legend>severity</legend>{boxes("sev", list(SEVERITIES))}</fieldset>'
            f'<fieldset><legend>code</legend>{boxes("code", codes)}</fieldset>'
            f'<fieldset><legend>system</legend>{boxes("system", [str(k) for k in range(len(keys.systems))], keys.systems)}'
            "</fieldset></div>\n")


def _errors(run: Run) -> str:
    rows = run.tables["errors"]
    if not rows:
        return ""
    items = "".join(f"<li><code>{esc(r.get('path'))}{':' + esc(r.get('line')) if r.get('line') else ''}</code> "
                    f"{esc(r.get('error'))}</li>" for r in rows)
    return (f'<section id="errors"><h2>Unreadable input</h2><p>{plural(len(rows), "document or corpus", "documents or corpora")} '
            f"could not be read (<code>errors.csv</code>):</p><ul>{items}</ul></section>\n")


def build_report(folder: str | Path) -> str:
    """The HTML report of the run whose CSV reports are in ``folder``."""
    run = load_run(folder)
    keys = _Keys(run)
    findings = run.tables["findings"]
    sev = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES}
    counts = ", ".join(plural(sev[s], s) for s in SEVERITIES)
    n_segs = len(run.tables["segments"])
    title = f"mtcheck report: {', '.join(keys.corpora) or Path(folder).name}"
    data = _data(run, keys)
    nav = "".join(f'<a href="#{a}">{esc(b)}</a>' for a, b in (("systems", "Systems"), ("charts", "Charts"),
                                                              ("documents", "Documents"), ("article", "Article"),
                                                              ("findings", "Findings")))
    body = (f'<header><h1>{esc(title)}</h1>'
            f'<p class="lead">{plural(len(keys.systems), "system")}, {plural(len(run.tables["documents"]), "document")}, '
            f'{plural(n_segs, "segment")}, {plural(len(findings), "finding")} ({counts}). '
            f'Built from the CSV reports by mtcheck {esc(__version__)}.</p><nav>{nav}</nav></header>\n'
            f'<main>\n<section id="systems"><h2>Systems</h2>{_systems_table(run, keys)}</section>\n'
            f'{_compare_table(run)}{_errors(run)}'
            f'<section id="charts"><h2>Charts</h2>{_charts(run, keys)}</section>\n'
            '<section id="documents"><h2>Documents</h2><p class="note">Click a column to sort, a document to read it.'
            '</p><div class="pager" id="doc-pager"></div><table class="grid" id="doc-table"></table></section>\n'
            f'<section id="view"><h2>Filters</h2>{_filters(keys, data["codes"])}</section>\n'
            '<section id="article"><h2>Article</h2><p class="note">MT beside the aligned reference; hover a highlight '
            'for the finding.</p><div class="controls"><label>document <select id="doc-select"></select></label>'
            '<span class="pager" id="art-pager"></span></div><div id="article-view"></div></section>\n'
            '<section id="findings"><h2>Findings</h2><p class="note" id="find-count"></p>'
            '<div class="pager" id="find-pager"></div><table class="grid" id="find-table"></table></section>\n'
            '</main>\n<noscript><p>The documents table, article view and findings list need JavaScript; the '
            'systems table and charts above do not.</p></noscript>\n'
            f'{json_island(data, "mtcheck-data")}\n')
    return document(title, body, asset("report.css"), asset("report.js"))


def write_report(folder: str | Path, output: str | Path | None = None) -> Path:
    """Build the report of the run in ``folder`` and write it (default ``folder/report.html``)."""
    html = build_report(folder)
    from mtcheck.report import write_text

    return write_text(Path(output) if output else Path(folder) / REPORT_NAME, html)
