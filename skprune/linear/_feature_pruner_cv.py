"""The number of features, chosen by CV from one elimination sweep per fold."""

import time
from functools import partial
from numbers import Integral

import numpy as np
from sklearn.feature_selection import SelectorMixin
from sklearn.model_selection import LeaveOneOut
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ..model_selection import BasePrunerCV, HeldOutSplit, PruningPath
from ..model_selection._path_cv import warn_groups_ignored
from ..utils._sklearn_compat import Interval, RealNotInt, StrOptions
from ._direct_scores import direct_score
from ._elimination import eliminate, get_importance, path_sizes
from ._feature_pruner import FeaturePruner, validate_input
from ._loo import LeastSquaresFit, supports_closed_form_loo


class FeaturePrunerCV(SelectorMixin, BasePrunerCV):
    """Choose how many features to keep by CV, from one sweep per fold.

    On each fold, **one** backward elimination sweep (warm-started where the
    estimator supports it) fits the estimator at every size from all features
    down to ``min_features_to_select`` and records the held-out score at each.
    The rule picks a size; elimination on all data to that size, then a refit,
    gives ``best_estimator_`` (a fitted :class:`FeaturePruner`).

    For least squares (``LinearRegression``, ``Ridge`` with a scalar
    ``alpha``) with ``cv="loo"``, the leave-one-out errors at every size are
    computed **exactly in closed form** (PRESS: the residual of the fit on all
    data divided by ``1 - h_ii``, intercept unpenalised) instead of refitting
    once per sample.

    Parameters
    ----------
    estimator : estimator object
        A supervised estimator with ``coef_`` (or ``feature_importances_``,
        or any, with a callable ``importance``).

    step : int or float, default=1
        Features removed per round (an int, or a fraction of the features).

    min_features_to_select : int, default=1
        The smallest size scored.

    importance : "auto", "permutation", str or callable, default="auto"
        As in :class:`FeaturePruner`: standardised ``|coef_|`` by default.
        ``"permutation"`` shuffles the features of each fold's held-out
        part (and of all the data for the final model): the fold's sweep then
        runs when it is scored, and its time counts as scoring time.

    warm_start : bool, default=True
        Warm-start the estimator between rounds where it supports it.

    cv : int, cross-validation generator, iterable or "loo", default=5
        As in :class:`~sklearn.model_selection.GridSearchCV`. ``"loo"`` is
        leave-one-out: in closed form for least squares (on a dense copy of
        sparse X: its Gram is dense anyway), otherwise through
        :class:`~sklearn.model_selection.LeaveOneOut` (one sweep per sample).

    scoring : str, callable or None, default=None
        A single scorer; ``None`` uses the estimator's ``score``. With the
        closed-form ``cv="loo"`` the score is always the negative squared
        error of each left-out sample (``None`` or
        ``"neg_mean_squared_error"``; anything else is refused), so every
        sample is a split and the rules compare per-sample squared errors
        (``best_score_`` is one), while ``scorer_`` and ``score`` keep the
        estimator's R², as scikit-learn's regressors do. As with
        ``GridSearchCV(cv=LeaveOneOut())``, sample weights weight the fits,
        and each one-sample score is unweighted.

    rule : {"paired", "best", "1se"} or float, default="paired"
        How to choose; see :func:`~skprune.model_selection.select_by_rule`.

    n_jobs : int, default=None
        Number of folds run in parallel (joblib).

    verbose : int, default=0
        ``1`` prints ``GridSearchCV``'s opening line (folds x candidates);
        ``2`` also one line per fold with its times; higher adds joblib's.

    Attributes
    ----------
    cv_results_ : dict of ndarrays
        One entry per size: ``param_n_features`` and ``size`` (features
        kept), ``split<k>_test_score``, ``mean_test_score``,
        ``std_test_score``, ``rank_test_score``, ``mean_fit_time``,
        ``params``.

    best_index_ : int
        Index of the chosen size.

    best_params_ : dict
        ``{"n_features": k}``.

    best_score_ : float
        Mean score of the chosen size.

    best_estimator_ : FeaturePruner
        Fitted on all data with ``n_features=k``; its ``estimator_`` is the
        estimator refitted on the kept features.

    support_ : ndarray of shape (n_features_in_,)
        Mask of the kept features (``best_estimator_.support_``).

    scorer_ : callable
        The scorer of ``scoring``, which ``score`` uses; the splits of the
        closed-form ``cv="loo"`` are scored by negative squared error.

    n_splits_ : int
        Number of splits (``n_samples`` for leave-one-out).

    classes_ : ndarray of shape (n_classes,)
        Class labels (classifiers only).

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    FeaturePruner : Prune to a given number of features.
    sklearn.feature_selection.RFECV : Recursive elimination with CV.

    Notes
    -----
    With the closed-form leave-one-out, the elimination order is computed
    once on all data and the errors are exact for the models along that
    order (as ``RidgeCV``'s leave-one-out is exact for a given alpha); k-fold
    ``cv`` recomputes the order inside every fold.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sklearn.linear_model import LinearRegression
    >>> from skprune.linear import FeaturePrunerCV
    >>> X, y = make_regression(n_samples=100, n_features=20, n_informative=4,
    ...                        shuffle=False, noise=1.0, random_state=0)
    >>> selector = FeaturePrunerCV(LinearRegression(), cv="loo").fit(X, y)
    >>> selector.get_support(indices=True)
    array([0, 1, 2, 3])
    """

    _parameter_constraints = {
        **BasePrunerCV._parameter_constraints,
        "cv": ["cv_object", StrOptions({"loo"})],
        "step": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="neither"),
        ],
        "min_features_to_select": [Interval(Integral, 1, None, closed="left")],
        "importance": [str, callable],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
    }

    _path_param = "n_features"
    _sparse_formats = ["csr", "csc"]
    _handles_nan = True
    _handles_multi_output_classification = True
    _size_label = "features"

    def __init__(
        self,
        estimator,
        *,
        step=1,
        min_features_to_select=1,
        importance="auto",
        warm_start=True,
        cv=5,
        scoring=None,
        rule="paired",
        n_jobs=None,
        verbose=0,
        random_state=None,
    ):
        super().__init__(
            estimator,
            cv=cv,
            scoring=scoring,
            rule=rule,
            n_jobs=n_jobs,
            verbose=verbose,
        )
        self.step = step
        self.min_features_to_select = min_features_to_select
        self.importance = importance
        self.warm_start = warm_start
        self.random_state = random_state

    def _closed_form_loo(self):
        return self.cv == "loo" and supports_closed_form_loo(self.estimator)

    def _scoring(self):
        # The closed form scores squared errors whatever the estimator's own
        # score is; the plot's label says so. score() stays the regressor's
        # R², as scikit-learn's regressors promise.
        if self._closed_form_loo():
            return "neg_mean_squared_error"
        return self.scoring

    def _check_cv(self, y):
        if self.cv == "loo":
            return LeaveOneOut()
        return super()._check_cv(y)

    def _sweep(self, X, y, fit_params, fitted_models=True, held_out=None):
        """Kept features and fitted estimator at every size, largest first."""
        if self.importance == "permutation" and held_out is None:
            held_out = (X, y)
        if held_out is not None:
            held_out = (*held_out, check_random_state(self.random_state))
        records = []
        eliminate(
            self.estimator,
            X,
            y,
            self.min_features_to_select,
            self.step,
            self.importance,
            warm_start=self.warm_start,
            record=lambda kept, est: records.append((kept.copy(), est)),
            fit_params=fit_params,
            fitted_models=fitted_models,
            held_out=held_out,
        )
        return records

    def _path(self, X, y, **fit_params):
        n_features = X.shape[1]
        if self.min_features_to_select > n_features:
            raise ValueError(
                f"min_features_to_select={self.min_features_to_select} is more "
                f"than the {n_features} features of X."
            )
        sizes = path_sizes(n_features, self.step, self.min_features_to_select)
        # The closed-form LOO scores the elimination on all data: run it once
        # here, score it, and cut the final model from it.
        sweep = None
        if self._closed_form_loo():
            sweep = self._sweep(X, y, fit_params, fitted_models=False)
            if not isinstance(sweep[0][1], LeastSquaresFit):
                # Out of floating point's range: refit without each sample.
                sweep = None
        return PruningPath(values=sizes, sizes=sizes, model=sweep)

    def _fit_fold(self, X, y, **fit_params):
        if self.importance == "permutation":
            # Its importances need the held-out part: sweep when scoring.
            return partial(self._sweep, X, y, fit_params)
        return self._sweep(X, y, fit_params)

    def _score_path(self, fold_model, X, y, values, scorer, score_params):
        if isinstance(fold_model, _LeaveOneOutAnswer):
            return fold_model.scores(y)
        if callable(fold_model):
            fold_model = fold_model(held_out=(X, y))
        if self._closed_form_loo() and self.scoring is None:
            # Refitting where the closed form is out of range: score what it
            # scores, directly as it does (R² is undefined on one sample, and
            # a prediction past the float range is the worst, not an error).
            return np.array(
                [
                    _neg_squared_error(y, est.predict(X[:, kept]))
                    for kept, est in fold_model
                ]
            )
        # Weighted scores keep the scorer.
        if not score_params:
            scorer = direct_score(self.scoring, fold_model[0][1]) or scorer
        return np.array(
            [scorer(est, X[:, kept], y, **score_params) for kept, est in fold_model]
        )

    def _held_out_splits(self, X, y, path, fit_params):
        """Closed-form leave-one-out: one split per sample, from one sweep."""
        if not self._closed_form_loo():
            return super()._held_out_splits(X, y, path, fit_params)
        if self.scoring not in (None, "neg_mean_squared_error"):
            raise ValueError(
                "The closed-form leave-one-out scores squared errors; scoring "
                f"must be None or 'neg_mean_squared_error', got {self.scoring!r}."
            )
        if path.model is None:
            return super()._held_out_splits(X, y, path, fit_params)
        warn_groups_ignored(fit_params, "cv='loo' (one sample held out at a time)")
        start = time.perf_counter()
        # (n_points, n_samples[, n_targets]): every sample's residual at every
        # size, from the model fitted without it.
        residuals = np.stack(
            [least_squares.loo_residuals() for _, least_squares in path.model]
        )
        fit_time = (time.perf_counter() - start) / X.shape[0]
        return [
            HeldOutSplit(
                test=np.array([i]),
                fold_model=_LeaveOneOutAnswer(residuals[:, i]),
                fit_time=fit_time,
            )
            for i in range(X.shape[0])
        ]

    def _fit_best(self, X, y, path, index, **fit_params):
        pruner = FeaturePruner(
            self.estimator,
            n_features=int(path.values[index]),
            step=self.step,
            importance=self.importance,
            warm_start=self.warm_start,
            random_state=self.random_state,
        )
        if path.model is None:
            return pruner.fit(X, y, **fit_params)
        # The same elimination FeaturePruner.fit would run, already done.
        X, y = validate_input(pruner, X, y)
        pruner.importances_ = get_importance(self.importance, path.model[0][1], X)
        kept = path.model[index][0]
        return pruner._fit_kept(X, y, kept, _ranking(path.model, index), fit_params)

    def _get_support_mask(self):
        check_is_fitted(self)
        return self.best_estimator_.support_

    @property
    def support_(self):
        """Mask of the kept features."""
        return self._get_support_mask()


class _LeaveOneOutAnswer:
    """One left-out sample's residuals at every path point, in closed form."""

    def __init__(self, residuals):
        self.residuals = residuals

    def scores(self, y):
        # neg_mean_squared_error of one sample (its weight cancels out, as in
        # GridSearchCV(cv=LeaveOneOut())), without the scorer's per-call
        # validation, which would dominate n_samples x n_points calls.
        squared = self.residuals**2
        return -(squared.mean(axis=1) if squared.ndim == 2 else squared)


def _neg_squared_error(y, y_pred):
    """``neg_mean_squared_error`` without its check that ``y_pred`` is finite."""
    with np.errstate(over="ignore", invalid="ignore"):
        return -np.mean((np.asarray(y, dtype=float) - y_pred) ** 2)


def _ranking(sweep, index):
    """RFE-style ranks after the sweep's first ``index`` eliminations."""
    n_features = len(sweep[0][0])
    ranking = np.ones(n_features, dtype=int)
    for step in range(index):
        dropped = np.setdiff1d(sweep[step][0], sweep[step + 1][0])
        ranking[dropped] = index - step + 1
    return ranking
