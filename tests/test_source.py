"""The Chinese source module (mtcheck.lang.zh) and the checks where the source decides (MT107, MT108)."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, SEED, need_shared, write
from mtcheck import read_corpus
from mtcheck.checks import build, run_checks
from mtcheck.lang import zh


def _name(src: str, text: str) -> zh.SourceName:
    return next(n for n in zh.names(src) if n.text == text)


def test_names_are_found_and_romanised_in_the_usual_forms():
    src = "山西恒石事业集团有限公司与晋城职业技术学院合作，校长王建明和欧阳修在西安。"
    assert {"山西", "恒石", "晋城", "王建明", "欧阳修", "西安"} <= {n.text for n in zh.names(src)}
    assert _name(src, "恒石").romanised() == "Hengshi"
    assert _name(src, "王建明").romanised() == "Wang Jianming"
    assert _name(src, "欧阳修").romanised() == "Ouyang Xiu"  # a compound surname
    assert _name(src, "西安").romanised() == "Xi'an"
    forms = _name(src, "王建明").letter_forms()
    for english in ("Wang Jianming", "Wang Jian-ming", "Jianming Wang", "WANG JIANMING"):
        assert zh.letters(english) in forms, english
    assert zh.letters("Xian") in _name(src, "西安").letter_forms()


def test_translated_names_come_from_cc_cedict():
    src = "北京大学的学者考察了黄河。"
    assert "Peking University" in _name(src, "北京大学").glosses
    assert "Yellow River" in _name(src, "黄河").glosses
    assert _name("伊朗已证明其诚意。", "伊朗").translated_as == "Iran"
    assert _name(src, "黄河").translated_as == ""  # CC-CEDICT also gives Huang He, the pinyin


def test_transliteration_and_syllables():
    assert zh.transliterates("山西恒石事业集团", "Hengshi")
    assert not zh.transliterates("山西恒石事业集团", "Xishi")
    assert ("xi", "an") in zh.syllable_parse("Xi'an")
    assert zh.join_syllables(["xi", "an"]) == "Xi'an"
    assert "的" in zh.function_words() and "职业" not in zh.function_words()


def test_foreign_and_common_words_are_not_pinyin_names():
    assert not _name("迪里耶医生说", "迪里耶").pinyin_name  # a foreign name in Chinese characters
    assert _name("校长王建明讲话", "王建明").pinyin_name


def test_nothing_chinese_is_loaded_without_a_source(tmp_path):
    code = ("import sys; from mtcheck import read_corpus; from mtcheck.checks import build, run_checks; "
            f"run_checks(read_corpus({str(SEED)!r}), build()); "
            "print(sorted(m for m in ('jieba', 'pypinyin') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]", out.stdout


def test_jieba_cache_lives_in_mtchecks_cache(tmp_path):
    code = "from mtcheck.lang import zh; zh.words('山西恒石事业集团'); import jieba; print(jieba.dt.tmp_dir)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path)})
    assert out.stdout.strip() == str(tmp_path / "mtcheck" / "jieba")
    assert list((tmp_path / "mtcheck" / "jieba").glob("jieba*.cache"))
    assert "Building prefix dict" not in out.stderr  # jieba's logging is silenced


def test_source_decides_in_mt101_and_mt107(tmp_path):
    mt = ("Shanxi Xishi Cause Group founded the college.\nShanxi Xishi Cause Group invested.\n"
          "Shanxi Hengshi Cause Group trains engineers.\n")
    src = "山西恒石事业集团创办了该学院。\n山西恒石事业集团投资了。\n山西恒石事业集团培养工程师。\n"
    write(tmp_path / "c" / "mt" / "d.txt", mt)
    bare = read_corpus(tmp_path / "c")
    without = run_checks(bare, build(select=["MT101"]))
    assert [(f.line, f.text) for f in without] == [(3, "Hengshi")]  # majority wins without the source
    write(tmp_path / "c" / "src" / "d.txt", src)
    corpus = read_corpus(tmp_path / "c")
    found = run_checks(corpus, build(select=["MT101", "MT107"]))
    assert {(f.code, f.line, f.text, f.suggestion) for f in found} == {
        ("MT101", 1, "Xishi", "Hengshi"), ("MT101", 2, "Xishi", "Hengshi"),
        ("MT107", 1, "Xishi", "Hengshi"), ("MT107", 2, "Xishi", "Hengshi")}
    assert "source" in next(f for f in found if f.code == "MT101").message


def test_untouched_human_references_raise_few_errors(tmp_path):
    """WMT22 reference A with its source, as one document per .docids id: MT107 and MT108
    stay quiet on good human translation (the benchmark runs the whole set)."""
    d = need_shared("data", "wmt22-zhen")
    ref = (d / "generaltest2022.zh-en.ref.A.en").read_text(encoding="utf-8").split("\n")[:600]
    src = (d / "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8").split("\n")[:600]
    ids = (d / "generaltest2022.zh-en.docids").read_text(encoding="utf-8").split("\n")[:600]
    rows = ["doc_id\tmt\tsrc"] + [f"{i}\t{m}\t{s}" for i, m, s in zip(ids, ref, src)]
    corpus = read_corpus(write(tmp_path / "refA.tsv", "\n".join(rows) + "\n"))
    found = run_checks(corpus, build(select=["MT107", "MT108"]))
    errors = [f for f in found if str(f.severity) == "error"]
    assert len(errors) * 50 <= len(ref) * 0.5, errors  # at most 0.5 per 50 segments
    assert len(found) * 50 <= len(ref) * 1.5, found
