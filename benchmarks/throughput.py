#!/usr/bin/env python
"""Throughput and memory of each stage and of the whole pipeline, in one run.

Input: the seed articles repeated to >= 1 MB, written as documents of one
article each into a temporary directory. Every row runs in a fresh process
(so its peak RSS is its own) and reports chars/s over the normalized text,
docs/s, cold start (pipeline load) and peak RSS per process:

  read           iter_documents over the directory (decode + encoding detection)
  normalize      normalize() of every document
  segment        pkuseg alone (the pipeline's segmenter, loaded without the other
                 components, cut per document)
  jieba          jieba.cut, as a reference line
  jieba-posseg   jieba.posseg.cut (words and tags), what a jieba user would run instead
  peer-sm        a spaCy pipeline of zh_core_web_sm's shape (benchmarks/peers.py), thinc's default ops
  peer-sm-blas   the same peer with the pipeline's numpy-BLAS ops (pipeline/blas.py): the part of
                 the ratio to the peer that is the BLAS choice rather than the pipeline's design
  first-record   a fresh process to the first record of one document (imports, load, run)
  pipeline -n1   the whole `zhnews run` path (normalize + tokenizer + NER + relations
                 + records), one process
  pipeline -n2   the same with two worker processes (peak RSS per worker)
  dask-1, dask-2 the partitions (10 documents each) as tasks on a local Dask cluster of one
                 and two worker processes, the pipeline loaded once per worker by the worker
                 plugin before timing (steady rate: model load excluded); the per-document
                 overhead is the workers' time not spent inside their tasks (scheduling,
                 transfer, idle tails), over the documents. Unlike the pipeline rows, the
                 tasks also serialize their records to JSON and write them, as a run does

Ratios (pipeline / segment, -n2 / -n1) are the figures that survive a noisy
machine; the absolute numbers move by ±10 % between runs, and on a shared 2-core
machine single runs of the -n2 / -n1 ratio ranged from 1.2 to 1.9. So every stage
runs ``--repeat`` times (default 3), the stages taking turns (round robin: a busy
minute slows one run of each stage rather than all runs of one), and the table
shows the median of each figure with the range of chars/s; ratios are of medians.

The pipeline rows' chars/s is wall clock of `run_documents`, which loads the
model (in each worker for -n2) inside the timed region; their "steady" chars/s
is the marginal rate, chars / (time for the corpus twice − time for it once),
which leaves the fixed start-up out like the segment and jieba rows do. The
steady ratios compare like with like.

    python benchmarks/throughput.py [--model models/zhnews-zh] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from segmenter import _peak_rss_mb  # noqa: E402  (VmHWM: this process's own peak)

MIN_BYTES = 1_000_000
STAGES = ("read", "normalize", "segment", "jieba", "jieba-posseg", "peer-sm", "peer-sm-blas", "first-record", "pipeline-n1", "pipeline-n2",
          "dask-1", "dask-2")


def write_corpus(directory: Path, min_bytes: int = MIN_BYTES) -> int:
    articles = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    written = count = 0
    while written < min_bytes:
        for text in articles:
            (directory / f"{count:05d}.txt").write_text(text, encoding="utf-8")
            written += len(text.encode("utf-8"))
            count += 1
    return count


def stage(name: str, directory: Path, model: str | None, spawned_at: float | None = None) -> dict:
    """Runs inside the fresh process."""
    if name == "first-record":
        return _first_record(directory, model, spawned_at)
    from zhnews.io.read import iter_documents
    from zhnews.normalize import normalize

    started = time.perf_counter()
    docs = list(iter_documents([str(directory)]))
    if name == "read":
        seconds = time.perf_counter() - started
        chars = sum(len(d.raw) for d in docs)
        return _row(name, chars, len(docs), seconds, 0.0)
    texts = [normalize(d.raw).text for d in docs]
    if name == "normalize":
        started = time.perf_counter()
        texts = [normalize(d.raw).text for d in docs]
        return _row(name, sum(map(len, texts)), len(docs), time.perf_counter() - started, 0.0)
    chars = sum(map(len, texts))
    if name == "jieba":
        import jieba

        jieba.setLogLevel(60)
        load = time.perf_counter()
        jieba.initialize()
        load = time.perf_counter() - load
        started = time.perf_counter()
        for text in texts:
            list(jieba.cut(text))
        return _row(name, chars, len(docs), time.perf_counter() - started, load)
    if name == "jieba-posseg":
        import jieba
        import jieba.posseg

        jieba.setLogLevel(60)
        load = time.perf_counter()
        jieba.initialize()
        list(jieba.posseg.cut("预热"))
        load = time.perf_counter() - load
        started = time.perf_counter()
        for text in texts:
            list(jieba.posseg.cut(text))
        return _row(name, chars, len(docs), time.perf_counter() - started, load)
    if name.startswith("peer-sm"):
        import spacy

        from zhnews import components  # noqa: F401  (the peer uses the zhnews tokenizer at word granularity)
        from zhnews.blas import use_numpy_blas

        load = time.perf_counter()
        peer = spacy.load(directory.parent / "peer-sm")
        if name == "peer-sm-blas":
            use_numpy_blas(peer)  # the peer given the pipeline's own matrix products: what of the gap is BLAS
        load = time.perf_counter() - load
        started = time.perf_counter()
        for _ in peer.pipe(texts):
            pass
        return _row(name, chars, len(docs), time.perf_counter() - started, load)
    from zhnews.loader import load_pipeline

    if name == "segment":
        load = time.perf_counter()
        # the tokenizer alone: its cold start and memory are the segmenter's, not the pipeline's
        nlp = load_pipeline(model, segmenter_only=True)
        load = time.perf_counter() - load
        cut = nlp.tokenizer.pkuseg_seg.cut
        started = time.perf_counter()
        for text in texts:
            cut(text)
        return _row(name, chars, len(docs), time.perf_counter() - started, load)
    if name.startswith("dask"):
        return _dask_stage(name, directory, model, chars, len(docs))
    from zhnews.run import run_documents

    n_process = 2 if name.endswith("n2") else 1
    load = time.perf_counter()
    if n_process == 1:
        load_pipeline(model)  # cold start, measured alone; run_documents loads its own copy below
    load = time.perf_counter() - load
    sampler = _ChildrenRss()
    sampler.start()
    started = time.perf_counter()
    failed = sum("error" in r for r in run_documents(docs, model=model, n_process=n_process))
    seconds = time.perf_counter() - started
    twice = time.perf_counter()
    failed += sum("error" in r for r in run_documents(docs + docs, model=model, n_process=n_process))
    twice = time.perf_counter() - twice
    sampler.stop()
    assert not failed, f"{failed} documents failed"
    row = _row(name, chars, len(docs), seconds, load if n_process == 1 else None)
    row["steady_chars_per_s"] = _steady(chars, twice - seconds)
    if n_process > 1:
        row["peak_rss_mb_per_worker"] = round(sampler.peak_mb)
    return row


def _steady(chars: int, extra_seconds: float) -> int | None:
    """chars/s of the second pass alone (the corpus run twice minus once); None when the corpus is
    too small for the difference to rise above timing noise."""
    return round(chars / extra_seconds) if extra_seconds > 0.05 else None


def _first_record(directory: Path, model: str | None, spawned_at: float | None) -> dict:
    """Cold start as a user meets it: from the moment the parent starts this process (interpreter
    start and imports included) to the first record of one document, through the path `zhnews run`
    takes. The parent passes its clock at the spawn: psutil's process create_time is computed from
    the kernel's boot time in whole seconds and was 0.31 s early on the benchmark machine."""
    from zhnews.io.read import iter_documents
    from zhnews.run import run_documents

    if spawned_at is None:
        raise SystemExit("the first-record stage needs --spawned-at (the parent's time.time() at the spawn)")
    doc = next(iter(iter_documents([str(sorted(directory.glob("*.txt"))[0])])))
    record = next(iter(run_documents([doc], model=model, n_process=1)))
    seconds = time.time() - spawned_at
    assert "error" not in record, record
    return _row("first-record", len(doc.raw), 1, seconds, seconds)


