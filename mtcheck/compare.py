"""The compare job: every system against a baseline (or all pairs), with paired significance tests.

No printing, no exiting: :func:`compare` returns records and writes ``compare.csv``;
``cli.py`` prints the table that :func:`format_table` builds.

- BLEU, chrF and TER are tested exactly as sacrebleu's ``--paired-bs`` / ``--paired-ar`` test
  them (``sacrebleu.significance``): the same random draws from the same seed, the same
  per-segment sufficient statistics, the same p-value (``_compute_p_value``) and the same 95%
  interval (``estimate_ci``), so on the same statistics the numbers equal sacrebleu's.
- Per-segment scores (:data:`SEGMENT_SCORES`, today ``fluency``; ``quality`` once the score job
  has it) are compared by their mean over segments, with the same tests: each unit carries
  ``(sum of scores, number of scores)``, so the resampled statistic is the mean of the segment
  scores in the sample. A score the run did not produce (no language model, no quality) has no
  rows.
- ``by="document"`` resamples whole documents for every metric (a document's statistics
  summed), which allows for scores of one document moving together.

A comparison is *significant* when its p-value is below :data:`ALPHA` (0.05), as sacrebleu marks
it. Units are paired by document and, inside a document, by reference (or segment id): where two
systems' documents were aligned differently, that document is one unit for the pair.
"""
from __future__ import annotations

import math
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from mtcheck.config import Config
from mtcheck.corpus import Corpus
from mtcheck.errors import MtcheckError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from mtcheck.report import CorpusResult

#: the metrics tested with sacrebleu's own statistics
SACREBLEU_METRICS = ("bleu", "chrf", "ter")
#: per-segment scores of the score job (columns of segments.csv) compared by their mean;
#: the one list compare reads them from. A name absent from a run's segments has no rows.
SEGMENT_SCORES = ("quality", "fluency")
#: column order of the printed table and of compare.csv's rows
METRIC_ORDER = ("quality", "bleu", "chrf", "ter", "fluency")
#: systems are ranked by the first of these that the run has
RANK_BY = ("quality", "chrf", "bleu", "ter", "fluency")
LOWER_IS_BETTER = frozenset({"ter"})
LABELS = {"quality": "quality", "bleu": "BLEU", "chrf": "chrF", "ter": "TER", "fluency": "fluency"}
COMPARE_COLUMNS = ("corpus", "system", "baseline", "metric", "score", "baseline_score", "delta",
                   "ci_low", "ci_high", "p_value", "significant")
#: a difference is significant when p < ALPHA
ALPHA = 0.05
TESTS = {"bs": "paired bootstrap", "ar": "approximate randomisation"}
#: sacrebleu's defaults: 1,000 bootstrap resamples, 10,000 randomisation trials
DEFAULT_RESAMPLES = {"bs": 1000, "ar": 10000}
#: bootstrap resamples for the interval in an approximate-randomisation test
AR_CONFIDENCE = 1000
SEED = 12345
BY = ("segment", "document")


# ---------------------------------------------------------------------------------------------
# the tests, on given statistics (sacrebleu.significance's _paired_bs_test / _paired_ar_test)


@dataclass(frozen=True)
class _Score:
    score: float


class MeanScore:
    """The mean of a per-segment score, in sacrebleu's sufficient-statistics form.

    Each unit's statistics are ``[sum of its segment scores, number of scores]``.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def _compute_score_from_stats(self, stats: Sequence[float]) -> _Score:
        total, n = float(stats[0]), float(stats[1])
        return _Score(total / n if n else math.nan)

    def _aggregate_and_compute(self, stats: Any) -> _Score:
        import numpy as np

        return self._compute_score_from_stats(np.asarray(stats, dtype="float64").reshape(-1, 2).sum(0))


@dataclass(frozen=True)
class TestResult:
    """One paired test: both scores, the system's bootstrap mean and 95% half-width, the p-value."""

    score: float
    baseline_score: float
    mean: float
    ci: float
    p_value: float


