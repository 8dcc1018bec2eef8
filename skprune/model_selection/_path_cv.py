"""The engine every ``*CV`` pruner shares: one fit per fold, a whole path scored.

A family subclasses :class:`BasePrunerCV` and supplies four hooks:

- ``_path(X, y, **fit_params)``: the path's parameter values and model sizes,
  computed on all data;
- ``_fit_fold(X, y, **fit_params)``: fit once on a training fold;
- ``_score_path(fold_model, X, y, values, scorer)``: score every path point on
  the held-out part, from that one fit;
- ``_fit_best(X, y, path, index, **fit_params)``: the final model on all
  data at ``path.values[index]``, cut from ``path.model`` where possible.

Everything else -- parameter validation, splitting, parallel folds, the
``cv_results_`` table, the selection rule, delegation -- lives here once.
"""

import time
from abc import abstractmethod
from copy import deepcopy
from dataclasses import dataclass
from functools import partial
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import rankdata
from sklearn.base import BaseEstimator, MetaEstimatorMixin, is_classifier
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils import _safe_indexing
from sklearn.utils._tags import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, has_fit_parameter, validate_data

from ..utils._delegation import estimator_has
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_method_params,
    _check_sample_weight,
    _fit_context,
)
from ._rules import select_by_rule


@dataclass(frozen=True)
class PruningPath:
    """The points of a pruning path, from the full model to the smallest.

    Attributes
    ----------
    values : ndarray of shape (n_points,)
        The pruning parameter at every point (``ccp_alpha``, ``n_rounds``...).
    sizes : ndarray of shape (n_points,)
        The size of the model fitted on all data at every point (leaves,
        rounds, features, nonzero weights); ``rule="1se"`` prefers small ones.
    model : object, default=None
        What the family fitted on all data to compute the path (an unpruned
        tree, a boosted model with every round...), so that ``_fit_best`` can
        cut it down instead of fitting again.
    fit_time : float, default=None
        Seconds spent fitting ``model``, for families that score without
        further fits (out-of-bag).
    """

    values: np.ndarray
    sizes: np.ndarray
    model: object = None
    fit_time: float = None


@dataclass(frozen=True)
class SplitScores:
    """Every path point's score on every split, as ``_score_splits`` returns.

    Attributes
    ----------
    scores : ndarray of shape (n_splits, n_points)
        The held-out score of every point on every split.
    fit_times, score_times : ndarray of shape (n_splits,)
        Seconds spent fitting and scoring, per split.
    sem : ndarray of shape (n_points,), default=None
        Standard errors of the mean scores, for families whose splits are not
        k folds (out-of-bag groups); stored as ``cv_results_["sem_test_score"]``
        and used by the 1-SE rule instead of ``std / sqrt(n_splits)``.
    """

    scores: np.ndarray
    fit_times: np.ndarray
    score_times: np.ndarray
    sem: np.ndarray = None


def _fit_and_score_path(pruner, X, y, train, test, path, scorer, fit_params):
    """Fit once on ``train`` and score every path point on ``test``."""
    fold_params = _check_method_params(X, fit_params, train)
    X_train, y_train = _safe_indexing(X, train), _safe_indexing(y, train)
    X_test, y_test = _safe_indexing(X, test), _safe_indexing(y, test)
    if "sample_weight" in fit_params:
        # Held-out scores are weighted too, as GridSearchCV weights them.
        test_weight = _safe_indexing(fit_params["sample_weight"], test)
        scorer = partial(scorer, sample_weight=test_weight)
    start = time.perf_counter()
    fold_model = pruner._fit_fold(X_train, y_train, **fold_params)
    fit_time = time.perf_counter() - start
    scores = pruner._score_path(fold_model, X_test, y_test, path.values, scorer)
    score_time = time.perf_counter() - start - fit_time
    return np.asarray(scores, dtype=float), fit_time, score_time


