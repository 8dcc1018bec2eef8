import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_iris, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.utils._param_validation import InvalidParameterError

from skprune.neural import MLPClassifier, MLPRegressor

IRIS = load_iris(return_X_y=True)


def _numeric_gradient(mlp, X, Y, layer, index, eps=1e-6):
    W = mlp.coefs_[layer]
    old = W[index]
    W[index] = old + eps
    up = mlp._loss_and_gradients(X, Y)[0]
    W[index] = old - eps
    down = mlp._loss_and_gradients(X, Y)[0]
    W[index] = old
    return (up - down) / (2 * eps)


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("kind", ["binary", "multiclass", "regression"])
def test_gradients_match_finite_differences(activation, kind):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 4))
    if kind == "regression":
        mlp = MLPRegressor(
            hidden_layer_sizes=(5, 3), activation=activation, alpha=0.1, max_iter=1
        )
        y = rng.normal(size=(30, 2))
    else:
        mlp = MLPClassifier(
            hidden_layer_sizes=(5, 3), activation=activation, alpha=0.1, max_iter=1
        )
        y = rng.randint(0, 2 if kind == "binary" else 3, 30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    X_, Y = mlp._encode(X, y)
    _, coef_grads, _ = mlp._loss_and_gradients(X_, Y)
    for layer in range(3):
        for index in [(0, 0), (1, 1), (2, 0)]:
            if (
                index[0] < coef_grads[layer].shape[0]
                and index[1] < coef_grads[layer].shape[1]
            ):
                expected = _numeric_gradient(mlp, X_, Y, layer, index)
                assert coef_grads[layer][index] == pytest.approx(
                    expected, rel=1e-4, abs=1e-7
                )


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_masked_weights_stay_exactly_zero_through_training(solver):
    X, y = IRIS
    mlp = MLPClassifier(
        hidden_layer_sizes=(8,), solver=solver, max_iter=5, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    rng = np.random.RandomState(0)
    mlp.masks_ = [rng.uniform(size=W.shape) > 0.5 for W in mlp.coefs_]
    for W, mask in zip(mlp.coefs_, mlp.masks_, strict=True):
        W *= mask
    mlp._continue_training(X, y, 20, rng)
    for W, mask in zip(mlp.coefs_, mlp.masks_, strict=True):
        assert np.all(W[~mask] == 0.0)
        assert np.all(W[mask] != 0.0)


def test_accuracy_like_scikit_learn_and_reproducible():
    X, y = IRIS
    params = dict(hidden_layer_sizes=(20,), max_iter=300, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPClassifier(**params).fit(X, y)
        again = MLPClassifier(**params).fit(X, y)
        theirs = SklearnMLPClassifier(**params).fit(X, y)
    assert abs(ours.score(X, y) - theirs.score(X, y)) <= 0.03
    np.testing.assert_array_equal(ours.coefs_[0], again.coefs_[0])
    assert [W.shape for W in ours.coefs_] == [W.shape for W in theirs.coefs_]
    assert len(ours.loss_curve_) == ours.n_iter_
    assert ours.out_activation_ == "softmax"


@pytest.mark.parametrize(
    "params",
    [
        dict(solver="adam"),
        dict(solver="adam", activation="tanh", alpha=0.01),
        dict(solver="sgd"),
        dict(solver="sgd", nesterovs_momentum=False, momentum=0.5),
    ],
)
def test_weights_equal_scikit_learn_after_the_same_epochs(params):
    # Same initialisation, shuffling, backprop and optimiser arithmetic.
    X, y = IRIS
    params = dict(hidden_layer_sizes=(20, 10), max_iter=15, random_state=0, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPClassifier(**params).fit(X, y)
        theirs = SklearnMLPClassifier(**params).fit(X, y)
    for mine, reference in zip(
        ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_, strict=True
    ):
        np.testing.assert_allclose(mine, reference, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-10)


def test_binary_labels_and_proba():
    X, y = IRIS
    mask = y > 0
    mlp = MLPClassifier(hidden_layer_sizes=(10,), max_iter=300, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X[mask], np.where(y[mask] == 1, "a", "b"))
    proba = mlp.predict_proba(X[mask])
    assert mlp.out_activation_ == "logistic" and proba.shape == (100, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert set(mlp.predict(X[mask])) <= {"a", "b"}


def test_regression_multi_output_and_sparse_input():
    X, y = make_regression(
        n_samples=200, n_features=6, n_targets=2, noise=1, random_state=0
    )
    mlp = MLPRegressor(
        hidden_layer_sizes=(20,), learning_rate_init=0.01, max_iter=300, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    assert mlp.predict(X).shape == (200, 2) and mlp.score(X, y) > 0.9
    np.testing.assert_allclose(mlp.predict(sp.csr_matrix(X)), mlp.predict(X))


def test_early_stopping_keeps_the_best_validation_weights():
    X, y = IRIS
    mlp = MLPClassifier(
        hidden_layer_sizes=(10,), early_stopping=True, max_iter=300, random_state=0
    ).fit(X, y)
    assert mlp.best_validation_score_ == max(mlp.validation_scores_)
    assert len(mlp.validation_scores_) == mlp.n_iter_


def test_divergence_is_a_clear_error():
    X, y = make_regression(n_samples=100, n_features=4, random_state=0)
    mlp = MLPRegressor(
        solver="sgd", learning_rate_init=10.0, max_iter=50, random_state=0
    )
    with pytest.raises(ValueError, match="Training diverged"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mlp.fit(X * 1e3, y * 1e3)


def test_bad_input():
    X, y = IRIS
    with pytest.raises(ValueError, match="NaN"):
        MLPClassifier().fit(np.where(X > 7, np.nan, X), y)
    with pytest.raises(ValueError, match="y should be a 1d array"):
        MLPClassifier().fit(X, np.c_[y == 1, y == 2].astype(int))
    with pytest.raises(InvalidParameterError, match="solver"):
        MLPClassifier(solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPClassifier().fit(X, np.linspace(0, 1, len(y)))
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        MLPClassifier(hidden_layer_sizes=(5, 0)).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier(max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features"):
        mlp.predict(X[:, :3])
