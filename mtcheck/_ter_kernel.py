"""Compiled TER (numba): sacrebleu's ``lib_ter.translation_edit_rate``, ported exactly.

Imported only by ``mtcheck.ter``, which points numba's cache at mtcheck's cache folder
first. Words are int ids, the edit-distance matrix is a 2-D array. What is kept from
sacrebleu, step by step:

- ``BeamEditDistance``: the band around the pseudo-diagonal (``_BEAM_WIDTH``, widened for
  very unequal lengths), the full last row, costs 1/1/1, and within a cell the first
  strictly smaller of substitution/no-op, deletion, insertion; the trace is read back from
  the bottom-right cell. sacrebleu's trie of hypothesis prefixes is a pure memo (every
  hypothesis a TER call scores has the same length, so a matrix row depends only on the
  prefix): here a shifted candidate reuses the rows of the current hypothesis up to the
  first position the shift changes, which gives the same rows.
- ``_shift``: candidate pairs in sacrebleu's order (hypothesis start, reference start,
  length up to ``_MAX_SHIFT_SIZE``, at most ``_MAX_SHIFT_DIST`` apart), the same filters, the
  same target positions and their de-duplication, the ranking (gain, length, earliest
  start, earliest target; the first of equals wins), the running count of candidates and
  its cap ``_MAX_SHIFT_CANDIDATES`` (reaching it discards that round's best shift).
"""
from __future__ import annotations

import numpy as np
from numba import njit

INF = 10**16
MAX_SHIFT_SIZE = 10
MAX_SHIFT_DIST = 50
BEAM_WIDTH = 25
MAX_SHIFT_CANDIDATES = 1000

OP_NOP = 0
OP_SUB = 1
OP_INS = 2
OP_DEL = 3
OP_UNDEF = 4


@njit(cache=True, nogil=True)
def _band(i: int, n: int, m: int, ratio: float, bw: int):
    pd = int(np.floor(i * ratio))
    lo = max(0, pd - bw)
    hi = min(m + 1, pd + bw)
    if i == n:
        hi = m + 1
    return lo, hi


@njit(cache=True, nogil=True)
def _rows(h, r, dist, ops, first: int, n: int, m: int, ratio: float, bw: int) -> None:
    """Rows ``first``..``n`` of the banded matrix; cells outside each row's band are never
    written, so they keep the infinity they were created with."""
    for i in range(first, n + 1):
        lo, hi = _band(i, n, m, ratio, bw)
        w = h[i - 1]
        for j in range(lo, hi):
            if j == 0:
                dist[i, 0] = dist[i - 1, 0] + 1
                ops[i, 0] = OP_DEL
                continue
            cur = INF
            op = OP_UNDEF
            if w == r[j - 1]:
                v = dist[i - 1, j - 1]
                sop = OP_NOP
            else:
                v = dist[i - 1, j - 1] + 1
                sop = OP_SUB
            if cur > v:
                cur = v
                op = sop
            v = dist[i - 1, j] + 1
            if cur > v:
                cur = v
                op = OP_DEL
            v = dist[i, j - 1] + 1
            if cur > v:
                cur = v
                op = OP_INS
            dist[i, j] = cur
            ops[i, j] = op


@njit(cache=True, nogil=True)
def _shift_into(w, start: int, length: int, target: int, out) -> None:
    """sacrebleu's ``_perform_shift`` (Python slice clamping included)."""
    n = w.shape[0]
    k = 0
    if target < start:
        for x in range(0, target):
            out[k] = w[x]; k += 1
        for x in range(start, start + length):
            out[k] = w[x]; k += 1
        for x in range(target, start):
            out[k] = w[x]; k += 1
        for x in range(start + length, n):
            out[k] = w[x]; k += 1
    elif target > start + length:
        for x in range(0, start):
            out[k] = w[x]; k += 1
        for x in range(start + length, target):
            out[k] = w[x]; k += 1
        for x in range(start, start + length):
            out[k] = w[x]; k += 1
        for x in range(target, n):
            out[k] = w[x]; k += 1
    else:
        e = min(n, length + target)
        for x in range(0, start):
            out[k] = w[x]; k += 1
        for x in range(start + length, e):
            out[k] = w[x]; k += 1
        for x in range(start, start + length):
            out[k] = w[x]; k += 1
        for x in range(e, n):
            out[k] = w[x]; k += 1


