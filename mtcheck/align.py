"""Hypothesis <-> reference sentence alignment.

A monotone dynamic-programming alignment in the spirit of Gale-Church and Bleualign:
beads 1-1, 1-2, 2-1, 1-0 and 0-1, scored on word overlap and length. Used when a
reference rewrite merged or split sentences, so that MT and reference no longer have
the same number of lines.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

from mtcheck.corpus import Bead

_WORD = re.compile(r"\w+", re.UNICODE)

#: cost of leaving a sentence unaligned (1-0 or 0-1); a 1-1 pair that shares little
#: more than function words costs about as much.
SKIP_COST = 0.9
#: base cost of merging two sentences into one bead
MERGE_COST = 0.1


def _bag(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def _size(c: Counter[str]) -> int:
    return sum(c.values())


def _common(a: Counter[str], b: Counter[str]) -> int:
    if len(a) > len(b):
        a, b = b, a
    return sum(min(n, b[w]) for w, n in a.items() if w in b)


def _pair_cost(a: Counter[str], b: Counter[str]) -> float:
    na, nb = _size(a), _size(b)
    if na == 0 and nb == 0:
        return 0.0
    dice = 2.0 * _common(a, b) / (na + nb)
    length = abs(math.log((na + 1) / (nb + 1)))
    return (1.0 - dice) + 0.3 * length


def _merge_cost(parts: tuple[Counter[str], Counter[str]], other: Counter[str]) -> float:
    """Cost of aligning two joined sentences with one: each part must add something."""
    joined = parts[0] + parts[1]
    n = _size(other) or 1
    cov_joined = _common(joined, other) / n
    gains = [cov_joined - _common(parts[1 - i], other) / n for i in range(2)]
    penalty = MERGE_COST + max(0.0, 0.15 - min(gains)) * 6.0
    return _pair_cost(joined, other) + penalty


def align(mt: Sequence[str], ref: Sequence[str], band: int | None = None) -> list[Bead]:
    """Align MT sentences with reference sentences; return the beads in order.

    Every index of both sides appears in exactly one bead. ``band`` limits how far the
    path may stray from the diagonal (default: wide enough for the length difference).
    """
    n, m = len(mt), len(ref)
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    a = [_bag(t) for t in mt]
    b = [_bag(t) for t in ref]
    if band is None:
        band = max(20, abs(n - m) + 10)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0

    def near(i: int, j: int) -> bool:
        return abs(j - i * m / n) <= band

    for i in range(n + 1):
        for j in range(m + 1):
            if (i == 0 and j == 0) or not near(i, j):
                continue
            best, arg = inf, None
            moves: list[tuple[int, int, float]] = []
            if i >= 1 and j >= 1:
                moves.append((1, 1, _pair_cost(a[i - 1], b[j - 1])))
            if i >= 1:
                moves.append((1, 0, SKIP_COST))
            if j >= 1:
                moves.append((0, 1, SKIP_COST))
            if i >= 1 and j >= 2:
                moves.append((1, 2, _merge_cost((b[j - 2], b[j - 1]), a[i - 1])))
            if i >= 2 and j >= 1:
                moves.append((2, 1, _merge_cost((a[i - 2], a[i - 1]), b[j - 1])))
            for di, dj, c in moves:
                prev = cost[i - di][j - dj]
                if prev + c < best:
                    best, arg = prev + c, (di, dj)
            cost[i][j] = best
            back[i][j] = arg
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        step = back[i][j]
        assert step is not None, "alignment band too narrow"
        di, dj = step
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def identity(n: int) -> list[Bead]:
    """The alignment of two sides whose lines already correspond."""
    return [Bead((i,), (i,)) for i in range(n)]
