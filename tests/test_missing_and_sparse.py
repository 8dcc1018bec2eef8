"""What scikit-learn accepts, the pruners accept: NaN, sparse X, pipelines."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    make_classification,
    make_multilabel_classification,
)
from sklearn.ensemble import (
    GradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.feature_selection import RFE
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skprune.boosting import BoostingTrimmerCV
from skprune.linear import FeaturePruner, FeaturePrunerCV
from skprune.tree import CostComplexityPrunerCV, ForestPrunerCV


def _with_nan(X, fraction=0.1, seed=0):
    X = X.astype(float).copy()
    X[np.random.RandomState(seed).uniform(size=X.shape) < fraction] = np.nan
    return X


CANCER_NAN = (_with_nan(load_breast_cancer().data), load_breast_cancer().target)
DIABETES_NAN = (_with_nan(load_diabetes().data), load_diabetes().target)


@pytest.mark.parametrize(
    "tree, data",
    [
        (DecisionTreeClassifier(random_state=0), CANCER_NAN),
        (DecisionTreeRegressor(random_state=0), DIABETES_NAN),
    ],
    ids=["classifier", "regressor"],
)
def test_tree_with_missing_values_scores_as_grid_search(tree, data):
    X, y = data
    pruner = CostComplexityPrunerCV(tree, cv=3, n_repeats=1).fit(X, y)
    grid = GridSearchCV(
        tree, {"ccp_alpha": pruner.cv_results_["param_ccp_alpha"]}, cv=3
    ).fit(X, y)
    for k in range(3):
        np.testing.assert_array_equal(
            pruner.cv_results_[f"split{k}_test_score"],
            grid.cv_results_[f"split{k}_test_score"],
        )
    refit = clone(tree).set_params(**pruner.best_params_).fit(X, y)
    np.testing.assert_array_equal(pruner.predict(X), refit.predict(X))


def test_nan_where_the_estimator_refuses_it_names_the_pruner():
    X, y = CANCER_NAN
    booster = GradientBoostingClassifier(n_estimators=5)
    with pytest.raises(ValueError, match="BoostingTrimmerCV does not accept"):
        BoostingTrimmerCV(booster).fit(X, y)
    with pytest.raises(ValueError, match="FeaturePruner does not accept missing"):
        FeaturePruner(LogisticRegression()).fit(X, y)


@pytest.mark.parametrize("cv", ["oob", 3])
def test_forest_with_missing_values(cv):
    X, y = CANCER_NAN
    forest = RandomForestClassifier(n_estimators=15, random_state=0)
    pruner = ForestPrunerCV(forest, method="ccp", cv=cv, rule=0.01).fit(X, y)
    refit = clone(forest).set_params(**pruner.best_params_).fit(X, y)
    np.testing.assert_array_equal(pruner.predict_proba(X), refit.predict_proba(X))
    subset = ForestPrunerCV(forest, cv=cv).fit(X, y).best_estimator_
    trees = subset.estimators_
    votes = np.mean([tree.predict_proba(X) for tree in trees], axis=0)
    np.testing.assert_allclose(subset.predict_proba(X), votes)


def test_forest_kfold_ccp_scores_with_missing_values_equal_grid_search():
    X, y = CANCER_NAN
    forest = RandomForestClassifier(n_estimators=10, random_state=0)
    pruner = ForestPrunerCV(forest, method="ccp", cv=3).fit(X, y)
    alphas = pruner.cv_results_["param_ccp_alpha"][:6]
    grid = GridSearchCV(forest, {"ccp_alpha": alphas}, cv=3).fit(X, y)
    np.testing.assert_allclose(
        pruner.cv_results_["mean_test_score"][:6], grid.cv_results_["mean_test_score"]
    )


def test_sparse_tree_scores_as_dense():
    X, y = load_breast_cancer(return_X_y=True)
    tree = DecisionTreeClassifier(random_state=0)
    dense = CostComplexityPrunerCV(tree, cv=3, random_state=0).fit(X, y)
    on_csr = CostComplexityPrunerCV(tree, cv=3, random_state=0)
    on_csr.fit(sparse.csr_matrix(X), y)
    np.testing.assert_array_equal(
        dense.cv_results_["mean_test_score"], on_csr.cv_results_["mean_test_score"]
    )
    np.testing.assert_array_equal(
        dense.predict(X), on_csr.predict(sparse.csr_matrix(X))
    )


def _sparse_classification():
    X, y = make_classification(
        n_samples=200,
        n_features=12,
        n_informative=3,
        n_redundant=0,
        shuffle=False,
        random_state=0,
    )
    X[np.abs(X) < 0.8] = 0.0  # mostly zeros
    return sparse.csr_matrix(X), y


def test_feature_pruner_sparse_in_sparse_out_as_rfe():
    X, y = _sparse_classification()
    model = LogisticRegression(max_iter=1000)
    # importance="coef_" ranks by |coef_| as RFE does.
    pruner = FeaturePruner(model, n_features=4, importance="coef_").fit(X, y)
    rfe = RFE(model, n_features_to_select=4).fit(X, y)
    np.testing.assert_array_equal(pruner.support_, rfe.support_)
    assert sparse.issparse(pruner.transform(X))
    np.testing.assert_array_equal(
        pruner.transform(X).toarray(), rfe.transform(X).toarray()
    )
    np.testing.assert_array_equal(pruner.predict(X), rfe.predict(X))


def test_feature_pruner_cv_sparse_equals_dense():
    X, y = _sparse_classification()
    model = LogisticRegression(max_iter=1000)
    on_csr = FeaturePrunerCV(model, cv=3).fit(X, y)
    dense = FeaturePrunerCV(model, cv=3).fit(X.toarray(), y)
    np.testing.assert_allclose(
        on_csr.cv_results_["mean_test_score"], dense.cv_results_["mean_test_score"]
    )
    assert sparse.issparse(on_csr.transform(X))


def test_importance_from_a_pipeline_step_with_missing_values_as_rfe():
    X, y = CANCER_NAN
    pipe = make_pipeline(
        SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=1000)
    )
    getter = "named_steps.logisticregression.coef_"
    pruner = FeaturePruner(pipe, n_features=5, step=5, importance=getter).fit(X, y)
    rfe = RFE(pipe, n_features_to_select=5, step=5, importance_getter=getter)
    np.testing.assert_array_equal(pruner.support_, rfe.fit(X, y).support_)
    assert np.isnan(pruner.transform(X)).any()
    selector = FeaturePrunerCV(pipe, step=5, importance=getter, cv=3).fit(X, y)
    assert selector.score(X, y) > 0.9


def test_permutation_importance_finds_the_features_knn_uses():
    X, y = make_classification(
        n_samples=300,
        n_features=8,
        n_informative=2,
        n_redundant=0,
        n_clusters_per_class=1,
        class_sep=2.0,
        shuffle=False,
        random_state=0,
    )
    knn = KNeighborsClassifier()
    pruner = FeaturePruner(
        knn, n_features=2, step=3, importance="permutation", random_state=0
    ).fit(X, y)
    np.testing.assert_array_equal(pruner.get_support(indices=True), [0, 1])
    selector = FeaturePrunerCV(
        knn, step=3, importance="permutation", cv=3, random_state=0
    ).fit(X, y)
    assert {0, 1} <= set(selector.get_support(indices=True))
    again = FeaturePrunerCV(
        knn, step=3, importance="permutation", cv=3, random_state=0
    ).fit(X, y)
    np.testing.assert_array_equal(
        selector.cv_results_["mean_test_score"], again.cv_results_["mean_test_score"]
    )


def test_multi_output_classification_as_documented():
    X, Y = make_multilabel_classification(
        n_samples=120, n_features=8, n_classes=3, random_state=0
    )
    forest = RandomForestClassifier(n_estimators=10, random_state=0)
    selector = FeaturePrunerCV(forest, step=2, cv=3).fit(X, Y)
    assert selector.predict(X).shape == Y.shape
    assert selector.transform(X).shape[1] == selector.best_params_["n_features"]


def _categorical_frame():
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    code = rng.randint(0, 8, 400)
    X = pd.DataFrame({"x": rng.randn(400), "c": pd.Categorical(code)})
    return X, np.isin(code, [1, 4, 6]).astype(int)  # y follows the categories


def test_categorical_columns_an_estimator_reads_as_categories_are_refused():
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = _categorical_frame()
    booster = HistGradientBoostingClassifier(max_iter=10, max_depth=1)
    # The premise: on the frame, the booster finds the category; on the
    # numeric array skprune passes on, it cannot.
    on_frame = clone(booster).fit(X, y)
    assert list(on_frame.is_categorical_) == [False, True]
    assert clone(booster).fit(X.to_numpy(), y).is_categorical_ is None
    with pytest.raises(ValueError, match=r"categorical columns \['c'\]"):
        BoostingTrimmerCV(booster, cv=3).fit(X, y)
    # Named by index or mask, as the message asks, they are categories again.
    for named in ([1], np.array([False, True])):
        by_index = booster.set_params(categorical_features=named)
        pruner = BoostingTrimmerCV(by_index, cv=3).fit(X, y)
        assert list(pruner.best_estimator_.is_categorical_) == [False, True]


def test_categorical_columns_a_tree_reads_as_numbers_are_accepted():
    from sklearn.model_selection import StratifiedKFold

    X, y = _categorical_frame()
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0), cv=cv)
    grid = GridSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"ccp_alpha": pruner.fit(X, y).cv_results_["param_ccp_alpha"]},
        cv=cv,
    ).fit(X, y)
    np.testing.assert_allclose(
        pruner.cv_results_["mean_test_score"], grid.cv_results_["mean_test_score"]
    )
