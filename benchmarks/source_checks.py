"""The source checks (MT107, MT108, MT101 with the source) on untouched human translations.

Run by hand:  .venv/bin/python benchmarks/source_checks.py [--show N] [--select MT107,MT108]

Treats the two WMT22 zh-en human references (A and B) as translations, grouped into
documents by the ``.docids`` file, with the Chinese source, and prints the findings per 50
segments by check and severity (good human translations: the fewer the better; target at
most one error-severity finding per 50 segments), then the speed of the selected checks over
the 12 MT systems with the source: the one-off load of jieba and CC-CEDICT, then segments
per second once loaded, next to a plain regex tokenisation measured in the same run.
"""
from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from _wmt import WMT, need, systems


def _table(folder: Path, streams: dict[str, list[str]], src: list[str], docids: list[str]) -> Path:
    import csv

    path = folder / "t.tsv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(["system", "doc_id", "seg_id", "mt", "src"])
        for name, lines in streams.items():
            for k, (mt, s, d) in enumerate(zip(lines, src, docids)):
                w.writerow([name, d, str(k + 1), mt, s])
    return path


def _read(name: str) -> list[str]:
    return (need(WMT / name)).read_text(encoding="utf-8").split("\n")[:-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--select", default="MT101,MT107,MT108")
    ap.add_argument("--show", type=int, default=0, help="print N findings of each check")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()

    from mtcheck.checks import build, run_checks
    from mtcheck.readers import read_corpus

    select = [s for s in args.select.split(",") if s]
    src = _read("generaltest2022.zh-en.src.zh")
    docids = _read("generaltest2022.zh-en.docids")
    refs = {f"ref{k}": _read(f"generaltest2022.zh-en.ref.{k}.en") for k in ("A", "B")}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = read_corpus(_table(Path(tmp), refs, src, docids))
        mt_corpus = read_corpus(_table(Path(tmp), {s: _read(f"generaltest2022.zh-en.hyp.{s}.en")
                                                   for s in systems()}, src, docids))
    t = time.perf_counter()
    checks = build(select=select, available=("src",))
    found = run_checks(corpus, checks)
    load_and_run = time.perf_counter() - t
    n = corpus.n_segments
    print(f"untouched human references A and B: {len(corpus.documents)} documents, {n} segments, "
          f"checks {','.join(c.code for c in checks)} ({load_and_run:.1f} s with the one-off load)")
    by = Counter((f.code, str(f.severity)) for f in found)
    for (code, sev), k in sorted(by.items()):
        print(f"  {code} {sev:8s} {k:4d} findings, {50 * k / n:.2f} per 50 segments")
    errors = sum(k for (_, sev), k in by.items() if sev == "error")
    print(f"  error-severity findings: {50 * errors / n:.2f} per 50 segments (target <= 1)")
    if args.show:
        shown: Counter[str] = Counter()
        for f in found:
            if shown[f.code] < args.show:
                shown[f.code] += 1
                print(f"    {f.code} {f.system} {f.doc_id[:30]} {f.seg_id} {f.text!r} -> {f.suggestion!r}: {f.message}")
    if args.no_speed:
        return
    word = re.compile(r"\w+")
    t = time.perf_counter()
    for d in mt_corpus.documents:
        for s in d:
            word.findall(s.mt)
    base = time.perf_counter() - t
    m = mt_corpus.n_segments
    for code in select:
        one = build(select=[code], available=("src",))
        run_checks(mt_corpus, one)  # warm: the source analyses are cached now
        from mtcheck import names
        from mtcheck.checks import source

        names._DOC_CACHE.clear()  # what belongs to the English side is computed afresh
        names._names_in.cache_clear()
        source._windows.cache_clear()
        t = time.perf_counter()
        got = run_checks(mt_corpus, one)
        took = time.perf_counter() - t
        print(f"{code} on {m} MT segments (12 systems, source analysed once): {len(got)} findings, "
              f"{m / took:,.0f} seg/s ({took / base:.1f}x a plain regex tokenisation)")


if __name__ == "__main__":
    main()
