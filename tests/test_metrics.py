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


def test_linear_models_are_not_yet_measured():
    with pytest.raises(TypeError):
        model_size(LinearRegression().fit(X, Y))
