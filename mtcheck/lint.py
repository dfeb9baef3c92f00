"""The lint job: files and corpora in, findings with file positions out. No printing.

A PATH is a text or Markdown file (one document), a folder (searched recursively for the
``include`` patterns, minus ``exclude``; a folder with ``mt/`` is a corpus), or any corpus
``mtcheck score`` accepts. ``--ref`` pairs references by name.
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from mtcheck import checks as checks_mod
from mtcheck.config import Config
from mtcheck.corpus import Corpus, Segment
from mtcheck.errors import InputError, MtcheckError
from mtcheck.findings import Finding, Severity
from mtcheck.markdown import strip_markdown
from mtcheck.readers import TABLE_SUFFIXES, read_corpus
from mtcheck.readers.build import build_document
from mtcheck.readers.folder import DEFAULT_SYSTEM
from mtcheck.readers.textio import read_lines

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")


@dataclass(frozen=True)
class Located:
    """A finding with its place in a file: 1-based line and columns (end inclusive)."""

    finding: Finding
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    context: str
    fingerprint: str = ""

    def record(self) -> dict[str, object]:
        """The findings.csv record plus the position keys of lint output."""
        rec = self.finding.to_dict()
        rec.update(path=self.path, column=self.column, end_line=self.end_line, end_column=self.end_column,
                   fingerprint=self.fingerprint)
        return rec


@dataclass
class LintResult:
    located: list[Located]
    documents: list[tuple[str, str]]  # (path, doc_id) of every document linted
    checks: list[checks_mod.Check]
    suppressed: int = 0
    raw_csv: bool = False

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for loc in self.located:
            out[str(loc.finding.severity)] += 1
        return out


def _match(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    return any(fnmatch.fnmatch(path.name, p) or fnmatch.fnmatch(rel, p) for p in patterns)


def discover(root: Path, include: Sequence[str], exclude: Sequence[str]) -> list[Path]:
    """Files under ``root`` matching ``include`` and not ``exclude`` (symlinked folders are
    not followed, so a symlink loop cannot trap the walk)."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _match(Path(folder) / d, root, exclude))
        for name in sorted(files):
            p = Path(folder) / name
            if _match(p, root, include) and not _match(p, root, exclude):
                found.append(p)
    return found


def _ref_for(path: Path, root: Path | None, ref: Path | None) -> Path | None:
    if ref is None:
        return None
    if ref.is_file():
        return ref
    rel = path.relative_to(root) if root is not None and path.is_relative_to(root) else Path(path.name)
    for cand in (ref / rel, ref / path.name):
        if cand.is_file():
            return cand
    return None


def read_document(path: Path, label: str, ref: Path | None = None, align: str = "auto") -> Corpus:
    """One text or Markdown file as a one-document corpus (Markdown markup stripped)."""
    lines = read_lines(path)
    colmaps = None
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        stripped = strip_markdown(lines)
        lines = [t for t, _ in stripped]
        colmaps = [c for _, c in stripped]
    streams = []
    if ref is not None:
        ref_lines = read_lines(ref)
        if ref.suffix.lower() in MARKDOWN_SUFFIXES:
            ref_lines = [t for t, _ in strip_markdown(ref_lines)]
        streams.append((str(ref), ref_lines))
    doc = build_document(corpus=label, system=DEFAULT_SYSTEM, doc_id=label, mt_path=str(path),
                         mt_lines=lines, ref_streams=streams, align=align, colmaps=colmaps)
    return Corpus(name=label, path=str(path), documents=(doc,))


def gather(paths: Sequence[str], config: Config, ref: str | None = None) -> list[Corpus]:
    """The corpora to lint, in the order given (files of a folder sorted)."""
    ref_path = Path(ref) if ref else None
    if ref_path is not None and not ref_path.exists():
        raise InputError(ref_path, "no such file or folder")
    include = config["include"] or ("*.txt", "*.md")
    exclude = config["exclude"]
    out: list[Corpus] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(raw, "no such file or folder")
        if p.is_dir() and (p / "mt").is_dir():
            out.append(read_corpus(p, align=config["align"]))
        elif p.is_dir():
            files = discover(p, include, exclude)
            if not files:
                raise InputError(raw, f"no files matching {', '.join(include)}")
            for f in files:
                out.append(read_document(f, str(f), _ref_for(f, p, ref_path), config["align"]))
        elif p.suffix.lower() in TABLE_SUFFIXES:
            out.append(read_corpus(p, align=config["align"]))
        else:
            out.append(read_document(p, str(p), _ref_for(p, None, ref_path), config["align"]))
    return out


def _context(seg: Segment, f: Finding, width: int = 30) -> str:
    return " ".join(seg.mt[max(0, f.start - width):f.end + width].split())


