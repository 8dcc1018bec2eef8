"""The engine every ``*CV`` pruner shares: one fit per fold, a whole path scored.

A family subclasses :class:`BasePrunerCV` and supplies four hooks:

- ``_path(X, y, **fit_params)``: the path's parameter values and model sizes,
  computed on all data;
- ``_fit_fold(X, y, **fit_params)``: fit once on a training fold;
- ``_score_path(fold_model, X, y, values, scorer, score_params)``: score
  every path point on the held-out part, from that one fit;
- ``_fit_best(X, y, path, index, **fit_params)``: the final model on all
  data at ``path.values[index]``, cut from ``path.model`` where possible.

Where held-out answers come from is a list of :class:`HeldOutSplit`: the
folds of ``cv`` by default (one ``_fit_fold`` each), or splits whose fold
model is already computed from a single fit -- out-of-bag groups of a forest,
closed-form leave-one-out -- which a family returns from
``_held_out_splits``. The engine scores every split the same way, weighted
the same way, and every rule sees the same per-split scores.

Everything else -- parameter validation, splitting, parallel folds, the
``cv_results_`` table, the selection rule, delegation -- lives here once.
X reaches the hooks as the validated array (never a DataFrame).
"""

import time
import warnings
from abc import ABCMeta, abstractmethod
from copy import deepcopy
from dataclasses import dataclass
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import rankdata
from sklearn.base import BaseEstimator, MetaEstimatorMixin, is_classifier
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, has_fit_parameter, validate_data

from ..utils._delegation import estimator_has
from ..utils._feature_names import carry_feature_names
from ..utils._input_tags import (
    accepts_missing_values,
    accepts_sparse,
    check_no_lost_categories,
)
from ..utils._prefit import check_prefit_targets
from ..utils._sklearn_compat import (
    HasMethods,
    StrOptions,
    _check_method_params,
    _check_sample_weight,
    _fit_context,
    _safe_indexing,
    validate_estimator_params,
)
from ._rules import RULE_CONSTRAINT, select_by_rule


@dataclass(frozen=True)
class PruningPath:
    """The points of a pruning path, from the full model to the smallest.

    Attributes
    ----------
    values : ndarray of shape (n_points,)
        The pruning parameter at every point (``ccp_alpha``, ``n_rounds``...).
    sizes : ndarray of shape (n_points,)
        The size of the model fitted on all data at every point (leaves,
        rounds, features, nonzero weights); the rules prefer small ones.
    model : object, default=None
        What the family fitted on all data to compute the path (an unpruned
        tree, a boosted model with every round...), so that ``_fit_best`` can
        cut it down instead of fitting again.
    fit_time : float, default=None
        Seconds spent fitting ``model``, for families whose held-out splits
        come from that one fit (out-of-bag).
    """

    values: np.ndarray
    sizes: np.ndarray
    model: object = None
    fit_time: float = None


@dataclass(frozen=True)
class HeldOutSplit:
    """One split: rows to score, and the model that never saw them.

    Attributes
    ----------
    test : ndarray of int
        The held-out rows.
    train : ndarray of int, default=None
        The rows ``_fit_fold`` fits on; None when ``fold_model`` is given.
    fold_model : object, default=None
        What ``_score_path`` needs, already computed from a fit that never
        saw ``test`` (a forest's out-of-bag trees, a closed-form
        leave-one-out fit).
    fit_time : float, default=0.0
        Seconds spent computing ``fold_model``.
    """

    test: np.ndarray
    train: np.ndarray = None
    fold_model: object = None
    fit_time: float = 0.0


@dataclass(frozen=True)
class SplitScores:
    """Every path point's score on every split, as ``_score_splits`` returns.

    Attributes
    ----------
    scores : ndarray of shape (n_splits, n_points)
        The held-out score of every point on every split.
    fit_times, score_times : ndarray of shape (n_splits,)
        Seconds spent fitting and scoring, per split.
    """

    scores: np.ndarray
    fit_times: np.ndarray
    score_times: np.ndarray


