"""sacrebleu wrappers: corpus, document and segment scores from one set of statistics.

Each metric's per-unit sufficient statistics are computed once (sacrebleu's own
``_compute_segment_statistics``), then summed for documents and systems, exactly as
``corpus_score`` sums them. A *unit* is one MT segment, or several MT segments that
the aligner joined against one reference sentence (a 2-1 bead), or an unaligned
reference sentence scored against an empty hypothesis (a 0-1 bead), so that content
the MT dropped still counts against it at document and system level.

TER, whose shift search dominates the run time, is spread over worker processes;
results do not depend on the number of workers.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from mtcheck.corpus import Corpus, Document

METRICS = ("bleu", "chrf", "ter")
#: names ``--metrics`` accepts besides the sacrebleu metrics (computed elsewhere: mtcheck.quality)
EXTRA_METRICS = ("quality",)
Refs = tuple[str | None, ...]


def _make(name: str, sentence: bool = False):  # -> sacrebleu Metric
    from sacrebleu.metrics import BLEU, CHRF

    if name == "bleu":
        return BLEU(effective_order=sentence)
    if name == "chrf":
        return CHRF()
    if name == "ter":
        from mtcheck.ter import TER as CompiledTER  # sacrebleu's TER, statistics compiled

        return CompiledTER()
    raise ValueError(f"unknown metric {name!r}; choose from {', '.join(METRICS)}")


def parse_metrics(spec: str | Sequence[str]) -> tuple[str, ...]:
    """``"bleu,chrf"`` -> ``("bleu", "chrf")``, validated, in canonical order."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    names = {s.strip().lower() for s in items if s.strip()}
    bad = sorted(names - set(METRICS) - set(EXTRA_METRICS))
    if bad:
        raise ValueError(f"unknown metric {bad[0]!r}; choose from {', '.join(METRICS + EXTRA_METRICS)}")
    return tuple(m for m in METRICS + EXTRA_METRICS if m in names)


def sacrebleu_metrics(metrics: Sequence[str]) -> tuple[str, ...]:
    """The sacrebleu metrics among ``metrics`` (validated)."""
    return tuple(m for m in parse_metrics(metrics) if m in METRICS)


@dataclass(frozen=True)
class Unit:
    """What one statistics entry covers: segment indices of one document, and references."""

    doc: int
    segs: tuple[int, ...]
    hyp: str
    refs: Refs


def units_of(doc: Document, doc_index: int) -> list[Unit]:
    """The statistics units of one document, in order (see the module docstring)."""
    segs = doc.segments
    n = len(segs)
    link = [False] * n
    bead_at: list[dict[int, list[int]]] = []
    for al in doc.alignments:
        starts: dict[int, list[int]] = {}
        if al is not None and al.method == "dp":
            for bead in al.beads:
                if bead.mt:
                    for i in bead.mt[:-1]:
                        link[i] = True
                    starts[bead.mt[0]] = list(bead.ref)
        bead_at.append(starts)
    units: list[Unit] = []
    lo = 0
    while lo < n:
        hi = lo
        while link[hi]:
            hi += 1
        idx = tuple(range(lo, hi + 1))
        refs: list[str | None] = []
        for k, al in enumerate(doc.alignments):
            if al is None:
                refs.append(None)
            elif al.method == "dp":
                texts = [al.ref_lines[j][1] for i in idx for j in bead_at[k].get(i, ())]
                refs.append(" ".join(texts))
            else:
                vals = [segs[i].refs[k] for i in idx if segs[i].refs[k] is not None]
                refs.append(" ".join(vals) if vals else None)  # type: ignore[arg-type]
        units.append(Unit(doc_index, idx, " ".join(segs[i].mt for i in idx), tuple(refs)))
        lo = hi + 1
    for refs_t in doc.extra_refs():
        units.append(Unit(doc_index, (), "", refs_t))
    return units


@dataclass
class Scores:
    """Scores of one corpus; ``None`` where there is no reference to score against."""

    metrics: tuple[str, ...]
    #: per document, per segment: {metric: score}
    segment: list[list[dict[str, float | None]]]
    #: per document: {metric: score}
    document: list[dict[str, float | None]]
    #: per system: {metric: score}
    system: dict[str, dict[str, float | None]]
    #: metric -> sacrebleu signature string; also "bleu_segment" for sentence BLEU
    signatures: dict[str, str] = field(default_factory=dict)


_WORKER_TER = None


def _ter_chunk(items: list[tuple[str, Refs]]) -> list[list[float] | None]:
    global _WORKER_TER
    if _WORKER_TER is None:
        _WORKER_TER = _make("ter")
    return _statistics(_WORKER_TER, items, memo=None)


def _statistics(metric, items: Iterable[tuple[str, Refs]], memo: dict | None) -> list:
    """sacrebleu's per-segment statistics, with reference information memoised."""
    out: list = []
    pre = metric._preprocess_segment
    for hyp, refs in items:
        present = tuple(r for r in refs if r is not None)
        if not present:
            out.append(None)
            continue
        info = memo.get(present) if memo is not None else None
        if info is None:
            info = metric._extract_reference_info([pre(r) for r in present])
            if memo is not None:
                if len(memo) > 20000:
                    memo.clear()
                memo[present] = info
        out.append(metric._compute_segment_statistics(pre(hyp), info))
    return out


