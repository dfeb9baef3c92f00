"""Byte-identical guard for the rule checks: ``mtcheck lint`` findings on the seed article and
on the whole WMT22 zh-en set (12 systems, one document each) must equal the golden files.

The guard exists so that speed work on the checks cannot change a single finding. A change
that is *meant* to alter findings (a recall or precision fix) regenerates the golden files
deliberately, in a commit of its own that says why:

    MTCHECK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_lint_golden.py

and review ``git diff --stat tests/golden`` plus the counts it reports. Every finding is
compared field by field: code, severity, file, line, columns, text, message, suggestion and
fingerprint. The WMT22 goldens are gzip-compressed JSON lines; on a mismatch the test names
the first differing finding.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from conftest import DATA, GOLDEN, SEED, UPDATE_GOLDEN
from mtcheck import lint as lint_mod
from mtcheck import config as config_mod
from mtcheck.checks import known_options

FOLDER = GOLDEN / "lint-findings"


def records(paths: list[str], root: Path) -> list[str]:
    """One JSON line per finding of ``mtcheck lint --no-config PATHS``, paths relative to ``root``."""
    conf = config_mod.load(None, {}, known_checks=known_options(), discover=False)
    result = lint_mod.lint(paths, conf)
    out = []
    for loc in result.located:
        f = loc.finding
        path = Path(loc.path)
        rel = path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else loc.path
        out.append(json.dumps([f.code, str(f.severity), rel, f.system, f.doc_id, f.seg_id, loc.line, loc.column,
                               loc.end_column, f.start, f.end, f.text, f.message, f.suggestion, loc.fingerprint],
                              ensure_ascii=False))
    return out


def compare(got: list[str], name: str) -> None:
    golden = FOLDER / name
    if UPDATE_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        data = ("\n".join(got) + "\n").encode("utf-8")
        if name.endswith(".gz"):
            golden.write_bytes(gzip.compress(data, mtime=0))
        else:
            golden.write_bytes(data)
    raw = golden.read_bytes()
    want = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8").splitlines()
    for k, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"{name}: finding {k + 1} differs\n got  {g}\n want {w}"
    assert len(got) == len(want), f"{name}: {len(got)} findings, golden has {len(want)}"


def test_seed_findings_match_golden():
    compare(records([str(SEED)], SEED), "seed.jsonl")


def _wmt(tmp_path: Path, with_refs: bool) -> Path:
    d = DATA / "wmt22-zhen"
    if not d.exists():
        pytest.skip(f"{d} is absent: real-data tests need the ../shared folder beside the repository")
    root = tmp_path / "wmt22"
    for hyp in sorted(d.glob("generaltest2022.zh-en.hyp.*.en")):
        system = hyp.name[len("generaltest2022.zh-en.hyp."):-len(".en")]
        (root / "mt" / system).mkdir(parents=True)
        (root / "mt" / system / "wmt22.txt").symlink_to(hyp)
    if with_refs:
        for folder, name in (("ref", "ref.A.en"), ("ref-2", "ref.B.en"), ("src", "src.zh")):
            (root / folder).mkdir(parents=True)
            (root / folder / "wmt22.txt").symlink_to(d / f"generaltest2022.zh-en.{name}")
    return root


@pytest.mark.slow
def test_wmt22_findings_match_golden(tmp_path):
    """All 12 systems with both references and the source: every rule check runs."""
    root = _wmt(tmp_path, with_refs=True)
    compare(records([str(root)], root), "wmt22-refs-src.jsonl.gz")


@pytest.mark.slow
def test_wmt22_mt_only_findings_match_golden(tmp_path):
    """All 12 systems, MT only: the checks that need no reference (the ones checks_speed.py times)."""
    root = _wmt(tmp_path, with_refs=False)
    compare(records([str(root)], root), "wmt22-mt.jsonl.gz")

