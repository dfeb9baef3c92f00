"""Data-driven check tests: one case file per check under tests/fixtures/checks/."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED, write
from mtcheck import read_corpus
from mtcheck.checks import CHECKS, build, registry, run_checks

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = ROOT / "tests" / "fixtures" / "checks"


def _load(code: str) -> list[dict]:
    path = CASES / f"{code}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))["case"] if path.exists() else []


def _all_cases():
    for cls in CHECKS:
        for case in _load(cls.code):
            yield pytest.param(cls.code, case, id=f"{cls.code}-{case['name']}")


def _corpus(tmp: Path, case: dict):
    root = tmp / "case"
    docs = case.get("docs") or [case["mt"]]
    for k, text in enumerate(docs, start=1):
        write(root / "mt" / f"d{k}.txt", text)
        for key, folder in (("ref", "ref"), ("src", "src")):
            if key in case:
                write(root / folder / f"d{k}.txt", case[key])
    return read_corpus(root)


@pytest.mark.parametrize("code, case", list(_all_cases()))
def test_case(tmp_path, code, case):
    corpus = _corpus(tmp_path, case)
    settings = {}
    if "glossary" in case:
        g = write(tmp_path / "glossary.tsv", case["glossary"])
        settings = {code: {"glossary": str(g)}}
    checks = build(select=[code], settings=settings)
    extra = {}
    if "scores" in case:
        from mtcheck.fluency import SegmentFluency

        doc = corpus.documents[0]
        extra["fluency"] = {(doc.system, doc.doc_id): [
            SegmentFluency(10, -3.0, 20.0, 0.0, sc["fluency"], tuple(sc["worst"])) for sc in case["scores"]]}
    found = run_checks(corpus, checks, extra)
    got = [{"doc": int(f.doc_id[1:]), "line": f.line, "text": f.text, "suggestion": f.suggestion} for f in found]
    want = [{"doc": 1, **e} for e in case["expect"]]
    assert got == want
    for f in found:
        seg = next(s for d in corpus.documents if d.doc_id == f.doc_id for s in d if s.seg_id == f.seg_id)
        assert 0 <= f.start <= f.end <= len(seg.mt) and seg.mt[f.start:f.end] == f.text
        assert f.code == code and f.message and f.check == registry()[code].name


def test_every_check_has_pass_and_fail_cases():
    for cls in CHECKS:
        cases = _load(cls.code)
        assert any(c["expect"] for c in cases), f"{cls.code} has no failing case in {CASES}"
        assert any(not c["expect"] for c in cases), f"{cls.code} has no passing case in {CASES}"


def test_checks_are_documented_and_codes_unique():
    codes = [c.code for c in CHECKS] + [a for c in CHECKS for a in c.aliases]
    assert len(codes) == len(set(codes))
    for cls in CHECKS:
        doc = cls.__doc__ or ""
        assert cls.description() and "Bad:" in doc and "Good:" in doc, cls.code
        assert cls.name.count(".") == 1 and cls.scope in ("segment", "document", "corpus")


def test_seed_shows_the_three_defects():
    found = run_checks(read_corpus(SEED), build(select=["MT10"]))
    by_code = {(f.code, f.text) for f in found}
    assert ("MT101", "Hengshi") in by_code
    assert ("MT102", "jincheng") in by_code
    assert ("MT103", "Shanxi Mechanical and Electrical Industry College") in by_code


def test_reference_rewrite_is_clean():
    ref = SEED / "ref" / "000_4828ab6c7b5e2c1e.txt"
    assert run_checks(read_corpus(ref), build(select=["MT10"])) == []


def test_severity_and_selection_from_settings():
    checks = build(select=["MT1"], ignore=["MT105", "MT106", "MT107", "MT108", "MT109"], settings={"MT102": {"severity": "warning"}})
    assert [c.code for c in checks] == ["MT101", "MT102", "MT103", "MT104"]
    found = run_checks(read_corpus(SEED), checks)
    assert {str(f.severity) for f in found if f.code == "MT102"} == {"warning"}


def test_needs_reference_is_left_out_without_one():
    assert "MT105" not in [c.code for c in build(available=())]
    assert "MT301" not in [c.code for c in build(available=("ref",))]


def test_bad_glossary_is_located(tmp_path):
    from mtcheck.errors import InputError

    g = write(tmp_path / "g.tsv", "source\ttarget\n职业\t\n")
    with pytest.raises(InputError) as exc:
        build(select=["MT106"], settings={"MT106": {"glossary": str(g)}})
    assert exc.value.line == 2


def test_parallel_checking_gives_the_same_findings(tmp_path):
    lines = [ln for ln in (SEED / "mt" / "000_4828ab6c7b5e2c1e.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    for k in range(4):
        body = "\n".join(f"{ln} Paragraph {k}-{i}." for i in range(80) for ln in lines)
        write(tmp_path / "c" / "mt" / f"d{k}.txt", body + "\n")
    corpus = read_corpus(tmp_path / "c")
    assert corpus.n_segments >= 2000
    checks = build()
    one = run_checks(corpus, checks, jobs=1)
    two = run_checks(corpus, checks, jobs=2)
    assert one == two and len(one) > 100


def test_residue_patterns_are_data_users_extend(tmp_path):
    from mtcheck.config import load
    from mtcheck.pipeline import check_settings

    write(tmp_path / "extra.tsv", "^Exclusive to Shanxi Daily$\tnewspaper prompt\n")
    write(tmp_path / ".mtcheck.cfg", "[mtcheck]\nresidue-patterns = extra.tsv\n")
    doc = write(tmp_path / "a.txt", "The college opened.\nExclusive to Shanxi Daily\n")
    checks = build(select=["MT401"], settings=check_settings(load(cwd=tmp_path)))
    found = run_checks(read_corpus(doc), checks)
    assert [(f.line, "newspaper prompt" in f.message) for f in found] == [(2, True)]
    write(tmp_path / "bad.tsv", "([unclosed\tbroken\n")
    from mtcheck.errors import ConfigError

    with pytest.raises(ConfigError, match="bad.tsv:1"):
        build(select=["MT401"], settings={"MT401": {"patterns": str(tmp_path / "bad.tsv")}})
