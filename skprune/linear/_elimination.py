"""Feature importance and the warm-started backward elimination sweep."""

import warnings
from copy import deepcopy
from numbers import Integral
from operator import attrgetter

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LinearRegression
from sklearn.utils import check_array
from sklearn.utils.sparsefuncs import mean_variance_axis

from ..utils._sklearn_compat import _check_sample_weight, validate_estimator_params
from ._logistic import LogisticTarget, supports_newton_logistic
from ._loo import LeastSquaresDesign, supports_closed_form_loo


def feature_scale(X):
    """Each feature's standard deviation, for sparse X and around NaN too."""
    if sparse.issparse(X):
        return np.sqrt(mean_variance_axis(sparse.csc_matrix(X), axis=0)[1])
    with warnings.catch_warnings():
        # A column of NaN only has no spread to speak of: scale 0.
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nan_to_num(np.nanstd(X, axis=0))


def standardized_importance(estimator, X, scale=None):
    """|coef| times the feature's standard deviation (norm over classes).

    Multiplying by the standard deviation makes the ranking independent of
    the features' units: a coefficient of 0.001 on a feature in grams means
    as much as 1 on the same feature in kilograms. Models without ``coef_``
    fall back on ``feature_importances_``, as ``SelectFromModel`` does.
    ``scale``, the features' standard deviations, saves computing them again.
    """
    if scale is None:
        scale = feature_scale(X)
    if hasattr(estimator, "coef_"):
        return _norm_over_outputs(estimator.coef_) * scale
    if hasattr(estimator, "feature_importances_"):
        return np.asarray(estimator.feature_importances_)
    raise ValueError(
        f"{type(estimator).__name__} has neither coef_ nor feature_importances_; "
        "pass importance as a callable(estimator), an attribute path such as "
        "'named_steps.logisticregression.coef_', or 'permutation'."
    )


def _norm_over_outputs(values):
    """One value per feature: the L2 norm over classes or targets."""
    values = np.asarray(values, dtype=float)
    return np.linalg.norm(values.reshape(-1, values.shape[-1]), axis=0)


def get_importance(importance, estimator, X, scale=None, held_out=None):
    """One importance value per feature of ``X`` for the fitted ``estimator``.

    ``importance`` is ``"auto"`` (standardised ``|coef_|``), ``"permutation"``
    (the drop in score when a feature is shuffled, on ``held_out = (X, y,
    random_state)``), an attribute path of the estimator (its values' norm
    over classes, as ``RFE``'s ``importance_getter``) or a callable.
    """
    if importance == "auto":
        values = standardized_importance(estimator, X, scale)
    elif importance == "permutation":
        X_held, y_held, random_state = held_out
        values = permutation_importance(
            estimator, X_held, y_held, n_repeats=5, random_state=random_state
        ).importances_mean
    elif isinstance(importance, str):
        values = _norm_over_outputs(attrgetter(importance)(estimator))
    else:
        values = np.asarray(importance(estimator), dtype=float)
    if values.shape != (X.shape[1],):
        raise ValueError(
            f"The importance has shape {values.shape}; expected one value per "
            f"feature, ({X.shape[1]},)."
        )
    return values


