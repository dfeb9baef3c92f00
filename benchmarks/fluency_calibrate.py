"""Calibration of the 0-100 fluency score: SLOR of human reference sentences.

Run by hand:  .venv/bin/python benchmarks/fluency_calibrate.py [--lines 300] [--lm MODEL]

Scores the first ``--lines`` lines of WMT22 zh-en reference A with the default model and
prints the median and standard deviation of segment ``lm_score`` (the adjusted score that
``fluency`` is mapped from; log-probabilities cached by ``benchmarks/_lpcache.py``): the constants
``mtcheck.fluency.CALIBRATION`` holds (the median reference sentence scores 80 and one
two standard deviations below it 20).
"""
from __future__ import annotations

import argparse
import statistics

from _wmt import ref_lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=300)
    ap.add_argument("--lm", default=None)
    args = ap.parse_args()
    from _lpcache import CachedScorer

    from mtcheck.fluency import CALIBRATION

    scorer = CachedScorer(args.lm)
    res = [r for r in scorer.score(ref_lines("A")[:args.lines]) if r.n_tokens]
    slor = [r.lm_score for r in res]
    med, sd = statistics.median(slor), statistics.pstdev(slor)
    print(scorer.signature)
    print(f"{len(slor)} reference segments: lm_score median {med:.4f}, sd {sd:.4f} "
          f"(mtcheck.fluency.CALIBRATION: median {CALIBRATION['median']}, sd {CALIBRATION['sd']})")
    fl = sorted(r.fluency for r in res)
    print(f"fluency of these references with the current constants: median {statistics.median(fl):.1f}, "
          f"10th percentile {fl[len(fl) // 10]:.1f}")


if __name__ == "__main__":
    main()
