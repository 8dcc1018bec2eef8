"""The prediction path: concurrent predicts, and no process-wide side effects."""

import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_info

from skprune.neural import MLPClassifier, MLPRegressor, _sparse_inference
from skprune.neural._base import ACTIVATIONS, forward
from skprune.neural._sparse_inference import BLOCK_ROWS

X_DIGITS, Y_DIGITS = load_digits(return_X_y=True)
X_DIGITS = X_DIGITS / 16
# Below the plan's threshold, one block, and three blocks of SMALL_BLOCK rows.
# Blocks this small keep each product below OpenBLAS's threading threshold:
# multithreaded products from concurrent callers queue behind OpenBLAS's own
# lock, which would make this test slow on a loaded machine.
SMALL_BLOCK = 64
BATCHES = [X_DIGITS[:50], X_DIGITS[:SMALL_BLOCK], X_DIGITS[: 2 * SMALL_BLOCK + 1]]


def _fitted(cls, sparse):
    """A small fitted MLP; ``sparse`` keeps two inputs per first-layer
    neuron (3% density), which the plan multiplies through scipy.sparse."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = cls(hidden_layer_sizes=(40, 20), max_iter=20, random_state=0)
        mlp.fit(X_DIGITS, Y_DIGITS)
    if sparse:
        W = mlp.coefs_[0]
        weakest = np.argsort(np.abs(W), axis=0)[:-2]
        np.put_along_axis(W, weakest, 0.0, axis=0)
    return mlp


def _calls(model):
    """Every batch through predict (and predict_proba, for a classifier)."""
    methods = [model.predict]
    if hasattr(model, "predict_proba"):
        methods.append(model.predict_proba)
    return [(method, X) for X in BATCHES for method in methods]


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize("sparse", [False, True])
def test_concurrent_predicts_equal_serial_ones(cls, sparse, monkeypatch):
    monkeypatch.setattr(_sparse_inference, "PLAN_MIN_ROWS", SMALL_BLOCK)
    monkeypatch.setattr(_sparse_inference, "BLOCK_ROWS", SMALL_BLOCK)
    model = _fitted(cls, sparse)
    calls = _calls(model)
    serial = [method(X) for method, X in calls]
    plan = model._inference_plan
    assert plan.is_sparse(0) == sparse

    def predict_200_times(thread):
        # Threads start at different calls, so different calls overlap.
        order = [(thread + k) % len(calls) for k in range(200)]
        return [(i, calls[i][0](calls[i][1])) for i in order]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(predict_200_times, range(8)))
    for i, got in (pair for thread in results for pair in thread):
        if np.issubdtype(got.dtype, np.floating):
            np.testing.assert_allclose(got, serial[i], rtol=1e-12, atol=0)
        else:
            np.testing.assert_array_equal(got, serial[i])


def test_predict_leaves_blas_threads_alone():
    # Another thread watches BLAS's thread counts while large predicts run.
    model = _fitted(MLPClassifier, False)
    big = np.tile(X_DIGITS, (4, 1))
    before = _blas_threads()
    seen, done = set(), threading.Event()

    def watch():
        while not done.is_set():
            seen.add(_blas_threads())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(20):
            model.predict_proba(big)
    finally:
        done.set()
        watcher.join()
    assert seen == {before}


def _blas_threads():
    return tuple(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")


@pytest.mark.parametrize("block_rows", [1, 7, BLOCK_ROWS, 10**6])
def test_any_block_size_gives_the_forward_pass(block_rows):
    model = _fitted(MLPClassifier, True)
    model.predict(X_DIGITS)
    plan = model._inference_plan
    np.testing.assert_allclose(
        plan.forward(X_DIGITS, ACTIVATIONS["softmax"], block_rows=block_rows),
        forward(X_DIGITS, model.coefs_, model.intercepts_, "relu", "softmax")[-1],
        rtol=1e-12,
    )
