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


def prefix_scores(forest, outputs, mask, order, n_trees_values, X, y, scorer, fallback):
    """Score the sub-forest of the first k ordered trees, for every k.

    Each sample is answered by those of the first k trees that may answer for
    it: all of them on held-out data, about a third of them out-of-bag. The
    out-of-bag score of a small sub-forest is therefore conservative (it
    averages fewer trees than the sub-forest has), which errs towards keeping
    more trees.
    """
    ordered = outputs[order] * mask[order][:, :, None]
    totals = np.cumsum(ordered, axis=0)
    counts = np.cumsum(mask[order], axis=0)
    return np.array(
        [
            scorer(
                averaged_responses(forest, totals[k - 1], counts[k - 1], fallback), X, y
            )
            for k in n_trees_values
        ]
    )


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


def alpha_scores(forest, paths, X, y, mask, alphas, scorer, fallback, groups=None):
    """Score the forest with every tree pruned at each shared alpha.

    Returns shape (n_groups, n_alphas): one row per group of samples (out-of-bag
    groups), or a single row when ``groups`` is None.
    """
    answers = PrunedTreeAnswers(forest, X, paths)
    groups = np.zeros(len(y), dtype=int) if groups is None else groups
    n_groups = groups.max() + 1
    scores = np.empty((n_groups, len(alphas)))
    for i, alpha in enumerate(alphas):
        masked = answers.values_at(alpha) * mask[:, :, None]
        for g in range(n_groups):
            rows = groups == g
            responses = averaged_responses(
                forest,
                masked[:, rows].sum(axis=0),
                mask[:, rows].sum(axis=0),
                fallback,
            )
            scores[g, i] = scorer(responses, X[rows], y[rows])
    return scores


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
