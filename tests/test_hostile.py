"""Hostile text: spreadsheet formulas, terminal escapes, document ids, network."""
from __future__ import annotations

import csv
import json
import socket


from conftest import write
from mtcheck.cli import main


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_formula_cells_are_neutralised_unless_raw(tmp_path):
    p = write(tmp_path / "c.tsv", "doc_id\tmt\tref\n"
              "=HYPERLINK(\"http://evil\")\t=1+1 is two\t+SUM(A1)\n"
              "d2\t@cmd opened\t-5 degrees\n")
    out = tmp_path / "o"
    assert main(["score", str(p), "-o", str(out), "--metrics", "bleu", "-q", "--no-config", "--no-fluency"]) == 0
    rows = _rows(out / "segments.csv")
    assert rows[0]["mt"] == "'=1+1 is two" and rows[0]["ref"] == "'+SUM(A1)"
    assert rows[0]["doc_id"].startswith("'=HYPERLINK")
    assert rows[1]["mt"] == "'@cmd opened" and rows[1]["ref"] == "'-5 degrees"
    assert float(rows[0]["bleu"]) >= 0  # numbers untouched
    raw = tmp_path / "raw"
    assert main(["score", str(p), "-o", str(raw), "--metrics", "bleu", "-q", "--no-config", "--no-fluency",
                 "--raw-csv"]) == 0
    assert _rows(raw / "segments.csv")[0]["mt"] == "=1+1 is two"


def test_lint_csv_neutralises_too(tmp_path, capsys):
    p = write(tmp_path / "a.txt", "=cmd|' /C calc'!A0 laitimes\nRead on\n")
    main(["lint", str(p), "--format", "csv", "--no-config"])
    out = capsys.readouterr().out
    rows = list(csv.DictReader(out.splitlines()))
    assert all(not r["text"].startswith("=") for r in rows)


def test_document_ids_never_become_paths(tmp_path):
    p = write(tmp_path / "c.jsonl", json.dumps({"doc_id": "../../../../tmp/evil", "mt": "Text."}) + "\n")
    out = tmp_path / "o"
    assert main(["score", str(p), "-o", str(out), "--metrics", "bleu", "-q", "--no-config", "--no-fluency"]) == 0
    assert sorted(x.name for x in out.iterdir()) == ["documents.csv", "errors.csv", "findings.csv", "segments.csv", "summary.csv"]


def test_score_makes_no_network_connection(tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("network connection attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from conftest import SEED

    out = tmp_path / "o"
    assert main(["score", str(SEED), "-o", str(out), "--metrics", "bleu,chrf", "-q", "--no-config",
                 "--no-fluency"]) == 0
    rc = main(["lint", str(SEED), "--no-config", "--format", "json"])
    assert rc == 1
