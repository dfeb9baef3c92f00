"""The HTML report without a browser: files, determinism, policy, escaping, optional columns.

The browser tests (tests/test_html_browser.py) load the same pages in Chromium.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED, write
from mtcheck.cli import main
from mtcheck.htmlreport import build_report

HOSTILE_MT = ['<script>window.__pwned = 1</script> The plan was approved , and the the work began.',
              'The <img src=x onerror="window.__pwned = 2"> College was founded .',
              '=HYPERLINK("http://evil.example/") the the plan',
              "laitimes"]


def island(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="mtcheck-data">(.*?)</script>', html, re.S)
    assert m, "no data island"
    return json.loads(m.group(1))


def score(corpus: Path, out: Path, *extra: str) -> None:
    assert main(["score", str(corpus), "--out", str(out), "--no-fluency", "--jobs", "1", "--no-config", "-q",
                 "--html", *extra]) == 0


def hostile_corpus(root: Path) -> Path:
    """Two systems, one with a hostile name; MT lines holding markup, a formula, residue."""
    ref = ["The plan was approved and the work began.", "The college was founded.", "The plan", ""]
    for system in ("good", '"><img src=x onerror=alert(1)>'):
        write(root / "mt" / system / "doc.txt", "\n".join(HOSTILE_MT) + "\n")
    write(root / "ref" / "doc.txt", "\n".join(ref) + "\n")
    return root


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed-html")
    score(SEED, out)
    return out


def test_score_html_writes_report_beside_the_csvs(seed_run, tmp_path, capsys):
    html = (seed_run / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    data = island(html)
    with open(seed_run / "findings.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(data["finds"]) == len(rows) > 0
    assert len(data["segs"]) == 8
    # the report command rebuilds the same bytes from the CSVs alone
    again = tmp_path / "again.html"
    assert main(["report", str(seed_run), "--output", str(again)]) == 0
    assert f"wrote {again}" in capsys.readouterr().out
    assert again.read_bytes() == (seed_run / "report.html").read_bytes()


def test_report_is_byte_identical_across_runs(seed_run, tmp_path):
    again = tmp_path / "again.html"
    r = subprocess.run([sys.executable, "-m", "mtcheck", "report", str(seed_run), "-o", str(again)],
                       capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    assert again.read_bytes() == (seed_run / "report.html").read_bytes()


def test_self_contained_with_a_policy_that_forbids_remote_loads(seed_run):
    html = (seed_run / "report.html").read_text(encoding="utf-8")
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert m
    policy = m.group(1).replace("&#x27;", "'")
    assert policy.startswith("default-src 'none';") and "img-src data:" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    # the one inline script and the one inline style are allowed by their own hashes
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(scripts) == 1 and len(styles) == 1
    for body in scripts + styles:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    # nothing is loaded from elsewhere: every src is a data: URI, no link/iframe/object
    assert all(src.startswith("data:image/svg+xml;base64,") for src in re.findall(r'\ssrc="([^"]*)"', html))
    assert not re.search(r"<(link|iframe|object|embed|base)\b", html)
    assert not re.search(r'href="(?!#)', html)
    assert len(re.findall(r"<figure ", html)) >= 2


def test_charts_are_svg_without_dates(seed_run):
    html = (seed_run / "report.html").read_text(encoding="utf-8")
    svgs = [base64.b64decode(s).decode("utf-8") for s in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]
    assert svgs and all(s.lstrip().startswith("<?xml") and "<svg" in s for s in svgs)
    assert not any("<dc:date>" in s for s in svgs)


def test_hostile_text_is_escaped_everywhere(tmp_path):
    out = tmp_path / "out"
    score(hostile_corpus(tmp_path / "c"), out)
    html = (out / "report.html").read_text(encoding="utf-8")
    body = html.split("<body>", 1)[1]
    # no markup from the corpus: the only script tags are the data island and the report's own script
    assert len(re.findall(r"<script", body)) == 2
    assert not re.search(r"<img\b(?![^>]*data:image/svg)", body)
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in body  # the system name in the tables, as text
    island_text = re.search(r'id="mtcheck-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in island_text and ">" not in island_text and "&" not in island_text
    data = json.loads(island_text)
    mts = [s[4] for s in data["segs"]]
    assert HOSTILE_MT[0] in mts and HOSTILE_MT[1] in mts
    # the formula-like line was neutralised in the CSV and restored for the report: offsets hold
    assert HOSTILE_MT[2] in mts
    for f in data["finds"]:
        seg = data["segs"][f[0]]
        assert seg[4][f[6]:f[7]] == f[8]


def test_report_of_a_folder_without_reports_is_one_line_exit_2(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(tmp_path) in err and "segments.csv" in err
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_damaged_csv_names_file_and_line(seed_run, tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    for name in ("segments", "documents", "findings", "summary", "errors"):
        (out / f"{name}.csv").write_bytes((seed_run / f"{name}.csv").read_bytes())
    with open(out / "findings.csv", "a", encoding="utf-8") as fh:
        fh.write("seed,mt,doc,1,1,MT101\n")
    assert main(["report", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{out / 'findings.csv'}:13:" in err
    assert not (out / "report.html").exists()


def _rewrite(path: Path, extra: dict[str, callable]) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    cols = list(rows[0].keys())
    for col, fn in extra.items():
        if col not in cols:
            cols.append(col)
        for k, r in enumerate(rows):
            r[col] = fn(k, r)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_optional_columns_quality_fluency_and_compare(seed_run, tmp_path):
    """What other parts of mtcheck may add: quality, fluency, compare.csv, all shown when present."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("segments", "documents", "findings", "summary", "errors"):
        (out / f"{name}.csv").write_bytes((seed_run / f"{name}.csv").read_bytes())
    plain = build_report(out)
    assert "chart-scatter" not in plain and "quality" not in island(plain)["segMetrics"]
    _rewrite(out / "segments.csv", {"fluency": lambda k, r: f"{(k * 37) % 100:.4f}",
                                    "quality": lambda k, r: f"{(k * 11) % 100:.4f}"})
    _rewrite(out / "documents.csv", {"quality": lambda k, r: "61.5000"})
    _rewrite(out / "summary.csv", {"fluency": lambda k, r: "70.0000", "quality": lambda k, r: f"{60 + k:.4f}",
                                   "fluency_signature": lambda k, r: "LM|model:test|version:0",
                                   "quality_signature": lambda k, r: "Q|test-signature|version:0"})
    write(out / "compare.csv",
          "system,baseline,metric,score,baseline_score,delta,ci_low,ci_high,p_value,significant\n"
          "mt,other,chrf,84.0421,80.0000,4.0421,83.1000,85.0000,0.0123,True\n")
    html = build_report(out)
    data = island(html)
    assert data["segMetrics"] == ["bleu", "chrf", "ter", "fluency", "quality"]
    assert data["docMetrics"][-1] == "quality"
    assert "chart-scatter" in html and "Fluency against chrF per segment (8 of 8" in html
    assert "Q|test-signature|version:0" in html and "LM|model:test|version:0" in html
    assert "<th>chrF 95% CI</th>" in html and "[83.10, 85.00]" in html
    assert 'class="sig-mark"' in html and "p = 0.0123" in html
    assert '<section id="compare">' in html
    systems = html.split('<section id="systems">')[1].split("</section>")[0]
    assert "<th>quality</th>" in systems and "<td>60.0</td>" in systems


