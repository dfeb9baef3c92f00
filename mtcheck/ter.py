"""Exact TER at compiled speed: sacrebleu's ``TER`` with its segment statistics computed by
a numba port of ``sacrebleu.metrics.lib_ter`` (``mtcheck/_ter_kernel.py``).

The statistics (number of edits, average reference length) are those of sacrebleu's own
``TER()._compute_segment_statistics``, segment for segment (``benchmarks/ter_speed.py``
asserts it on every WMT22 system, ``tests/test_ter.py`` on a slice and on edge cases);
tokenisation, signatures and scores stay sacrebleu's. The compiled code is cached under
``mtcheck.fluency.cache_root()/numba`` (or ``$NUMBA_CACHE_DIR``), so the compile (a few
seconds) is paid once per machine. Without numba, or if it fails to compile, sacrebleu's
own Python code computes the same numbers, slowly.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Dict, List, Sequence

from sacrebleu.metrics import TER as _SacreTER
from sacrebleu.metrics.lib_ter import translation_edit_rate as _py_ter

_KERNEL: Callable | bool | None = None  # None: not tried yet; False: unavailable


def kernel() -> Callable | None:
    """The compiled ``translation_edit_rate(hyp_ids, ref_ids) -> edits``, or None."""
    global _KERNEL
    if _KERNEL is None:
        try:
            import numba
            import numpy as np

            if not os.environ.get("NUMBA_CACHE_DIR"):
                from mtcheck.fluency import cache_root

                numba.config.CACHE_DIR = str(cache_root() / "numba")
            from mtcheck import _ter_kernel

            one = np.zeros(1, dtype=np.int32)
            _ter_kernel.translation_edit_rate(one, one)  # compile, or load from the cache
            _KERNEL = _ter_kernel.translation_edit_rate
        except Exception:  # noqa: BLE001 - any failure means: use sacrebleu's code
            _KERNEL = False
    return _KERNEL or None


def use_kernel(on: bool) -> None:
    """Force the compiled kernel off (``False``: sacrebleu's code) or back to automatic."""
    global _KERNEL
    _KERNEL = None if on else False


def edits(words_hyp: Sequence[str], words_ref: Sequence[str]) -> tuple[int, int]:
    """``(number of edits, reference length)``, as sacrebleu's ``translation_edit_rate``."""
    k = kernel()
    if k is None:
        return _py_ter(list(words_hyp), list(words_ref))
    import numpy as np

    ids: dict[str, int] = {}
    h = np.array([ids.setdefault(w, len(ids)) for w in words_hyp], dtype=np.int32)
    r = np.array([ids.setdefault(w, len(ids)) for w in words_ref], dtype=np.int32)
    n = k(h, r)
    if n < 0:  # where sacrebleu's trace fails: let it say so
        return _py_ter(list(words_hyp), list(words_ref))
    return int(n), len(words_ref)


class TER(_SacreTER):
    """sacrebleu's TER (same options, signature and scores), segment statistics compiled."""

    def _compute_segment_statistics(self, hypothesis: str, ref_kwargs: Dict[str, Any]) -> List[float]:
        k = kernel()
        if k is None:
            return super()._compute_segment_statistics(hypothesis, ref_kwargs)
        import numpy as np

        words_hyp = hypothesis.split()
        ref_words = ref_kwargs["ref_words"]
        ids: dict[str, int] = {}
        h = np.array([ids.setdefault(w, len(ids)) for w in words_hyp], dtype=np.int32)
        ref_lengths = 0
        best = int(1e16)
        for words_ref in ref_words:
            r = np.array([ids.setdefault(w, len(ids)) for w in words_ref], dtype=np.int32)
            n = int(k(h, r))
            if n < 0:
                n = _py_ter(words_hyp, words_ref)[0]
            ref_lengths += len(words_ref)
            if n < best:
                best = n
        return [best, ref_lengths / len(ref_words)]
