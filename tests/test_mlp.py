import pickle
import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import (
    load_digits,
    load_iris,
    make_multilabel_classification,
    make_regression,
)
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor
from sklearn.utils._param_validation import InvalidParameterError

from skprune.neural import MLPClassifier, MLPRegressor
from skprune.neural._base import forward
from skprune.neural._sparse_inference import PLAN_MIN_ROWS

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


IRIS = load_iris(return_X_y=True)
X_DIGITS, Y_DIGITS = load_digits(return_X_y=True)
X_DIGITS = X_DIGITS / 16
X_REG, Y_REG = make_regression(
    n_samples=150, n_features=6, n_targets=3, noise=5, random_state=0
)
Y_REG /= Y_REG.std(axis=0)
X_ML, Y_ML = make_multilabel_classification(n_samples=120, random_state=0)
Y_COUNTS = np.random.RandomState(0).poisson(np.exp(X_REG[:, 0] / 2))
SCIKIT_LEARN = {MLPClassifier: SklearnMLPClassifier, MLPRegressor: SklearnMLPRegressor}

# Everything a fit sets, scikit-learn's private counter included.
_STATE = [
    "n_iter_",
    "t_",
    "loss_",
    "loss_curve_",
    "best_loss_",
    "validation_scores_",
    "best_validation_score_",
    "_no_improvement_count",
    "n_layers_",
    "n_outputs_",
    "out_activation_",
    "classes_",
]


def assert_same_model(ours, theirs):
    """Bit for bit: weights, dtypes, loss curve, stopping state."""
    assert len(ours.coefs_) == len(theirs.coefs_)
    for mine, reference in zip(
        ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_, strict=True
    ):
        assert mine.dtype == reference.dtype
        np.testing.assert_array_equal(mine, reference)
    for name in _STATE:
        assert hasattr(ours, name) == hasattr(theirs, name), name
        if hasattr(theirs, name):
            np.testing.assert_array_equal(
                getattr(ours, name), getattr(theirs, name), err_msg=name
            )


def assert_same_predictions(ours, theirs, X):
    # The inference plan (ReLU biases folded) may round differently, by an eps.
    rtol = 1e-12 if ours.coefs_[0].dtype == np.float64 else 1e-5
    if isinstance(ours, MLPRegressor):
        scale = np.abs(theirs.predict(X)).max()
        np.testing.assert_allclose(
            ours.predict(X), theirs.predict(X), rtol=rtol, atol=rtol * scale
        )
        return
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), rtol=rtol
    )


def _both(Estimator, params, fit):
    """``fit`` applied to skprune's and scikit-learn's estimator."""
    return fit(Estimator(**params)), fit(SCIKIT_LEARN[Estimator](**params))


CONFIGURATIONS = [
    (MLPClassifier, {}, IRIS),
    (MLPClassifier, dict(activation="tanh", alpha=0.01), IRIS),
    (MLPClassifier, dict(activation="logistic", batch_size=16), IRIS),
    (MLPClassifier, dict(solver="sgd"), IRIS),
    (MLPClassifier, dict(solver="sgd", nesterovs_momentum=False, momentum=0.5), IRIS),
    (MLPClassifier, dict(solver="sgd", learning_rate="invscaling", power_t=0.25), IRIS),
    (
        MLPClassifier,
        dict(solver="sgd", learning_rate="adaptive", tol=0.05, max_iter=200),
        IRIS,
    ),
    (MLPClassifier, dict(solver="lbfgs"), IRIS),
    (MLPClassifier, dict(solver="lbfgs", max_fun=15), IRIS),
    (MLPClassifier, dict(shuffle=False, batch_size=7), IRIS),
    (MLPClassifier, dict(n_iter_no_change=np.inf, tol=10.0), IRIS),
    # Early stopping: the binary split is stratified, the multiclass one not.
    (MLPClassifier, dict(early_stopping=True, max_iter=80), IRIS),
    (
        MLPClassifier,
        dict(early_stopping=True, max_iter=80),
        (IRIS[0][:100], IRIS[1][:100]),
    ),
    (MLPClassifier, dict(early_stopping=True, solver="sgd", max_iter=80), IRIS),
    (MLPClassifier, {}, (X_ML, Y_ML)),
    (MLPClassifier, dict(solver="lbfgs"), (X_ML, Y_ML)),
    (MLPClassifier, dict(early_stopping=True), (X_ML, Y_ML)),
    (MLPClassifier, {}, (IRIS[0].astype(np.float32), IRIS[1])),
    (MLPClassifier, dict(solver="lbfgs"), (IRIS[0].astype(np.float32), IRIS[1])),
    (MLPClassifier, {}, (sp.csr_matrix(X_DIGITS[:300]), Y_DIGITS[:300])),
    (MLPRegressor, {}, (X_REG, Y_REG)),
    (MLPRegressor, {}, (X_REG, Y_REG[:, 0])),
    (MLPRegressor, dict(solver="lbfgs"), (X_REG, Y_REG)),
    (MLPRegressor, dict(solver="sgd", learning_rate_init=0.01), (X_REG, Y_REG)),
    (MLPRegressor, dict(early_stopping=True), (X_REG, Y_REG)),
    (MLPRegressor, dict(loss="poisson", learning_rate_init=0.01), (X_REG, Y_COUNTS)),
    (MLPRegressor, dict(loss="poisson", solver="lbfgs"), (X_REG, Y_COUNTS)),
    (MLPRegressor, {}, (X_REG.astype(np.float32), Y_REG)),
]


