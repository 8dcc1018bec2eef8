"""Minimal cost-complexity pruning of a fitted tree's arrays, in numpy.

scikit-learn prunes a tree fitted with ``ccp_alpha > 0`` by collapsing, one at
a time, the internal node with the smallest effective alpha
``(R(t) - R(T_t)) / (|leaves(T_t)| - 1)`` (the first such node in index order),
and stops before the first collapse whose effective alpha exceeds
``ccp_alpha``. This module replays that sequence on the public arrays of a
fitted ``tree_`` -- with the same floating-point operations in the same order,
so that every ``ccp_alpha`` selects exactly the subtree scikit-learn would
build -- and then reads the pruned tree's predictions for any alpha without
refitting.
"""

from dataclasses import dataclass

import numpy as np

_LEAF = -1


@dataclass(frozen=True)
class WeakestLinkPath:
    """The collapse sequence of one fitted tree.

    Attributes
    ----------
    effective_alphas : ndarray of shape (n_collapses,)
        Effective alpha of each collapse, in order.
    collapse_step : ndarray of shape (node_count,)
        Step (0-based) at which each internal node becomes a leaf; ``-1`` for
        the original leaves and the largest integer for nodes removed with an
        ancestor, which never answer on their own.
    n_leaves : ndarray of shape (n_collapses + 1,)
        Leaves left after 0, 1, ..., n_collapses collapses.
    """

    effective_alphas: np.ndarray
    collapse_step: np.ndarray
    n_leaves: np.ndarray

    def n_collapses(self, ccp_alphas):
        """How many collapses scikit-learn applies for each ``ccp_alpha``."""
        ccp_alphas = np.asarray(ccp_alphas, dtype=np.float64)
        # Pruning stops at the first effective alpha above ccp_alpha; the
        # running maximum turns "first above" into a sorted search.
        running_max = np.maximum.accumulate(self.effective_alphas)
        steps = np.searchsorted(running_max, ccp_alphas, side="right")
        # ccp_alpha == 0 means "no pruning at all" in scikit-learn, even when
        # some collapses have an effective alpha of exactly 0.
        return np.where(ccp_alphas == 0.0, 0, steps)

    def leaves_at(self, ccp_alphas):
        """Number of leaves of the tree pruned at each ``ccp_alpha``."""
        return self.n_leaves[self.n_collapses(ccp_alphas)]


def weakest_link_path(tree):
    """Replay scikit-learn's cost-complexity pruning on a fitted ``tree_``.

    Parameters
    ----------
    tree : sklearn.tree._tree.Tree
        The ``tree_`` attribute of a fitted, unpruned decision tree.

    Returns
    -------
    path : WeakestLinkPath
    """
    left, right = tree.children_left, tree.children_right
    n_nodes = tree.node_count
    weights = tree.weighted_n_node_samples
    # scikit-learn's Cython computes this silently; weights that sum to 0
    # (negative sample weights) make it NaN there and here alike.
    with np.errstate(divide="ignore", invalid="ignore"):
        r_node = weights * tree.impurity / weights[0]
    is_leaf = left == _LEAF

    parent = np.full(n_nodes, _LEAF, dtype=np.intp)
    internal = np.flatnonzero(~is_leaf)
    parent[left[internal]] = internal
    parent[right[internal]] = internal
    order, subtree_size = _preorder(left, right)
    position = np.empty(n_nodes, dtype=np.intp)
    position[order] = np.arange(n_nodes)

    r_branch, n_leaves = _branch_sums(r_node, is_leaf, parent)
    candidate = ~is_leaf
    # Internal nodes removed with an ancestor never answer: a step no K reaches.
    collapse_step = np.where(is_leaf, -1, np.iinfo(np.intp).max).astype(np.intp)
    alphas, pruned_leaves = [], []
    while candidate[0]:
        nodes = np.flatnonzero(candidate)
        subtree_alpha = (r_node[nodes] - r_branch[nodes]) / (n_leaves[nodes] - 1)
        best = np.argmin(subtree_alpha)  # first minimum, as scikit-learn's scan
        node = nodes[best]
        start = position[node]
        candidate[order[start : start + subtree_size[node]]] = False
        collapse_step[node] = len(alphas)

        n_pruned = n_leaves[node] - 1
        n_leaves[node] = 0
        r_diff = r_node[node] - r_branch[node]
        r_branch[node] = r_node[node]
        ancestors = _ancestors(node, parent)
        n_leaves[ancestors] -= n_pruned
        r_branch[ancestors] += r_diff
        alphas.append(subtree_alpha[best])
        pruned_leaves.append(n_pruned)

    leaves = int(is_leaf.sum()) - np.concatenate([[0], np.cumsum(pruned_leaves)])
    return WeakestLinkPath(
        effective_alphas=np.asarray(alphas, dtype=np.float64),
        collapse_step=collapse_step,
        n_leaves=leaves.astype(np.intp),
    )


