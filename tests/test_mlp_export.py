"""skprune's MLPs to scikit-learn's (to deploy) and back (to prune)."""

import pickle
import subprocess
import sys

import numpy as np
import pytest
from sklearn.datasets import (
    load_digits,
    make_multilabel_classification,
    make_regression,
)
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor
from sklearn.utils._param_validation import InvalidParameterError

from skprune.neural import (
    MLPClassifier,
    MLPPruner,
    MLPPrunerCV,
    MLPRegressor,
    to_sklearn,
)
from skprune.neural._convert import to_skprune_mlp

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


X_DIGITS, Y_DIGITS = load_digits(return_X_y=True)
X_DIGITS = X_DIGITS / 16
X_REG, Y_REG = make_regression(n_samples=200, n_features=8, n_targets=2, random_state=0)
Y_REG /= Y_REG.std(axis=0)


@pytest.fixture(scope="module")
def dense():
    mlp = MLPClassifier(hidden_layer_sizes=(40, 20), max_iter=30, random_state=0)
    return mlp.fit(X_DIGITS, Y_DIGITS)


def assert_predicts_alike(exported, model, X):
    """Same classes; probabilities and values up to the rounding of the
    inference plan's folded biases."""
    assert type(exported).__module__.startswith("sklearn.")
    rtol = 1e-12 if model.coefs_[0].dtype == np.float64 else 1e-5
    if hasattr(model, "predict_proba"):
        np.testing.assert_array_equal(exported.predict(X), model.predict(X))
        np.testing.assert_allclose(
            exported.predict_proba(X), model.predict_proba(X), rtol=rtol
        )
    else:
        np.testing.assert_allclose(
            exported.predict(X), model.predict(X), rtol=rtol, atol=1e-14
        )


@pytest.mark.parametrize("granularity", ["weight", "neuron", "2:4"])
def test_pruned_model_exports_with_identical_predictions(dense, granularity):
    pruner = MLPPruner(
        dense, sparsity=0.8, granularity=granularity, prefit=True, finetune_iter=2
    ).fit(X_DIGITS, Y_DIGITS)
    model = pruner.estimator_
    exported = to_sklearn(model)
    assert isinstance(exported, SklearnMLPClassifier)
    assert exported.get_params() == model.get_params()
    assert [W.shape for W in exported.coefs_] == [W.shape for W in model.coefs_]
    if granularity == "neuron":
        assert sum(exported.hidden_layer_sizes) == 12  # 80% of 60 removed
        assert exported.coefs_[0].shape == (64, exported.hidden_layer_sizes[0])
    else:  # the zeros are kept
        for W, mask in zip(exported.coefs_, model.masks_, strict=True):
            np.testing.assert_array_equal(W != 0, mask)
    assert not hasattr(exported, "masks_")
    assert_predicts_alike(exported, model, X_DIGITS)
    np.testing.assert_array_equal(exported.predict(X_DIGITS), pruner.predict(X_DIGITS))


@pytest.mark.parametrize(
    "Estimator, params, data",
    [
        (MLPRegressor, {}, (X_REG, Y_REG)),
        (MLPRegressor, dict(loss="poisson"), (X_REG, np.exp(Y_REG[:, 0]))),
        (MLPClassifier, dict(solver="lbfgs"), make_multilabel_classification()),
        (MLPClassifier, dict(early_stopping=True), (X_DIGITS, Y_DIGITS)),
        (MLPClassifier, {}, (X_DIGITS.astype(np.float32), Y_DIGITS)),
        (MLPClassifier, {}, (X_DIGITS, np.full(len(X_DIGITS), "one class"))),
    ],
)
def test_every_kind_of_model_exports(Estimator, params, data):
    X, y = data
    mlp = Estimator(hidden_layer_sizes=(10,), max_iter=20, random_state=0, **params)
    model = mlp.fit(X, y)
    exported = to_sklearn(model)
    assert exported.coefs_[0].dtype == model.coefs_[0].dtype
    assert_predicts_alike(exported, model, X)
    assert exported.score(X, y) == pytest.approx(model.score(X, y), rel=1e-12)


def test_the_export_loads_and_predicts_without_skprune(dense):
    model = MLPPrunerCV(dense, sparsity=0.9, n_rounds=2, finetune_iter=1, cv=2)
    model = model.fit(X_DIGITS, Y_DIGITS).best_estimator_
    blob = pickle.dumps(to_sklearn(model))
    assert b"skprune" not in blob
    script = (
        "import pickle, sys\n"
        "sys.modules['skprune'] = None  # importing skprune now fails\n"
        "model = pickle.loads(sys.stdin.buffer.read())\n"
        "from sklearn.datasets import load_digits\n"
        "X = load_digits().data / 16\n"
        "sys.stdout.buffer.write(pickle.dumps(model.predict_proba(X)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=blob, capture_output=True, check=True
    )
    proba = pickle.loads(done.stdout)
    np.testing.assert_allclose(proba, model.predict_proba(X_DIGITS), rtol=1e-12)


