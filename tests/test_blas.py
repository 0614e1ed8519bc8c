"""The numpy-BLAS ops (pipeline/blas.py): the same products as thinc's, one BLAS thread by default,
applied to every model of a loaded pipeline, and the pipeline's output unchanged by them."""

from __future__ import annotations

import copy
import pickle

import numpy
import pytest
from thinc.api import NumpyOps

from zhnews.blas import CALLBACK_NAME, NumpyBlasOps, make_numpy_blas_ops


def _arrays(rows: int = 7, inner: int = 5, cols: int = 3) -> tuple[numpy.ndarray, numpy.ndarray]:
    generator = numpy.random.default_rng(0)
    return generator.random((rows, inner), dtype="float32"), generator.random((inner, cols), dtype="float32")


@pytest.mark.parametrize("trans1", [False, True])
@pytest.mark.parametrize("trans2", [False, True])
def test_gemm_matches_thinc(trans1, trans2):
    x, y = _arrays()
    x = numpy.ascontiguousarray(x.T) if trans1 else x
    y = numpy.ascontiguousarray(y.T) if trans2 else y
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    got = NumpyBlasOps().gemm(x, y, trans1=trans1, trans2=trans2)
    assert got.dtype == numpy.float32 and got.flags["C_CONTIGUOUS"]
    numpy.testing.assert_allclose(got, expected, rtol=1e-5)


def test_gemm_writes_into_out():
    x, y = _arrays()
    out = numpy.zeros((7, 3), dtype="float32")
    assert NumpyBlasOps().gemm(x, y, out=out) is out
    numpy.testing.assert_allclose(out, x @ y, rtol=1e-5)


def test_products_run_on_one_blas_thread(monkeypatch):
    from threadpoolctl import threadpool_info

    seen = []
    matmul = numpy.matmul

    def recording(*args, **kwargs):
        seen.append({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"})
        return matmul(*args, **kwargs)

    monkeypatch.setattr(numpy, "matmul", recording)
    NumpyBlasOps(threads=1).gemm(*_arrays())
    assert seen == [{1}] or seen == [set()]  # set(): numpy linked without a BLAS threadpoolctl knows


def test_copies_and_pickles_make_their_own_limiter():
    ops = NumpyBlasOps(threads=1)
    ops.gemm(*_arrays())  # the limiter (ctypes handles) exists now
    for clone in (pickle.loads(pickle.dumps(ops)), copy.deepcopy(ops)):
        assert isinstance(clone, NumpyBlasOps) and clone.threads == 1
        numpy.testing.assert_allclose(clone.gemm(*_arrays()), ops.gemm(*_arrays()))


def test_negative_threads_is_an_error():
    with pytest.raises(ValueError, match="threads"):
        make_numpy_blas_ops(threads=-1)
    with pytest.raises(ValueError, match="threads"):
        NumpyBlasOps(threads=-2)


def test_committed_pipeline_uses_it_and_output_is_unchanged(committed_nlp, seed_paths):
    """The committed config names the callback; switched off, thinc's own ops give the same entities
    and relations on the seeds."""
    import spacy

    from zhnews.loader import default_model_path

    assert committed_nlp.config["nlp"]["after_pipeline_creation"]["@callbacks"] == CALLBACK_NAME
    for name in ("tok2vec", "ner"):
        assert all(isinstance(node.ops, NumpyBlasOps) for node in committed_nlp.get_pipe(name).model.walk())
    plain = spacy.load(default_model_path(), config={"nlp": {"after_pipeline_creation": None}})
    assert not any(isinstance(node.ops, NumpyBlasOps) for node in plain.get_pipe("tok2vec").model.walk())
    texts = [p.read_text(encoding="utf-8") for p in seed_paths]

    def output(nlp):
        return [([(e.start_char, e.end_char, e.label_) for e in doc.ents], doc._.relations) for doc in nlp.pipe(texts)]

    assert output(committed_nlp) == output(plain)
