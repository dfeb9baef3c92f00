"""The Dask engine's scaling: one worker against two, on WMT22 zh-en with fluency.

Run by hand:  .venv/bin/python benchmarks/dask_scaling.py [--systems 2] [--lines 400]
              [--chunk-segments 50] [--workers 1,2] [--local]

Builds a table corpus from the first ``--lines`` segments of the first ``--systems`` WMT22
zh-en systems (with their real document ids, reference A and the source), then runs
``mtcheck score`` on it (fluency on, every metric and check) once per worker count with
``--engine dask --workers N`` (a local cluster of N worker processes, one thread and one
torch thread each: ``lm-threads = 1``), and with ``--local`` also with the local engine
(with the same ``lm-threads = 1``). Each run is a whole command, timed from start to end:
cluster start-up and each worker's model load are part of the cost. Prints the wall times,
the speed-up of each run over the first, and asserts that every run wrote the same bytes.

On one machine the speed-up is bounded by its free cores (every worker is one core), so the
script prints the load average too: with other work running, the figure says little.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _wmt import ROOT, WMT, need, systems

FILES = ("segments", "documents", "findings", "summary", "errors")


def make_table(path: Path, n_systems: int, n_lines: int) -> int:
    def read(name: str) -> list[str]:
        return (need(WMT) / f"generaltest2022.zh-en.{name}").read_text(encoding="utf-8").split("\n")

    ids, ref, src = read("docids"), read("ref.A.en"), read("src.zh")
    rows = 0
    with open(path, "w", encoding="utf-8") as fh:
        for system in systems(n_systems):
            mt = read(f"hyp.{system}.en")
            for i in range(n_lines):
                fh.write(json.dumps({"system": system, "doc_id": ids[i], "seg_id": str(i + 1), "mt": mt[i],
                                     "ref": ref[i], "src": src[i]}, ensure_ascii=False) + "\n")
                rows += 1
    return rows


def run(corpus: Path, out: Path, cfg: Path, engine: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    argv = [sys.executable, "-m", "mtcheck", "score", str(corpus), "-o", str(out), "-q", "-j", "1",
            "--no-config", "--config", str(cfg), *engine]
    t = time.perf_counter()
    subprocess.run(argv, check=True, env=env, cwd=ROOT)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", type=int, default=2)
    ap.add_argument("--lines", type=int, default=400)
    ap.add_argument("--chunk-segments", type=int, default=50)
    ap.add_argument("--workers", default="1,2", help="worker counts to compare, the first is the baseline")
    ap.add_argument("--local", action="store_true", help="also run the local engine (lm-threads = 1)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "wmt22.jsonl"
        n = make_table(corpus, args.systems, args.lines)
        cfg = root / "bench.cfg"
        cfg.write_text(f"[mtcheck]\nchunk-segments = {args.chunk_segments}\nlm-threads = 1\n", encoding="utf-8")
        print(f"WMT22 zh-en, {args.systems} systems x {args.lines} lines = {n} segments, fluency on, "
              f"chunks of {args.chunk_segments} segments, {len(os.sched_getaffinity(0))} cores, "
              f"load average {os.getloadavg()[0]:.1f} at the start")
        runs = [(f"dask, {w} worker{'s' if int(w) > 1 else ''}", ["--engine", "dask", "--workers", w])
                for w in args.workers.split(",")]
        if args.local:
            runs.append(("local engine", []))
        times, reports = [], []
        for k, (label, flags) in enumerate(runs):
            out = root / f"out{k}"
            times.append(run(corpus, out, cfg, flags))
            reports.append({f: (out / f"{f}.csv").read_bytes() for f in FILES})
            print(f"{label:<18} {times[-1]:8.1f} s   speed-up over {runs[0][0]}: {times[0] / times[-1]:.2f}x")
        same = all(r == reports[0] for r in reports)
        print(f"reports identical across runs: {same}")
        print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
        assert same, "the reports differ between runs"


if __name__ == "__main__":
    main()
