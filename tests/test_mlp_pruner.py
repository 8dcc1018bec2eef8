import warnings
from copy import deepcopy

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import load_digits, load_iris, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor

from skprune.metrics import model_size
from skprune.neural import (
    MLPClassifier,
    MLPPruner,
    MLPPrunerCV,
    MLPRegressor,
    to_sklearn,
)
from skprune.neural._masks import remove_neurons

X_DIGITS, Y_DIGITS = load_digits(return_X_y=True)
X_DIGITS = X_DIGITS / 16


def _plan(model):
    """The inference plan a predict on a large enough batch builds."""
    model.predict_proba(X_DIGITS)
    return model._inference_plan


@pytest.fixture(scope="module")
def fitted():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MLPClassifier(
            hidden_layer_sizes=(40, 20), max_iter=30, random_state=0
        ).fit(X_DIGITS, Y_DIGITS)


@pytest.mark.parametrize("scope", ["global", "layer"])
def test_one_shot_magnitude_prunes_exactly_the_smallest(fitted, scope):
    pruner = MLPPruner(
        fitted, sparsity=0.7, scope=scope, prefit=True, finetune_iter=0
    ).fit(X_DIGITS, Y_DIGITS)
    coefs = fitted.coefs_
    if scope == "global":
        flat = np.concatenate([np.abs(W).ravel() for W in coefs])
        n_prune = round(0.7 * flat.size)
        cut = np.sort(flat)[n_prune - 1]
        kept = np.concatenate([m.ravel() for m in pruner.masks_])
        assert (~kept).sum() == n_prune
        assert np.all(flat[~kept] <= cut) and np.all(flat[kept] >= cut)
    else:
        for W, mask in zip(coefs, pruner.masks_, strict=True):
            assert (~mask).sum() == round(0.7 * W.size)
            assert np.abs(W[~mask]).max() <= np.abs(W[mask]).min()
    np.testing.assert_allclose(pruner.sparsity_["overall"], 0.7, atol=1e-3)
    for b, b0 in zip(pruner.estimator_.intercepts_, fitted.intercepts_, strict=True):
        np.testing.assert_array_equal(b, b0)  # biases are never pruned


def test_pruned_weights_stay_zero_through_fine_tuning(fitted):
    pruner = MLPPruner(
        fitted,
        sparsity=0.9,
        schedule="iterative",
        n_rounds=3,
        finetune_iter=5,
        prefit=True,
        random_state=0,
    )
    pruner.fit(X_DIGITS, Y_DIGITS)
    for W, mask in zip(pruner.estimator_.coefs_, pruner.masks_, strict=True):
        assert np.all(W[~mask] == 0) and np.count_nonzero(W) == mask.sum()
    expected = 1 - 0.1 ** (np.arange(1, 4) / 3)
    np.testing.assert_allclose(
        [h["sparsity"] for h in pruner.history_], expected, atol=1e-3
    )
    assert all(np.isfinite(h["loss"]) for h in pruner.history_)


def test_random_criterion_differs_and_is_reproducible(fitted):
    kwargs = dict(sparsity=0.5, prefit=True, finetune_iter=0)
    magnitude = MLPPruner(fitted, **kwargs).fit(X_DIGITS, Y_DIGITS)
    random_a = MLPPruner(fitted, criterion="random", random_state=1, **kwargs).fit(
        X_DIGITS, Y_DIGITS
    )
    random_b = MLPPruner(fitted, criterion="random", random_state=1, **kwargs).fit(
        X_DIGITS, Y_DIGITS
    )
    np.testing.assert_array_equal(random_a.masks_[0], random_b.masks_[0])
    assert not np.array_equal(random_a.masks_[0], magnitude.masks_[0])
    assert magnitude.score(X_DIGITS, Y_DIGITS) > random_a.score(X_DIGITS, Y_DIGITS)


def test_compacted_model_equals_the_masked_model(fitted):
    keep = [np.arange(40) % 3 != 0, np.arange(20) % 2 == 0]
    compact = deepcopy(fitted)
    remove_neurons(compact, keep)
    masked = deepcopy(fitted)
    for layer, kept in enumerate(keep):
        masked.coefs_[layer + 1][~kept, :] = 0  # the removed neurons say nothing
    assert [W.shape for W in compact.coefs_] == [(64, 26), (26, 10), (10, 10)]
    np.testing.assert_allclose(
        compact.predict_proba(X_DIGITS), masked.predict_proba(X_DIGITS), rtol=1e-12
    )
    assert compact.hidden_layer_sizes == (26, 10)


