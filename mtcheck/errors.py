"""Errors that the command line reports as one line and exit code 2."""
from __future__ import annotations

from pathlib import Path


class MtcheckError(Exception):
    """A usage, configuration or input error: reported in one line, exit code 2."""


class InputError(MtcheckError):
    """Bad input, located by file and (where there is one) line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class ConfigError(MtcheckError):
    """A configuration file or option that cannot be used."""