def locate(corpus: Corpus, findings: Iterable[Finding]) -> list[Located]:
    """File positions and stable fingerprints of ``findings``."""
    segs = {(d.system, d.doc_id, s.seg_id): (d, s) for d in corpus.documents for s in d}
    out = []
    seen: dict[str, int] = {}
    for f in findings:
        doc, seg = segs[(f.system, f.doc_id, f.seg_id)]
        path = doc.path if doc.path else corpus.path
        col = seg.column(f.start) + 1
        end_col = (seg.column(f.end - 1) + 1) if f.end > f.start else col
        ctx = _context(seg, f)
        key = "\x1f".join((f.code, f.doc_id, f.system, f.text, ctx))
        base = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
        n = seen.get(base, 0)
        seen[base] = n + 1
        fp = f"{base}:{n}"
        out.append(Located(f, path, f.line, col, f.line, end_col, ctx, fp))
    return out


def changed_lines(paths: Iterable[str], base: str) -> dict[str, set[int] | None]:
    """Lines changed since git revision ``base``, per file (None: the whole file is new)."""
    import subprocess

    def git(*args: str, cwd: str) -> str:
        try:
            r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
        except FileNotFoundError:
            raise MtcheckError("--diff-base needs git, which is not installed") from None
        if r.returncode:
            raise MtcheckError(f"git {' '.join(args)}: {r.stderr.strip().splitlines()[0] if r.stderr.strip() else 'failed'}")
        return r.stdout

    out: dict[str, set[int] | None] = {}
    for p in set(paths):
        path = Path(p).resolve()
        cwd = str(path.parent)
        top = Path(git("rev-parse", "--show-toplevel", cwd=cwd).strip())
        rel = path.relative_to(top).as_posix()
        git("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", cwd=cwd)
        exists = subprocess.run(["git", "cat-file", "-e", f"{base}:{rel}"], cwd=cwd,
                                capture_output=True).returncode == 0
        if not exists:
            out[p] = None
            continue
        diff = git("diff", "--unified=0", "--no-color", "--no-ext-diff", base, "--", rel, cwd=str(top))
        lines: set[int] = set()
        for ln in diff.splitlines():
            if ln.startswith("@@"):
                plus = ln.split(" ")[2]  # +start,count
                start, _, count = plus[1:].partition(",")
                n = int(count) if count else 1
                lines.update(range(int(start), int(start) + n))
        out[p] = lines
    return out


def read_baseline(path: str) -> dict[str, int]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such baseline file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a baseline file: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise InputError(path, "not a baseline file: expected an object with a 'findings' list")
    counts: dict[str, int] = {}
    for item in data["findings"]:
        fp = item.get("fingerprint") if isinstance(item, dict) else None
        if isinstance(fp, str):
            counts[fp] = counts.get(fp, 0) + 1
    return counts


def baseline_document(located: Sequence[Located]) -> str:
    items = [{"fingerprint": loc.fingerprint, "code": loc.finding.code, "path": loc.path,
              "text": loc.finding.text, "context": loc.context} for loc in located]
    return json.dumps({"version": 1, "tool": "mtcheck", "findings": items}, ensure_ascii=False, indent=1) + "\n"


def lint(paths: Sequence[str], config: Config, ref: str | None = None, fluency_scorer=None,
         baseline: str | None = None, diff_base: str | None = None) -> LintResult:
    """Run every applicable check on PATHs; apply baseline and diff filters."""
    from mtcheck.pipeline import available_inputs, check_settings

    corpora = gather(paths, config, ref)
    base_counts = read_baseline(baseline) if baseline else None
    located: list[Located] = []
    documents: list[tuple[str, str]] = []
    used: list[checks_mod.Check] = []
    for corpus in corpora:
        fluency = None
        if fluency_scorer is not None:  # the engine (and what it imports) only with a scorer
            from mtcheck.engine import score_fluency

            fluency = score_fluency(corpus.documents, fluency_scorer)
        have = available_inputs(corpus) | ({"fluency"} if fluency is not None else set())
        checks = checks_mod.build(config["select"], config["ignore"], check_settings(config), available=have)
        for c in checks:
            if c.code not in {u.code for u in used}:
                used.append(c)
        found = checks_mod.run_checks(corpus, checks, {"fluency": fluency or {}})
        located.extend(locate(corpus, found))
        documents.extend((d.path or corpus.path, d.doc_id) for d in corpus.documents)
    suppressed = 0
    if diff_base:
        changed = changed_lines([loc.path for loc in located], diff_base)
        keep = []
        for loc in located:
            lines = changed.get(loc.path)
            if lines is None or loc.line in lines:
                keep.append(loc)
            else:
                suppressed += 1
        located = keep
    if base_counts is not None:
        keep = []
        left = dict(base_counts)
        for loc in located:
            if left.get(loc.fingerprint, 0) > 0:
                left[loc.fingerprint] -= 1
                suppressed += 1
            else:
                keep.append(loc)
        located = keep
    used.sort(key=lambda c: c.code)
    return LintResult(located, documents, used, suppressed)


def fails(result: LintResult, level: str) -> bool:
    threshold = Severity.parse(level)
    return any(loc.finding.severity >= threshold for loc in result.located)