@pytest.mark.parametrize(
    "Estimator, params, data", CONFIGURATIONS, ids=lambda v: repr(v)[:60]
)
@pytest.mark.parametrize("weighted", [False, True])
def test_same_fit_as_scikit_learn(Estimator, params, data, weighted):
    X, y = data
    weights = np.random.RandomState(1).uniform(0.5, 2, X.shape[0]) if weighted else None
    params = dict(hidden_layer_sizes=(12, 8), max_iter=40, random_state=0) | params
    ours, theirs = _both(
        Estimator, params, lambda m: m.fit(X, y, sample_weight=weights)
    )
    assert_same_model(ours, theirs)
    assert_same_predictions(ours, theirs, X)


@pytest.mark.parametrize("Estimator", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
@pytest.mark.parametrize("early_stopping", [False, True])
def test_same_warm_start_as_scikit_learn(Estimator, solver, early_stopping):
    X, y = IRIS

    def fit_twice(mlp):
        mlp.fit(X, y)
        return mlp.set_params(max_iter=25).fit(X, y)

    params = dict(
        hidden_layer_sizes=(10,),
        solver=solver,
        warm_start=True,
        early_stopping=early_stopping,
        max_iter=15,
        random_state=0,
    )
    assert_same_model(*_both(Estimator, params, fit_twice))


@pytest.mark.parametrize(
    "Estimator, params, data",
    [
        (MLPClassifier, dict(solver="sgd"), IRIS),
        (MLPClassifier, dict(solver="adam"), IRIS),
        (MLPClassifier, dict(solver="adam"), (X_ML, Y_ML)),
        (MLPRegressor, dict(solver="sgd", learning_rate="invscaling"), (X_REG, Y_REG)),
        (MLPRegressor, dict(solver="adam"), (X_REG, Y_REG[:, 0])),
    ],
)
def test_same_partial_fit_as_scikit_learn(Estimator, params, data):
    X, y = data
    weights = np.random.RandomState(0).uniform(0.5, 2, X.shape[0])
    kwargs = {}
    if Estimator is MLPClassifier:
        kwargs["classes"] = np.unique(y) if y.ndim == 1 else np.arange(y.shape[1])

    def partial_fits(mlp):
        for start in (0, 50, 100, 0):
            rows = slice(start, start + 50)
            mlp.partial_fit(X[rows], y[rows], sample_weight=weights[rows], **kwargs)
        return mlp

    params = dict(hidden_layer_sizes=(10,), random_state=0) | params
    ours, theirs = _both(Estimator, params, partial_fits)
    assert_same_model(ours, theirs)
    # The optimiser's state travels with a pickle, as scikit-learn's does.
    ours, theirs = pickle.loads(pickle.dumps(ours)), pickle.loads(pickle.dumps(theirs))
    X_more, y_more = X[:30], y[:30]
    assert_same_model(
        ours.partial_fit(X_more, y_more), theirs.partial_fit(X_more, y_more)
    )


def test_single_class_behaves_as_scikit_learn():
    X, _ = IRIS
    y = np.full(len(X), "only")
    params = dict(hidden_layer_sizes=(5,), max_iter=20, random_state=0)
    ours, theirs = _both(MLPClassifier, params, lambda m: m.fit(X, y))
    assert_same_model(ours, theirs)
    assert_same_predictions(ours, theirs, X)


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("target", ["binary", "multiclass", "multilabel", "poisson"])
def test_gradients_match_finite_differences(activation, target):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 4))
    y = {
        "binary": rng.randint(0, 2, 30),
        "multiclass": rng.randint(0, 3, 30),
        "multilabel": rng.randint(0, 2, (30, 3)),
        "poisson": rng.poisson(2.0, 30),
    }[target]
    Estimator = MLPRegressor if target == "poisson" else MLPClassifier
    loss = {"loss": "poisson"} if target == "poisson" else {}
    mlp = Estimator(
        hidden_layer_sizes=(5, 3), activation=activation, alpha=0.1, max_iter=3, **loss
    )
    mlp.fit(X, y)
    Y = mlp._encode_targets(y)
    weights = rng.uniform(0.5, 2, 30)
    _, coef_grads, intercept_grads = mlp._loss_and_gradients(X, Y, weights)
    for param, grad in zip(
        mlp.coefs_ + mlp.intercepts_, coef_grads + intercept_grads, strict=True
    ):
        for index in [(0,) * param.ndim, tuple(s - 1 for s in param.shape)]:
            old = param[index]
            param[index] = old + 1e-6
            up = mlp._loss_and_gradients(X, Y, weights)[0]
            param[index] = old - 1e-6
            down = mlp._loss_and_gradients(X, Y, weights)[0]
            param[index] = old
            assert grad[index] == pytest.approx((up - down) / 2e-6, rel=1e-4, abs=1e-7)


