from __future__ import annotations

import json

import pytest

from conftest import DATA, SEED, need_shared, write
from mtcheck import InputError, read_corpus


def test_seed_folder_is_aligned():
    corpus = read_corpus(SEED)
    (doc,) = corpus.documents
    assert corpus.name == "seed" and doc.system == "mt"
    assert [s.line for s in doc] == [1, 3, 5, 7, 9, 11, 13, 15]
    assert doc.segments[0].mt == "laitimes"
    # indented paragraphs: the segment text starts after the indentation
    assert doc.segments[4].col == 2 and doc.segments[4].mt.startswith("As the second")
    al = doc.alignments[0]
    assert al.method == "dp"
    kinds = [b.kind for b in al.beads]
    assert kinds.count("1-2") == 1  # the reference split one sentence
    assert doc.segments[0].refs == ("",)  # the watermark has no reference
    assert doc.segments[-1].refs == ("",)  # nor has "Read on"


def test_folder_systems_multiple_refs_and_src(tmp_path):
    root = tmp_path / "c"
    write(root / "mt" / "sysA" / "d1.txt", "Hello world.\nSecond line.\n")
    write(root / "mt" / "sysB" / "d1.txt", "Hi world.\nThe second line.\n")
    write(root / "ref" / "d1.txt", "Hello, world.\nThe second line.\n")
    write(root / "ref-2" / "d1.txt", "Hello there world.\nLine two.\n")
    write(root / "src" / "d1.txt", "你好世界。\n第二行。\n")
    corpus = read_corpus(root)
    assert corpus.systems == ["sysA", "sysB"]
    seg = corpus.documents[1].segments[1]
    assert seg.mt == "The second line."
    assert seg.refs == ("The second line.", "Line two.")
    assert seg.src == "第二行。"


def test_parallel_files_keep_empty_mt_line(tmp_path):
    root = tmp_path / "c"
    write(root / "mt" / "d.txt", "one\n\nthree\n" * 40)
    write(root / "ref" / "d.txt", "uno\n\ntres\n" * 39 + "uno\ndos\ntres\n")
    doc = read_corpus(root).documents[0]
    assert doc.alignments[0].method == "parallel"
    empty = [s for s in doc if s.mt == ""]
    assert len(empty) == 1 and empty[0].refs == ("dos",) and empty[0].line == 119


def test_align_never_refuses_count_mismatch(tmp_path):
    root = tmp_path / "c"
    write(root / "mt" / "d.txt", "A b c.\nD e f.\n")
    write(root / "ref" / "d.txt", "A b c. D e f.\n")
    bad = read_corpus(root, align="never")
    assert not bad.documents and "use --align auto" in bad.errors[0][2]
    doc = read_corpus(root).documents[0]
    assert [b.kind for b in doc.alignments[0].beads] == ["2-1"]


def test_reference_names_match_no_mt(tmp_path):
    root = tmp_path / "c"
    write(root / "mt" / "a.txt", "x\n")
    write(root / "ref" / "b.txt", "x\n")
    with pytest.raises(InputError, match="no reference file matches"):
        read_corpus(root)


def test_text_file_bom_and_crlf(tmp_path):
    p = write(tmp_path / "article.txt", b"\xef\xbb\xbfFirst line.\r\n\r\nSecond\rThird\n")
    doc = read_corpus(p).documents[0]
    assert [s.mt for s in doc] == ["First line.", "Second", "Third"]
    assert [s.line for s in doc] == [1, 3, 4]
    assert doc.n_refs == 0


def test_utf16_with_bom_is_read(tmp_path):
    p = write(tmp_path / "a.txt", "Héllo\nwörld\n".encode("utf-16"))
    assert [s.mt for s in read_corpus(p).documents[0]] == ["Héllo", "wörld"]


@pytest.mark.parametrize("data, line, needle", [
    (b"good\nbad \xff here\n", 2, "invalid UTF-8 at byte offset 9"),
    (b"ok\n\x00\x01\x02binary", 2, "binary file"),
])
def test_bad_bytes_are_located(tmp_path, data, line, needle):
    p = write(tmp_path / "x.txt", data)
    with pytest.raises(InputError) as exc:
        read_corpus(p)
    assert exc.value.line == line and needle in str(exc.value) and str(p) in str(exc.value)


def test_tsv_aliases_multiref_and_row_lines(tmp_path):
    p = write(tmp_path / "t.tsv",
              "system\tdoc_id\tseg_id\thypothesis\treference\tref_2\tsource\n"
              "s1\td\t2\tSecond.\tThe second.\t2nd.\t第二\n"
              "s1\td\t1\t\"A quoted\nfield.\"\tFirst.\t\t第一\n")
    corpus = read_corpus(p)
    (doc,) = corpus.documents
    assert [s.seg_id for s in doc] == ["1", "2"]  # ordered by seg_id
    first = doc.segments[0]
    assert first.mt == "A quoted\nfield." and first.line == 3
    assert first.refs == ("First.", None) and doc.segments[1].refs == ("The second.", "2nd.")
    assert first.src == "第一"


def test_tsv_without_mt_column(tmp_path):
    p = write(tmp_path / "t.tsv", "doc_id\tref\nd\tx\n")
    with pytest.raises(InputError) as exc:
        read_corpus(p)
    assert exc.value.line == 1 and "no 'mt'" in str(exc.value)


def test_csv_ragged_row(tmp_path):
    p = write(tmp_path / "t.csv", "doc_id,mt\nd,one\nd,two,three\n")
    with pytest.raises(InputError) as exc:
        read_corpus(p)
    assert exc.value.line == 3


def test_jsonl_rows_and_errors(tmp_path):
    rows = [{"doc_id": "d", "mt": "One.", "ref": "Uno."}, {"doc_id": "d", "mt": "Two.", "ref": "Dos."}]
    p = write(tmp_path / "c.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    doc = read_corpus(p).documents[0]
    assert [(s.mt, s.refs, s.line) for s in doc] == [("One.", ("Uno.",), 1), ("Two.", ("Dos.",), 2)]
    bad = write(tmp_path / "bad.jsonl", json.dumps(rows[0]) + "\n{not json\n")
    with pytest.raises(InputError) as exc:
        read_corpus(bad)
    assert exc.value.line == 2 and "not JSON" in str(exc.value)
    arr = write(tmp_path / "arr.jsonl", "[1, 2]\n")
    with pytest.raises(InputError, match="expected a JSON object"):
        read_corpus(arr)


def test_missing_path_and_folder_without_mt(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_corpus(tmp_path / "nope")
    with pytest.raises(InputError, match="no mt/"):
        read_corpus(tmp_path)


def test_mqm_tsv_reads_as_is():
    p = need_shared("data", "mqm-zhen-dev.tsv")
    corpus = read_corpus(p)
    assert corpus.n_segments == 2876
    seg = corpus.documents[0].segments[0]
    assert seg.src and seg.refs[0] and seg.mt
    assert DATA.exists()
