"""Readers: one input layout per module, all returning a :class:`~mtcheck.corpus.Corpus`."""
from __future__ import annotations

from pathlib import Path

from mtcheck.corpus import Corpus
from mtcheck.errors import InputError
from mtcheck.readers.build import ALIGN_MODES
from mtcheck.readers.folder import read_folder, read_text_file
from mtcheck.readers.table import read_table

TABLE_SUFFIXES = (".tsv", ".csv", ".jsonl")


def corpus_name(path: str | Path) -> str:
    p = Path(path)
    return (p.name if p.is_dir() else p.stem) or "corpus"


def read_corpus(path: str | Path, *, align: str = "auto", name: str | None = None) -> Corpus:
    """Read a CORPUS argument: a corpus folder, a TSV/CSV/JSONL table, or a text file.

    ``align`` is ``auto`` (align references only where line counts differ), ``always``
    or ``never`` (a count mismatch is an error). Raises :class:`InputError`.
    """
    if align not in ALIGN_MODES:
        raise ValueError(f"align must be one of {ALIGN_MODES}")
    p = Path(path)
    if not p.exists():
        raise InputError(path, "no such file or folder")
    label = name or corpus_name(p)
    if p.is_dir():
        return read_folder(p, label, align=align)
    if p.suffix.lower() in TABLE_SUFFIXES:
        return read_table(p, label)
    return read_text_file(p, label)


__all__ = ["TABLE_SUFFIXES", "corpus_name", "read_corpus"]
