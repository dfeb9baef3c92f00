"""Folder corpora: ``mt/`` (files, or one sub-folder per system), ``ref/``, ``ref-2/`` ..., ``src/``."""
from __future__ import annotations

import re
from pathlib import Path

from mtcheck.corpus import Corpus, Document
from mtcheck.errors import InputError
from mtcheck.readers.build import build_document
from mtcheck.readers.textio import read_lines

_REF_DIR = re.compile(r"^ref(?:[-_]?(\d+))?$")
DEFAULT_SYSTEM = "mt"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def _ref_dirs(root: Path) -> list[Path]:
    found: list[tuple[int, Path]] = []
    for p in root.iterdir():
        m = _REF_DIR.match(p.name)
        if m and p.is_dir():
            found.append((int(m.group(1) or 1), p))
    found.sort()
    nums = [n for n, _ in found]
    if len(set(nums)) != len(nums):
        raise InputError(root, "two reference folders with the same number (for example ref-1/ and ref/)")
    return [p for _, p in found]


def _match(folder: Path | None, mt_file: Path) -> Path | None:
    if folder is None:
        return None
    exact = folder / mt_file.name
    if exact.is_file():
        return exact
    same_stem = [p for p in _files(folder) if p.stem == mt_file.stem]
    return same_stem[0] if len(same_stem) == 1 else None


def read_folder(root: Path, name: str, align: str = "auto") -> Corpus:
    """Read a folder corpus (see the module docstring)."""
    mt_dir = root / "mt"
    if not mt_dir.is_dir():
        raise InputError(root, "not a corpus folder: it has no mt/ sub-folder")
    entries = [p for p in mt_dir.iterdir() if not p.name.startswith(".")]
    subdirs = sorted(p for p in entries if p.is_dir())
    files = _files(mt_dir)
    if subdirs and files:
        raise InputError(mt_dir, "holds both files and sub-folders; use one folder per system or files only")
    systems = [(d.name, _files(d)) for d in subdirs] if subdirs else [(DEFAULT_SYSTEM, files)]
    if not any(fs for _, fs in systems):
        raise InputError(mt_dir, "no MT files found")
    ref_dirs = _ref_dirs(root)
    src_dir = root / "src" if (root / "src").is_dir() else None
    warnings: list[str] = []
    all_names = {f.stem for _, fs in systems for f in fs}
    for rd in ref_dirs:
        names = {p.stem for p in _files(rd)}
        if not names & all_names:
            raise InputError(rd, f"no reference file matches a document in {mt_dir}")
    docs: list[Document] = []
    errors: list[tuple[str, int | None, str]] = []
    for system, fs in systems:
        for f in fs:
            try:  # one broken document does not stop the others
                streams = []
                for rd in ref_dirs:
                    rp = _match(rd, f)
                    if rp is None:
                        warnings.append(f"{f}: no reference in {rd}")
                    streams.append((str(rp), read_lines(rp)) if rp else None)
                sp = _match(src_dir, f)
                docs.append(build_document(
                    corpus=name, system=system, doc_id=f.stem, mt_path=str(f),
                    mt_lines=read_lines(f), ref_streams=streams,
                    src=(str(sp), read_lines(sp)) if sp else None, align=align,
                ))
            except InputError as exc:
                errors.append((exc.path, exc.line, exc.message))
    return Corpus(name=name, path=str(root), documents=tuple(docs), warnings=tuple(warnings),
                  errors=tuple(errors))


def read_text_file(path: Path, name: str) -> Corpus:
    """A single text file: one document, machine translation only."""
    doc = build_document(
        corpus=name, system=DEFAULT_SYSTEM, doc_id=path.stem, mt_path=str(path),
        mt_lines=read_lines(path), ref_streams=[],
    )
    if not doc.segments:
        raise InputError(path, "empty file: no text to score")
    return Corpus(name=name, path=str(path), documents=(doc,))