def test_multi_output_squared_error_is_averaged_over_outputs():
    mlp = MLPRegressor(hidden_layer_sizes=(5,), max_iter=2).fit(X_REG, Y_REG)
    Y = mlp._encode_targets(Y_REG)
    residual = forward(X_REG, mlp.coefs_, mlp.intercepts_, "relu", "identity")[-1] - Y
    penalty = 0.5 * mlp.alpha * sum((W**2).sum() for W in mlp.coefs_) / len(Y)
    expected = 0.5 * (residual**2).mean() + penalty
    assert mlp._loss_and_gradients(X_REG, Y)[0] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_masked_weights_stay_exactly_zero_through_training(solver):
    X, y = IRIS
    mlp = MLPClassifier(hidden_layer_sizes=(8,), solver=solver, max_iter=5)
    mlp.fit(X, y)
    rng = np.random.RandomState(0)
    mlp.masks_ = [rng.uniform(size=W.shape) > 0.5 for W in mlp.coefs_]
    for W, mask in zip(mlp.coefs_, mlp.masks_, strict=True):
        W *= mask
    mlp._train(X, mlp._encode_targets(y), 20, rng)
    mlp.set_params(warm_start=True).fit(X, y)
    if solver != "lbfgs":
        mlp.partial_fit(X, y)
    for W, mask in zip(mlp.coefs_, mlp.masks_, strict=True):
        assert np.all(W[~mask] == 0.0)
        assert np.all(W[mask] != 0.0)


@pytest.mark.parametrize("rows", [PLAN_MIN_ROWS - 1, PLAN_MIN_ROWS])
def test_predictions_follow_in_place_edits(rows):
    mlp = MLPClassifier(hidden_layer_sizes=(20, 10), max_iter=5).fit(X_DIGITS, Y_DIGITS)
    X = X_DIGITS[:rows]

    def plain():
        return forward(X, mlp.coefs_, mlp.intercepts_, "relu", "softmax")[-1]

    np.testing.assert_allclose(mlp.predict_proba(X), plain(), rtol=1e-12)
    mlp.coefs_[0][:] = 0
    np.testing.assert_allclose(mlp.predict_proba(X), plain(), rtol=1e-12)
    mlp.intercepts_[1][3] += 5.0
    np.testing.assert_allclose(mlp.predict_proba(X), plain(), rtol=1e-12)
    mlp.coefs_[2] = mlp.coefs_[2].astype(np.float32)  # a new array, another dtype
    np.testing.assert_allclose(mlp.predict_proba(X), plain(), rtol=1e-6)


def test_unchanged_weights_reuse_the_inference_plan():
    mlp = MLPClassifier(max_iter=5).fit(X_DIGITS, Y_DIGITS)
    mlp.predict(X_DIGITS)
    plan = mlp._inference_plan
    mlp.predict(X_DIGITS)
    assert mlp._inference_plan is plan


def test_predictions_keep_the_weights_dtype():
    X, y = X_DIGITS.astype(np.float32), Y_DIGITS
    mlp = MLPRegressor(hidden_layer_sizes=(5,), max_iter=3).fit(X, y)
    for rows in (PLAN_MIN_ROWS - 1, PLAN_MIN_ROWS):
        assert mlp.predict(X[:rows]).dtype == np.float32
        assert mlp.predict(X_DIGITS[:rows]).dtype == np.float64


