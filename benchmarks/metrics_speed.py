"""Metric speed on the WMT22 zh-en set: mtcheck's full report against sacrebleu's corpus_score.

Run by hand:  .venv/bin/python benchmarks/metrics_speed.py [--systems N] [--skip-ter] [--jobs N]

Prints, measured in this one run (the machine is noisy, so only ratios mean much):
- sacrebleu ``corpus_score`` for BLEU and chrF over every system (the baseline), and
  mtcheck's whole ``score`` job for BLEU and chrF (reading, segment, document and
  system scores, CSV reports; no fluency): target ratio <= 0.5 with two cores;
- sacrebleu single-process corpus TER, and mtcheck's TER statistics over ``--jobs``
  worker processes, compiled (mtcheck/ter.py): target ratio <= 0.1.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _wmt import lines, make_corpus, ref_lines, systems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", type=int, default=None, help="only the first N systems")
    ap.add_argument("--skip-ter", action="store_true")
    ap.add_argument("--jobs", type=int, default=0)
    args = ap.parse_args()

    from sacrebleu.metrics import BLEU, CHRF, TER

    from mtcheck.config import Config
    from mtcheck.metrics import score_corpus
    from mtcheck.pipeline import score
    from mtcheck.readers import read_corpus

    names = systems(args.systems)
    ref = ref_lines("A")
    hyps = {s: lines(s) for s in names}
    n_seg = sum(len(h) for h in hyps.values())
    print(f"{len(names)} systems, {n_seg} segments")

    with tempfile.TemporaryDirectory() as tmp:
        corpus_dir = make_corpus(Path(tmp) / "wmt22", args.systems)

        t = time.perf_counter()
        base = {s: (BLEU().corpus_score(h, [ref]).score, CHRF().corpus_score(h, [ref]).score)
                for s, h in hyps.items()}
        t_base = time.perf_counter() - t

        conf = Config()
        conf.options.update(metrics=("bleu", "chrf"), jobs=args.jobs, fluency=False)
        t = time.perf_counter()
        written = score([str(corpus_dir)], conf, out=str(Path(tmp) / "out"))
        t_ours = time.perf_counter() - t
        res = written[0].results[0]
        for s in names:
            assert abs(res.scores.system[s]["bleu"] - base[s][0]) < 1e-9, s
            assert abs(res.scores.system[s]["chrf"] - base[s][1]) < 1e-9, s
        print(f"BLEU+chrF  sacrebleu corpus_score {t_base:7.2f} s | mtcheck full report {t_ours:7.2f} s "
              f"| ratio {t_ours / t_base:.2f} (target <= 0.5 with two cores)")

        if not args.skip_ter:
            t = time.perf_counter()
            base_ter = {s: TER().corpus_score(h, [ref]).score for s, h in hyps.items()}
            t_base = time.perf_counter() - t
            corpus = read_corpus(corpus_dir)
            t = time.perf_counter()
            ter = score_corpus(corpus, ["ter"], jobs=args.jobs)
            t_ours = time.perf_counter() - t
            for s in names:
                assert abs(ter.system[s]["ter"] - base_ter[s]) < 1e-9, s
            print(f"TER        sacrebleu 1 process    {t_base:7.2f} s | mtcheck --jobs {args.jobs or 'all'} "
                  f"{t_ours:7.2f} s | ratio {t_ours / t_base:.3f} (target <= 0.1)")


if __name__ == "__main__":
    main()
