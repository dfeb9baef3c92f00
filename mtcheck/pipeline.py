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
                         allow_download=config["allow-download"], threads=config["lm-threads"] or None)


def make_embedder():
    """The sentence-embedding model for ``quality`` (imports torch; loaded once)."""
    from mtcheck.embed import Embedder

    return Embedder()


def wants_quality(config: Config, fluent: bool) -> bool:
    """``quality`` is computed when ``--metrics`` selects it and fluency is on (it needs the LM)."""
    return "quality" in parse_metrics(config["metrics"]) and bool(fluent)


def score_quality(corpus, scores, fluency, found, embed=None, weights=None) -> dict[tuple[str, str], list]:
    """Per (system, doc_id), per segment: ``quality`` from metrics, embeddings, fluency and findings."""
    from mtcheck.adequacy import source_agreement, source_coverage
    from mtcheck.quality import features, quality_of

    per_seg: dict[tuple[str, str, str], list[Finding]] = {}
    for f in found:
        per_seg.setdefault((f.system, f.doc_id, f.seg_id), []).append(f)
    out = {}
    for k, d in enumerate(corpus.documents):
        flu = fluency[(d.system, d.doc_id)]
        emb = (embed[k] if embed is not None else None) or [None] * len(d)
        vals = []
        for seg in d:
            has_ref = any(r for r in seg.refs)
            feat = features(scores.segment[k][seg.index].get("chrf"), emb[seg.index],
                            flu[seg.index].lm_score, per_seg.get((d.system, d.doc_id, seg.seg_id), ()), has_ref,
                            source_coverage(seg.src, seg.mt), source_agreement(seg.src, seg.mt))
            vals.append(quality_of(feat, weights))
        out[(d.system, d.doc_id)] = vals
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
            partial_dir: Path | None = None, engine=None, model=None, embedder=None) -> CorpusResult:
    """Metrics, fluency (when ``scorer`` or ``model`` is given), checks and quality for one corpus.

    Work is done chunk by chunk, by ``engine`` (default: in this process); with
    ``partial_dir`` each chunk's results are saved there (atomically) as they arrive and
    chunks already saved are loaded instead of recomputed. ``scorer`` is a loaded fluency
    scorer (local engine); ``model`` an :class:`~mtcheck.engine.ModelSpec` that the Dask
    engine's workers load themselves (and the sentence-embedding model with it, for
    ``quality``). ``embedder`` is a loaded sentence-embedding model (local engine).
    """
    from mtcheck.engine import ChunkJob, LocalEngine
    from mtcheck.metrics import combine, default_jobs

    jobs = config["jobs"] or default_jobs()
    engine = engine or LocalEngine(jobs)
    model = model if scorer is None else None
    fluent = scorer is not None or model is not None
    quality = wants_quality(config, fluent)
    with_ref = "ref" in available_inputs(corpus)
    metrics = tuple(m for m in parse_metrics(config["metrics"]) if m != "quality")
    if quality and "chrf" not in metrics and with_ref:
        metrics = parse_metrics([*metrics, "chrf"])  # quality reads segment chrF
    embed_wanted = quality and with_ref
    if embed_wanted and embedder is None and isinstance(engine, LocalEngine):
        embedder = make_embedder()
    if not embed_wanted:
        embedder = None
    have = available_inputs(corpus) | ({"fluency"} if fluent else set())
    selected = checks_mod.build(config["select"], config["ignore"], check_settings(config), available=have)
    per_doc_checks = [c for c in selected if c.scope != "corpus"]
    corpus_checks = [c for c in selected if c.scope == "corpus"]
    lm = scorer.signature if scorer is not None else (asdict(model) if model is not None else None)
    from mtcheck.embed import Embedder

    settings = json.dumps([__version__, metrics, lm, Embedder.signature if embed_wanted else None,
                           [(c.code, str(c.level), sorted(c.opts.items())) for c in selected]])
    job = ChunkJob(corpus.name, corpus.path, metrics, tuple(per_doc_checks),
                   jobs=jobs if isinstance(engine, LocalEngine) else 1, model=model, embed=embed_wanted)
    chunks = chunks_of(corpus, max(1, config["chunk-segments"]))
    keys = [_fingerprint(corpus, idx, settings) for idx in chunks]
    doc_scores: list = [None] * len(corpus.documents)
    embed: list = [None] * len(corpus.documents)
    fluency: dict | None = {} if fluent else None
    # per chunk, its findings (assembled in chunk order at the end) and fluency signature
    chunk_findings: list[list[Finding] | None] = [None] * len(chunks)
    signatures: set[str] = set()

    def take(i: int, payload: dict) -> None:
        chunk_findings[i] = _unpack(corpus, chunks[i], payload, doc_scores, fluency, embed)
        signatures.add(payload.get("signature") or "")

    def arrived(i: int, payload: dict) -> None:
        if partial_dir is not None:
            _save_partial(partial_dir, keys[i], payload)
        take(i, json.loads(json.dumps(payload)))  # the same values a resumed run would read

    for i, key in enumerate(keys):
        saved = _load_partial(partial_dir, key) if partial_dir is not None else None
        if saved is not None:
            take(i, saved)
    engine.run(corpus, [(i, keys[i], chunks[i]) for i in range(len(chunks)) if chunk_findings[i] is None], job,
               arrived, scorer=scorer, progress=progress, embedder=embedder)
    found: list[Finding] = [f for part in chunk_findings for f in part or ()]
    signature = scorer.signature if scorer is not None else _agreed_signature(signatures) if fluent else None
    scores = combine(corpus, doc_scores, metrics)
    if corpus_checks:
        found.extend(checks_mod.run_checks(corpus, corpus_checks, {"fluency": fluency or {}}))
    order = {(d.system, d.doc_id): k for k, d in enumerate(corpus.documents)}
    found.sort(key=lambda f: (order[(f.system, f.doc_id)], f.line, f.start, f.code, f.end))
    result = CorpusResult(corpus, scores, found, fluency, signature)
    if quality:
        from mtcheck.quality import signature as quality_signature

        result.quality = score_quality(corpus, scores, fluency, found, embed if embed_wanted else None)
        result.quality_signature = quality_signature(with_ref, result.fluency_signature)
    return result


