"""``quality``, 0-100: one verdict per segment, document and system.

A segment's quality is a logistic function of a weighted sum of its features:

- with a reference: ``chrf`` (segment chrF / 100), ``embed`` (MiniLM cosine to the reference,
  :mod:`mtcheck.embed`), ``fluency`` (the language model's ``lm_score``) and the findings;
- without one (``ref:no``): ``fluency`` and the findings only, with weights of their own;
- both: ``coverage``, the share of the Chinese source's content words that the MT renders
  (:mod:`mtcheck.adequacy`, CC-CEDICT glosses), and the agreement with the source
  (``support``: the MT's words that the source's glosses support; ``neg_diff``,
  ``tense_diff``, ``num_miss``, ``name_miss``: negations, tense markers, numbers and names of
  the source against those of the MT),
  where the segment has a source.

Findings enter as counts per segment: one feature per severity (``sev_error``,
``sev_warning``, ``sev_info``) and one per check family (``code_MT1`` consistency and
terminology, ``code_MT2`` fidelity against the source, ``code_MT3`` fluency checks,
``code_MT4`` residue), so both severity and code carry weight. MT301 (fluency below the
threshold) is left out: fluency is a feature already.

The weights live in ``mtcheck/data/quality_weights.json``, written by
``benchmarks/fit_quality.py``: a pairwise logistic model (L2-regularised) fitted on
differences between translations of the same source in the tune half of the MQM dev file,
so that what is rewarded is being better than the other translations of a sentence, not
length. The file also holds the feature means and scales it standardises with, the offset
that puts the median error-free MQM translation at 80, and the sha256 of the data fitted on.

Document and system quality are the mean of their segments' quality (segments without a
score left out), so every segment counts once, whatever its length.
"""
from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from importlib import resources
from typing import Mapping, Sequence

from mtcheck import __version__
from mtcheck.adequacy import AGREEMENT_FEATURES  # agreement with the Chinese source (support, neg_diff, ...)
from mtcheck.findings import Finding, Severity

FINDING_FEATURES = ("sev_error", "sev_warning", "sev_info", "code_MT1", "code_MT2", "code_MT3", "code_MT4")
REF_FEATURES = ("chrf", "embed", "fluency", "coverage", *AGREEMENT_FEATURES, *FINDING_FEATURES)
NOREF_FEATURES = ("fluency", "coverage", *AGREEMENT_FEATURES, *FINDING_FEATURES)
#: fluency is already a feature: its threshold finding is not counted again
SKIP_CODES = frozenset({"MT301"})
WEIGHTS_FILE = "quality_weights.json"


def finding_features(findings: Sequence[Finding]) -> dict[str, float]:
    """Counts of one segment's findings per severity and per check family."""
    out = {k: 0.0 for k in FINDING_FEATURES}
    for f in findings:
        if f.code in SKIP_CODES:
            continue
        out[{Severity.ERROR: "sev_error", Severity.WARNING: "sev_warning", Severity.INFO: "sev_info"}[f.severity]] += 1
        fam = f"code_{f.code[:3]}"
        if fam in out:
            out[fam] += 1
    return out


def features(chrf: float | None, embed: float | None, lm_score: float | None,
             findings: Sequence[Finding], has_ref: bool,
             coverage: float | None = None,
             agreement: Mapping[str, float] | None = None) -> dict[str, float | None] | None:
    """The feature values of one segment; None when it cannot be scored (no fluency, or
    an empty segment). ``coverage`` is :func:`mtcheck.adequacy.source_coverage` and
    ``agreement`` :func:`mtcheck.adequacy.source_agreement` (None without a Chinese source:
    those terms are then neutral)."""
    if lm_score is None:
        return None
    out: dict[str, float | None] = {"fluency": float(lm_score), "coverage": coverage, **finding_features(findings)}
    for k in AGREEMENT_FEATURES:
        out[k] = None if agreement is None else float(agreement[k])
    if has_ref:
        out["chrf"] = (chrf or 0.0) / 100.0
        out["embed"] = embed if embed is not None else 0.0
    return out


@lru_cache(maxsize=1)
def load_weights() -> dict:
    """The shipped weights (``mtcheck/data/quality_weights.json``)."""
    text = resources.files("mtcheck").joinpath("data", WEIGHTS_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    data["_sha"] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return data


def linear(feat: Mapping[str, float | None], model: Mapping) -> float:
    """The model's linear score of standardised features (before the logistic map); a
    feature that is absent or None (no source: no coverage) sits at its mean and adds nothing."""
    return model["offset"] + sum(w * (feat[k] - model["mean"][k]) / model["scale"][k]
                                 for k, w in model["weights"].items() if feat.get(k) is not None)


def quality_of(feat: Mapping[str, float] | None, weights: Mapping | None = None) -> float | None:
    """0-100 quality of one segment's features (the reference-based or reference-free model)."""
    if feat is None:
        return None
    w = weights or load_weights()
    model = w["ref"] if "chrf" in feat else w["noref"]
    z = linear(feat, model)
    return 100.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def signature(has_ref: bool, lm_signature: str | None, weights: Mapping | None = None) -> str:
    w = weights or load_weights()
    lm = (lm_signature or "").split("|")[1].split(":", 1)[-1] if lm_signature else "none"
    parts = [f"Q|weights:{w.get('_sha', 'custom')}", f"ref:{'yes' if has_ref else 'no'}"]
    if has_ref:
        parts.append("chrf:sacrebleu|emb:all-MiniLM-L6-v2")
    parts.append(f"lm:{lm}|fit:{w['data_sha256'][:12]}|version:{__version__}")
    return "|".join(parts)


def mean_quality(values: Sequence[float | None]) -> float | None:
    """Document or system quality: the mean of the segments that have one."""
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else None


def segment_quality(result) -> list[list[float | None]]:
    """Per document of a CorpusResult, per segment: quality (as the reports hold it)."""
    q = result.quality or {}
    return [q.get((d.system, d.doc_id), [None] * len(d)) for d in result.corpus.documents]


__all__ = ["AGREEMENT_FEATURES", "FINDING_FEATURES", "NOREF_FEATURES", "REF_FEATURES", "features", "finding_features",
           "load_weights", "mean_quality", "quality_of", "segment_quality", "signature"]
