"""Speed of the checks on the WMT22 zh-en set (12 systems, each system file one document).

Run by hand:  .venv/bin/python benchmarks/checks_speed.py [--select MT10] [--repeat 3]

Prints segments per second for the selected checks (default: every check that needs no
model), with and without references, in one process and with ``--jobs`` worker processes
(documents are checked in parallel), best of ``--repeat`` runs, each check alone (caches
cleared before every run, so a check pays for the analysis it shares) and all together, next to the time it takes
just to tokenise every segment with a plain regex (a baseline measured in the same run).
Target: 10,000 segments per second or more.
"""
from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from _wmt import make_corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--select", default="", help="check codes or prefixes (default: all)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-per-check", action="store_true", help="only the all-checks figures")
    ap.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores; 1 = in-process)")
    args = ap.parse_args()

    from mtcheck import names, numbers, syntax
    from mtcheck.checks import build, run_checks
    from mtcheck.metrics import default_jobs
    from mtcheck.readers import read_corpus

    select = [s for s in args.select.split(",") if s]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = read_corpus(make_corpus(Path(tmp) / "wmt22", src=True))
    n = corpus.n_segments
    word = re.compile(r"\w+")
    t = time.perf_counter()
    for d in corpus.documents:
        for s in d:
            word.findall(s.mt)
    base = time.perf_counter() - t
    print(f"{n} segments in {len(corpus.documents)} documents; plain regex tokenisation {n / base:,.0f} seg/s")

    def cold() -> None:
        """Forget every cache, so that each timed run starts from nothing."""
        if hasattr(names, "clear_caches"):
            names.clear_caches()
        else:  # the code before clear_caches (to time a baseline checkout with this script)
            names._DOC_CACHE.clear()
            names._names_in.cache_clear()
            names.default_matcher()._cache.clear()
        numbers.english_numbers.cache_clear()
        numbers.chinese_numbers.cache_clear()
        getattr(syntax, "_VERDICTS", {}).clear()

    def timed(checks, jobs: int) -> tuple[float, int]:
        best, found = float("inf"), []
        for _ in range(args.repeat):
            cold()
            t = time.perf_counter()
            found = run_checks(corpus, checks, jobs=jobs)
            best = min(best, time.perf_counter() - t)
        return best, len(found)

    jobs_list = [1, args.jobs or default_jobs()] if (args.jobs or default_jobs()) > 1 else [1]
    for (label, available), jobs in [(a, j) for a in (("no references", ()), ("with references and source",
                                                                                ("ref", "src"))) for j in jobs_list]:
        checks = build(select=select, available=available)
        if jobs == 1 and not args.no_per_check:
            for check in checks:  # each check alone, from cold caches (what it costs when it runs first)
                best, k = timed([check], 1)
                print(f"  {label:28s} {check.code}: {k} findings, {best:.2f} s, {n / best:,.0f} seg/s")
        best, k = timed(checks, jobs)
        codes = ",".join(c.code for c in checks)
        print(f"{label:28s} jobs {jobs} {codes}: {k} findings, {best:.2f} s, {n / best:,.0f} seg/s "
              f"(target >= 10,000; {best / base:.1f}x the plain tokenisation)")

if __name__ == "__main__":
    main()
