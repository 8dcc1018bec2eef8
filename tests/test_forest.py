import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_iris,
    make_classification,
)
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprune.metrics import model_size
from skprune.model_selection import select_by_rule
from skprune.tree import ForestPrunerCV

IRIS = load_iris(return_X_y=True)
CANCER = load_breast_cancer(return_X_y=True)
DIABETES = load_diabetes(return_X_y=True)

FORESTS = [
    (RandomForestClassifier(n_estimators=30, random_state=0), CANCER),
    (RandomForestClassifier(n_estimators=20, max_features=2, random_state=0), IRIS),
    (RandomForestRegressor(n_estimators=20, random_state=0), DIABETES),
    (ExtraTreesClassifier(n_estimators=20, bootstrap=True, random_state=0), IRIS),
    (ExtraTreesRegressor(n_estimators=20, bootstrap=True, random_state=0), DIABETES),
]
IDS = ["rf-binary", "rf-multiclass", "rf-reg", "et-multiclass", "et-reg"]


@pytest.mark.parametrize("forest, data", FORESTS, ids=IDS)
@pytest.mark.parametrize("cv", ["oob", 3])
def test_ccp_forest_equals_the_refit_forest(forest, data, cv):
    X, y = data
    pruner = ForestPrunerCV(forest, method="ccp", cv=cv, rule=0.01).fit(X, y)
    alpha = pruner.best_params_["ccp_alpha"]
    assert alpha > 0
    refit = clone(forest).set_params(ccp_alpha=alpha).fit(X, y)
    best = pruner.best_estimator_
    assert type(best) is type(forest) and best.ccp_alpha == alpha
    np.testing.assert_array_equal(pruner.predict(X), refit.predict(X))
    if is_classifier(forest):
        np.testing.assert_array_equal(pruner.predict_proba(X), refit.predict_proba(X))
    assert model_size(best)["leaves"] == model_size(refit)["leaves"]
    assert model_size(best)["leaves"] == pruner.cv_results_["size"][pruner.best_index_]


@pytest.mark.parametrize("forest, data", FORESTS, ids=IDS)
@pytest.mark.parametrize("cv", ["oob", 3])
def test_tree_subset_is_a_real_forest_averaging_the_chosen_trees(forest, data, cv):
    X, y = data
    # (The 1-SE rule, to be sure of a strict subset on these small forests.)
    pruner = ForestPrunerCV(forest, method="trees", cv=cv, rule="1se").fit(X, y)
    best = pruner.best_estimator_
    k = pruner.best_params_["n_trees"]
    assert type(best) is type(forest)
    assert best.n_estimators == len(best.estimators_) == k < forest.n_estimators
    assert len(best.estimators_samples_) == k
    assert sorted(pruner.tree_order_) == list(range(forest.n_estimators))
    full = clone(forest).fit(X, y)
    chosen = [full.estimators_[i] for i in pruner.tree_order_[:k]]
    if is_classifier(forest):
        expected = np.mean([t.predict_proba(X) for t in chosen], axis=0)
        np.testing.assert_allclose(best.predict_proba(X), expected)
        np.testing.assert_array_equal(
            best.predict(X), best.classes_[np.argmax(expected, axis=1)]
        )
    else:
        expected = np.mean([t.predict(X) for t in chosen], axis=0)
        np.testing.assert_allclose(best.predict(X), expected)
    assert model_size(best)["trees"] == k


def test_kfold_ccp_scores_equal_grid_search():
    X, y = CANCER
    forest = RandomForestClassifier(n_estimators=10, random_state=0)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    pruner = ForestPrunerCV(forest, method="ccp", cv=cv).fit(X, y)
    alphas = pruner.cv_results_["param_ccp_alpha"]
    grid = GridSearchCV(forest, {"ccp_alpha": alphas}, cv=cv).fit(X, y)
    for k in range(3):
        np.testing.assert_allclose(
            pruner.cv_results_[f"split{k}_test_score"],
            grid.cv_results_[f"split{k}_test_score"],
        )


