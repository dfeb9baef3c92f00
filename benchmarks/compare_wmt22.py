"""`mtcheck compare` on WMT22 zh-en: the printed table, and its p-values against sacrebleu's own.

Run by hand:  .venv/bin/python benchmarks/compare_wmt22.py [--systems A,B,C] [--baseline S]
                  [--metrics bleu,chrf] [--by segment|document] [--fluency]

Writes the chosen systems (default JDExploreAcademy, Online-A, LanguageX; the full 1,875
segments, reference A, the recovered document ids) as a table corpus in a temporary folder,
runs ``mtcheck compare`` on it (``--no-fluency`` unless ``--fluency``) and prints its table;
then runs sacrebleu's ``PairedTest`` (paired bootstrap, 1,000 resamples, seed 12345, exactly
``sacrebleu --paired-bs``) on the same hypotheses with the first system in the table as the
baseline (the segments in the corpus's document order), and prints both p-values and intervals side by side (``--by segment`` only): they
must be equal. Also prints the seconds each took, measured in this run.
"""
from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _wmt import ROOT, WMT, lines, need, ref_lines


def write_table(path: Path, systems: list[str]) -> None:
    docs = need(WMT / "generaltest2022.zh-en.docids").read_text(encoding="utf-8").split("\n")[:-1]
    ref = ref_lines("A")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["system", "doc_id", "seg_id", "mt", "ref"])
        for s in systems:
            for i, (doc, hyp, r) in enumerate(zip(docs, lines(s), ref)):
                w.writerow([s, doc, i + 1, hyp, r])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", default="JDExploreAcademy,Online-A,LanguageX")
    ap.add_argument("--baseline", default=None)
    ap.add_argument("--metrics", default="bleu,chrf")
    ap.add_argument("--by", default="segment", choices=("segment", "document"))
    ap.add_argument("--fluency", action="store_true")
    args = ap.parse_args()
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]

    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "wmt22.tsv"
        write_table(table, systems)
        corpus = __import__("mtcheck").read_corpus(table)
        cmd = [sys.executable, "-m", "mtcheck", "compare", str(table), "--no-config", "--metrics", args.metrics,
               "--by", args.by, "--out", str(Path(tmp) / "out"), "--fluency" if args.fluency else "--no-fluency"]
        if args.baseline:
            cmd += ["--baseline", args.baseline]
        t0 = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT,
                             env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
        t_mtcheck = time.perf_counter() - t0
        sys.stdout.write(run.stdout.replace(str(Path(tmp) / "out"), "<out>"))
        if run.returncode:
            sys.exit(run.stderr)
        with open(Path(tmp) / "out" / "compare.csv", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    print(f"\nmtcheck compare: {t_mtcheck:.1f} s (the whole job: reading, checks, metrics, tests)")
    if args.by != "segment":
        return

    from sacrebleu.metrics import BLEU, CHRF, TER
    from sacrebleu.significance import PairedTest


    wanted = [m for m in ("bleu", "chrf", "ter") if m in args.metrics.split(",")]
    table_order = [line.split()[0] for line in run.stdout.splitlines()[2:2 + len(systems)]]
    baseline = args.baseline or table_order[0]
    order = [baseline] + [s for s in table_order if s != baseline]
    metrics = {m: {"bleu": BLEU, "chrf": CHRF, "ter": TER}[m]() for m in wanted}
    t0 = time.perf_counter()
    # the segments in the corpus's order (a document id that recurs further down the file gathers its
    # lines into one document), so that the resampled segments are the same ones
    hyps = {s: [seg.mt for d in corpus.by_system(s) for seg in d] for s in order}
    refs = [[seg.refs[0] for d in corpus.by_system(order[0]) for seg in d]]
    _, scores = PairedTest([(s, hyps[s]) for s in order], metrics, references=refs,
                           test_type="bs", n_samples=1000)()
    t_sacrebleu = time.perf_counter() - t0
    print(f"sacrebleu PairedTest (statistics and test only): {t_sacrebleu:.1f} s\n")
    names = {"bleu": "BLEU", "chrf": "chrF2", "ter": "TER"}
    print(f"{'system':<18} {'metric':<6} {'p mtcheck':>9} {'p sacrebleu':>11}  {'CI mtcheck':>17}  {'CI sacrebleu':>17}")
    same = True
    for k, s in enumerate(order[1:], start=1):
        for m in wanted:
            r = next(r for r in rows if r["system"] == s and r["baseline"] == baseline and r["metric"] == m)
            want = scores[names[m]][k]
            lo, hi = want.mean - want.ci, want.mean + want.ci
            same &= (r["p_value"], r["ci_low"], r["ci_high"]) == (f"{want.p_value:.4f}", f"{lo:.4f}", f"{hi:.4f}")
            print(f"{s:<18} {m:<6} {r['p_value']:>9} {want.p_value:>11.4f}  "
                  f"{r['ci_low']:>8} {r['ci_high']:>8}  {lo:>8.4f} {hi:>8.4f}")
    print("\nequal to sacrebleu (4 decimals):", "yes" if same else "NO")


if __name__ == "__main__":
    main()