def paired_bootstrap(sys_stats: Sequence[Sequence[float]], bl_stats: Sequence[Sequence[float]], metric: Any,
                     n_samples: int = 1000, seed: int | None = SEED, dtype: str = "float32") -> TestResult:
    """sacrebleu's paired bootstrap resampling test (``_paired_bs_test``) on given unit statistics."""
    import numpy as np
    from sacrebleu.significance import _compute_p_value, estimate_ci

    rng = np.random.default_rng(seed)
    idxs = rng.choice(len(sys_stats), size=(n_samples, len(sys_stats)), replace=True)
    sys_score = metric._aggregate_and_compute(sys_stats).score
    bl_score = metric._aggregate_and_compute(bl_stats).score
    sys_np = np.array(sys_stats, dtype=dtype)
    bl_np = np.array(bl_stats, dtype=dtype)
    diff = abs(bl_score - sys_score)
    scores_bl = np.array([metric._compute_score_from_stats(_s.sum(0)).score for _s in bl_np[idxs]])
    scores_sys = np.array([metric._compute_score_from_stats(_s.sum(0)).score for _s in sys_np[idxs]])
    sys_mean, sys_ci = estimate_ci(scores_sys)
    sample_diffs = np.abs(scores_sys - scores_bl)
    p = _compute_p_value(sample_diffs - sample_diffs.mean(), diff)
    return TestResult(float(sys_score), float(bl_score), float(sys_mean), float(sys_ci), float(p))


def paired_randomisation(sys_stats: Sequence[Sequence[float]], bl_stats: Sequence[Sequence[float]], metric: Any,
                         n_samples: int = 10000, seed: int | None = SEED, n_confidence: int = AR_CONFIDENCE,
                         dtype: str = "float32") -> TestResult:
    """sacrebleu's paired approximate randomisation test (``_paired_ar_test``) on given unit statistics,
    with the interval from ``n_confidence`` bootstrap resamples, as sacrebleu's ``n_ar_confidence``."""
    import numpy as np
    from sacrebleu.significance import _compute_p_value, estimate_ci

    rng = np.random.default_rng(seed)
    n = len(sys_stats)
    pos_sel = rng.integers(2, size=(n_samples, n), dtype=bool)
    neg_sel = ~pos_sel
    bs_idxs = rng.choice(n, size=(n_confidence, n), replace=True)
    bl = np.array(bl_stats)
    sy = np.array(sys_stats)
    sys_score = metric._aggregate_and_compute(sys_stats).score
    bl_score = metric._aggregate_and_compute(bl_stats).score
    diff = abs(bl_score - sys_score)
    shuf_a = pos_sel @ bl + neg_sel @ sy
    shuf_b = neg_sel @ bl + pos_sel @ sy
    scores_a = np.array([metric._aggregate_and_compute(x).score for x in shuf_a[:, None]])
    scores_b = np.array([metric._aggregate_and_compute(x).score for x in shuf_b[:, None]])
    p = _compute_p_value(np.abs(scores_a - scores_b), diff)
    sys_np = np.array(sys_stats, dtype=dtype)
    sys_scores = np.array([metric._compute_score_from_stats(_s.sum(0)).score for _s in sys_np[bs_idxs]])
    sys_mean, sys_ci = estimate_ci(sys_scores)
    return TestResult(float(sys_score), float(bl_score), float(sys_mean), float(sys_ci), float(p))


# ---------------------------------------------------------------------------------------------
# units: (key, statistics) per document, paired between two systems

#: per document of the corpus: (pairing key, statistics or None) per unit
DocUnits = list[list[tuple[Any, "list | None"]]]


def _sacrebleu_units(corpus: Corpus, metric: str, jobs: int) -> DocUnits:
    from mtcheck.metrics import unit_statistics, units_of

    stats = unit_statistics(corpus.documents, metric, jobs)
    return [[((bool(u.segs), u.refs), st) for u, st in zip(units_of(doc, d), doc_stats)]
            for d, (doc, doc_stats) in enumerate(zip(corpus.documents, stats))]