def dense_for_least_squares(estimator, X):
    """Sparse X made dense for least squares, else X as it is.

    scikit-learn solves least squares on sparse X iteratively (lsqr), to a
    tolerance that can flip a ranking or move a prediction by 1e-7; the
    exact solve needs a Gram that is dense anyway.
    """
    if sparse.issparse(X) and supports_closed_form_loo(estimator):
        return X.toarray()
    return X


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
    held_out=None,
):
    """Backward elimination from all features down to ``n_final`` of them.

    At every size the estimator is fitted on the kept features; with
    ``warm_start`` it starts from its previous solution with the dropped
    features' coefficients removed, which saves most solver iterations.
    L2-penalised ``LogisticRegression`` is solved at every size by a
    warm-started Newton method in numpy (:mod:`skprune.linear._logistic`):
    the same optimum without scikit-learn's per-fit overhead. Other
    estimators are warm-started through their ``warm_start`` parameter where
    they have one.

    Parameters
    ----------
    record : callable, default=None
        ``record(kept, fitted_estimator)`` called at every size, largest first
        (the estimator is a copy, safe to keep).
    held_out : tuple (X, y, random_state), default=None
        The data ``importance="permutation"`` shuffles features of; its X
        has all the features and is cut like the training X.
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
    # Before choosing a solver: the numpy ones read the parameters directly.
    validate_estimator_params(estimator)
    n_features = X.shape[1]
    removed_per_round = n_to_remove(step, n_features)
    rounds = None
    X = dense_for_least_squares(estimator, X)
    # The numpy solvers work on dense, finite X (what these estimators take).
    if not sparse.issparse(X):
        rounds = _LogisticRounds.maybe(estimator, warm_start, fit_params, X)
        if rounds is None and not fitted_models:
            rounds = _LeastSquaresRounds.maybe(estimator, importance, fit_params, X, y)
    if rounds is None:
        rounds = _EstimatorRounds(estimator, warm_start, fit_params)
    kept = np.arange(n_features)
    ranking = np.ones(n_features, dtype=int)
    scale = feature_scale(X) if importance == "auto" else None
    while True:
        X_kept = X[:, kept]
        est = rounds.fit(X_kept, y)
        if record is not None:
            record(kept, est)
        if len(kept) <= n_final:
            return kept, ranking
        values = get_importance(
            importance,
            est,
            X_kept,
            None if scale is None else scale[kept],
            held_out=None if held_out is None else _cut(held_out, kept),
        )
        n_drop = min(removed_per_round, len(kept) - n_final)
        keep_local = np.ones(len(kept), dtype=bool)
        keep_local[np.argsort(values, kind="stable")[:n_drop]] = False
        ranking[~np.isin(np.arange(n_features), kept[keep_local])] += 1
        rounds.drop(keep_local)
        kept = kept[keep_local]


def _cut(held_out, kept):
    X, y, random_state = held_out
    return X[:, kept], y, random_state


class _EstimatorRounds:
    """Fits of the estimator itself, warm-started through ``warm_start``."""

    def __init__(self, estimator, warm_start, fit_params):
        self.estimator = clone(estimator)
        self.fit_params = fit_params
        self.warm = warm_start and supports_warm_start(self.estimator)
        if self.warm:
            self.estimator.set_params(warm_start=True)

    def fit(self, X, y):
        self.estimator.fit(X, y, **self.fit_params)
        return deepcopy(self.estimator)

    def drop(self, keep_local):
        if self.warm and hasattr(self.estimator, "coef_"):
            coef = np.asarray(self.estimator.coef_)[..., keep_local].copy()
            self.estimator.coef_ = coef
        elif self.warm:
            # warm_start means "add trees" to forests and boosting, which
            # cannot continue on other features: refit those cold.
            self.estimator.set_params(warm_start=False)
            self.warm = False


class _LogisticRounds:
    """L2 logistic regression by Newton, started at the previous solution.

    Falls back on the estimator's own fit where Newton does not apply.
    """

    def __init__(self, estimator, warm_start, fit_params):
        self.estimator = estimator
        self.warm = warm_start
        self.fit_params = fit_params
        self.target = None
        self.start = None

    @classmethod
    def maybe(cls, estimator, warm_start, fit_params, X):
        if supports_newton_logistic(estimator) and set(fit_params) <= {"sample_weight"}:
            fit_params = _validated_like_fit(estimator, X, fit_params)
            return cls(estimator, warm_start, fit_params)
        return None

    def fit(self, X, y):
        if self.target is None:  # the same y at every size: encode it once
            sample_weight = self.fit_params.get("sample_weight")
            target = LogisticTarget.maybe(self.estimator, y, sample_weight)
            self.target = target or False
        solution = None if not self.target else self.target.fit(X, self.start)
        if solution is None:
            self.start = None
            return clone(self.estimator).fit(X, y, **self.fit_params)
        self.start = solution if self.warm else None
        return solution.model

    def drop(self, keep_local):
        if self.start is not None:
            self.start = self.start.without(keep_local)


class _LeastSquaresRounds:
    """Least squares solved in numpy, with closed-form LOO residuals.

    The problem on all features is solved at the first size; each later fit
    is downdated from the previous one (see ``LeastSquaresFit.without``).
    """

    def __init__(self, estimator, fit_params):
        self.estimator = estimator
        self.sample_weight = fit_params.get("sample_weight")
        self.current = None

    @classmethod
    def maybe(cls, estimator, importance, fit_params, X, y):
        """The rounds on all of ``X``, or None where they do not apply.

        They do not apply to data whose Gram matrix leaves floating point
        (values near 1e300), which scikit-learn's SVD-based solver still fits.
        """
        if not (
            importance == "auto"
            and supports_closed_form_loo(estimator)
            and set(fit_params) <= {"sample_weight"}
        ):
            return None
        fit_params = _validated_like_fit(estimator, X, fit_params)
        # As LinearRegression and Ridge take y: numeric strings, not letters.
        y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
        rounds = cls(estimator, fit_params)
        design = LeastSquaresDesign(estimator, X, y, rounds.sample_weight)
        if not design.finite:
            return None
        rounds.current = design.fit()
        return rounds

    def fit(self, X, y):
        # The elimination loop's interface: the fit on the current features
        # is already there (solved in ``maybe``, downdated by ``drop``).
        return self.current

    def drop(self, keep_local):
        self.current = self.current.without(keep_local)


def _validated_like_fit(estimator, X, fit_params):
    """``fit_params`` checked as ``estimator.fit`` checks them.

    The numpy solvers stand in for that ``fit``, so they refuse what it
    refuses, with its messages, before any arithmetic (``eliminate`` has
    checked the estimator's parameters).
    """
    if fit_params.get("sample_weight") is None:
        return fit_params
    sample_weight = _check_sample_weight(
        fit_params["sample_weight"],
        X,
        ensure_non_negative=isinstance(estimator, LinearRegression),
    )
    if sample_weight.sum() == 0:
        # scikit-learn divides by it inside the solver (ZeroDivisionError).
        raise ValueError(
            "Sample weights must not sum to 0: "
            f"{type(estimator).__name__} scales its loss by their sum."
        )
    return {**fit_params, "sample_weight": sample_weight}


def path_sizes(n_features, step, n_min):
    """Sizes visited by :func:`eliminate` from all features down to ``n_min``."""
    sizes = [n_features]
    removed = n_to_remove(step, n_features)
    while sizes[-1] > n_min:
        sizes.append(max(n_min, sizes[-1] - removed))
    return np.asarray(sizes)