@njit(cache=True, nogil=True)
def translation_edit_rate(hyp, ref) -> int:
    """Number of edits (shifts + edit distance) from ``hyp`` to ``ref`` (int id arrays);
    -1 where sacrebleu would raise (a trace through an uncomputed cell)."""
    n = hyp.shape[0]
    m = ref.shape[0]
    if m == 0:
        return n
    ratio = m / n if n > 0 else 1.0
    if BEAM_WIDTH < ratio / 2:
        bw = int(np.ceil(ratio / 2 + BEAM_WIDTH))
    else:
        bw = BEAM_WIDTH
    dist = np.full((n + 1, m + 1), INF, dtype=np.int64)
    ops = np.full((n + 1, m + 1), OP_UNDEF, dtype=np.int8)
    sdist = np.full((n + 1, m + 1), INF, dtype=np.int64)
    sops = np.full((n + 1, m + 1), OP_UNDEF, dtype=np.int8)
    for j in range(m + 1):
        dist[0, j] = j
        ops[0, j] = OP_INS
        sdist[0, j] = j
        sops[0, j] = OP_INS
    cur = hyp.copy()
    cand = np.empty(n, dtype=hyp.dtype)
    _rows(cur, ref, dist, ops, 1, n, m, ratio, bw)
    align = np.empty(m, dtype=np.int64)
    herr = np.zeros(n + 1, dtype=np.int64)  # prefix sums of hypothesis errors
    rerr = np.zeros(m + 1, dtype=np.int64)  # prefix sums of reference errors
    hflag = np.zeros(n, dtype=np.int64)
    rflag = np.zeros(m, dtype=np.int64)
    shifts = 0
    checked = 0
    while True:
        pre = dist[n, m]
        if pre >= INF:
            return -1
        # trace, flipped, as an alignment (sacrebleu's trace_to_alignment)
        i = n
        j = m
        while i > 0 or j > 0:
            op = ops[i, j]
            if op == OP_NOP or op == OP_SUB:
                e = 0 if op == OP_NOP else 1
                hflag[i - 1] = e
                rflag[j - 1] = e
                align[j - 1] = i - 1
                i -= 1
                j -= 1
            elif op == OP_INS:
                rflag[j - 1] = 1
                align[j - 1] = i - 1
                j -= 1
            elif op == OP_DEL:
                hflag[i - 1] = 1
                i -= 1
            else:
                return -1
        for x in range(n):
            herr[x + 1] = herr[x] + hflag[x]
        for x in range(m):
            rerr[x + 1] = rerr[x] + rflag[x]

        found = False
        b_score = 0
        b_len = 0
        b_start = 0
        b_idx = 0
        stop = False
        for sh in range(n):
            if stop:
                break
            for sr in range(m):
                if stop:
                    break
                if abs(sr - sh) > MAX_SHIFT_DIST:
                    continue
                length = 0
                while cur[sh + length] == ref[sr + length] and length < MAX_SHIFT_SIZE:
                    length += 1
                    # one candidate pair (sh, sr, length)
                    if (herr[sh + length] - herr[sh] != 0 and rerr[sr + length] - rerr[sr] != 0
                            and not (sh <= align[sr] and align[sr] < sh + length)):
                        prev_idx = -1
                        for off in range(-1, length):
                            k = sr + off
                            if k == -1:
                                idx = 0
                            elif k < m:
                                idx = align[k] + 1
                            else:
                                break
                            if idx == prev_idx:
                                continue
                            prev_idx = idx
                            _shift_into(cur, sh, length, idx, cand)
                            p = min(sh, idx)
                            for x in range(m + 1):
                                sdist[p, x] = dist[p, x]
                            _rows(cand, ref, sdist, sops, p + 1, n, m, ratio, bw)
                            cost = sdist[n, m]
                            if cost >= INF:
                                return -1
                            score = pre - cost
                            checked += 1
                            better = False
                            if not found:
                                better = True
                            elif score != b_score:
                                better = score > b_score
                            elif length != b_len:
                                better = length > b_len
                            elif sh != b_start:
                                better = sh < b_start
                            else:
                                better = idx < b_idx
                            if better:
                                found = True
                                b_score = score
                                b_len = length
                                b_start = sh
                                b_idx = idx
                        if checked >= MAX_SHIFT_CANDIDATES:
                            stop = True
                            break
                    if n == sh + length or m == sr + length:
                        break
        if checked >= MAX_SHIFT_CANDIDATES:
            break
        if not found or b_score <= 0:
            break
        shifts += 1
        _shift_into(cur, b_start, b_len, b_idx, cand)
        cur[:] = cand
        _rows(cur, ref, dist, ops, min(b_start, b_idx) + 1, n, m, ratio, bw)
    return shifts + dist[n, m]