def segment_scores(result: "CorpusResult") -> dict[str, DocUnits]:
    """The per-segment scores in :data:`SEGMENT_SCORES` that this run produced, as units."""
    from mtcheck.report import frames

    seg = frames([result])["segments"]
    out: dict[str, DocUnits] = {}
    for name in SEGMENT_SCORES:
        if name not in seg.columns or not seg[name].notna().any():
            continue
        values = seg[name].tolist()
        units: DocUnits = []
        pos = 0
        for doc in result.corpus.documents:
            units.append([(s.seg_id, None if _missing(v) else [float(v), 1.0])
                          for s, v in zip(doc.segments, values[pos:pos + len(doc)])])
            pos += len(doc)
        out[name] = units
    return out


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _add(rows: Sequence[list | None]) -> list | None:
    present = [r for r in rows if r is not None]
    return [sum(col) for col in zip(*present)] if present else None


def pair_units(units: DocUnits, sys_docs: Sequence[int], bl_docs: Sequence[int], by: str = "segment",
               ) -> tuple[list, list]:
    """Paired statistics of two systems: ``sys_docs[i]`` and ``bl_docs[i]`` are the same document.

    Inside a document units pair one to one when their keys agree (and ``by`` is
    ``segment``); otherwise the document's statistics are summed into one unit.
    """
    sys_out: list = []
    bl_out: list = []
    width = next((len(st) for doc in units for _, st in doc if st is not None), 0)
    for a, b in zip(sys_docs, bl_docs):
        ua, ub = units[a], units[b]
        if by == "segment" and [k for k, _ in ua] == [k for k, _ in ub]:
            pairs = [(sa, sb) for (_, sa), (_, sb) in zip(ua, ub)]
        else:
            pairs = [(_add([s for _, s in ua]), _add([s for _, s in ub]))]
        for sa, sb in pairs:
            if sa is None and sb is None:
                continue
            sys_out.append(sa if sa is not None else [0] * width)
            bl_out.append(sb if sb is not None else [0] * width)
    return sys_out, bl_out


# ---------------------------------------------------------------------------------------------
# the job


@dataclass(frozen=True)
class Comparison:
    """One row of compare.csv: ``system`` against ``baseline`` on one metric."""

    corpus: str
    system: str
    baseline: str
    metric: str
    score: float
    baseline_score: float
    delta: float
    ci_low: float
    ci_high: float
    p_value: float
    significant: bool

    def to_dict(self) -> dict[str, Any]:
        return dict(zip((f.name for f in fields(self)), astuple(self)))


@dataclass
class Comparisons:
    """What compare found: systems best first, their scores, and the pairwise rows."""

    corpus: Corpus
    #: systems, best first (by the first metric of RANK_BY the run has)
    systems: list[str]
    #: metrics compared, in METRIC_ORDER
    metrics: tuple[str, ...]
    #: system -> metric -> score over all its units
    scores: dict[str, dict[str, float]]
    rows: list[Comparison]
    baseline: str | None
    test: str
    resamples: int
    seed: int
    by: str
    result: Any = None

    @property
    def rank_by(self) -> str | None:
        return next((m for m in RANK_BY if m in self.metrics), None)

    def row(self, system: str, baseline: str, metric: str) -> Comparison | None:
        for r in self.rows:
            if (r.system, r.baseline, r.metric) == (system, baseline, metric):
                return r
        return None

    def describe(self) -> str:
        """One line naming the test: ``paired bootstrap, 1000 resamples, seed 12345, by segment``."""
        what = "resamples" if self.test == "bs" else "trials"
        return f"{TESTS[self.test]} (sacrebleu), {self.resamples} {what}, seed {self.seed}, by {self.by}"


def _documents_by_system(corpus: Corpus) -> dict[str, list[int]]:
    """Per system, its documents' corpus indices in the first system's document order."""
    index: dict[str, dict[str, int]] = {}
    for k, d in enumerate(corpus.documents):
        index.setdefault(d.system, {})[d.doc_id] = k
    systems = corpus.systems
    first = index[systems[0]]
    for s in systems[1:]:
        for a, b in ((systems[0], s), (s, systems[0])):
            missing = [doc for doc in index[a] if doc not in index[b]]
            if missing:
                raise MtcheckError(f"{corpus.path}: system {b!r} has no document {missing[0]!r} that {a!r} has; "
                                   "compare needs every system to translate the same documents")
    return {s: [index[s][doc] for doc in first] for s in systems}