def _raised(fit):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit()
        except Exception as error:  # noqa: BLE001 -- compared, not handled
            return type(error), str(error)
    return None


X_IRIS, Y_IRIS = IRIS


def _fit(X=X_IRIS, y=Y_IRIS, **fit_params):
    return lambda mlp: mlp.fit(X, y, **fit_params)


def _partial_fits(*calls):
    def run(mlp):
        for X, y, kwargs in calls:
            mlp.partial_fit(X, y, **kwargs)

    return run


_ALL_CLASSES = (X_IRIS, Y_IRIS, {"classes": [0, 1, 2]})
BAD_INPUTS = {
    "NaN in X": (MLPClassifier, {}, _fit(np.where(X_IRIS > 7, np.nan, X_IRIS))),
    "inf in X": (MLPRegressor, {}, _fit(X_IRIS * np.inf)),
    "3-d X": (MLPClassifier, {}, _fit(X_IRIS[:, :, None])),
    "1-d X": (MLPClassifier, {}, _fit(X_IRIS[:, 0])),
    "string X": (MLPClassifier, {}, _fit(X_IRIS.astype(str).astype(object) + "a")),
    "lengths differ": (MLPClassifier, {}, _fit(y=Y_IRIS[:-1])),
    "no samples": (MLPRegressor, {}, _fit(X_IRIS[:0], Y_IRIS[:0])),
    "continuous classes": (MLPClassifier, {}, _fit(y=np.linspace(0, 1, 150))),
    "bad solver": (MLPClassifier, {"solver": "newton"}, _fit()),
    "negative alpha": (MLPRegressor, {"alpha": -1.0}, _fit()),
    "zero layer": (MLPClassifier, {"hidden_layer_sizes": (5, 0)}, _fit()),
    "bad loss": (MLPRegressor, {"loss": "huber"}, _fit()),
    "float n_iter_no_change": (MLPClassifier, {"n_iter_no_change": 2.5}, _fit()),
    "too small validation set": (
        MLPRegressor,
        {"early_stopping": True},
        _fit(X_IRIS[:3], Y_IRIS[:3]),
    ),
    "stratification impossible": (
        MLPClassifier,
        {"early_stopping": True},
        _fit(X_IRIS[:4], [0, 0, 0, 1]),
    ),
    "wrong feature count": (
        MLPClassifier,
        {"max_iter": 2},
        lambda mlp: mlp.fit(X_IRIS, Y_IRIS).predict(X_IRIS[:, :3]),
    ),
    "predict before fit": (MLPClassifier, {}, lambda mlp: mlp.predict(X_IRIS)),
    "sample weight length": (MLPRegressor, {}, _fit(sample_weight=np.ones(3))),
    "warm start new classes": (
        MLPClassifier,
        {"warm_start": True, "max_iter": 2},
        lambda mlp: mlp.fit(X_IRIS, Y_IRIS).fit(X_IRIS, Y_IRIS + 1),
    ),
    "partial_fit without classes": (
        MLPClassifier,
        {},
        _partial_fits((X_IRIS, Y_IRIS, {})),
    ),
    "partial_fit new class": (
        MLPClassifier,
        {},
        _partial_fits(_ALL_CLASSES, (X_IRIS[:2], [0, 5], {})),
    ),
    "partial_fit other classes": (
        MLPClassifier,
        {},
        _partial_fits(_ALL_CLASSES, (X_IRIS, Y_IRIS, {"classes": [0, 1]})),
    ),
    "partial_fit early stopping": (
        MLPRegressor,
        {"early_stopping": True},
        _partial_fits((X_IRIS, Y_IRIS, {})),
    ),
    "partial_fit lbfgs": (
        MLPClassifier,
        {"solver": "lbfgs"},
        _partial_fits(_ALL_CLASSES),
    ),
    "non-finite weights": (MLPRegressor, {}, _fit(X_IRIS * 1e306)),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_raises_as_scikit_learn(case):
    Estimator, params, fit = BAD_INPUTS[case]
    ours = _raised(lambda: fit(Estimator(**params)))
    theirs = _raised(lambda: fit(SCIKIT_LEARN[Estimator](**params)))
    assert theirs is not None and ours[0] is theirs[0]
    if theirs[0] is not InvalidParameterError:  # its message lists a set
        assert ours[1] == theirs[1]


def test_partial_fit_with_a_new_class_is_scikit_learns_error():
    mlp = MLPClassifier().partial_fit(X_IRIS, Y_IRIS, classes=[0, 1, 2])
    with pytest.raises(ValueError, match=re.escape("`y` has classes not in")):
        mlp.partial_fit(X_IRIS[:2], [0, 5])
