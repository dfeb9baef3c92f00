"""The compiled TER gives sacrebleu's segment statistics exactly."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import TER as SacreTER
from sacrebleu.metrics import lib_ter

from mtcheck import ter

WMT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wmt22-zhen"

pytestmark = pytest.mark.skipif(ter.kernel() is None, reason="numba unavailable: nothing compiled to test")


def _both(hyp: list[str], ref: list[str]) -> tuple[tuple[int, int], tuple[int, int]]:
    return lib_ter.translation_edit_rate(hyp, ref), ter.edits(hyp, ref)


def _rng_words(rng: random.Random, n: int, vocab: int) -> list[str]:
    return [f"w{rng.randrange(vocab)}" for _ in range(n)]


def test_edge_cases() -> None:
    rng = random.Random(7)
    cases = [
        ([], []),
        ([], "a b c".split()),
        ("a b c".split(), []),
        ("the cat sat".split(), "the cat sat".split()),
        ("a".split(), "b".split()),
        ("a a a a b b b b".split(), "b b b b a a a a".split()),
        ("the the the cat the the".split(), "the cat the the the the the".split()),
        ("one two three four five six".split(), "four five six one two three".split()),
        (("x " * 3 + "y " * 60).split(), ("y " * 60 + "x " * 3).split()),  # long: the shift size cap
        (_rng_words(rng, 3, 5), _rng_words(rng, 200, 5)),  # very unequal lengths: a wider beam
        (_rng_words(rng, 200, 5), _rng_words(rng, 3, 5)),
    ]
    for hyp, ref in cases:
        a, b = _both(hyp, ref)
        assert a == b, (hyp, ref)


def test_the_candidate_cap_is_reached_and_kept(monkeypatch) -> None:
    seen: list[int] = []
    real = lib_ter._shift

    def spy(*args):
        out = real(*args)
        seen.append(out[2])
        return out

    monkeypatch.setattr(lib_ter, "_shift", spy)
    rng = random.Random(3)
    hyp = _rng_words(rng, 120, 3)
    ref = hyp[:]
    rng.shuffle(ref)
    a, b = _both(hyp, ref)
    assert max(seen) >= lib_ter._MAX_SHIFT_CANDIDATES  # the case does hit the cap
    assert a == b


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=30), st.lists(st.integers(0, 4), max_size=30))
def test_random_small_vocabulary(h: list[int], r: list[int]) -> None:
    hyp, ref = [str(x) for x in h], [str(x) for x in r]
    a, b = _both(hyp, ref)
    assert a == b


def test_segment_statistics_with_several_references() -> None:
    base, ours = SacreTER(), ter.TER()
    refs = ["The cat sat on the mat.", "A cat was sitting on the mat .", ""]
    info = base._extract_reference_info([base._preprocess_segment(r) for r in refs])
    for hyp in ["the mat the cat sat on", "", "Cat on mat, sitting."]:
        h = base._preprocess_segment(hyp)
        x, y = base._compute_segment_statistics(h, info), ours._compute_segment_statistics(h, info)
        assert x == y and type(x[0]) is type(y[0]) and type(x[1]) is type(y[1])


def test_sacrebleu_code_without_numba() -> None:
    hyp, ref = "a b c d e".split(), "c d e a b x".split()
    try:
        ter.use_kernel(False)
        assert ter.kernel() is None
        assert ter.edits(hyp, ref) == lib_ter.translation_edit_rate(hyp, ref)
    finally:
        ter.use_kernel(True)
    assert ter.kernel() is not None


@pytest.mark.skipif(not WMT.is_dir(), reason="../shared/data/wmt22-zhen is absent")
def test_wmt22_slice_identical_to_sacrebleu() -> None:
    ref = (WMT / "generaltest2022.zh-en.ref.A.en").read_text(encoding="utf-8").split("\n")
    names = sorted(WMT.glob("generaltest2022.zh-en.hyp.*.en"))[:2]
    base, ours = SacreTER(), ter.TER()
    n = 0
    for path in names:
        hyps = path.read_text(encoding="utf-8").split("\n")
        for h, r in list(zip(hyps, ref))[::12][:150]:
            info = base._extract_reference_info([base._preprocess_segment(r)])
            hp = base._preprocess_segment(h)
            assert base._compute_segment_statistics(hp, info) == ours._compute_segment_statistics(hp, info), h
            n += 1
    assert n == 300
