import warnings

import numpy as np
import pytest
from sklearn.base import is_classifier
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_iris,
    make_classification,
    make_regression,
)
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    RepeatedKFold,
    RepeatedStratifiedKFold,
    StratifiedKFold,
)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils._param_validation import InvalidParameterError

from skprune.model_selection._splits import check_repeated_cv
from skprune.tree import CostComplexityPrunerCV


def _split_scores(cv_results, n_splits):
    return np.array([cv_results[f"split{k}_test_score"] for k in range(n_splits)])


@pytest.mark.parametrize(
    "load, tree, scoring",
    [
        (load_breast_cancer, DecisionTreeClassifier(random_state=0), None),
        (load_breast_cancer, DecisionTreeClassifier(random_state=0), "roc_auc"),
        (load_iris, DecisionTreeClassifier(random_state=1), "neg_log_loss"),
        (
            load_iris,
            DecisionTreeClassifier(random_state=1, max_features=2),
            "balanced_accuracy",
        ),
        (load_diabetes, DecisionTreeRegressor(random_state=0), None),
        (
            load_diabetes,
            DecisionTreeRegressor(random_state=0, min_samples_leaf=5),
            "neg_mean_absolute_error",
        ),
    ],
)
def test_scores_equal_grid_search_cv(load, tree, scoring):
    X, y = load(return_X_y=True)
    cv = (StratifiedKFold if is_classifier(tree) else KFold)(
        4, shuffle=True, random_state=0
    )
    pruner = CostComplexityPrunerCV(tree, cv=cv, scoring=scoring).fit(X, y)
    alphas = pruner.cv_results_["param_ccp_alpha"]
    grid = GridSearchCV(tree, {"ccp_alpha": alphas}, cv=cv, scoring=scoring)
    grid.fit(X, y)
    np.testing.assert_array_equal(
        _split_scores(pruner.cv_results_, 4), _split_scores(grid.cv_results_, 4)
    )
    np.testing.assert_allclose(
        pruner.cv_results_["mean_test_score"], grid.cv_results_["mean_test_score"]
    )


def test_multioutput_regression_scores_equal_grid_search_cv():
    X, y = make_regression(n_samples=200, n_targets=3, noise=10.0, random_state=0)
    tree = DecisionTreeRegressor(random_state=0)
    pruner = CostComplexityPrunerCV(tree, cv=3, n_repeats=1).fit(X, y)
    grid = GridSearchCV(
        tree, {"ccp_alpha": pruner.cv_results_["param_ccp_alpha"]}, cv=3
    ).fit(X, y)
    np.testing.assert_array_equal(
        _split_scores(pruner.cv_results_, 3), _split_scores(grid.cv_results_, 3)
    )
    assert pruner.predict(X).shape == (200, 3)


def test_path_is_scikit_learns_path():
    X, y = load_breast_cancer(return_X_y=True)
    tree = DecisionTreeClassifier(random_state=0)
    pruner = CostComplexityPrunerCV(tree).fit(X, y)
    expected = tree.cost_complexity_pruning_path(X, y).ccp_alphas
    np.testing.assert_array_equal(
        pruner.cv_results_["param_ccp_alpha"], np.unique(np.maximum(expected, 0))
    )
    leaves = [
        DecisionTreeClassifier(random_state=0, ccp_alpha=a).fit(X, y).get_n_leaves()
        for a in pruner.cv_results_["param_ccp_alpha"]
    ]
    np.testing.assert_array_equal(pruner.cv_results_["size"], leaves)


@pytest.mark.parametrize("rule", ["best", "1se", 0.01])
@pytest.mark.parametrize(
    "Tree, load",
    [
        (DecisionTreeClassifier, load_breast_cancer),
        (DecisionTreeRegressor, load_diabetes),
    ],
)
def test_best_estimator_is_a_refit_with_the_chosen_alpha(rule, Tree, load):
    X, y = load(return_X_y=True)
    pruner = CostComplexityPrunerCV(Tree(random_state=0), rule=rule).fit(X, y)
    best = pruner.best_estimator_
    assert type(best) is Tree
    assert best.ccp_alpha == pruner.best_params_["ccp_alpha"]
    refit = Tree(random_state=0, ccp_alpha=best.ccp_alpha).fit(X, y)
    np.testing.assert_array_equal(pruner.predict(X), refit.predict(X))
    assert best.get_n_leaves() == refit.get_n_leaves()
    assert best.get_n_leaves() == pruner.cv_results_["size"][pruner.best_index_]
    if Tree is DecisionTreeClassifier:
        np.testing.assert_array_equal(pruner.predict_proba(X), refit.predict_proba(X))


