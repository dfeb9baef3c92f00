"""Print a reproducible random sample of findings on real data, for reading by hand.

Run by hand:  .venv/bin/python benchmarks/sample_findings.py [--select MT2,MT3,MT4] [--n 50] [--seed 1]

Runs the selected checks (default: every check that needs no model) over the WMT22 zh-en
set (12 systems, source and reference A) and the wmt23_sxs_news rows of the MQM file, and
prints ``--n`` findings drawn at random (at most a third from any one check), each with
its segment and, for MT201, the source.
"""
from __future__ import annotations

import argparse
import random
import tempfile
from collections import defaultdict
from pathlib import Path

from _wmt import DATA, make_corpus, need


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--select", default="MT2,MT3,MT4")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    import pandas as pd

    from mtcheck.checks import build, run_checks
    from mtcheck.readers import read_corpus

    with tempfile.TemporaryDirectory() as tmp:
        wmt = read_corpus(make_corpus(Path(tmp) / "wmt22", src=True))
        df = pd.read_csv(need(DATA / "mqm-zhen-dev.tsv"), sep="\t", keep_default_na=False)
        sub = Path(tmp) / "mqm.tsv"
        df[df.dataset == "wmt23_sxs_news"][["system", "doc_id", "seg_id", "hypothesis", "reference",
                                            "source"]].to_csv(sub, sep="\t", index=False)
        mqm = read_corpus(sub)
    select = [s for s in args.select.split(",") if s]
    by_code = defaultdict(list)
    segs = {}
    for corpus in (wmt, mqm):
        for d in corpus.documents:
            for s in d:
                segs[(corpus.name, d.system, d.doc_id, s.seg_id)] = s
        for f in run_checks(corpus, build(select=select)):
            by_code[f.code].append(f)
    for code in sorted(by_code):
        print(f"{code}: {len(by_code[code])} findings")
    rng = random.Random(args.seed)
    pool = [f for fs in by_code.values() for f in fs]
    rng.shuffle(pool)
    cap = max(1, args.n // 3)
    taken: dict[str, int] = defaultdict(int)
    sample = []
    for f in pool:
        if taken[f.code] < cap:
            sample.append(f)
            taken[f.code] += 1
        if len(sample) == args.n:
            break
    for k, f in enumerate(sorted(sample, key=lambda f: f.code), 1):
        seg = segs[(f.corpus, f.system, f.doc_id, f.seg_id)]
        a, b = max(0, f.start - 60), min(len(seg.mt), f.end + 60)
        print(f"\n[{k}] {f.code} {f.severity} {f.corpus}/{f.system} line {f.line}: {f.message}")
        print(f"    MT : ...{seg.mt[a:f.start]}[[{seg.mt[f.start:f.end]}]]{seg.mt[f.end:b]}...")
        if f.code == "MT201" and seg.src:
            print(f"    SRC: {seg.src[:200]}")


if __name__ == "__main__":
    main()