def _dask_stage(name: str, directory: Path, model: str | None, chars: int, n_docs: int) -> dict:
    from distributed import Client, LocalCluster

    from zhnews.cluster import PipelinePlugin, _task
    from zhnews.io.partitions import plan_partitions
    from zhnews.io.read import DEFAULT_MAX_BYTES
    from zhnews.loader import default_model_path
    from zhnews.run import DEFAULT_MAX_CHARS

    workers = int(name.rsplit("-", 1)[1])
    path = str(Path(model) if model else default_model_path())
    partitions = plan_partitions([str(directory)], docs_per_partition=10)
    sampler = _ChildrenRss()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster, Client(cluster) as client:
        load = time.perf_counter()
        client.register_plugin(PipelinePlugin(path))  # returns once every worker has loaded the pipeline
        load = time.perf_counter() - load
        sampler.start()

        def run(copies: int) -> tuple[float, float]:
            with tempfile.TemporaryDirectory() as parts:
                started = time.perf_counter()
                futures = [client.submit(_task, p, parts, DEFAULT_MAX_CHARS, DEFAULT_MAX_BYTES, False, pure=False)
                           for _ in range(copies) for p in partitions]
                results = client.gather(futures)
                assert all(not isinstance(r, str) and r.failed == 0 for r in results), results[:1]
                return time.perf_counter() - started, sum(r.seconds for r in results)

        once, busy = run(1)
        twice, _ = run(2)
        sampler.stop()
    row = _row(name, chars, n_docs, once, load)
    row["steady_chars_per_s"] = _steady(chars, twice - once)
    row["peak_rss_mb_per_worker"] = round(sampler.peak_mb)
    # what the workers were not busy with their tasks: scheduling, transfer, idle tails
    row["overhead_ms_per_doc"] = round(1000 * (once * workers - busy) / n_docs, 2)
    return row