def _parallel_ter(items: list[tuple[str, Refs]], jobs: int,
                  progress: Callable[[int], None] | None) -> list:
    from mtcheck.ter import kernel

    # compiled, TER takes well under a millisecond a segment: spawning workers (each
    # importing sacrebleu and numba) pays only for large inputs
    compiled = kernel() is not None
    if jobs <= 1 or len(items) < (SPAWN_MIN_COMPILED if compiled else 64):
        stats = []
        step = 256
        for i in range(0, len(items), step):
            stats.extend(_ter_chunk(items[i:i + step]))
            if progress:
                progress(len(items[i:i + step]))
        return stats
    import multiprocessing as mp

    size = 256 if compiled else 16
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    stats = []
    ctx = mp.get_context("spawn")
    with ctx.Pool(jobs) as pool:
        for chunk, res in zip(chunks, pool.imap(_ter_chunk, chunks)):
            stats.extend(res)
            if progress:
                progress(len(chunk))
    return stats


_WORKER_METRICS: dict[str, object] = {}

#: fewest statistics units worth handing to a pool already forked / to one forked for them
POOL_MIN_UNITS = 400
FORK_MIN_UNITS = 2000
#: fewest units for which TER, compiled, goes to spawned workers (torch loaded: no fork)
SPAWN_MIN_COMPILED = 20000


def _stats_task(task: tuple[tuple[str, ...], list[tuple[str, Refs]]]) -> dict[str, list]:
    """In a worker: every metric's statistics for ``items``, which share their references
    with no item outside the task, so that the reference memo is as good as in one process."""
    names, items = task
    out: dict[str, list] = {}
    for name in names:
        metric = _WORKER_METRICS.get(name)
        if metric is None:
            metric = _WORKER_METRICS[name] = _make(name)
        out[name] = _statistics(metric, items, memo={})
    return out