def test_kfold_tree_prefix_scores_equal_refitting_the_subforest():
    X, y = DIABETES
    forest = RandomForestRegressor(n_estimators=12, random_state=0)
    cv = KFold(3, shuffle=True, random_state=0)
    pruner = ForestPrunerCV(forest, method="trees", cv=cv, min_trees=1).fit(X, y)
    train, test = next(cv.split(X))
    fold_forest = clone(forest).fit(X[train], y[train])
    fold_pruner = ForestPrunerCV(forest, method="trees", cv=cv)
    order = fold_pruner._fit_fold(X[train], y[train]).order_or_paths
    for k in (1, 5, 12):
        sub = clone(fold_forest)
        sub.estimators_ = [fold_forest.estimators_[i] for i in order[:k]]
        sub.n_outputs_ = fold_forest.n_outputs_
        np.testing.assert_allclose(
            pruner.cv_results_["split0_test_score"][k - 1], sub.score(X[test], y[test])
        )


def test_oob_scores_have_five_groups_and_one_se_shrinks():
    X, y = CANCER
    forest = RandomForestClassifier(n_estimators=40, random_state=0)
    best = ForestPrunerCV(forest, rule="best").fit(X, y)
    one_se = ForestPrunerCV(forest, rule="1se").fit(X, y)
    assert best.n_splits_ == 5 and "split4_test_score" in best.cv_results_
    assert one_se.best_params_["n_trees"] <= best.best_params_["n_trees"]
    # The full forest's out-of-bag accuracy, group by group, is what
    # RandomForest's own oob_score_ averages.
    full = clone(forest).set_params(oob_score=True).fit(X, y)
    groups = np.arange(len(y)) % 5
    oob_pred = full.classes_[np.argmax(full.oob_decision_function_, axis=1)]
    expected = [np.mean(oob_pred[groups == g] == y[groups == g]) for g in range(5)]
    np.testing.assert_allclose(
        [best.cv_results_[f"split{g}_test_score"][-1] for g in range(5)], expected
    )


def test_oob_without_bootstrap_is_refused():
    with pytest.raises(ValueError, match="bootstrap=False"):
        ForestPrunerCV(ExtraTreesClassifier(n_estimators=5)).fit(*IRIS)
    # k-fold works without bootstrap
    ForestPrunerCV(ExtraTreesClassifier(n_estimators=5), cv=3).fit(*IRIS)


def test_not_a_forest():
    with pytest.raises(TypeError, match="RandomForest"):
        ForestPrunerCV(GradientBoostingClassifier()).fit(*IRIS)


@pytest.mark.parametrize("method", ["trees", "ccp"])
def test_bad_input_and_pipeline(method):
    X, y = IRIS
    pruner = ForestPrunerCV(
        RandomForestClassifier(n_estimators=8, random_state=0), method=method
    )
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        pruner.fit(X, y[:-1])
    pipe = make_pipeline(StandardScaler(), pruner).fit(X, y)
    with pytest.raises(ValueError, match="expecting 4 features"):
        pipe[-1].predict(X[:, :2])
    assert pipe.score(X, y) > 0.9


@pytest.mark.parametrize("method", ["trees", "ccp"])
@pytest.mark.parametrize("cv", ["oob", 3])
def test_dataframe_input_raises_no_feature_name_warning(method, cv):
    import warnings

    pd = pytest.importorskip("pandas")
    data = load_iris(as_frame=True)
    forest = RandomForestClassifier(n_estimators=6, random_state=0)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*feature names.*")
        pruner = ForestPrunerCV(forest, method=method, cv=cv).fit(
            data.data, data.target
        )
        pruner.predict(data.data)
    assert isinstance(data.data, pd.DataFrame)
    assert list(pruner.feature_names_in_) == list(data.data.columns)


