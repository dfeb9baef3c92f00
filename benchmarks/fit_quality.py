"""Fit the weights of ``quality`` on the MQM dev file and measure it against humans.

Run by hand:  .venv/bin/python benchmarks/fit_quality.py [--write] [--fit-on tune]

Every row of ../shared/data/mqm-zhen-dev.tsv goes through the real pipeline as a TSV corpus
(one document per (system, dataset, doc_id), with source and reference): sacrebleu metrics,
the checks, the language model (log-probabilities cached by ``benchmarks/_lpcache.py``) and
MiniLM similarity; ``mtcheck.quality.features`` turns each segment into features.

Model: pairwise logistic regression, L2-regularised, without intercept, on standardised
feature differences between translations of the same source (``dataset``, ``seg_id``) whose
MQM scores differ: P(i better than j) = sigmoid(w . (z_i - z_j)). Length cancels within a
source, so it is not rewarded. The penalty is chosen by two-fold cross-validation over the
documents of the fitting half; the offset puts the median error-free row (mqm_score 0) of
that half at quality 80. Two models: with the reference (chrF, MiniLM, fluency, findings) and
reference-free (fluency, findings).

Printed for ``tune`` and ``heldout`` (benchmarks/_split.py): item-grouped Kendall (per
source, tau-b across its translations against mqm_score, averaged) and system pairwise
accuracy (systems of one dataset ranked by mean segment score against mean mqm_score), the
WMT-style pooled tau-like ((C-D)/(C+D) over same-source pairs, human ties left out) and the
wmt23_sxs_news rows alone (pooled and item-grouped), for
quality, reference-free quality, chrF, sentence-BLEU and MiniLM. ``--write`` stores the
weights in mtcheck/data/quality_weights.json with the sha256 of the data file.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import tempfile
from collections import defaultdict
from pathlib import Path

from _wmt import DATA, ROOT, need
from fluency_mqm import tau_b

#: checks and embeddings of the MQM rows are cached beside the log-probabilities
FEATURE_CACHE = Path("/tmp/mtcheck-lp-cache/mqm-features.json")
#: standard deviation of the linear score (logit) over the fitting rows
SPREAD = 1.2


def write_tsv(df, path: Path) -> None:
    """The MQM rows as a TSV corpus: one document per (system, dataset, doc_id), seg_id = row index."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["system", "doc_id", "seg_id", "mt", "ref", "src"])
        for i, r in df.iterrows():
            w.writerow([r.system, f"{r.dataset}/{r.doc_id}", str(i), r.hypothesis.strip(),
                        r.reference.strip(), r.source.strip()])


def row_checks(df, tag: str = "mqm") -> list[dict]:
    """Per MQM row: chrF, sentence-BLEU and its findings (code, severity) from the pipeline
    without a language model (MT301 is the only check that needs one, and quality skips it)."""
    cache = FEATURE_CACHE.with_name(f"{tag}-checks.json")
    h = hashlib.sha256(pd_bytes(df)).hexdigest()[:16]
    if cache.is_file():
        got = json.loads(cache.read_text())
        if got.get("key") == h:
            return got["rows"]
    from mtcheck import config as config_mod
    from mtcheck.pipeline import analyse
    from mtcheck.readers import read_corpus

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mqm.tsv"
        write_tsv(df, path)
        corpus = read_corpus(path)
        res = analyse(corpus, config_mod.load(discover=False, overrides={"metrics": "bleu,chrf"}))
    out: dict[int, dict] = {}
    for k, d in enumerate(corpus.documents):
        for seg in d:
            sc = res.scores.segment[k][seg.index]
            out[int(seg.seg_id)] = {"chrf": sc["chrf"], "bleu": sc["bleu"], "findings": []}
    for f in res.findings:
        out[int(f.seg_id)]["findings"].append([f.code, str(f.severity)])
    rows = [out[i] for i in df.index]
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"key": h, "rows": rows}))
    return rows


def row_embeddings(df, tag: str = "mqm") -> list[float | None]:
    """Per MQM row: MiniLM cosine of the hypothesis to the reference (cached)."""
    cache = FEATURE_CACHE.with_name(f"{tag}-embed.json")
    h = hashlib.sha256(pd_bytes(df)).hexdigest()[:16]
    if cache.is_file():
        got = json.loads(cache.read_text())
        if got.get("key") == h:
            return got["rows"]
    from mtcheck.embed import Embedder

    rows = Embedder().similarity([(r.hypothesis.strip(), [r.reference.strip()]) for _, r in df.iterrows()])
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"key": h, "rows": rows}))
    return rows


