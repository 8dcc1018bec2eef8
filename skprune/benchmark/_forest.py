"""Benchmark rows of the forest family: fewer trees, or smaller trees."""

import numpy as np
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.model_selection import GridSearchCV

from ..tree import ForestPrunerCV
from ..tree._forest_paths import shared_alpha_grid, tree_paths
from ._registry import Method, Task, register_family

_N_TREES = 100
_DATASETS = {
    "quick": ["breast_cancer"],
    "default": ["breast_cancer", "wine"],
    "full": [
        "breast_cancer",
        "wine",
        "synthetic_classification",
        "diabetes",
        "friedman1",
    ],
}
_CLASSIFICATION = {"breast_cancer", "wine", "synthetic_classification"}


def _forest(dataset, n_trees=_N_TREES):
    if dataset in _CLASSIFICATION:
        return RandomForestClassifier(n_estimators=n_trees, random_state=0)
    return RandomForestRegressor(n_estimators=n_trees, random_state=0)


def _grid_search_ccp(forest):
    """What users do today: a few shared alphas, each forest refitted."""

    def fit(X, y):
        alphas = shared_alpha_grid(tree_paths(forest.fit(X, y)), max_alphas=50)
        grid = {"ccp_alpha": alphas[np.linspace(0, len(alphas) - 1, 8).astype(int)]}
        return GridSearchCV(forest, grid, cv=5).fit(X, y)

    return fit


def _pruner(forest, method, rule):
    return lambda X, y: ForestPrunerCV(forest, method=method, rule=rule).fit(X, y)


@register_family("forest")
def forest_tasks(scope):
    tasks = []
    for dataset in _DATASETS[scope]:
        n_trees = 30 if scope == "quick" else _N_TREES
        forest = _forest(dataset, n_trees)
        tasks.append(
            Task(
                dataset=dataset,
                size_key="trees",
                label="trees",
                methods=[
                    Method(f"full forest ({n_trees} trees)", forest.fit),
                    Method(
                        "skprune tree subset best", _pruner(forest, "trees", "best")
                    ),
                    Method("skprune tree subset 1-SE", _pruner(forest, "trees", "1se")),
                ],
                curve=lambda f=forest: ForestPrunerCV(f, method="trees"),
            )
        )
        if scope == "quick" or (scope == "default" and dataset != "breast_cancer"):
            continue
        tasks.append(
            Task(
                dataset=dataset,
                size_key="leaves",
                label="ccp",
                methods=[
                    Method("full forest", forest.fit),
                    Method(
                        "GridSearchCV ccp_alpha (8 alphas)", _grid_search_ccp(forest)
                    ),
                    Method("skprune shared ccp best", _pruner(forest, "ccp", "best")),
                    Method("skprune shared ccp 1-SE", _pruner(forest, "ccp", "1se")),
                ],
                curve=lambda f=forest: ForestPrunerCV(f, method="ccp"),
            )
        )
    return tasks