def test_neuron_pruning_shrinks_the_matrices(fitted):
    pruner = MLPPruner(
        fitted,
        sparsity=0.5,
        granularity="neuron",
        scope="layer",
        prefit=True,
        finetune_iter=3,
        random_state=0,
    )
    pruner.fit(X_DIGITS, Y_DIGITS)
    shapes = [W.shape for W in pruner.estimator_.coefs_]
    assert shapes == [(64, 20), (20, 10), (10, 10)]
    assert pruner.sparsity_["layers"] == [0.5, 0.5]
    norms = np.linalg.norm(fitted.coefs_[0], axis=0)
    assert model_size(pruner)["neurons"] == [20, 10]
    assert pruner.score(X_DIGITS, Y_DIGITS) > 0.8
    global_pruner = MLPPruner(
        fitted, sparsity=0.5, granularity="neuron", prefit=True, finetune_iter=0
    ).fit(X_DIGITS, Y_DIGITS)
    assert sum(W.shape[1] for W in global_pruner.estimator_.coefs_[:-1]) == 30
    assert len(norms) == 40


def test_sparse_path_equals_dense_path(fitted):
    pruner = MLPPruner(
        fitted, sparsity=0.97, prefit=True, finetune_iter=2, random_state=0
    ).fit(X_DIGITS, Y_DIGITS)
    model = pruner.estimator_
    plan = _plan(model)
    assert any(plan.is_sparse(i) for i in range(3))
    # Dead neurons are gone from the plan, not from the model.
    assert sum(W.shape[1] for W in plan.coefs[:-1]) < 60
    assert [W.shape for W in model.coefs_] == [(64, 40), (40, 20), (20, 10)]
    dense = model._forward(X_DIGITS)[-1]
    np.testing.assert_allclose(
        model.predict_proba(X_DIGITS), dense, rtol=1e-9, atol=1e-12
    )


@pytest.mark.parametrize(
    "Sklearn, Ours, data",
    [
        (SklearnMLPClassifier, MLPClassifier, load_iris(return_X_y=True)),
        (
            SklearnMLPRegressor,
            MLPRegressor,
            make_regression(n_samples=100, n_features=4, random_state=0),
        ),
    ],
)
def test_prefit_scikit_learn_model_is_converted_exactly_and_untouched(
    Sklearn, Ours, data
):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs = Sklearn(hidden_layer_sizes=(12,), max_iter=50, random_state=0)
        theirs.fit(X, y)
    before = [W.copy() for W in theirs.coefs_]
    same = MLPPruner(theirs, sparsity=0.0, prefit=True, finetune_iter=0).fit(X, y)
    assert isinstance(same.estimator_, Ours)
    np.testing.assert_allclose(same.predict(X), theirs.predict(X), rtol=1e-12)
    pruned = MLPPruner(
        theirs, sparsity=0.5, prefit=True, finetune_iter=3, random_state=0
    ).fit(X, y)
    assert pruned.sparsity_["overall"] == pytest.approx(0.5, abs=0.01)
    for W, W0 in zip(theirs.coefs_, before, strict=True):
        np.testing.assert_array_equal(W, W0)


