"""scikit-learn's own MLP tests, from the installed wheel, on skprune's MLPs.

``sklearn/neural_network/tests/test_mlp.py`` ships with scikit-learn. It is
loaded here as a fresh module (scikit-learn's own copy is untouched), its
``MLPClassifier`` and ``MLPRegressor`` rebound to skprune's, the estimator
classes its ``parametrize`` marks captured at import swapped likewise, and
its test functions handed to pytest as this module's. Nothing is copied into
this repository: a newer scikit-learn brings its newer tests.
"""

import importlib.util
from pathlib import Path

import pytest
import sklearn
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor

from skprune.neural import MLPClassifier, MLPRegressor

SUITE = Path(sklearn.__file__).parent / "neural_network" / "tests" / "test_mlp.py"
OURS = {SklearnMLPClassifier: MLPClassifier, SklearnMLPRegressor: MLPRegressor}

# The tests that read what only scikit-learn's implementation has.
EXCLUDED = {
    "test_gradient": (
        "calls the private _loss_grad_lbfgs(packed, X, Y, sample_weight, "
        "activations, deltas, coef_grads, intercept_grads) with scikit-learn's "
        "preallocated buffers; tests/test_mlp.py checks skprune's gradients "
        "against finite differences instead"
    ),
}


def _ours(value):
    if isinstance(value, tuple | list):
        return type(value)(_ours(v) for v in value)
    return OURS.get(value, value) if isinstance(value, type) else value


def _rebound(function):
    """``function`` with its parametrize marks naming skprune's classes."""
    marks = []
    for mark in getattr(function, "pytestmark", []):
        if mark.name == "parametrize":
            names, values = mark.args
            mark = pytest.mark.parametrize(names, _ours(values), **mark.kwargs).mark
        marks.append(mark)
    if function.__name__ in EXCLUDED:
        reason = EXCLUDED[function.__name__]
        marks.append(pytest.mark.xfail(strict=True, reason=reason).mark)
    function.pytestmark = marks
    return function


def _load_suite():
    if not SUITE.exists():
        pytest.skip(
            f"scikit-learn's tests are not installed: {SUITE}", allow_module_level=True
        )
    spec = importlib.util.spec_from_file_location("_sklearn_test_mlp", SUITE)
    suite = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(suite)
    suite.MLPClassifier, suite.MLPRegressor = MLPClassifier, MLPRegressor
    return {
        name: _rebound(function)
        for name, function in vars(suite).items()
        if name.startswith("test_") and callable(function)
    }


globals().update(_load_suite())


@pytest.fixture
def global_random_seed():
    """scikit-learn's conftest fixture, at its default seed."""
    return 42


def test_the_suite_runs_on_skprune():
    suite = _load_suite()
    assert len(suite) >= 40
    assert set(EXCLUDED) <= set(suite) and len(EXCLUDED) <= 3
    assert suite["test_alpha"].__globals__["MLPClassifier"] is MLPClassifier
    (mark,) = suite["test_early_stopping"].pytestmark
    assert mark.args == ("MLPEstimator", [MLPClassifier, MLPRegressor])
