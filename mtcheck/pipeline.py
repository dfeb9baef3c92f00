"""The score job: corpus -> (metrics, checks) -> reports. No printing, no exiting."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from mtcheck import checks as checks_mod
from mtcheck.config import Config
from mtcheck.metrics import parse_metrics, score_corpus
from mtcheck.readers import read_corpus
from mtcheck.report import CorpusResult, frames, write_reports

Progress = Callable[[str, int, int], None]


def available_inputs(corpus) -> set[str]:
    """Which optional inputs (``ref``, ``src``) the corpus has anywhere."""
    have = set()
    for doc in corpus.documents:
        for seg in doc.segments:
            if seg.has_ref:
                have.add("ref")
            if seg.src:
                have.add("src")
        if len(have) == 2:
            break
    return have


def check_settings(config: Config) -> dict[str, dict[str, str]]:
    """Per-check settings, with top-level keys (``glossary``) passed to their check."""
    settings = {code: dict(opts) for code, opts in config.checks.items()}
    if config["glossary"]:
        settings.setdefault("MT106", {}).setdefault("glossary", config["glossary"])
    settings.setdefault("MT301", {}).setdefault("threshold", str(config["fluency-threshold"]))
    if config["residue-patterns"]:
        settings.setdefault("MT401", {}).setdefault("patterns", config["residue-patterns"])
    return settings


def make_scorer(config: Config):
    """The language-model scorer the configuration asks for (imports torch)."""
    from mtcheck.fluency import FluencyScorer

    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the installation
        from mtcheck.errors import MtcheckError

        raise MtcheckError(f"fluency needs torch and transformers ({exc.name} is missing): "
                           "install mtcheck[fluency], or pass --no-fluency") from None
    return FluencyScorer(config["lm"], dtype=config["lm-dtype"], max_length=config["lm-max-length"],
                         allow_download=config["allow-download"])


def score_fluency(corpus, scorer) -> dict[tuple[str, str], list]:
    """Fluency of every segment, per (system, doc_id); one batched call for the corpus."""
    texts = [s.mt for d in corpus.documents for s in d]
    res = scorer.score(texts)
    out, pos = {}, 0
    for d in corpus.documents:
        out[(d.system, d.doc_id)] = res[pos:pos + len(d)]
        pos += len(d)
    return out


def analyse(corpus, config: Config, progress: Progress | None = None, scorer=None) -> CorpusResult:
    """Metrics, fluency (when ``scorer`` is given) and checks for one corpus."""
    scores = score_corpus(corpus, parse_metrics(config["metrics"]), jobs=config["jobs"],
                          progress=progress)
    fluency = score_fluency(corpus, scorer) if scorer is not None else None
    have = available_inputs(corpus) | ({"fluency"} if fluency is not None else set())
    selected = checks_mod.build(config["select"], config["ignore"], check_settings(config), available=have)
    from mtcheck.metrics import default_jobs

    findings = checks_mod.run_checks(corpus, selected, {"fluency": fluency or {}},
                                     jobs=config["jobs"] or default_jobs())
    return CorpusResult(corpus, scores, findings, fluency, scorer.signature if scorer is not None else None)


@dataclass
class Written:
    out_dir: Path
    files: list[Path]
    results: list[CorpusResult]
    errors: list[tuple[str, str, int | None, str]]


ERROR_COLUMNS = ("corpus", "path", "line", "error")


def _errors_frame(errors):
    import pandas as pd

    return pd.DataFrame([dict(zip(ERROR_COLUMNS, e)) for e in errors], columns=list(ERROR_COLUMNS))


def score(paths: Sequence[str], config: Config, out: str | None = None,
          progress: Progress | None = None, raw_csv: bool = False) -> list[Written]:
    """Run the score job over CORPUS paths; write reports; return what was written.

    With ``out``, all corpora go into that one folder; otherwise each corpus into
    ``<config out>/<corpus name>/``. Every corpus is read and scored before anything
    is written, so bad input leaves earlier reports untouched.
    """
    from mtcheck.errors import InputError
    from mtcheck.readers import corpus_name

    corpora = []
    failed: list[tuple[str, str, int | None, str]] = []  # whole corpora that could not be read
    for p in paths:
        try:
            corpora.append(read_corpus(p, align=config["align"]))
        except InputError as exc:
            if len(paths) == 1:
                raise
            failed.append((corpus_name(p), exc.path, exc.line, exc.message))
    scorer = make_scorer(config) if config["fluency"] and any(c.documents for c in corpora) else None
    results = [analyse(c, config, progress, scorer) for c in corpora]
    errors_of = {r.corpus.name: [(r.corpus.name, *e) for e in r.corpus.errors] for r in results}
    groups: list[tuple[Path, list[CorpusResult], list]]
    if out:
        groups = [(Path(out), results, failed + [e for r in results for e in errors_of[r.corpus.name]])]
    else:
        groups = [(Path(config["out"]) / r.corpus.name, [r], errors_of[r.corpus.name]) for r in results]
    written = []
    for d, rs, errs in groups:
        if not any(r.corpus.documents for r in rs):
            written.append(Written(d, [], rs, errs))  # nothing readable: keep the old reports
            continue
        tables = frames(rs)
        tables["errors"] = _errors_frame(errs)
        written.append(Written(d, write_reports(d, tables, raw=raw_csv), rs, errs))
    if not out and failed:
        written.append(Written(Path(config["out"]), [], [], failed))
    return written
