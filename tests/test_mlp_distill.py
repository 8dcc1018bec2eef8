import warnings
from copy import deepcopy

import numpy as np
import pytest
from scipy.special import softmax
from sklearn.datasets import load_digits, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import LabelBinarizer

from skprune.neural import MLPClassifier, MLPPruner, MLPRegressor

X, Y = load_digits(return_X_y=True)
X = X / 16


@pytest.fixture(scope="module")
def fitted():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MLPClassifier(hidden_layer_sizes=(20,), max_iter=20, random_state=0).fit(
            X, Y
        )


def _logits(model, X):
    hidden = np.maximum(X @ model.coefs_[0] + model.intercepts_[0], 0)
    return hidden @ model.coefs_[1] + model.intercepts_[1]


@pytest.mark.parametrize("alpha, temperature", [(0.5, 2.0), (1.0, 4.0), (0.3, 1.0)])
def test_fine_tuning_fits_the_mix_of_labels_and_soft_targets(
    fitted, alpha, temperature
):
    pruner = MLPPruner(
        fitted,
        sparsity=0.9,
        prefit=True,
        finetune_iter=3,
        distill=alpha,
        temperature=temperature,
        random_state=0,
    ).fit(X, Y)
    # By hand: prune without fine-tuning, then train on the mix.
    model = MLPPruner(fitted, sparsity=0.9, prefit=True, finetune_iter=0).fit(X, Y)
    model = deepcopy(model.estimator_)
    onehot = LabelBinarizer().fit_transform(Y)
    soft = softmax(_logits(fitted, X) / temperature, axis=1)
    model._train(X, (1 - alpha) * onehot + alpha * soft, 3, np.random.RandomState(0))
    for W, W_hand in zip(pruner.estimator_.coefs_, model.coefs_, strict=True):
        np.testing.assert_allclose(W, W_hand, rtol=1e-10, atol=1e-12)


def test_regressor_fine_tunes_towards_the_dense_predictions():
    X, y = make_regression(n_samples=120, n_features=5, noise=5.0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        dense = MLPRegressor(hidden_layer_sizes=(10,), max_iter=50, random_state=0)
        dense.fit(X, y)
    pruner = MLPPruner(
        dense, sparsity=0.5, prefit=True, finetune_iter=2, distill=0.4, random_state=0
    ).fit(X, y)
    model = deepcopy(MLPPruner(dense, sparsity=0.5, prefit=True, finetune_iter=0))
    model = model.fit(X, y).estimator_
    target = 0.6 * y.reshape(-1, 1) + 0.4 * dense.predict(X).reshape(-1, 1)
    model._train(X, target, 2, np.random.RandomState(0))
    np.testing.assert_allclose(pruner.predict(X), model.predict(X), rtol=1e-10)


def test_distill_zero_changes_nothing(fitted):
    params = dict(sparsity=0.8, prefit=True, finetune_iter=2, random_state=0)
    off = MLPPruner(fitted, **params).fit(X, Y)
    zero = MLPPruner(fitted, distill=0.0, temperature=5.0, **params).fit(X, Y)
    np.testing.assert_array_equal(off.estimator_.coefs_[0], zero.estimator_.coefs_[0])


def test_the_lottery_retrains_towards_its_dense_network():
    mlp = MLPClassifier(hidden_layer_sizes=(10,), max_iter=4, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        plain = MLPPruner(mlp, schedule="lottery", n_rounds=1, random_state=0)
        taught = MLPPruner(
            mlp, schedule="lottery", n_rounds=1, distill=0.5, random_state=0
        )
        plain, taught = plain.fit(X, Y), taught.fit(X, Y)
    np.testing.assert_array_equal(plain.masks_[0], taught.masks_[0])
    assert not np.array_equal(plain.estimator_.coefs_[0], taught.estimator_.coefs_[0])


@pytest.mark.parametrize(
    "params, match",
    [
        ({"schedule": "at-init"}, "schedule='at-init' never trains a dense"),
        ({"schedule": "gradual"}, "without prefit never trains a dense"),
    ],
)
def test_distillation_without_a_teacher_is_refused(params, match):
    mlp = MLPClassifier(hidden_layer_sizes=(5,), max_iter=2)
    with pytest.raises(ValueError, match=match):
        MLPPruner(mlp, distill=0.5, **params).fit(X, Y)
    mlp = MLPClassifier(hidden_layer_sizes=(5,), max_iter=2, early_stopping=True)
    with pytest.raises(ValueError, match="early_stopping=False"):
        MLPPruner(mlp, distill=0.5).fit(X, Y)
