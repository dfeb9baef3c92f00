"""mtcheck's corpus BLEU and chrF equal the WMT22 organisers' published scores."""
from __future__ import annotations

import csv

import pytest

from conftest import need_shared
from mtcheck import read_corpus
from mtcheck.metrics import score_corpus

pytestmark = pytest.mark.slow


def _official() -> dict[tuple[str, str], float]:
    path = need_shared("data", "wmt22-zhen", "automatic-scores.zh-en.tsv")
    with open(path, encoding="utf-8") as fh:
        return {(r["system"], r["metric"]): float(r["score"]) for r in csv.DictReader(fh, delimiter="\t")}


def test_wmt22_single_and_multi_reference(wmt_corpus, tmp_path):
    official = _official()
    both = score_corpus(read_corpus(wmt_corpus), ["bleu", "chrf"])
    (wmt_corpus / "ref-2" / "wmt22.txt").unlink()
    (wmt_corpus / "ref-2").rmdir()
    single = score_corpus(read_corpus(wmt_corpus), ["bleu", "chrf"])
    assert len(single.system) == 12
    for system in single.system:
        assert round(single.system[system]["bleu"], 2) == round(official[(system, "bleu-A")], 2), system
        assert round(single.system[system]["chrf"], 2) == round(official[(system, "chrf-A")], 2), system
        assert round(both.system[system]["bleu"], 2) == round(official[(system, "bleu-all")], 2), system
        assert abs(both.system[system]["chrf"] - official[(system, "chrf-all")]) <= 0.01, system
    assert single.signatures["bleu"].startswith("BLEU|nrefs:1|")
    assert both.signatures["chrf"].startswith("chrF2|nrefs:2|")
