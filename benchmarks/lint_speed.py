"""Speed of the whole ``mtcheck lint`` command, start-up included (issue #13).

Run by hand:  .venv/bin/python benchmarks/lint_speed.py [--repeat 3] [--no-bytecode]

Times, as subprocesses and best of ``--repeat`` wall-clock runs:

- ``python -c pass`` (the interpreter's start-up: the baseline) and a plain-regex
  tokenisation of every WMT22 segment in a fresh interpreter (a second baseline);
- ``mtcheck lint corpora/seed`` (one article; target <= 0.3 s wall);
- ``mtcheck lint`` over the 12 WMT22 system outputs as one corpus (one process: lint has
  no ``--jobs``), MT only and with both references and the source (target 40,000 seg/s).

Bytecode is written to a private cache (PYTHONPYCACHEPREFIX in a temporary folder) and
one untimed warm-up run fills it, as for an installed tool; ``--no-bytecode`` times with
PYTHONDONTWRITEBYTECODE=1 instead (every module compiled from source at each start-up).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _wmt import ROOT, make_corpus


def wall(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        r = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        dt = time.perf_counter() - t
        if r.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()[-400:]}")
        best = min(best, dt)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-bytecode", action="store_true", help="PYTHONDONTWRITEBYTECODE=1 (no .pyc cache)")
    ap.add_argument("--skip-refs", action="store_true", help="only the MT-only WMT22 run (faster)")
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("PYTHONPYCACHEPREFIX", None)
        if args.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pyc")
        mt_only = make_corpus(Path(tmp) / "wmt22-mt", refs=())
        full = make_corpus(Path(tmp) / "wmt22", refs=("A", "B"), src=True)
        files = sorted(str(p) for p in (mt_only / "mt").glob("*/wmt22.txt"))
        n = 0
        for f in files:
            n += len(Path(f).read_text(encoding="utf-8").split("\n")[:-1])
        lint = [py, "-m", "mtcheck", "lint", "--no-config", "--exit-zero"]
        tok = [py, "-c", "import re, sys\nw = re.compile(r'\\w+')\nfor f in sys.argv[1:]:\n"
                         "    for line in open(f, encoding='utf-8'):\n        w.findall(line)", *files]
        wall(lint + ["corpora/seed"], env, 1)  # warm-up: fills the bytecode cache
        start = wall([py, "-c", "pass"], env, args.repeat)
        base = wall(tok, env, args.repeat)
        seed = wall(lint + ["corpora/seed"], env, args.repeat)
        mode = "no bytecode cache" if args.no_bytecode else "bytecode cached"
        print(f"{n} WMT22 segments (12 systems); {mode}; best of {args.repeat}")
        print(f"python -c pass                 {start:6.3f} s (start-up baseline)")
        print(f"plain regex tokenisation       {base:6.3f} s, {n / base:9,.0f} seg/s (baseline, start-up included)")
        print(f"lint corpora/seed (1 article)  {seed:6.3f} s  (target <= 0.3 s; {seed / start:.1f}x python start-up)")
        runs = [("MT only", mt_only)] + ([] if args.skip_refs else [("refs A+B and source", full)])
        for label, corpus in runs:
            t = wall(lint + [str(corpus)], env, args.repeat)
            print(f"lint WMT22, {label:20s} {t:6.2f} s, {n / t:9,.0f} seg/s (target >= 40,000; "
                  f"{t / base:.1f}x the plain tokenisation run)")


if __name__ == "__main__":
    main()
