"""Feature importance and the warm-started backward elimination sweep."""

from copy import deepcopy
from numbers import Integral

import numpy as np
from sklearn.base import clone

from ._loo import LeastSquaresFit, supports_closed_form_loo


def standardized_importance(estimator, X):
    """|coef| times the feature's standard deviation (norm over classes).

    Multiplying by the standard deviation makes the ranking independent of
    the features' units: a coefficient of 0.001 on a feature in grams means
    as much as 1 on the same feature in kilograms. Models without ``coef_``
    fall back on ``feature_importances_``, as ``SelectFromModel`` does.
    """
    scale = np.asarray(X).std(axis=0)
    if hasattr(estimator, "coef_"):
        coef = np.asarray(estimator.coef_)
        coef = coef.reshape(-1, coef.shape[-1])
        return np.linalg.norm(coef * scale, axis=0)
    if hasattr(estimator, "feature_importances_"):
        return np.asarray(estimator.feature_importances_)
    raise ValueError(
        f"{type(estimator).__name__} has neither coef_ nor feature_importances_; "
        "pass importance=callable(estimator) returning one value per feature."
    )


def get_importance(importance, estimator, X):
    if importance == "auto":
        values = standardized_importance(estimator, X)
    else:
        values = np.asarray(importance(estimator), dtype=float)
    if values.shape != (X.shape[1],):
        raise ValueError(
            f"The importance has shape {values.shape}; expected one value per "
            f"feature, ({X.shape[1]},)."
        )
    return values


def n_to_remove(step, n_features_in):
    """Features removed per round: an int, or a fraction of all features."""
    if isinstance(step, Integral):
        return int(step)
    return max(1, int(step * n_features_in))


def supports_warm_start(estimator):
    return "warm_start" in estimator.get_params()


def eliminate(
    estimator,
    X,
    y,
    n_final,
    step,
    importance,
    warm_start=True,
    record=None,
    fit_params=None,
    fitted_models=True,
):
    """Backward elimination from all features down to ``n_final`` of them.

    At every size the estimator is fitted on the kept features; with
    ``warm_start`` (and an estimator that has the parameter) it starts from
    its previous solution with the dropped features' coefficients removed,
    which saves most solver iterations.

    Parameters
    ----------
    record : callable, default=None
        ``record(kept, fitted_estimator)`` called at every size, largest first
        (the estimator is a copy, safe to keep).
    fitted_models : bool, default=True
        Whether ``record`` needs real fitted estimators. If not, least squares
        (``LinearRegression``, ``Ridge``) are solved directly in numpy at
        every size -- the same coefficients without scikit-learn's per-fit
        overhead -- and ``record`` gets a
        :class:`~skprune.linear._loo.LeastSquaresFit` (``coef_`` and
        ``loo_residuals()``).

    Returns
    -------
    kept : ndarray of int
        Indices of the features kept.
    ranking : ndarray of shape (n_features,)
        1 for kept features, larger for features eliminated earlier.
    """
    fit_params = fit_params or {}
    n_features = X.shape[1]
    removed_per_round = n_to_remove(step, n_features)
    est = clone(estimator)
    warm = warm_start and supports_warm_start(est)
    if warm:
        est.set_params(warm_start=True)
    kept = np.arange(n_features)
    ranking = np.ones(n_features, dtype=int)
    direct = (
        not fitted_models
        and importance == "auto"
        and supports_closed_form_loo(estimator)
        and set(fit_params) <= {"sample_weight"}
    )
    while True:
        if direct:
            est = LeastSquaresFit(
                estimator, X[:, kept], y, fit_params.get("sample_weight")
            )
        else:
            est.fit(X[:, kept], y, **fit_params)
        if record is not None:
            record(kept, est if direct else deepcopy(est))
        if len(kept) <= n_final:
            return kept, ranking
        values = get_importance(importance, est, X[:, kept])
        n_drop = min(removed_per_round, len(kept) - n_final)
        keep_local = np.ones(len(kept), dtype=bool)
        keep_local[np.argsort(values, kind="stable")[:n_drop]] = False
        ranking[~np.isin(np.arange(n_features), kept[keep_local])] += 1
        if warm and hasattr(est, "coef_"):
            est.coef_ = np.asarray(est.coef_)[..., keep_local].copy()
        elif warm:
            # warm_start means "add trees" to forests and boosting, which
            # cannot continue on other features: refit those cold.
            est.set_params(warm_start=False)
            warm = False
        kept = kept[keep_local]


def path_sizes(n_features, step, n_min):
    """Sizes visited by :func:`eliminate` from all features down to ``n_min``."""
    sizes = [n_features]
    removed = n_to_remove(step, n_features)
    while sizes[-1] > n_min:
        sizes.append(max(n_min, sizes[-1] - removed))
    return np.asarray(sizes)
