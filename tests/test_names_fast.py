"""names.py's fast paths give exactly what the slow ones gave: the zipf frequencies read
straight from wordfreq's data file equal ``wordfreq.zipf_frequency``, and the cached
tokenizer returns fresh lists of the same tokens."""
from __future__ import annotations

import random

import pytest

from mtcheck import names

wordfreq = pytest.importorskip("wordfreq")

SHAPES = ["college", "the", "gaoping", "xishi", "people's", "co.", "ltd.", "dr.", "low-power", "a-shaped",
          "twenty-second", "don't", "can't", "china's", "rock'n'roll", "well-known-ish", "qqqzzzx", "zzz-the",
          "the-zzzqqq", "i", "a", "u.s.", "u.s", "café", "xi’an", "abc1", "2022", "'tis", "china's-", "-the", ".",
          "e.g.", "co..", "x-", "people’s", "naïve", "über", "aa", "zz"]


def _sample_words() -> list[str]:
    rng = random.Random(13)
    words = list(wordfreq.iter_wordlist("en"))
    pick = rng.sample(words, 3000) + words[:300] + words[-300:]
    # shapes built from real words: hyphenated pairs, possessives, final full stops
    pick += [f"{a}-{b}" for a, b in zip(rng.sample(words, 300), rng.sample(words, 300))]
    pick += [f"{w}'s" for w in rng.sample(words, 200)] + [f"{w}." for w in rng.sample(words, 200)]
    return [w.lower() for w in pick]


@pytest.mark.parametrize("mode", ["bisect", "dict"])
def test_zipf_equals_wordfreq(mode):
    eng = names._EnglishFrequencies()
    eng.BISECT_LOOKUPS = 0 if mode == "dict" else 10**9
    words = SHAPES + _sample_words()
    got = {w: eng.zipf(w) for w in words}
    want = {w: wordfreq.zipf_frequency(w, "en") for w in words}
    assert got == want
    assert (eng.index is not None) == (mode == "dict")


def test_zipf_reads_wordfreq_data_without_importing_it_for_plain_words():
    eng = names._EnglishFrequencies()
    assert eng.zipf("college") == wordfreq.zipf_frequency("college", "en") > 4
    assert eng.bands and eng.index is None and eng.lookups == 1


def test_tokenize_is_cached_but_returns_fresh_lists():
    text = "After Shanxi Gaoping College opened. It grew, in 2022, to 3,000 students!"
    a = names.tokenize(text)
    b = names.tokenize(text)
    assert a == b and a is not b
    a.clear()
    assert names.tokenize(text) == b
    assert [t.text for t in b if t.initial] == ["After", "It"]
    assert all(text[t.start:t.end] == t.text for t in b)
