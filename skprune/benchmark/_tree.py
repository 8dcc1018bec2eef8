"""Benchmark rows of the tree family: ccp_alpha chosen three ways."""

from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from ..tree import CostComplexityPrunerCV
from ._registry import Method, Task, register_family

_DATASETS = {
    "quick": ["breast_cancer", "diabetes"],
    "default": ["breast_cancer", "wine", "diabetes"],
    "full": [
        "breast_cancer",
        "wine",
        "digits",
        "synthetic_classification",
        "diabetes",
        "friedman1",
    ],
}
_CLASSIFICATION = {"breast_cancer", "wine", "digits", "synthetic_classification"}


def _tree(dataset):
    cls = (
        DecisionTreeClassifier if dataset in _CLASSIFICATION else DecisionTreeRegressor
    )
    return cls(random_state=0)


def _grid_search_path(tree):
    """What users do today: the path's alphas, each refitted by GridSearchCV."""

    def fit(X, y):
        alphas = tree.cost_complexity_pruning_path(X, y).ccp_alphas
        grid = {"ccp_alpha": sorted(set(max(a, 0.0) for a in alphas))}
        return GridSearchCV(tree, grid, cv=5).fit(X, y)

    return fit


def _pruner(tree, rule):
    return lambda X, y: CostComplexityPrunerCV(tree, cv=5, rule=rule).fit(X, y)


@register_family("tree")
def tree_tasks(scope):
    tasks = []
    for dataset in _DATASETS[scope]:
        tree = _tree(dataset)
        tasks.append(
            Task(
                dataset=dataset,
                size_key="leaves",
                methods=[
                    Method("unpruned tree", tree.fit),
                    Method("GridSearchCV ccp_alpha", _grid_search_path(tree)),
                    Method("skprune best", _pruner(tree, "best")),
                    Method("skprune 1-SE", _pruner(tree, "1se")),
                ],
                curve=lambda tree=tree: CostComplexityPrunerCV(tree, cv=5),
            )
        )
    return tasks
