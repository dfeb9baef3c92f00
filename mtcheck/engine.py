"""How the score job's chunks are run: in this process, or as tasks on a Dask cluster.

The work of ``mtcheck score`` is split into chunks of whole documents
(:func:`mtcheck.pipeline.chunks_of`). One pure task function, :func:`compute_chunk`, turns a
chunk's documents and the settings (:class:`ChunkJob`: metrics, checks, fluency model spec)
into the JSON-able payload that ``--resume`` saves. Both engines run that function:

- :class:`LocalEngine` runs the chunks one after the other in this process (the checks
  that need no model in forked worker processes, as before);
- :class:`DaskEngine` submits one task per chunk to a Dask distributed cluster, an
  existing one (``scheduler``) or a ``LocalCluster`` it starts (``workers``). Tasks receive
  documents and the model spec, never the model: each worker process loads the language
  model once, from its own cache, never downloading (:func:`worker_scorer`). A task whose
  worker is lost is run again elsewhere by the scheduler, and failed tasks are retried.

Payloads are handed back to the caller as they arrive (it saves them for ``--resume``) and
the caller assembles them in chunk order, so the reports do not depend on the engine or
on the number of workers. No printing, no exiting.
"""
from __future__ import annotations

import copy
import threading
import uuid
import warnings
from dataclasses import asdict, dataclass, replace
from typing import Any, Callable, Sequence

from mtcheck import __version__
from mtcheck.corpus import Corpus, Document
from mtcheck.errors import MtcheckError
from mtcheck.findings import Finding

Progress = Callable[[str, int, int], None]
#: (chunk number, payload), called as each chunk's payload is ready
OnPayload = Callable[[int, dict], None]
#: the chunks still to compute: (chunk number, fingerprint, document indices)
Pending = Sequence[tuple[int, str, Sequence[int]]]

INSTALL_HINT = "pip install 'mtcheck[dask]'"


@dataclass(frozen=True)
class ModelSpec:
    """What a worker needs to load the fluency model itself (the model never travels).

    ``threads`` is the number of torch threads every worker scores with: the thread count
    changes the last digits of the scores (bfloat16 sums in a different order), so all
    workers use the client's (``lm-threads``, default all of the client's cores), and the
    reports equal the local engine's whatever the number of workers.
    """

    name: str = "smollm2"
    dtype: str = "auto"
    max_length: int = 512
    threads: int = 1

    @classmethod
    def from_config(cls, config: Any) -> ModelSpec:
        from mtcheck.metrics import default_jobs

        return cls(config["lm"], config["lm-dtype"], config["lm-max-length"], config["lm-threads"] or default_jobs())


@dataclass(frozen=True)
class ChunkJob:
    """Everything a chunk task needs besides its documents: plain, picklable values."""

    corpus: str
    path: str
    metrics: tuple[str, ...]
    #: the per-document checks to run on each chunk (instances, with their data loaded)
    checks: tuple = ()
    #: worker processes for TER inside the task (1 on a cluster: the cluster parallelises)
    jobs: int = 1
    #: the fluency model each worker loads; None: no fluency
    model: ModelSpec | None = None
    #: whether to compute the sentence-embedding similarity to the references (for quality)
    embed: bool = False
    version: str = __version__


def finding_to_json(f: Finding) -> dict:
    d = asdict(f)
    d["severity"] = str(f.severity)
    return d


def score_fluency(docs: Sequence[Document], scorer: Any) -> dict[tuple[str, str], list]:
    """Fluency of every segment of ``docs``, per (system, doc_id); one batched call."""
    res = scorer.score([s.mt for d in docs for s in d])
    out, pos = {}, 0
    for d in docs:
        out[(d.system, d.doc_id)] = res[pos:pos + len(d)]
        pos += len(d)
    return out


def _similarity_of(docs: Sequence[Document], embedder: Any) -> list[list[float | None]]:
    """Per document, per segment: the embedding cosine of the MT to its references."""
    sims = embedder.similarity([(s.mt, [r for r in s.refs if r]) for d in docs for s in d])
    out, pos = [], 0
    for d in docs:
        out.append(sims[pos:pos + len(d)])
        pos += len(d)
    return out