def check_request(corpus: Corpus, baseline: str | None, by: str, test: str, resamples: int | None) -> int:
    """Refuse what cannot be compared (one-line errors); return the number of resamples."""
    if by not in BY:
        raise MtcheckError(f"--by must be one of {', '.join(BY)}, got {by!r}")
    if test not in TESTS:
        raise MtcheckError(f"--test must be one of {', '.join(TESTS)}, got {test!r}")
    n_samples = DEFAULT_RESAMPLES[test] if resamples is None else resamples
    if n_samples < 1:
        raise MtcheckError("--resamples must be 1 or more")
    systems = corpus.systems
    if len(systems) < 2:
        raise MtcheckError(f"{corpus.path}: compare needs two or more systems; the corpus has "
                           f"{'one' if systems else 'none'}{f' ({systems[0]})' if systems else ''}")
    if baseline is not None and baseline not in systems:
        raise MtcheckError(f"unknown --baseline system {baseline!r}; {corpus.name} has: {', '.join(systems)}")
    docs_of = _documents_by_system(corpus)
    if by == "document" and len(docs_of[systems[0]]) < 2:
        raise MtcheckError(f"{corpus.path}: --by document needs two or more documents per system; "
                           "this corpus has one (use --by segment)")
    return n_samples


def compare_result(result: "CorpusResult", config: Config, baseline: str | None = None, by: str = "segment",
                   test: str = "bs", resamples: int | None = None, seed: int = SEED) -> Comparisons:
    """Compare the systems of one analysed corpus (see the module docstring)."""
    from mtcheck.metrics import _make, default_jobs
    from mtcheck.pipeline import available_inputs

    corpus = result.corpus
    n_samples = check_request(corpus, baseline, by, test, resamples)
    docs_of = _documents_by_system(corpus)
    systems = corpus.systems
    jobs = config["jobs"] or default_jobs()

    units: dict[str, DocUnits] = {}
    scorers: dict[str, Any] = {}
    with_refs = "ref" in available_inputs(corpus)
    for m in config["metrics"]:
        if m in SACREBLEU_METRICS and with_refs:
            units[m] = _sacrebleu_units(corpus, m, jobs)
            scorers[m] = _make(m)
    for name, u in segment_scores(result).items():
        units[name] = u
        scorers[name] = MeanScore(name)
    metrics = tuple(m for m in METRIC_ORDER if m in units)

    scores: dict[str, dict[str, float]] = {s: {} for s in systems}
    for m in metrics:
        for s in systems:
            stats = [st for k in docs_of[s] for _, st in units[m][k] if st is not None]
            if stats:
                scores[s][m] = float(scorers[m]._aggregate_and_compute(stats).score)
    rank_by = next((m for m in RANK_BY if m in metrics), None)
    order = {s: i for i, s in enumerate(systems)}

    def key(s: str) -> tuple:
        v = scores[s].get(rank_by, math.nan) if rank_by else math.nan
        if math.isnan(v):
            return (1, 0.0, order[s])
        return (0, v if rank_by in LOWER_IS_BETTER else -v, order[s])

    ranked = sorted(systems, key=key)
    if baseline is not None:
        pairs = [(s, baseline) for s in ranked if s != baseline]
    else:
        pairs = [(ranked[j], ranked[i]) for i in range(len(ranked)) for j in range(i + 1, len(ranked))]
    rows: list[Comparison] = []
    for s, b in pairs:
        for m in metrics:
            sys_stats, bl_stats = pair_units(units[m], docs_of[s], docs_of[b], by)
            if not sys_stats:
                continue
            dtype = "float32" if m in SACREBLEU_METRICS else "float64"
            if test == "bs":
                t = paired_bootstrap(sys_stats, bl_stats, scorers[m], n_samples, seed, dtype)
            else:
                t = paired_randomisation(sys_stats, bl_stats, scorers[m], n_samples, seed, AR_CONFIDENCE, dtype)
            rows.append(Comparison(corpus.name, s, b, m, t.score, t.baseline_score, t.score - t.baseline_score,
                                   t.mean - t.ci, t.mean + t.ci, t.p_value, t.p_value < ALPHA))
    return Comparisons(corpus, ranked, metrics, scores, rows, baseline, test, n_samples, seed, by, result)


