"""Drop the features whose standardised coefficients are smallest."""

from copy import deepcopy
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.feature_selection import SelectorMixin
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._delegation import estimator_has
from ..utils._input_tags import accepts_missing_values, accepts_sparse
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    RealNotInt,
    _fit_context,
)
from ._elimination import dense_for_least_squares, eliminate, get_importance


def _threshold_value(threshold, importances):
    """A float, "mean", "median" or "<scale>*mean|median", as SelectFromModel."""
    if not isinstance(threshold, str):
        return float(threshold)
    scale, _, reference = threshold.rpartition("*")
    reference = reference.strip()
    if reference not in ("mean", "median"):
        raise ValueError(
            f"threshold={threshold!r}: expected a float, 'mean', 'median' or "
            "'<scale>*mean' / '<scale>*median'."
        )
    value = np.mean(importances) if reference == "mean" else np.median(importances)
    try:
        return float(scale or 1.0) * value
    except ValueError as exc:
        raise ValueError(f"threshold={threshold!r}: cannot read the scale.") from exc


class FeaturePruner(SelectorMixin, MetaEstimatorMixin, BaseEstimator):
    """Remove the features with the smallest standardised coefficients.

    The estimator is fitted, the least important features are dropped, and
    (``step`` at a time) again until ``n_features`` remain; between rounds the
    estimator is warm-started where it supports ``warm_start``
    (``Lasso``, ``ElasticNet``, ``SGD*``...). L2-penalised
    ``LogisticRegression`` is solved at every round by Newton's method in
    numpy, warm-started from the previous round: the same optimum without
    scikit-learn's per-fit set-up. A final cold fit on the kept features gives
    ``estimator_``.

    It is a selector (``transform``, ``get_support``,
    ``get_feature_names_out``, ``set_output``) and a predictor (``predict``,
    ``predict_proba``, ``decision_function``, ``score`` through
    ``estimator_`` on the kept features).

    Parameters
    ----------
    estimator : estimator object
        A supervised estimator with ``coef_`` (or ``feature_importances_``,
        or any, with a callable ``importance``).

    n_features : int, float or None, default=None
        Features to keep: an int, a fraction of the features in ``(0, 1]``,
        or None for half of them (rounded down, at least 1). With
        ``threshold`` it is an upper bound, as ``max_features`` in
        :class:`~sklearn.feature_selection.SelectFromModel`.

    threshold : str or float, default=None
        Keep, in one shot, the features whose importance is at least this:
        a float, ``"mean"``, ``"median"`` or a scaled one such as
        ``"1.25*mean"``.

    step : int or float, default=1
        Features removed per round: an int, or a fraction in ``(0, 1)`` of the
        number of features. ``step >= n_features_in_`` is one-shot pruning.

    importance : "auto", "permutation", str or callable, default="auto"
        ``"auto"``: ``|coef_|`` times the feature's standard deviation in the
        training data (the L2 norm across classes for multiclass models),
        else ``feature_importances_``. ``"permutation"``: the mean drop of the
        estimator's score when a feature is shuffled (5 repeats, see
        :func:`~sklearn.inspection.permutation_importance`), for estimators
        without coefficients (k-NN, RBF SVC); here on the training data,
        in :class:`FeaturePrunerCV` on each fold's held-out part. Any other
        string is an attribute path of the fitted estimator, as ``RFE``'s
        ``importance_getter`` (``"named_steps.logisticregression.coef_"`` for
        a pipeline's step; the norm over classes of its absolute values). A
        callable gets the fitted estimator and returns one value per
        feature.

    warm_start : bool, default=True
        Warm-start the estimator (or the Newton solver) between rounds where
        it supports it.

    prefit : bool, default=False
        ``estimator`` is already fitted on the full data: rank its features
        once, then fit a clone on the kept ones. It is never modified.

    random_state : int, RandomState instance or None, default=None
        Seeds the shuffles of ``importance="permutation"``; unused otherwise.

    Attributes
    ----------
    estimator_ : estimator
        Clone of ``estimator`` fitted on the kept features.

    support_ : ndarray of shape (n_features_in_,)
        Mask of the kept features.

    ranking_ : ndarray of shape (n_features_in_,)
        1 for kept features; larger for features eliminated earlier.

    importances_ : ndarray of shape (n_features_in_,)
        Importance of every feature in the first fit (on all features).

    n_features_ : int
        Number of kept features.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    FeaturePrunerCV : Choose the number of features by cross-validation.
    sklearn.feature_selection.RFE : Recursive elimination with raw coefficients.
    sklearn.feature_selection.SelectFromModel : One-shot thresholding.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skprune.linear import FeaturePruner
    >>> X, y = make_classification(n_samples=300, n_features=10, n_informative=3,
    ...                            n_redundant=0, class_sep=2, shuffle=False,
    ...                            random_state=0)
    >>> pruner = FeaturePruner(LogisticRegression(), n_features=3).fit(X, y)
    >>> pruner.get_support(indices=True)
    array([0, 1, 2])
    >>> pruner.transform(X).shape
    (300, 3)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit"])],
        "n_features": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
            None,
        ],
        "threshold": [Interval(Real, None, None, closed="neither"), str, None],
        "step": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="neither"),
        ],
        "importance": [str, callable],
        "warm_start": ["boolean"],
        "prefit": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        n_features=None,
        threshold=None,
        step=1,
        importance="auto",
        warm_start=True,
        prefit=False,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_features = n_features
        self.threshold = threshold
        self.step = step
        self.importance = importance
        self.warm_start = warm_start
        self.prefit = prefit
        self.random_state = random_state

    def _target_size(self, n_features_in):
        if self.n_features is None:
            return max(1, n_features_in // 2)
        if isinstance(self.n_features, Integral):
            if self.n_features > n_features_in:
                raise ValueError(
                    f"n_features={self.n_features} is more than the "
                    f"{n_features_in} features of X."
                )
            return int(self.n_features)
        return max(1, int(self.n_features * n_features_in))

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Eliminate features, then fit the estimator on the kept ones.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        **fit_params : dict
            Passed to every fit of the estimator.

        Returns
        -------
        self : object
            Fitted pruner.
        """
        X, y = validate_input(self, X, y)
        n_features_in = X.shape[1]
        if self.threshold is not None:
            kept, ranking = self._threshold_support(X, y, fit_params)
        elif self.prefit:
            kept, ranking = self._one_shot_prefit(X, y)
        else:
            first = []
            kept, ranking = eliminate(
                self.estimator,
                X,
                y,
                self._target_size(n_features_in),
                self.step,
                self.importance,
                warm_start=self.warm_start,
                fit_params=fit_params,
                record=lambda kept, est: first.append(est) if not first else None,
                fitted_models=False,
                held_out=self._held_out(X, y),
            )
            self.importances_ = get_importance(
                self.importance, first[0], X, held_out=self._held_out(X, y)
            )
        return self._fit_kept(X, y, kept, ranking, fit_params)

    def _fit_kept(self, X, y, kept, ranking, fit_params):
        """Store the selection and fit ``estimator_`` on the kept features.

        ``FeaturePrunerCV`` also calls it with the kept features of the
        elimination it already ran on the same (validated) data.
        """
        self.support_ = np.zeros(X.shape[1], dtype=bool)
        self.support_[kept] = True
        self.ranking_ = ranking
        self.n_features_ = int(self.support_.sum())
        X_kept = dense_for_least_squares(self.estimator, X[:, self.support_])
        self.estimator_ = clone(self.estimator).fit(X_kept, y, **fit_params)
        return self

    def _held_out(self, X, y):
        """What permutation importance shuffles: here the training data."""
        if self.importance != "permutation":
            return None
        return X, y, check_random_state(self.random_state)

    def _first_fit(self, X, y, fit_params):
        if self.prefit:
            check_is_fitted(self.estimator)
            n_features = getattr(self.estimator, "n_features_in_", X.shape[1])
            if n_features != X.shape[1]:
                raise ValueError(
                    f"prefit=True: the fitted {type(self.estimator).__name__} "
                    f"has {n_features} features, X has {X.shape[1]}."
                )
            return self.estimator
        return clone(self.estimator).fit(X, y, **fit_params)

    def _threshold_support(self, X, y, fit_params):
        self.importances_ = get_importance(
            self.importance,
            self._first_fit(X, y, fit_params),
            X,
            held_out=self._held_out(X, y),
        )
        cut = _threshold_value(self.threshold, self.importances_)
        order = np.argsort(-self.importances_, kind="stable")
        kept = order[self.importances_[order] >= cut]
        if self.n_features is not None:
            kept = kept[: self._target_size(X.shape[1])]
        if len(kept) == 0:
            raise ValueError(
                f"threshold={self.threshold!r} keeps no feature (the largest "
                f"importance is {self.importances_.max():.3g})."
            )
        return np.sort(kept), _rank_by(self.importances_, kept)

    def _one_shot_prefit(self, X, y):
        estimator = self._first_fit(X, None, {})
        self.importances_ = get_importance(
            self.importance, estimator, X, held_out=self._held_out(X, y)
        )
        order = np.argsort(-self.importances_, kind="stable")
        kept = np.sort(order[: self._target_size(X.shape[1])])
        return kept, _rank_by(self.importances_, kept)

    def _get_support_mask(self):
        check_is_fitted(self)
        return self.support_

    @available_if(estimator_has("predict"))
    def predict(self, X):
        """Predict with ``estimator_`` on the kept features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data with all the features seen in fit.

        Returns
        -------
        y_pred : ndarray
            Predictions.
        """
        check_is_fitted(self)
        return self.estimator_.predict(self.transform(X))

    @available_if(estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from ``estimator_`` on the kept features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities.
        """
        check_is_fitted(self)
        return self.estimator_.predict_proba(self.transform(X))

    @available_if(estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of ``estimator_`` on the kept features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        scores : ndarray
            Decision function.
        """
        check_is_fitted(self)
        return self.estimator_.decision_function(self.transform(X))

    @available_if(estimator_has("score"))
    def score(self, X, y, **score_params):
        """Score of ``estimator_`` on the kept features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        y : array-like
            True targets.
        **score_params : dict
            Passed to the estimator's ``score``.

        Returns
        -------
        score : float
            The estimator's score.
        """
        check_is_fitted(self)
        return self.estimator_.score(self.transform(X), y, **score_params)

    @property
    def classes_(self):
        """Class labels of ``estimator_``."""
        check_is_fitted(self)
        return self.estimator_.classes_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = deepcopy(inner.classifier_tags)
        tags.regressor_tags = deepcopy(inner.regressor_tags)
        # A fixed number of features may legitimately cost accuracy (the
        # checks' 2-feature data keeps 1 by default), as scikit-learn's RFE.
        for estimator_tags in (tags.classifier_tags, tags.regressor_tags):
            if estimator_tags is not None:
                estimator_tags.poor_score = True
        tags.target_tags.required = True
        tags.target_tags.multi_output = inner.target_tags.multi_output
        # X reaches the estimator as given, but for the columns dropped.
        tags.input_tags.sparse = accepts_sparse(self.estimator)
        tags.input_tags.allow_nan = accepts_missing_values(self.estimator)
        return tags


def validate_input(pruner, X, y):
    """Validate ``X, y`` for fit, letting through what the estimator takes."""
    return validate_data(
        pruner,
        X,
        y,
        accept_sparse=["csr", "csc"] if accepts_sparse(pruner.estimator) else False,
        ensure_all_finite=(
            "allow-nan" if accepts_missing_values(pruner.estimator) else True
        ),
        multi_output=True,
    )


def _rank_by(importances, kept):
    """1 for kept features, then 2, 3... by decreasing importance."""
    ranking = np.ones(len(importances), dtype=int)
    dropped = np.setdiff1d(np.arange(len(importances)), kept)
    order = dropped[np.argsort(-importances[dropped], kind="stable")]
    ranking[order] = np.arange(2, len(order) + 2)
    return ranking
