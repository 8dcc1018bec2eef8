"""Random forests with fewer trees or smaller trees, chosen out-of-bag."""

import time
from copy import deepcopy

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)

from ..model_selection import BasePrunerCV, PruningPath, SplitScores
from ..utils._sklearn_compat import StrOptions, prune_fitted_tree
from ._forest_paths import (
    OutOfBagScorer,
    alpha_scores,
    alpha_totals,
    forest_leaves_at,
    greedy_order,
    one_hot_target,
    out_of_bag_mask,
    prefix_scores,
    prefix_totals,
    prior,
    shared_alpha_grid,
    tree_outputs,
    tree_paths,
)

_FORESTS = (
    RandomForestClassifier,
    RandomForestRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
)
_N_OOB_GROUPS = 5
_N_JACKKNIFE_GROUPS = 20
_MAX_ALPHAS = 50


class ForestPrunerCV(BasePrunerCV):
    """Prune a random forest: fewer trees, or every tree pruned with one alpha.

    ``method="trees"`` orders the fitted trees by **ordered aggregation**
    (greedy forward selection of the sub-ensemble with the lowest squared
    error of its averaged output on out-of-bag samples) and keeps the first
    ``k``. ``method="ccp"`` prunes every tree with one shared ``ccp_alpha``.
    Either way every candidate is scored from **one** fitted forest, and the
    result is a genuine forest of the estimator's class.

    Parameters
    ----------
    estimator : RandomForestClassifier, RandomForestRegressor, \
            ExtraTreesClassifier or ExtraTreesRegressor
        The forest to prune. Its ``ccp_alpha`` is ignored with
        ``method="ccp"``.

    method : {"trees", "ccp"}, default="trees"
        Prune the forest by dropping trees or by pruning each tree.

    cv : "oob", int, cross-validation generator or iterable, default="oob"
        ``"oob"`` fits the forest once and scores out-of-bag: every tree
        answers only for the samples outside its bootstrap sample (it needs
        ``bootstrap=True``). The samples are dealt into 5 groups (sample ``i``
        in group ``i % 5``); each group's out-of-bag score is one
        ``split<k>_test_score``. With ``method="trees"`` the order used to
        score a group is computed on the other four groups' out-of-bag votes
        (cross-fitting), so the scores are not inflated by ordering and
        scoring on the same votes; the groups then act as folds, and the 1-SE
        rule uses ``std / sqrt(5)``. With ``method="ccp"`` every sample's
        out-of-bag answer is, as in leave-one-out, from trees that never saw
        it; the 1-SE rule uses ``sem_test_score``, the delete-a-group
        jackknife standard error of the out-of-bag score over 20 interleaved
        groups (for accuracy or squared error, the per-sample standard error,
        as rpart's ``xstd``; five groups' spread, with 4 degrees of freedom,
        is too unstable an estimate). Anything else is a CV strategy as in
        ``GridSearchCV``: one forest fitted per fold, scored on the held-out
        part.

    scoring : str, callable or None, default=None
        A single scorer; ``None`` uses the forest's ``score``.

    rule : {"best", "1se"} or float, default="1se"
        How to choose; see :func:`~skprune.model_selection.select_by_rule`.

    n_jobs : int, default=None
        Number of folds run in parallel (k-fold mode only; the forest's own
        ``n_jobs`` parallelises its fit).

    verbose : int, default=0
        Verbosity of the fold loop.

    Attributes
    ----------
    cv_results_ : dict of ndarrays
        One entry per candidate: ``param_n_trees`` (method "trees") or
        ``param_ccp_alpha`` (method "ccp"), ``size`` (trees kept, or total
        leaves of the forest fitted on all data), ``split<k>_test_score``,
        ``mean_test_score``, ``std_test_score``, ``rank_test_score``,
        ``mean_fit_time``, ``params``; with ``cv="oob"`` and
        ``method="ccp"``, also ``sem_test_score``.

    best_index_ : int
        Index of the chosen candidate.

    best_params_ : dict
        ``{"n_trees": k}`` or ``{"ccp_alpha": alpha}``.

    best_score_ : float
        Mean score of the chosen candidate.

    best_estimator_ : forest
        The forest fitted on all data, keeping its ``k`` first trees in the
        ordered-aggregation order (``estimators_`` and ``n_estimators`` cut;
        its out-of-bag attributes, which described all trees, are removed), or
        with every tree pruned at the chosen alpha (``ccp_alpha`` set).

    tree_order_ : ndarray of shape (n_estimators,)
        Method "trees": indices of the forest's trees in ordered-aggregation
        order on all data.

    scorer_ : callable
        The scorer used.

    n_splits_ : int
        Number of splits (5 out-of-bag groups with ``cv="oob"``).

    classes_ : ndarray of shape (n_classes,)
        Class labels (classifiers only).

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    CostComplexityPrunerCV : Prune a single decision tree.

    Notes
    -----
    With ``method="ccp"`` the candidate alphas are 0 and up to 49 quantiles
    of all the trees' effective alphas on all data; each tree is pruned in
    numpy from its fitted arrays, and the final forest predicts exactly like
    the same forest refitted with ``ccp_alpha`` set.

    Out-of-bag, the sub-forest of ``k`` trees answers each sample with those
    of its ``k`` trees that did not see it, about a third of them, so small
    sub-forests are scored conservatively; samples that no tree of the
    sub-forest may answer for get the training prior (class frequencies or
    mean target).

    References
    ----------
    .. [1] G. Martínez-Muñoz, D. Hernández-Lobato and A. Suárez, "An analysis
       of ensemble pruning techniques based on ordered aggregation", IEEE
       TPAMI 31(2), 2009.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from skprune.tree import ForestPrunerCV
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> forest = RandomForestClassifier(n_estimators=60, random_state=0)
    >>> pruner = ForestPrunerCV(forest, method="trees").fit(X, y)
    >>> pruner.best_estimator_.n_estimators < 60
    True
    >>> len(pruner.best_estimator_.estimators_) == pruner.best_params_["n_trees"]
    True
    """

    _parameter_constraints = {
        **BasePrunerCV._parameter_constraints,
        "method": [StrOptions({"trees", "ccp"})],
        "cv": ["cv_object", StrOptions({"oob"})],
    }

    def __init__(
        self,
        estimator,
        *,
        method="trees",
        cv="oob",
        scoring=None,
        rule="1se",
        n_jobs=None,
        verbose=0,
    ):
        super().__init__(
            estimator,
            cv=cv,
            scoring=scoring,
            rule=rule,
            n_jobs=n_jobs,
            verbose=verbose,
        )
        self.method = method

    @property
    def _path_param(self):
        return "n_trees" if self.method == "trees" else "ccp_alpha"

    @property
    def _size_label(self):
        return "trees" if self.method == "trees" else "leaves (all trees)"

    def _check_estimator(self):
        if not isinstance(self.estimator, _FORESTS):
            raise TypeError(
                "ForestPrunerCV prunes RandomForest* and ExtraTrees* models; got "
                f"{type(self.estimator).__name__}."
            )
        if self.cv == "oob" and not self.estimator.bootstrap:
            raise ValueError(
                "cv='oob' needs out-of-bag samples, but the forest has "
                "bootstrap=False. Set bootstrap=True or use a k-fold cv."
            )

    def _unfitted_forest(self):
        forest = clone(self.estimator)
        if self.method == "ccp":
            forest.set_params(ccp_alpha=0.0)
        return forest

    def _order(self, forest, X, y):
        """Ordered aggregation on the forest's own training data."""
        outputs = tree_outputs(forest, X)
        mask = _answer_mask(forest, len(outputs[0]))
        return greedy_order(outputs, mask, one_hot_target(forest, y))

    def _path(self, X, y, **fit_params):
        start = time.perf_counter()
        forest = self._unfitted_forest().fit(X, y, **fit_params)
        fit_time = time.perf_counter() - start
        if self.method == "trees":
            n_trees = np.arange(1, len(forest.estimators_) + 1)
            order = self._order(forest, X, y)
            return PruningPath(
                values=n_trees, sizes=n_trees, model=(forest, order), fit_time=fit_time
            )
        paths = tree_paths(forest)
        alphas = shared_alpha_grid(paths, _MAX_ALPHAS)
        return PruningPath(
            values=alphas,
            sizes=forest_leaves_at(paths, alphas),
            model=(forest, paths),
            fit_time=fit_time,
        )

    def _score_splits(self, X, y, path, scorer, fit_params):
        if self.cv != "oob":
            return super()._score_splits(X, y, path, scorer, fit_params)
        forest, order_or_paths = path.model
        X, y = np.asarray(X), np.asarray(y)
        start = time.perf_counter()
        mask = out_of_bag_mask(forest, X.shape[0])
        oob = OutOfBagScorer(
            forest,
            X,
            y,
            scorer,
            prior(forest, y),
            sample_weight=fit_params.get("sample_weight"),
            n_groups=_N_OOB_GROUPS,
            # Tree subsets are cross-fitted on the groups, which then act as
            # folds; ccp scores are per sample, as leave-one-out ones.
            n_jackknife=None if self.method == "trees" else _N_JACKKNIFE_GROUPS,
        )
        if self.method == "trees":
            totals_and_counts = self._cross_fitted_prefixes(
                forest, X, y, mask, oob.groups, path.values
            )
        else:
            totals_and_counts = alpha_totals(
                forest, order_or_paths, X, mask, path.values
            )
        scores, sem = oob.score_path(totals_and_counts)
        n_groups = scores.shape[0]
        score_time = (time.perf_counter() - start) / n_groups
        return SplitScores(
            scores,
            np.full(n_groups, path.fit_time),
            np.full(n_groups, score_time),
            sem=sem,
        )

    def _cross_fitted_prefixes(self, forest, X, y, mask, groups, values):
        """Out-of-bag totals of every prefix, each group ordered on the others.

        Ordering and scoring on the same out-of-bag votes would overstate the
        small sub-forests; so the order that answers for a group's samples is
        computed on the other groups' votes.
        """
        outputs = tree_outputs(forest, X)
        target = one_hot_target(forest, y)
        prefixes = np.asarray(values) - 1  # row k - 1 holds the first k trees
        totals = np.empty((len(values),) + outputs.shape[1:])
        counts = np.empty((len(values), outputs.shape[1]))
        for g in range(groups.max() + 1):
            rest, rows = groups != g, groups == g
            order = greedy_order(outputs[:, rest], mask[:, rest], target[rest])
            group_totals, group_counts = prefix_totals(
                outputs[:, rows], mask[:, rows], order
            )
            totals[:, rows] = group_totals[prefixes]
            counts[:, rows] = group_counts[prefixes]
        return zip(totals, counts, strict=True)

    def _fit_fold(self, X, y, **fit_params):
        forest = self._unfitted_forest().fit(X, y, **fit_params)
        # What scoring needs from this forest: its order, or its trees' paths.
        if self.method == "trees":
            order_or_paths = self._order(forest, X, y)
        else:
            order_or_paths = tree_paths(forest)
        return forest, order_or_paths, prior(forest, y)

    def _score_path(self, fold_model, X, y, values, scorer):
        forest, order_or_paths, fallback = fold_model
        X, y = np.asarray(X), np.asarray(y)
        if self.method == "trees":
            # On held-out data every tree answers for every sample.
            everyone = np.ones((len(forest.estimators_), X.shape[0]), dtype=bool)
            return prefix_scores(
                forest,
                tree_outputs(forest, X),
                everyone,
                order_or_paths,
                values,
                X,
                y,
                scorer,
                fallback,
            )
        return alpha_scores(forest, order_or_paths, X, y, values, scorer, fallback)

    def _fit_best(self, X, y, path, index, **fit_params):
        forest, order = path.model  # for "ccp", the trees' paths, unused here
        forest = deepcopy(forest)
        value = path.values[index]
        if self.method == "trees":
            self.tree_order_ = order
            forest.estimators_ = [forest.estimators_[i] for i in order[:value]]
            forest.n_estimators = int(value)
            for name in ("oob_score_", "oob_decision_function_", "oob_prediction_"):
                if hasattr(forest, name):
                    delattr(forest, name)
            return forest
        for tree in forest.estimators_:
            if prune_fitted_tree(tree, value) is None:
                return (
                    clone(self.estimator)
                    .set_params(ccp_alpha=value)
                    .fit(X, y, **fit_params)
                )
        return forest.set_params(ccp_alpha=value)


def _answer_mask(forest, n_samples):
    """Trees vote on their out-of-bag samples; without bootstrap, on all."""
    if forest.bootstrap:
        return out_of_bag_mask(forest, n_samples)
    return np.ones((len(forest.estimators_), n_samples), dtype=bool)