def frame(c: Comparisons) -> "pd.DataFrame":
    """compare.csv as a DataFrame with its fixed columns."""
    import pandas as pd

    df = pd.DataFrame([r.to_dict() for r in c.rows], columns=list(COMPARE_COLUMNS))
    for col in ("score", "baseline_score", "delta", "ci_low", "ci_high", "p_value"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    return df


def compare(path: str, config: Config, baseline: str | None = None, out: str | None = None, by: str = "segment",
            test: str = "bs", resamples: int | None = None, seed: int = SEED, raw_csv: bool = False,
            progress: Callable[[str, int, int], None] | None = None) -> tuple[Comparisons, Path]:
    """Read and analyse one corpus, compare its systems, write ``compare.csv``; return both.

    The file goes into ``out`` or ``<config out>/<corpus name>/`` (beside ``mtcheck score``'s
    reports), written atomically.
    """
    from mtcheck import pipeline
    from mtcheck.readers import read_corpus
    from mtcheck.report import write_reports

    corpus = read_corpus(path, align=config["align"])
    check_request(corpus, baseline, by, test, resamples)  # before loading any model
    scorer = pipeline.make_scorer(config) if config["fluency"] else None
    result = pipeline.analyse(corpus, config, progress, scorer)
    c = compare_result(result, config, baseline, by, test, resamples, seed)
    folder = Path(out) if out else Path(config["out"]) / corpus.name
    (written,) = write_reports(folder, {"compare": frame(c)}, raw=raw_csv)
    return c, written


# ---------------------------------------------------------------------------------------------
# the printed table


def _fmt(value: float | None) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.2f}"


def format_table(c: Comparisons) -> str:
    """Systems best first, one row each: per metric the score, and its delta against the baseline
    (or, without one, the system in the row above) with ``*`` where p < 0.05; then a legend."""
    header = ["system", *(LABELS[m] + (" (lower better)" if m in LOWER_IS_BETTER else "") for m in c.metrics)]
    names: list[str] = []
    parts: list[list[tuple[str, str]]] = []  # per row, per metric: (score, delta with mark)
    for i, s in enumerate(c.systems):
        against = c.baseline if c.baseline is not None else (c.systems[i - 1] if i else None)
        names.append(s + ("  (baseline)" if s == c.baseline else ""))
        row: list[tuple[str, str]] = []
        for m in c.metrics:
            r = c.row(s, against, m) if against is not None and against != s else None
            if r is None:
                row.append((_fmt(c.scores[s].get(m)), ""))
            else:
                row.append((_fmt(r.score), f"{r.delta:+.2f}{'*' if r.significant else ' '}"))
        parts.append(row)
    cells = [[n] for n in names]
    for k in range(len(c.metrics)):
        ws = max(len(p[k][0]) for p in parts)
        wd = max(len(p[k][1]) for p in parts)
        for cell, p in zip(cells, parts):
            cell.append(p[k][0].rjust(ws) + (" " + p[k][1].ljust(wd) if wd else ""))
    body = cells
    widths = [max(len(row[k]) for row in [header, *body]) for k in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.ljust(widths[k + 1]) for k, cell in enumerate(cells[1:])]
        return "  ".join([first, *rest]).rstrip()

    n_seg = sum(len(d) for d in c.corpus.by_system(c.systems[0]))
    title = (f"{c.corpus.name}: {len(c.systems)} systems, {n_seg} segments each; best first"
             + (f" by {LABELS[c.rank_by]}" if c.rank_by else ""))
    against = (f"against baseline {c.baseline}" if c.baseline is not None
               else "against the system in the row above (every pair in compare.csv)")
    legend = (f"score, then its difference {against}; * p < {ALPHA:g} ({c.describe()})")
    return "\n".join([title, line(header), *(line(b) for b in body), legend]) + "\n"
