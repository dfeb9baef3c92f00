"""Reading text files: decoding, BOMs, line ends, and located errors."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from mtcheck.errors import InputError

_LINE_END = re.compile(r"\r\n|\r|\n")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, path: str | Path) -> str:
    """Decode file bytes as UTF-8 (BOM accepted) or BOM-marked UTF-16.

    Raises InputError naming the line and byte offset of the first bad byte, or the
    line of the first NUL byte in a file that is not UTF-16 (a binary file).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"invalid UTF-16 at byte offset {exc.start}") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        base = len(codecs.BOM_UTF8)
    else:
        base = 0
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            path, f"binary file (NUL byte at byte offset {nul + base}), expected UTF-8 text",
            _line_of(data, nul),
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"invalid UTF-8 at byte offset {exc.start + base} (byte 0x{data[exc.start]:02x})",
            _line_of(data, exc.start),
        ) from None


def read_text(path: str | Path) -> str:
    """Read a whole text file, decoded (see :func:`decode`)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        raise InputError(path, "is a folder, expected a file") from None
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    return decode(data, path)


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF only (not on the other Unicode line breaks)."""
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_lines(path: str | Path) -> list[str]:
    """The lines of a text file, without their line ends."""
    return split_lines(read_text(path))
