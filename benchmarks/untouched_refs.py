"""False alarms on clean text: the checks run over the WMT22 zh-en human references as if MT.

Run by hand:  .venv/bin/python benchmarks/untouched_refs.py [--select MT1,MT3,MT4] [--show N] [--src]

References A and B (human translations, nearly every finding on them is a false alarm) are
grouped into documents by ``generaltest2022.zh-en.docids`` and checked as two systems, with
no reference (and, with ``--src``, with the Chinese source). Prints findings per check and
per severity, and error-severity findings per 50 segments (target: at most one). ``--show N``
prints N findings of each check, drawn reproducibly at random.
"""
from __future__ import annotations

import argparse
import csv
import random
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from _wmt import WMT, need


def write_table(path: Path, with_src: bool) -> None:
    ids = need(WMT / "generaltest2022.zh-en.docids").read_text(encoding="utf-8").split("\n")[:-1]
    src = (WMT / "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8").split("\n")[:-1]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["system", "doc_id", "seg_id", "mt"] + (["src"] if with_src else []))
        for name in ("A", "B"):
            lines = (WMT / f"generaltest2022.zh-en.ref.{name}.en").read_text(encoding="utf-8").split("\n")[:-1]
            for k, (doc, text) in enumerate(zip(ids, lines), 1):
                w.writerow([f"ref{name}", doc, str(k), text] + ([src[k - 1]] if with_src else []))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--select", default="", help="check codes or prefixes (default: every check without a model)")
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--src", action="store_true", help="give the checks the Chinese source too")
    args = ap.parse_args()

    from mtcheck.checks import build, run_checks
    from mtcheck.readers import read_corpus

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "wmt22_refs.tsv"
        write_table(path, args.src)
        corpus = read_corpus(path)
    select = [s for s in args.select.split(",") if s]
    checks = build(select=select, available=("src",) if args.src else ())
    found = run_checks(corpus, checks)
    n = corpus.n_segments
    per_code: Counter[str] = Counter(f.code for f in found)
    per_sev: Counter[str] = Counter(str(f.severity) for f in found)
    print(f"{n} segments in {len(corpus.documents)} documents (references A and B); "
          f"{len(found)} findings")
    for code in sorted(per_code):
        print(f"  {code}: {per_code[code]}")
    errors = sum(1 for f in found if str(f.severity) == "error")
    print(f"by severity: {dict(sorted(per_sev.items()))}; error findings per 50 segments: "
          f"{50 * errors / n:.2f} (target <= 1)")
    if args.show:
        segs = {(d.system, s.seg_id): s for d in corpus.documents for s in d}
        by_code = defaultdict(list)
        for f in found:
            by_code[f.code].append(f)
        rng = random.Random(args.seed)
        for code in sorted(by_code):
            fs = by_code[code]
            for f in rng.sample(fs, min(args.show, len(fs))):
                s = segs[(f.system, f.seg_id)]
                a, b = max(0, f.start - 50), min(len(s.mt), f.end + 50)
                print(f"{code} {f.system}:{f.seg_id} {f.message[:110]} -> {f.suggestion!r}\n"
                      f"    ...{s.mt[a:f.start]}[[{s.mt[f.start:f.end]}]]{s.mt[f.end:b]}...")


if __name__ == "__main__":
    main()
