"""Benchmark rows of the tree family: ccp_alpha chosen three ways."""

from sklearn.model_selection import RepeatedKFold, RepeatedStratifiedKFold
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from ..tree import CostComplexityPrunerCV
from ._baselines import (
    allow_nan,
    fitter,
    grid_search,
    pruner_candidates,
    rule_methods,
)
from ._registry import Method, Task, register_family

# GridSearchCV refits a tree per alpha; past this many alphas (quick scope)
# it tries an even subset and its time is extrapolated.
_MAX_ALPHAS = {"quick": 20, "default": None, "full": None}


@register_family(
    "tree",
    datasets={
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
    },
)
def tree_tasks(dataset, scope):
    classification = dataset.kind == "classification"
    tree = (DecisionTreeClassifier if classification else DecisionTreeRegressor)(
        random_state=0
    )
    # The pruner's default folds, 3 x 5, made explicit so that GridSearchCV
    # scores the same splits.
    cv = (RepeatedStratifiedKFold if classification else RepeatedKFold)(
        n_splits=5, n_repeats=3, random_state=0
    )
    pruner = CostComplexityPrunerCV(tree, cv=cv)
    methods = [
        Method(
            "unpruned tree",
            fitter(tree),
            "The decision tree grown in full (scikit-learn defaults).",
            role="reference",
        ),
        Method(
            "GridSearchCV(ccp_alpha)",
            grid_search(
                tree,
                "ccp_alpha",
                pruner_candidates(pruner, "ccp_alpha"),
                _MAX_ALPHAS[scope],
                cv=cv,
            ),
            "GridSearchCV (3 x 5 repeated folds, best mean score) refitting a "
            "tree for each alpha CostComplexityPrunerCV scores on the training "
            "data: its candidates, folds and choice (among tied scores "
            "GridSearchCV keeps the larger tree).",
            role="baseline",
        ),
        *rule_methods(
            pruner,
            "Scores every alpha of the cost-complexity path from one unpruned "
            "tree per fold (3 x 5 repeated folds, the default)",
            same_choice_as="GridSearchCV(ccp_alpha)",
        ),
    ]
    return [
        Task(
            methods=methods,
            unit="leaves",
            curve=lambda: pruner,
            allow_nan=allow_nan(tree, pruner),
        )
    ]
