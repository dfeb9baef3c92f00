from __future__ import annotations

import math

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from conftest import SEED, need_shared, write
from mtcheck import read_corpus
from mtcheck.metrics import parse_metrics, score_corpus, units_of

HYPS = ["The cat sat on the mat.", "It was a sunny day in Beijing.", "Prices rose 5% in June.",
        "He said that the plan would be delayed."]
REFS = ["The cat is sitting on the mat.", "It was a sunny day in Beijing.", "Prices went up by 5% in June.",
        "He said the plan would be postponed."]
REFS2 = ["A cat sat on a mat.", "Beijing had a sunny day.", "In June prices rose by 5 percent.",
         "According to him, the plan will be delayed."]


@pytest.fixture
def small(tmp_path):
    root = tmp_path / "small"
    write(root / "mt" / "a.txt", "\n".join(HYPS[:2]) + "\n")
    write(root / "mt" / "b.txt", "\n".join(HYPS[2:]) + "\n")
    write(root / "ref" / "a.txt", "\n".join(REFS[:2]) + "\n")
    write(root / "ref" / "b.txt", "\n".join(REFS[2:]) + "\n")
    write(root / "ref-2" / "a.txt", "\n".join(REFS2[:2]) + "\n")
    write(root / "ref-2" / "b.txt", "\n".join(REFS2[2:]) + "\n")
    return root


def test_three_levels_equal_sacrebleu(small):
    corpus = read_corpus(small)
    s = score_corpus(corpus, jobs=1)
    refs = [REFS, REFS2]
    assert s.system["mt"]["bleu"] == pytest.approx(BLEU().corpus_score(HYPS, refs).score, abs=1e-9)
    assert s.system["mt"]["chrf"] == pytest.approx(CHRF().corpus_score(HYPS, refs).score, abs=1e-9)
    assert s.system["mt"]["ter"] == pytest.approx(TER().corpus_score(HYPS, refs).score, abs=1e-9)
    assert s.document[1]["bleu"] == pytest.approx(
        BLEU().corpus_score(HYPS[2:], [REFS[2:], REFS2[2:]]).score, abs=1e-9)
    seg_bleu = BLEU(effective_order=True)
    for k, (h, r1, r2) in enumerate(zip(HYPS, REFS, REFS2)):
        d, i = divmod(k, 2)
        assert s.segment[d][i]["bleu"] == pytest.approx(seg_bleu.sentence_score(h, [r1, r2]).score, abs=1e-9)
        assert s.segment[d][i]["chrf"] == pytest.approx(CHRF().sentence_score(h, [r1, r2]).score, abs=1e-9)
        assert s.segment[d][i]["ter"] == pytest.approx(TER().sentence_score(h, [r1, r2]).score, abs=1e-9)
    assert s.signatures["bleu"].startswith("BLEU|nrefs:2|case:mixed|eff:no|tok:13a")
    assert "eff:yes" in s.signatures["bleu_segment"]


def test_metric_selection_and_no_reference(tmp_path):
    p = write(tmp_path / "x.txt", "Only MT here.\n")
    s = score_corpus(read_corpus(p), ["bleu"], jobs=1)
    assert s.metrics == ("bleu",) and s.system["mt"]["bleu"] is None and s.segment[0][0]["bleu"] is None
    with pytest.raises(ValueError, match="unknown metric 'meteor'"):
        parse_metrics("bleu,meteor")


def test_aligned_units_cover_merged_and_dropped_text():
    corpus = read_corpus(SEED)
    doc = corpus.documents[0]
    units = units_of(doc, 0)
    # every MT segment in exactly one unit; every reference sentence used once
    assert sorted(i for u in units for i in u.segs) == list(range(len(doc)))
    ref_text = " ".join(r for u in units for r in u.refs if r)
    assert len(ref_text.split()) == sum(len(t.split()) for _, t in doc.alignments[0].ref_lines)
    s = score_corpus(corpus, jobs=1)
    joined_refs = [" ".join(t for _, t in doc.alignments[0].ref_lines)]
    # BLEU over the aligned units equals sacrebleu over the same units
    assert s.system["mt"]["bleu"] == pytest.approx(
        BLEU().corpus_score([u.hyp for u in units], [[u.refs[0] for u in units]]).score)
    assert not math.isnan(s.system["mt"]["ter"]) and joined_refs


def test_ter_identical_across_jobs(monkeypatch):
    from mtcheck import metrics

    monkeypatch.setattr(metrics, "SPAWN_MIN_COMPILED", 64)  # jobs=2: spawned TER workers
    d = need_shared("data", "wmt22-zhen")
    hyps = (d / "generaltest2022.zh-en.hyp.Online-W.en").read_text().splitlines()[:150]
    refs = (d / "generaltest2022.zh-en.ref.A.en").read_text().splitlines()[:150]
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root / "mt" / "d.txt", "\n".join(hyps) + "\n")
        write(root / "ref" / "d.txt", "\n".join(refs) + "\n")
        corpus = read_corpus(root)
        one = score_corpus(corpus, ["ter"], jobs=1)
        two = score_corpus(corpus, ["ter"], jobs=2)
    assert one.segment == two.segment and one.system == two.system
    assert one.system["mt"]["ter"] == pytest.approx(TER().corpus_score(hyps, [refs]).score, abs=1e-9)


def test_statistics_on_a_pool_equal_in_process(monkeypatch):
    import multiprocessing as mp

    from mtcheck import metrics

    d = need_shared("data", "wmt22-zhen")
    refs = (d / "generaltest2022.zh-en.ref.A.en").read_text().splitlines()[:160]
    import tempfile
    from pathlib import Path

    calls = []
    real = metrics._pooled_statistics
    monkeypatch.setattr(metrics, "_pooled_statistics", lambda *a: calls.append(1) or real(*a))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("Online-W", "Online-B", "HuaweiTSC"):
            hyps = (d / f"generaltest2022.zh-en.hyp.{name}.en").read_text().splitlines()[:160]
            write(root / "mt" / name / "d.txt", "\n".join(hyps) + "\n")
        write(root / "ref" / "d.txt", "\n".join(refs) + "\n")
        docs = read_corpus(root).documents
        names = ["bleu", "chrf", "ter"]
        one = metrics.score_documents(docs, names, jobs=1)
        with mp.get_context("spawn").Pool(2) as pool:  # a pool handed in (as the checks' pool is)
            given = metrics.score_documents(docs, names, jobs=2, pool=pool)
        assert calls == [1]
        monkeypatch.setattr(metrics, "FORK_MIN_UNITS", 100)
        forked = metrics.score_documents(docs, names, jobs=2)  # a pool forked for it, where safe
        assert len(calls) == (2 if metrics._can_fork() else 1)
    for other in (given, forked):
        for a, b in zip(one, other):
            assert (a.segment, a.document, a.totals, a.nrefs) == (b.segment, b.document, b.totals, b.nrefs)


def test_reference_groups_keep_shared_references_together():
    from mtcheck.metrics import _ref_groups

    items = [(f"h{i}", (f"r{i % 7}",)) for i in range(70)] + [("x", (None,))]
    groups = _ref_groups(items, 4)
    assert sorted(i for g in groups for i in g) == list(range(71))
    where = {items[i][1]: k for k, g in enumerate(groups) for i in g}
    for k, g in enumerate(groups):
        assert all(where[items[i][1]] == k for i in g)
    assert 2 <= len(groups) <= 5
