"""The bad-input matrix: every case's exact behaviour, for `score` and for `lint`."""
from __future__ import annotations

import os
import re

import pytest

from conftest import SEED, write
from mtcheck.cli import main

SCORE = ["score", "--metrics", "bleu", "-q", "--no-fluency", "--no-config"]
LINT = ["lint", "--no-config"]


def _one_line(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def _corpus(tmp_path, files: dict[str, bytes | str]):
    root = tmp_path / "c"
    for name, data in files.items():
        write(root / name, data)
    return root


CASES = {
    # name: (files, target inside tmp, score (rc, stderr regex), lint (rc, stderr regex))
    "invalid utf-8": ({"a.txt": b"ok\nbad \xff\n"}, "c/a.txt",
                      (2, r"a\.txt:2: invalid UTF-8 at byte offset 7 \(byte 0xff\)"), (2, r"a\.txt:2: invalid UTF-8")),
    "utf-16 with bom": ({"a.txt": "Hello there.\nSecond line.\n".encode("utf-16")}, "c/a.txt", (0, None), (0, None)),
    "binary file": ({"a.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "c/a.txt",
                    (2, r"a\.txt:\d+: binary file \(NUL byte"), (2, r"binary file")),
    "nul bytes": ({"a.txt": b"text\x00more\n"}, "c/a.txt", (2, r"a\.txt:1: binary file"), (2, r"binary file")),
    "empty file": ({"a.txt": b""}, "c/a.txt", (2, r"a\.txt: empty file: no text to score"), (0, None)),
    "only blank lines": ({"a.txt": "\n  \n\t\n"}, "c/a.txt", (2, r"empty file"), (0, None)),
    "crlf and lone cr": ({"a.txt": b"One.\r\nTwo.\rThree.\n"}, "c/a.txt", (0, None), (0, None)),
    "empty corpus folder": ({"mt/.keep": ""}, "c", (2, r"mt: no MT files found"), (2, r"mt: no MT files found")),
    "reference names match no mt file": ({"mt/a.txt": "x\n", "ref/b.txt": "x\n"}, "c",
                                         (2, r"ref: no reference file matches"), (2, r"no reference file matches")),
    "tsv without mt column": ({"t.tsv": "doc_id\tref\nd\tx\n"}, "c/t.tsv",
                              (2, r"t\.tsv:1: no 'mt' \(or 'hypothesis'\) column"), (2, r"t\.tsv:1: no 'mt'")),
    "quoted field spanning lines": ({"t.tsv": 'doc_id\tmt\nd\t"two\nlines"\nd\tthree\n'}, "c/t.tsv", (0, None),
                                    (0, None)),
    "jsonl line not json": ({"t.jsonl": '{"mt": "a"}\n{oops\n'}, "c/t.jsonl", (2, r"t\.jsonl:2: not JSON"),
                            (2, r"t\.jsonl:2: not JSON")),
    "jsonl line not an object": ({"t.jsonl": '["a"]\n'}, "c/t.jsonl", (2, r"t\.jsonl:1: expected a JSON object"),
                                 (2, r"expected a JSON object")),
    "path does not exist": ({}, "nowhere.txt", (2, r"nowhere\.txt: no such file or folder"),
                            (2, r"no such file or folder")),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("command", ["score", "lint"])
def test_matrix(tmp_path, capsys, name, command):
    files, target, score_expect, lint_expect = CASES[name]
    _corpus(tmp_path, files)
    path = str(tmp_path / target)
    rc = main(SCORE + [path, "-o", str(tmp_path / "out")] if command == "score" else LINT + [path])
    out, err = capsys.readouterr()
    want_rc, pattern = score_expect if command == "score" else lint_expect
    assert rc == want_rc, (rc, err)
    if pattern:
        assert re.search(pattern, _one_line(err)), err
        assert err.startswith("mtcheck: error: ")
    elif command == "score":
        assert (tmp_path / "out" / "segments.csv").exists()


def test_ten_megabyte_line(tmp_path, capsys):
    import random

    rng = random.Random(3)
    vocab = ("the college in Gaoping trains technicians and engineers for the city while Jincheng "
             "officials said output rose by 5% in June").split()
    words = []
    size = 0
    while size < 10_000_000:
        w = rng.choice(vocab)
        words.append(w)
        size += len(w) + 1
    p = write(tmp_path / "big.txt", " ".join(words) + "\n")
    assert main(SCORE + [str(p), "-o", str(tmp_path / "o")]) == 0
    assert main(LINT + [str(p), "--select", "MT1,MT2,MT4", "--format", "json"]) in (0, 1)
    capsys.readouterr()


def test_line_numbers_with_crlf_and_cr(tmp_path, capsys):
    p = write(tmp_path / "a.txt", b"laitimes\r\n\r\nOne.\rRead on\n")
    main(LINT + [str(p), "--format", "json"])
    import json

    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["code"], f["line"]) for f in found] == [("MT401", 1), ("MT401", 4)]


def test_symlink_loop_inside_a_corpus(tmp_path, capsys):
    root = _corpus(tmp_path, {"mt/a.txt": "Text here.\n"})
    os.symlink("loop", root / "mt" / "loop")
    os.symlink("..", root / "mt" / "up")  # a folder symlink pointing back up
    assert main(LINT + [str(root / "mt")]) == 0
    capsys.readouterr()


def test_folder_where_a_file_is_expected(tmp_path, capsys):
    rc = main(SCORE + [str(SEED), "-o", str(tmp_path / "o"), "--glossary", str(tmp_path)])
    assert rc == 2 and "is a folder" in _one_line(capsys.readouterr().err)
    rc = main(LINT + [str(SEED), "--config", str(tmp_path)])
    assert rc == 2 and "is a folder" in _one_line(capsys.readouterr().err)


def test_glossary_and_config_syntax_errors(tmp_path, capsys):
    g = write(tmp_path / "g.tsv", "source\ttarget\n\"unclosed\tx\n")
    rc = main(LINT + [str(SEED), "--glossary", str(g)])
    assert rc == 2 and re.search(r"g\.tsv:2: ", _one_line(capsys.readouterr().err))
    c = write(tmp_path / "bad.cfg", "[mtcheck\nselect = MT1\n")
    rc = main(LINT + [str(SEED), "--config", str(c)])
    assert rc == 2 and re.search(r"bad\.cfg(:\d+)?: syntax error", _one_line(capsys.readouterr().err))


def test_debug_shows_the_traceback(tmp_path):
    from mtcheck.errors import InputError

    with pytest.raises(InputError):
        main(SCORE + [str(tmp_path / "missing.txt"), "--debug"])