def _fit_and_score_path(pruner, X, y, split, path, scorer, fit_params, progress):
    """Score every path point on ``split.test``, fitting on ``split.train`` first.

    Held-out scores are weighted by the held-out rows' ``sample_weight``, as
    ``GridSearchCV`` weights them, on every route. ``progress`` is ``(k,
    n_splits)``, for the line ``verbose >= 2`` prints.
    """
    X_test, y_test = _safe_indexing(X, split.test), _safe_indexing(y, split.test)
    score_params = {}
    if "sample_weight" in fit_params:
        score_params["sample_weight"] = fit_params["sample_weight"][split.test]
        if score_params["sample_weight"].sum() == 0:
            # Negative weights can cancel out on a split: a weighted mean over
            # no weight is undefined, so the split gives no score (the rules
            # leave it out) where GridSearchCV would make every mean NaN.
            return np.full(len(path.values), np.nan), 0.0, 0.0
    start = time.perf_counter()
    fold_model, fit_time = split.fold_model, split.fit_time
    if fold_model is None:
        fold_params = _check_method_params(X, fit_params, split.train)
        X_train = _safe_indexing(X, split.train)
        y_train = _safe_indexing(y, split.train)
        fold_model = pruner._fit_fold(X_train, y_train, **fold_params)
        fit_time = time.perf_counter() - start
        start = time.perf_counter()
    scores = pruner._score_path(
        fold_model, X_test, y_test, path.values, scorer, score_params
    )
    score_time = time.perf_counter() - start
    if pruner.verbose >= 2:
        k, n_splits = progress
        print(
            f"[CV {k + 1}/{n_splits}] fit {fit_time:.3f}s, "
            f"{len(path.values)} points scored {score_time:.3f}s"
        )
    return np.asarray(scores, dtype=float), fit_time, score_time


