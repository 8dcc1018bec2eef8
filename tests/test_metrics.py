import pickle

import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skprune.metrics import model_size
from skprune.tree import CostComplexityPrunerCV

X, Y = load_iris(return_X_y=True)


def test_tree_size():
    tree = DecisionTreeClassifier(random_state=0).fit(X, Y)
    size = model_size(tree)
    assert size["leaves"] == tree.get_n_leaves()
    assert size["nodes"] == tree.tree_.node_count
    assert size["depth"] == tree.get_depth()
    assert size["features_used"] == (tree.feature_importances_ > 0).sum()
    assert size["bytes"] == len(pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL))


def test_pruner_and_pipeline_measure_the_final_tree():
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0), cv=3)
    pipe = make_pipeline(StandardScaler(), pruner).fit(X, Y)
    leaves = pipe[-1].best_estimator_.get_n_leaves()
    assert model_size(pipe)["leaves"] == leaves
    assert model_size(pipe[-1])["leaves"] == leaves
    assert model_size(pipe)["bytes"] > model_size(pipe[-1].best_estimator_)["bytes"]


def test_unknown_model():
    with pytest.raises(TypeError, match="does not know how to measure"):
        model_size(object())


def test_unfitted_tree():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        model_size(DecisionTreeClassifier())


def test_unsupported_fitted_model():
    from sklearn.svm import SVC

    with pytest.raises(TypeError, match="does not know how to measure SVC"):
        model_size(SVC().fit(X, Y))


def test_linear_sizes():
    import numpy as np
    from sklearn.linear_model import Lasso

    from skprune.linear import FeaturePruner

    lasso = Lasso(alpha=0.5).fit(X, Y)
    size = model_size(lasso)
    assert (
        size["features"]
        == size["nonzero_coefficients"]
        == np.count_nonzero(lasso.coef_)
    )
    assert model_size(LinearRegression().fit(X, Y))["features"] == 4
    pruner = FeaturePruner(LinearRegression(), n_features=2).fit(X, Y)
    assert model_size(pruner) | {"bytes": 0} == {
        "bytes": 0,
        "features": 2,
        "nonzero_coefficients": 2,
    }


def test_boosting_sizes():
    from sklearn.ensemble import (
        GradientBoostingClassifier,
        HistGradientBoostingClassifier,
    )

    gb = GradientBoostingClassifier(n_estimators=4, max_depth=2).fit(X, Y)
    size = model_size(gb)
    assert (size["rounds"], size["trees"]) == (4, 12)
    assert size["leaves"] == sum(t.get_n_leaves() for t in gb.estimators_.flat)
    hgb = HistGradientBoostingClassifier(max_iter=3, max_leaf_nodes=4).fit(X, Y)
    assert model_size(hgb)["rounds"] == 3 and model_size(hgb)["trees"] == 9
    assert model_size(hgb)["leaves"] <= 36


def test_xgboost_size():
    xgboost = pytest.importorskip("xgboost")
    model = xgboost.XGBClassifier(n_estimators=3, max_depth=1, n_jobs=1).fit(X, Y)
    assert model_size(model) | {"bytes": 0} == {
        "bytes": 0,
        "rounds": 3,
        "trees": 9,
        "leaves": 18,
    }