@pytest.mark.parametrize("weighted", [False, True])
def test_oob_ccp_groups_are_twenty_folds_of_the_oob_answers(weighted):
    X, y = CANCER
    weight = (
        np.random.RandomState(0).uniform(0.5, 2.0, len(y))
        if weighted
        else np.ones(len(y))
    )
    # (A forest fitted with unit weights may split ties differently.)
    fit_params = {"sample_weight": weight} if weighted else {}
    forest = RandomForestClassifier(n_estimators=25, random_state=0)
    pruner = ForestPrunerCV(forest, method="ccp").fit(X, y, **fit_params)
    results = pruner.cv_results_
    assert results["param_ccp_alpha"][0] == 0
    assert pruner.n_splits_ == 20
    groups = np.arange(len(y)) % 20
    # At every alpha (0 is the unpruned forest) the out-of-bag answers are
    # those of scikit-learn's forest refitted with that ccp_alpha, scored
    # group by group and weighted as GridSearchCV weights a fold.
    n_alphas = len(results["param_ccp_alpha"])
    for i in np.linspace(0, n_alphas - 1, 4).astype(int):
        alpha = results["param_ccp_alpha"][i]
        refit = clone(forest).set_params(oob_score=True, ccp_alpha=alpha)
        refit.fit(X, y, **fit_params)
        oob_pred = refit.classes_[np.argmax(refit.oob_decision_function_, axis=1)]
        correct = (oob_pred == y).astype(float)
        np.testing.assert_allclose(
            [results[f"split{g}_test_score"][i] for g in range(20)],
            [
                np.average(correct[groups == g], weights=weight[groups == g])
                for g in range(20)
            ],
        )
    # The 1-SE rule reads the groups as folds: the smallest forest within
    # std / sqrt(20) of the best.
    best = np.argmax(results["mean_test_score"])
    se = results["std_test_score"][best] / np.sqrt(20)
    within = results["mean_test_score"] >= results["mean_test_score"][best] - se
    one_se = ForestPrunerCV(forest, method="ccp", rule="1se").fit(X, y, **fit_params)
    assert results["size"][one_se.best_index_] == results["size"][within].min()


def _brier_after_adding(outputs, mask, y_target, chosen, candidate):
    """The loss greedy_order minimises, computed naively for one candidate."""
    trees = list(chosen) + [candidate]
    total = (outputs[trees] * mask[trees][:, :, None]).sum(axis=0)
    count = mask[trees].sum(axis=0)
    covered = count > 0
    mean = total[covered] / count[covered][:, None]
    return ((mean - y_target[covered]) ** 2).sum(axis=1).mean()


@pytest.mark.parametrize("n_columns", [1, 2, 4])
def test_greedy_order_adds_the_tree_with_the_lowest_brier_score(n_columns):
    from skprune.tree._forest_paths import greedy_order

    rng = np.random.RandomState(n_columns)
    n_trees, n_samples = 25, 150
    outputs = rng.uniform(size=(n_trees, n_samples, n_columns))
    # Out-of-bag-like masks, and a few identical trees for exact ties.
    mask = rng.uniform(size=(n_trees, n_samples)) < 0.37
    outputs[3], mask[3] = outputs[7], mask[7]
    y_target = rng.uniform(size=(n_samples, n_columns))
    order = greedy_order(outputs, mask, y_target)
    assert sorted(order) == list(range(n_trees))
    for step in range(n_trees - 1):
        losses = [
            _brier_after_adding(outputs, mask, y_target, order[:step], t)
            for t in order[step:]
        ]
        np.testing.assert_allclose(losses[0], min(losses), rtol=1e-5)


def _small_noisy_bagging():
    """64 noisy samples and 100 bagged trees: out-of-bag groups of 13."""
    X, y = make_classification(
        n_samples=64, n_features=10, n_informative=3, flip_y=0.1, random_state=0
    )
    bagging = RandomForestClassifier(
        n_estimators=100, max_features=None, random_state=0
    )
    return bagging, X, y


def test_a_tiny_sub_forest_needs_more_than_noisy_differences():
    # Out-of-bag groups of 13 make a one-tree forest's differences from the
    # best so noisy that a paired test alone lets it through; rule="paired"
    # also asks for Breiman's standard error.
    bagging, X, y = _small_noisy_bagging()
    # Every size is a candidate, so the rules alone decide.
    pruner = ForestPrunerCV(bagging, rule="paired", min_trees=1).fit(X, y)
    one_se = ForestPrunerCV(bagging, rule="1se", min_trees=1).fit(X, y)
    assert pruner.best_params_["n_trees"] >= one_se.best_params_["n_trees"] > 2


@pytest.mark.parametrize(
    "min_trees, fewest", [(0.2, 2), (1, 1), (0.3, 3), (7, 7), (1.0, 10)]
)
def test_min_trees_is_the_smallest_candidate(min_trees, fewest):
    X, y = CANCER
    forest = RandomForestClassifier(n_estimators=10, random_state=0)
    everything = ForestPrunerCV(forest, min_trees=1, rule="best").fit(X, y)
    pruner = ForestPrunerCV(forest, min_trees=min_trees, rule="best").fit(X, y)
    assert list(pruner.cv_results_["param_n_trees"]) == list(range(fewest, 11))
    # The candidates left are scored as on the whole path.
    np.testing.assert_array_equal(
        pruner.cv_results_["split3_test_score"],
        everything.cv_results_["split3_test_score"][fewest - 1 :],
    )
    assert pruner.best_params_["n_trees"] >= fewest
    assert len(pruner.best_estimator_.estimators_) == pruner.best_params_["n_trees"]


