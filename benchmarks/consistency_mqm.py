"""Consistency checks (MT10x) against human MQM annotations of WMT23 zh-en news.

Run by hand:  .venv/bin/python benchmarks/consistency_mqm.py [--half tune|heldout|all] [--select CODES] [--show N]

Reads the ``wmt23_sxs_news`` rows of ../shared/data/mqm-zhen-dev.tsv, runs the MT10x
checks document by document (one document per system and doc_id) and prints
- recall: the share of annotated inconsistency spans (``Fluency/Inconsistency``,
  ``Terminology/Inconsistent use of terminology``, target side) that an MT10x finding
  overlaps;
- precision: the share of MT10x findings that overlap an annotated error span of any
  category;
three times: on the MT alone (what a newsroom without references gets), with the
reference deciding which form of a name is right (MT101-MT104), and with MT105 added.
``--half`` picks the half of the file (``benchmarks/_split.py``, split by document; default
``heldout``): tune on ``tune``, report ``heldout``. With ``--select`` naming checks that read the
source (MT107, MT108) or MT109, a fourth line runs the selected checks with the source given.
Target: recall 0.6 at precision 0.5 on the held-out half.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from _split import pick
from _wmt import DATA, need

INCONSISTENCY = ("Fluency/Inconsistency", "Terminology/Inconsistent use of terminology")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=0, help="print N findings and N missed spans")
    ap.add_argument("--half", default="heldout", help="tune, heldout (default) or all: which half of the file")
    ap.add_argument("--select", default="MT10", help="check codes or prefixes (default MT10: MT101-MT109)")
    args = ap.parse_args()
    select = [s for s in args.select.split(",") if s]

    import pandas as pd

    from mtcheck.checks import build, run_checks
    from mtcheck.readers import read_corpus

    path = need(DATA / "mqm-zhen-dev.tsv")
    df = pd.read_csv(path, sep="\t", keep_default_na=False)
    df = df[df.dataset == "wmt23_sxs_news"]
    df = pick(df, args.half)
    print(f"half: {args.half} ({df.doc_id.nunique()} source documents)")
    spans_all: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    targets: set[tuple[str, str, int, int]] = set()
    text_of: dict[tuple[str, str, int, int], str] = {}
    for _, r in df.iterrows():
        for e in json.loads(r.error_spans or "[]"):
            if e.get("side") != "target":
                continue
            key = (r.system, str(r.seg_id))
            spans_all[key].append((e["start"], e["end"], e["category"]))
            if e["category"] in INCONSISTENCY:
                targets.add((r.system, str(r.seg_id), e["start"], e["end"]))
                text_of[(r.system, str(r.seg_id), e["start"], e["end"])] = e["text"]

    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp) / "wmt23_sxs_news.tsv"
        df[["system", "doc_id", "seg_id", "hypothesis", "reference", "source"]].to_csv(sub, sep="\t", index=False)
        corpus = read_corpus(sub)
        bare = Path(tmp) / "wmt23_sxs_news_mt_only.tsv"
        df[["system", "doc_id", "seg_id", "hypothesis"]].to_csv(bare, sep="\t", index=False)
        corpus_mt = read_corpus(bare)
        with_src = Path(tmp) / "wmt23_sxs_news_mt_src.tsv"
        df[["system", "doc_id", "seg_id", "hypothesis", "source"]].to_csv(with_src, sep="\t", index=False)
        corpus_src = read_corpus(with_src)
    cols = {(d.system, s.seg_id): s.col for d in corpus.documents for s in d}
    print(f"{len(corpus.documents)} documents, {corpus.n_segments} segments, "
          f"{len(targets)} annotated inconsistency spans")

    runs = [("MT only, no reference (MT101-MT104)", corpus_mt, set()),
            ("reference decides the form (MT101-MT104)", corpus, set()),
            ("with references (MT101-MT105)", corpus, {"ref"})]
    extra = [c for c in build(select=select, available={"ref", "src"}) if c.code in ("MT107", "MT108", "MT109")]
    if extra:
        runs.append((f"MT and source, no reference ({','.join(c.code for c in extra)} and the rest selected)",
                     corpus_src, {"src"}))
    for label, corpus, available in runs:
        checks = build(select=select, available=available)
        findings = run_checks(corpus, checks)
        hit_targets = set()
        good = 0
        per_code: Counter[str] = Counter()
        per_code_good: Counter[str] = Counter()
        for f in findings:
            off = cols[(f.system, f.seg_id)]
            a, b = f.start + off, max(f.end + off, f.start + off + 1)
            key = (f.system, f.seg_id)
            overl = any(s < b and a < e for s, e, _ in spans_all.get(key, []))
            per_code[f.code] += 1
            if overl:
                good += 1
                per_code_good[f.code] += 1
            for t in targets:
                if t[0] == f.system and t[1] == f.seg_id and t[2] < b and a < t[3]:
                    hit_targets.add(t)
        prec = good / len(findings) if findings else float("nan")
        rec = len(hit_targets) / len(targets)
        print(f"{label}: {len(findings)} findings, precision {prec:.3f}, recall {rec:.3f} "
              f"({len(hit_targets)}/{len(targets)})")
        for code in sorted(per_code):
            print(f"  {code}: {per_code[code]} findings, {per_code_good[code]} on annotated errors")
        if args.show:
            for f in findings[:args.show]:
                print(f"    {f.system} {f.doc_id[:28]} {f.seg_id} {f.code} {f.text!r} -> {f.suggestion!r}")
            missed = sorted(targets - hit_targets)[:args.show]
            for t in missed:
                print(f"    missed {t[0]} {t[1]} {text_of[t]!r}")


if __name__ == "__main__":
    main()
