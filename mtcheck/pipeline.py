"""The score job: corpus -> (metrics, checks) -> reports. No printing, no exiting."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

from mtcheck import __version__
from mtcheck import checks as checks_mod
from mtcheck.config import Config
from mtcheck.corpus import Corpus
from mtcheck.findings import Finding, Severity
from mtcheck.metrics import parse_metrics
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


#: documents are processed in chunks of about this many segments; a resumed run redoes
#: only the chunks whose partial results are missing. The chunking does not depend on what
#: is already done, so a resumed run computes exactly what an uninterrupted one does.
CHUNK_SEGMENTS = 4000
PARTIAL_DIR = ".mtcheck-partial"


def chunks_of(corpus, size: int = CHUNK_SEGMENTS) -> list[list[int]]:
    out: list[list[int]] = [[]]
    n = 0
    for k, doc in enumerate(corpus.documents):
        if out[-1] and n + len(doc) > size:
            out.append([])
            n = 0
        out[-1].append(k)
        n += len(doc)
    return [c for c in out if c]


def _fingerprint(corpus, idx: list[int], settings: str) -> str:
    h = hashlib.sha256(settings.encode("utf-8"))
    for k in idx:
        d = corpus.documents[k]
        h.update(json.dumps([d.system, d.doc_id, d.path, [(s.seg_id, s.line, s.col, s.mt, s.refs, s.src)
                                                          for s in d.segments],
                             [None if a is None else [a.method, [(b.mt, b.ref) for b in a.beads],
                                                     list(a.ref_lines)] for a in d.alignments]],
                            ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()[:32]


def _finding_to_json(f: Finding) -> dict:
    d = asdict(f)
    d["severity"] = str(f.severity)
    return d


def _finding_from_json(d: dict) -> Finding:
    return Finding(**{**d, "severity": Severity.parse(d["severity"])})


def _save_partial(folder: Path, key: str, payload: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, folder / f"{key}.json")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _load_partial(folder: Path, key: str) -> dict | None:
    path = folder / f"{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing or damaged: redo the chunk


def analyse(corpus, config: Config, progress: Progress | None = None, scorer=None,
            partial_dir: Path | None = None) -> CorpusResult:
    """Metrics, fluency (when ``scorer`` is given) and checks for one corpus.

    Work is done chunk by chunk; with ``partial_dir`` each chunk's results are saved
    there (atomically) and chunks already saved are loaded instead of recomputed.
    """
    from mtcheck.metrics import combine, default_jobs

    metrics = parse_metrics(config["metrics"])
    jobs = config["jobs"] or default_jobs()
    have = available_inputs(corpus) | ({"fluency"} if scorer is not None else set())
    selected = checks_mod.build(config["select"], config["ignore"], check_settings(config), available=have)
    per_doc_checks = [c for c in selected if c.scope != "corpus"]
    corpus_checks = [c for c in selected if c.scope == "corpus"]
    settings = json.dumps([__version__, metrics, scorer.signature if scorer is not None else None,
                           [(c.code, str(c.level), sorted(c.opts.items())) for c in selected]])
    doc_scores: list = [None] * len(corpus.documents)
    fluency: dict | None = {} if scorer is not None else None
    found: list[Finding] = []
    # checks that need nothing computed here run in worker processes forked once, now
    forkable = [c for c in per_doc_checks if "fluency" not in c.needs]
    in_main = [c for c in per_doc_checks if "fluency" in c.needs]
    pool = checks_mod.fork_pool(corpus, forkable, jobs)
    if pool is None:
        in_main = per_doc_checks
    try:
        for idx in chunks_of(corpus, max(1, config["chunk-segments"])):
            _chunk(corpus, idx, config, metrics, jobs, progress, scorer, settings, partial_dir, pool, in_main,
                   doc_scores, fluency, found)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
            checks_mod._FORKED = None
    scores = combine(corpus, doc_scores, metrics)
    if corpus_checks:
        found.extend(checks_mod.run_checks(corpus, corpus_checks, {"fluency": fluency or {}}))
    order = {(d.system, d.doc_id): k for k, d in enumerate(corpus.documents)}
    found.sort(key=lambda f: (order[(f.system, f.doc_id)], f.line, f.start, f.code, f.end))
    return CorpusResult(corpus, scores, found, fluency, scorer.signature if scorer is not None else None)


def _chunk(corpus, idx, config, metrics, jobs, progress, scorer, settings, partial_dir, pool, in_main,
           doc_scores, fluency, found) -> None:
    """One chunk of documents: load its saved results or compute (and save) them."""
    from mtcheck.fluency import SegmentFluency
    from mtcheck.metrics import DocScores, score_documents

    key = _fingerprint(corpus, idx, settings)
    saved = _load_partial(partial_dir, key) if partial_dir is not None else None
    docs = [corpus.documents[k] for k in idx]
    if saved is None:
        sub = Corpus(corpus.name, corpus.path, tuple(docs))
        scored = score_documents(docs, metrics, jobs=jobs, progress=progress, pool=pool)
        flu = score_fluency(sub, scorer) if scorer is not None else None
        chunk_findings = checks_mod.run_checks(sub, in_main, {"fluency": flu or {}})
        if pool is not None:
            chunk_findings += [f for part in pool.map(checks_mod._check_one, idx) for f in part]
            order = {(d.system, d.doc_id): k for k, d in enumerate(docs)}
            chunk_findings.sort(key=lambda f: (order[(f.system, f.doc_id)], f.line, f.start, f.code, f.end))
        saved = {
            "docs": [{"segment": ds.segment, "document": ds.document, "totals": ds.totals, "nrefs": ds.nrefs,
                      "fluency": [[f.n_tokens, f.lm_logprob, f.lm_ppl, f.lm_slor, f.fluency, f.worst]
                                  for f in flu[(d.system, d.doc_id)]] if flu is not None else None}
                     for d, ds in zip(docs, scored)],
            "findings": [_finding_to_json(f) for f in chunk_findings],
        }
        if partial_dir is not None:
            _save_partial(partial_dir, key, saved)
        saved = json.loads(json.dumps(saved))  # the same values a resumed run would read
    for k, d, item in zip(idx, docs, saved["docs"]):
        doc_scores[k] = DocScores(item["segment"], item["document"], item["totals"], item["nrefs"])
        if fluency is not None:
            fluency[(d.system, d.doc_id)] = [
                SegmentFluency(n, lp, ppl, slor, fl, tuple(w) if w else None)
                for n, lp, ppl, slor, fl, w in item["fluency"]]
    found.extend(_finding_from_json(f) for f in saved["findings"])


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
          progress: Progress | None = None, raw_csv: bool = False, resume: bool = False) -> list[Written]:
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

    def out_dir(c) -> Path:
        return Path(out) if out else Path(config["out"]) / c.name

    results = [analyse(c, config, progress, scorer,
                       partial_dir=out_dir(c) / PARTIAL_DIR / c.name if resume else None) for c in corpora]
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
        if resume and not errs:
            import shutil

            shutil.rmtree(d / PARTIAL_DIR, ignore_errors=True)  # complete: the partial results are spent
    if not out and failed:
        written.append(Written(Path(config["out"]), [], [], failed))
    return written
