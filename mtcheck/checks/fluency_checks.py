"""Fluency checks that read the language model's scores (MT301)."""
from __future__ import annotations

from typing import Any, Iterator

from mtcheck.checks.base import Check
from mtcheck.corpus import Corpus, Document
from mtcheck.findings import Finding, Severity


class FluencyLow(Check):
    """A segment reads as disfluent: its fluency score is below the threshold.

    Bad: "The innovation chain is organically connected; condensing the advantages ..."
         (fluency 12; the finding points at the least probable stretch of words)
    Good: "... and promote the organic connection of the education, talent, industrial
          and innovation chains."
    Needs the language model (``mtcheck score`` without ``--no-fluency``, ``lint --fluency``);
    the threshold is ``fluency-threshold`` (0-100, default 20: two standard deviations
    below the median human reference sentence).
    """

    code = "MT301"
    name = "fluency.low"
    severity = Severity.WARNING
    scope = "document"
    needs = frozenset({"fluency"})
    options = {"threshold": "20"}

    def prepare(self, corpus: Corpus, extra: dict[str, Any]) -> None:
        self.scores = extra.get("fluency", {})

    def check_document(self, doc: Document) -> Iterator[Finding]:
        results = getattr(self, "scores", {}).get((doc.system, doc.doc_id))
        if not results:
            return
        threshold = float(self.opts["threshold"])
        for seg, res in zip(doc.segments, results):
            if res.fluency is None or res.fluency >= threshold or res.worst is None:
                continue
            start, end = res.worst
            yield self.finding(
                doc, seg, start, end,
                f"fluency {res.fluency:.1f} is below {threshold:g} (perplexity {res.lm_ppl:.0f}); "
                f"the least probable words are '{seg.mt[start:end]}'")
