"""Benchmark rows of the forest family: fewer trees, or smaller trees."""

from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

from ..tree import ForestPrunerCV
from ._baselines import (
    allow_nan,
    fitter,
    grid_search,
    pruner_candidates,
    rule_methods,
)
from ._registry import Method, Task, register_family

# GridSearchCV refits a whole forest per alpha: in the quick and default
# scopes it tries 10 of ForestPrunerCV's alphas, its time extrapolated.
_MAX_ALPHAS = {"quick": 10, "default": 10, "full": None}


@register_family(
    "forest",
    datasets={
        "quick": ["breast_cancer"],
        "default": ["breast_cancer", "wine"],
        "full": [
            "breast_cancer",
            "wine",
            "synthetic_classification",
            "diabetes",
            "friedman1",
        ],
    },
)
def forest_tasks(dataset, scope):
    n_trees = 30 if scope == "quick" else 100
    cls = (
        RandomForestClassifier
        if dataset.kind == "classification"
        else RandomForestRegressor
    )
    forest = cls(n_estimators=n_trees, random_state=0)
    full = Method(
        f"full forest ({n_trees} trees)",
        fitter(forest),
        f"The random forest with all {n_trees} trees, unpruned.",
        role="reference",
    )
    subsets = ForestPrunerCV(forest, method="trees")
    shared = ForestPrunerCV(forest, method="ccp")
    grid = Method(
        "GridSearchCV(ccp_alpha)",
        grid_search(
            forest,
            "ccp_alpha",
            pruner_candidates(shared, "ccp_alpha"),
            _MAX_ALPHAS[scope],
        ),
        "GridSearchCV refitting the forest for each alpha ForestPrunerCV "
        "scores on the training data, chosen by 5-fold CV where ForestPrunerCV "
        "uses the out-of-bag scores of one fit: compare their held-out scores.",
        role="baseline",
    )
    return [
        Task(
            methods=[
                full,
                *rule_methods(
                    subsets,
                    "Keeps the first trees in ordered-aggregation order, "
                    "scored out-of-bag from one forest fit",
                    method="trees",
                ),
            ],
            unit="trees",
            label="trees",
            curve=lambda: subsets,
            allow_nan=allow_nan(forest, subsets),
        ),
        Task(
            methods=[
                full,
                grid,
                *rule_methods(
                    shared,
                    "Prunes every tree with one shared ccp_alpha, scored "
                    "out-of-bag from one forest fit",
                    same_choice_as="GridSearchCV(ccp_alpha)",
                    method="ccp",
                ),
            ],
            unit="leaves",
            label="ccp",
            curve=lambda: shared,
            allow_nan=allow_nan(forest, shared),
        ),
    ]
