"""Per-tree responses of a fitted forest, and the forest-level path scores.

Both forest pruning methods average tree responses over a mask: each tree
answers only for the samples it may answer for (its out-of-bag samples when
scoring out-of-bag, every held-out sample otherwise).
"""

import numpy as np
from sklearn.base import is_classifier

from ..model_selection._precomputed import precomputed_estimator
from ._weakest_link import answering_nodes, node_paths, weakest_link_path


def tree_outputs(forest, X):
    """Each tree's output on X: (n_trees, n_samples, n_outputs or n_classes)."""
    # A forest fits its trees on arrays: give them arrays, not DataFrames.
    X = np.asarray(X)
    if is_classifier(forest):
        return np.stack([tree.predict_proba(X) for tree in forest.estimators_])
    out = np.stack([tree.predict(X) for tree in forest.estimators_])
    return out.reshape(out.shape[0], out.shape[1], -1)


def out_of_bag_mask(forest, n_samples):
    """(n_trees, n_samples) True where the sample is out of the tree's bag."""
    mask = np.ones((len(forest.estimators_), n_samples), dtype=bool)
    for t, in_bag in enumerate(forest.estimators_samples_):
        mask[t, in_bag] = False
    return mask


def greedy_order(outputs, mask, y_target):
    """Ordered aggregation: greedy forward selection of trees.

    At each step the tree whose addition gives the sub-ensemble the lowest
    squared error (Brier score for class probabilities, MSE for regression)
    on the samples it covers is appended. The squared error of the averaged
    output is smooth, unlike the 0/1 error of the votes, so the order depends
    less on a few samples near the decision boundary.

    Parameters
    ----------
    outputs : ndarray of shape (n_trees, n_samples, n_columns)
    mask : ndarray of shape (n_trees, n_samples)
        Which tree may answer for which sample.
    y_target : ndarray of shape (n_samples, n_columns)
        One-hot classes or regression targets.

    Returns
    -------
    order : ndarray of shape (n_trees,)
    """
    n_trees = outputs.shape[0]
    weights = mask[:, :, None].astype(float)
    weighted = outputs * weights
    total = np.zeros(outputs.shape[1:])
    count = np.zeros(outputs.shape[1])
    remaining = np.ones(n_trees, dtype=bool)
    order = []
    for _ in range(n_trees):
        candidates = np.flatnonzero(remaining)
        new_total = total[None] + weighted[candidates]
        new_count = count[None] + mask[candidates]
        covered = new_count > 0
        mean = new_total / np.maximum(new_count, 1)[..., None]
        error = ((mean - y_target[None]) ** 2).sum(axis=2)
        loss = (error * covered).sum(axis=1) / np.maximum(covered.sum(axis=1), 1)
        best = candidates[np.argmin(loss)]
        order.append(best)
        remaining[best] = False
        total += weighted[best]
        count += mask[best]
    return np.asarray(order)


def one_hot_target(forest, y):
    if is_classifier(forest):
        return (np.asarray(y)[:, None] == forest.classes_[None, :]).astype(float)
    return np.asarray(y, dtype=float).reshape(len(y), -1)


def averaged_responses(forest, total, count, fallback):
    """A scorer-ready stand-in for the forest averaging ``total / count``.

    Samples no tree may answer for get ``fallback`` (the training prior), as
    an honest "no information" answer.
    """
    covered = count > 0
    mean = np.where(
        covered[:, None], total / np.maximum(count, 1)[:, None], fallback[None, :]
    )
    n_samples = mean.shape[0]
    if is_classifier(forest):
        classes = forest.classes_
        return precomputed_estimator(
            True,
            n_samples,
            classes=classes,
            predict=lambda: classes.take(np.argmax(mean, axis=1), axis=0),
            predict_proba=lambda: mean,
        )
    prediction = mean[:, 0] if mean.shape[1] == 1 else mean
    return precomputed_estimator(False, n_samples, predict=lambda: prediction)


def prior(forest, y):
    return one_hot_target(forest, y).mean(axis=0)


def prefix_totals(outputs, mask, order):
    """Summed outputs and answer counts of the first ``k`` ordered trees.

    Returns arrays of shape (n_trees, n_samples, n_columns) and (n_trees,
    n_samples): row ``k - 1`` is the sub-forest of the first ``k`` trees.
    Each sample is answered by those of the trees that may answer for it: all
    of them on held-out data, about a third of them out-of-bag. The
    out-of-bag score of a small sub-forest is therefore conservative (it
    averages fewer trees than the sub-forest has), which errs towards keeping
    more trees.
    """
    ordered = outputs[order] * mask[order][:, :, None]
    return np.cumsum(ordered, axis=0), np.cumsum(mask[order], axis=0)


def prefix_scores(forest, outputs, mask, order, n_trees_values, X, y, scorer, fallback):
    """Score the sub-forest of the first k ordered trees, for every k."""
    totals, counts = prefix_totals(outputs, mask, order)
    return np.array(
        [
            scorer(
                averaged_responses(forest, totals[k - 1], counts[k - 1], fallback), X, y
            )
            for k in n_trees_values
        ]
    )


