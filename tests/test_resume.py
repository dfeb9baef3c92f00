"""Interrupted runs: --resume gives the same reports byte for byte; old reports are never
left truncated, whenever a run is killed."""
from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SEED, write
from mtcheck.cli import main

FILES = ("segments", "documents", "findings", "summary", "errors")


def _corpus(root, n_docs=24, variant=""):
    text = (SEED / "mt" / "000_4828ab6c7b5e2c1e.txt").read_text(encoding="utf-8")
    sents = [s.strip() + "." for ln in text.splitlines() for s in ln.split(". ") if len(s.split()) > 3]
    rng = random.Random(7)
    for d in range(n_docs):
        lines = [f"{rng.choice(sents)} Item {d}-{i}{variant}." for i in range(40)]
        refs = [ln.replace("Industry", "Industrial") for ln in lines]
        write(root / "mt" / f"doc{d:02d}.txt", "\n".join(lines) + "\n")
        write(root / "ref" / f"doc{d:02d}.txt", "\n".join(refs) + "\n")
    write(root.parent / "resume.cfg", "[mtcheck]\nchunk-segments = 80\n")
    return root


def _args(corpus, out):
    return ["score", str(corpus), "-o", str(out), "--metrics", "bleu,chrf,ter", "-j", "1", "-q",
            "--no-fluency", "--no-config", "--config", str(corpus.parent / "resume.cfg")]


def _read(out):
    return {f: (out / f"{f}.csv").read_bytes() for f in FILES if (out / f"{f}.csv").exists()}


def _spawn(argv):
    return subprocess.Popen([sys.executable, "-m", "mtcheck", *argv], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_resume_after_sigkill_equals_an_uninterrupted_run(tmp_path):
    corpus = _corpus(tmp_path / "c")
    assert main(_args(corpus, tmp_path / "full")) == 0
    expected = _read(tmp_path / "full")
    out = tmp_path / "resumed"
    argv = _args(corpus, out) + ["--resume"]
    proc = _spawn(argv)
    partial = out / ".mtcheck-partial"
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if partial.exists() and sum(1 for _ in partial.rglob("*.json")) >= 3:
            break
        time.sleep(0.02)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = sum(1 for _ in partial.rglob("*.json")) if partial.exists() else 0
    assert done_before >= 3 or _read(out) == expected
    assert not _read(out) or _read(out) == expected  # nothing half-written
    assert main(argv) == 0
    assert _read(out) == expected
    assert not partial.exists()  # spent after a complete run


def test_ctrl_c_exits_130_and_keeps_old_reports(tmp_path):
    corpus = _corpus(tmp_path / "c")
    out = tmp_path / "o"
    assert main(_args(corpus, out)) == 0
    old = _read(out)
    proc = _spawn(_args(corpus, out) + ["--resume"])
    partial = out / ".mtcheck-partial"
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None and not (partial.exists() and any(partial.rglob("*.json"))):
        time.sleep(0.02)  # wait until the run is really at work
    proc.send_signal(signal.SIGINT)
    rc = proc.wait()
    assert rc in (0, 130)  # 0 only if it had already finished
    assert _read(out) == old
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("seed", range(3))
def test_killed_at_a_random_moment_reports_stay_whole(tmp_path, seed):
    corpus = _corpus(tmp_path / "c")
    out = tmp_path / "o"
    assert main(_args(corpus, out)) == 0
    old = _read(out)
    changed = _corpus(tmp_path / "c2", variant=" again")
    assert main(_args(changed, tmp_path / "new")) == 0
    new = _read(tmp_path / "new")
    proc = _spawn(_args(changed, out))
    time.sleep(random.Random(seed).uniform(0.2, 3.0))
    proc.send_signal(random.Random(seed).choice([signal.SIGKILL, signal.SIGTERM]))
    proc.wait()
    now = _read(out)
    assert set(now) == set(old)
    for name, data in now.items():
        assert data in (old[name], new[name]), f"{name}.csv is neither the old nor the new report"


def test_full_disk_keeps_old_reports(tmp_path, capsys, monkeypatch):
    import errno

    corpus = _corpus(tmp_path / "c", n_docs=3)
    out = tmp_path / "o"
    assert main(_args(corpus, out)) == 0
    old = _read(out)
    import pandas as pd

    real = pd.DataFrame.to_csv
    calls = {"n": 0}

    def failing(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 3:  # the disk fills up while the third report is being written
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *a, **k)

    monkeypatch.setattr(pd.DataFrame, "to_csv", failing)
    capsys.readouterr()
    assert main(_args(corpus, out)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert _read(out) == old
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
