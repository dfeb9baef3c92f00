"""Property-based tests: arbitrary text never breaks a reader or a check."""
from __future__ import annotations

import json
import string

import pytest

hyp = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mtcheck import InputError, read_corpus  # noqa: E402
from mtcheck.checks import build, run_checks  # noqa: E402
from mtcheck.readers.build import build_document  # noqa: E402
from mtcheck.corpus import Corpus  # noqa: E402

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# letters, names, digits, punctuation, Chinese, RTL, combining marks, emoji, controls
ALPHABET = st.one_of(
    st.sampled_from(list(string.ascii_letters + string.digits + " .,;:!?\"'()[]-+=@\t")),
    st.sampled_from(list("JinchegXshiHGaopCl., Ltd. U.S. Macau the")),
    st.sampled_from(list("晋城高平三百五十万亿，。【】（）")),
    st.sampled_from(["\u05e9", "\u0627", "\u200f", "\u202e", "\u0301", "\u0308", "😀", "👍", "\U0001f3fd", "\x1b", "\x00", "\u3000"]),
    st.characters(blacklist_categories=("Cs",)),
)
WORDS = st.sampled_from(["Jincheng", "jincheng", "Xishi", "Hengshi", "Gaoping", "College", "Co., Ltd.", "U.S.",
                         "US", "the United States", "Macau", "Macao", "the the", "350万", "3.5 million", "June 25",
                         "laitimes", "Read on", "1+ X", "Department of Education", ";", ". ", "..."])
TEXT = st.lists(st.one_of(st.text(ALPHABET, max_size=12), WORDS), max_size=12).map(" ".join)
LINES = st.lists(TEXT, min_size=1, max_size=6)


@SETTINGS
@given(st.binary(max_size=300))
def test_text_reader_on_any_bytes(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("b") / "x.txt"
    p.write_bytes(data)
    try:
        corpus = read_corpus(p)
    except InputError as exc:
        assert str(p) in str(exc) and "\n" not in str(exc)
    else:
        assert all(s.mt == s.mt.strip() and s.mt for d in corpus.documents for s in d)


@SETTINGS
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=5))
def test_jsonl_reader_on_any_text(tmp_path_factory, rows):
    p = tmp_path_factory.mktemp("j") / "x.jsonl"
    p.write_text("".join(json.dumps({"doc_id": d or "d", "mt": m}) + "\n" for d, m in rows), encoding="utf-8")
    try:
        corpus = read_corpus(p)
    except InputError:
        return
    assert corpus.n_segments == len(rows)


@SETTINGS
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=5))
def test_tsv_reader_on_any_text(tmp_path_factory, rows):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(["doc_id", "mt"])
    for d, m in rows:
        w.writerow([d, m])
    p = tmp_path_factory.mktemp("t") / "x.tsv"
    p.write_text(buf.getvalue(), encoding="utf-8")
    try:
        read_corpus(p)
    except InputError:
        pass


CHECKS = build()


@SETTINGS
@given(LINES, st.one_of(st.none(), LINES), st.one_of(st.none(), LINES))
def test_every_check_on_any_text(mt, ref, src):
    doc = build_document(corpus="p", system="mt", doc_id="d", mt_path="d.txt", mt_lines=mt,
                         ref_streams=[("r.txt", ref)] if ref is not None else [],
                         src=("s.txt", src) if src is not None else None)
    other = build_document(corpus="p", system="mt", doc_id="e", mt_path="e.txt", mt_lines=list(reversed(mt)),
                           ref_streams=[])
    corpus = Corpus("p", "p", (doc, other))
    for f in run_checks(corpus, CHECKS):
        d = doc if f.doc_id == "d" else other
        seg = next(s for s in d.segments if s.seg_id == f.seg_id)
        assert 0 <= f.start <= f.end <= len(seg.mt)
        assert seg.mt[f.start:f.end] == f.text
        assert f.line == seg.line and f.message


MD = st.lists(st.one_of(TEXT, st.sampled_from(["# ", "**", "*", "_", "`", "[", "](http://x)", "![a](b)", "> ",
                                                "- ", "1. ", "```", "<b>", "</b>", "<!-- c -->", "---"])),
              max_size=10).map("".join)


@SETTINGS
@given(st.lists(MD, min_size=1, max_size=6))
def test_markdown_stripping_keeps_original_positions(lines):
    from mtcheck.markdown import strip_markdown

    out = strip_markdown(lines)
    assert len(out) == len(lines)
    for line, (text, cols) in zip(lines, out):
        assert len(text) == len(cols)
        assert all(line[c] == ch for c, ch in zip(cols, text))
        assert cols == sorted(cols)
