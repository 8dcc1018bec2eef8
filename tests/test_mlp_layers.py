import warnings
from copy import deepcopy
from functools import cache

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression

from skprune.neural import MLPClassifier, MLPPruner, MLPPrunerCV, to_sklearn
from skprune.neural._layers import bridge_residuals, remove_layer

X, Y = load_digits(return_X_y=True)
X = X / 16


@cache
def _trained(hidden, activation):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MLPClassifier(
            hidden_layer_sizes=hidden,
            activation=activation,
            max_iter=30,
            random_state=0,
        ).fit(X, Y)


def _fitted(hidden=(24, 20, 16, 12), activation="relu"):
    """A trained network, a fresh copy each time (tests edit it)."""
    return deepcopy(_trained(hidden, activation))


def _prune(model, **params):
    params = {"granularity": "layer", "prefit": True, "random_state": 0, **params}
    return MLPPruner(model, **params).fit(X, Y)


def test_a_linear_layer_is_bridged_exactly():
    model = _fitted(activation="identity")
    pruner = _prune(model, sparsity=0.25, finetune_iter=0)
    small = pruner.estimator_
    assert len(small.coefs_) == 4 and len(small.hidden_layer_sizes) == 3
    assert small.n_layers_ == model.n_layers_ - 1
    np.testing.assert_allclose(
        small.predict_proba(X), model.predict_proba(X), rtol=1e-6, atol=1e-9
    )
    assert pruner.sparsity_ == {"overall": 0.25, "layers": None}


def test_the_bridge_is_the_least_squares_map():
    model = _fitted()
    activations = model._forward(X)
    target = activations[2] @ model.coefs_[2] + model.intercepts_[2]
    reference = LinearRegression().fit(activations[1], target)
    bridged = _fitted()
    remove_layer(bridged, 1, X)
    np.testing.assert_allclose(bridged.coefs_[1], reference.coef_.T, atol=1e-6)
    np.testing.assert_allclose(bridged.intercepts_[1], reference.intercept_, atol=1e-6)
    assert [W.shape for W in bridged.coefs_] == [(64, 24), (24, 16), (16, 12), (12, 10)]
    assert all(mask.all() for mask in bridged.masks_)


def test_magnitude_removes_the_layer_a_linear_map_replaces_best():
    model = _fitted()
    # A bias this large keeps every ReLU of layer 2 open: the layer is linear.
    model.intercepts_[2] += 100.0
    assert np.argmin(bridge_residuals(model, X)) == 2
    pruner = _prune(model, sparsity=0.25, finetune_iter=0)
    assert pruner.estimator_.hidden_layer_sizes == (24, 20, 12)
    np.testing.assert_allclose(
        pruner.predict_proba(X), model.predict_proba(X), rtol=1e-5, atol=1e-8
    )


@pytest.mark.parametrize("schedule", ["one-shot", "iterative"])
def test_half_the_layers_removed_then_fine_tuned(schedule):
    model = _fitted()
    pruner = _prune(model, sparsity=0.5, schedule=schedule, n_rounds=2, finetune_iter=5)
    small = pruner.estimator_
    assert len(small.hidden_layer_sizes) == 2
    assert pruner.sparsity_["overall"] == 0.5
    assert pruner.score(X, Y) > model.score(X, Y) - 0.05
    deployed = to_sklearn(small)
    np.testing.assert_array_equal(deployed.predict(X), small.predict(X))


def test_at_least_one_hidden_layer_stays():
    pruner = _prune(_fitted(), sparsity=0.99, finetune_iter=0)
    assert len(pruner.estimator_.hidden_layer_sizes) == 1


def test_one_hidden_layer_is_refused():
    with pytest.raises(ValueError, match="keeps at least one; the network has 1"):
        _prune(_fitted(hidden=(10,)), sparsity=0.5)
    with pytest.raises(ValueError, match="removes layers between trainings"):
        _prune(_fitted(), sparsity=0.5, schedule="gradual")
    with pytest.raises(ValueError, match="scores neurons"):
        _prune(_fitted(), sparsity=0.5, criterion="activation")


def test_cv_chooses_how_many_layers_to_remove():
    mlp = MLPClassifier(hidden_layer_sizes=(16, 16, 16), max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search = MLPPrunerCV(
            mlp, granularity="layer", sparsity=0.67, n_rounds=2, cv=2, finetune_iter=3
        ).fit(X, Y)
    sizes = search.cv_results_["size"]
    assert len(sizes) == 3 and np.all(np.diff(sizes) < 0)


def test_sparse_input_is_bridged_as_dense():
    import scipy.sparse as sp

    model = _fitted(hidden=(16, 12))
    dense = _prune(model, sparsity=0.5, finetune_iter=0)
    pruner = MLPPruner(
        model, granularity="layer", sparsity=0.5, prefit=True, finetune_iter=0
    ).fit(sp.csr_matrix(X), Y)
    for W, W_dense in zip(
        pruner.estimator_.coefs_, dense.estimator_.coefs_, strict=True
    ):
        np.testing.assert_allclose(W, W_dense, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"sparsity": 0.2}, "removes none; granularity='layer' needs at least 0.25"),
        ({"sparsity": 0.5, "scope": "layer"}, "has no per-layer scope"),
    ],
)
def test_a_layer_target_that_removes_nothing_is_refused(params, match):
    mlp = MLPClassifier(hidden_layer_sizes=(8, 8), max_iter=5, random_state=0)
    with pytest.raises(ValueError, match=match):
        MLPPruner(mlp, granularity="layer", **params).fit(X[:100], Y[:100])


def test_at_init_scores_layers_on_every_row_not_one_batch(monkeypatch):
    # One batch of 16 rows cannot determine a bridge with 25 unknowns per
    # output (24 inputs and the bias): every layer's residual would be 0.
    import skprune.neural._criteria as criteria

    seen = []

    def recording(model, X, sample_weight=None):
        seen.append(X.shape[0])
        return bridge_residuals(model, X, sample_weight)

    monkeypatch.setattr(criteria, "bridge_residuals", recording)
    network = MLPClassifier(
        hidden_layer_sizes=(24, 20, 16), batch_size=16, max_iter=2, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        MLPPruner(network, granularity="layer", schedule="at-init", random_state=0).fit(
            X, Y
        )
    assert seen and set(seen) == {len(X)}
