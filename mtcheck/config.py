"""Configuration: packaged defaults -> setup.cfg / pyproject.toml / .mtcheck.cfg -> --config -> flags.

Files are found from the current folder upwards (the nearest of each kind); later
layers win. ``[mtcheck]`` holds the options below; ``[mtcheck:CODE]`` sections (for
example ``[mtcheck:MT102]``) hold a check's ``severity`` and its own options. An
unknown key, value or check code is an error that names it and the file.
"""
from __future__ import annotations

import configparser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from mtcheck.errors import ConfigError


def _list(v: Any) -> tuple[str, ...]:
    if isinstance(v, (list, tuple)):
        return tuple(str(x).strip() for x in v if str(x).strip())
    return tuple(x.strip() for x in str(v).replace("\n", ",").split(",") if x.strip())


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("1", "yes", "true", "on"):
        return True
    if s in ("0", "no", "false", "off"):
        return False
    raise ValueError(f"expected yes or no, got {v!r}")


def _int(v: Any) -> int:
    if isinstance(v, bool):
        raise ValueError(f"expected a whole number, got {v!r}")
    return int(str(v).strip())


def _float(v: Any) -> float:
    return float(str(v).strip())


def _choice(*allowed: str) -> Callable[[Any], str]:
    def parse(v: Any) -> str:
        s = str(v).strip().lower()
        if s not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, got {v!r}")
        return s
    return parse


def _metrics(v: Any) -> tuple[str, ...]:
    from mtcheck.metrics import parse_metrics

    return parse_metrics(_list(v))


def _str(v: Any) -> str:
    return str(v).strip()


#: key -> (parser, default). Keys are written with dashes; underscores are accepted.
OPTIONS: dict[str, tuple[Callable[[Any], Any], Any]] = {
    "metrics": (_metrics, ("bleu", "chrf", "ter", "quality")),
    "jobs": (_int, 0),
    "align": (_choice("auto", "always", "never"), "auto"),
    "out": (_str, "reports"),
    "fluency": (_bool, True),
    "select": (_list, ()),
    "ignore": (_list, ()),
    "fail-on": (_choice("error", "warning", "info"), "error"),
    "glossary": (_str, ""),
    "residue-patterns": (_str, ""),
    "include": (_list, ()),
    "exclude": (_list, ()),
    "lm": (_str, "smollm2"),
    "lm-dtype": (_choice("auto", "bfloat16", "float32"), "auto"),
    "lm-max-length": (_int, 512),
    "lm-threads": (_int, 0),
    "allow-download": (_bool, False),
    "fluency-threshold": (_float, 20.0),
    "chunk-segments": (_int, 4000),
    "engine": (_choice("local", "dask"), "local"),
    "scheduler": (_str, ""),
    "workers": (_int, 0),
}

#: keys every [mtcheck:CODE] section accepts; checks declare their own options too
CHECK_KEYS = {"severity"}
#: options holding file paths: relative paths are relative to the config file's folder
PATH_KEYS = {"glossary", "residue-patterns", "patterns"}


@dataclass
class Config:
    """Resolved settings: ``options`` for [mtcheck], ``checks`` for [mtcheck:CODE]."""

    options: dict[str, Any] = field(default_factory=lambda: {k: d for k, (_, d) in OPTIONS.items()})
    checks: dict[str, dict[str, str]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> Any:
        return self.options[key]


def _norm(key: str) -> str:
    return key.strip().lower().replace("_", "-")


def _resolve(key: str, value: Any, where: str) -> Any:
    if key in PATH_KEYS and value and where != "command line" and Path(where).is_file():
        parts = [Path(v.strip()) for v in str(value).split(",") if v.strip()]
        return ",".join(str(p if p.is_absolute() else Path(where).parent / p) for p in parts)
    return value


def apply(config: Config, values: Mapping[str, Any], where: str,
          checks: Mapping[str, Mapping[str, Any]] | None = None,
          known_checks: Mapping[str, set[str]] | None = None) -> None:
    """Merge one layer into ``config``, validating every key and value."""
    for raw, value in values.items():
        key = _norm(raw)
        if key not in OPTIONS:
            raise ConfigError(f"{where}: unknown option {raw!r} in [mtcheck]")
        parser, _ = OPTIONS[key]
        value = _resolve(key, value, where)
        try:
            config.options[key] = parser(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: option {raw!r}: {exc}") from None
    for code, opts in (checks or {}).items():
        ucode = code.strip().upper()
        if known_checks is not None and ucode not in known_checks:
            raise ConfigError(f"{where}: unknown check code {code!r} in [mtcheck:{code}]")
        allowed = CHECK_KEYS | (known_checks or {}).get(ucode, set())
        for raw, value in opts.items():
            key = _norm(raw)
            if known_checks is not None and key not in allowed:
                raise ConfigError(f"{where}: unknown option {raw!r} in [mtcheck:{code}]")
            if key == "severity":
                from mtcheck.findings import Severity

                try:
                    Severity.parse(str(value))
                except ValueError as exc:
                    raise ConfigError(f"{where}: [mtcheck:{code}] {exc}") from None
            config.checks.setdefault(ucode, {})[key] = str(_resolve(key, value, where))
    config.sources.append(where)


def _read_ini(path: Path, section: str = "mtcheck") -> tuple[dict, dict] | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8-sig"), source=str(path))
    except configparser.Error as exc:
        line = getattr(exc, "lineno", None)
        where = f"{path}:{line}" if line else str(path)
        msg = str(exc).splitlines()[0]
        raise ConfigError(f"{where}: syntax error: {msg}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    main = dict(parser[section]) if parser.has_section(section) else {}
    checks = {
        s.split(":", 1)[1]: dict(parser[s])
        for s in parser.sections() if s.lower().startswith(section + ":")
    }
    if not main and not checks:
        return None
    return main, checks


def _read_pyproject(path: Path) -> tuple[dict, dict] | None:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: syntax error: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    section = data.get("tool", {}).get("mtcheck")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.mtcheck] must be a table")
    main = {k: v for k, v in section.items() if not isinstance(v, dict)}
    checks = {k: v for k, v in section.items() if isinstance(v, dict)}
    return main, checks


def _nearest(name: str, start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def load(
    explicit: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    cwd: str | Path | None = None,
    known_checks: Mapping[str, set[str]] | None = None,
    discover: bool = True,
) -> Config:
    """Resolve the configuration layers (see the module docstring)."""
    config = Config()
    start = Path(cwd or Path.cwd()).resolve()
    layers: list[tuple[Path, Callable[[Path], tuple[dict, dict] | None]]] = []
    if discover:
        for name, reader in (("setup.cfg", _read_ini), ("pyproject.toml", _read_pyproject),
                             (".mtcheck.cfg", _read_ini)):
            found = _nearest(name, start)
            if found:
                layers.append((found, reader))
    if explicit:
        p = Path(explicit)
        if p.is_dir():
            raise ConfigError(f"{explicit}: is a folder, expected a config file")
        if not p.is_file():
            raise ConfigError(f"{explicit}: no such config file")
        layers.append((p, _read_pyproject if p.suffix == ".toml" else _read_ini))
    for path, reader in layers:
        got = reader(path)
        if got is not None:
            apply(config, got[0], str(path), got[1], known_checks)
    if overrides:
        apply(config, {k: v for k, v in overrides.items() if v is not None}, "command line")
    return config
