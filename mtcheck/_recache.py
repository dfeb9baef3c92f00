"""A persistent cache of compiled regular expressions, for the command line's start-up.

mtcheck's modules compile a few hundred regular expressions when they are imported
(pattern lists joined into alternations, the tokenisers, spaCy's tokenizer rules).
Python's ``re`` parses and compiles each one in pure Python at every start-up: about a
tenth of a second of a one-article ``mtcheck lint``. What the compiler hands to the C
engine (``_sre.compile``: the pattern, its flags, the code words, the groups) is plain
data; this module keeps it in mtcheck's cache folder and, on the next start, builds the
very same pattern object from it without parsing.

:func:`install` wraps ``re._compiler.compile`` (the step ``re`` calls on a miss of its
own in-process cache) for the duration of a command, :func:`uninstall` saves what was
new and restores the original. The cache file is keyed on the interpreter's version and
the ``_sre`` engine's magic number and code size, so a file written by another Python is
never read; entries are keyed on the pattern's type, text and flags. A missing, unreadable
or corrupt file, or an unwritable folder, only means patterns are compiled as usual.
``MTCHECK_NO_RE_CACHE=1`` turns the cache off.
"""
from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path

from mtcheck.cachedir import cache_root

try:  # Python 3.11+: re._compiler; 3.10: sre_compile
    from re import _compiler  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_compile as _compiler  # type: ignore[no-redef]
import _sre

#: past this many entries, a save keeps only the patterns the run used (a pattern built
#: from text, like a user's residue patterns or an acronym's, must not grow the file forever)
MAX_ENTRIES = 4096

_state: dict = {}


def cache_dir() -> Path:
    """Where the compiled patterns are kept, under mtcheck's cache folder."""
    return cache_root() / "re"


def cache_file() -> Path:
    tag = f"{sys.implementation.cache_tag}-{sys.version_info.releaselevel}{sys.version_info.serial}"
    return cache_dir() / f"{tag}-{'.'.join(map(str, sys.version_info[:3]))}-{_sre.MAGIC}-{_sre.CODESIZE}.marshal"


def _header() -> tuple:
    return ("mtcheck-re", 1, sys.version, _sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT, _sre.MAXGROUPS)


def _load(path: Path) -> dict:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, tuple) or len(data) != 2 or data[0] != _header() or not isinstance(data[1], dict):
        return {}
    return data[1]


def install() -> bool:
    """Wrap ``re``'s compiler with the cache; False if it is off or already installed."""
    if _state or os.environ.get("MTCHECK_NO_RE_CACHE"):
        return False
    if not (hasattr(_compiler, "_parser") and hasattr(_compiler, "_code")):  # pragma: no cover
        return False  # another interpreter's compiler: leave it alone
    original = _compiler.compile
    path = cache_file()
    entries = _load(path)
    new: dict = {}
    used: set = set()

    def compile(p, flags=0):  # noqa: A001 - the name re calls
        if not isinstance(p, (str, bytes)) or flags & _compiler.SRE_FLAG_DEBUG:
            return original(p, flags)
        flags = int(flags)
        key = (type(p) is bytes, p, flags)
        hit = entries.get(key)
        if hit is not None:
            try:
                pat = _sre.compile(p, *hit)
                used.add(key)
                return pat
            except Exception:  # pragma: no cover - a stale entry: compile afresh
                entries.pop(key, None)
        # what re._compiler.compile does, keeping the arguments it hands to the engine;
        # an interpreter whose compiler differs from this recipe compiles as usual, uncached
        try:
            parsed = _compiler._parser.parse(p, flags)
            code = _compiler._code(parsed, flags)
            groupindex = parsed.state.groupdict
            indexgroup = [None] * parsed.state.groups
            for k, i in groupindex.items():
                indexgroup[i] = k
            args = (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
            pat = _sre.compile(p, *args)
        except (AttributeError, TypeError):  # pragma: no cover - another CPython's internals
            return original(p, flags)
        new[key] = (int(args[0]), [int(c) for c in code], int(args[2]), dict(groupindex), args[4])
        return pat

    _state.update(original=original, path=path, entries=entries, new=new, used=used)
    _compiler.compile = compile
    return True


def uninstall() -> None:
    """Restore ``re``'s compiler and save the patterns compiled since :func:`install`."""
    if not _state:
        return
    _compiler.compile = _state["original"]
    new, entries, path, used = _state["new"], _state["entries"], _state["path"], _state["used"]
    _state.clear()
    if not new:
        return
    if len(entries) + len(new) > MAX_ENTRIES:
        entries = {k: v for k, v in entries.items() if k in used}
    entries.update(new)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps((_header(), entries)))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass
