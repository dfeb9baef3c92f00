"""MT302's tagger: loaded only when a candidate needs it, never with ``tagger = rules``, never torch."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import sys
from mtcheck.checks import build, run_checks
from mtcheck.readers import read_corpus
checks = build(select=["MT302"], settings={{"MT302": {{"tagger": {tagger!r}}}}})
found = run_checks(read_corpus(sys.argv[1]), checks)
print(len(found), "spacy" in sys.modules, "torch" in sys.modules)
"""


def _probe(tmp_path: Path, text: str, tagger: str) -> list[str]:
    doc = tmp_path / "a.txt"
    doc.write_text(text, encoding="utf-8")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", _PROBE.format(tagger=tagger), str(doc)],
                       capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


def test_no_candidate_no_tagger(tmp_path):
    assert _probe(tmp_path, "The city grew fast.\nIt built three schools.\n", "auto") == ["0", "False", "False"]


def test_rules_only_never_loads_the_tagger(tmp_path):
    text = "The city grew fast. Focusing on new industries.\nOfficials met. Because the city had grown.\n"
    # the rules settle the subordinate clause; the participle phrase needs the tagger
    assert _probe(tmp_path, text, "rules") == ["1", "False", "False"]


def test_tagger_decides_without_torch(tmp_path):
    text = "The city grew fast. Focusing on new industries.\nOfficials met. Because the city had grown.\n"
    assert _probe(tmp_path, text, "auto") == ["2", "True", "False"]
