from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import GOLDEN, ROOT, SEED, UPDATE_GOLDEN, write
from mtcheck.cli import main
from mtcheck.report import DOCUMENT_COLUMNS, FINDING_COLUMNS, REPORTS, SEGMENT_COLUMNS, SUMMARY_COLUMNS


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert "mtcheck 0." in capsys.readouterr().out
    for argv in (["--help"], ["score", "--help"], ["checks", "--help"]):
        assert main(argv) == 0
        assert "usage: mtcheck" in capsys.readouterr().out


def test_usage_error_is_exit_2(capsys):
    assert main(["score"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CORPUS" in err
    assert main(["score", str(SEED), "--metrics", "bleu,meteor", "--no-config"]) == 2


def test_seed_reports_match_golden(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["score", str(SEED), "--out", str(out), "--no-fluency", "--jobs", "1", "--no-config"]) == 0
    assert "seed/mt: BLEU" in capsys.readouterr().out
    for name in REPORTS:
        got = (out / f"{name}.csv").read_bytes()
        golden = GOLDEN / "seed" / f"{name}.csv"
        if UPDATE_GOLDEN:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(got)
        assert got == golden.read_bytes(), f"{name}.csv differs from {golden}"
    header = {n: (out / f"{n}.csv").read_text().splitlines()[0].split(",") for n in REPORTS}
    assert tuple(header["segments"]) == SEGMENT_COLUMNS
    assert tuple(header["documents"]) == DOCUMENT_COLUMNS
    assert tuple(header["findings"]) == FINDING_COLUMNS
    assert tuple(header["summary"]) == SUMMARY_COLUMNS


def test_runs_are_byte_identical_and_jobs_do_not_matter(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["score", str(SEED), "-o", str(a), "-j", "1", "-q", "--no-config", "--no-fluency"]) == 0
    assert main(["score", str(SEED), "-o", str(b), "-j", "2", "-q", "--no-config", "--no-fluency"]) == 0
    for name in REPORTS:
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes()


def test_default_output_folder_and_metrics_option(tmp_path, monkeypatch):
    corpus = tmp_path / "news"
    shutil.copytree(SEED, corpus)
    monkeypatch.chdir(tmp_path)
    assert main(["score", "news", "--metrics", "bleu", "-q", "--no-config", "--no-fluency"]) == 0
    summary = (tmp_path / "reports" / "news" / "summary.csv").read_text().splitlines()
    cols = summary[0].split(",")
    row = summary[1].split(",")
    assert row[cols.index("chrf")] == "" and row[cols.index("ter")] == ""
    assert float(row[cols.index("bleu")]) > 0


def test_bad_input_is_one_line_exit_2_and_keeps_old_reports(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["score", str(SEED), "-o", str(out), "-q", "--no-config", "--no-fluency"]) == 0
    before = {n: (out / f"{n}.csv").read_bytes() for n in REPORTS}
    bad = write(tmp_path / "bad.txt", b"fine\nbroken \xc3\x28 byte\n")
    capsys.readouterr()
    # a single bad corpus: one line, exit 2, nothing written
    assert main(["score", str(bad), "-o", str(out), "-q", "--no-config", "--no-fluency"]) == 2
    err = capsys.readouterr().err
    assert err == f"mtcheck: error: {bad}:2: invalid UTF-8 at byte offset 12 (byte 0xc3)\n"
    assert {n: (out / f"{n}.csv").read_bytes() for n in REPORTS} == before
    # beside a good corpus: the good one is reported, the bad one listed in errors.csv, exit 2
    assert main(["score", str(SEED), str(bad), "-o", str(out), "-q", "--no-config", "--no-fluency"]) == 2
    err = capsys.readouterr().err
    assert err == f"mtcheck: error: {bad}:2: invalid UTF-8 at byte offset 12 (byte 0xc3)\n"
    assert {n: (out / f"{n}.csv").read_bytes() for n in REPORTS if n != "errors"} == \
        {n: b for n, b in before.items() if n != "errors"}
    errors = (out / "errors.csv").read_text().splitlines()
    assert errors[0] == "corpus,path,line,error" and errors[1].startswith(f"bad,{bad},2,invalid UTF-8")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_broken_document_does_not_stop_the_others(tmp_path, capsys):
    root = tmp_path / "c"
    write(root / "mt" / "a.txt", "Good text here.\n")
    write(root / "mt" / "b.txt", b"bad \xff text\n")
    write(root / "mt" / "c.txt", "More good text.\n")
    out = tmp_path / "o"
    assert main(["score", str(root), "-o", str(out), "-q", "--no-config", "--no-fluency", "--metrics", "bleu"]) == 2
    docs = [ln.split(",")[2] for ln in (out / "documents.csv").read_text().splitlines()[1:]]
    assert docs == ["a", "c"]
    assert "b.txt,1,invalid UTF-8" in (out / "errors.csv").read_text()
    assert capsys.readouterr().err.count("\n") == 1


def test_debug_shows_traceback(tmp_path):
    with pytest.raises(Exception, match="no such file"):
        main(["score", str(tmp_path / "missing.tsv"), "--debug", "--no-config"])


def test_tsv_corpus_with_systems(tmp_path):
    p = write(tmp_path / "c.tsv", "system\tdoc_id\tmt\tref\n"
              "A\td1\tThe cat sat.\tThe cat sat.\nB\td1\tA cat sits.\tThe cat sat.\n")
    out = tmp_path / "o"
    assert main(["score", str(p), "-o", str(out), "-q", "--no-config", "--no-fluency"]) == 0
    rows = (out / "summary.csv").read_text().splitlines()[1:]
    assert [r.split(",")[1] for r in rows] == ["A", "B"]
    assert rows[0].split(",")[4] == "100.0000"


def test_score_without_fluency_does_not_import_torch(tmp_path):
    code = ("import sys; from mtcheck.cli import main; "
            f"rc = main(['score', {str(SEED)!r}, '-o', {str(tmp_path)!r}, '--metrics', 'bleu', '-q', '--no-fluency']); "
            "print(rc, 'torch' in sys.modules, 'transformers' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.stdout.split() == ["0", "False", "False"], r.stderr


def test_python_dash_m_and_console_script():
    r = subprocess.run([sys.executable, "-m", "mtcheck", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.startswith("mtcheck ")
    r = subprocess.run([sys.executable, "-c", "import mtcheck, sys; print('pandas' in sys.modules, 'sacrebleu' in sys.modules)"],
                       capture_output=True, text=True)
    assert r.stdout.split() == ["False", "False"]


def test_reports_get_the_mode_of_a_plain_file(tmp_path):
    """Reports are staged with mkstemp (0600) but end up as readable as any file the user writes."""
    import os

    old = os.umask(0o022)
    try:
        assert main(["score", str(SEED), "--no-fluency", "--metrics", "bleu", "-q", "--no-config",
                     "--html", "-o", str(tmp_path / "o")]) == 0
    finally:
        os.umask(old)
    for name in ("segments.csv", "summary.csv", "report.html"):
        assert (tmp_path / "o" / name).stat().st_mode & 0o777 == 0o644, name


_PATTERNS = [(r"(?<![\w.])(?P<m>Jan|Feb)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\w-])", 0),
             (r"colou?r|organi[sz]ation|(?:[A-Z]\.){2,}", 2),  # re.IGNORECASE
             (r"^\s*(\w+)\s+\1\b", 8),  # re.MULTILINE, a backreference
             (r"[\u4e00-\u9fff]+|[^\W\d_]+(?:['’\-][^\W\d_]+)*", 0)]
_TEXT = "Feb. 9 and jan 12th: the colour of U.S. ORGANISATION\nthe the 恒石 Xi'an well-known"


def _behaviour():
    import re

    re.purge()
    out = []
    for p, flags in _PATTERNS:
        pat = re.compile(p, flags)
        out.append((pat.pattern, pat.flags, pat.groups, dict(pat.groupindex),
                    [m.span() + m.groups() for m in pat.finditer(_TEXT)]))
    bpat = re.compile(rb"\d+|[a-z]+", re.I)
    out.append((bpat.pattern, bpat.flags, bpat.findall(b"abc 12 DE")))
    return out


def test_regex_cache_builds_the_same_patterns(tmp_path, monkeypatch):
    """The command line's compiled-regex cache: a second start-up builds every pattern from
    the cache file (no new entries), and the patterns behave exactly as re's own; a corrupt
    or foreign file is ignored and rewritten."""
    from mtcheck import _recache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("MTCHECK_NO_RE_CACHE", raising=False)
    plain = _behaviour()
    assert _recache.install()
    try:
        assert not _recache.install()  # already installed
        assert _behaviour() == plain
        assert len(_recache._state["new"]) == len(_PATTERNS) + 1
    finally:
        _recache.uninstall()
    path = _recache.cache_file()
    assert path.is_file() and path.is_relative_to(tmp_path)
    assert _recache.install()
    try:
        assert len(_recache._state["entries"]) == len(_PATTERNS) + 1
        assert _behaviour() == plain
        assert _recache._state["new"] == {}  # every pattern came from the cache
    finally:
        _recache.uninstall()
    import re

    assert re._compiler.compile.__module__ == "re._compiler"  # restored
    for junk in (b"\x00garbage", __import__("marshal").dumps(("other", 1))):
        path.write_bytes(junk)
        assert _recache.install()
        try:
            assert _recache._state["entries"] == {}
            assert _behaviour() == plain
        finally:
            _recache.uninstall()
        assert len(_recache._load(path)) == len(_PATTERNS) + 1


def test_regex_cache_keeps_lint_findings(tmp_path):
    """lint on the seed, in fresh processes, gives the same JSON with the cache off, filling
    it, and reading it."""
    import os

    outs = []
    for off in ("1", "", ""):
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "MTCHECK_NO_RE_CACHE": off,
               "PYTHONPATH": str(ROOT)}
        out = tmp_path / f"lint{len(outs)}.json"
        r = subprocess.run([sys.executable, "-m", "mtcheck", "lint", str(SEED), "--no-config", "--format", "json",
                            "--output", str(out)], env=env, cwd=ROOT, capture_output=True, text=True)
        assert r.returncode == 1, r.stderr
        outs.append(out.read_bytes())
        assert any((tmp_path / "mtcheck" / "re").glob("*.marshal")) == (len(outs) > 1)
    assert outs[0] == outs[1] == outs[2]


def test_wordlist_table_finds_every_word_and_is_cached(tmp_path, monkeypatch):
    """mtcheck._wordlist: the alphabetical table gives each word's band (non-ASCII words
    included, by UTF-8 byte order), None for others; load() builds it once per source file
    and reads it back from the cache (a corrupt cache file is rebuilt)."""
    from mtcheck import _wordlist

    bands = [[], ["of", "the"], [], ["café", "xi'an", "zoo", "über"], ["a-b", "aa", "日本"]]
    table = _wordlist.build(bands)
    want = {w: i for i, band in enumerate(bands) for w in band}
    assert {w: table.band(w) for w in want} == want
    assert table.as_dict() == want
    for missing in ("", "a", "th", "thee", "zzz", "cafe", "日", "\U0001f600"):
        assert table.band(missing) is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = tmp_path / "large_en.msgpack.gz"
    source.write_bytes(b"any bytes")
    calls = []

    def unpack(raw):
        calls.append(raw)
        return bands

    for _ in range(2):
        got = _wordlist.load(source, unpack)
        assert got.as_dict() == want and got.band("über") == 3
    assert calls == [b"any bytes"]
    (cached,) = (tmp_path / "mtcheck" / "wordfreq").glob("*.marshal")
    cached.write_bytes(b"\x00junk")
    assert _wordlist.load(source, unpack).as_dict() == want and len(calls) == 2
    source.write_bytes(b"another release")  # a new data file: a table of its own
    assert _wordlist.load(source, lambda raw: [["new"]]).as_dict() == {"new": 0}


def test_regex_cache_stays_bounded(tmp_path, monkeypatch):
    """Past MAX_ENTRIES, a save keeps only the patterns this run used, plus the new ones."""
    import re

    from mtcheck import _recache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("MTCHECK_NO_RE_CACHE", raising=False)
    monkeypatch.setattr(_recache, "MAX_ENTRIES", 3)
    for batch in (["a+b", "c+d", "e+f"], ["a+b", "g+h"]):
        re.purge()
        assert _recache.install()
        try:
            for p in batch:
                assert re.compile(p).fullmatch(p[0] * 2 + p[2])
        finally:
            _recache.uninstall()
    assert sorted(k[1] for k in _recache._load(_recache.cache_file())) == ["a+b", "g+h"]
