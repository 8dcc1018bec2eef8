"""Fitted estimators predict from many threads at once as they do serially.

Web services share one fitted model between request threads; a cache or a
scratch buffer kept on the estimator would mix their answers (issue 17).
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone, is_classifier
from sklearn.datasets import make_classification, make_regression
from test_common import _estimators

N_THREADS, N_PREDICTS = 8, 100
_METHODS = ("predict", "predict_proba", "decision_function", "transform")


def _data(estimator):
    if is_classifier(estimator):
        return make_classification(
            60, 5, n_informative=3, n_redundant=0, n_classes=3, random_state=0
        )
    return make_regression(60, 5, noise=1.0, random_state=0)


@pytest.mark.parametrize("estimator", _estimators(), ids=repr)
def test_threads_predict_as_serial(estimator):
    X, y = _data(estimator)
    fitted = clone(estimator).fit(X, y)
    methods = [m for m in _METHODS if hasattr(fitted, m)]
    # Every thread predicts on its own rows, so that a shared buffer shows.
    row_sets = [X[k % 3 :: 3] for k in range(N_THREADS)]
    serial = {
        (m, k): getattr(fitted, m)(rows)
        for m in methods
        for k, rows in enumerate(row_sets)
    }
    start = threading.Barrier(N_THREADS)

    def predict_many(k):
        start.wait()
        return [
            (m, getattr(fitted, m)(row_sets[k]))
            for i in range(N_PREDICTS)
            for m in [methods[(k + i) % len(methods)]]
        ]

    with ThreadPoolExecutor(N_THREADS) as pool:
        answers = list(pool.map(predict_many, range(N_THREADS)))
    for k, answers_of_thread in enumerate(answers):
        assert len(answers_of_thread) == N_PREDICTS
        for method, answer in answers_of_thread:
            assert_array_equal(answer, serial[method, k])
