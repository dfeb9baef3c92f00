"""Fluency against human MQM judgments of WMT23 zh-en news (Fluency and Style errors).

Run by hand:  .venv/bin/python benchmarks/fluency_mqm.py [--lm MODEL]

For every ``wmt23_sxs_news`` row of ../shared/data/mqm-zhen-dev.tsv the fluency penalty is
the summed weight of its error spans whose category starts with ``Fluency/`` or ``Style/``,
divided by ``n_raters``. Translations of the same source segment are compared with each
other, as a reader choosing between them would:
- grouped Kendall: per ``seg_id``, Kendall's tau-b across systems between the score and
  minus the penalty, averaged over segments (targets: beat raw mean log-probability; 0.30);
- pair accuracy: over pairs of translations of one source where one has no fluency
  penalty and the other a penalty of 2 or more, the share where the clean one scores
  higher (target 0.85).
Printed for ``fluency`` and for raw mean log-probability, raw perplexity and SLOR. The
flat correlation over all rows is printed too, but it mostly measures segment length.
"""
from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict

from _wmt import DATA, need


def tau_b(x: list[float], y: list[float]) -> float | None:
    c = d = tx = ty = 0
    n = len(x)
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                tx += 1
            elif dy == 0:
                ty += 1
            elif (dx > 0) == (dy > 0):
                c += 1
            else:
                d += 1
    den = math.sqrt((c + d + tx) * (c + d + ty))
    return (c - d) / den if den else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lm", default=None)
    args = ap.parse_args()

    import pandas as pd

    from mtcheck.fluency import FluencyScorer

    df = pd.read_csv(need(DATA / "mqm-zhen-dev.tsv"), sep="\t", keep_default_na=False)
    df = df[df.dataset == "wmt23_sxs_news"].reset_index(drop=True)
    penalty = []
    for _, r in df.iterrows():
        w = sum(e["weight"] for e in json.loads(r.error_spans or "[]")
                if e["category"].startswith(("Fluency/", "Style/")))
        penalty.append(w / float(r.n_raters or 1))
    scorer = FluencyScorer(args.lm)
    res = scorer.score([h.strip() for h in df.hypothesis])
    scores = {
        "fluency": [r.fluency for r in res],
        "SLOR": [r.lm_slor for r in res],
        "mean log-prob": [r.lm_logprob for r in res],
        "-perplexity": [-r.lm_ppl if r.lm_ppl is not None else None for r in res],
    }
    groups: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(df.seg_id):
        if res[i].n_tokens:
            groups[int(s)].append(i)
    print(scorer.signature)
    print(f"{len(df)} rows, {len(groups)} source segments")
    for name, vals in scores.items():
        taus = [t for idx in groups.values() if len(idx) > 1
                for t in [tau_b([vals[i] for i in idx], [-penalty[i] for i in idx])] if t is not None]
        good = total = 0
        for idx in groups.values():
            for i in idx:
                for j in idx:
                    if penalty[i] == 0 and penalty[j] >= 2:
                        total += 1
                        good += vals[i] > vals[j]
        ok = [i for i in range(len(df)) if vals[i] is not None]
        flat = tau_b([vals[i] for i in ok], [-penalty[i] for i in ok])
        print(f"{name:14s} grouped Kendall {sum(taus) / len(taus):.3f} ({len(taus)} segments) | "
              f"pair accuracy {good / total:.3f} ({total} pairs) | flat Kendall {flat:.3f}")


if __name__ == "__main__":
    main()
