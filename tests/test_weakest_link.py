import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skprune.tree._weakest_link import (
    answering_nodes,
    node_paths,
    weakest_link_path,
)


def _data(kind, seed):
    if kind == "classification":
        X, y = make_classification(
            n_samples=300, n_informative=4, n_classes=3, flip_y=0.2, random_state=seed
        )
        return X, y, DecisionTreeClassifier
    X, y = make_regression(n_samples=300, noise=20.0, random_state=seed)
    return X, y, DecisionTreeRegressor


@pytest.mark.parametrize("kind", ["classification", "regression"])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(
    "tree_params", [{}, {"max_leaf_nodes": 25}, {"min_samples_leaf": 3}]
)
def test_alphas_and_prunings_match_scikit_learn(kind, seed, tree_params):
    X, y, Tree = _data(kind, seed)
    weights = np.random.RandomState(seed).uniform(0.5, 2.0, len(y))
    tree = Tree(random_state=0, **tree_params).fit(X, y, sample_weight=weights)
    path = weakest_link_path(tree.tree_)
    expected = tree.cost_complexity_pruning_path(X, y, sample_weight=weights)
    np.testing.assert_array_equal(
        np.r_[0.0, path.effective_alphas], expected.ccp_alphas
    )

    paths = node_paths(tree, X)
    steps = path.collapse_step[paths]
    midpoints = (expected.ccp_alphas[1:] + expected.ccp_alphas[:-1]) / 2
    alphas = np.r_[expected.ccp_alphas, midpoints]
    # A dozen alphas spread over the path, both breakpoints and between them.
    chosen = np.maximum(alphas[np.linspace(0, len(alphas) - 1, 12).astype(int)], 0)
    # Given every alpha's collapse count at once, the same nodes, row by row.
    all_nodes = answering_nodes(paths, steps, path.n_collapses(chosen))
    for alpha, nodes_at_once in zip(chosen, all_nodes, strict=True):
        refit = Tree(random_state=0, ccp_alpha=alpha, **tree_params)
        refit.fit(X, y, sample_weight=weights)
        assert path.leaves_at([alpha])[0] == refit.get_n_leaves()
        nodes = answering_nodes(paths, steps, path.n_collapses([alpha])[0])
        np.testing.assert_array_equal(
            tree.tree_.value[nodes], refit.tree_.value[refit.apply(X)]
        )
        np.testing.assert_array_equal(nodes_at_once, nodes)


def test_node_paths_run_root_to_leaf():
    X, y, Tree = _data("classification", 0)
    tree = Tree(random_state=0).fit(X, y)
    paths = node_paths(tree, X[:20])
    assert np.all(paths[:, 0] == 0)
    np.testing.assert_array_equal(paths[:, -1], tree.apply(X[:20]))
    assert np.all(np.diff(paths, axis=1) >= 0)


def test_single_leaf_tree_has_an_empty_path():
    X = np.zeros((10, 2))
    tree = DecisionTreeRegressor().fit(X, np.ones(10))
    path = weakest_link_path(tree.tree_)
    assert path.effective_alphas.size == 0
    np.testing.assert_array_equal(path.leaves_at([0.0, 1.0]), [1, 1])
