"""The Dask engine: the same reports as the local engine, byte for byte, on a cluster in this
process, on a real scheduler with two worker processes (one killed mid-run), with fluency on
the workers, and after an interrupted run with --resume."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, need_shared
from mtcheck.cli import main

pytest.importorskip("distributed")
pytestmark = pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")

FILES = ("segments", "documents", "findings", "summary", "errors")
SYSTEMS = ("AISP-SJTU", "Online-B")


def _wmt_slice(path: Path, lines: int, start: int = 0) -> Path:
    """Two WMT22 zh-en systems, ``lines`` segments each, with their real document ids."""
    d = need_shared("data", "wmt22-zhen")

    def read(name: str) -> list[str]:
        return (d / f"generaltest2022.zh-en.{name}").read_text(encoding="utf-8").split("\n")

    ids, ref, src = read("docids"), read("ref.A.en"), read("src.zh")
    rows = []
    for system in SYSTEMS:
        mt = read(f"hyp.{system}.en")
        rows += [{"system": system, "doc_id": ids[i], "seg_id": str(i + 1), "mt": mt[i], "ref": ref[i],
                  "src": src[i]} for i in range(start, start + lines)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _args(corpus: Path, out: Path, chunk: int, *more: str) -> list[str]:
    cfg = corpus.with_suffix(".cfg")
    cfg.write_text(f"[mtcheck]\nchunk-segments = {chunk}\nlm-threads = 1\n", encoding="utf-8")
    return ["score", str(corpus), "-o", str(out), "-j", "1", "-q", "--no-config", "--config", str(cfg), *more]


def _read(out: Path) -> dict[str, bytes]:
    return {f: (out / f"{f}.csv").read_bytes() for f in FILES if (out / f"{f}.csv").exists()}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def _wait(cond, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"exited with {proc.returncode} while waiting for {what}: "
                                 f"{proc.stderr.read().decode() if proc.stderr else ''}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _partials(out: Path) -> int:
    folder = out / ".mtcheck-partial"
    return sum(1 for _ in folder.rglob("*.json")) if folder.exists() else 0


# -- without dask, and bad flags --------------------------------------------------------
def test_without_dask_says_how_to_install(tmp_path, monkeypatch, capsys):
    corpus = _wmt_slice(tmp_path / "w.jsonl", 5)
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    assert main(_args(corpus, tmp_path / "o", 100, "--no-fluency", "--engine", "dask")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'mtcheck[dask]'" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("flags, message", [
    (["--scheduler", "tcp://127.0.0.1:1"], "need --engine dask"),
    (["--workers", "2"], "need --engine dask"),
    (["--engine", "dask", "--workers", "-1"], "--workers must be 0"),
    (["--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
])
def test_engine_flags_are_checked(tmp_path, capsys, flags, message):
    corpus = _wmt_slice(tmp_path / "w.jsonl", 5)
    assert main(_args(corpus, tmp_path / "o", 100, "--no-fluency", *flags)) == 2
    assert message in capsys.readouterr().err


def test_unreachable_scheduler_is_one_line(tmp_path, capsys):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    corpus = _wmt_slice(tmp_path / "w.jsonl", 5)
    cfg = ["--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}", "--no-fluency"]
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        assert main(_args(corpus, tmp_path / "o", 100, *cfg)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach the Dask scheduler" in err


def test_a_worker_of_another_version_refuses_without_retrying():
    from mtcheck.engine import ChunkJob, run_chunk

    got = run_chunk([], ChunkJob("c", "c", ("bleu",), version="0.0.1"))
    assert set(got) == {"error"} and "the client 0.0.1" in got["error"]


# -- a cluster in this process ----------------------------------------------------------
def test_in_process_cluster_equals_local_engine(tmp_path):
    from distributed import LocalCluster

    corpus = _wmt_slice(tmp_path / "w.jsonl", 60)
    assert main(_args(corpus, tmp_path / "local", 40, "--no-fluency")) == 0
    expected = _read(tmp_path / "local")
    assert expected["findings"].count(b"\n") > 1 and expected["documents"].count(b"\n") > 20
    with LocalCluster(n_workers=3, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        argv = _args(corpus, tmp_path / "dask", 40, "--no-fluency", "--engine", "dask",
                     "--scheduler", cluster.scheduler_address)
        assert main(argv) == 0
        assert _read(tmp_path / "dask") == expected
        # one chunk for everything: still the same bytes
        assert main(_args(corpus, tmp_path / "one", 100000, "--no-fluency", "--engine", "dask",
                          "--scheduler", cluster.scheduler_address)) == 0
    assert _read(tmp_path / "one") == expected


@pytest.mark.slow
def test_fluency_is_scored_on_the_workers(tmp_path, monkeypatch):
    """A worker process loads the model once, for all its task threads; the client never loads it."""
    from distributed import Client, LocalCluster

    from mtcheck import engine, pipeline

    corpus = _wmt_slice(tmp_path / "w.jsonl", 12)
    assert main(_args(corpus, tmp_path / "local", 8)) == 0
    expected = _read(tmp_path / "local")
    assert b"LM|model:SmolLM2" in expected["summary"]
    from mtcheck.pipeline import chunks_of
    from mtcheck.readers import read_corpus

    assert len(chunks_of(read_corpus(str(corpus)), 8)) >= 3

    def no_model_here(*a, **k):
        raise AssertionError("the client loaded the language model")

    monkeypatch.setattr(pipeline, "make_scorer", no_model_here)
    monkeypatch.setattr(engine, "worker_scorer", no_model_here)  # only the workers' own copy may run
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None,
                      env={"PYTHONPATH": _env()["PYTHONPATH"]}) as cluster, Client(cluster) as client:
        assert main(_args(corpus, tmp_path / "dask", 8, "--engine", "dask",
                          "--scheduler", cluster.scheduler_address)) == 0

        def loaded() -> int:
            from mtcheck import engine as worker_engine

            return len(worker_engine._SCORERS)

        per_worker = client.run(loaded)
    assert _read(tmp_path / "dask") == expected
    assert list(per_worker.values()) == [1]  # one model, however many chunks and threads
    assert not engine._SCORERS


@pytest.mark.slow
def test_a_worker_without_the_model_is_one_line_exit_2(tmp_path, capsys):
    """Workers load only what is in their cache: a model that is not there is an error."""
    from distributed import LocalCluster

    corpus = _wmt_slice(tmp_path / "w.jsonl", 5)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        rc = main(_args(corpus, tmp_path / "o", 100, "--lm", "mtcheck-tests/not-in-any-cache", "--allow-download",
                        "--engine", "dask", "--scheduler", cluster.scheduler_address))
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "cannot load language model" in err, err
    assert not (tmp_path / "o").exists()


# -- a real scheduler and two worker processes ---------------------------------------------
def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "distributed.cli." + args[0], *args[1:]]


@pytest.fixture
def cluster(tmp_path):
    """A ``dask scheduler`` and two ``dask worker`` processes (no nanny: a SIGKILL is final)."""
    from distributed import Client

    sched_file = tmp_path / "scheduler.json"
    procs: list[subprocess.Popen] = []
    log = open(tmp_path / "cluster.log", "wb")
    try:
        procs.append(subprocess.Popen(_cli("dask_scheduler", "--port", "0", "--no-dashboard",
                                           "--scheduler-file", str(sched_file)),
                                      env=_env(), stdout=log, stderr=log))
        _wait(lambda: sched_file.exists() and sched_file.stat().st_size > 0, 30, "the scheduler", procs[0])
        for _ in range(2):
            procs.append(subprocess.Popen(_cli("dask_worker", "--scheduler-file", str(sched_file), "--nworkers", "1",
                                               "--nthreads", "1", "--no-nanny", "--no-dashboard"),
                                          env=_env(), stdout=log, stderr=log))
        with Client(scheduler_file=str(sched_file), timeout=30) as client:
            client.wait_for_workers(2, timeout=30)
            by_pid = {pid: a for a, pid in client.run(os.getpid).items()}
            yield client, procs[1], by_pid[procs[1].pid]
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.kill()
            p.wait()
        log.close()


@pytest.mark.slow
def test_killed_worker_costs_time_not_results(tmp_path, cluster):
    from mtcheck.pipeline import chunks_of
    from mtcheck.readers import read_corpus

    client, victim, victim_address = cluster
    corpus = _wmt_slice(tmp_path / "w.jsonl", 150)
    n_chunks = len(chunks_of(read_corpus(str(corpus)), 10))
    assert main(_args(corpus, tmp_path / "local", 10, "--no-fluency")) == 0
    expected = _read(tmp_path / "local")
    out = tmp_path / "dask"
    argv = _args(corpus, out, 10, "--no-fluency", "--engine", "dask", "--scheduler", client.scheduler.address,
                 "--resume")
    run = subprocess.Popen([sys.executable, "-m", "mtcheck", *argv], cwd=ROOT, env=_env(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait(lambda: _partials(out) >= 1 and client.processing([victim_address])[victim_address], 120,
              "the first chunk, and a chunk in the victim's hands", run)
        victim.send_signal(signal.SIGKILL)  # mid-run: the chunk it is working on is lost
        done_at_kill = _partials(out)
        assert run.poll() is None and done_at_kill <= n_chunks - 2
        assert run.wait(timeout=120) == 0, run.stderr.read().decode()
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert victim.wait() == -signal.SIGKILL
    assert _read(out) == expected
    assert not (out / ".mtcheck-partial").exists()


@pytest.mark.slow
def test_resume_with_the_dask_engine(tmp_path, cluster):
    client = cluster[0]
    corpus = _wmt_slice(tmp_path / "w.jsonl", 120, start=300)
    assert main(_args(corpus, tmp_path / "local", 10, "--no-fluency")) == 0
    expected = _read(tmp_path / "local")
    out = tmp_path / "dask"
    argv = _args(corpus, out, 10, "--no-fluency", "--engine", "dask", "--scheduler", client.scheduler.address,
                 "--resume")
    run = subprocess.Popen([sys.executable, "-m", "mtcheck", *argv], cwd=ROOT, env=_env(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait(lambda: _partials(out) >= 3, 120, "three chunks", run)
    finally:
        run.kill()  # the client dies; the cluster lives on
        run.wait()
    assert _partials(out) >= 3 and not _read(out)
    assert main(argv) == 0
    assert _read(out) == expected
    assert not (out / ".mtcheck-partial").exists()