def test_training_from_scratch_and_errors():
    X, y = load_iris(return_X_y=True)
    mlp = MLPClassifier(hidden_layer_sizes=(10,), max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pruner = MLPPruner(mlp, sparsity=0.3, random_state=0).fit(X, y)
    assert not hasattr(mlp, "coefs_")
    assert pruner.classes_.tolist() == [0, 1, 2]
    with pytest.raises(TypeError, match="MLPPruner prunes"):
        MLPPruner(LogisticRegression().fit(X, y), prefit=True).fit(X, y)
    with pytest.raises(ValueError, match="expecting 4 features"):
        MLPPruner(pruner.estimator_, prefit=True).fit(X[:, :3], y)


def test_pickled_pruned_model_is_smaller_and_identical(fitted):
    import pickle

    pruner = MLPPruner(fitted, sparsity=0.9, prefit=True, finetune_iter=0)
    pruner.fit(X_DIGITS, Y_DIGITS)
    model = pruner.estimator_
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(
        restored.predict_proba(X_DIGITS), model.predict_proba(X_DIGITS)
    )
    for mask, original in zip(restored.masks_, model.masks_, strict=True):
        np.testing.assert_array_equal(mask, original)
    assert len(pickle.dumps(model)) < 0.4 * len(pickle.dumps(fitted))
    assert all(isinstance(W, np.ndarray) for W in model.coefs_)  # still dense


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
def test_dead_neurons_are_folded_exactly(activation):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier(
            hidden_layer_sizes=(6, 5), activation=activation, max_iter=5, random_state=0
        ).fit(X_DIGITS, Y_DIGITS)
    mlp.coefs_[0][:, 1] = 0  # no input: outputs activation(bias), a constant
    mlp.intercepts_[0][1] = 0.7
    mlp.coefs_[1][3, :] = 0  # no output: contributes nothing
    mlp.coefs_[0][:, 2] = 0  # both
    mlp.coefs_[1][2, :] = 0
    assert [W.shape[1] for W in _plan(mlp).coefs[:-1]] == [3, 5]
    np.testing.assert_allclose(
        mlp.predict_proba(X_DIGITS), mlp._forward(X_DIGITS)[-1], rtol=1e-12
    )


@pytest.mark.parametrize("sparse_input", [False, True])
def test_relu_biases_carried_forward_equal_the_plain_pass(fitted, sparse_input):
    # The plan adds no bias before the output layer (max(z, -c) + c = relu(z + c)).
    X = sp.csr_matrix(X_DIGITS) if sparse_input else X_DIGITS
    assert fitted.activation == "relu"
    assert _plan(fitted).relu_floors is not None
    np.testing.assert_allclose(
        fitted.predict_proba(X), fitted._forward(X_DIGITS)[-1], rtol=1e-12
    )


def test_pruner_predicts_and_scores_as_its_pruned_model(fitted):
    # The pruner validates X once and hands the array to its model unchecked.
    pruner = MLPPruner(fitted, sparsity=0.5, prefit=True, finetune_iter=0)
    pruner.fit(X_DIGITS, Y_DIGITS)
    model = pruner.estimator_
    np.testing.assert_array_equal(pruner.predict(X_DIGITS), model.predict(X_DIGITS))
    np.testing.assert_array_equal(
        pruner.predict_proba(X_DIGITS), model.predict_proba(X_DIGITS)
    )
    assert pruner.score(X_DIGITS, Y_DIGITS) == model.score(X_DIGITS, Y_DIGITS)
    X, Y = make_regression(n_samples=80, n_features=5, n_targets=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        regressor = MLPPruner(
            MLPRegressor(hidden_layer_sizes=(8,), max_iter=20, random_state=0),
            sparsity=0.5,
            finetune_iter=2,
        ).fit(X, Y)
    np.testing.assert_array_equal(regressor.predict(X), regressor.estimator_.predict(X))
    assert regressor.score(X, Y) == regressor.estimator_.score(X, Y)


def test_predict_in_blocks_equals_one_pass(fitted):
    big = np.tile(X_DIGITS, (3, 1))  # more rows than one block
    np.testing.assert_allclose(
        fitted.predict_proba(big), fitted._forward(big)[-1], rtol=1e-12
    )
    np.testing.assert_array_equal(
        fitted.predict(big), fitted.classes_[fitted._forward(big)[-1].argmax(axis=1)]
    )


@pytest.mark.parametrize("schedule", ["one-shot", "iterative", "gradual"])
def test_per_layer_targets_prune_each_matrix_to_its_own(fitted, schedule):
    # Han et al. keep 8%/9%/26% of LeNet-300-100's three matrices.
    targets = [0.92, 0.91, 0.74]
    pruner = MLPPruner(
        fitted,
        sparsity=targets,
        scope="layer",
        schedule=schedule,
        prefit=True,
        finetune_iter=2,
        random_state=0,
    ).fit(X_DIGITS, Y_DIGITS)
    for W, mask, target in zip(fitted.coefs_, pruner.masks_, targets, strict=True):
        assert (~mask).sum() == round(target * W.size)
    np.testing.assert_allclose(pruner.sparsity_["layers"], targets, atol=1e-3)
    if schedule == "one-shot":
        for W, mask in zip(fitted.coefs_, pruner.masks_, strict=True):
            assert np.abs(W[~mask]).max() <= np.abs(W[mask]).min()


def test_per_layer_neuron_targets(fitted):
    pruner = MLPPruner(
        fitted,
        sparsity=[0.5, 0.25],
        granularity="neuron",
        scope="layer",
        prefit=True,
        finetune_iter=0,
    ).fit(X_DIGITS, Y_DIGITS)
    assert [W.shape for W in pruner.estimator_.coefs_] == [(64, 20), (20, 15), (15, 10)]
    assert pruner.sparsity_["layers"] == [0.5, 0.25]


@pytest.mark.parametrize(
    "params, match",
    [
        ({"sparsity": [0.5, 0.5]}, r"2 values.*needs one per layer, 3: coefs_\[0\]"),
        ({"sparsity": [0.5, 1.0, 0.5]}, r"sparsity of coefs_\[1\] .* is 1.0"),
        ({"sparsity": [0.5, -0.1, 0.5]}, r"coefs_\[1\] \(into the hidden layer 1"),
        ({"sparsity": [0.5, 0.5, 0.5], "scope": "global"}, "scope='layer'"),
        (
            {"sparsity": [0.5, 0.5, 0.5], "granularity": "neuron"},
            r"3 values.*2: hidden layer 0 \(40 neurons\), hidden layer 1",
        ),
        ({"sparsity": [0.5, 1.5], "granularity": "neuron"}, "hidden layer 1 .* 1.5"),
        ({"sparsity": {0.5, 0.25}}, "a list of them, one per layer; got {"),
        ({"sparsity": ["0.5", "0.5", "0.5"]}, "a list of them, one per layer"),
    ],
)
def test_per_layer_targets_refused_name_the_layer(fitted, params, match):
    params = {"scope": "layer", **params}
    with pytest.raises(ValueError, match=match):
        MLPPruner(fitted, prefit=True, **params).fit(X_DIGITS, Y_DIGITS)


def test_sample_weight_trains_the_dense_network_as_scikit_learn():
    X, y = X_DIGITS[:300], Y_DIGITS[:300]
    weight = np.random.RandomState(0).randint(0, 4, len(y)).astype(float)
    mlp = SklearnMLPClassifier((16,), solver="lbfgs", max_iter=30, random_state=0)
    pruner = MLPPruner(
        mlp, sparsity=0.5, schedule="one-shot", finetune_iter=0, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pruner.fit(X, y, sample_weight=weight)
        reference = deepcopy(mlp).fit(X, y, sample_weight=weight)
        unweighted = deepcopy(mlp).fit(X, y)
    for W, W_ref, W_plain in zip(
        pruner.estimator_.coefs_, reference.coefs_, unweighted.coefs_, strict=True
    ):
        kept = W != 0
        np.testing.assert_allclose(W[kept], W_ref[kept])
        assert not np.allclose(W[kept], W_plain[kept])


@pytest.mark.parametrize("criterion", ["gradient", "taylor"])
def test_weighted_gradient_criteria_equal_repeated_rows(criterion):
    # Fewer than 200 rows either way: one batch, so the sums are comparable.
    X, y = X_DIGITS[:90], Y_DIGITS[:90]
    counts = np.random.RandomState(1).randint(0, 3, len(y))
    mlp = MLPClassifier((12,), max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    params = dict(
        sparsity=0.6, criterion=criterion, schedule="one-shot", finetune_iter=0
    )
    weighted = MLPPruner(mlp, prefit=True, **params).fit(X, y, sample_weight=counts)
    repeated = MLPPruner(mlp, prefit=True, **params).fit(
        np.repeat(X, counts, axis=0), np.repeat(y, counts)
    )
    unweighted = MLPPruner(mlp, prefit=True, **params).fit(X, y)
    masks = [W != 0 for W in weighted.estimator_.coefs_]
    assert all(
        np.array_equal(m, W != 0)
        for m, W in zip(masks, repeated.estimator_.coefs_, strict=True)
    )
    assert not all(
        np.array_equal(m, W != 0)
        for m, W in zip(masks, unweighted.estimator_.coefs_, strict=True)
    )


def test_the_search_passes_sample_weight_to_every_run():
    X, y = X_DIGITS[:200], Y_DIGITS[:200]
    weight = np.random.RandomState(0).randint(0, 3, len(y)).astype(float)
    mlp = MLPClassifier((10,), max_iter=20, random_state=0)
    search = MLPPrunerCV(
        mlp, sparsity=0.8, n_rounds=2, finetune_iter=2, cv=3, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y, sample_weight=weight)
        plain = clone(search).fit(X, y)
    assert not np.allclose(
        search.cv_results_["mean_test_score"], plain.cv_results_["mean_test_score"]
    )


@pytest.mark.parametrize(
    "estimator_params, params, match",
    [
        (
            {"early_stopping": True},
            {"schedule": "gradual"},
            "early stopping would restore",
        ),
        ({"max_iter": 20}, {"schedule": "lottery", "rewind_iter": 21}, "past the end"),
        ({"hidden_layer_sizes": ()}, {"granularity": "neuron"}, "no hidden layer"),
        ({}, {"sparsity": np.array(0.5)}, "a float in \\[0, 1\\) or a list"),
        ({}, {"sparsity": np.array(1.5)}, "a float in \\[0, 1\\) or a list"),
    ],
)
def test_combinations_that_cannot_work_are_refused_before_training(
    estimator_params, params, match
):
    mlp = MLPClassifier((8,), max_iter=5, random_state=0).set_params(**estimator_params)
    with pytest.raises(ValueError, match=match):
        MLPPruner(mlp, **params).fit(X_DIGITS[:100], Y_DIGITS[:100])


def test_a_schedule_attribute_does_not_outlive_a_refit():
    mlp = MLPClassifier((8,), max_iter=5, random_state=0)
    pruner = MLPPruner(mlp, sparsity=0.5, schedule="lottery", n_rounds=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pruner.fit(X_DIGITS[:100], Y_DIGITS[:100])
        assert hasattr(pruner, "rewind_coefs_")
        pruner.set_params(schedule="one-shot").fit(X_DIGITS[:100], Y_DIGITS[:100])
    assert not hasattr(pruner, "rewind_coefs_")


def test_a_prefit_model_refuses_targets_it_was_not_trained_for():
    X, y = load_iris(return_X_y=True)
    seen = y < 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier((8,), max_iter=5, random_state=0).fit(X[seen], y[seen])
        regressor = MLPRegressor(
            hidden_layer_sizes=(8,), max_iter=5, random_state=0
        ).fit(X, X[:, :2])
    with pytest.raises(ValueError, match=r"classes \[2\] that the prefit"):
        MLPPruner(mlp, prefit=True).fit(X, y)
    with pytest.raises(ValueError, match="y has 1 outputs, but the prefit"):
        MLPPruner(regressor, prefit=True).fit(X, X[:, 0])


def test_global_neuron_pruning_keeps_a_neuron_in_every_layer():
    mlp = MLPClassifier(hidden_layer_sizes=(32, 16), max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pruner = MLPPruner(mlp, sparsity=0.99, granularity="neuron").fit(
            X_DIGITS, Y_DIGITS
        )
    assert pruner.estimator_.hidden_layer_sizes == (1, 1)


def test_the_pruned_model_keeps_the_column_names_and_scores_with_weights():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(X_DIGITS[:200], columns=[f"pixel{i}" for i in range(64)])
    y = Y_DIGITS[:200]
    mlp = SklearnMLPClassifier((8,), max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pruner = MLPPruner(mlp, finetune_iter=2, random_state=0).fit(X, y)
    np.testing.assert_array_equal(pruner.estimator_.feature_names_in_, X.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "fitted without feature names"
        exported = to_sklearn(pruner.estimator_)
        np.testing.assert_array_equal(exported.predict(X), pruner.predict(X))
    weight = np.r_[np.zeros(100), np.ones(100)]
    assert pruner.score(X, y, sample_weight=weight) == pytest.approx(
        exported.score(X.iloc[100:], y[100:])
    )


def test_a_ramp_that_ends_before_it_starts_says_where_the_end_comes_from():
    mlp = MLPClassifier((8,), max_iter=10, random_state=0)
    with pytest.raises(ValueError, match=r"ramp_end=None, half of the 10 training"):
        MLPPruner(mlp, schedule="gradual", ramp_start=5).fit(X_DIGITS, Y_DIGITS)
