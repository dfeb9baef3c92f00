"""Peak memory of `mtcheck score` on a 200,000-segment corpus, without fluency.

Run by hand:  .venv/bin/python benchmarks/memory_200k.py [--copies 9] [--metrics bleu,chrf]

Builds a corpus from the WMT22 zh-en files (12 systems x 1,875 segments, ``--copies``
documents per system, each a copy of the system file: 9 copies = 202,500 segments, with
reference A), then measures in separate processes, in one run:
- the baseline: reading the same texts into Python lists and computing sacrebleu's corpus
  scores for the same metrics;
- `mtcheck score CORPUS --no-fluency --metrics ...` (all checks, all reports).
Prints each peak resident set size (the largest of the process and its workers) and the
ratio. Target: mtcheck under 1.5 GB. TER is left out by default only because sacrebleu's
TER over 200,000 long segments takes hours; it adds two numbers per segment.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _wmt import WMT, systems

ROOT = Path(__file__).resolve().parents[1]
BASELINE = """
import sys
from sacrebleu.metrics import BLEU, CHRF, TER
folder, metrics = sys.argv[1], sys.argv[2].split(",")
import pathlib
root = pathlib.Path(folder)
ref = (root / "ref" / "wmt22-0.txt").read_text(encoding="utf-8").split("\\n")[:-1]
hyps, refs = [], []
for sysdir in sorted((root / "mt").iterdir()):
    for f in sorted(sysdir.iterdir()):
        hyps.extend(f.read_text(encoding="utf-8").split("\\n")[:-1])
        refs.extend(ref)
for m in metrics:
    {"bleu": BLEU, "chrf": CHRF, "ter": TER}[m]().corpus_score(hyps, [refs])
"""


def measure(cmd: list[str]) -> tuple[float, float, int]:
    code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *cmd], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    peak_kb, rc = out.stdout.split()
    return int(peak_kb) / 1024, wall, int(rc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=9)
    ap.add_argument("--metrics", default="bleu,chrf")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "wmt22x"
        names = systems()
        for s in names:
            (root / "mt" / s).mkdir(parents=True)
            for k in range(args.copies):
                (root / "mt" / s / f"wmt22-{k}.txt").symlink_to(WMT / f"generaltest2022.zh-en.hyp.{s}.en")
        (root / "ref").mkdir()
        for k in range(args.copies):
            (root / "ref" / f"wmt22-{k}.txt").symlink_to(WMT / "generaltest2022.zh-en.ref.A.en")
        n = len(names) * args.copies * 1875
        print(f"{n:,} segments ({len(names)} systems x {args.copies} documents x 1,875), metrics {args.metrics}")
        base_mb, base_s, _ = measure([sys.executable, "-c", BASELINE, str(root), args.metrics])
        print(f"baseline (texts in lists + sacrebleu corpus_score): peak {base_mb:,.0f} MB, {base_s:.0f} s")
        ours_mb, ours_s, rc = measure([sys.executable, "-m", "mtcheck", "score", str(root), "-o",
                                       str(Path(tmp) / "out"), "--no-fluency", "--metrics", args.metrics,
                                       "-q", "--no-config"])
        print(f"mtcheck score (all checks, all reports, exit {rc}): peak {ours_mb:,.0f} MB, {ours_s:.0f} s "
              f"| ratio {ours_mb / base_mb:.2f} to the baseline | target < 1,536 MB")


if __name__ == "__main__":
    main()
