"""Fluency against human MQM judgments of WMT23 zh-en news (Fluency and Style errors).

Run by hand:  .venv/bin/python benchmarks/fluency_mqm.py --half heldout [--lm MODEL] [--grid]

``--half`` picks the rows of ``benchmarks/_split.py`` (``tune``, ``heldout`` or ``all``): the
scoring constants (``mtcheck.fluency.SCORE_PARAMS``) were chosen on ``tune`` with ``--grid``;
report ``heldout``. Token log-probabilities are cached (``benchmarks/_lpcache.py``), so a
second run takes seconds.

For every ``wmt23_sxs_news`` row of ../shared/data/mqm-zhen-dev.tsv the fluency penalty is
the summed weight of its error spans whose category starts with ``Fluency/`` or ``Style/``,
divided by ``n_raters``. Translations of the same source segment are compared with each
other, as a reader choosing between them would:
- grouped Kendall: per ``seg_id``, Kendall's tau-b across systems between the score and
  minus the penalty, averaged over segments (target on held-out: 0.20);
- pair accuracy: over pairs of translations of one source where one has no fluency
  penalty and the other a penalty of 2 or more, the share where the clean one scores
  higher (target on held-out: 0.80).
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


def evaluate(vals: list, penalty: list[float], groups: dict[int, list[int]]) -> tuple[float, float, int, int]:
    """(grouped Kendall, pair accuracy, segments, pairs) of ``vals`` against minus ``penalty``."""
    taus = [t for idx in groups.values() if len(idx) > 1
            for t in [tau_b([vals[i] for i in idx], [-penalty[i] for i in idx])] if t is not None]
    good = total = 0
    for idx in groups.values():
        for i in idx:
            for j in idx:
                if penalty[i] == 0 and penalty[j] >= 2:
                    total += 1
                    good += vals[i] > vals[j]
    return sum(taus) / len(taus), good / max(1, total), len(taus), total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lm", default=None)
    ap.add_argument("--half", default="heldout", help="tune, heldout or all (benchmarks/_split.py)")
    ap.add_argument("--grid", action="store_true", help="also try variants of the scoring constants")
    args = ap.parse_args()

    import pandas as pd

    from _lpcache import cached_logprobs
    from _split import pick
    from mtcheck.fluency import SCORE_PARAMS, adjusted_score, fluency_features, score_logprobs

    df = pd.read_csv(need(DATA / "mqm-zhen-dev.tsv"), sep="\t", keep_default_na=False)
    df = pick(df, args.half)
    df = df[df.dataset == "wmt23_sxs_news"].reset_index(drop=True)
    penalty = []
    for _, r in df.iterrows():
        w = sum(e["weight"] for e in json.loads(r.error_spans or "[]")
                if e["category"].startswith(("Fluency/", "Style/")))
        penalty.append(w / float(r.n_raters or 1))
    texts = [h.strip() for h in df.hypothesis]
    lps = cached_logprobs(texts, args.lm)
    res = [score_logprobs(t, lp, off) for t, (lp, off) in zip(texts, lps)]
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
    print(f"half {args.half}: {len(df)} rows, {len(groups)} source segments; lm {args.lm or 'smollm2'}")
    for name, vals in scores.items():
        tau, acc, nseg, npairs = evaluate(vals, penalty, groups)
        ok = [i for i in range(len(df)) if vals[i] is not None]
        flat = tau_b([vals[i] for i in ok], [-penalty[i] for i in ok])
        print(f"{name:14s} grouped Kendall {tau:.3f} ({nseg} segments) | "
              f"pair accuracy {acc:.3f} ({npairs} pairs) | flat Kendall {flat:.3f}")
    if args.grid:
        import itertools

        grid = {"per": ["word"], "repeat_lp": [-8.0], "window": [2, 3], "w_worst": [0.0, 0.1, 0.2, 0.3],
                "w_low": [0.0, 0.3], "quantile": [0.15], "floor": [-8.0, -10.0], "alpha": [1.0, 0.9, 0.8],
                "skip_first": [False, True]}
        keys = list(grid)
        rows = []
        for combo in itertools.product(*grid.values()):
            p = dict(zip(keys, combo))
            if p["w_worst"] == 0 and p["window"] != 3:
                continue
            vals = [adjusted_score(fluency_features(t, lp, off, p), p) if lp else None
                    for t, (lp, off) in zip(texts, lps)]
            tau, acc, _, _ = evaluate(vals, penalty, groups)
            rows.append((tau + acc / 4, tau, acc, p))
        rows.sort(key=lambda r: -r[0])
        print(f"current constants: {SCORE_PARAMS}")
        for _, tau, acc, p in rows[:12]:
            print(f"  Kendall {tau:.3f} pair accuracy {acc:.3f}  {p}")


if __name__ == "__main__":
    main()
