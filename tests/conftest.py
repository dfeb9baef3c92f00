from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
SEED = ROOT / "corpora" / "seed"
GOLDEN = ROOT / "tests" / "golden"
UPDATE_GOLDEN = os.environ.get("MTCHECK_UPDATE_GOLDEN") == "1"


def need_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test saying why."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent: real-data tests need the ../shared folder beside the repository")
    return p


@pytest.fixture
def wmt_corpus(tmp_path: Path) -> Path:
    """The WMT22 zh-en test set as a folder corpus (mt/<system>/, ref/, ref-2/, src/), by symlinks."""
    d = need_shared("data", "wmt22-zhen")
    root = tmp_path / "wmt22"
    for hyp in sorted(d.glob("generaltest2022.zh-en.hyp.*.en")):
        system = hyp.name[len("generaltest2022.zh-en.hyp."):-len(".en")]
        (root / "mt" / system).mkdir(parents=True)
        (root / "mt" / system / "wmt22.txt").symlink_to(hyp)
    for folder, name in (("ref", "ref.A.en"), ("ref-2", "ref.B.en"), ("src", "src.zh")):
        (root / folder).mkdir(parents=True)
        (root / folder / "wmt22.txt").symlink_to(d / f"generaltest2022.zh-en.{name}")
    return root


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path
