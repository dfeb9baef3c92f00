"""mtcheck compare: sacrebleu's paired tests on mtcheck's statistics, compare.csv, the table, errors."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import need_shared, write
from mtcheck import compare as cmp
from mtcheck import read_corpus
from mtcheck.cli import main
from mtcheck.config import Config

SYSTEMS = ("JDExploreAcademy", "Online-A", "LanguageX")


def wmt_slice(folder: Path, n: int, systems=SYSTEMS, start: int = 0) -> Path:
    """``n`` lines of WMT22 zh-en for ``systems`` as a table corpus (doc_id from the docids file)."""
    d = need_shared("data", "wmt22-zhen")

    def lines(name: str) -> list[str]:
        return (d / f"generaltest2022.zh-en.{name}").read_text(encoding="utf-8").split("\n")[start:start + n]

    docs, refs = lines("docids"), lines("ref.A.en")
    path = folder / "wmt.tsv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["system", "doc_id", "seg_id", "mt", "ref"])
        for s in systems:
            for i, (doc, hyp, ref) in enumerate(zip(docs, lines(f"hyp.{s}.en"), refs)):
                w.writerow([s, doc, start + i + 1, hyp, ref])
    return path


def _config(**options) -> Config:
    conf = Config()
    conf.options.update({"fluency": False, "jobs": 1, **options})
    return conf


def _run(path: Path, metrics=("bleu", "chrf"), **kw) -> cmp.Comparisons:
    from mtcheck.pipeline import analyse

    conf = _config(metrics=tuple(metrics))
    return cmp.compare_result(analyse(read_corpus(path), conf), conf, **kw)


def _sacrebleu(corpus, systems: list[str], metrics, test: str, n: int):
    """sacrebleu's own PairedTest on the corpus's hypotheses, the first system the baseline."""
    from sacrebleu.significance import PairedTest

    hyps = {s: [seg.mt for d in corpus.by_system(s) for seg in d] for s in systems}
    refs = [[seg.refs[0] for d in corpus.by_system(systems[0]) for seg in d]]
    named = [(s, hyps[s]) for s in systems]
    _, scores = PairedTest(named, metrics, references=refs, test_type=test, n_samples=n,
                           n_ar_confidence=1000 if test == "ar" else -1)()
    return scores


@pytest.mark.parametrize("test", ["bs", "ar"])
def test_equals_sacrebleu_paired_test(tmp_path, test):
    from sacrebleu.metrics import BLEU, CHRF

    path = wmt_slice(tmp_path, 100, systems=("JDExploreAcademy", "Online-A", "Lan-Bridge"))
    n = 1000 if test == "bs" else 2000
    c = _run(path, baseline="Online-A", test=test, resamples=n)
    order = ["Online-A", "JDExploreAcademy", "Lan-Bridge"]
    ref = _sacrebleu(read_corpus(path), order, {"bleu": BLEU(), "chrf": CHRF()}, test, n)
    assert set(ref) == {"System", "BLEU", "chrF2"}
    for key, metric in (("BLEU", "bleu"), ("chrF2", "chrf")):
        for k, system in enumerate(order[1:], start=1):
            got = c.row(system, "Online-A", metric)
            want = ref[key][k]
            assert got.score == pytest.approx(want.score, abs=1e-9)
            assert got.baseline_score == pytest.approx(ref[key][0].score, abs=1e-9)
            assert got.p_value == want.p_value, (system, metric)
            assert got.ci_low == pytest.approx(want.mean - want.ci, abs=1e-9)
            assert got.ci_high == pytest.approx(want.mean + want.ci, abs=1e-9)
            assert got.significant == (want.p_value < 0.05)
    # on 100 segments Lan-Bridge's lead over Online-A is not significant, JDExploreAcademy's is
    assert {r.significant for r in c.rows} == {True, False}


def test_ter_equals_sacrebleu(tmp_path):
    from sacrebleu.metrics import TER

    path = wmt_slice(tmp_path, 30, systems=("Online-A", "LanguageX"))
    c = _run(path, metrics=("ter",), baseline="Online-A")
    (want,) = _sacrebleu(read_corpus(path), ["Online-A", "LanguageX"], {"ter": TER()}, "bs", 1000)["TER"][1:]
    got = c.row("LanguageX", "Online-A", "ter")
    assert got.score == pytest.approx(want.score, abs=1e-9)
    assert got.p_value == want.p_value
    assert (got.ci_low, got.ci_high) == (pytest.approx(want.mean - want.ci), pytest.approx(want.mean + want.ci))


def test_scores_equal_the_summary(tmp_path):
    from mtcheck.pipeline import analyse

    path = wmt_slice(tmp_path, 60)
    conf = _config(metrics=("bleu", "chrf"))
    result = analyse(read_corpus(path), conf)
    c = cmp.compare_result(result, conf)
    for s in SYSTEMS:
        for m in ("bleu", "chrf"):
            assert c.scores[s][m] == pytest.approx(result.scores.system[s][m], abs=1e-9)
    # every pair once, the better-ranked system as the baseline
    assert c.systems == sorted(SYSTEMS, key=lambda s: -c.scores[s]["chrf"])
    assert [(r.system, r.baseline) for r in c.rows if r.metric == "chrf"] == [
        (c.systems[1], c.systems[0]), (c.systems[2], c.systems[0]), (c.systems[2], c.systems[1])]


def test_mean_score_bootstrap_by_hand():
    """The per-segment-score test resamples (sum, count) units: the mean of the sampled segments."""
    import numpy as np

    a = [[70.0, 1.0], [20.0, 1.0], [90.0, 1.0], [55.0, 1.0], [40.0, 1.0]]
    b = [[60.0, 1.0], [25.0, 1.0], [80.0, 1.0], [50.0, 1.0], [45.0, 1.0]]
    t = cmp.paired_bootstrap(a, b, cmp.MeanScore("fluency"), 200, seed=7, dtype="float64")
    assert t.score == pytest.approx(55.0) and t.baseline_score == pytest.approx(52.0)
    idx = np.random.default_rng(7).choice(5, size=(200, 5), replace=True)
    sa = np.array([x[0] for x in a])[idx].mean(1)
    sb = np.array([x[0] for x in b])[idx].mean(1)
    d = np.abs(sa - sb)
    assert t.p_value == ((d - d.mean() > 3.0).sum() + 1) / 201
    lo, hi = np.sort(sa)[200 // 40], np.sort(sa)[200 - 200 // 40 - 1]
    assert t.ci == pytest.approx((hi - lo) / 2) and t.mean == pytest.approx(sa.mean())


def test_pairing_collapses_documents_aligned_differently():
    units = [[("k1", [1, 2]), ("k2", [3, 4])],      # system A, document 0
             [("k1", [5, 6]), ("k2", [7, 8])],      # system B, document 0: same keys
             [("x", [1, 1])],                       # system A, document 1
             [("y", [2, 2]), ("z", [3, 3])]]        # system B, document 1: aligned differently
    a, b = cmp.pair_units(units, [0, 2], [1, 3])
    assert a == [[1, 2], [3, 4], [1, 1]] and b == [[5, 6], [7, 8], [5, 5]]
    a, b = cmp.pair_units(units, [0, 2], [1, 3], by="document")
    assert a == [[4, 6], [1, 1]] and b == [[12, 14], [5, 5]]


def test_by_document_resamples_documents(tmp_path):
    path = wmt_slice(tmp_path, 100)
    seg = _run(path, baseline="Online-A")
    doc = _run(path, baseline="Online-A", by="document")
    n_docs = len(read_corpus(path).by_system("Online-A"))
    assert 2 <= n_docs < 100
    for r_seg, r_doc in zip(seg.rows, doc.rows):
        assert (r_seg.system, r_seg.metric, r_seg.score) == (r_doc.system, r_doc.metric, r_doc.score)
    # fewer, larger units: the test is another one (and wider, here)
    assert [r.p_value for r in seg.rows] != [r.p_value for r in doc.rows]
    width = [sum(r.ci_high - r.ci_low for r in c.rows) for c in (seg, doc)]
    assert width[1] > width[0]


def _cli(*args: str) -> int:
    return main(["compare", "--no-config", "--no-fluency", "-j", "1", *args])


def test_cli_writes_the_same_bytes_every_run(tmp_path, capsys):
    path = wmt_slice(tmp_path / "in", 80)
    assert _cli(str(path), "--metrics", "bleu,chrf", "--out", str(tmp_path / "a")) == 0
    first = capsys.readouterr().out
    assert _cli(str(path), "--metrics", "bleu,chrf", "--out", str(tmp_path / "b")) == 0
    assert capsys.readouterr().out.replace(str(tmp_path / "b"), str(tmp_path / "a")) == first
    a = (tmp_path / "a" / "compare.csv").read_bytes()
    assert a == (tmp_path / "b" / "compare.csv").read_bytes()
    rows = list(csv.DictReader(a.decode().splitlines()))
    assert list(rows[0]) == list(cmp.COMPARE_COLUMNS)
    assert len(rows) == 3 * 2  # three pairs, two metrics
    assert all(r["significant"] in ("True", "False") for r in rows)
    assert all(len(r["p_value"].split(".")[1]) == 4 for r in rows)
    assert not list(tmp_path.glob("a/.*.tmp"))


def test_cli_table(tmp_path, capsys):
    path = wmt_slice(tmp_path, 100)
    assert _cli(str(path), "--metrics", "bleu,chrf", "--baseline", "Online-A", "--out", str(tmp_path)) == 0
    out = capsys.readouterr().out.splitlines()
    c = _run(path, baseline="Online-A")
    assert out[0] == f"wmt: 3 systems, 100 segments each; best first by chrF"
    assert out[1].split() == ["system", "BLEU", "chrF"]
    assert [line.split()[0] for line in out[2:5]] == c.systems
    for line in out[2:5]:
        system = line.split()[0]
        if system == "Online-A":
            assert line.split() == ["Online-A", "(baseline)", f"{c.scores[system]['bleu']:.2f}",
                                    f"{c.scores[system]['chrf']:.2f}"]
            continue
        cells = line.split()[1:]
        for k, m in enumerate(("bleu", "chrf")):
            r = c.row(system, "Online-A", m)
            assert cells[2 * k] == f"{r.score:.2f}"
            assert cells[2 * k + 1] == f"{r.delta:+.2f}" + ("*" if r.significant else "")
    assert out[5].startswith("score, then its difference against baseline Online-A; * p < 0.05 (paired bootstrap")
    assert out[6] == f"wrote {tmp_path / 'compare.csv'}"


def test_cli_errors(tmp_path, capsys):
    path = wmt_slice(tmp_path, 10)
    assert _cli(str(path), "--baseline", "Nobody", "--out", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown --baseline system 'Nobody'" in err and "Online-A" in err
    one = wmt_slice(tmp_path / "one", 10, systems=("Online-A",))
    assert _cli(str(one), "--out", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "compare needs two or more systems" in err and "(Online-A)" in err
    folder = tmp_path / "folder"
    write(folder / "mt" / "a" / "d1.txt", "One line.\n")
    write(folder / "mt" / "b" / "d2.txt", "Another line.\n")
    assert _cli(str(folder), "--out", str(tmp_path)) == 2
    assert "system 'b' has no document 'd1'" in capsys.readouterr().err
    assert _cli(str(path), "--by", "document", "--resamples", "0") == 2
    assert "--resamples must be 1 or more" in capsys.readouterr().err
    assert not (tmp_path / "compare.csv").exists()


def test_formula_cells_are_neutralised(tmp_path):
    folder = tmp_path / "c"
    for system in ("=cmd", "plain"):
        for doc in ("d1", "d2"):
            write(folder / "mt" / system / f"{doc}.txt", f"The {system} cat sat on the mat.\nIt was {doc}.\n")
    for doc in ("d1", "d2"):
        write(folder / "ref" / f"{doc}.txt", "The cat sat on the mat.\nIt was here.\n")
    assert _cli(str(folder), "--metrics", "chrf", "--out", str(tmp_path / "o"), "-q") == 0
    text = (tmp_path / "o" / "compare.csv").read_text()
    assert ",'=cmd," in text and ",=cmd," not in text
    assert _cli(str(folder), "--metrics", "chrf", "--out", str(tmp_path / "r"), "-q", "--raw-csv") == 0
    assert ",=cmd," in (tmp_path / "r" / "compare.csv").read_text()


def test_no_reference_leaves_reference_metrics_out(tmp_path):
    folder = tmp_path / "c"
    write(folder / "mt" / "a" / "d.txt", "A line.\nTwo lines.\n")
    write(folder / "mt" / "b" / "d.txt", "A line here.\nTwo lines there.\n")
    from mtcheck.pipeline import analyse

    conf = _config()
    c = cmp.compare_result(analyse(read_corpus(folder), conf), conf)
    assert c.metrics == () and c.rows == [] and c.rank_by is None
    assert "2 systems" in cmp.format_table(c)


@pytest.mark.slow
def test_fluency_rows_with_the_real_model(tmp_path):
    """One run with the bundled language model: fluency is compared like any per-segment score."""
    path = wmt_slice(tmp_path, 12, systems=("Online-A", "LanguageX"))
    conf = _config(metrics=("chrf",), fluency=True)
    c, written = cmp.compare(str(path), conf, baseline="Online-A", out=str(tmp_path))
    assert cmp.format_table(c).splitlines()[1].split() == ["system", "chrF", "fluency"]
    rows = {r["metric"]: r for r in csv.DictReader(written.read_text().splitlines())}
    assert set(rows) == {"chrf", "fluency"}
    means = {}
    for s in ("LanguageX", "Online-A"):
        vals = [f.fluency for d in c.corpus.by_system(s) for f in c.result.fluency[(s, d.doc_id)]]
        means[s] = sum(vals) / len(vals)
    assert float(rows["fluency"]["score"]) == pytest.approx(means["LanguageX"], abs=1e-4)
    assert float(rows["fluency"]["baseline_score"]) == pytest.approx(means["Online-A"], abs=1e-4)
    assert 0 < float(rows["fluency"]["p_value"]) <= 1