def test_lint_html_view(tmp_path):
    art = write(tmp_path / "news" / "a.txt", "\n\n".join(HOSTILE_MT) + "\n")
    page = tmp_path / "lint.html"
    assert main(["lint", str(art), "--format", "html", "--output", str(page), "--no-config"]) == 1
    html = page.read_text(encoding="utf-8")
    assert "script-src 'none'".replace("'", "&#x27;") in html and "<script" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "onerror=&quot;" in html and "<img" not in html
    assert main(["lint", str(art), "--format", "json", "--output", str(tmp_path / "l.json"), "--no-config"]) == 1
    records = json.loads((tmp_path / "l.json").read_text())["findings"]
    ids = {i for m in re.findall(r'data-f="([^"]+)"', html) for i in m.split()}
    assert len(ids) == len(records) > 0
    # each mark holds exactly the text its finding points at (columns of the original file)
    for rec in records:
        assert f'title="{rec["code"]} [{rec["severity"]}]' in html


def test_summaries_count_in_the_singular(tmp_path, capsys):
    art = write(tmp_path / "a.txt", "The plan was approved.\n\nlaitimes\n")
    assert main(["lint", str(art), "--no-config"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "1 finding (1 error, 0 warnings, 0 infos) in 1 document"
    corpus = tmp_path / "c"
    write(corpus / "mt" / "d.txt", "The plan was approved.\n\nlaitimes\n")
    assert main(["score", str(corpus), "--out", str(tmp_path / "o"), "--no-fluency", "--no-config", "-j", "1"]) == 0
    assert ", 1 finding\n" in capsys.readouterr().out


def test_lint_and_help_do_not_import_matplotlib():
    code = ("import sys, mtcheck.cli, mtcheck.formats, mtcheck.htmlreport; "
            "mtcheck.cli.main(['--help']); "
            "sys.exit(1 if {'matplotlib', 'torch', 'pandas'} & set(sys.modules) else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr


def test_several_corpora_in_one_folder(tmp_path):
    out = tmp_path / "out"
    assert main(["score", str(hostile_corpus(tmp_path / "one")), str(hostile_corpus(tmp_path / "two")),
                 "--out", str(out), "--no-fluency", "--jobs", "1", "--no-config", "-q", "--html"]) == 0
    data = island((out / "report.html").read_text(encoding="utf-8"))
    assert sorted(data["systems"]) == sorted(["one/good", 'one/"><img src=x onerror=alert(1)>', "two/good",
                                              'two/"><img src=x onerror=alert(1)>'])
    assert data["docs"] == ["one/doc", "two/doc"]
    assert {data["systems"][f[1]].split("/")[0] for f in data["finds"]} == {"one", "two"}
    # each corpus's findings point into its own segments
    for f in data["finds"]:
        assert data["segs"][f[0]][0] == f[1] and data["segs"][f[0]][1] == f[2]
