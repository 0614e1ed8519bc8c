"""Partitions on a Dask cluster (``zhnews run --cluster``; the optional extra ``zhnews[dask]``).

``--cluster local[:N]`` starts a local cluster of N worker processes (one thread each);
``--cluster tcp://HOST:8786`` uses a running scheduler (``dask scheduler`` and
``dask worker`` on each machine). Each worker loads the pipeline once, through a worker
plugin, not once per task. A partition is one task: it reads its documents from the
shared paths, writes its part files beside the output (so the output's folder must be on
storage every worker sees) and returns its counts; a task whose worker dies is retried on
another. Nothing here is imported unless ``--cluster`` is given.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker

from .io.partitions import Partition
from .loader import ModelNotFoundError
from .partitioned import PartitionResult, process_partition

#: Task retries when a worker dies (its partition runs again elsewhere; part files are all-or-nothing).
RETRIES = 3
_LOCAL = re.compile(r"^local(?::(\d+))?$")


class ClusterError(RuntimeError):
    """The cluster cannot be reached or started."""


class PipelinePlugin(WorkerPlugin):
    """Loads the pipeline once per worker, when the worker joins (and again if it restarts)."""

    name = "zhnews-pipeline"

    def __init__(self, model: str):
        self.model = model

    def setup(self, worker) -> None:
        from .loader import load_pipeline

        try:
            worker.zhnews_nlp = load_pipeline(self.model)
            worker.zhnews_error = None
        except Exception as err:  # noqa: BLE001 (reported by the first task on this worker)
            worker.zhnews_nlp, worker.zhnews_error = None, f"a worker could not load the pipeline: {err}"


def _task(partition: Partition, parts_dir: str, max_chars: int, max_bytes: int, facts: bool) -> PartitionResult | str:
    worker = get_worker()
    if getattr(worker, "zhnews_error", None) or getattr(worker, "zhnews_nlp", None) is None:
        return getattr(worker, "zhnews_error", None) or "the worker has no pipeline (plugin not run)"
    return process_partition(partition, Path(parts_dir), worker.zhnews_nlp, max_chars=max_chars, max_bytes=max_bytes,
                             facts=facts)


def connect(address: str, *, timeout: float = 10) -> tuple[Client, LocalCluster | None]:
    """A client of ``local[:N]`` (started here) or of a scheduler at ``address``."""
    local = _LOCAL.match(address)
    try:
        if local:
            workers = int(local.group(1) or 2)
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                   host="127.0.0.1")
            return Client(cluster, timeout=timeout), cluster
        if not address.startswith(("tcp://", "tls://")):
            raise ClusterError(f"--cluster {address!r}: give local, local:N or tcp://HOST:PORT")
        return Client(address, timeout=timeout), None
    except ClusterError:
        raise
    except (OSError, TimeoutError) as err:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {err}") from None


def dask_executor(address: str, parts_dir: Path, *, model: str, max_chars: int, max_bytes: int, facts: bool):
    """An executor (``partitioned.run_partitioned``) that runs each partition as a Dask task."""

    def run(todo: list[Partition]) -> Iterator[PartitionResult]:
        client, cluster = connect(address)
        try:
            client.register_plugin(PipelinePlugin(model))
            futures = [client.submit(_task, p, str(parts_dir), max_chars, max_bytes, facts, key=f"zhnews-partition-{p.index}",
                                     retries=RETRIES, pure=False) for p in todo]
            for future in as_completed(futures):
                result = future.result()
                if isinstance(result, str):
                    raise ModelNotFoundError(result)
                yield result
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    return run
