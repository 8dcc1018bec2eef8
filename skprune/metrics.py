"""Size figures for the models skprune prunes."""

import copy
import pickle

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.tree import BaseDecisionTree
from sklearn.utils.validation import check_is_fitted

from .boosting._registry import find_adapter
from .linear import FeaturePruner
from .neural import MLPPruner, to_sklearn
from .neural._mlp_base import BaseMLP
from .neural._quantize import _BaseQuantizedMLP

_FORESTS = (
    RandomForestClassifier,
    RandomForestRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
)
_MLPS = (MLPClassifier, MLPRegressor)


def model_size(model):
    """Report how big a fitted model is, in the units its family prunes.

    Parameters
    ----------
    model : fitted estimator
        Any fitted scikit-learn estimator (or XGBoost model), a fitted
        skprune pruner or a :class:`~sklearn.pipeline.Pipeline`. A pruner is
        measured by the model it deploys (``best_estimator_``, or
        :class:`~skprune.neural.MLPPruner`'s ``estimator_``), never by the
        model it was given; a pipeline by its final step.

    Returns
    -------
    size : dict
        Always ``bytes``: the pickled size of what a deployment stores and
        loads -- the model itself, a pruner's deployed model, skprune's MLPs
        as :func:`~skprune.neural.to_sklearn` exports them, a pipeline with
        each of its steps so replaced.
        Trees add ``leaves``, ``nodes``, ``depth`` and ``features_used``;
        random forests and extra trees add ``trees``, ``leaves`` and
        ``nodes`` (summed over trees); boosted models (scikit-learn's,
        XGBoost's and LightGBM's: every booster of
        :mod:`skprune.boosting`'s registry) add ``rounds``, ``trees`` and
        ``leaves``; linear models
        (and selectors that refit one: :class:`~skprune.linear.FeaturePruner`,
        ``RFE``, ``RFECV``) add ``features`` (used with a nonzero
        coefficient, or kept by the selector) and ``nonzero_coefficients``;
        MLPs (scikit-learn's, and skprune's through their export) add
        ``parameters``, ``nonzero_parameters``, ``neurons`` (per hidden
        layer), ``flops`` per sample (a multiply and an add per nonzero
        weight, an add per bias), ``bytes_dense`` and ``bytes_sparse`` (the
        weights stored as CSR); a model made by
        :func:`~skprune.neural.quantize` is measured as it is pickled and
        adds ``parameters``, ``nonzero_parameters``, ``neurons``, ``flops``,
        ``bits`` and ``bytes_weights`` (its stored integers, scales and
        biases). Any other scikit-learn estimator adds ``parameters`` and
        ``nonzero_parameters``: the floating-point numbers of its fitted
        attributes.

    Raises
    ------
    TypeError
        If the model is not an estimator.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skprune.metrics import model_size
    >>> X, y = load_iris(return_X_y=True)
    >>> tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    >>> size = model_size(tree)
    >>> size["leaves"], size["nodes"], size["depth"], size["features_used"]
    (3, 5, 2, 1)
    """
    deployed = _deployed(model)
    size = {"bytes": len(pickle.dumps(deployed, protocol=pickle.HIGHEST_PROTOCOL))}
    final = deployed[-1] if isinstance(deployed, Pipeline) else deployed
    size.update(_family_size(final))
    return size


def _deployed(model):
    """What a deployment of ``model`` stores."""
    if isinstance(model, Pipeline):
        deployed = copy.copy(model)
        deployed.steps = [(name, _deployed(step)) for name, step in model.steps]
        return deployed
    if hasattr(model, "best_estimator_"):
        return _deployed(model.best_estimator_)
    if isinstance(model, MLPPruner):
        check_is_fitted(model)
        return _deployed(model.estimator_)
    if isinstance(model, BaseMLP):
        return to_sklearn(model)
    return model


