"""mtcheck: a quality checker for machine-translated English news.

The public Python API. Importing this package imports nothing heavy (no torch,
transformers or pandas); those load where they are used.
"""
from __future__ import annotations

__version__ = "0.1.0"

#: the public names, imported on first use (PEP 562): ``import mtcheck`` (and the command
#: line's start-up, which imports mtcheck.cli) loads none of the readers
_LAZY = {"Corpus": "mtcheck.corpus", "Document": "mtcheck.corpus", "Segment": "mtcheck.corpus",
         "InputError": "mtcheck.errors", "MtcheckError": "mtcheck.errors", "read_corpus": "mtcheck.readers"}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mtcheck' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

__all__ = [
    "Corpus",
    "Document",
    "InputError",
    "MtcheckError",
    "Segment",
    "__version__",
    "read_corpus",
]