def _agreed_signature(signatures: set[str]) -> str | None:
    """The fluency signature every chunk was scored with (workers must agree)."""
    if len(signatures) > 1:
        from mtcheck.errors import MtcheckError

        raise MtcheckError("the workers scored fluency with different models or settings "
                           f"({' and '.join(sorted(signatures))}): install the same model everywhere and set lm-dtype")
    return next(iter(signatures), "") or None


def _unpack(corpus, idx, saved, doc_scores, fluency, embed) -> list[Finding]:
    """One chunk's payload into the corpus-wide results; returns the chunk's findings."""
    from mtcheck.fluency import SegmentFluency
    from mtcheck.metrics import DocScores

    for k, item in zip(idx, saved["docs"]):
        d = corpus.documents[k]
        doc_scores[k] = DocScores(item["segment"], item["document"], item["totals"], item["nrefs"])
        if fluency is not None:
            fluency[(d.system, d.doc_id)] = [
                SegmentFluency(n, lp, ppl, slor, fl, tuple(w) if w else None, adj)
                for n, lp, ppl, slor, fl, w, adj in item["fluency"]]
        embed[k] = item.get("embed")
    return [_finding_from_json(f) for f in saved["findings"]]


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
    from mtcheck.engine import LocalEngine, ModelSpec, make_engine

    engine = make_engine(config)
    fluent = config["fluency"] and any(c.documents for c in corpora)
    local = isinstance(engine, LocalEngine)
    scorer = make_scorer(config) if fluent and local else None  # on a cluster, the workers load it
    model = ModelSpec.from_config(config) if fluent and not local else None

    def out_dir(c) -> Path:
        return Path(out) if out else Path(config["out"]) / c.name

    embedder = None
    if local and wants_quality(config, fluent) and any("ref" in available_inputs(c) for c in corpora):
        embedder = make_embedder()  # once for every corpus; on a cluster, the workers load it
    with engine:
        results = [analyse(c, config, progress, scorer, engine=engine, model=model, embedder=embedder,
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
