"""The consistency checks on real MQM-annotated WMT23 news (../shared/data)."""
from __future__ import annotations

import csv
import json

import pytest

from conftest import need_shared, write
from mtcheck import read_corpus
from mtcheck.checks import build, run_checks

INCONSISTENCY = ("Fluency/Inconsistency", "Terminology/Inconsistent use of terminology")


@pytest.fixture(scope="module")
def mqm(tmp_path_factory):
    path = need_shared("data", "mqm-zhen-dev.tsv")
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["dataset"] == "wmt23_sxs_news":
                rows.append(r)
    out = tmp_path_factory.mktemp("mqm") / "news.jsonl"
    write(out, "".join(json.dumps({k: r[k] for k in ("system", "doc_id", "seg_id", "hypothesis", "reference")})
                       + "\n" for r in rows))
    bare = tmp_path_factory.mktemp("mqm") / "news_mt_only.jsonl"
    write(bare, "".join(json.dumps({k: r[k] for k in ("system", "doc_id", "seg_id", "hypothesis")}) + "\n"
                        for r in rows))
    spans = {}
    for r in rows:
        spans[(r["system"], r["seg_id"])] = [e for e in json.loads(r["error_spans"] or "[]") if e["side"] == "target"]
    return read_corpus(out), spans, read_corpus(bare)


def _overlaps(f, errors, corpus_cols):
    off = corpus_cols[(f.system, f.seg_id)]
    a, b = f.start + off, max(f.end, f.start + 1) + off
    return [e for e in errors if e["start"] < b and a < e["end"]]


def _score(corpus, spans, available):
    cols = {(d.system, s.seg_id): s.col for d in corpus.documents for s in d}
    found = run_checks(corpus, build(select=["MT10"], available=available))
    targets = {(k, e["start"], e["end"]) for k, es in spans.items() for e in es if e["category"] in INCONSISTENCY}
    hit = set()
    good = 0
    for f in found:
        over = _overlaps(f, spans.get((f.system, f.seg_id), []), cols)
        good += bool(over)
        hit.update(((f.system, f.seg_id), e["start"], e["end"]) for e in over if e["category"] in INCONSISTENCY)
    return good / len(found), len(hit) / len(targets)


def test_inconsistencies_found_with_useful_precision(mqm):
    corpus, spans, bare = mqm
    # the reference decides which form is right (MT101-MT104)
    precision, recall = _score(corpus, spans, ())
    assert precision >= 0.5 and recall >= 0.6, (precision, recall)
    # MT alone: majority wins; fewer of the raters' marks are found, precision holds
    precision, recall = _score(bare, spans, ())
    assert precision >= 0.5 and recall >= 0.35, (precision, recall)


def test_united_states_variants_flagged_in_one_article(mqm):
    corpus = mqm[2]
    doc = next(d for d in corpus.documents if d.system == "HW-TSC" and d.doc_id.startswith("news_rfi-chinese.19792"))
    found = [f for f in run_checks(corpus, build(select=["MT101"])) if f.doc_id == doc.doc_id and f.system == "HW-TSC"]
    assert found and {f.suggestion for f in found} <= {"US", "U.S.", "United States"}
    assert all(f.text in ("US", "U.S.", "United States") for f in found)
