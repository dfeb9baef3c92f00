"""mtcheck's cache folder, in a module that imports nothing heavy (the command line's
start-up caches, the converted language model, jieba's dictionary and numba all live under it)."""
from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/mtcheck``, or ``~/.cache/mtcheck``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mtcheck"


__all__ = ["cache_root"]
