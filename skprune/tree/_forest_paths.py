"""Per-tree responses of a fitted forest, and the forest-level path scores.

Both forest pruning methods average tree responses over a mask: each tree
answers only for the samples it may answer for (its out-of-bag samples when
scoring out-of-bag, every held-out sample otherwise).
"""

from dataclasses import dataclass

import numpy as np
from sklearn.base import is_classifier

from ..model_selection._precomputed import precomputed_estimator
from ._weakest_link import answering_nodes, node_paths, weakest_link_path


def tree_outputs(forest, X):
    """Each tree's output on X: (n_trees, n_samples, n_outputs or n_classes)."""
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

    Every tree's outputs are computed once; each step then scores all the
    remaining candidates at once from the running totals with two
    matrix-vector products (see :class:`_Candidates`), never by averaging a
    candidate sub-ensemble anew.

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
    y_target = np.asarray(y_target, dtype=float)
    candidates = _Candidates(outputs, mask)
    total = np.zeros(outputs.shape[1:])
    count = np.zeros(outputs.shape[1])
    order = np.empty(n_trees, dtype=np.intp)
    for step in range(n_trees):
        best = candidates.pop_best(total, count, y_target)
        order[step] = best
        total += outputs[best] * mask[best][:, None]
        count += mask[best]
    return order


class _Candidates:
    """The trees not yet chosen, scored all at once against running totals.

    Adding tree ``t`` leaves a sample it does not answer for at its current
    error ``E_i`` (if some tree covers it) and gives one it answers for the
    error of ``(S_i + o_ti) / (c_i + 1)``, which expands to
    ``b_i (|R_i|^2 + 2 R_i . o_ti + |o_ti|^2)`` with
    ``R_i = S_i - (c_i + 1) y_i`` and ``b_i = 1 / (c_i + 1)^2``. Summed over
    samples, every term is linear in one row of ``features`` (the tree's
    masked outputs, their squared norms and its answer mask), so a whole step
    is one matrix-vector product. ``features`` is float32, which halves the
    memory a step reads, and the rows of chosen trees are dropped.
    """

    def __init__(self, outputs, mask):
        n_trees, n_samples, _ = outputs.shape
        answers = mask.astype(float)
        masked = outputs * answers[:, :, None]
        self.features = np.hstack(
            [
                masked.reshape(n_trees, -1),
                answers * (outputs**2).sum(axis=2),
                answers,
            ]
        ).astype(np.float32)
        self.n_samples = n_samples
        self.trees = np.arange(n_trees)
        self.chosen = np.zeros(n_trees, dtype=bool)

    def pop_best(self, total, count, y_target):
        """Index of the tree whose addition errs least; it leaves the pool."""
        covered = count > 0
        mean = total / np.maximum(count, 1)[:, None]
        current = ((mean - y_target) ** 2).sum(axis=1) * covered
        residual = total - (count + 1)[:, None] * y_target
        shrink = 1.0 / (count + 1) ** 2
        weights = np.concatenate(
            [
                (2.0 * shrink[:, None] * residual).ravel(),
                shrink,
                shrink * (residual**2).sum(axis=1) - current,
            ]
        )
        numerator = current.sum() + self.features @ weights.astype(np.float32)
        denominator = np.full(len(self.trees), float(covered.sum()))
        if not covered.all():
            answers = self.features[:, -self.n_samples :]
            denominator += answers @ (~covered).astype(np.float32)
        loss = numerator / np.maximum(denominator, 1)
        loss[self.chosen] = np.inf
        position = int(np.argmin(loss))
        self.chosen[position] = True
        best = self.trees[position]
        # Dropping a row copies the others: do it once half are stale.
        if 2 * self.chosen.sum() >= len(self.trees):
            keep = ~self.chosen
            self.features = self.features[keep]
            self.trees, self.chosen = self.trees[keep], self.chosen[keep]
        return best


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


@dataclass(frozen=True)
class ForestAnswers:
    """A fitted forest, as one split's fold model.

    Attributes
    ----------
    forest : fitted forest
    order_or_paths : ndarray or list
        The tree order (method "trees") or every tree's weakest-link path
        (method "ccp").
    fallback : ndarray of shape (n_columns,)
        The training prior, answered where no tree may answer.
    mask : ndarray of shape (n_trees, n_samples), default=None
        Which tree may answer for which held-out sample (out-of-bag); None:
        every tree answers for every sample.
    outputs : ndarray of shape (n_trees, n_samples, n_columns), default=None
        The trees' outputs on the held-out samples, if already computed.
    """

    forest: object
    order_or_paths: object
    fallback: np.ndarray
    mask: np.ndarray = None
    outputs: np.ndarray = None

    def answer_mask(self, n_samples):
        if self.mask is not None:
            return self.mask
        return np.ones((len(self.forest.estimators_), n_samples), dtype=bool)


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


def prefix_scores(answers, X, y, n_trees_values, scorer, score_params):
    """Score the sub-forest of the first k ordered trees, for every k."""
    outputs = answers.outputs
    if outputs is None:
        outputs = tree_outputs(answers.forest, X)
    mask = answers.answer_mask(X.shape[0])
    totals, counts = prefix_totals(outputs, mask, answers.order_or_paths)
    return np.array(
        [
            scorer(
                averaged_responses(
                    answers.forest, totals[k - 1], counts[k - 1], answers.fallback
                ),
                X,
                y,
                **score_params,
            )
            for k in n_trees_values
        ]
    )


def tree_paths(forest):
    """The weakest-link path of every tree, computed once per fitted forest."""
    return [weakest_link_path(tree.tree_) for tree in forest.estimators_]


def pruned_totals(forest, paths, X, mask, alphas):
    """Summed outputs of the answering trees, every tree pruned at each alpha.

    Returns an array of shape (n_alphas, n_samples, n_columns). One pass over
    the trees, each answering every alpha at once and only for the samples
    ``mask`` lets it answer: with 20 out-of-bag groups, a loop over trees x
    alphas made the whole pruner 2.7 times slower.
    """
    classifier = is_classifier(forest)
    n_columns = forest.estimators_[0].n_classes_ if classifier else forest.n_outputs_
    totals = np.zeros((len(alphas), X.shape[0], n_columns))
    for tree, path, answers in zip(forest.estimators_, paths, mask, strict=True):
        rows = np.flatnonzero(answers)
        if rows.size == 0:
            continue
        sample_paths = node_paths(tree, X[rows])
        steps = path.collapse_step[sample_paths]
        # Alphas between the same two effective alphas prune alike.
        n_collapses, alpha_to_k = np.unique(
            path.n_collapses(alphas), return_inverse=True
        )
        value = tree.tree_.value[answering_nodes(sample_paths, steps, n_collapses)]
        if classifier:
            value = value[:, :, 0, : tree.n_classes_]
        else:
            value = value[..., 0]
        totals[:, rows] += value[alpha_to_k.reshape(-1)]
    return totals


def alpha_scores(answers, X, y, alphas, scorer, score_params):
    """Score the forest with every tree pruned at each alpha."""
    mask = answers.answer_mask(X.shape[0])
    totals = pruned_totals(answers.forest, answers.order_or_paths, X, mask, alphas)
    count = mask.sum(axis=0)
    return np.array(
        [
            scorer(
                averaged_responses(answers.forest, total, count, answers.fallback),
                X,
                y,
                **score_params,
            )
            for total in totals
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
