"""What ``quality`` adds to the time of a run with fluency.

Run by hand:  .venv/bin/python benchmarks/quality_speed.py [--lines 200] [--systems 2] [--repeat 2]

In one process, on the first ``--lines`` lines of ``--systems`` WMT22 zh-en systems (with
reference A and the source), ``pipeline.analyse`` runs with fluency and ``--metrics
bleu,chrf,ter`` (a), and with ``quality`` added (b), alternately ``--repeat`` times; the
language model is loaded once beforehand and shared, while (b) loads MiniLM itself each
time, as a real run does. Prints the median wall time of each and the ratio b / a (target:
at most 1.30).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _wmt import WMT, need, systems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=200)
    ap.add_argument("--systems", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    need(WMT)
    from mtcheck import config as config_mod
    from mtcheck.pipeline import analyse, make_scorer
    from mtcheck.readers import read_corpus

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "wmt22"
        for folder, name in [*((f"mt/{s}", f"hyp.{s}.en") for s in systems(args.systems)),
                             ("ref", "ref.A.en"), ("src", "src.zh")]:
            text = (WMT / f"generaltest2022.zh-en.{name}").read_text(encoding="utf-8").split("\n")[:args.lines]
            (root / folder).mkdir(parents=True)
            (root / folder / "wmt22.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
        corpus = read_corpus(root)
        base = config_mod.load(discover=False, overrides={"metrics": "bleu,chrf,ter"})
        qual = config_mod.load(discover=False, overrides={"metrics": "bleu,chrf,ter,quality"})
        scorer = make_scorer(base)
        analyse(corpus, base, scorer=scorer)  # warm up: first-use caches
        times: dict[str, list[float]] = {"fluency": [], "fluency + quality": []}
        for _ in range(args.repeat):
            for name, conf in (("fluency", base), ("fluency + quality", qual)):
                t = time.perf_counter()
                res = analyse(corpus, conf, scorer=scorer)
                times[name].append(time.perf_counter() - t)
                assert (res.quality is not None) == (name != "fluency")
    a, b = (statistics.median(times[k]) for k in times)
    print(f"{corpus.n_segments} segments, {args.repeat} runs each")
    print(f"fluency           {a:7.2f} s")
    print(f"fluency + quality {b:7.2f} s   ratio {b / a:.3f} (target <= 1.30)")


if __name__ == "__main__":
    main()
