"""The command line: ``mtcheck score``, ``compare``, ``lint``, ``checks``. The only place that exits."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from mtcheck import __version__
from mtcheck.errors import MtcheckError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so main() owns the exit code."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise MtcheckError(f"{self.prog}: {message}")


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="read this config file after the discovered ones")
    p.add_argument("--no-config", action="store_true", help="ignore setup.cfg, pyproject.toml and .mtcheck.cfg")
    p.add_argument("--select", metavar="CODES", help="only these check codes or prefixes (MT1 = MT101-MT106)")
    p.add_argument("--ignore", metavar="CODES", help="skip these check codes or prefixes")
    p.add_argument("--glossary", metavar="FILE", help="glossary TSV/CSV for MT106 (source, target, forbidden)")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mtcheck", description="Quality checks and reference metrics for machine-translated English news.")
    parser.add_argument("--version", action="version", version=f"mtcheck {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    s = sub.add_parser("score", help="score corpora against references and write CSV reports",
                       description="Score corpora: BLEU, chrF and TER (sacrebleu) per segment, document "
                                   "and system, fluency, checks, and CSV reports (segments, documents, findings, summary, errors).")
    s.add_argument("corpus", nargs="+", metavar="CORPUS",
                   help="a corpus folder (mt/, ref/, src/), a .tsv/.csv/.jsonl table, or a text file")
    s.add_argument("-o", "--out", metavar="DIR",
                   help="write all reports into DIR (default: reports/<corpus name>/)")
    s.add_argument("--metrics", metavar="LIST", help="metrics (default: bleu,chrf,ter,quality; quality needs fluency)")
    s.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes for TER (default: all cores)")
    s.add_argument("--align", choices=("auto", "always", "never"),
                   help="align references with the MT: where line counts differ (auto), always, never")
    fl = s.add_mutually_exclusive_group()
    fl.add_argument("--fluency", dest="fluency", action="store_true", default=None,
                    help="score fluency with a language model")
    fl.add_argument("--no-fluency", dest="fluency", action="store_false",
                    help="do not load the language model")
    s.add_argument("--lm", metavar="NAME_OR_PATH",
                   help="causal language model for fluency: a local folder, a .gguf file, or a Hugging Face "
                        "id already in the local cache (default: the bundled SmolLM2-135M-Instruct)")
    s.add_argument("--fluency-threshold", type=float, metavar="F",
                   help="MT301 flags segments whose fluency (0-100) is below F (default 20)")
    s.add_argument("--allow-download", action="store_true", default=None,
                   help="let --lm fetch a model from the Hugging Face hub (off: nothing is downloaded)")
    s.add_argument("--resume", action="store_true",
                   help="keep partial results in the output folder and, after an interrupted run, redo only "
                        "what is missing (the final reports equal an uninterrupted run's)")
    s.add_argument("--engine", choices=("local", "dask"),
                   help="run the chunks in this process (local, the default) or as tasks on a Dask cluster")
    s.add_argument("--scheduler", metavar="ADDRESS",
                   help="--engine dask: the scheduler of an existing cluster (tcp://host:8786)")
    s.add_argument("--workers", type=int, metavar="N",
                   help="--engine dask without --scheduler: start a local cluster of N worker processes "
                        "(default: one per core)")
    s.add_argument("--raw-csv", action="store_true",
                   help="write cells as they are (default: text starting with = + - @ tab or CR gets a leading ' "
                        "so spreadsheets do not run it as a formula)")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    s.add_argument("--html", action="store_true",
                   help="also write report.html beside the CSV reports (one self-contained file)")
    _add_common(s)

    cp = sub.add_parser("compare", help="compare MT systems with paired significance tests (compare.csv)",
                        description="Compare every system of a corpus against a baseline (or every pair): BLEU, "
                                    "chrF and TER with sacrebleu's paired bootstrap or approximate randomisation, "
                                    "and the same test on the mean of per-segment scores (quality, fluency). "
                                    "Writes compare.csv and prints a table, best system first.")
    cp.add_argument("corpus", metavar="CORPUS", help="a corpus with two or more systems (folder or table)")
    cp.add_argument("--baseline", metavar="SYSTEM", help="compare every system against SYSTEM (default: every pair)")
    cp.add_argument("-o", "--out", metavar="DIR", help="write compare.csv into DIR (default: reports/<corpus name>/)")
    cp.add_argument("--by", choices=("segment", "document"), default="segment",
                    help="resample segments (default) or whole documents")
    cp.add_argument("--test", choices=("bs", "ar"), default="bs",
                    help="paired bootstrap resampling (bs, default) or approximate randomisation (ar), as sacrebleu")
    cp.add_argument("--resamples", type=int, metavar="N",
                    help="bootstrap resamples (default 1000) or randomisation trials (default 10000)")
    cp.add_argument("--seed", type=int, default=12345, metavar="N", help="random seed (default 12345, as sacrebleu)")
    cp.add_argument("--metrics", metavar="LIST", help="metrics to compute (default: bleu,chrf,ter)")
    cp.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes for TER (default: all cores)")
    cp.add_argument("--align", choices=("auto", "always", "never"), help="reference alignment (default: auto)")
    cf = cp.add_mutually_exclusive_group()
    cf.add_argument("--fluency", dest="fluency", action="store_true", default=None, help="compare fluency (default)")
    cf.add_argument("--no-fluency", dest="fluency", action="store_false", help="do not load the language model")
    cp.add_argument("--lm", metavar="NAME_OR_PATH", help="causal language model for fluency")
    cp.add_argument("--allow-download", action="store_true", default=None, help="let --lm fetch a model")
    cp.add_argument("--raw-csv", action="store_true", help="do not neutralise formula-like cells")
    cp.add_argument("-q", "--quiet", action="store_true", help="no table, no progress bar")
    _add_common(cp)

    lt = sub.add_parser("lint", help="check translated files and exit 1 on findings (a CI gate)",
                        description="Lint translated text or Markdown files, folders or corpora: every check that "
                                    "needs no model (and the reference checks with --ref). Exit 0: no finding at or "
                                    "above --fail-on; 1: at least one; 2: usage, configuration or input error.")
    lt.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (searched for *.txt, *.md) or corpora")
    lt.add_argument("--ref", metavar="PATH", help="reference file or folder, paired by name")
    lt.add_argument("-f", "--format", default="text", choices=("text", "github", "json", "sarif", "junit", "csv", "html"),
                    help="output format (default: text)")
    lt.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (atomically) instead of stdout")
    lt.add_argument("--fail-on", choices=("error", "warning", "info"),
                    help="lowest severity that makes the exit code 1 (default: error)")
    lt.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings (2 still means an error)")
    lt.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline")
    lt.add_argument("--write-baseline", metavar="FILE", help="record today's findings in FILE and exit 0")
    lt.add_argument("--diff-base", metavar="REV", help="report only findings on lines changed since git revision REV")
    lf = lt.add_mutually_exclusive_group()
    lf.add_argument("--fluency", dest="fluency", action="store_true", default=False,
                    help="also score fluency with the language model (MT301; imports torch)")
    lf.add_argument("--no-fluency", dest="fluency", action="store_false", help="(default) no language model")
    lt.add_argument("--lm", metavar="NAME_OR_PATH", help="language model for --fluency")
    lt.add_argument("--fluency-threshold", type=float, metavar="F", help="MT301 threshold (0-100, default 20)")
    lt.add_argument("--align", choices=("auto", "always", "never"), help="reference alignment (default: auto)")
    lt.add_argument("--raw-csv", action="store_true", help="--format csv: do not neutralise formula-like cells")
    _add_common(lt)

    r = sub.add_parser("report", help="rebuild report.html from the CSV reports of an earlier run",
                       description="Build the HTML report (report.html) from the CSV reports that mtcheck score "
                                   "wrote into OUT_DIR: segments, documents, findings, summary, and errors and "
                                   "compare where present.")
    r.add_argument("out_dir", metavar="OUT_DIR", help="the folder of an earlier mtcheck score run")
    r.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (default: OUT_DIR/report.html)")
    r.add_argument("--debug", action="store_true", help="show tracebacks of errors")

    c = sub.add_parser("checks", help="list every check", description="List every check with its code, name, "
                                                                       "default severity and description.")
    c.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    return parser


def _load_config(args: argparse.Namespace, overrides: dict):
    from mtcheck import checks as checks_mod
    from mtcheck import config as config_mod

    for key in ("select", "ignore", "glossary"):
        if getattr(args, key, None):
            overrides[key] = getattr(args, key)
    conf = config_mod.load(args.config, overrides, known_checks=checks_mod.known_options(),
                           discover=not args.no_config)
    checks_mod.validate_codes(conf["select"], "select")
    checks_mod.validate_codes(conf["ignore"], "ignore")
    return conf


class _Bars:
    """One tqdm bar per metric on stderr; silent when stderr is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bars: dict = {}

    def __call__(self, name: str, step: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self.bars.get(name)
        if bar is None:
            bar = self.bars[name] = tqdm(total=total, desc=name, unit="seg", file=sys.stderr, leave=False)
        bar.update(step)
        if bar.n >= total:
            bar.close()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def _cmd_score(args: argparse.Namespace) -> int:
    from mtcheck import pipeline
    from mtcheck.metrics import is_missing

    overrides = {"metrics": args.metrics, "jobs": args.jobs, "align": args.align, "fluency": args.fluency,
                 "lm": args.lm, "fluency-threshold": args.fluency_threshold,
                 "allow-download": args.allow_download, "engine": args.engine, "scheduler": args.scheduler,
                 "workers": args.workers}
    if args.jobs is not None and args.jobs < 0:
        raise MtcheckError("--jobs must be 0 (all cores) or more")
    conf = _load_config(args, overrides)
    _check_engine(conf)
    bars = _Bars(enabled=not args.quiet and sys.stderr.isatty())
    try:
        written = pipeline.score(args.corpus, conf, out=args.out, progress=bars, raw_csv=args.raw_csv,
                                 resume=args.resume)
    finally:
        bars.close()
    if args.html:
        from mtcheck.htmlreport import write_report

        for w in written:
            if w.files:
                w.files.append(write_report(w.out_dir))
    if not args.quiet:
        for w in written:
            for res in w.results:
                for system in res.corpus.systems:
                    vals = res.scores.system[system]
                    parts = [f"{m.upper() if m != 'chrf' else 'chrF'} {'-' if is_missing(v) else f'{v:.2f}'}"
                             for m, v in vals.items()]
                    if res.fluency is not None:
                        from mtcheck.fluency import aggregate

                        fl = aggregate([f for d in res.corpus.by_system(system)
                                        for f in res.fluency[(d.system, d.doc_id)]])["fluency"]
                        parts.append(f"fluency {'-' if fl is None else f'{fl:.1f}'}")
                    if res.quality is not None:
                        from mtcheck.quality import mean_quality

                        q = mean_quality([v for d in res.corpus.by_system(system)
                                          for v in res.quality[(d.system, d.doc_id)]])
                        parts.append(f"quality {'-' if q is None else f'{q:.1f}'}")
                    n = sum(1 for f in res.findings if f.system == system)
                    print(f"{res.corpus.name}/{system}: {', '.join(parts)}, {n} finding{'s' if n != 1 else ''}")
                for warning in res.corpus.warnings:
                    print(f"mtcheck: warning: {warning}", file=sys.stderr)
            if w.files:
                print(f"wrote {', '.join(str(p) for p in w.files)}")
    errors = [e for w in written for e in w.errors]
    for _, path, line, message in errors:
        print(f"mtcheck: error: {path}{f':{line}' if line else ''}: {message}", file=sys.stderr)
    return EXIT_ERROR if errors else EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from mtcheck import compare as compare_mod

    overrides = {"metrics": args.metrics, "jobs": args.jobs, "align": args.align, "fluency": args.fluency,
                 "lm": args.lm, "allow-download": args.allow_download}
    if args.jobs is not None and args.jobs < 0:
        raise MtcheckError("--jobs must be 0 (all cores) or more")
    conf = _load_config(args, overrides)
    bars = _Bars(enabled=not args.quiet and sys.stderr.isatty())
    try:
        result, path = compare_mod.compare(args.corpus, conf, baseline=args.baseline, out=args.out, by=args.by,
                                           test=args.test, resamples=args.resamples, seed=args.seed,
                                           raw_csv=args.raw_csv, progress=bars)
    finally:
        bars.close()
    if not args.quiet:
        sys.stdout.write(compare_mod.format_table(result))
        print(f"wrote {path}")
    return EXIT_OK


def _check_engine(conf) -> None:
    if conf["workers"] < 0:
        raise MtcheckError("--workers must be 0 (one per core) or more")
    if conf["engine"] != "dask" and (conf["scheduler"] or conf["workers"]):
        raise MtcheckError("--scheduler and --workers need --engine dask")
    if conf["scheduler"] and conf["workers"]:
        raise MtcheckError("--workers starts a local cluster: give --scheduler or --workers, not both")


def _cmd_lint(args: argparse.Namespace) -> int:
    from mtcheck import lint as lint_mod
    from mtcheck.formats import FORMATS
    from mtcheck.report import write_text

    overrides = {"fail-on": args.fail_on, "lm": args.lm, "fluency-threshold": args.fluency_threshold,
                 "align": args.align}
    conf = _load_config(args, overrides)
    scorer = None
    if args.fluency:
        from mtcheck.pipeline import make_scorer

        scorer = make_scorer(conf)
    result = lint_mod.lint(args.paths, conf, ref=args.ref, fluency_scorer=scorer,
                           baseline=None if args.write_baseline else args.baseline,
                           diff_base=args.diff_base)
    if args.write_baseline:
        write_text(args.write_baseline, lint_mod.baseline_document(result.located))
        n = len(result.located)
        print(f"wrote {n} finding{'s' if n != 1 else ''} to {args.write_baseline}", file=sys.stderr)
        return EXIT_OK
    result.raw_csv = args.raw_csv
    report = FORMATS[args.format](result)
    if args.output:
        write_text(args.output, report)
    else:
        sys.stdout.write(report)
    if args.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if lint_mod.fails(result, conf["fail-on"]) else EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from mtcheck.htmlreport import write_report

    print(f"wrote {write_report(args.out_dir, args.output)}")
    return EXIT_OK


def _cmd_checks(args: argparse.Namespace) -> int:
    from mtcheck.checks import CHECKS

    for cls in CHECKS:
        needs = f" (needs {', '.join(sorted(cls.needs))})" if cls.needs else ""
        print(f"{cls.code}  {cls.name:<32} {str(cls.severity):<8} {cls.description()}{needs}")
    return EXIT_OK


def _terminate_as_interrupt() -> None:
    """SIGTERM unwinds like Ctrl-C, so temporary files are removed and nothing is half-written."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):  # pragma: no cover - not allowed here
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 findings, 2 error, 130 interrupted)."""
    from mtcheck import _recache

    installed = _recache.install()  # compiled regular expressions from the last run
    try:
        return _main(argv)
    finally:
        if installed:
            _recache.uninstall()


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    _terminate_as_interrupt()
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help, --version
            return int(exc.code or 0)
        if args.command is None:
            parser.print_help()
            return EXIT_ERROR
        handler = {"score": _cmd_score, "compare": _cmd_compare, "lint": _cmd_lint, "report": _cmd_report,
                   "checks": _cmd_checks}[args.command]
        return handler(args)
    except MtcheckError as exc:
        if debug:
            raise
        print(f"mtcheck: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("mtcheck: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        if debug:
            raise
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"mtcheck: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
