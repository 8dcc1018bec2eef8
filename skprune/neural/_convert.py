"""Between scikit-learn's MLPs and skprune's: every setting and fitted attribute kept.

The two share their parameters, their fitted attributes and the private
state scikit-learn's own methods read (``MLP_PRIVATE_STATE``); skprune's adds
``masks_``. Conversion copies, so the given model is never modified.
"""

from copy import deepcopy

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor
from sklearn.utils.validation import check_is_fitted

from ..utils._sklearn_compat import MLP_BEST_WEIGHTS, MLP_PRIVATE_STATE
from ._mlp import MLPClassifier, MLPRegressor
from ._mlp_base import BaseMLP

_SKPRUNE_CLASS = {
    SklearnMLPClassifier: MLPClassifier,
    SklearnMLPRegressor: MLPRegressor,
}


def to_sklearn(model):
    """The fitted scikit-learn MLP equal to a fitted skprune MLP.

    What to deploy: it predicts as ``model`` does and loads where skprune is
    not installed. A weight-pruned model keeps its zeros in dense
    ``coefs_`` (``joblib.dump(..., compress=3)`` stores them in almost no
    space); a neuron-pruned one has its smaller layers. Parameters and
    fitted attributes are copied (the given model is never modified); so
    ``partial_fit`` and warm starts work on it, with a fresh optimiser.

    Parameters
    ----------
    model : MLPClassifier or MLPRegressor
        A fitted skprune MLP, such as ``MLPPruner(...).estimator_`` or
        ``MLPPrunerCV(...).best_estimator_``.

    Returns
    -------
    exported : sklearn.neural_network.MLPClassifier or MLPRegressor
        A fitted scikit-learn MLP with the same parameters and weights.

    Raises
    ------
    TypeError
        If ``model`` is not one of skprune's MLPs.

    Examples
    --------
    >>> import pickle
    >>> from sklearn.datasets import load_iris
    >>> from skprune.neural import MLPClassifier, MLPPruner, to_sklearn
    >>> X, y = load_iris(return_X_y=True)
    >>> mlp = MLPClassifier(hidden_layer_sizes=(20,), solver="lbfgs", random_state=0)
    >>> pruner = MLPPruner(mlp, sparsity=0.5, granularity="neuron").fit(X, y)
    >>> deployed = to_sklearn(pruner.estimator_)
    >>> deployed
    MLPClassifier(hidden_layer_sizes=(10,), random_state=0, solver='lbfgs')
    >>> (deployed.predict(X) == pruner.predict(X)).all()
    np.True_
    >>> blob = pickle.dumps(deployed)  # loads with scikit-learn alone
    """
    if isinstance(model, SklearnMLPClassifier | SklearnMLPRegressor):
        raise TypeError(
            f"This {type(model).__name__} is scikit-learn's already: deploy it "
            "as it is. to_sklearn exports skprune's MLPs."
        )
    if not isinstance(model, BaseMLP):
        raise TypeError(
            "to_sklearn exports skprune's fitted MLPClassifier or MLPRegressor; "
            f"got {type(model).__name__}. A pruner's model is its estimator_ "
            "(MLPPruner) or best_estimator_ (MLPPrunerCV)."
        )
    check_is_fitted(model)
    cls = SklearnMLPClassifier if is_classifier(model) else SklearnMLPRegressor
    exported = _copy_state(model, cls(**model.get_params()), skip={"masks_"})
    # As scikit-learn leaves them after an early-stopped fit.
    for name, weights in zip(MLP_BEST_WEIGHTS, ("coefs_", "intercepts_"), strict=True):
        setattr(exported, name, getattr(exported, weights))
    return exported


def to_skprune_mlp(model):
    """A fitted skprune MLP equal to a fitted one of skprune or scikit-learn."""
    if isinstance(model, BaseMLP):
        check_is_fitted(model)
        return deepcopy(model)
    converted = unfitted_skprune_mlp(model)
    check_is_fitted(model)
    _copy_state(model, converted)
    converted.masks_ = [np.ones(W.shape, dtype=bool) for W in model.coefs_]
    return converted


def unfitted_skprune_mlp(estimator):
    """skprune's MLP with ``estimator``'s parameters, to train with masks.

    Every parameter is kept: one skprune does not know, or a value it does
    not take, is an error, never a silent change.
    """
    if isinstance(estimator, BaseMLP):
        return clone(estimator)
    for theirs, ours in _SKPRUNE_CLASS.items():
        if isinstance(estimator, theirs):
            cls = ours
            break
    else:
        raise TypeError(
            "MLPPruner prunes skprune's MLPClassifier/MLPRegressor or "
            "sklearn.neural_network.MLPClassifier/MLPRegressor; got "
            f"{type(estimator).__name__}."
        )
    params = estimator.get_params()
    unknown = sorted(set(params) - set(cls._get_param_names()))
    if unknown:
        raise ValueError(
            f"skprune's {cls.__name__} has no parameter {unknown}, which this "
            f"scikit-learn {cls.__name__} sets; it cannot be converted."
        )
    converted = cls(**params)
    converted._validate_params()
    return converted


def _copy_state(source, target, skip=()):
    """Copy fitted attributes and the private state both classes share."""
    for name, value in vars(source).items():
        fitted = name.endswith("_") and not name.startswith("_")
        if (fitted or name in MLP_PRIVATE_STATE) and name not in skip:
            setattr(target, name, deepcopy(value))
    return target
