"""The challenge set (benchmarks/_challenge.py): a small fixed slice with per-kind floors.

Defects are injected into WMT22 human references (../shared/data/wmt22-zhen); the floors are what
the merged checks find on the slice (6 instances per kind, seed 7). A floor of 0 marks a kind
that no check finds yet; raise the floors as the checks improve (``benchmarks/challenge.py``
measures the full set).
"""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT, need_shared

sys.path.insert(0, str(ROOT / "benchmarks"))
import _challenge as C  # noqa: E402

pytestmark = pytest.mark.slow   # about 15 s: jieba, CC-CEDICT and the checks on 174 defective copies

SEED = 7
PER_KIND = 6

# hits out of PER_KIND on the slice: (MT alone, with the source); None where the kind needs the source
FLOORS: dict[str, tuple[int | None, int]] = {
    "name-letter": (6, 6),
    # 2 on the MT alone (was 3): names side by side in one segment are now taken for two entities
    # (two given names after one surname: "Ji Jiali ... her sister Ji Jiayan"; "Changsha Hall,
    # Zhuzhou Hall"), which costs an injected syllable that lands beside the right form
    "name-syllable": (2, 4),
    "name-head": (2, 2),
    "name-translit": (0, 6),
    "name-translate": (0, 5),
    "casing": (5, 5),
    "truncation": (3, 3),
    "source-name": (None, 3),
    "source-term": (None, 4),
    "style-date": (6, 6),
    "style-percent": (6, 6),
    "style-numeral": (5, 5),
    "style-acronym": (5, 5),
    "style-term-case": (2, 2),
    "style-spelling": (5, 5),
    "number": (None, 6),
    "untranslated": (6, 6),
    "residue-prompt": (6, 6),
    "residue-glued": (6, 6),
    "residue-credit": (6, 6),
    "residue-caption": (6, 6),
    "residue-watermark": (6, 6),
    "duplicate-line": (6, 6),
    "repetition": (5, 5),
    "spacing": (5, 5),
    "fragment-comma": (4, 4),
    "fragment-participle": (5, 5),
    "fragment-subordinate": (3, 3),
    "fragment-phrase": (6, 6),
}


@pytest.fixture(scope="module")
def docs():
    return C.load_docs(need_shared("data", "wmt22-zhen"))


@pytest.fixture(scope="module")
def slice_(docs):
    return C.inject(docs, seed=SEED, per_kind=PER_KIND)


# with the other human reference as the reference (MT105): hits out of PER_KIND
FLOORS_REF = {"name-letter": 6, "name-syllable": 5, "name-translit": 0, "number": 4}


@pytest.fixture(scope="module")
def scores(docs, slice_):
    return {m: C.score(docs, slice_, m, untouched=False) for m in ("mt", "src", "ref")}


def test_every_kind_has_a_floor_and_enough_instances(slice_):
    assert set(FLOORS) == set(C.KINDS)
    assert len(C.KINDS) >= 20
    got = {k: sum(1 for x in slice_ if x.kind == k) for k in C.KINDS}
    assert all(n == PER_KIND for n in got.values()), got


def test_spans_lie_inside_the_text_they_claim(docs, slice_):
    by_key = {d.key: d for d in docs}
    for x in slice_:
        assert C.check_spans(x) == []
        clean = by_key[x.doc]
        assert x.lines != clean.lines, (x.kind, x.doc)
        for i, a, b in x.spans:
            text = x.lines[i][a:b]
            assert text.strip()
            orig = x.line_map[i]
            # the defect is new text: the clean line does not hold it at the same place
            assert orig is None or clean.lines[orig][a:b] != text or len(clean.lines[orig]) != len(x.lines[i])
        assert x.expect and all(c.startswith("MT") for c in x.expect)
        if x.kind == "source-name":   # every changed mention carries the same new form
            assert len({x.lines[i][a:b] for i, a, b in x.spans}) == 1, x.note


def test_injector_is_reproducible(docs, slice_):
    kinds = ["name-syllable", "style-date", "number", "residue-credit", "fragment-subordinate"]   # KINDS order
    again = C.inject(docs, seed=SEED, per_kind=PER_KIND, kinds=kinds)
    assert [x for x in slice_ if x.kind in kinds] == again
    other = C.inject(docs, seed=SEED + 1, per_kind=PER_KIND, kinds=kinds)
    assert [x.lines for x in other] != [x.lines for x in again]


def test_kinds_have_several_surface_forms(docs):
    insts = C.inject(docs, seed=1, per_kind=20, kinds=["untranslated", "residue-caption", "spacing", "style-date",
                                                         "fragment-subordinate", "name-letter"])
    for k in {x.kind for x in insts}:
        assert len({x.form for x in insts if x.kind == k}) >= 3, k


def test_recall_floors_per_kind(scores):
    low = []
    for kind, (mt_floor, src_floor) in FLOORS.items():
        for mode, floor in (("mt", mt_floor), ("src", src_floor)):
            if floor is None:
                assert kind not in scores[mode].total
                continue
            hits = scores[mode].hits.get(kind, 0)
            if hits < floor:
                low.append(f"{kind} ({mode}): {hits} < {floor}")
    for kind, floor in FLOORS_REF.items():
        if scores["ref"].hits.get(kind, 0) < floor:
            low.append(f"{kind} (ref): {scores['ref'].hits.get(kind, 0)} < {floor}")
    assert not low, low


def test_new_findings_mostly_lie_on_the_defects(scores):
    # precision of what the defects bring (0.97-1.00 on this branch); a guard, not a target
    for sc in scores.values():
        new, good = sum(sc.new.values()), sum(sc.good.values())
        assert new and good / new >= 0.8, (sc.mode, good, new)


@pytest.mark.parametrize("mode", ["mt", "src"])
def test_untouched_documents_error_rate(docs, mode):
    # issue 10's target: at most one error-severity finding per 50 untouched segments. The rate is
    # 0.74 on the MT alone (50 errors in 3,374 segments) and 0.89 with the source (60, MT107
    # among them), since MT102 reads word casing from CC-CEDICT's glosses and MT101 leaves names
    # side by side alone; many of the rest are real defects of the human references (residue,
    # doubled lines, full-width punctuation, U.S./US).
    sc = C.score(docs, [], mode)
    assert sc.clean_segments > 3000
    assert 50 * sc.clean_by_sev.get("error", 0) / sc.clean_segments <= 1.0, sc.clean_by_code
