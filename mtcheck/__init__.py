"""mtcheck: a quality checker for machine-translated English news.

The public Python API. Importing this package imports nothing heavy (no torch,
transformers or pandas); those load where they are used.
"""
from __future__ import annotations

__version__ = "0.1.0"

from mtcheck.corpus import Corpus, Document, Segment
from mtcheck.errors import InputError, MtcheckError
from mtcheck.readers import read_corpus

__all__ = [
    "Corpus",
    "Document",
    "InputError",
    "MtcheckError",
    "Segment",
    "__version__",
    "read_corpus",
]