def test_min_trees_binds_where_the_rule_alone_picks_a_handful_of_trees():
    # With every size allowed, Breiman's rule on five out-of-bag groups
    # settles on a few trees; the default floor of a fifth of the forest does
    # not let it (the study shows what that is worth).
    bagging, X, y = _small_noisy_bagging()
    unbounded = ForestPrunerCV(bagging, rule="1se", min_trees=1).fit(X, y)
    bounded = ForestPrunerCV(bagging, rule="1se").fit(X, y)
    assert unbounded.best_params_["n_trees"] < 20 <= bounded.best_params_["n_trees"]


def test_min_trees_above_the_forest_size_is_refused():
    forest = RandomForestClassifier(n_estimators=10, random_state=0)
    too_many = r"min_trees=11 must be <= the number of trees \(10\)"
    # Refused before the forest is fitted: its fit would raise a TypeError.
    with pytest.raises(ValueError, match=too_many):
        ForestPrunerCV(forest, min_trees=11).fit(*IRIS, not_a_fit_param=1)
    fitted = clone(forest).fit(*IRIS)
    with pytest.raises(ValueError, match=too_many):
        ForestPrunerCV(fitted, min_trees=11, prefit=True).fit(*IRIS)
    with pytest.raises(ValueError, match="min_trees"):
        ForestPrunerCV(forest, min_trees=1.5).fit(*IRIS)


@pytest.mark.parametrize("prefit", [False, True])
def test_min_trees_with_kfold_and_prefit(prefit):
    X, y = CANCER
    forest = RandomForestClassifier(n_estimators=10, random_state=0)
    if prefit:
        forest.fit(X, y)
    pruner = ForestPrunerCV(
        forest, cv=3, min_trees=0.3, rule="best", prefit=prefit
    ).fit(X, y)
    assert list(pruner.cv_results_["param_n_trees"]) == list(range(3, 11))
    everything = ForestPrunerCV(
        forest, cv=3, min_trees=1, rule="best", prefit=prefit
    ).fit(X, y)
    np.testing.assert_array_equal(
        pruner.cv_results_["mean_test_score"],
        everything.cv_results_["mean_test_score"][2:],
    )


def test_min_trees_does_not_touch_ccp():
    X, y = IRIS
    forest = RandomForestClassifier(n_estimators=10, random_state=0)
    results = [
        ForestPrunerCV(forest, method="ccp", min_trees=m).fit(X, y).cv_results_
        for m in (1, 0.5)
    ]
    np.testing.assert_array_equal(
        results[0]["mean_test_score"], results[1]["mean_test_score"]
    )


@pytest.mark.parametrize(
    "forest, data, method, rule",
    [
        (RandomForestClassifier(n_estimators=30), CANCER, "trees", "1se"),
        (RandomForestRegressor(n_estimators=30), DIABETES, "trees", "paired"),
        (RandomForestClassifier(n_estimators=10), CANCER, "ccp", "paired"),
    ],
    ids=["classifier-trees", "regressor-trees", "classifier-ccp"],
)
def test_auto_rule_is_1se_only_for_a_classifiers_tree_subsets(
    forest, data, method, rule
):
    forest = clone(forest).set_params(random_state=0)
    pruner = ForestPrunerCV(forest, method=method).fit(*data)
    assert pruner.rule == "auto" and pruner.rule_ == rule
    explicit = ForestPrunerCV(forest, method=method, rule=rule).fit(*data)
    assert explicit.rule_ == rule
    assert pruner.best_index_ == explicit.best_index_
    assert pruner.best_index_ == select_by_rule(pruner.cv_results_, rule=rule)
    # On these data the other rule chooses otherwise, so the test can fail.
    other = {"1se": "paired", "paired": "1se"}[rule]
    assert pruner.best_index_ != select_by_rule(pruner.cv_results_, rule=other)


def test_auto_is_a_forest_rule_only():
    from sklearn.tree import DecisionTreeClassifier
    from sklearn.utils._param_validation import InvalidParameterError

    from skprune.tree import CostComplexityPrunerCV

    with pytest.raises(InvalidParameterError, match="'rule' parameter"):
        CostComplexityPrunerCV(DecisionTreeClassifier(), rule="auto").fit(*IRIS)
