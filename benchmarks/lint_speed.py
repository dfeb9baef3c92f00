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
The warm-up also fills mtcheck's own start-up caches in its cache folder (compiled regular
expressions, ``mtcheck/_recache.py``; wordfreq's list as a table, ``mtcheck/_wordlist.py``),
as any earlier run would; ``--no-re-cache`` times with MTCHECK_NO_RE_CACHE=1.

``--against DIR`` times the same commands with another checkout's mtcheck (DIR, e.g. an
extracted ``git archive`` of main) in the same run, alternating the two runs of each
command, and prints the speed-up: on a shared machine only such a same-run ratio is a fair
before/after figure.
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


def _once(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t
    if r.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()[-400:]}")
    return dt


def wall(cmd: list[str], env: dict[str, str], repeat: int, other: tuple[dict[str, str], Path] | None = None
         ) -> tuple[float, float | None]:
    """Best wall time of ``cmd`` here (and, alternating, with the ``other`` checkout)."""
    best, best_other = float("inf"), float("inf")
    for _ in range(repeat):
        best = min(best, _once(cmd, env, ROOT))
        if other is not None:
            best_other = min(best_other, _once(cmd, other[0], other[1]))
    return best, (best_other if other is not None else None)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-bytecode", action="store_true", help="PYTHONDONTWRITEBYTECODE=1 (no .pyc cache)")
    ap.add_argument("--against", metavar="DIR", help="another checkout to time in the same run (the baseline)")
    ap.add_argument("--skip-refs", action="store_true", help="only the MT-only WMT22 run (faster)")
    ap.add_argument("--no-re-cache", action="store_true", help="MTCHECK_NO_RE_CACHE=1 (regexes compiled at each start)")
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("PYTHONPYCACHEPREFIX", None)
        if args.no_re_cache:
            env["MTCHECK_NO_RE_CACHE"] = "1"
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
        other = None
        if args.against:
            base_root = Path(args.against).resolve()
            other_env = {**env, "PYTHONPATH": str(base_root)}
            if not args.no_bytecode:
                other_env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pyc-against")
            other = (other_env, base_root)
            _once(lint + [str(ROOT / "corpora" / "seed")], other_env, base_root)
        seed_path = str(ROOT / "corpora" / "seed")
        wall(lint + [seed_path], env, 1)  # warm-up: fills the bytecode cache
        start, _ = wall([py, "-c", "pass"], env, args.repeat)
        base, _ = wall(tok, env, args.repeat)
        mode = "no bytecode cache" if args.no_bytecode else "bytecode cached"
        print(f"{n} WMT22 segments (12 systems); {mode}; best of {args.repeat}")
        print(f"python -c pass                 {start:6.3f} s (start-up baseline)")
        print(f"plain regex tokenisation       {base:6.3f} s, {n / base:9,.0f} seg/s (baseline, start-up included)")

        def vs(t: float, t_other: float | None) -> str:
            return "" if t_other is None else f"; --against: {t_other:.3f} s, {t_other / t:.2f}x faster now"

        seed, seed_other = wall(lint + [seed_path], env, args.repeat, other)
        print(f"lint corpora/seed (1 article)  {seed:6.3f} s  (target <= 0.3 s; {seed / start:.1f}x python start-up"
              f"{vs(seed, seed_other)})")
        runs = [("MT only", mt_only)] + ([] if args.skip_refs else [("refs A+B and source", full)])
        for label, corpus in runs:
            t, t_other = wall(lint + [str(corpus)], env, args.repeat, other)
            print(f"lint WMT22, {label:20s} {t:6.2f} s, {n / t:9,.0f} seg/s (target >= 40,000; "
                  f"{t / base:.1f}x the plain tokenisation run{vs(t, t_other)})")

if __name__ == "__main__":
    main()
