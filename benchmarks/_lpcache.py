"""A cache of the language model's token log-probabilities, so scoring formulas can be iterated on in seconds.

    from _lpcache import cached_logprobs
    pairs = cached_logprobs(texts)     # [(token log-probs, char offsets)] as FluencyScorer.token_logprobs

Keyed by the scorer's signature (model, dtype, prefix ...) and the text; stored in an SQLite file under
``$MTCHECK_LP_CACHE`` (default ``/tmp/mtcheck-lp-cache``). Texts not in the cache are scored (the model
is loaded only then) and added. Only benchmarks use it; nothing in ``mtcheck`` does.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Sequence

_DB = Path(os.environ.get("MTCHECK_LP_CACHE", "/tmp/mtcheck-lp-cache")) / "lp.sqlite"
_scorer = None


def scorer(lm: str | None = None):
    """The one FluencyScorer of this process (loaded on first use)."""
    global _scorer
    if _scorer is None:
        from mtcheck.fluency import FluencyScorer

        _scorer = FluencyScorer(lm)
    return _scorer


def _key(model: str, text: str) -> str:
    return hashlib.sha1(f"{model}\x00{text}".encode("utf-8")).hexdigest()


def cached_logprobs(texts: Sequence[str], lm: str | None = None, chunk: int = 64,
                    progress: bool = False) -> list[tuple[list[float], list[tuple[int, int]]]]:
    model = lm or "smollm2"
    _DB.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(_DB, timeout=60)
    con.execute("CREATE TABLE IF NOT EXISTS lp (k TEXT PRIMARY KEY, v TEXT)")
    keys = [_key(model, t) for t in texts]
    have: dict[str, tuple] = {}
    uniq = list(dict.fromkeys(keys))
    for i in range(0, len(uniq), 500):
        part = uniq[i:i + 500]
        q = ",".join("?" * len(part))
        for k, v in con.execute(f"SELECT k, v FROM lp WHERE k IN ({q})", part):
            d = json.loads(v)
            have[k] = (d[0], [tuple(o) for o in d[1]])
    todo = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in have))
    if os.environ.get("MTCHECK_LP_CACHED_ONLY") == "1":  # a quick look: texts not scored yet count as empty
        con.close()
        return [have.get(k, ([], [])) for k in keys]
    for i in range(0, len(todo), chunk):
        part = todo[i:i + chunk]
        res = scorer(lm).token_logprobs(part)
        rows = []
        for t, (lps, offs) in zip(part, res):
            k = _key(model, t)
            have[k] = (lps, [tuple(o) for o in offs])
            rows.append((k, json.dumps([lps, offs])))
        con.executemany("INSERT OR REPLACE INTO lp VALUES (?, ?)", rows)
        con.commit()
        if progress:
            print(f"scored {min(i + chunk, len(todo))}/{len(todo)}", flush=True)
    con.close()
    return [have[k] for k in keys]


class CachedScorer:
    """Stands in for FluencyScorer in ``pipeline.analyse``: log-probabilities from the cache,
    scores from ``mtcheck.fluency.score_logprobs`` (the formula as it is now)."""

    def __init__(self, lm: str | None = None) -> None:
        from mtcheck.fluency import SCORE_PARAMS

        self.lm = lm
        self.signature = f"LM|model:{lm or 'SmolLM2-135M-Instruct'}|cached|params:{sorted(SCORE_PARAMS.items())}"

    def score(self, texts: Sequence[str]):
        from mtcheck.fluency import score_logprobs

        return [score_logprobs(t, lp, off) for t, (lp, off) in zip(texts, cached_logprobs(texts, self.lm))]
