"""Every private scikit-learn name skprune uses, imported in one place.

When scikit-learn moves one of these, the fix is a single line here.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import _check_method_params, _check_sample_weight


def prune_fitted_tree(tree, ccp_alpha):
    """Prune a fitted, unpruned tree in place exactly as ``fit`` would.

    ``fit`` grows the tree and then calls ``_prune_tree``; calling it on the
    tree already grown on the same data gives the refitted tree without
    growing it again. Falls back to nothing if scikit-learn renames it: the
    caller then refits.
    """
    prune = getattr(tree, "_prune_tree", None)
    if prune is None:
        return None
    tree.set_params(ccp_alpha=ccp_alpha)
    prune()
    return tree


__all__ = [
    "HasMethods",
    "Interval",
    "RealNotInt",
    "StrOptions",
    "_check_method_params",
    "_check_sample_weight",
    "_fit_context",
    "hist_gradient_boosting_predictors",
    "prune_fitted_tree",
    "set_hist_gradient_boosting_predictors",
    "set_xgboost_booster",
    "validate_params",
]


def hist_gradient_boosting_predictors(model):
    """The per-iteration predictors of a fitted HistGradientBoosting model.

    scikit-learn keeps them in the private ``_predictors`` list (one list of
    per-class predictors per iteration); ``n_iter_`` is its length.
    """
    return model._predictors


def set_hist_gradient_boosting_predictors(model, predictors):
    model._predictors = predictors


def set_xgboost_booster(model, booster):
    """Put ``booster`` inside an XGBoost scikit-learn wrapper (``_Booster``)."""
    model._Booster = booster
