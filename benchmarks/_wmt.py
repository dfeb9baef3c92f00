"""Shared helpers for the benchmarks: the WMT22 zh-en set as an mtcheck corpus folder."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
WMT = DATA / "wmt22-zhen"


def need(path: Path) -> Path:
    if not path.exists():
        sys.exit(f"{path} is absent: the benchmarks read ../shared/data beside the repository")
    return path


def systems(limit: int | None = None) -> list[str]:
    names = sorted(p.name[len("generaltest2022.zh-en.hyp."):-len(".en")]
                   for p in need(WMT).glob("generaltest2022.zh-en.hyp.*.en"))
    return names[:limit] if limit else names


def make_corpus(folder: Path, limit: int | None = None, refs: tuple[str, ...] = ("A",),
                src: bool = False) -> Path:
    """mt/<system>/wmt22.txt, ref/ (and ref-2/) and src/ as symlinks into ../shared."""
    for system in systems(limit):
        d = folder / "mt" / system
        d.mkdir(parents=True, exist_ok=True)
        (d / "wmt22.txt").symlink_to(WMT / f"generaltest2022.zh-en.hyp.{system}.en")
    for k, name in enumerate(refs):
        d = folder / ("ref" if k == 0 else f"ref-{k + 1}")
        d.mkdir(parents=True, exist_ok=True)
        (d / "wmt22.txt").symlink_to(WMT / f"generaltest2022.zh-en.ref.{name}.en")
    if src:
        (folder / "src").mkdir(parents=True, exist_ok=True)
        (folder / "src" / "wmt22.txt").symlink_to(WMT / "generaltest2022.zh-en.src.zh")
    return folder


def lines(system: str) -> list[str]:
    return (WMT / f"generaltest2022.zh-en.hyp.{system}.en").read_text(encoding="utf-8").split("\n")[:-1]


def ref_lines(name: str = "A") -> list[str]:
    return (WMT / f"generaltest2022.zh-en.ref.{name}.en").read_text(encoding="utf-8").split("\n")[:-1]
