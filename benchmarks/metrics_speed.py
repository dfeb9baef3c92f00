"""Metric speed on the WMT22 zh-en set: mtcheck's full report against sacrebleu's corpus_score.

Run by hand:  .venv/bin/python benchmarks/metrics_speed.py [--systems N] [--skip-ter] [--jobs N]
              [--save DIR] [--against DIR]

Prints, measured in this one run (the machine is noisy, so only ratios mean much):
- sacrebleu ``corpus_score`` for BLEU and chrF over every system (the baseline), and
  mtcheck's whole ``score`` job for BLEU and chrF (reading, segment, document and
  system scores, CSV reports; no fluency), twice: the default report (every check run)
  and the metrics report (``ignore = MT``: no check), each with its time broken down by
  stage; target ratio <= 0.5 with two cores for the metrics report;
- with ``--save DIR`` the reports' files are copied to DIR; with ``--against DIR`` they are
  compared byte for byte with those saved there (before/after a change);
- sacrebleu single-process corpus TER, and mtcheck's TER statistics over ``--jobs``
  worker processes, compiled (mtcheck/ter.py): target ratio <= 0.1.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from _wmt import lines, make_corpus, ref_lines, systems


class Stages:
    """Inclusive wall time of instrumented functions, in this process only (not in forked
    workers), outermost call only."""

    def __init__(self) -> None:
        self.t: dict[str, float] = {}
        self._depth: dict[str, int] = {}
        self._pid = os.getpid()

    def wrap(self, owner, attr: str, key: str) -> None:
        fn = getattr(owner, attr)
        self._undo.append((owner, attr, fn))

        def timed(*a, **kw):
            if os.getpid() != self._pid or self._depth.get(key):
                return fn(*a, **kw)
            self._depth[key] = 1
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.t[key] = self.t.get(key, 0.0) + time.perf_counter() - t
                self._depth[key] = 0

        setattr(owner, attr, timed)

    @contextmanager
    def on(self):
        from mtcheck import align, engine, metrics, pipeline
        from mtcheck import checks as checks_mod
        from mtcheck.readers import build

        self._undo: list = []
        w = self.wrap
        w(pipeline, "read_corpus", "read")
        w(build, "_is_parallel", "parallel?")
        w(align, "align", "align")
        w(engine.LocalEngine, "run", "engine")
        w(checks_mod, "fork_pool", "checks pool start")
        w(engine, "compute_chunk", "chunk")
        w(metrics, "score_documents", "score_documents")
        w(metrics, "_pooled_statistics", "stats pooled")
        w(metrics, "_statistics", "stats here")
        w(metrics, "_fork_pool", "stats pool start")
        w(metrics, "_close_pool", "stats pool stop")
        w(metrics, "_scores_from_statistics", "seg+doc scores")
        w(checks_mod, "run_checks", "checks here")
        w(pipeline, "_fingerprint", "fingerprint")
        w(pipeline, "_unpack", "unpack")
        w(metrics, "combine", "system scores")
        w(pipeline, "frames", "report frames")
        w(pipeline, "write_reports", "report write")
        try:
            yield self
        finally:
            for owner, attr, fn in reversed(self._undo):
                setattr(owner, attr, fn)

    def rows(self, total: float) -> list[tuple[str, float]]:
        g = self.t.get
        stats = g("stats pooled", 0) + g("stats here", 0)
        scores = g("seg+doc scores", 0) - g("stats here", 0)  # unpooled statistics run inside it
        out = [
            ("reading (files, documents)", g("read", 0) - g("parallel?", 0) - g("align", 0)),
            ("line-parallel detection", g("parallel?", 0)),
            ("alignment (dp)", g("align", 0)),
            ("pool start-up (checks' fork pool)", g("checks pool start", 0)),
            ("pool start-up+stop (statistics' own pool)", g("stats pool start", 0) + g("stats pool stop", 0)),
            ("statistics (with reference memo)", stats),
            ("segment + document scores", scores),
            ("units, payload (score_documents rest)", g("score_documents", 0) - g("stats pooled", 0)
             - g("stats pool start", 0) - g("stats pool stop", 0) - g("seg+doc scores", 0)),
            ("checks, in this process", g("checks here", 0)),
            ("checks, waiting on the pool", g("engine", 0) - g("chunk", 0) - g("checks pool start", 0)),
            ("chunk payload (findings to json)", g("chunk", 0) - g("score_documents", 0) - g("checks here", 0)),
            ("fingerprints, json round trip, unpack", g("fingerprint", 0) + g("unpack", 0)),
            ("system scores, signatures", g("system scores", 0)),
            ("report tables (pandas frames)", g("report frames", 0)),
            ("report writing (CSV)", g("report write", 0)),
        ]
        out.append(("other", total - g("read", 0) - g("engine", 0) - g("fingerprint", 0) - g("unpack", 0)
                    - g("system scores", 0) - g("report frames", 0) - g("report write", 0)))
        return out


def run_job(corpus_dir: Path, out: Path, jobs: int, ignore: tuple[str, ...]):
    from mtcheck.config import Config
    from mtcheck.pipeline import score

    conf = Config()
    conf.options.update(metrics=("bleu", "chrf"), jobs=jobs, fluency=False, ignore=ignore)
    st = Stages()
    with st.on():
        t = time.perf_counter()
        written = score([str(corpus_dir)], conf, out=str(out))
        total = time.perf_counter() - t
    return written, total, st


def compare_dirs(a: Path, b: Path) -> list[str]:
    """Names of the files that differ (or are missing on one side) between a and b."""
    names = sorted({p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
                   | {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()})
    return [n for n in names if not ((a / n).is_file() and (b / n).is_file()
                                     and (a / n).read_bytes() == (b / n).read_bytes())]



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", type=int, default=None, help="only the first N systems")
    ap.add_argument("--skip-ter", action="store_true")
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--save", help="copy the reports to this folder (full/, metrics/)")
    ap.add_argument("--against", help="compare the reports byte for byte with those saved here")
    args = ap.parse_args()

    from sacrebleu.metrics import BLEU, CHRF, TER

    from mtcheck.metrics import score_corpus
    from mtcheck.readers import read_corpus

    names = systems(args.systems)
    ref = ref_lines("A")
    hyps = {s: lines(s) for s in names}
    n_seg = sum(len(h) for h in hyps.values())
    print(f"{len(names)} systems, {n_seg} segments")

    with tempfile.TemporaryDirectory() as tmp:
        corpus_dir = make_corpus(Path(tmp) / "wmt22", args.systems)

        t = time.perf_counter()
        base = {s: (BLEU().corpus_score(h, [ref]).score, CHRF().corpus_score(h, [ref]).score)
                for s, h in hyps.items()}
        t_base = time.perf_counter() - t

        for label, ignore in (("full report (all checks)", ()), ("metrics report (ignore=MT)", ("MT",))):
            out = Path(tmp) / ("out-full" if not ignore else "out-metrics")
            written, t_ours, st = run_job(corpus_dir, out, args.jobs, ignore)
            res = written[0].results[0]
            for s in names:
                assert abs(res.scores.system[s]["bleu"] - base[s][0]) < 1e-9, s
                assert abs(res.scores.system[s]["chrf"] - base[s][1]) < 1e-9, s
            assert not ignore or not res.findings, "the metrics report ran checks"
            print(f"\n{label}: {len(res.findings)} findings")
            for name, sec in st.rows(t_ours):
                print(f"  {name:44s} {sec:7.2f} s  {100 * sec / t_ours:5.1f} %")
            print(f"BLEU+chrF  sacrebleu corpus_score {t_base:7.2f} s | mtcheck {label} {t_ours:7.2f} s "
                  f"| ratio {t_ours / t_base:.2f} (target <= 0.5 with two cores)")
            sub = "full" if not ignore else "metrics"
            if args.save:
                dest = Path(args.save) / sub
                shutil.rmtree(dest, ignore_errors=True)
                shutil.copytree(out, dest)
            if args.against:
                diff = compare_dirs(Path(args.against) / sub, out)
                print(f"  reports against {Path(args.against) / sub}: "
                      + ("byte-identical" if not diff else f"DIFFER: {', '.join(diff)}"))
                assert not diff, diff

        if not args.skip_ter:
            t = time.perf_counter()
            base_ter = {s: TER().corpus_score(h, [ref]).score for s, h in hyps.items()}
            t_base = time.perf_counter() - t
            corpus = read_corpus(corpus_dir)
            t = time.perf_counter()
            ter = score_corpus(corpus, ["ter"], jobs=args.jobs)
            t_ours = time.perf_counter() - t
            for s in names:
                assert abs(ter.system[s]["ter"] - base_ter[s]) < 1e-9, s
            print(f"TER        sacrebleu 1 process    {t_base:7.2f} s | mtcheck --jobs {args.jobs or 'all'} "
                  f"{t_ours:7.2f} s | ratio {t_ours / t_base:.3f} (target <= 0.1)")


if __name__ == "__main__":
    main()
