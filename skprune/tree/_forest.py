"""Random forests with fewer trees or smaller trees, chosen out-of-bag."""

import math
import time
from copy import deepcopy
from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)

from ..model_selection import BasePrunerCV, HeldOutSplit, PruningPath
from ..model_selection._path_cv import warn_groups_ignored
from ..model_selection._rules import RULE_CONSTRAINT
from ..utils._sklearn_compat import (
    Interval,
    RealNotInt,
    StrOptions,
    _check_sample_weight,
    forest_training_size,
    prune_fitted_tree,
)
from ._forest_paths import (
    ForestAnswers,
    alpha_scores,
    forest_leaves_at,
    greedy_order,
    one_hot_target,
    out_of_bag_mask,
    prefix_scores,
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
# Out-of-bag groups: each ordering of tree subsets is cross-fitted, one per
# group, so 5; ccp scores are per sample, and 20 groups give the standard
# error of the out-of-bag score with 19 degrees of freedom.
_N_OOB_GROUPS = {"trees": 5, "ccp": 20}
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
        ``bootstrap=True``). The samples are dealt into groups (sample ``i``
        in group ``i % n_groups``), and each group's out-of-bag score is one
        ``split<k>_test_score``, so the groups act as folds for every rule.
        With ``method="trees"`` there are 5 groups, and the order used to
        score a group is computed on the other four groups' out-of-bag votes
        (cross-fitting), so the scores are not inflated by ordering and
        scoring on the same votes. With ``method="ccp"`` every sample's
        out-of-bag answer is, as in leave-one-out, from trees that never saw
        it, and there are 20 groups: ``std / sqrt(20)`` of their scores is,
        for accuracy or squared error, the per-sample standard error (as
        rpart's ``xstd``), estimated with 19 degrees of freedom instead of
        five groups' 4. Anything else is a CV strategy as in
        ``GridSearchCV``: one forest fitted per fold, scored on the held-out
        part.

    scoring : str, callable or None, default=None
        A single scorer; ``None`` uses the forest's ``score``.

    rule : {"auto", "paired", "best", "1se"} or float, default="auto"
        How to choose; see :func:`~skprune.model_selection.select_by_rule`.

        - ``"auto"``: ``"1se"`` if the estimator is a classifier and
          ``method="trees"``, else ``"paired"``. A classifier's accuracy
          levels off within about a third of an ordered forest's trees, where
          the paired rule keeps about half; a regressor's error keeps falling
          as trees are added. ``rule_`` is the rule that chose.
        - any other value: that rule.

        The study behind the choice is in the user guide ("Selection rules").

    min_trees : int or float, default=0.2
        The fewest trees a sub-forest may keep (``method="trees"`` only).
        Candidates start at this many trees. An int is a number of trees (at
        most the forest's); a float is a fraction of the forest's
        ``n_trees`` trees, ``ceil(min_trees * n_trees)``. So ``1`` allows
        every size, while ``1.0`` keeps only the full forest. Out-of-bag, a
        sub-forest of ``k`` trees answers each sample with about ``0.37 k``
        of them: below a fifth of the trees a choice rests on a few votes per
        sample, and on small noisy data the rules could settle on a handful
        of trees that held-out data did not support (user guide, "Selection
        rules").

    n_jobs : int, default=None
        Number of folds run in parallel (k-fold mode only; the forest's own
        ``n_jobs`` parallelises its fit).

    verbose : int, default=0
        ``1`` prints ``GridSearchCV``'s opening line (folds x candidates);
        ``2`` also one line per fold with its times; higher adds joblib's.

    prefit : bool, default=False
        ``estimator`` is a forest already fitted on ``X, y``: prune it, never
        refit it, so the trees kept are the user's own. With ``cv="oob"`` its
        out-of-bag samples score every candidate (``X, y`` must be its
        training set); with a k-fold ``cv`` the folds still fit clones, which
        estimate how each candidate generalises, and the chosen one is cut
        from the user's forest. With ``method="ccp"`` the trees of a forest
        fitted with ``ccp_alpha > 0`` are pruned further.

    Attributes
    ----------
    cv_results_ : dict of ndarrays
        One entry per candidate (for method "trees", every sub-forest of at
        least ``min_trees`` trees): ``param_n_trees`` (method "trees") or
        ``param_ccp_alpha`` (method "ccp"), ``size`` (trees kept, or total
        leaves of the forest fitted on all data), ``split<k>_test_score``,
        ``mean_test_score``, ``std_test_score``, ``rank_test_score``,
        ``mean_fit_time``, ``params``.

    rule_ : str or float
        The rule that chose ``best_index_``: what ``rule="auto"`` stands for,
        or ``rule`` itself.

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
        order on all data (with ``prefit=True``, indices into the user's
        ``estimator.estimators_``).

    scorer_ : callable
        The scorer used.

    n_splits_ : int
        Number of splits (with ``cv="oob"``, the 5 or 20 out-of-bag groups).

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
        "prefit": ["boolean"],
        "rule": [
            StrOptions(RULE_CONSTRAINT[0].options | {"auto"}),
            *RULE_CONSTRAINT[1:],
        ],
        "min_trees": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
        ],
    }

    def __init__(
        self,
        estimator,
        *,
        method="trees",
        cv="oob",
        scoring=None,
        rule="auto",
        min_trees=0.2,
        n_jobs=None,
        verbose=0,
        prefit=False,
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
        self.min_trees = min_trees
        self.prefit = prefit

    # The trees answer through their own predict and decision paths, which
    # follow the fitted trees' routing of sparse input and missing values.
    _sparse_formats = ["csc", "csr"]
    _handles_nan = True

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
        # Refused before any fit; an invalid n_estimators is the forest's to
        # refuse, when its parameters are validated.
        n_estimators = self.estimator.n_estimators
        valid = isinstance(n_estimators, Integral) and n_estimators >= 1
        if self.method == "trees" and not self.prefit and valid:
            self._fewest_trees(n_estimators)

    def _check_sample_weight(self, sample_weight, X):
        sample_weight = _check_sample_weight(sample_weight, X)
        # The forest's bootstrap (and so every fold's) draws rows with
        # probabilities sample_weight / sum(sample_weight): refuse weights of
        # both signs here rather than inside numpy's sampler.
        if self.estimator.bootstrap and not (
            (sample_weight >= 0).all() or (sample_weight <= 0).all()
        ):
            raise ValueError(
                "sample_weight has both positive and negative values, which "
                f"{type(self.estimator).__name__}(bootstrap=True) cannot draw "
                "its bootstrap samples with."
            )
        return sample_weight

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

    def _forest_on_all_data(self, X, y, fit_params):
        """The user's fitted forest (``prefit``) or one fitted here, and its time."""
        if not self.prefit:
            start = time.perf_counter()
            forest = self._unfitted_forest().fit(X, y, **fit_params)
            return forest, time.perf_counter() - start
        forest = self._fitted_estimator(X, y)
        n_training = forest_training_size(forest)
        if forest.bootstrap and n_training not in (None, X.shape[0]):
            raise ValueError(
                f"prefit=True: the forest was fitted on {n_training} samples, X "
                f"has {X.shape[0]}. Its out-of-bag samples, and so its order, "
                "are those of its training set: pass that X, y."
            )
        return forest, 0.0

    def _path(self, X, y, **fit_params):
        forest, fit_time = self._forest_on_all_data(X, y, fit_params)
        if self.method == "trees":
            n_total = len(forest.estimators_)
            n_trees = np.arange(self._fewest_trees(n_total), n_total + 1)
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

    def _selection_rule(self):
        if self.rule != "auto":
            return self.rule
        classifier = is_classifier(self.estimator)
        return "1se" if self.method == "trees" and classifier else "paired"

    def _fewest_trees(self, n_total):
        """``min_trees`` as a number of trees of a forest of ``n_total``."""
        if isinstance(self.min_trees, Integral):
            if self.min_trees > n_total:
                raise ValueError(
                    f"min_trees={self.min_trees} must be <= the number of "
                    f"trees ({n_total}); pass a float for a fraction of them."
                )
            return self.min_trees
        # Rounded first so that 0.3 * 10 (3.0000000000000004) gives 3, not 4.
        return max(1, math.ceil(round(self.min_trees * n_total, 9)))

    def _held_out_splits(self, X, y, path, fit_params):
        """Out-of-bag groups of the one forest in ``path.model``, as splits.

        Each group's fold model is the forest restricted, sample by sample,
        to the trees that did not see that sample. For tree subsets the
        order that answers for a group is computed on the other groups'
        out-of-bag votes (cross-fitting): ordering and scoring on the same
        votes would overstate the small sub-forests.
        """
        if self.cv != "oob":
            return super()._held_out_splits(X, y, path, fit_params)
        warn_groups_ignored(fit_params, "cv='oob' (the forest's bootstrap)")
        forest, order_or_paths = path.model
        n_samples = X.shape[0]
        mask = out_of_bag_mask(forest, n_samples)
        fallback = prior(forest, y)
        n_groups = _N_OOB_GROUPS[self.method]
        if n_samples < n_groups:
            raise ValueError(
                f"cv='oob' deals the samples into {n_groups} groups, so it needs "
                f"at least {n_groups} samples; got n_samples={n_samples}."
            )
        groups = np.arange(n_samples) % n_groups
        if self.method == "trees":
            outputs = tree_outputs(forest, X)
            target = one_hot_target(forest, y)
        splits = []
        for g in range(groups.max() + 1):
            rows = np.flatnonzero(groups == g)
            if self.method == "trees":
                rest = groups != g
                order = greedy_order(outputs[:, rest], mask[:, rest], target[rest])
                answers = ForestAnswers(
                    forest, order, fallback, mask[:, rows], outputs[:, rows]
                )
            else:
                answers = ForestAnswers(forest, order_or_paths, fallback, mask[:, rows])
            splits.append(
                HeldOutSplit(test=rows, fold_model=answers, fit_time=path.fit_time)
            )
        return splits

    def _fit_fold(self, X, y, **fit_params):
        forest = self._unfitted_forest().fit(X, y, **fit_params)
        # What scoring needs from this forest: its order, or its trees' paths.
        if self.method == "trees":
            order_or_paths = self._order(forest, X, y)
        else:
            order_or_paths = tree_paths(forest)
        return ForestAnswers(forest, order_or_paths, prior(forest, y))

    def _score_path(self, fold_model, X, y, values, scorer, score_params):
        if self.method == "trees":
            return prefix_scores(fold_model, X, y, values, scorer, score_params)
        return alpha_scores(fold_model, X, y, values, scorer, score_params)

    def _fit_best(self, X, y, path, index, **fit_params):
        self.rule_ = self._selection_rule()
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
