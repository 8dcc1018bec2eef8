"""Every private scikit-learn name skprune uses, imported in one place.

When scikit-learn moves one of these, the fix is a single line here.
"""

import warnings

from sklearn.base import _fit_context
from sklearn.linear_model._base import LinearClassifierMixin
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils.fixes import _get_additional_lbfgs_options_dict
from sklearn.utils.multiclass import _check_partial_fit_first_call
from sklearn.utils.optimize import _check_optimize_result
from sklearn.utils.validation import _check_method_params, _check_sample_weight


def _missing(owner, name):
    """Warn that a private name skprune relies on is gone; the caller falls back."""
    warnings.warn(
        f"{owner} no longer has {name}, which skprune's fast path uses: "
        "falling back to a slower route (a refit). Please report this to "
        "skprune.",
        UserWarning,
        stacklevel=4,
    )


def validate_estimator_params(estimator):
    """Check a wrapped estimator's parameters as its own ``fit`` would.

    A pruner that overrides one of them (``ccp_alpha``) or solves the problem
    without calling ``fit`` (the numpy solvers) must still refuse what
    ``fit`` refuses, with scikit-learn's ``InvalidParameterError``. Estimators
    without ``_parameter_constraints`` (XGBoost, LightGBM) check in ``fit``.
    """
    if not hasattr(estimator, "_parameter_constraints"):
        return
    if not hasattr(estimator, "_validate_params"):
        warnings.warn(
            f"{type(estimator).__name__} no longer has _validate_params, which "
            "skprune uses to check its parameters before the first fit: they "
            "are checked by each fit instead. Please report this to skprune.",
            UserWarning,
            stacklevel=3,
        )
        return
    estimator._validate_params()


def prune_fitted_tree(tree, ccp_alpha):
    """Prune a fitted, unpruned tree in place exactly as ``fit`` would.

    ``fit`` grows the tree and then calls ``_prune_tree``; calling it on the
    tree already grown on the same data gives the refitted tree without
    growing it again. Returns None, with a warning, if scikit-learn renames
    it: the caller then refits.
    """
    prune = getattr(tree, "_prune_tree", None)
    if prune is None:
        _missing(type(tree).__name__, "_prune_tree")
        return None
    tree.set_params(ccp_alpha=ccp_alpha)
    prune()
    return tree


__all__ = [
    "LinearClassifierMixin",
    "_safe_indexing",
    "forest_training_size",
    "MLP_BEST_WEIGHTS",
    "MLP_PRIVATE_STATE",
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "Options",
    "RealNotInt",
    "StrOptions",
    "_check_method_params",
    "_check_optimize_result",
    "_check_partial_fit_first_call",
    "_check_sample_weight",
    "_fit_context",
    "hist_gradient_boosting_predictors",
    "lbfgs_iprint_option",
    "prune_fitted_tree",
    "set_hist_gradient_boosting_predictors",
    "set_lightgbm_booster",
    "set_xgboost_booster",
    "validate_estimator_params",
    "validate_params",
]


def forest_training_size(forest):
    """Rows a fitted forest was trained on, from which its bags were drawn.

    ``estimators_samples_`` indexes rows of that training set; scikit-learn
    keeps its size in the private ``_n_samples``. None if it is gone (the
    caller then cannot check that X is that training set).
    """
    size = getattr(forest, "_n_samples", None)
    if size is None:
        warnings.warn(
            "scikit-learn's forests no longer store _n_samples: skprune cannot "
            "check that X is the training set of a prefitted forest.",
            UserWarning,
            stacklevel=3,
        )
    return size


def hist_gradient_boosting_predictors(model):
    """The per-iteration predictors of a fitted HistGradientBoosting model.

    scikit-learn keeps them in the private ``_predictors`` list (one list of
    per-class predictors per iteration); ``n_iter_`` is its length. None,
    with a warning, if it is gone.
    """
    predictors = getattr(model, "_predictors", None)
    if predictors is None:
        _missing(type(model).__name__, "_predictors")
    return predictors


def set_hist_gradient_boosting_predictors(model, predictors):
    model._predictors = predictors


def set_xgboost_booster(model, booster):
    """Put ``booster`` inside an XGBoost scikit-learn wrapper (``_Booster``).

    Returns False, with a warning, if the wrapper no longer keeps it there.
    """
    if not hasattr(model, "_Booster"):
        _missing(type(model).__name__, "_Booster")
        return False
    model._Booster = booster
    return True


def set_lightgbm_booster(model, booster, best_iteration):
    """Put ``booster`` inside a LightGBM scikit-learn wrapper.

    LightGBM keeps it in ``_Booster`` and the best round in
    ``_best_iteration``. Returns False, with a warning, if either is gone.
    """
    for name in ("_Booster", "_best_iteration"):
        if not hasattr(model, name):
            _missing(type(model).__name__, name)
            return False
    model._Booster = booster
    model._best_iteration = best_iteration
    return True


def lbfgs_iprint_option(iprint):
    """L-BFGS-B's ``iprint`` option where scipy still takes it (before 1.15)."""
    return _get_additional_lbfgs_options_dict("iprint", iprint)


# The private attributes of a fitted scikit-learn MLP that its own methods
# read besides the public fitted ones: ``predict`` decodes labels through
# ``_label_binarizer``; warm starts and ``partial_fit`` continue
# ``_no_improvement_count``; an early-stopped warm start falls back on
# ``_best_coefs`` and ``_best_intercepts``.
MLP_PRIVATE_STATE = ("_label_binarizer", "_no_improvement_count")
MLP_BEST_WEIGHTS = ("_best_coefs", "_best_intercepts")