def row_features(df, tag: str = "mqm") -> list[dict]:
    """Per MQM row: the quality features with and without the reference, and the baselines."""
    from _lpcache import CachedScorer

    from mtcheck.findings import Finding, Severity
    from mtcheck.quality import features

    from mtcheck.adequacy import source_agreement, source_coverage

    checks, emb = row_checks(df, tag), row_embeddings(df, tag)
    flu = CachedScorer().score([h.strip() for h in df.hypothesis])
    cov = [source_coverage(s.strip(), h.strip()) for s, h in zip(df.source, df.hypothesis)]
    agr = [source_agreement(s.strip(), h.strip()) for s, h in zip(df.source, df.hypothesis)]
    rows = []
    for c, e, fl, cv, ag in zip(checks, emb, flu, cov, agr):
        fs = [Finding("", "", "", "", 0, code, "", Severity.parse(sev), 0, 0, "", "") for code, sev in c["findings"]]
        rows.append({"ref": features(c["chrf"], e, fl.lm_score, fs, True, cv, ag),
                     "noref": features(None, None, fl.lm_score, fs, False, cv, ag),
                     "chrf": c["chrf"], "bleu": c["bleu"], "embed": e, "fluency": fl.fluency})
    return rows


def pd_bytes(df) -> bytes:
    return "\n".join("\t".join(map(str, r)) for r in df[["system", "doc_id", "hypothesis"]].itertuples()).encode()


def synthetic_df(n: int, pool: int):
    """Synthetic comparisons for the fit: minimal pairs (``benchmarks/minimal_pairs.py``, every
    kind) built from the WMT22 lines of the ``unlabelled-*`` runs only (``minimal_pairs.TRAIN``),
    so that none of the labelled documents that ``minimal_pairs.py`` reports on is trained on.
    As MQM-like rows: the good text scores 0, its defective copies -1; one "source" per good text."""
    import pandas as pd

    from minimal_pairs import TRAIN, build_pairs

    rows, seen = [], set()
    for r in build_pairs(n, pool=pool, part=TRAIN):
        base = {"dataset": "synthetic", "doc_id": r["id"], "seg_id": r["id"], "source": r["src"],
                "reference": r["ref"], "error_spans": "[]", "n_raters": 1}
        if r["id"] not in seen:
            seen.add(r["id"])
            rows.append({**base, "system": "good", "hypothesis": r["good"], "mqm_score": 0.0})
        rows.append({**base, "system": r["kind"], "hypothesis": r["bad"], "mqm_score": -1.0})
    return pd.DataFrame(rows)


def fit_pairwise(X, pairs, lam: float, weights=None):
    """Newton's method for L2-regularised logistic regression on x_i - x_j (label 1), both
    directions; ``weights`` (one per pair) weigh the pairs."""
    import numpy as np

    i, j = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    D = np.vstack([X[i] - X[j], X[j] - X[i]])
    y = np.concatenate([np.ones(len(pairs)), np.zeros(len(pairs))])
    sw = np.ones(len(pairs)) if weights is None else np.asarray(weights, dtype=float)
    sw = np.concatenate([sw, sw])
    sw = sw * len(sw) / sw.sum()
    w = np.zeros(X.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-(D @ w)))
        g = D.T @ (sw * (p - y)) / len(y) + lam * w
        H = (D * (sw * p * (1 - p))[:, None]).T @ D / len(y) + lam * np.eye(len(w))
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def pairs_of(idx, df):
    groups = defaultdict(list)
    for i in idx:
        groups[(df.dataset[i], df.seg_id[i])].append(i)
    out = []
    for g in groups.values():
        for a in g:
            for b in g:
                if a < b and df.mqm_score[a] != df.mqm_score[b]:
                    out.append((a, b) if df.mqm_score[a] > df.mqm_score[b] else (b, a))
    return out


def grouped_kendall(vals, idx, df) -> float:
    groups = defaultdict(list)
    for i in idx:
        if vals[i] is not None:
            groups[(df.dataset[i], df.seg_id[i])].append(i)
    taus = [t for g in groups.values() if len(g) > 1
            for t in [tau_b([vals[i] for i in g], [df.mqm_score[i] for i in g])] if t is not None]
    return sum(taus) / len(taus)