@pytest.mark.parametrize("early_stopping", [False, True])
def test_the_export_trains_on_as_scikit_learns(early_stopping):
    mlp = MLPRegressor(
        hidden_layer_sizes=(10,), early_stopping=early_stopping, max_iter=5
    )
    exported = to_sklearn(mlp.fit(X_REG, Y_REG))
    if not early_stopping:
        exported.partial_fit(X_REG, Y_REG)
    exported.set_params(warm_start=True, max_iter=3, n_iter_no_change=1, tol=1e9)
    exported.fit(X_REG, Y_REG)
    assert exported.n_iter_ <= 3


@pytest.mark.parametrize(
    "model, match",
    [
        (LogisticRegression(), "to_sklearn exports skprune's fitted"),
        (SklearnMLPClassifier(), "is scikit-learn's already"),
        (MLPPruner(MLPClassifier()), "A pruner's model is its estimator_"),
    ],
)
def test_to_sklearn_refuses_what_is_not_a_skprune_mlp(model, match):
    with pytest.raises(TypeError, match=match):
        to_sklearn(model)


def test_to_sklearn_refuses_an_unfitted_mlp():
    with pytest.raises(NotFittedError):
        to_sklearn(MLPRegressor())


SETTINGS = [
    dict(solver="lbfgs", max_fun=500, tol=1e-3),
    dict(solver="sgd", learning_rate="adaptive", momentum=0.5),
    dict(solver="sgd", learning_rate="invscaling", power_t=0.3, shuffle=False),
    dict(solver="adam", early_stopping=True, beta_1=0.8, n_iter_no_change=5),
]


@pytest.mark.parametrize("settings", SETTINGS)
def test_a_converted_scikit_learn_mlp_keeps_every_setting(settings):
    theirs = SklearnMLPClassifier(hidden_layer_sizes=(12,), max_iter=20, **settings)
    theirs.fit(X_DIGITS, Y_DIGITS)
    pruner = MLPPruner(theirs, sparsity=0.5, prefit=True, finetune_iter=3)
    ours = pruner.fit(X_DIGITS, Y_DIGITS).estimator_
    assert ours.get_params() == theirs.get_params()
    # Fine-tuned by the same solver: L-BFGS iterations leave no loss curve.
    if theirs.solver == "lbfgs":
        assert not hasattr(ours, "loss_curve_") and ours.n_iter_ <= 3
    else:
        assert len(ours.loss_curve_) == ours.n_iter_ <= 3
    for W, mask in zip(ours.coefs_, ours.masks_, strict=True):
        assert np.all(W[~mask] == 0)
    converted = to_skprune_mlp(theirs)
    fitted = [name for name in vars(theirs) if name.endswith("_")]
    assert {"n_iter_", "t_", "loss_", "n_layers_"} <= set(fitted)
    for name in fitted:
        mine, reference = getattr(converted, name), getattr(theirs, name)
        if not isinstance(reference, list) or name == "loss_curve_":
            mine, reference = [mine], [reference]
        for a, b in zip(mine, reference, strict=True):  # lists of arrays
            np.testing.assert_array_equal(a, b, err_msg=name)
    assert_predicts_alike(to_sklearn(converted), theirs, X_DIGITS)


def test_a_setting_skprune_cannot_honour_is_an_error():
    class Extended(SklearnMLPRegressor):
        def __init__(self, hidden_layer_sizes=(100,), *, dropout=0.5):
            super().__init__(hidden_layer_sizes=hidden_layer_sizes)
            self.dropout = dropout

    model = Extended(hidden_layer_sizes=(5,)).fit(X_REG, Y_REG)
    with pytest.raises(ValueError, match=r"no parameter \['dropout'\]"):
        MLPPruner(model, prefit=True).fit(X_REG, Y_REG)
    theirs = SklearnMLPRegressor(max_iter=2).fit(X_REG, Y_REG)
    theirs.set_params(solver="newton")
    with pytest.raises(InvalidParameterError, match="solver"):
        MLPPruner(theirs, prefit=True).fit(X_REG, Y_REG)


def test_gradual_pruning_refuses_lbfgs():
    mlp = MLPClassifier(solver="lbfgs", max_iter=5)
    with pytest.raises(ValueError, match="solver='lbfgs'"):
        MLPPruner(mlp, schedule="gradual").fit(X_DIGITS, Y_DIGITS)