@pytest.mark.parametrize("seed", range(4))
def test_one_se_is_no_larger_than_best_and_within_one_se(seed):
    X, y = make_classification(n_samples=400, flip_y=0.15, random_state=seed)
    tree = DecisionTreeClassifier(random_state=seed)
    best = CostComplexityPrunerCV(tree, rule="best", random_state=seed).fit(X, y)
    one_se = CostComplexityPrunerCV(tree, rule="1se", random_state=seed).fit(X, y)
    results = one_se.cv_results_
    assert one_se.best_estimator_.get_n_leaves() <= best.best_estimator_.get_n_leaves()
    se = results["std_test_score"][best.best_index_] / np.sqrt(one_se.n_splits_)
    assert one_se.best_score_ >= best.best_score_ - se
    # ... and it is the smallest such tree.
    within = results["mean_test_score"] >= best.best_score_ - se
    assert results["size"][one_se.best_index_] == results["size"][within].min()


def test_cv_results_keys_and_best_attributes():
    X, y = load_iris(return_X_y=True)
    pruner = CostComplexityPrunerCV(
        DecisionTreeClassifier(random_state=0), cv=3, n_repeats=1
    )
    pruner.fit(X, y)
    results = pruner.cv_results_
    n_points = len(results["param_ccp_alpha"])
    for key in [
        "size",
        "params",
        "mean_test_score",
        "std_test_score",
        "rank_test_score",
        "mean_fit_time",
        "split0_test_score",
        "split2_test_score",
    ]:
        assert len(results[key]) == n_points
    assert "split3_test_score" not in results
    assert results["rank_test_score"][np.argmax(results["mean_test_score"])] == 1
    grid = GridSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"ccp_alpha": results["param_ccp_alpha"]},
        cv=3,
    ).fit(X, y)
    np.testing.assert_array_equal(
        results["rank_test_score"], grid.cv_results_["rank_test_score"]
    )
    assert pruner.best_params_ == results["params"][pruner.best_index_]
    assert pruner.best_score_ == results["mean_test_score"][pruner.best_index_]
    np.testing.assert_array_equal(pruner.classes_, [0, 1, 2])
    assert pruner.n_splits_ == 3
    assert not hasattr(pruner, "decision_function")


def test_single_leaf_choice_warns():
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(60, 3)), rng.randint(0, 2, 60)
    # A tolerance of 1 admits every tree, so the rule takes the root alone.
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0), rule=1.0)
    with pytest.warns(UserWarning, match="single leaf"):
        pruner.fit(X, y)
    assert pruner.best_estimator_.get_n_leaves() == 1


def test_no_warning_when_the_choice_keeps_splits():
    X, y = load_breast_cancer(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0)).fit(X, y)


def test_user_estimator_is_not_fitted():
    X, y = load_iris(return_X_y=True)
    tree = DecisionTreeClassifier(random_state=0, ccp_alpha=0.5)
    CostComplexityPrunerCV(tree, cv=3).fit(X, y)
    assert not hasattr(tree, "tree_")
    assert tree.ccp_alpha == 0.5


X_OK, Y_OK = load_iris(return_X_y=True)


@pytest.mark.parametrize(
    "X, y, error, match",
    [
        (np.where(X_OK > 6, np.inf, X_OK), Y_OK, ValueError, "infinity"),
        (np.empty((0, 4)), np.empty(0), ValueError, "0 sample"),
        (X_OK[:, 0], Y_OK, ValueError, "Expected 2D array"),
        (
            np.full((150, 2), "a"),
            Y_OK,
            ValueError,
            "could not convert string to float",  # as DecisionTreeClassifier
        ),
        (X_OK, Y_OK[:-1], ValueError, "inconsistent numbers of samples"),
    ],
)
def test_bad_training_input(X, y, error, match):
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier())
    with pytest.raises(error, match=match):
        pruner.fit(X, y)


def test_wrong_number_of_features_at_predict():
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier(), cv=3).fit(X_OK, Y_OK)
    with pytest.raises(
        ValueError, match="X has 3 features, but CostComplexityPrunerCV is expecting 4"
    ):
        pruner.predict(X_OK[:, :3])


