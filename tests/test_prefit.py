"""Pruning a forest or a tree the user already fitted, without refitting it."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.tree import DecisionTreeClassifier

from skprune.tree import CostComplexityPrunerCV, ForestPrunerCV

X, Y = load_breast_cancer(return_X_y=True)


@pytest.mark.parametrize("cv", ["oob", 3])
def test_prefit_forest_keeps_the_users_own_trees(cv):
    forest = RandomForestClassifier(n_estimators=30, random_state=0).fit(X, Y)
    before = forest.predict_proba(X)
    pruner = ForestPrunerCV(forest, prefit=True, cv=cv).fit(X, Y)
    kept = pruner.tree_order_[: pruner.best_params_["n_trees"]]
    votes = np.mean([forest.estimators_[i].predict_proba(X) for i in kept], axis=0)
    np.testing.assert_allclose(pruner.predict_proba(X), votes)
    # The user's forest is untouched, and a refitting pruner differs from it
    # only where its own fit would (same random_state, same trees).
    np.testing.assert_array_equal(forest.predict_proba(X), before)
    assert len(forest.estimators_) == 30
    if cv == "oob":
        refitting = ForestPrunerCV(clone(forest), cv=cv).fit(X, Y)
        np.testing.assert_array_equal(
            refitting.cv_results_["mean_test_score"],
            pruner.cv_results_["mean_test_score"],
        )


def test_prefit_forest_with_ccp_prunes_the_users_trees():
    forest = RandomForestClassifier(n_estimators=10, random_state=1).fit(X, Y)
    pruner = ForestPrunerCV(forest, method="ccp", prefit=True, rule=0.01).fit(X, Y)
    alpha = pruner.best_params_["ccp_alpha"]
    refit = clone(forest).set_params(ccp_alpha=alpha).fit(X, Y)
    np.testing.assert_array_equal(pruner.predict_proba(X), refit.predict_proba(X))
    assert forest.ccp_alpha == 0.0


def test_prefit_tree_path_is_the_users_tree():
    tree = DecisionTreeClassifier(random_state=0, max_features=0.5).fit(X, Y)
    n_leaves = tree.get_n_leaves()
    pruner = CostComplexityPrunerCV(tree, prefit=True).fit(X, Y)
    path = tree.cost_complexity_pruning_path(X, Y)
    np.testing.assert_allclose(
        pruner.cv_results_["param_ccp_alpha"], np.unique(np.maximum(path.ccp_alphas, 0))
    )
    refit = clone(tree).set_params(**pruner.best_params_).fit(X, Y)
    np.testing.assert_array_equal(pruner.predict(X), refit.predict(X))
    assert tree.ccp_alpha == 0.0 and tree.get_n_leaves() == n_leaves


@pytest.mark.parametrize(
    "pruner",
    [
        ForestPrunerCV(RandomForestClassifier(n_estimators=5), prefit=True),
        CostComplexityPrunerCV(DecisionTreeClassifier(), prefit=True),
    ],
)
def test_prefit_without_a_fitted_estimator(pruner):
    with pytest.raises(NotFittedError):
        pruner.fit(X, Y)


def test_prefit_forest_on_other_data_is_refused():
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, Y)
    with pytest.raises(ValueError, match="fitted on 569 samples, X has 300"):
        ForestPrunerCV(forest, prefit=True).fit(X[:300], Y[:300])
    with pytest.raises(ValueError, match="has 30 features, X has 10"):
        ForestPrunerCV(forest, prefit=True).fit(X[:, :10], Y)


@pytest.mark.parametrize(
    "pruner",
    [
        CostComplexityPrunerCV(
            DecisionTreeClassifier(random_state=0).fit(X, Y), prefit=True
        ),
        ForestPrunerCV(
            RandomForestClassifier(n_estimators=5, random_state=0).fit(X, Y),
            prefit=True,
            cv=3,
        ),
    ],
)
def test_prefit_model_of_other_classes_is_refused(pruner):
    three_classes = Y + (X[:, 0] > 15)  # classes 0, 1 and 2
    # The folds would fit fresh copies on three classes; the model kept
    # predicts two.
    with pytest.raises(ValueError, match=r"y has classes \[2\] that the prefit"):
        pruner.fit(X, three_classes)


def test_prefit_regressor_of_other_outputs_is_refused():
    from sklearn.tree import DecisionTreeRegressor

    tree = DecisionTreeRegressor(random_state=0).fit(X, np.c_[Y, Y])
    with pytest.raises(ValueError, match="y has 1 outputs, but the prefit"):
        CostComplexityPrunerCV(tree, prefit=True).fit(X, Y.astype(float))