def _ref_groups(items: Sequence[tuple[str, Refs]], n_tasks: int) -> list[list[int]]:
    """Item indices in about ``n_tasks`` groups; items with the same references stay together."""
    by_ref: dict[Refs, list[int]] = {}
    for i, (_, refs) in enumerate(items):
        by_ref.setdefault(refs, []).append(i)
    target = max(1, -(-len(items) // max(1, n_tasks)))
    groups: list[list[int]] = []
    cur: list[int] = []
    for idx in by_ref.values():
        cur.extend(idx)
        if len(cur) >= target:
            groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    return groups


def _pooled_statistics(pool, names: Sequence[str], items: list[tuple[str, Refs]], jobs: int,
                       progress: Callable[[str, int, int], None] | None) -> dict[str, list]:
    groups = _ref_groups(items, 4 * max(1, jobs))
    out: dict[str, list] = {name: [None] * len(items) for name in names}
    tasks = [(tuple(names), [items[i] for i in g]) for g in groups]
    for g, res in zip(groups, pool.imap(_stats_task, tasks)):
        for name in names:
            col = out[name]
            for i, st in zip(g, res[name]):
                col[i] = st
            if progress:
                progress(name, len(g), len(items))
    return out


def _can_fork() -> bool:
    import sys
    import threading

    # fork is cheap and inherits everything, but not safe once torch (or any other
    # thread, such as another pool's) runs
    return sys.platform == "linux" and "torch" not in sys.modules and threading.active_count() == 1


def _sum(rows: list) -> list | None:
    rows = [r for r in rows if r is not None]
    if not rows:
        return None
    return [sum(col) for col in zip(*rows)]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass
class DocScores:
    """One document's metric results: what a resumed run needs to rebuild every report."""

    segment: list[dict[str, float | None]]
    document: dict[str, float | None]
    #: per metric: the document's summed sufficient statistics (None without references)
    totals: dict[str, list | None]
    #: reference counts seen in its units (for the signatures)
    nrefs: list[int]


def score_documents(
    docs: Sequence[Document],
    metrics: Sequence[str] = METRICS,
    jobs: int = 0,
    progress: Callable[[str, int, int], None] | None = None,
    pool=None,
) -> list[DocScores]:
    """Segment and document scores, and summed statistics, for each of ``docs``.

    The statistics are computed on ``pool`` (a multiprocessing pool, e.g. the checks' fork
    pool) where one is given, else in a pool forked here where that is safe and worth it
    (Linux, no torch or other threads yet, ``jobs`` > 1, enough segments), else in this
    process (TER on spawned workers). Results do not depend on which.
    """
    metrics = sacrebleu_metrics(metrics)
    jobs = jobs or default_jobs()
    units: list[Unit] = []
    for d, doc in enumerate(docs):
        units.extend(units_of(doc, d))
    items = [(u.hyp, u.refs) for u in units]
    out = [DocScores([{m: None for m in metrics} for _ in doc.segments], {m: None for m in metrics},
                     {m: None for m in metrics}, []) for doc in docs]
    nrefs_of: list[set[int]] = [set() for _ in docs]
    for u in units:
        n = sum(r is not None for r in u.refs)
        if n:
            nrefs_of[u.doc].add(n)
    for d, ds in enumerate(out):
        ds.nrefs = sorted(nrefs_of[d])
    pooled: dict[str, list] | None = None
    if jobs > 1 and pool is not None and len(items) >= POOL_MIN_UNITS:
        pooled = _pooled_statistics(pool, metrics, items, jobs, progress)
    elif jobs > 1 and len(items) >= FORK_MIN_UNITS and _can_fork():
        own = _fork_pool(jobs)
        try:
            pooled = _pooled_statistics(own, metrics, items, jobs, progress)
        finally:
            _close_pool(own)
    _scores_from_statistics(docs, units, items, metrics, jobs, pooled, out, progress)
    return out


def _fork_pool(jobs: int):
    import multiprocessing as mp

    return mp.get_context("fork").Pool(jobs)


def _close_pool(pool) -> None:
    pool.terminate()
    pool.join()


def _scores_from_statistics(docs, units, items, metrics, jobs, pooled, out, progress) -> None:
    """Into ``out``: segment and document scores, and document totals, from the statistics
    (``pooled``, or computed here where None)."""
    for name in metrics:
        metric = _make(name)
        tick = (lambda k, _n=name: progress(_n, k, len(items))) if progress else None
        if pooled is not None:
            stats = pooled[name]
        elif name == "ter":
            stats = _parallel_ter(items, jobs, tick)
        else:
            stats = _statistics(metric, items, memo={})
            if tick:
                tick(len(items))
        seg_metric = _make(name, sentence=True) if name == "bleu" else metric
        per_doc: list[list] = [[] for _ in docs]
        for u, st in zip(units, stats):
            per_doc[u.doc].append(st)
            if st is not None and u.segs:
                value = seg_metric._compute_score_from_stats(st).score
                for i in u.segs:
                    out[u.doc].segment[i][name] = value
        for d in range(len(docs)):
            total = _sum(per_doc[d])
            out[d].totals[name] = total
            if total is not None:
                out[d].document[name] = metric._compute_score_from_stats(total).score


def combine(corpus: Corpus, per_doc: Sequence[DocScores], metrics: Sequence[str] = METRICS) -> Scores:
    """System scores and signatures from the documents' results (in corpus order)."""
    metrics = sacrebleu_metrics(metrics)
    docs = corpus.documents
    system: dict[str, dict[str, float | None]] = {s: {m: None for m in metrics} for s in corpus.systems}
    nrefs = {n for ds in per_doc for n in ds.nrefs}
    signatures: dict[str, str] = {}
    for name in metrics:
        metric = _make(name)
        seg_metric = _make(name, sentence=True) if name == "bleu" else metric
        per_sys: dict[str, list] = {s: [] for s in system}
        for doc, ds in zip(docs, per_doc):
            per_sys[doc.system].append(ds.totals[name])
        for s, rows in per_sys.items():
            total = _sum(rows)
            if total is not None:
                system[s][name] = metric._compute_score_from_stats(total).score
        for key, m in ((name, metric), (f"{name}_segment", seg_metric)):
            m.num_refs = (next(iter(nrefs)) if len(nrefs) == 1 else -1) if nrefs else 0
            if key == name or name == "bleu":
                signatures[key] = f"{name.upper() if name != 'chrf' else 'chrF2'}|{m.get_signature().format()}"
    return Scores(metrics, [ds.segment for ds in per_doc], [ds.document for ds in per_doc], system, signatures)


def score_corpus(
    corpus: Corpus,
    metrics: Sequence[str] = METRICS,
    jobs: int = 0,
    progress: Callable[[str, int, int], None] | None = None,
) -> Scores:
    """Score every segment, document and system of ``corpus``.

    ``progress(metric, done_increment, total)`` is called as statistics are computed.
    """
    return combine(corpus, score_documents(corpus.documents, metrics, jobs, progress), metrics)


def is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def unit_statistics(docs: Sequence[Document], metric: str, jobs: int = 0) -> list[list[list | None]]:
    """Per document of ``docs``: the sufficient statistics of each of its units.

    Units are in ``units_of`` order (the same units ``score_documents`` sums); a unit
    without a reference has ``None``. These are what paired significance tests resample
    (``mtcheck.compare``), exactly as sacrebleu resamples its per-segment statistics.
    """
    (name,) = parse_metrics([metric])
    units = [units_of(doc, d) for d, doc in enumerate(docs)]
    items = [(u.hyp, u.refs) for us in units for u in us]
    if name == "ter":
        stats = _parallel_ter(items, jobs or default_jobs(), None)
    else:
        stats = _statistics(_make(name), items, memo={})
    out, pos = [], 0
    for us in units:
        out.append(stats[pos:pos + len(us)])
        pos += len(us)
    return out
