"""What the reference baselines get on the MQM dev file under each common Kendall definition.

Run by hand:  .venv/bin/python benchmarks/kendall_definitions.py

Issue #11 states that chrF ranks the translations of one source with an item-grouped Kendall
of about 0.28 on these rows (sentence-BLEU 0.23). This script computes sentence chrF and
sentence BLEU (sacrebleu defaults, BLEU with effective order) for every row of
../shared/data/mqm-zhen-dev.tsv and prints, per half of ``benchmarks/_split.py`` and for all
rows or the ``wmt23_sxs_news`` rows alone, three definitions of a grouped Kendall against
``mqm_score`` (translations of one source form a group):

- ``tau-b mean``: Kendall's tau-b per group, averaged over the groups (the definition
  ``benchmarks/fit_quality.py`` and ``fluency_mqm.py`` report);
- ``pooled tau``: concordant minus discordant pairs over all groups, divided by all pairs
  with a human difference (metric ties count in the denominator);
- ``tau-like``: WMT's DARR-style (C - D) / (C + D), human and metric ties left out.

No language model is needed; it takes about a minute.
"""
from __future__ import annotations

from collections import defaultdict

from _split import mqm_halves
from _wmt import DATA, need
from fluency_mqm import tau_b


def definitions(df, col: str) -> tuple[float, float, float]:
    groups = defaultdict(list)
    for i in df.index:
        groups[(df.dataset[i], df.seg_id[i])].append(i)
    taus = []
    c = d = t = 0
    for idx in groups.values():
        if len(idx) < 2:
            continue
        tau = tau_b([df[col][i] for i in idx], [df.mqm_score[i] for i in idx])
        if tau is not None:
            taus.append(tau)
        for a in idx:
            for b in idx:
                if a >= b:
                    continue
                dh = df.mqm_score[a] - df.mqm_score[b]
                dm = df[col][a] - df[col][b]
                if dh == 0:
                    continue
                if dm == 0:
                    t += 1
                elif (dh > 0) == (dm > 0):
                    c += 1
                else:
                    d += 1
    return sum(taus) / len(taus), (c - d) / (c + d + t), (c - d) / (c + d)


def main() -> None:
    import pandas as pd
    from sacrebleu.metrics import BLEU, CHRF

    df = pd.read_csv(need(DATA / "mqm-zhen-dev.tsv"), sep="\t", keep_default_na=False)
    chrf, bleu = CHRF(), BLEU(effective_order=True)
    df["chrF"] = [chrf.sentence_score(h, [r]).score for h, r in zip(df.hypothesis, df.reference)]
    df["BLEU"] = [bleu.sentence_score(h, [r]).score for h, r in zip(df.hypothesis, df.reference)]
    tune, held = mqm_halves(df)
    print(f"{'half':8s} {'rows':13s} {'n':>5s} {'metric':6s} {'tau-b mean':>10s} {'pooled tau':>10s} {'tau-like':>9s}")
    for hname, part in (("tune", tune), ("heldout", held), ("all", df)):
        for rows, sub in (("all rows", part), ("wmt23 only", part[part.dataset == "wmt23_sxs_news"])):
            for col in ("chrF", "BLEU"):
                a, b, c = definitions(sub, col)
                print(f"{hname:8s} {rows:13s} {len(sub):5d} {col:6s} {a:10.3f} {b:10.3f} {c:9.3f}")


if __name__ == "__main__":
    main()
