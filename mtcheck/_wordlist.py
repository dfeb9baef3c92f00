"""wordfreq's English frequency list in a form that loads in milliseconds.

wordfreq ships its "large" English list as gzipped msgpack: 800 frequency bands (minus
centibels), each an alphabetical list of words, 321,000 words in all. Decompressing and
unpacking it takes about 75 ms, a third of a one-article ``mtcheck lint``. This module
turns it, once, into one alphabetical table: every word, UTF-8 encoded, joined by
newlines into one byte string (UTF-8 keeps the order of code points), with the start offset
and the band of each word in two arrays, saved with
``marshal`` in mtcheck's cache folder under the SHA-1 of wordfreq's file (a new wordfreq
release gets its own table). Loading that is one read and three constructors; a word is
found by binary search (:meth:`Table.band`), and :meth:`Table.as_dict` builds a dictionary
for a long run.
"""
from __future__ import annotations

import hashlib
import marshal
import os
from array import array
from pathlib import Path

from mtcheck.cachedir import cache_root

FORMAT = 2


class Table:
    """Words in alphabetical order (``text``: UTF-8, joined by newlines), their start
    offsets in bytes (``starts``, one more at the end) and frequency bands (``bands``)."""

    __slots__ = ("text", "starts", "bands", "n")

    def __init__(self, text: bytes, starts: array, bands: array) -> None:
        self.text, self.starts, self.bands = text, starts, bands
        self.n = len(bands)

    def __bool__(self) -> bool:
        return self.n > 0

    def band(self, token: str) -> int | None:
        """The band of ``token``, None if the list lacks it (binary search)."""
        text, starts = self.text, self.starts
        token = token.encode("utf-8", "surrogatepass")
        lo, hi = 0, self.n
        while lo < hi:
            mid = (lo + hi) >> 1
            if text[starts[mid]:starts[mid + 1] - 1] < token:
                lo = mid + 1
            else:
                hi = mid
        if lo < self.n and text[starts[lo]:starts[lo + 1] - 1] == token:
            return self.bands[lo]
        return None

    def as_dict(self) -> dict[str, int]:
        return dict(zip(self.text.decode("utf-8", "surrogatepass")[:-1].split("\n"), self.bands))


def build(bands: list[list[str]]) -> Table:
    """The table of wordfreq's bands (band ``i`` is ``bands[i]``)."""
    pairs = sorted((w, i) for i, band in enumerate(bands) for w in band)
    encoded = [w.encode("utf-8", "surrogatepass") + b"\n" for w, _ in pairs]
    text = b"".join(encoded)
    starts = array("I", [0])
    pos = 0
    for w in encoded:
        pos += len(w)
        starts.append(pos)
    return Table(text, starts, array("H", [i for _, i in pairs]))


def cache_dir() -> Path:
    """Where the tables are kept, under mtcheck's cache folder."""
    return cache_root() / "wordfreq"


def load(source: Path, unpack) -> Table | None:
    """The table for wordfreq's data file ``source``, from the cache or built with
    ``unpack(raw bytes) -> list of bands`` (and cached); None if ``unpack`` fails (it
    raises ValueError or TypeError on data it does not understand)."""
    raw = source.read_bytes()
    key = hashlib.sha1(raw).hexdigest()[:20]
    path = cache_dir() / f"{source.name}.{key}.v{FORMAT}.marshal"
    try:
        data = marshal.loads(path.read_bytes())
        if isinstance(data, tuple) and len(data) == 4 and data[0] == FORMAT:
            starts, bands = array("I"), array("H")
            starts.frombytes(data[2])
            bands.frombytes(data[3])
            if len(starts) == len(bands) + 1 and starts[-1] == len(data[1]):
                return Table(data[1], starts, bands)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    table = build(unpack(raw))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps((FORMAT, table.text, table.starts.tobytes(), table.bands.tobytes())))
        os.replace(tmp, path)
    except OSError:
        pass
    return table