def _family_size(model):
    if isinstance(model, BaseDecisionTree):
        return _tree_size(model)
    if isinstance(model, _MLPS):
        return _mlp_size(model)
    if isinstance(model, _BaseQuantizedMLP):
        return _quantized_mlp_size(model)
    if isinstance(model, FeaturePruner) or (
        hasattr(model, "get_support") and hasattr(model, "estimator_")
    ):
        # A selector with its refitted model (ours, RFE, RFECV).
        check_is_fitted(model)
        return _family_size(model.estimator_) | {
            "features": int(model.get_support().sum())
        }
    if hasattr(model, "coef_"):
        return _linear_size(model)
    if isinstance(model, _FORESTS):
        return _forest_size(model)
    booster = find_adapter(model)
    if booster is not None:
        check_is_fitted(model)
        return booster.size(model)
    if isinstance(model, BaseEstimator):
        return _parameters_size(model)
    raise TypeError(
        f"model_size does not know how to measure {type(model).__name__}; it "
        "measures fitted scikit-learn estimators and skprune pruners."
    )


def _parameters_size(model):
    """The floating-point numbers in a fitted estimator's public attributes."""
    check_is_fitted(model)
    arrays = [
        array
        for name, value in vars(model).items()
        if name.endswith("_") and not name.startswith("_")
        for array in (value if isinstance(value, list | tuple) else [value])
        if isinstance(array, np.ndarray) or sp.issparse(array)
    ]
    values = [a.data if sp.issparse(a) else a for a in arrays]
    values = [v for v in values if np.issubdtype(v.dtype, np.floating)]
    return {
        "parameters": int(sum(v.size for v in values)),
        "nonzero_parameters": int(sum(np.count_nonzero(v) for v in values)),
    }


def _mlp_size(mlp):
    check_is_fitted(mlp)
    nonzero = sum(int(np.count_nonzero(W)) for W in mlp.coefs_)
    biases = sum(b.size for b in mlp.intercepts_)
    parameters = sum(W.size for W in mlp.coefs_) + biases
    # CSR: a value and a column index per nonzero, a row pointer per row.
    sparse_bytes = sum(
        (W.itemsize + 4) * np.count_nonzero(W) + 4 * (W.shape[0] + 1)
        for W in mlp.coefs_
    ) + sum(b.nbytes for b in mlp.intercepts_)
    return {
        "parameters": parameters,
        "nonzero_parameters": nonzero + biases,
        "neurons": [W.shape[1] for W in mlp.coefs_[:-1]],
        # A multiply and an add per nonzero weight, an add per bias.
        "flops": 2 * nonzero + biases,
        "bytes_dense": sum(a.nbytes for a in mlp.coefs_ + mlp.intercepts_),
        "bytes_sparse": int(sparse_bytes),
    }


def _quantized_mlp_size(model):
    integers = model.quantized_coefs_
    nonzero = sum(int(np.count_nonzero(Q)) for Q in integers)
    biases = sum(b.size for b in model.intercepts_)
    return {
        "parameters": sum(Q.size for Q in integers) + biases,
        "nonzero_parameters": nonzero + biases,
        "neurons": [Q.shape[1] for Q in integers[:-1]],
        "flops": 2 * nonzero + biases,
        "bits": model.bits,
        "bytes_weights": int(
            sum(stored.nbytes for stored in model.stored_coefs_)
            + sum(a.nbytes for a in model.scales_ + model.intercepts_)
        ),
    }


def _linear_size(model):
    coef = np.asarray(model.coef_)
    coef = coef.reshape(-1, coef.shape[-1])
    return {
        "features": int(np.any(coef != 0, axis=0).sum()),
        "nonzero_coefficients": int(np.count_nonzero(coef)),
    }


def _forest_size(forest):
    check_is_fitted(forest)
    trees = forest.estimators_
    return {
        "trees": len(trees),
        "leaves": int(sum(t.tree_.n_leaves for t in trees)),
        "nodes": int(sum(t.tree_.node_count for t in trees)),
    }


def _tree_size(tree):
    check_is_fitted(tree)
    tree_ = tree.tree_
    internal = tree_.children_left != -1
    return {
        "leaves": int(tree_.n_leaves),
        "nodes": int(tree_.node_count),
        "depth": int(tree_.max_depth),
        "features_used": int(len(set(tree_.feature[internal].tolist()))),
    }