class BasePrunerCV(MetaEstimatorMixin, BaseEstimator, metaclass=ABCMeta):
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

    rule : {"paired", "best", "1se"} or float, default="paired"
        How to pick a point of the path; see
        :func:`~skprune.model_selection.select_by_rule`.

    n_jobs : int, default=None
        Number of folds run in parallel through :class:`joblib.Parallel`.
        ``None`` means 1 unless in a :func:`joblib.parallel_config` context.

    verbose : int, default=0
        ``1`` prints ``GridSearchCV``'s opening line (folds x candidates, and
        the fits made); ``2`` also one line per fold with its times; higher
        values add joblib's messages.
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "cv": ["cv_object"],
        # Multi-metric forms pass here to be refused by name in ``fit``.
        "scoring": [StrOptions(set(get_scorer_names())), callable, None, dict, list],
        "rule": RULE_CONSTRAINT,
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    #: Name of the pruning parameter, as in ``cv_results_["param_<name>"]``.
    _path_param = None
    #: What a family's own code can handle: sparse formats (False for none)
    #: and NaN. The estimator's tags decide too (see ``_accept_sparse``).
    _sparse_formats = False
    _handles_nan = False
    #: Whether the family prunes classifiers of several targets (regressors of
    #: several targets are pruned wherever the estimator fits them).
    _handles_multi_output_classification = False

    @property
    def _accept_sparse(self):
        """Sparse formats accepted: the family's, if the estimator takes them."""
        if not self._sparse_formats or not accepts_sparse(self.estimator):
            return False
        return self._sparse_formats

    @property
    def _allow_nan(self):
        """NaN accepted where the family and the estimator both handle it."""
        return self._handles_nan and accepts_missing_values(self.estimator)

    @abstractmethod
    def __init__(
        self, estimator, *, cv=5, scoring=None, rule="paired", n_jobs=None, verbose=0
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
        """Validate the training data as far as family and estimator allow."""
        check_no_lost_categories(self.estimator, X)
        regression = not is_classifier(self.estimator)
        return validate_data(
            self,
            X,
            y,
            accept_sparse=self._accept_sparse,
            ensure_all_finite=not self._allow_nan or "allow-nan",
            # Floats as the trees, forests, boosters and MLPs take X: numeric
            # strings too, which dtype="numeric" would refuse.
            dtype=[np.float64, np.float32],
            multi_output=get_tags(self).target_tags.multi_output,
            y_numeric=regression,
        )

    def _scoring(self):
        """What the splits are scored by, for labels: ``scoring`` as given."""
        return self.scoring

    def _selection_rule(self):
        """The rule :func:`select_by_rule` applies: ``rule`` as given."""
        return self.rule

    def _check_sample_weight(self, sample_weight, X):
        """Validate ``sample_weight`` as the estimator's ``fit`` would."""
        return _check_sample_weight(sample_weight, X)

    def _validate_predict_data(self, X):
        check_is_fitted(self)
        validate_data(
            self,
            X,
            reset=False,
            accept_sparse=self._accept_sparse,
            ensure_all_finite=not self._allow_nan or "allow-nan",
            dtype=[np.float64, np.float32],
        )

    @abstractmethod
    def _path(self, X, y, **fit_params):
        """Return the :class:`PruningPath` computed on all data."""

    @abstractmethod
    def _fit_fold(self, X, y, **fit_params):
        """Fit once on a training fold and return what ``_score_path`` needs."""

    @abstractmethod
    def _score_path(self, fold_model, X, y, values, scorer, score_params):
        """Score every path value on held-out data; an array of len(values).

        ``score_params`` (the held-out rows' ``sample_weight``, if any) go to
        every ``scorer`` call.
        """

    @abstractmethod
    def _fit_best(self, X, y, path, index, **fit_params):
        """Return the final model at ``path.values[index]``, on all data."""

    def _fitted_estimator(self, X, y):
        """A copy of the user's fitted estimator, for ``prefit=True``.

        It must be fitted (``NotFittedError`` otherwise) on X's features and
        on y's classes or outputs.
        """
        check_is_fitted(self.estimator)
        n_features = getattr(self.estimator, "n_features_in_", X.shape[1])
        if n_features != X.shape[1]:
            raise ValueError(
                f"prefit=True: the fitted {type(self.estimator).__name__} has "
                f"{n_features} features, X has {X.shape[1]}."
            )
        check_prefit_targets(self.estimator, y)
        return deepcopy(self.estimator)

    def _check_cv(self, y):
        """The CV splitter; families with string options ("loo") extend it."""
        return check_cv(self.cv, y, classifier=is_classifier(self.estimator))

    def _held_out_splits(self, X, y, path, fit_params):
        """The splits to score, as a list of :class:`HeldOutSplit`.

        The folds of ``cv`` by default. A family whose ``cv`` has a special
        value ("oob", "loo") returns splits whose fold models come from the
        one fit in ``path.model``.
        """
        cv = self._check_cv(y)
        return [
            HeldOutSplit(test=test, train=train)
            for train, test in cv.split(X, y, **_groups(fit_params))
        ]

    def _score_splits(self, X, y, path, scorer, fit_params):
        """Every point's score on every split, as :class:`SplitScores`.

        Splits that need a fit run through joblib; splits whose fold model is
        already computed are scored in this process.
        """
        splits = self._held_out_splits(X, y, path, fit_params)
        if len(splits) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 cross-validation "
                f"splits to compare the points of its path; cv={self.cv!r} "
                f"gives {len(splits)} on n_samples={X.shape[0]}."
            )
        fit_params = {k: v for k, v in fit_params.items() if k != "groups"}
        to_fit = [i for i, split in enumerate(splits) if split.fold_model is None]
        if self.verbose > 0:
            self._announce(len(splits), len(to_fit), len(path.values))
        parallel = Parallel(n_jobs=self.n_jobs, verbose=max(0, self.verbose - 2))
        fitted = iter(
            parallel(
                delayed(_fit_and_score_path)(
                    self, X, y, splits[i], path, scorer, fit_params, (i, len(splits))
                )
                for i in to_fit
            )
        )
        out = [
            next(fitted)
            if split.fold_model is None
            else _fit_and_score_path(
                self, X, y, split, path, scorer, fit_params, (i, len(splits))
            )
            for i, split in enumerate(splits)
        ]
        scores, fit_times, score_times = zip(*out, strict=True)
        return SplitScores(
            np.vstack(scores), np.asarray(fit_times), np.asarray(score_times)
        )

    @staticmethod
    def _announce(n_splits, n_fits, n_points):
        """GridSearchCV's opening line, and what one fit per fold saves."""
        if n_fits:
            print(
                f"Fitting {n_splits} folds for each of {n_points} candidates, "
                f"totalling {n_fits} fits (one per fold; GridSearchCV would "
                f"make {n_splits * n_points})"
            )
        else:
            print(
                f"Scoring {n_splits} held-out splits for each of {n_points} "
                "candidates, from the one fit on all data"
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
            to the scorer on the held-out part, as ``GridSearchCV`` does. A
            split whose held-out weights sum to 0 (negative weights) has no
            weighted score: it is NaN in ``cv_results_`` and left out of the
            means and the rules.

        **fit_params : dict
            Passed to the estimator's ``fit``, sliced per fold where they have
            one entry per sample; ``groups`` goes to the CV splitter instead.

        Returns
        -------
        self : object
            Fitted pruner.
        """
        if isinstance(self.scoring, (dict, list)):
            raise ValueError(
                f"{type(self).__name__} chooses by one score: multi-metric "
                f"scoring (a {type(self.scoring).__name__}) is not supported. "
                "Pass the one scorer to choose by, e.g. scoring='accuracy'."
            )
        X, y = self._validate_fit_data(X, y)
        self._check_estimator()
        validate_estimator_params(self.estimator)
        if sample_weight is not None:
            if not has_fit_parameter(self.estimator, "sample_weight"):
                raise TypeError(
                    f"{type(self.estimator).__name__}.fit does not accept "
                    "sample_weight, so it cannot be honoured."
                )
            fit_params["sample_weight"] = self._check_sample_weight(sample_weight, X)
        path_params = {k: v for k, v in fit_params.items() if k != "groups"}
        path = self._path(X, y, **path_params)
        self.scorer_ = check_scoring(self.estimator, scoring=self.scoring)
        split_scores = self._score_splits(X, y, path, self.scorer_, fit_params)
        self.cv_results_ = self._format_results(path, split_scores)
        self.n_splits_ = split_scores.scores.shape[0]
        self.best_index_ = select_by_rule(self.cv_results_, rule=self._selection_rule())
        best_value = path.values[self.best_index_]
        self.best_params_ = {self._path_param: _as_python(best_value)}
        self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])
        self.best_estimator_ = self._fit_best(
            X, y, path, self.best_index_, **path_params
        )
        carry_feature_names(self, self.best_estimator_)
        return self

    def _format_results(self, path, split_scores):
        scores = split_scores.scores
        fit_times, score_times = split_scores.fit_times, split_scores.score_times
        # A split that could not be scored at all (NaN at every point: its
        # held-out weights sum to 0, or the scorer gave NaN everywhere) does
        # not count; a NaN at some points only makes their means NaN.
        scored = scores[~np.isnan(scores).all(axis=1)]
        if len(scored) == 0:
            scored = scores  # NaN means, which select_by_rule refuses
        # An infinite score (a squared error past 1e154) makes a std, or a
        # mean of inf and -inf, NaN: the rules expect that, numpy need not warn.
        with np.errstate(invalid="ignore", over="ignore"):
            mean, std = _mean_and_std_by_point(scored)
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
    def score(self, X, y, sample_weight=None):
        """Score ``best_estimator_`` on ``X, y`` with ``scoring``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True targets.

        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the scorer, as the estimator's own ``score`` takes it
            (``GridSearchCV.score`` takes it with metadata routing enabled).

        Returns
        -------
        score : float
            The ``scoring`` metric (the estimator's ``score`` if ``None``).
        """
        self._validate_predict_data(X)
        params = {} if sample_weight is None else {"sample_weight": sample_weight}
        return self.scorer_(self.best_estimator_, X, y, **params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = deepcopy(inner.classifier_tags)
        tags.regressor_tags = deepcopy(inner.regressor_tags)
        several = (
            tags.classifier_tags is None or self._handles_multi_output_classification
        )
        if tags.classifier_tags is not None:
            tags.classifier_tags.multi_label = inner.classifier_tags.multi_label and (
                several
            )
        tags.target_tags.multi_output = inner.target_tags.multi_output and several
        tags.input_tags.sparse = bool(self._accept_sparse)
        tags.input_tags.allow_nan = self._allow_nan
        return tags


def _groups(fit_params):
    return {"groups": fit_params["groups"]} if "groups" in fit_params else {}


def warn_groups_ignored(fit_params, by):
    """Warn, as scikit-learn's splitters do, that ``groups`` is not used."""
    if fit_params.get("groups") is not None:
        warnings.warn(
            f"The groups parameter is ignored by {by}; to keep groups apart, "
            "pass a group-aware splitter (e.g. GroupKFold) as cv.",
            UserWarning,
            # Past _held_out_splits, _score_splits, fit and its decorator.
            stacklevel=6,
        )


def _mean_and_std_by_point(scores):
    """Each point's mean and std over the splits, summed as GridSearchCV sums.

    GridSearchCV averages a C-ordered (n_candidates, n_splits) array along its
    rows; summing the same numbers in another order can differ in the last
    bit, and with 15 splits it does.
    """
    by_point = np.ascontiguousarray(scores.T, dtype=np.float64)
    mean = np.average(by_point, axis=1)
    std = np.sqrt(np.average((by_point - mean[:, np.newaxis]) ** 2, axis=1))
    return mean, std


def _as_python(value):
    """numpy scalars as plain Python numbers, for tidy ``best_params_``."""
    return value.item() if isinstance(value, np.generic) else value