def compute_chunk(docs: Sequence[Document], job: ChunkJob, scorer: Any = None,
                  progress: Progress | None = None, more_findings: Sequence[Finding] = (),
                  embedder: Any = None, pool: Any = None) -> dict:
    """The task: metrics, fluency (with ``scorer``), embedding similarity (with ``embedder``,
    when ``job.embed``) and per-document checks of one chunk.

    Returns the payload ``--resume`` saves: per document its metric results, fluency
    scores and similarities, the chunk's findings (in document order, then by position) and
    the fluency scorer's signature. ``more_findings`` are findings on these documents
    computed elsewhere (the local engine's forked check workers), merged in; ``pool`` is
    that engine's fork pool, which computes the metric statistics too.
    """
    from mtcheck import checks as checks_mod
    from mtcheck.metrics import score_documents

    docs = list(docs)
    sub = Corpus(job.corpus, job.path, tuple(docs))
    scored = score_documents(docs, job.metrics, jobs=job.jobs, progress=progress, pool=pool)
    flu = score_fluency(docs, scorer) if scorer is not None else None
    sims = _similarity_of(docs, embedder) if job.embed and embedder is not None else [None] * len(docs)
    found = checks_mod.run_checks(sub, list(job.checks), {"fluency": flu or {}})
    if more_findings:
        order = {(d.system, d.doc_id): k for k, d in enumerate(docs)}
        found = sorted([*found, *more_findings],
                       key=lambda f: (order[(f.system, f.doc_id)], f.line, f.start, f.code, f.end))
    return {
        "docs": [{"segment": ds.segment, "document": ds.document, "totals": ds.totals, "nrefs": ds.nrefs,
                  "fluency": [[f.n_tokens, f.lm_logprob, f.lm_ppl, f.lm_slor, f.fluency, f.worst, f.lm_score]
                              for f in flu[(d.system, d.doc_id)]] if flu is not None else None,
                  "embed": sim}
                 for d, ds, sim in zip(docs, scored, sims)],
        "findings": [finding_to_json(f) for f in found],
        "signature": scorer.signature if scorer is not None else None,
    }


# -- the local engine ----------------------------------------------------------------
class LocalEngine:
    """Chunks one after the other in this process; ``scorer`` is the loaded fluency model."""

    name = "local"

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, corpus: Corpus, pending: Pending, job: ChunkJob, on_payload: OnPayload,
            scorer: Any = None, progress: Progress | None = None, embedder: Any = None) -> None:
        from mtcheck import checks as checks_mod

        if not pending:
            return
        # checks that need nothing computed here run in worker processes forked once, now
        forkable = [c for c in job.checks if "fluency" not in c.needs]
        pool = checks_mod.fork_pool(corpus, forkable, self.jobs)
        if pool is not None:
            job = replace(job, checks=tuple(c for c in job.checks if "fluency" in c.needs))
        try:
            for i, _, idx in pending:
                pooled = [f for part in pool.map(checks_mod._check_one, idx) for f in part] if pool else []
                docs = [corpus.documents[k] for k in idx]
                on_payload(i, compute_chunk(docs, job, scorer, progress, pooled, embedder, pool))
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
                checks_mod._FORKED = None


# -- the Dask engine -----------------------------------------------------------------
_SCORERS: dict[ModelSpec, Any] = {}
_SCORERS_LOCK = threading.Lock()


