import numpy as np
import pytest
from sklearn.datasets import load_iris, load_wine, make_classification
from sklearn.linear_model import LogisticRegression

from skprune.linear._elimination import eliminate
from skprune.linear._logistic import fit_logistic, supports_newton_logistic

BINARY = make_classification(n_samples=300, n_features=6, random_state=0)
IRIS = load_iris(return_X_y=True)


def _optimum(estimator, X, y, sample_weight=None):
    """scikit-learn's own Newton solver, run to a tight tolerance."""
    exact = LogisticRegression(
        **{
            **estimator.get_params(),
            "solver": "newton-cholesky",
            "tol": 1e-12,
            "max_iter": 1000,
        }
    )
    return exact.fit(X, y, sample_weight=sample_weight)


@pytest.mark.parametrize("data", [BINARY, IRIS], ids=["binary", "multiclass"])
@pytest.mark.parametrize(
    "params",
    [{}, {"C": 0.05}, {"fit_intercept": False}, {"class_weight": "balanced"}],
)
@pytest.mark.parametrize("weighted", [False, True])
def test_newton_reaches_scikit_learns_optimum(data, params, weighted):
    X, y = data
    sample_weight = (
        np.random.RandomState(0).uniform(0.5, 2, len(y)) if weighted else None
    )
    estimator = LogisticRegression(**params)
    solution = fit_logistic(estimator, X, y, sample_weight)
    expected = _optimum(estimator, X, y, sample_weight)
    model = solution.model
    assert type(model) is LogisticRegression and model.get_params() == (
        estimator.get_params()
    )
    # Both solvers stop within their tolerances: agreement to ~1e-6, where
    # scikit-learn's default tol leaves coefficients ~1e-3 apart.
    np.testing.assert_allclose(model.coef_, expected.coef_, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(
        model.intercept_, expected.intercept_, rtol=1e-4, atol=1e-6
    )
    np.testing.assert_allclose(
        model.predict_proba(X), expected.predict_proba(X), atol=1e-6
    )
    np.testing.assert_array_equal(model.classes_, expected.classes_)


def test_unscaled_features_converge():
    X, y = load_wine(return_X_y=True)  # proline is in the thousands
    solution = fit_logistic(LogisticRegression(), X, y)
    expected = _optimum(LogisticRegression(), X, y)
    np.testing.assert_allclose(
        solution.model.predict_proba(X), expected.predict_proba(X), atol=1e-6
    )


def test_warm_start_from_a_cut_solution():
    X, y = IRIS
    full = fit_logistic(LogisticRegression(), X, y)
    keep = np.array([True, False, True, True])
    cold = fit_logistic(LogisticRegression(), X[:, keep], y)
    warm = fit_logistic(LogisticRegression(), X[:, keep], y, start=full.without(keep))
    np.testing.assert_allclose(warm.model.coef_, cold.model.coef_, atol=1e-6)
    assert warm.model.n_iter_[0] < cold.model.n_iter_[0]


def test_every_size_of_the_sweep_is_at_the_optimum():
    X, y = BINARY
    records = []
    eliminate(
        LogisticRegression(),
        X,
        y,
        1,
        1,
        "auto",
        record=lambda kept, est: records.append((kept.copy(), est)),
    )
    assert len(records) == X.shape[1]
    for kept, model in records:
        expected = _optimum(LogisticRegression(), X[:, kept], y)
        np.testing.assert_allclose(model.coef_, expected.coef_, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize(
    "estimator, supported",
    [
        (LogisticRegression(), True),
        (LogisticRegression(solver="saga", C=2.0), True),
        (LogisticRegression(solver="liblinear"), False),
        (LogisticRegression(solver="saga", l1_ratio=1.0), False),
        (LogisticRegression(C=np.inf), False),
    ],
)
def test_which_models_newton_solves(estimator, supported):
    assert supports_newton_logistic(estimator) is supported


def test_targets_left_to_scikit_learn():
    X, y = BINARY
    # A column vector is raveled by scikit-learn, with its warning.
    assert fit_logistic(LogisticRegression(), X, y[:, None]) is None
    assert fit_logistic(LogisticRegression(), X, y + 0.5) is None  # continuous


def test_sweep_falls_back_on_scikit_learn_where_newton_does_not_apply():
    X, y = BINARY
    records = []
    l1 = LogisticRegression(solver="liblinear", l1_ratio=1.0, C=0.5, random_state=0)
    eliminate(l1, X, y, 3, 1, "auto", record=lambda k, est: records.append(est))
    expected = LogisticRegression(**l1.get_params()).fit(X, y)
    np.testing.assert_allclose(records[0].coef_, expected.coef_)