def _preorder(left, right):
    """Depth-first preorder of the nodes and the size of every subtree."""
    n_nodes = len(left)
    order = np.empty(n_nodes, dtype=np.intp)
    size = np.ones(n_nodes, dtype=np.intp)
    stack, k = [0], 0
    while stack:
        node = stack.pop()
        order[k] = node
        k += 1
        if left[node] != _LEAF:
            stack.append(right[node])
            stack.append(left[node])
    # Children have larger ids than their parent, so a reverse id sweep
    # accumulates subtree sizes bottom-up.
    for node in range(n_nodes - 1, -1, -1):
        if left[node] != _LEAF:
            size[node] += size[left[node]] + size[right[node]]
    return order, size


def _branch_sums(r_node, is_leaf, parent):
    """Sum of r over the leaves below every node, and the leaf counts.

    scikit-learn adds each leaf's r to all its ancestors, leaf by leaf in id
    order; np.add.at over pairs sorted by leaf id repeats those additions in
    the same order, hence bit for bit.
    """
    n_nodes = len(r_node)
    leaves = np.flatnonzero(is_leaf)
    r_branch = np.where(is_leaf, r_node, 0.0)
    n_leaves = np.zeros(n_nodes, dtype=np.intp)
    pair_leaf, pair_ancestor = _leaf_ancestor_pairs(leaves, parent)
    order = np.argsort(pair_leaf, kind="stable")
    np.add.at(r_branch, pair_ancestor[order], r_node[pair_leaf[order]])
    np.add.at(n_leaves, pair_ancestor, 1)
    return r_branch, n_leaves


def _leaf_ancestor_pairs(leaves, parent):
    leaf_ids, ancestor_ids = [], []
    ids, current = leaves, parent[leaves]
    while len(ids):
        alive = current != _LEAF
        ids, current = ids[alive], current[alive]
        leaf_ids.append(ids)
        ancestor_ids.append(current)
        current = parent[current]
    return np.concatenate(leaf_ids), np.concatenate(ancestor_ids)


def _ancestors(node, parent):
    out = []
    node = parent[node]
    while node != _LEAF:
        out.append(node)
        node = parent[node]
    return np.asarray(out, dtype=np.intp)


def node_paths(tree_estimator, X):
    """Root-to-leaf node ids of every sample, padded on the right with the leaf.

    Parameters
    ----------
    tree_estimator : fitted decision tree
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    paths : ndarray of shape (n_samples, max_depth + 1)
    """
    indicator = tree_estimator.decision_path(X).tocsr()
    indptr, indices = indicator.indptr, indicator.indices
    lengths = np.diff(indptr)
    # Node ids grow from parent to child, so sorted ids are root-to-leaf.
    indicator.sort_indices()
    leaf = indices[indptr[1:] - 1]
    paths = np.repeat(leaf[:, None], lengths.max(), axis=1)
    rows = np.repeat(np.arange(len(lengths)), lengths)
    cols = np.arange(len(indices)) - np.repeat(indptr[:-1], lengths)
    paths[rows, cols] = indices
    return paths


def answering_nodes(paths, path_steps, n_collapses):
    """The node whose value answers for each sample after ``n_collapses``.

    It is the shallowest node of the sample's path that is a leaf of the
    pruned tree: collapsed before step ``n_collapses``, or an original leaf.

    Parameters
    ----------
    paths : ndarray of shape (n_samples, width)
        From :func:`node_paths`.
    path_steps : ndarray of shape (n_samples, width)
        ``collapse_step[paths]``.
    n_collapses : int or ndarray of shape (n_values,)

    Returns
    -------
    nodes : ndarray of shape (n_samples,) or (n_values, n_samples)
    """
    n_collapses = np.asarray(n_collapses)[..., None, None]
    first = np.argmax(path_steps < n_collapses, axis=-1)
    return paths[np.arange(len(paths)), first]
