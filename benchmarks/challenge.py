"""The challenge set: recall per defect kind on clean human translations with injected defects.

Run by hand:  PYTHONPATH=$PWD .venv/bin/python benchmarks/challenge.py [--seed 1] [--per-kind 50]
              [--kinds K,K] [--select CODES] [--modes mt,src] [--show N] [--json FILE]

Takes the WMT22 zh-en human references A and B (../shared/data/wmt22-zhen/) as clean "MT",
grouped into documents by the ``.docids`` file, with the Chinese source line-aligned, and makes one
defective copy of a document per injected defect (``benchmarks/_challenge.py``, written without
looking at mtcheck's checks). The checks run through mtcheck's public functions (``Corpus``
records, ``mtcheck.checks.build`` and ``run_checks``), once on the MT alone (``mt``) and once with
the source (``src``); kinds whose checks need the source are scored only with it. Prints:

- per kind: instances, recall (an expected check's finding overlaps the injected span) on the MT
  alone and with the source, and the new findings on the defective copies (not present on the clean
  original) with how many of them lie on the injected span;
- precision: new findings on an injected span over all new findings;
- the untouched clean documents: findings per 50 segments, by severity and by code.

Targets (issue 10): recall >= 0.9 for every kind; at most one error-severity finding per 50
untouched segments.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _challenge as C  # noqa: E402
from _wmt import need  # noqa: E402


def _rate(h: int, n: int) -> str:
    return f"{h / n:.2f}" if n else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-kind", type=int, default=50)
    ap.add_argument("--kinds", default="", help="comma-separated kinds (default: all; see --list)")
    ap.add_argument("--select", default="", help="check codes or prefixes to run (default: every check without a model)")
    ap.add_argument("--modes", default="mt,src", help="comma-separated: mt (MT alone), src (with the Chinese "
                    "source), ref (with the other human reference), src+ref (default mt,src)")
    ap.add_argument("--show", type=int, default=0, help="print N misses per kind and N false alarms per kind")
    ap.add_argument("--json", default="", help="write figures and instances to FILE")
    ap.add_argument("--list", action="store_true", help="list the kinds and exit")
    args = ap.parse_args(argv)

    if args.list:
        for k in C.KINDS.values():
            print(f"{k.name:22s} {','.join(sorted(k.expect)):18s} {'|'.join(sorted(k.needs)) or '-':7s} {k.what}")
        return 0
    kinds = [k for k in args.kinds.split(",") if k] or list(C.KINDS)
    unknown = [k for k in kinds if k not in C.KINDS]
    if unknown:
        ap.error(f"unknown kind {unknown[0]!r}; --list shows them")
    select = [s for s in args.select.split(",") if s]
    modes = [m for m in args.modes.split(",") if m]
    if any(m not in ("mt", "src", "ref", "src+ref") for m in modes):
        ap.error("--modes takes mt, src, ref, src+ref, comma-separated")

    need(C.WMT)
    t0 = time.perf_counter()
    docs = C.load_docs()
    insts = C.inject(docs, seed=args.seed, per_kind=args.per_kind, kinds=kinds)
    bad = [b for x in insts for b in C.check_spans(x)]
    if bad:
        print("bad spans:", *bad[:10], sep="\n  ")
        return 1
    t1 = time.perf_counter()
    scores = {m: C.score(docs, insts, m, select) for m in modes}
    t2 = time.perf_counter()
    import mtcheck.checks as mc

    checks = [c.code for c in mc.build(select=select, available=("src", "ref"))]
    print(f"{len(docs)} clean documents ({sum(len(d.lines) for d in docs)} segments), {len(insts)} defective copies, "
          f"seed {args.seed}; checks {','.join(checks)}; injected in {t1 - t0:.0f} s, checked in {t2 - t1:.0f} s")
    head = f"{'kind':22s} {'n':>4s} {'forms':>5s} {'expect':18s}" + "".join(f" {'rec ' + m:>8s}" for m in modes) \
        + "".join(f" {'new ' + m:>8s} {'onspan':>6s}" for m in modes)
    print(head)
    print("-" * len(head))
    per_kind: dict[str, dict] = {}
    for k in kinds:
        xs = [x for x in insts if x.kind == k]
        row = {"instances": len(xs), "forms": dict(Counter(x.form for x in xs)), "expect": sorted(C.KINDS[k].expect)}
        line = f"{k:22s} {len(xs):4d} {len(row['forms']):5d} {','.join(sorted(C.KINDS[k].expect)):18s}"
        for m in modes:
            sc = scores[m]
            n = sc.total.get(k, 0)
            row[f"recall_{m}"] = sc.hits.get(k, 0) / n if n else None
            line += f" {_rate(sc.hits.get(k, 0), n):>8s}"
        for m in modes:
            sc = scores[m]
            row[f"new_{m}"], row[f"on_span_{m}"] = sc.new.get(k, 0), sc.good.get(k, 0)
            line += f" {sc.new.get(k, 0):8d} {sc.good.get(k, 0):6d}"
        per_kind[k] = row
        print(line)
    summary: dict[str, dict] = {}
    for m in modes:
        sc = scores[m]
        new, good = sum(sc.new.values()), sum(sc.good.values())
        hits, total = sum(sc.hits.values()), sum(sc.total.values())
        per50 = {sev: 50 * sc.clean_by_sev.get(sev, 0) / sc.clean_segments for sev in ("error", "warning", "info")}
        below = sum(1 for k in kinds if sc.total.get(k) and sc.hits.get(k, 0) / sc.total[k] < 0.9)
        summary[m] = {"recall": hits / total if total else None, "precision": good / new if new else None,
                      "new_findings": new, "on_span": good, "clean_segments": sc.clean_segments,
                      "clean_per_50_segments": per50, "clean_by_code": dict(sorted(sc.clean_by_code.items())),
                      "kinds_below_0.9": below}
        label = {"mt": "MT alone", "src": "with source", "ref": "with reference"}.get(m, "with source and reference")
        print(f"\n[{label}] recall {_rate(hits, total)} ({hits}/{total}); precision {_rate(good, new)} "
              f"({good}/{new} new findings on an injected span); {below} kinds below recall 0.9")
        print(f"[{label}] untouched: {sc.clean_segments} segments, per 50 segments: "
              + ", ".join(f"{sev} {v:.2f}" for sev, v in per50.items())
              + " (target: error <= 1)")
        print(f"[{label}] untouched by code: "
              + ", ".join(f"{c} {n}" for c, n in sorted(sc.clean_by_code.items())))
    if args.show:
        for m in modes:
            sc = scores[m]
            print(f"\n== misses, {m}")
            for k in kinds:
                for x, fs in [(x, fs) for x, fs in sc.misses if x.kind == k][:args.show]:
                    i, a, b = x.spans[0]
                    ctx = x.lines[i][max(0, a - 30):b + 30]
                    near = [f"{f.code}:{f.text!r}" for f in fs if f.line - 1 == i][:3]
                    print(f"  {k} [{x.form}] {x.doc}: {x.note!r} ... {ctx!r} {'; '.join(near)}")
            print(f"\n== new findings off the injected span (false alarms), {m}")
            for k in kinds:
                for x, f in [(x, f) for x, f in sc.false if x.kind == k][:args.show]:
                    print(f"  {k} {x.doc}: {f.code} {f.text!r} -> {f.suggestion!r}  ({f.message[:70]})")
            print(f"\n== findings on untouched documents, {m}")
            shown: Counter[str] = Counter()
            for f in sc.clean_findings:
                if shown[f.code] < args.show:
                    shown[f.code] += 1
                    print(f"  {f.code} [{f.severity}] {f.doc_id}:{f.line} {f.text!r} -> {f.suggestion!r}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "seed": args.seed, "per_kind": args.per_kind, "checks": checks, "kinds": per_kind, "summary": summary,
            "instances": [x.to_dict() for x in insts]}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
