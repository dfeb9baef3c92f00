"""Exact TER speed: sacrebleu's TER against mtcheck's compiled TER, one process each.

Run by hand:  .venv/bin/python benchmarks/ter_speed.py [--system NAME] [--segments N] [--all]

Both sides compute ``_compute_segment_statistics`` (after the same TER tokenisation) for
every segment of one WMT22 zh-en system against reference A (default: the first system;
``--all``: every system, which takes sacrebleu ~6 min on one core), in this one run. The
script **asserts** that the statistics (number of edits, average reference length) are
identical on every segment, and prints the time of each side and the speed ratio
(target >= 10). mtcheck's time includes loading the compiled code from numba's cache
(printed apart; the first run on a machine also compiles it, a few seconds).
"""
from __future__ import annotations

import argparse
import time

from _wmt import lines, ref_lines, systems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--system", default=None, help="system name (default: the first)")
    ap.add_argument("--segments", type=int, default=0, help="only the first N segments")
    ap.add_argument("--all", action="store_true", help="every system")
    args = ap.parse_args()

    from sacrebleu.metrics import TER as SacreTER

    names = systems() if args.all else [args.system or systems()[0]]
    ref = ref_lines("A")

    t = time.perf_counter()
    from mtcheck import ter

    if ter.kernel() is None:
        raise SystemExit("numba is unavailable: mtcheck would use sacrebleu's own code")
    t_load = time.perf_counter() - t

    base, ours = SacreTER(), ter.TER()
    t_base = t_ours = 0.0
    n_seg = 0
    for name in names:
        hyps = lines(name)
        if args.segments:
            hyps = hyps[:args.segments]
        pairs = list(zip(hyps, ref))
        n_seg += len(pairs)

        def run(metric):
            pre = metric._preprocess_segment
            return [metric._compute_segment_statistics(pre(h), metric._extract_reference_info([pre(r)]))
                    for h, r in pairs]

        t = time.perf_counter()
        a = run(base)
        t_a = time.perf_counter() - t
        t = time.perf_counter()
        b = run(ours)
        t_b = time.perf_counter() - t
        for k, (x, y) in enumerate(zip(a, b)):
            assert x == y and type(x[0]) is type(y[0]), (name, k, x, y)
        assert len(a) == len(b) == len(pairs)
        t_base += t_a
        t_ours += t_b
        print(f"{name:24s} {len(pairs):5d} segments identical | sacrebleu {t_a:7.2f} s | "
              f"mtcheck {t_b:6.3f} s | ratio {t_a / t_b:6.1f}x")
    total = t_ours + t_load
    print(f"all {len(names)} system(s), {n_seg} segments, statistics identical on every segment")
    print(f"TER 1 process: sacrebleu {t_base:.2f} s | mtcheck {t_ours:.3f} s + {t_load:.2f} s loading "
          f"the compiled code | speed ratio {t_base / total:.1f}x with loading, "
          f"{t_base / t_ours:.1f}x without (target >= 10)")


if __name__ == "__main__":
    main()