def pooled_tau(vals, idx, df, dataset: str | None = None) -> float:
    """WMT-style pooled tau-like over all pairs of translations of one source: (C - D) / (C + D),
    pairs the humans tie left out, metric ties counted in neither; ``dataset`` keeps only its rows."""
    groups = defaultdict(list)
    for i in idx:
        if vals[i] is not None and (dataset is None or df.dataset[i] == dataset):
            groups[(df.dataset[i], df.seg_id[i])].append(i)
    c = d = 0
    for g in groups.values():
        for a in g:
            for b in g:
                if a < b and df.mqm_score[a] != df.mqm_score[b]:
                    s = (vals[a] - vals[b]) * (df.mqm_score[a] - df.mqm_score[b])
                    c += s > 0
                    d += s < 0
    return (c - d) / max(1, c + d)


def system_accuracy(vals, idx, df) -> tuple[float, int]:
    good = total = 0
    for ds in sorted(set(df.dataset[i] for i in idx)):
        rows = [i for i in idx if df.dataset[i] == ds and vals[i] is not None]
        per = defaultdict(list)
        for i in rows:
            per[df.system[i]].append(i)
        metric = {s: sum(vals[i] for i in v) / len(v) for s, v in per.items()}
        human = {s: sum(df.mqm_score[i] for i in v) / len(v) for s, v in per.items()}
        names = sorted(per)
        for a in range(len(names)):
            for b in range(a + 1, len(names)):
                x, y = names[a], names[b]
                if human[x] == human[y]:
                    continue
                total += 1
                good += (metric[x] - metric[y]) * (human[x] - human[y]) > 0
    return good / max(1, total), total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit-on", default="tune", help="tune (default) or all; figures are printed for both halves")
    ap.add_argument("--write", action="store_true", help="write mtcheck/data/quality_weights.json")
    ap.add_argument("--drop", default="", help="comma-separated features to leave out (an ablation; not with --write)")
    ap.add_argument("--synthetic", type=int, default=0, metavar="N",
                    help="add up to N minimal pairs per kind from the WMT22 unlabelled runs to the fit (default 0)")
    ap.add_argument("--syn-pool", type=int, default=300, help="clean sentences the synthetic pairs come from")
    ap.add_argument("--syn-share", type=float, default=0.25,
                    help="the synthetic pairs' total weight, as a share of the MQM pairs' (default 0.25)")
    args = ap.parse_args()

    import numpy as np
    import pandas as pd

    from _split import mqm_halves
    from mtcheck.quality import NOREF_FEATURES, REF_FEATURES

    data = need(DATA / "mqm-zhen-dev.tsv")
    df = pd.read_csv(data, sep="\t", keep_default_na=False)
    tune_df, held_df = mqm_halves(df)
    half = {"tune": list(tune_df.index), "heldout": list(held_df.index)}
    rows = row_features(df)
    n_mqm = len(df)
    syn_idx: list[int] = []
    if args.synthetic:
        syn = synthetic_df(args.synthetic, args.syn_pool)
        syn.index = syn.index + n_mqm
        rows = rows + row_features(syn, "synthetic")
        syn_idx = list(syn.index)
        df = pd.concat([df, syn])
        print(f"synthetic pairs: {len(syn) - syn.system.eq('good').sum()} from {syn.system.eq('good').sum()} "
              f"WMT22 lines of the unlabelled runs, weight share {args.syn_share:g}")
    fit_idx = half["tune"] if args.fit_on == "tune" else list(df.index[:n_mqm])
    shipped = {"data": "mqm-zhen-dev.tsv", "data_sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
               "fitted_on": args.fit_on, "split": "benchmarks/_split.py", "model": "pairwise logistic, L2",
               "command": "benchmarks/fit_quality.py --write"
               + (f" --synthetic {args.synthetic} --syn-pool {args.syn_pool} --syn-share {args.syn_share:g}"
                  if args.synthetic else "")}
    results = {}
    dropped = set(filter(None, args.drop.split(",")))
    if dropped and args.write:
        raise SystemExit("--drop is an ablation: the package's feature lists would not match the weights")
    for name, cols in (("ref", REF_FEATURES), ("noref", NOREF_FEATURES)):
        cols = tuple(c for c in cols if c not in dropped)
        ok = [i for i in df.index if rows[i][name] is not None]
        syn_pairs = pairs_of([i for i in syn_idx if rows[i][name] is not None], df)

        def train(tr, lam):
            mqm_pairs = pairs_of(tr, df)
            wts = [1.0] * len(mqm_pairs)
            if syn_pairs:
                wts += [args.syn_share * len(mqm_pairs) / len(syn_pairs)] * len(syn_pairs)
            return fit_pairwise(Z, mqm_pairs + syn_pairs, lam, wts)
        X = np.zeros((len(df), len(cols)))
        for i in ok:
            X[i] = [np.nan if rows[i][name][c] is None else rows[i][name][c] for c in cols]
        # a missing value (coverage without a source) is neutral: the fitting rows' mean
        mean = np.nanmean(X[[i for i in fit_idx if i in set(ok)]], axis=0)
        X = np.where(np.isnan(X), mean, X)
        scale = X[[i for i in fit_idx if i in set(ok)]].std(0)
        scale[scale == 0] = 1.0
        Z = (X - mean) / scale
        okset = set(ok)
        fit_ok = [i for i in fit_idx if i in okset]
        # two folds over the fitting half's documents, for the penalty
        docs = sorted({(df.dataset[i], df.doc_id[i]) for i in fit_ok})
        fold = {d: int(hashlib.sha1(f"{d[0]}/{d[1]}".encode()).hexdigest(), 16) % 2 for d in docs}
        best = None
        for lam in (1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0):
            taus = []
            for f in (0, 1):
                tr = [i for i in fit_ok if fold[(df.dataset[i], df.doc_id[i])] != f]
                te = [i for i in fit_ok if fold[(df.dataset[i], df.doc_id[i])] == f]
                w = train(tr, lam)
                s = [float(Z[i] @ w) if i in okset else None for i in df.index]
                taus.append(grouped_kendall(s, te, df))
            cv = sum(taus) / 2
            if best is None or cv > best[0] + 1e-9:
                best = (cv, lam)
        lam = best[1]
        w = train(fit_ok, lam)
        # only the direction of w ranks; its length sets how spread out quality is: scale it
        # so the linear score has a standard deviation of SPREAD over the fitting rows
        w = w * SPREAD / float(np.std(Z[fit_ok] @ w))
        lin = Z @ w
        clean = [lin[i] for i in fit_ok if df.mqm_score[i] == 0]
        offset = math.log(4.0) - float(np.median(clean))
        model = {"features": list(cols), "weights": {c: round(float(v), 6) for c, v in zip(cols, w)},
                 "mean": {c: round(float(v), 6) for c, v in zip(cols, mean)},
                 "scale": {c: round(float(v), 6) for c, v in zip(cols, scale)},
                 "offset": round(offset, 6), "l2": lam,
                 "cv_kendall": round(best[0], 4)}
        shipped[name] = model
        results[name] = [100 / (1 + math.exp(-(lin[i] + offset))) if i in okset else None for i in df.index[:n_mqm]]
        print(f"{name}: L2 {lam:g} (2-fold Kendall {best[0]:.3f}); weights (per sd): "
              + ", ".join(f"{c} {v:+.3f}" for c, v in model["weights"].items()))
    df = df.iloc[:n_mqm]
    rows = rows[:n_mqm]
    scores = {"quality": results["ref"], "quality (ref:no)": results["noref"],
              "chrF": [r["chrf"] for r in rows], "sentence-BLEU": [r["bleu"] for r in rows],
              "MiniLM": [r["embed"] for r in rows]}
    for hname in ("tune", "heldout"):
        idx = half[hname]
        print(f"{hname} half ({len(idx)} rows):")
        for sname, vals in scores.items():
            acc, npairs = system_accuracy(vals, idx, df)
            print(f"  {sname:17s} item-grouped Kendall {grouped_kendall(vals, idx, df):.3f} | "
                  f"system pairwise accuracy {acc:.3f} ({npairs} pairs) | pooled tau-like {pooled_tau(vals, idx, df):.3f}"
                  f" | wmt23 only: pooled {pooled_tau(vals, idx, df, 'wmt23_sxs_news'):.3f}"
                  f" grouped {grouped_kendall(vals, [i for i in idx if df.dataset[i] == 'wmt23_sxs_news'], df):.3f}")
    if args.write:
        out = ROOT / "mtcheck" / "data" / "quality_weights.json"
        out.write_text(json.dumps(shipped, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
