"""The pipeline's matrix products through numpy's BLAS, one thread per process by default.

Three quarters of the tok2vec's time, and two fifths of the whole pipeline's, is matrix products
(``Ops.gemm``: the embedding mixer and the four window-encoder layers). thinc's ``NumpyOps``
computes them with its bundled BLIS; numpy's OpenBLAS computes the same products about three
times faster on the benchmark machine (a 480 x 288 float32 product over a batch: 68 ms against
21 ms, one thread each), and the pipeline's entities on the news dev split come out the same
(``benchmarks/throughput.py`` has the rows). The callback below gives every model of the
pipeline such an ops object; it is named in the pipeline's config (``[nlp.after_pipeline_creation]``),
so ``spacy.load`` applies it, training included, and a model whose config leaves it out runs on
thinc's defaults as before.

``threads`` limits numpy's BLAS around each product only (the process's own setting is left
alone). One thread is the default because the pipeline scales by processes (``zhnews run
--n-process``, the Dask workers): on two cores, two processes with one thread each beat one
process with two, and two-thread products inside two processes oversubscribe the cores.
``threads = 0`` leaves numpy's own thread count.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy
from spacy.util import registry
from thinc.api import NumpyOps

CALLBACK_NAME = "zhnews.numpy_blas_ops.v1"


class NumpyBlasOps(NumpyOps):
    """thinc's CPU ops with ``gemm`` through ``numpy.matmul`` (numpy's BLAS)."""

    def __init__(self, threads: int = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if threads < 0:
            raise ValueError(f"threads must be 0 (numpy's own setting) or more, not {threads}")
        self.threads = threads
        self._limit: Callable[[], Any] | None = None  # made at the first product: it holds ctypes handles

    def __getstate__(self) -> dict:
        # copies and pickles (worker processes, deepcopy) make their own limiter
        return {**self.__dict__, "_limit": None}

    def gemm(self, x, y, out=None, trans1: bool = False, trans2: bool = False):
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if not self.threads:
            return numpy.matmul(a, b, out=out)
        if self._limit is None:
            self._limit = _blas_limiter(self.threads)
        with self._limit():
            return numpy.matmul(a, b, out=out)


def _blas_limiter(threads: int) -> Callable[[], Any]:
    """A context-manager factory limiting numpy's BLAS libraries to ``threads`` (about 8 µs a use)."""
    from threadpoolctl import ThreadpoolController

    blas = ThreadpoolController().select(user_api="blas")
    return lambda: blas.limit(limits=threads)


def use_numpy_blas(nlp: Any, threads: int = 1) -> Any:
    """Give every layer of every component's model a :class:`NumpyBlasOps`; returns ``nlp``."""
    return _give_ops(nlp, NumpyBlasOps(threads=threads))


def _give_ops(nlp: Any, ops: NumpyBlasOps) -> Any:
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops
    return nlp


@registry.callbacks(CALLBACK_NAME)
def make_numpy_blas_ops(threads: int = 1) -> Callable[[Any], Any]:
    """``[nlp.after_pipeline_creation]``: ``@callbacks = "zhnews.numpy_blas_ops.v1"``, ``threads = 1``."""
    ops = NumpyBlasOps(threads=threads)  # a bad ``threads`` fails here, when the config is resolved
    return lambda nlp: _give_ops(nlp, ops)
