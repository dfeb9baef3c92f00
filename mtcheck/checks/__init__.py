"""The checks. ``CHECKS`` lists them explicitly; codes are part of the interface."""
from __future__ import annotations

import sys
from typing import Iterable, Sequence

from mtcheck.checks.base import Check
from mtcheck.checks.consistency import Casing, CrossDocument, EntityVariant, NameTruncation, ReferenceName
from mtcheck.checks.fidelity import Number_, Omission, Untranslated
from mtcheck.checks.fluency_checks import FluencyLow, Fragment, Repetition
from mtcheck.checks.style import Style
from mtcheck.checks.residue import Boilerplate, DuplicateLine, GluedCredit, Spacing
from mtcheck.checks.source import SourceName, SourceTerm
from mtcheck.checks.terminology import Glossary
from mtcheck.corpus import Corpus
from mtcheck.findings import Finding, Severity

CHECKS: tuple[type[Check], ...] = (
    EntityVariant,
    Casing,
    NameTruncation,
    CrossDocument,
    ReferenceName,
    Glossary,
    SourceName,
    SourceTerm,
    Style,
    Number_,
    Untranslated,
    Omission,
    FluencyLow,
    Fragment,
    Repetition,
    Boilerplate,
    DuplicateLine,
    GluedCredit,
    Spacing,
)


def registry() -> dict[str, type[Check]]:
    """Code (and alias) -> check class."""
    out: dict[str, type[Check]] = {}
    for cls in CHECKS:
        out[cls.code] = cls
        for alias in cls.aliases:
            out[alias] = cls
    return out


def known_options() -> dict[str, set[str]]:
    """Code -> the option names its ``[mtcheck:CODE]`` section accepts."""
    return {code: set(cls.options) for code, cls in registry().items()}


def matches(code: str, patterns: Iterable[str]) -> bool:
    """Whether ``code`` matches any code or code prefix (``MT1`` matches ``MT101``)."""
    return any(code.upper().startswith(p.strip().upper()) for p in patterns if p.strip())


def validate_codes(patterns: Iterable[str], where: str) -> None:
    codes = [c.code for c in CHECKS]
    for p in patterns:
        if not any(c.startswith(p.strip().upper()) for c in codes):
            from mtcheck.errors import ConfigError

            raise ConfigError(f"{where}: unknown check code {p!r}")


def build(select: Sequence[str] = (), ignore: Sequence[str] = (),
          settings: dict[str, dict[str, str]] | None = None,
          available: Iterable[str] = ("ref", "src", "fluency")) -> list[Check]:
    """Instantiate the selected checks, with config severities and options applied.

    Checks whose ``needs`` are not all ``available`` are left out.
    """
    settings = settings or {}
    avail = set(available)
    out = []
    for cls in CHECKS:
        if select and not matches(cls.code, select):
            continue
        if ignore and matches(cls.code, ignore):
            continue
        if not cls.needs <= avail:
            continue
        conf = {}
        for code in (cls.code, *cls.aliases):
            conf.update(settings.get(code, {}))
        sev = conf.pop("severity", None)
        out.append(cls(Severity.parse(sev) if sev else None, **conf))
    return out


_FORKED: tuple | None = None


def _check_one(k: int) -> list[Finding]:
    assert _FORKED is not None
    corpus, per_doc = _FORKED
    doc = corpus.documents[k]
    return [f for check in per_doc for f in check.check_document(doc)]


def fork_pool(corpus: Corpus, checks: Sequence[Check], jobs: int):
    """A pool of ``jobs`` workers forked now, checking documents of ``corpus`` by index
    with ``_check_one``; None where forking is not worth it or not safe. Fork once per
    corpus: forking again while an earlier pool's threads run can deadlock."""
    global _FORKED
    if jobs <= 1 or len(corpus.documents) < 2 or not checks or not _can_fork() or corpus.n_segments < 2000:
        return None
    import multiprocessing as mp

    for check in checks:
        check.prepare(corpus, {})
    _FORKED = (corpus, list(checks))
    return mp.get_context("fork").Pool(min(jobs, len(corpus.documents)))


def _can_fork() -> bool:
    # fork is cheap and inherits the corpus, but not safe once torch has started threads
    import threading

    return sys.platform == "linux" and "torch" not in sys.modules and threading.active_count() == 1


def run_checks(corpus: Corpus, checks: Sequence[Check], extra: dict | None = None,
               jobs: int = 1) -> list[Finding]:
    """Every finding of ``checks`` on ``corpus``, in document order, then by position.

    ``extra`` carries what was computed before the checks (``fluency``: scores per
    (system, doc_id)), for the checks that need it. With ``jobs`` > 1, documents are
    checked in that many forked worker processes (Linux, before torch is loaded); the
    findings are the same whatever ``jobs`` is.
    """
    global _FORKED
    for check in checks:
        check.prepare(corpus, extra or {})
    order = {(d.system, d.doc_id): k for k, d in enumerate(corpus.documents)}
    found: list[Finding] = []
    # document by document, so that what the checks share about a document is computed once
    per_doc = [c for c in checks if c.scope != "corpus"]
    n = len(corpus.documents)
    pool = fork_pool(corpus, per_doc, jobs)
    if pool is not None:
        try:
            for part in pool.imap(_check_one, range(n), chunksize=max(1, n // (4 * jobs))):
                found.extend(part)
        finally:
            pool.terminate()
            pool.join()
            _FORKED = None
    else:
        for doc in corpus.documents:
            for check in per_doc:
                found.extend(check.check_document(doc))
    for check in checks:
        if check.scope == "corpus":
            found.extend(check.check_corpus(corpus))
    found.sort(key=lambda f: (order[(f.system, f.doc_id)], f.line, f.start, f.code, f.end))
    return found


__all__ = ["CHECKS", "Check", "build", "known_options", "matches", "registry", "run_checks"]