class OutOfBagScorer:
    """Out-of-bag scores by group of samples, with an optional jackknife SE.

    Sample ``i`` belongs to group ``i % n_groups``; each group's score is one
    ``split<k>_test_score``. With ``n_jackknife``, the standard error of the
    out-of-bag score is the delete-a-group jackknife over that many
    interleaved groups: the score is recomputed without each group ``g`` in
    turn, and ``sem = sqrt((G - 1) / G * sum((score_without_g - mean) ** 2))``.
    For a score that averages per-sample values (accuracy, squared error, log
    loss) it estimates the per-sample standard error ``std / sqrt(n)``, as
    rpart's ``xstd``; it works for any scorer (ROC AUC, R2), and it rests on
    ``G - 1`` degrees of freedom instead of the 4 of five groups' spread.
    """

    def __init__(
        self,
        forest,
        X,
        y,
        scorer,
        fallback,
        sample_weight=None,
        n_groups=5,
        n_jackknife=None,
    ):
        n_samples = len(y)
        self.forest, self.X, self.y = forest, X, y
        self.scorer, self.fallback, self.sample_weight = scorer, fallback, sample_weight
        self.groups = np.arange(n_samples) % min(n_groups, n_samples)
        # The same rows at every path point: their masks are built once.
        self._group_rows = [self.groups == g for g in range(self.groups.max() + 1)]
        self._jackknife_rows = []
        if n_jackknife is not None:
            jackknife = np.arange(n_samples) % min(n_jackknife, n_samples)
            self._jackknife_rows = [jackknife != g for g in range(jackknife.max() + 1)]

    def _score(self, total, count, rows):
        responses = averaged_responses(
            self.forest, total[rows], count[rows], self.fallback
        )
        kwargs = {}
        if self.sample_weight is not None:
            kwargs["sample_weight"] = self.sample_weight[rows]
        return self.scorer(responses, self.X[rows], self.y[rows], **kwargs)

    def score(self, total, count):
        """Scores of every group, and the jackknife standard error (or None)."""
        group_scores = [self._score(total, count, rows) for rows in self._group_rows]
        if not self._jackknife_rows:
            return np.asarray(group_scores), None
        without = np.array(
            [self._score(total, count, rows) for rows in self._jackknife_rows]
        )
        n_jackknife = len(without)
        sem = np.sqrt(
            (n_jackknife - 1) / n_jackknife * np.sum((without - without.mean()) ** 2)
        )
        return np.asarray(group_scores), sem

    def score_path(self, totals_and_counts):
        """(n_groups, n_points) group scores and (n_points,) standard errors."""
        scores, sems = zip(
            *(self.score(total, count) for total, count in totals_and_counts),
            strict=True,
        )
        return np.column_stack(scores), None if sems[0] is None else np.asarray(sems)


def tree_paths(forest):
    """The weakest-link path of every tree, computed once per fitted forest."""
    return [weakest_link_path(tree.tree_) for tree in forest.estimators_]


class PrunedTreeAnswers:
    """Every tree's answers on some samples, at any shared ``ccp_alpha``."""

    def __init__(self, forest, X, paths):
        X = np.asarray(X)
        self.forest = forest
        self.paths = paths
        self.node_paths = [node_paths(tree, X) for tree in forest.estimators_]

    def values_at(self, alpha):
        """(n_trees, n_samples, n_columns) outputs of the trees pruned at alpha."""
        out = []
        for tree, path, paths in zip(
            self.forest.estimators_, self.paths, self.node_paths, strict=True
        ):
            steps = path.collapse_step[paths]
            nodes = answering_nodes(paths, steps, path.n_collapses([alpha])[0])
            value = tree.tree_.value[nodes]
            if is_classifier(self.forest):
                out.append(value[:, 0, : tree.n_classes_])
            else:
                out.append(value[:, :, 0])
        return np.stack(out)


def alpha_totals(forest, paths, X, mask, alphas):
    """Summed outputs and answer counts with every tree pruned at each alpha.

    Yields, for every alpha, arrays of shape (n_samples, n_columns) and
    (n_samples,): the trees answer only where ``mask`` lets them.
    """
    answers = PrunedTreeAnswers(forest, X, paths)
    count = mask.sum(axis=0)
    for alpha in alphas:
        yield (answers.values_at(alpha) * mask[:, :, None]).sum(axis=0), count


def alpha_scores(forest, paths, X, y, alphas, scorer, fallback):
    """Held-out score of the forest with every tree pruned at each alpha."""
    X = np.asarray(X)
    everyone = np.ones((len(forest.estimators_), X.shape[0]), dtype=bool)
    return np.array(
        [
            scorer(averaged_responses(forest, total, count, fallback), X, y)
            for total, count in alpha_totals(forest, paths, X, everyone, alphas)
        ]
    )


def shared_alpha_grid(paths, max_alphas):
    """0 and quantiles of all the trees' effective alphas."""
    alphas = np.concatenate([path.effective_alphas for path in paths])
    alphas = np.unique(np.maximum(alphas, 0.0))
    if len(alphas) > max_alphas - 1:
        alphas = np.unique(np.quantile(alphas, np.linspace(0, 1, max_alphas - 1)))
    return np.unique(np.r_[0.0, alphas])


def forest_leaves_at(paths, alphas):
    """Total leaves of the forest with every tree pruned at each alpha."""
    return np.sum([path.leaves_at(alphas) for path in paths], axis=0)
