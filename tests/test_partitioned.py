"""Partitions, the journal and --resume, and the Dask cluster: the same records, nothing lost or
duplicated, when a worker dies, the scheduler is unreachable, a document fails or the run is
interrupted (issue #24)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zhnews.io.partitions import plan_partitions
from zhnews.io.read import iter_documents

REPO = Path(__file__).resolve().parent.parent


def zhnews(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhnews.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def _paragraph_feed(path: Path, n: int = 40) -> Path:
    """``n`` seed paragraphs as a JSONL feed, with one malformed line among them."""
    paragraphs = []
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        paragraphs += [p.strip() for p in seed.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 60]
    lines = [json.dumps({"id": f"p{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(paragraphs[:n])]
    lines.insert(7, "{this line is broken")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> Path:
    return _paragraph_feed(tmp_path_factory.mktemp("feed") / "feed.jsonl")


@pytest.fixture(scope="module")
def reference(feed, tmp_path_factory) -> tuple[bytes, bytes]:
    """The single-process output (streamed to stdout, no partitions) and its facts."""
    folder = tmp_path_factory.mktemp("reference")
    result = subprocess.run([sys.executable, "-m", "zhnews.cli", "run", str(feed), "--facts", str(folder / "f.csv")],
                            cwd=REPO, capture_output=True, timeout=600)
    assert result.returncode == 1, result.stderr  # the broken line is an error record
    return result.stdout, (folder / "f.csv").read_bytes()


def test_partitions_read_every_document_once_in_input_order(tmp_path, feed):
    (tmp_path / "b").mkdir()
    for i in range(5):
        (tmp_path / "b" / f"{i}.txt").write_text(f"第{i}篇", encoding="utf-8")
    (tmp_path / "feed.jsonl").write_bytes(feed.read_bytes())
    want = list(iter_documents([str(tmp_path)]))
    for size in (1, 3, 7, 1000):
        partitions = plan_partitions([str(tmp_path)], docs_per_partition=size)
        assert [d for p in partitions for d in p.read()] == want
        assert all(p.documents <= size for p in partitions)


def test_partitioned_run_equals_the_streamed_run_and_leaves_no_parts(tmp_path, feed, reference):
    out, facts = tmp_path / "out.jsonl", tmp_path / "facts.csv"
    result = zhnews("run", str(feed), "-o", str(out), "--facts", str(facts), "--partition-docs", "6")
    assert result.returncode == 1, result.stderr
    assert out.read_bytes() == reference[0] and facts.read_bytes() == reference[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.csv", "out.jsonl"]
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 41 and sum("error" in r for r in records) == 1  # the broken line: its error record


def test_interrupted_run_resumes_to_the_same_output(tmp_path, feed, reference):
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "zhnews.cli", "run", str(feed), "-o", str(out), "--facts", str(tmp_path / "f.csv"),
               "--partition-docs", "2"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    journal = tmp_path / ".out.jsonl.parts" / "journal.jsonl"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and (not journal.exists() or len(journal.read_text().splitlines()) < 3):
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr.decode()[-2000:]
    assert not out.exists() and "--resume" in stderr.decode()
    done = len(journal.read_text().splitlines())
    resumed = zhnews("run", str(feed), "-o", str(out), "--facts", str(tmp_path / "f.csv"), "--partition-docs", "2", "--resume")
    assert resumed.returncode == 1, resumed.stderr
    assert f"resuming: {done} of " in resumed.stderr
    assert out.read_bytes() == reference[0] and (tmp_path / "f.csv").read_bytes() == reference[1]


def test_a_leftover_journal_is_not_overwritten_without_resume(tmp_path, feed):
    parts = tmp_path / ".out.jsonl.parts"
    parts.mkdir()
    (parts / "journal.jsonl").write_text("{}\n", encoding="utf-8")
    result = zhnews("run", str(feed), "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 2 and "--resume" in result.stderr and (parts / "journal.jsonl").exists()


distributed = pytest.importorskip("distributed", reason="the Dask extra (zhnews[dask]) is not installed")


def test_local_dask_cluster_gives_the_same_output(tmp_path, feed, reference):
    out, facts = tmp_path / "out.jsonl", tmp_path / "facts.csv"
    result = zhnews("run", str(feed), "-o", str(out), "--facts", str(facts), "--cluster", "local:2", "--partition-docs", "4")
    assert result.returncode == 1, result.stderr[-3000:]
    assert out.read_bytes() == reference[0] and facts.read_bytes() == reference[1]


def test_unreachable_scheduler_is_exit_2_and_nothing_written(tmp_path, feed):
    out = tmp_path / "out.jsonl"
    result = zhnews("run", str(feed), "-o", str(out), "--cluster", "tcp://127.0.0.1:9")
    assert result.returncode == 2 and "cannot reach the Dask scheduler" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(tmp_path, feed, reference):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster, Client(cluster) as client:
        out = tmp_path / "out.jsonl"
        process = subprocess.Popen([sys.executable, "-m", "zhnews.cli", "run", str(feed), "-o", str(out),
                                    "--facts", str(tmp_path / "f.csv"), "--cluster", cluster.scheduler_address,
                                    "--partition-docs", "2"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        journal = tmp_path / ".out.jsonl.parts" / "journal.jsonl"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and (not journal.exists() or len(journal.read_text().splitlines()) < 2):
            time.sleep(0.2)
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        os.kill(victim, signal.SIGKILL)
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 1, stderr.decode()[-3000:]
        assert out.read_bytes() == reference[0] and (tmp_path / "f.csv").read_bytes() == reference[1]


def test_fsspec_urls_as_inputs_and_outputs(tmp_path, feed, reference):
    """A cluster reads shared storage: inputs and outputs may be fsspec URLs (here file://, and
    memory:// in this process); local paths stay the default."""
    import fsspec

    out = tmp_path / "out.jsonl"
    result = zhnews("run", f"file://{feed}", "-o", f"file://{out}", "--facts", f"file://{tmp_path / 'f.csv'}")
    assert result.returncode == 1, result.stderr[-2000:]
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = [json.loads(line) for line in reference[0].decode("utf-8").splitlines()]
    assert [r.get("entities") for r in records] == [r.get("entities") for r in expected]
    facts = (tmp_path / "f.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(facts) == len(reference[1].decode("utf-8-sig").splitlines()) and "file://" in facts[1]  # the source is the URL
    memory = fsspec.filesystem("memory")
    memory.pipe("/zhnews-test/in/a.txt", "常州高新区实现地区生产总值1585.37亿元。".encode("utf-8"))
    memory.pipe("/zhnews-test/in/sub/b.jsonl", b'{"id": "x", "text": "\\u4e00"}\n{"id": "y", "text": "\\u4e8c"}\n')
    docs = [d for p in plan_partitions(["memory://zhnews-test/in"], docs_per_partition=2) for d in p.read()]
    assert [(d.id, d.raw) for d in docs] == [("a", "常州高新区实现地区生产总值1585.37亿元。"), ("x", "一"), ("y", "二")]