class _OneAtATime:
    """A worker's model (scorer or embedder), shared by its task threads one call at a time:
    tokenizers are not safe to share between threads, and torch's threads belong to the
    whole process. Attributes pass through; methods run under the lock."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._model, name)
        if not callable(value):
            return value

        def locked(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return value(*args, **kwargs)

        return locked


def worker_scorer(spec: ModelSpec) -> Any:
    """The fluency scorer of this process for ``spec``, loaded on first use and kept.

    The model comes from this machine's cache (``mtcheck.fluency.cache_root()``, the
    bundled GGUF converted there once, or a local folder or cached Hugging Face id);
    nothing is downloaded.
    """
    with _SCORERS_LOCK:
        scorer = _SCORERS.get(spec)
        if scorer is None:
            from mtcheck.fluency import FluencyScorer

            scorer = _SCORERS[spec] = _OneAtATime(FluencyScorer(
                spec.name, dtype=spec.dtype, max_length=spec.max_length, allow_download=False, threads=spec.threads))
        return scorer


_EMBEDDERS: list[Any] = []


def worker_embedder() -> Any:
    """The sentence-embedding model of this process (for quality), loaded on first use and kept."""
    with _SCORERS_LOCK:
        if not _EMBEDDERS:
            from mtcheck.embed import Embedder

            _EMBEDDERS.append(_OneAtATime(Embedder(threads=1)))
        return _EMBEDDERS[0]


def run_chunk(docs: Sequence[Document], job: ChunkJob) -> dict:
    """The Dask task: :func:`compute_chunk` with this worker's own scorer.

    A usage or input error (a model that cannot be loaded, a version mismatch) comes back
    as ``{"error": message}``: it would fail again, so it is not retried.
    """
    try:
        if job.version != __version__:
            raise MtcheckError(f"the worker runs mtcheck {__version__}, the client {job.version}: "
                               "install the same version everywhere")
        scorer = worker_scorer(job.model) if job.model is not None else None
        embedder = worker_embedder() if job.embed else None
        # a check keeps what prepare() gave it: tasks running side by side in one worker
        # (threads, or an in-process cluster) must not share the instances
        return compute_chunk(docs, replace(job, checks=copy.deepcopy(job.checks)), scorer, embedder=embedder)
    except MtcheckError as exc:
        return {"error": str(exc)}


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise MtcheckError(f"--engine dask needs dask and distributed: {INSTALL_HINT}") from None
    return distributed


class DaskEngine:
    """One task per chunk on a Dask distributed cluster.

    ``scheduler``: the address of an existing cluster (``tcp://host:8786``); otherwise a
    ``LocalCluster`` of ``workers`` processes (0: one per core) with ``threads`` threads
    each is started, and closed at the end. Use as a context manager.
    """

    name = "dask"

    def __init__(self, scheduler: str = "", workers: int = 0, threads: int = 1, retries: int = 2) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self.threads = threads
        self.retries = retries
        self.client: Any = None
        self.cluster: Any = None
        self.token = uuid.uuid4().hex[:12]
        self.submitted = 0
        _import_distributed()

    def __enter__(self) -> DaskEngine:
        import logging

        distributed = _import_distributed()
        try:
            if self.scheduler:
                self.client = distributed.Client(self.scheduler)
            else:
                with warnings.catch_warnings():  # "port 8787 is in use": no dashboard is asked for
                    warnings.simplefilter("ignore", UserWarning)
                    self.cluster = distributed.LocalCluster(
                        n_workers=self.workers or None, threads_per_worker=self.threads, processes=True,
                        dashboard_address=None, silence_logs=logging.ERROR)
                self.client = distributed.Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            self.__exit__()
            where = f"the Dask scheduler at {self.scheduler}" if self.scheduler else "a local Dask cluster"
            raise MtcheckError(f"cannot reach {where}: {exc}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def run(self, corpus: Corpus, pending: Pending, job: ChunkJob, on_payload: OnPayload,
            scorer: Any = None, progress: Progress | None = None, embedder: Any = None) -> None:
        if scorer is not None or embedder is not None:
            raise ValueError("the Dask engine loads the model on the workers: pass job.model, not a scorer")
        if not pending:
            return
        if self.client is None:
            raise RuntimeError("use the DaskEngine as a context manager: with DaskEngine(...) as engine")
        from distributed import as_completed

        futures = {}
        for i, key, idx in pending:
            docs = [corpus.documents[k] for k in idx]
            self.submitted += 1  # a key of its own per task: runs sharing a cluster never share tasks
            fut = self.client.submit(run_chunk, docs, job, key=f"mtcheck-{self.token}-{self.submitted}-{key[:12]}",
                                     pure=False, retries=self.retries)
            futures[fut] = i
        try:
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    payload = fut.result()
                except Exception as exc:  # the task failed on every try, or its workers kept dying
                    raise MtcheckError(f"chunk {i + 1} failed on the Dask cluster: "
                                       f"{type(exc).__name__}: {exc}") from None
                if "error" in payload:
                    raise MtcheckError(payload["error"])
                on_payload(i, payload)
                if progress:
                    progress("chunks", 1, len(futures))
        finally:
            self.client.cancel(list(futures))


def make_engine(config: Any) -> LocalEngine | DaskEngine:
    """The engine the configuration asks for (``engine``, ``scheduler``, ``workers``)."""
    if config["engine"] == "dask":
        return DaskEngine(scheduler=config["scheduler"], workers=config["workers"])
    from mtcheck.metrics import default_jobs

    return LocalEngine(jobs=config["jobs"] or default_jobs())


__all__ = ["ChunkJob", "DaskEngine", "LocalEngine", "ModelSpec", "compute_chunk", "make_engine",
           "run_chunk", "score_fluency", "worker_scorer"]