def test_estimator_that_is_not_a_tree():
    pruner = CostComplexityPrunerCV(LogisticRegression())
    with pytest.raises(TypeError, match="prunes DecisionTreeClassifier"):
        pruner.fit(X_OK, Y_OK)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"cv": "five"}, "cv"),
        ({"rule": "2se"}, "rule"),
        ({"rule": -1.0}, "rule"),
        ({"scoring": "no-such-metric"}, "scoring"),
        ({"n_jobs": 1.5}, "n_jobs"),
        ({"estimator": "tree"}, "estimator"),
    ],
)
def test_invalid_parameters(params, match):
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier()).set_params(**params)
    with pytest.raises(InvalidParameterError, match=match):
        pruner.fit(X_OK, Y_OK)


def test_multioutput_classification_is_refused():
    y = np.c_[Y_OK, Y_OK]
    with pytest.raises(ValueError, match="y should be a 1d array"):
        CostComplexityPrunerCV(DecisionTreeClassifier()).fit(X_OK, y)


@pytest.mark.parametrize(
    "load, tree, splitter",
    [
        (
            load_breast_cancer,
            DecisionTreeClassifier(random_state=0),
            RepeatedStratifiedKFold,
        ),
        (load_diabetes, DecisionTreeRegressor(random_state=0), RepeatedKFold),
    ],
)
def test_an_int_cv_is_repeated_with_new_shuffles(load, tree, splitter):
    X, y = load(return_X_y=True)
    pruner = CostComplexityPrunerCV(tree, cv=4, n_repeats=2, random_state=0).fit(X, y)
    assert pruner.n_splits_ == 8
    folds = splitter(n_splits=4, n_repeats=2, random_state=0)
    grid = GridSearchCV(
        tree, {"ccp_alpha": pruner.cv_results_["param_ccp_alpha"]}, cv=folds
    )
    grid.fit(X, y)
    # The same splits, so the same scores, means and stds to the last bit.
    for key in ["mean_test_score", "std_test_score", "rank_test_score"] + [
        f"split{k}_test_score" for k in range(8)
    ]:
        np.testing.assert_array_equal(pruner.cv_results_[key], grid.cv_results_[key])
    # Two repeats are not the same folds twice.
    assert not np.array_equal(
        pruner.cv_results_["split0_test_score"], pruner.cv_results_["split4_test_score"]
    )


def test_the_default_is_5_folds_3_times():
    X, y = load_breast_cancer(return_X_y=True)
    tree = DecisionTreeClassifier(random_state=0)
    pruner = CostComplexityPrunerCV(tree, random_state=0).fit(X, y)
    folds = RepeatedStratifiedKFold(n_splits=5, n_repeats=3, random_state=0)
    grid = GridSearchCV(
        tree, {"ccp_alpha": pruner.cv_results_["param_ccp_alpha"]}, cv=folds
    )
    grid.fit(X, y)
    assert pruner.n_splits_ == 15
    np.testing.assert_array_equal(
        pruner.cv_results_["mean_test_score"], grid.cv_results_["mean_test_score"]
    )


def test_one_repeat_or_a_splitter_is_used_as_given():
    X, y = load_breast_cancer(return_X_y=True)
    tree = DecisionTreeClassifier(random_state=0)
    once = CostComplexityPrunerCV(tree, n_repeats=1).fit(X, y)
    grid = GridSearchCV(tree, {"ccp_alpha": once.cv_results_["param_ccp_alpha"]}, cv=5)
    grid.fit(X, y)
    np.testing.assert_array_equal(
        once.cv_results_["mean_test_score"], grid.cv_results_["mean_test_score"]
    )
    given = CostComplexityPrunerCV(tree, cv=KFold(3), n_repeats=4).fit(X, y)
    assert given.n_splits_ == 3


def test_repeated_folds_are_stratified_only_where_check_cv_stratifies():
    y_multiclass = np.repeat([0, 1, 2], 10)
    y_multilabel = np.tile([[0, 1], [1, 0]], (15, 1))
    assert isinstance(
        check_repeated_cv(5, 3, 0, y_multiclass, classifier=True),
        RepeatedStratifiedKFold,
    )
    assert isinstance(
        check_repeated_cv(None, 3, 0, y_multilabel, classifier=True), RepeatedKFold
    )
    assert isinstance(
        check_repeated_cv(5, 3, 0, y_multiclass, classifier=False), RepeatedKFold
    )


@pytest.mark.parametrize(
    "params, match",
    [({"n_repeats": 0}, "n_repeats"), ({"random_state": "seed"}, "random_state")],
)
def test_bad_repetition_parameters(params, match):
    X, y = load_iris(return_X_y=True)
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier(), **params)
    with pytest.raises(InvalidParameterError, match=match):
        pruner.fit(X, y)
