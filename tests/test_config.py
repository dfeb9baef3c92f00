from __future__ import annotations

import pytest

from conftest import write
from mtcheck.config import load
from mtcheck.errors import ConfigError


def test_layers_later_wins(tmp_path):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    write(tmp_path / "setup.cfg", "[mtcheck]\nmetrics = bleu\njobs = 3\n")
    write(tmp_path / "a" / "pyproject.toml", "[tool.mtcheck]\njobs = 2\nalign = 'always'\n")
    write(sub / ".mtcheck.cfg", "[mtcheck]\nalign = never\n")
    extra = write(tmp_path / "extra.cfg", "[mtcheck]\nmetrics = chrf,ter\n")
    conf = load(cwd=sub)
    assert conf["metrics"] == ("bleu",) and conf["jobs"] == 2 and conf["align"] == "never"
    conf = load(str(extra), {"jobs": 1}, cwd=sub)
    assert conf["metrics"] == ("chrf", "ter") and conf["jobs"] == 1
    assert len(conf.sources) == 5


def test_unknown_key_names_key_and_file(tmp_path):
    cfg = write(tmp_path / ".mtcheck.cfg", "[mtcheck]\nmetricz = bleu\n")
    with pytest.raises(ConfigError) as exc:
        load(cwd=tmp_path)
    assert "metricz" in str(exc.value) and str(cfg) in str(exc.value)


def test_bad_value_and_syntax_error(tmp_path):
    write(tmp_path / ".mtcheck.cfg", "[mtcheck]\njobs = many\n")
    with pytest.raises(ConfigError, match="jobs"):
        load(cwd=tmp_path)
    write(tmp_path / ".mtcheck.cfg", "[mtcheck\njobs = 1\n")
    with pytest.raises(ConfigError, match="syntax error"):
        load(cwd=tmp_path)


def test_unknown_check_code(tmp_path):
    write(tmp_path / ".mtcheck.cfg", "[mtcheck:MT999]\nseverity = info\n")
    with pytest.raises(ConfigError, match="MT999"):
        load(cwd=tmp_path, known_checks={"MT101": set()})


def test_paths_are_relative_to_the_config_file(tmp_path):
    sub = tmp_path / "project"
    sub.mkdir()
    write(tmp_path / ".mtcheck.cfg", "[mtcheck]\nglossary = terms/g.tsv\n[mtcheck:MT106]\nglossary = other.tsv\n")
    conf = load(cwd=sub)
    assert conf["glossary"] == str(tmp_path / "terms" / "g.tsv")
    assert conf.checks["MT106"]["glossary"] == str(tmp_path / "other.tsv")
    assert load(None, {"glossary": "x.tsv"}, cwd=sub)["glossary"] == "x.tsv"
