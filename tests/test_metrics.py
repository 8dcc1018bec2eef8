import pickle

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from skprune.metrics import model_size
from skprune.neural import MLPClassifier, MLPPruner, MLPPrunerCV, to_sklearn
from skprune.tree import CostComplexityPrunerCV

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


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
    with pytest.raises(NotFittedError):
        model_size(DecisionTreeClassifier())


def test_any_fitted_estimator_is_measured_by_its_fitted_numbers():
    svc = SVC().fit(X, Y)
    size = model_size(svc)
    floats = [svc.support_vectors_, svc.dual_coef_, svc.intercept_]
    assert size["parameters"] >= sum(a.size for a in floats)
    assert size["nonzero_parameters"] <= size["parameters"]
    scaler = StandardScaler().fit(X)
    assert model_size(scaler) | {"bytes": 0} == {
        "bytes": 0,
        "parameters": 12,  # mean_, var_, scale_
        "nonzero_parameters": 12,
    }
    with pytest.raises(NotFittedError):
        model_size(SVC())


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


def _pickled(model):
    return len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))


@pytest.fixture(scope="module")
def digits_mlp():
    X, y = load_digits(return_X_y=True)
    mlp = MLPClassifier(hidden_layer_sizes=(100, 60), max_iter=5, random_state=0)
    return mlp.fit(X / 16, y), X / 16, y


def test_scikit_learn_mlp_size():
    mlp = SklearnMLPClassifier(hidden_layer_sizes=(5,)).fit(X, Y)
    mlp.coefs_[0][0, :2] = 0
    size = model_size(mlp)
    assert size["bytes"] == _pickled(mlp)
    assert size["parameters"] == 4 * 5 + 5 + 5 * 3 + 3
    assert size["nonzero_parameters"] == size["parameters"] - 2
    assert size["neurons"] == [5]
    assert size["flops"] == 2 * (4 * 5 - 2 + 5 * 3) + 5 + 3
    assert size["bytes_dense"] == 8 * size["parameters"]


def test_skprune_mlp_is_measured_as_it_deploys(digits_mlp):
    mlp, X, y = digits_mlp
    size = model_size(mlp)
    assert size["bytes"] == _pickled(to_sklearn(mlp))
    assert size["parameters"] == 64 * 100 + 100 + 100 * 60 + 60 + 60 * 10 + 10
    small = MLPClassifier(hidden_layer_sizes=(7,), max_iter=2)
    float32 = small.fit(X.astype(np.float32), y)
    assert model_size(float32)["bytes_dense"] == 4 * model_size(float32)["parameters"]


@pytest.mark.parametrize("granularity", ["weight", "neuron"])
def test_a_pruner_is_measured_by_its_pruned_model_not_the_original(
    digits_mlp, granularity
):
    mlp, X, y = digits_mlp
    pruner = MLPPruner(
        mlp, sparsity=0.8, granularity=granularity, prefit=True, finetune_iter=0
    ).fit(X, y)
    size = model_size(pruner)
    deployed = to_sklearn(pruner.estimator_)
    assert size["bytes"] == _pickled(deployed)
    assert size == model_size(pruner.estimator_)
    if granularity == "neuron":  # smaller layers: a smaller pickle
        assert size["bytes"] < 0.25 * model_size(mlp)["bytes"]
    else:
        assert size["nonzero_parameters"] < 0.25 * size["parameters"]
    pipe = make_pipeline(StandardScaler(), pruner)
    pipe_size = model_size(pipe)
    expected = Pipeline([("standardscaler", pipe[0]), ("mlppruner", deployed)])
    assert pipe_size["bytes"] == _pickled(expected)
    assert pipe_size["nonzero_parameters"] == size["nonzero_parameters"]


def test_a_cv_pruner_is_measured_by_its_best_estimator(digits_mlp):
    mlp, X, y = digits_mlp
    search = MLPPrunerCV(mlp, sparsity=0.9, n_rounds=2, finetune_iter=1, cv=2)
    search = search.fit(X, y)
    assert model_size(search) == model_size(search.best_estimator_)
