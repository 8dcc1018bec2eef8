"""Bring a fitted scikit-learn MLP into skprune, with identical predictions."""

from copy import deepcopy

import numpy as np
from sklearn.base import clone
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.validation import check_is_fitted

from ._mlp import BaseMLP, MLPClassifier, MLPRegressor

_SHARED_PARAMS = set(BaseMLP._parameter_constraints)


def unfitted_skprune_mlp(estimator):
    """skprune's MLP with ``estimator``'s parameters, to train with masks."""
    if isinstance(estimator, BaseMLP):
        return clone(estimator)
    for theirs, ours in (
        (SklearnMLPClassifier, MLPClassifier),
        (SklearnMLPRegressor, MLPRegressor),
    ):
        if isinstance(estimator, theirs):
            params = {
                k: v for k, v in estimator.get_params().items() if k in _SHARED_PARAMS
            }
            if params.get("solver") == "lbfgs":
                params["solver"] = "adam"
            return ours(**params)
    raise TypeError(
        "MLPPruner prunes skprune's MLPClassifier/MLPRegressor or "
        "sklearn.neural_network.MLPClassifier/MLPRegressor; got "
        f"{type(estimator).__name__}."
    )


def to_skprune_mlp(model):
    """A fitted skprune MLP equal to ``model`` (copied, never modified).

    scikit-learn's ``lbfgs`` solver has no minibatch counterpart here, so a
    converted ``lbfgs`` model fine-tunes with ``adam``.
    """
    if isinstance(model, BaseMLP):
        check_is_fitted(model)
        return deepcopy(model)
    if isinstance(model, SklearnMLPClassifier):
        converted = MLPClassifier()
    elif isinstance(model, SklearnMLPRegressor):
        converted = MLPRegressor()
    else:
        raise TypeError(
            "MLPPruner prunes skprune's MLPClassifier/MLPRegressor or a fitted "
            "sklearn.neural_network.MLPClassifier/MLPRegressor; got "
            f"{type(model).__name__}."
        )
    check_is_fitted(model)
    params = {k: v for k, v in model.get_params().items() if k in _SHARED_PARAMS}
    if params.get("solver") == "lbfgs":
        params["solver"] = "adam"
    converted.set_params(**params)
    converted.coefs_ = [np.array(W, dtype=np.float64) for W in model.coefs_]
    converted.intercepts_ = [np.array(b, dtype=np.float64) for b in model.intercepts_]
    converted.masks_ = [np.ones(W.shape, dtype=bool) for W in model.coefs_]
    for name in (
        "n_layers_",
        "n_outputs_",
        "out_activation_",
        "n_features_in_",
        "feature_names_in_",
        "n_iter_",
        "loss_",
    ):
        if hasattr(model, name):
            setattr(converted, name, deepcopy(getattr(model, name)))
    converted.loss_curve_ = list(getattr(model, "loss_curve_", []))
    if isinstance(converted, MLPClassifier):
        converted.classes_ = model.classes_.copy()
        converted._label_binarizer = LabelBinarizer().fit(model.classes_)
    converted._invalidate_sparse()
    return converted