class _ChildrenRss:
    """Samples the RSS of this process's children (the pool's workers) every 0.2 s."""

    def __init__(self):
        import threading

        self.peak_mb = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._done.wait(0.2):
            for child in me.children(recursive=True):
                try:
                    self.peak_mb = max(self.peak_mb, child.memory_info().rss / 2**20)
                except psutil.Error:
                    pass


def _row(name: str, chars: int, docs: int, seconds: float, load: float | None) -> dict:
    return {"stage": name, "chars": chars, "docs": docs, "seconds": round(seconds, 3),
            "chars_per_s": round(chars / seconds), "docs_per_s": round(docs / seconds, 2),
            "cold_start_s": None if load is None else round(load, 2), "peak_rss_mb": round(_peak_rss_mb())}


def _median_row(runs: list[dict]) -> dict:
    """One row from repeated runs of a stage: the median of each timing (a measured value: the
    lower middle one for an even count), the largest peak RSS."""
    row = dict(runs[0])
    for key in ("seconds", "chars_per_s", "docs_per_s", "cold_start_s", "steady_chars_per_s", "overhead_ms_per_doc"):
        values = [r[key] for r in runs if r.get(key) is not None]
        if values:
            row[key] = statistics.median_low(values)
    for key in ("peak_rss_mb", "peak_rss_mb_per_worker"):
        if key in row:
            row[key] = max(r[key] for r in runs)
    row["chars_per_s_runs"] = [r["chars_per_s"] for r in runs]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="pipeline directory (default: the committed one)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--repeat", type=int, default=3,
                        help="fresh-process runs per stage, taken in turns; the table shows medians (default 3)")
    parser.add_argument("--min-bytes", type=int, default=MIN_BYTES,
                        help="size of the benchmark corpus (default 1 MB; the tests run it on the seeds once)")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--spawned-at", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.stage:
        print(json.dumps(stage(args.stage, args.dir, args.model, args.spawned_at)))
        return
    runs: dict[str, list[dict]] = {name: [] for name in STAGES}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "docs").mkdir()
        subprocess.run([sys.executable, str(Path(__file__).parent / "peers.py"), "build", str(Path(tmp) / "peer-sm")],
                       check=True, capture_output=True, text=True)
        tmp = str(Path(tmp) / "docs")
        count = write_corpus(Path(tmp), args.min_bytes)
        print(f"{count} documents, >= {args.min_bytes:,} bytes, {args.repeat} run(s) per stage", file=sys.stderr)
        for repeat in range(args.repeat):
            for name in STAGES:
                command = [sys.executable, __file__, "--stage", name, "--dir", tmp] + (["--model", args.model] if args.model else [])
                result = subprocess.run(command + ["--spawned-at", repr(time.time())], capture_output=True, text=True,
                                        check=True)
                runs[name].append(json.loads(result.stdout.strip().splitlines()[-1]))
                print(f"run {repeat + 1}, {name}: {runs[name][-1]}", file=sys.stderr)
    rows = [_median_row(runs[name]) for name in STAGES]
    by = {r["stage"]: r for r in rows}
    def ratio(a: str, key_a: str, b: str, key_b: str = "chars_per_s") -> float | None:
        x, y = by[a].get(key_a), by[b].get(key_b)
        return round(x / y, 3) if x and y else None

    ratios = {
        "pipeline_n1 / segment": ratio("pipeline-n1", "chars_per_s", "segment"),
        "pipeline_n2 / pipeline_n1": ratio("pipeline-n2", "chars_per_s", "pipeline-n1"),
        "steady: pipeline_n1 / segment": ratio("pipeline-n1", "steady_chars_per_s", "segment"),
        "steady: pipeline_n2 / pipeline_n1": ratio("pipeline-n2", "steady_chars_per_s", "pipeline-n1", "steady_chars_per_s"),
        "segment / jieba": ratio("segment", "chars_per_s", "jieba"),
        # the target: the whole pipeline >= 1.2x what a spaCy user would run instead
        "steady: pipeline_n1 / peer_sm": ratio("pipeline-n1", "steady_chars_per_s", "peer-sm"),
        # the same peer with zhnews's numpy-BLAS ops: how much of the ratio above is the BLAS choice
        "steady: pipeline_n1 / peer_sm_blas": ratio("pipeline-n1", "steady_chars_per_s", "peer-sm-blas"),
        "steady: pipeline_n1 / jieba_posseg": ratio("pipeline-n1", "steady_chars_per_s", "jieba-posseg"),
        "first record, fresh process (s)": by["first-record"]["seconds"],
        "steady: dask_2 / dask_1": ratio("dask-2", "steady_chars_per_s", "dask-1", "steady_chars_per_s"),
        "dask-1 overhead per document (ms)": by["dask-1"]["overhead_ms_per_doc"],
        "dask-2 overhead per document (ms)": by["dask-2"]["overhead_ms_per_doc"],
    }
    print("| stage | chars/s (range) | steady chars/s | docs/s | cold start (s) | peak RSS (MiB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        rss = r.get("peak_rss_mb_per_worker", r["peak_rss_mb"])
        steady = f"{r['steady_chars_per_s']:,}" if r.get("steady_chars_per_s") else "–"
        low, high = min(r["chars_per_s_runs"]), max(r["chars_per_s_runs"])
        print(f"| {r['stage']} | {r['chars_per_s']:,} ({low:,}–{high:,}) | {steady} | {r['docs_per_s']} | "
              f"{r['cold_start_s'] if r['cold_start_s'] is not None else '–'} | {rss:,.0f} |")
    for name, value in ratios.items():
        print(f"{name}: {value}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "ratios": ratios}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