class BasePrunerCV(MetaEstimatorMixin, BaseEstimator):
    """Base class of the cross-validated pruners: one fit per fold, a whole path.

    Not meant to be used directly: a family subclass supplies the path. See the
    module docstring of ``skprune.model_selection._path_cv`` for the hooks.

    Parameters
    ----------
    estimator : estimator object
        The model to prune. It is cloned, never fitted in place.

    cv : int, cross-validation generator or iterable, default=5
        Determines the cross-validation splitting strategy, as in
        :class:`~sklearn.model_selection.GridSearchCV`.

    scoring : str, callable or None, default=None
        A single scikit-learn scorer (name or callable); ``None`` uses the
        estimator's ``score`` method.

    rule : {"best", "1se"} or float, default="1se"
        How to pick a point of the path; see
        :func:`~skprune.model_selection.select_by_rule`.

    n_jobs : int, default=None
        Number of folds run in parallel through :class:`joblib.Parallel`.
        ``None`` means 1 unless in a :func:`joblib.parallel_config` context.

    verbose : int, default=0
        Verbosity of the fold loop.
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "rule": [StrOptions({"best", "1se"}), Interval(Real, 0, None, closed="left")],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    #: Name of the pruning parameter, as in ``cv_results_["param_<name>"]``.
    _path_param = None
    #: Input a family can prune: sparse formats (False for none) and NaN.
    _accept_sparse = False
    _allow_nan = False

    @abstractmethod
    def __init__(
        self, estimator, *, cv=5, scoring=None, rule="1se", n_jobs=None, verbose=0
    ):
        self.estimator = estimator
        self.cv = cv
        self.scoring = scoring
        self.rule = rule
        self.n_jobs = n_jobs
        self.verbose = verbose

    # -- hooks a family provides -------------------------------------------

    def _check_estimator(self):
        """Raise ``TypeError`` if this family cannot prune ``self.estimator``."""

    def _validate_fit_data(self, X, y):
        """Validate the training data; families may accept more (sparse...)."""
        regression = not is_classifier(self.estimator)
        return validate_data(
            self,
            X,
            y,
            accept_sparse=self._accept_sparse,
            ensure_all_finite=not self._allow_nan or "allow-nan",
            multi_output=regression,
            y_numeric=regression,
        )

    def _validate_predict_data(self, X):
        check_is_fitted(self)
        validate_data(
            self,
            X,
            reset=False,
            accept_sparse=self._accept_sparse,
            ensure_all_finite=not self._allow_nan or "allow-nan",
        )

    @abstractmethod
    def _path(self, X, y, **fit_params):
        """Return the :class:`PruningPath` computed on all data."""

    @abstractmethod
    def _fit_fold(self, X, y, **fit_params):
        """Fit once on a training fold and return what ``_score_path`` needs."""

    @abstractmethod
    def _score_path(self, fold_model, X, y, values, scorer):
        """Score every path value on held-out data; an array of len(values)."""

    @abstractmethod
    def _fit_best(self, X, y, path, index, **fit_params):
        """Return the final model at ``path.values[index]``, on all data."""

    def _check_cv(self, y):
        """The CV splitter; families with string options ("loo") extend it."""
        return check_cv(self.cv, y, classifier=is_classifier(self.estimator))

    def _score_splits(self, X, y, path, scorer, fit_params):
        """Every point's score on every split, as :class:`SplitScores`.

        Runs :func:`_fit_and_score_path` on every split of ``cv`` through
        joblib. A family whose ``cv`` has a special value ("oob", "loo") that
        is better computed another way overrides this and nothing else.
        """
        splits = list(self._check_cv(y).split(X, y, **_groups(fit_params)))
        fit_params = {k: v for k, v in fit_params.items() if k != "groups"}
        parallel = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)
        out = parallel(
            delayed(_fit_and_score_path)(
                self, X, y, train, test, path, scorer, fit_params
            )
            for train, test in splits
        )
        scores, fit_times, score_times = zip(*out, strict=True)
        return SplitScores(
            np.vstack(scores), np.asarray(fit_times), np.asarray(score_times)
        )

    # -- the shared fit ------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Score the whole pruning path by cross-validation and pick a point.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights passed to every fit of the estimator (sliced per fold) and
            to the scorer on the held-out part, as ``GridSearchCV`` does.

        **fit_params : dict
            Passed to the estimator's ``fit``, sliced per fold where they have
            one entry per sample; ``groups`` goes to the CV splitter instead.

        Returns
        -------
        self : object
            Fitted pruner.
        """
        X_given = X
        X, y = self._validate_fit_data(X, y)
        # Inner models see the user's DataFrame, so they keep its column names.
        if hasattr(X_given, "columns"):
            X = X_given
        self._check_estimator()
        if sample_weight is not None:
            if not has_fit_parameter(self.estimator, "sample_weight"):
                raise TypeError(
                    f"{type(self.estimator).__name__}.fit does not accept "
                    "sample_weight, so it cannot be honoured."
                )
            fit_params["sample_weight"] = _check_sample_weight(sample_weight, X)
        path_params = {k: v for k, v in fit_params.items() if k != "groups"}
        path = self._path(X, y, **path_params)
        self.scorer_ = check_scoring(self.estimator, scoring=self.scoring)
        split_scores = self._score_splits(X, y, path, self.scorer_, fit_params)
        self.cv_results_ = self._format_results(path, split_scores)
        self.n_splits_ = split_scores.scores.shape[0]
        self.best_index_ = select_by_rule(self.cv_results_, rule=self.rule)
        best_value = path.values[self.best_index_]
        self.best_params_ = {self._path_param: _as_python(best_value)}
        self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])
        self.best_estimator_ = self._fit_best(
            X, y, path, self.best_index_, **path_params
        )
        return self

    def _format_results(self, path, split_scores):
        scores = split_scores.scores
        fit_times, score_times = split_scores.fit_times, split_scores.score_times
        mean = scores.mean(axis=0)
        std = scores.std(axis=0)
        n_points = len(path.values)
        results = {
            "size": np.asarray(path.sizes),
            f"param_{self._path_param}": np.asarray(path.values),
            "params": [{self._path_param: _as_python(v)} for v in path.values],
            "mean_fit_time": np.full(n_points, fit_times.mean()),
            "std_fit_time": np.full(n_points, fit_times.std()),
            "mean_score_time": np.full(n_points, score_times.mean() / n_points),
        }
        for k, scores_of_split in enumerate(scores):
            results[f"split{k}_test_score"] = scores_of_split
        results["mean_test_score"] = mean
        results["std_test_score"] = std
        if split_scores.sem is not None:
            results["sem_test_score"] = np.asarray(split_scores.sem, dtype=float)
        # rank 1 = best mean, ties share the lower rank, NaN ranks last: as
        # GridSearchCV ranks.
        filled = np.where(np.isnan(mean), -np.inf, mean)
        results["rank_test_score"] = rankdata(-filled, method="min").astype(np.int32)
        return results

    # -- delegation to best_estimator_ ---------------------------------------

    @property
    def classes_(self):
        """Class labels, from ``best_estimator_``."""
        check_is_fitted(self)
        return self.best_estimator_.classes_

    def _delegate(self, method, X):
        self._validate_predict_data(X)
        return getattr(self.best_estimator_, method)(X)

    @available_if(estimator_has("predict", fitted="best_estimator_"))
    def predict(self, X):
        """Predict with ``best_estimator_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions of the pruned model.
        """
        return self._delegate("predict", X)

    @available_if(estimator_has("predict_proba", fitted="best_estimator_"))
    def predict_proba(self, X):
        """Class probabilities from ``best_estimator_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities of the pruned model.
        """
        return self._delegate("predict_proba", X)

    @available_if(estimator_has("predict_log_proba", fitted="best_estimator_"))
    def predict_log_proba(self, X):
        """Log class probabilities from ``best_estimator_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities of the pruned model.
        """
        return self._delegate("predict_log_proba", X)

    @available_if(estimator_has("decision_function", fitted="best_estimator_"))
    def decision_function(self, X):
        """Decision function of ``best_estimator_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Decision function of the pruned model.
        """
        return self._delegate("decision_function", X)

    @available_if(estimator_has("transform", fitted="best_estimator_"))
    def transform(self, X):
        """Transform with ``best_estimator_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        X_new : ndarray
            Transformed data.
        """
        return self._delegate("transform", X)

    @available_if(estimator_has("score", fitted="best_estimator_"))
    def score(self, X, y):
        """Score ``best_estimator_`` on ``X, y`` with ``scoring``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True targets.

        Returns
        -------
        score : float
            The ``scoring`` metric (the estimator's ``score`` if ``None``).
        """
        self._validate_predict_data(X)
        return self.scorer_(self.best_estimator_, X, y)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = deepcopy(inner.classifier_tags)
        tags.regressor_tags = deepcopy(inner.regressor_tags)
        # Classifiers are pruned for one target; regressors may have several.
        if tags.classifier_tags is not None:
            tags.classifier_tags.multi_label = False
        tags.target_tags.multi_output = (
            inner.target_tags.multi_output and tags.classifier_tags is None
        )
        tags.input_tags.sparse = inner.input_tags.sparse and bool(self._accept_sparse)
        tags.input_tags.allow_nan = inner.input_tags.allow_nan and self._allow_nan
        return tags


def _groups(fit_params):
    return {"groups": fit_params["groups"]} if "groups" in fit_params else {}


def _as_python(value):
    """numpy scalars as plain Python numbers, for tidy ``best_params_``."""
    return value.item() if isinstance(value, np.generic) else value
