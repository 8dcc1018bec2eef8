"""The shared engine, exercised through the tree family."""

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skprune.tree import CostComplexityPrunerCV

X, Y = load_breast_cancer(return_X_y=True)


def _assert_same_results(a, b):
    assert a.keys() == b.keys()
    for key in a:
        if "time" in key:
            continue
        if key == "params":
            assert a[key] == b[key]
        else:
            np.testing.assert_array_equal(a[key], b[key])


def test_n_jobs_does_not_change_results():
    tree = DecisionTreeClassifier(random_state=0)
    serial = CostComplexityPrunerCV(tree, n_jobs=1, random_state=0).fit(X, Y)
    parallel = CostComplexityPrunerCV(tree, n_jobs=2, random_state=0).fit(X, Y)
    _assert_same_results(serial.cv_results_, parallel.cv_results_)
    assert serial.best_params_ == parallel.best_params_


def test_dask_backend_gives_the_same_results():
    distributed = pytest.importorskip("distributed")
    tree = DecisionTreeClassifier(random_state=0)
    serial = CostComplexityPrunerCV(tree, random_state=0).fit(X, Y)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster), parallel_config(backend="dask"):
            on_dask = CostComplexityPrunerCV(tree, n_jobs=-1, random_state=0).fit(X, Y)
    _assert_same_results(serial.cv_results_, on_dask.cv_results_)


def test_in_a_pipeline():
    pipe = make_pipeline(
        StandardScaler(), CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0))
    )
    pipe.fit(X, Y)
    assert pipe.score(X, Y) > 0.9
    assert pipe.predict_proba(X).shape == (len(Y), 2)


def test_grid_search_can_tune_the_rule():
    pruner = CostComplexityPrunerCV(
        DecisionTreeClassifier(random_state=0), cv=3, random_state=0
    )
    grid = GridSearchCV(pruner, {"rule": ["best", "1se", 0.02]}, cv=3).fit(X, Y)
    assert grid.best_params_["rule"] in ("best", "1se", 0.02)
    assert len(grid.cv_results_["mean_test_score"]) == 3


def test_pandas_input_keeps_feature_names():
    pd = pytest.importorskip("pandas")
    data = load_breast_cancer(as_frame=True)
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0))
    pruner.fit(data.data, data.target)
    np.testing.assert_array_equal(pruner.feature_names_in_, data.data.columns)
    np.testing.assert_array_equal(
        pruner.best_estimator_.feature_names_in_, data.data.columns
    )
    assert isinstance(data.data, pd.DataFrame)
    np.testing.assert_array_equal(
        pruner.predict(data.data), pruner.best_estimator_.predict(data.data)
    )


def test_sample_weight_is_honoured_like_grid_search():
    Xr, yr = load_diabetes(return_X_y=True)
    weights = np.random.RandomState(0).uniform(0.1, 3.0, len(yr))
    tree = DecisionTreeRegressor(random_state=0)
    pruner = CostComplexityPrunerCV(tree, cv=3, n_repeats=1)
    pruner.fit(Xr, yr, sample_weight=weights)
    expected_path = tree.cost_complexity_pruning_path(Xr, yr, sample_weight=weights)
    np.testing.assert_array_equal(
        pruner.cv_results_["param_ccp_alpha"],
        np.unique(np.maximum(expected_path.ccp_alphas, 0)),
    )
    grid = GridSearchCV(
        tree, {"ccp_alpha": pruner.cv_results_["param_ccp_alpha"]}, cv=3
    ).fit(Xr, yr, sample_weight=weights)
    np.testing.assert_array_equal(
        pruner.cv_results_["mean_test_score"], grid.cv_results_["mean_test_score"]
    )
    refit = DecisionTreeRegressor(random_state=0, **pruner.best_params_)
    refit.fit(Xr, yr, sample_weight=weights)
    np.testing.assert_array_equal(pruner.predict(Xr), refit.predict(Xr))
    unweighted = CostComplexityPrunerCV(tree, cv=3, n_repeats=1).fit(Xr, yr)
    assert not np.array_equal(
        unweighted.cv_results_["mean_test_score"], pruner.cv_results_["mean_test_score"]
    )


def test_sample_weight_of_wrong_length():
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier())
    with pytest.raises(ValueError, match="sample_weight.shape"):
        pruner.fit(X, Y, sample_weight=np.ones(3))


def test_groups_reach_the_splitter():
    groups = np.arange(len(Y)) % 4
    tree = DecisionTreeClassifier(random_state=0)
    pruner = CostComplexityPrunerCV(tree, cv=GroupKFold(4)).fit(X, Y, groups=groups)
    grid = GridSearchCV(
        tree, {"ccp_alpha": pruner.cv_results_["param_ccp_alpha"]}, cv=GroupKFold(4)
    ).fit(X, Y, groups=groups)
    np.testing.assert_array_equal(
        pruner.cv_results_["mean_test_score"], grid.cv_results_["mean_test_score"]
    )


def test_score_uses_the_scoring():
    pruner = CostComplexityPrunerCV(
        DecisionTreeClassifier(random_state=0), scoring="neg_log_loss"
    ).fit(X, Y)
    assert pruner.score(X, Y) <= 0
    assert pruner.best_score_ <= 0


def test_score_takes_sample_weight_as_the_estimators_own_score():
    # GridSearchCV.score takes it only with metadata routing enabled.
    tree = DecisionTreeClassifier(random_state=0)
    pruner = CostComplexityPrunerCV(tree, rule="best", n_repeats=1).fit(X, Y)
    grid = GridSearchCV(tree, {"ccp_alpha": pruner.cv_results_["param_ccp_alpha"]}).fit(
        X, Y
    )
    weight = np.random.RandomState(0).uniform(0, 2, len(Y))
    assert pruner.score(X, Y, sample_weight=weight) == grid.best_estimator_.score(
        X, Y, sample_weight=weight
    )
    assert pruner.score(X, Y, sample_weight=weight) != pruner.score(X, Y)


def test_the_engine_is_abstract_until_every_hook_is_given():
    from skprune.model_selection import BasePrunerCV

    with pytest.raises(TypeError, match="abstract"):
        BasePrunerCV(DecisionTreeClassifier())

    class OnlyAPath(BasePrunerCV):
        def __init__(self, estimator):
            super().__init__(estimator)

        def _path(self, X, y, **fit_params):
            return None

    with pytest.raises(TypeError, match="_fit_best"):
        OnlyAPath(DecisionTreeClassifier())


def test_hooks_receive_arrays_and_the_final_model_keeps_column_names():
    pd = pytest.importorskip("pandas")
    data = load_breast_cancer(as_frame=True)
    seen = []

    class Recording(CostComplexityPrunerCV):
        def _fit_fold(self, X, y, **fit_params):
            seen.append(type(X))
            return super()._fit_fold(X, y, **fit_params)

    pruner = Recording(DecisionTreeClassifier(random_state=0), cv=3, n_repeats=1)
    pruner.fit(data.data, data.target)
    assert seen == [np.ndarray] * 3
    assert isinstance(data.data, pd.DataFrame)
    np.testing.assert_array_equal(
        pruner.best_estimator_.feature_names_in_, data.data.columns
    )
    with pytest.warns(UserWarning, match="fitted with feature names"):
        pruner.best_estimator_.predict(data.data.to_numpy())


def test_verbose_prints_grid_search_lines(capsys):
    tree = DecisionTreeClassifier(random_state=0)
    pruner = CostComplexityPrunerCV(tree, cv=3, n_repeats=1, verbose=1).fit(X, Y)
    n_points = len(pruner.cv_results_["params"])
    out = capsys.readouterr().out
    assert out.startswith(
        f"Fitting 3 folds for each of {n_points} candidates, totalling 3 fits"
    )
    assert f"GridSearchCV would make {3 * n_points}" in out
    assert "[CV" not in out
    CostComplexityPrunerCV(tree, cv=3, n_repeats=1, verbose=2).fit(X, Y)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("]")[0] for line in lines[1:]] == [
        "[CV 1/3",
        "[CV 2/3",
        "[CV 3/3",
    ]
    assert all("fit" in line and "points scored" in line for line in lines[1:])
    CostComplexityPrunerCV(tree, cv=3).fit(X, Y)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("n_samples", [1, 3])
def test_every_cv_pruner_refuses_data_too_small_for_its_cv(n_samples):
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LinearRegression, LogisticRegression

    from skprune.boosting import BoostingTrimmerCV
    from skprune.linear import FeaturePrunerCV
    from skprune.neural import MLPClassifier, MLPPrunerCV
    from skprune.tree import ForestPrunerCV

    X_small = np.random.RandomState(0).uniform(size=(n_samples, 3))
    y_small = np.arange(n_samples) % 2
    pruners = [
        CostComplexityPrunerCV(DecisionTreeClassifier()),
        ForestPrunerCV(RandomForestClassifier(n_estimators=5)),
        BoostingTrimmerCV(GradientBoostingClassifier(n_estimators=5)),
        FeaturePrunerCV(LogisticRegression()),
        MLPPrunerCV(MLPClassifier(max_iter=5)),
    ]
    for pruner in pruners:
        with pytest.raises(ValueError, match="n_splits|samples|class"):
            pruner.fit(X_small, y_small)
    loo = FeaturePrunerCV(LinearRegression(), cv="loo")
    if n_samples == 1:
        with pytest.raises(ValueError, match="at least 2 cross-validation splits"):
            loo.fit(X_small, y_small.astype(float))


@pytest.mark.parametrize(
    "scoring", [{"acc": "accuracy", "f1": "f1"}, ["accuracy", "f1"]], ids=type
)
def test_multi_metric_scoring_is_refused_by_name(scoring):
    from sklearn.ensemble import RandomForestClassifier

    from skprune.neural import MLPClassifier, MLPPrunerCV
    from skprune.tree import ForestPrunerCV

    for pruner in [
        CostComplexityPrunerCV(DecisionTreeClassifier()),
        ForestPrunerCV(RandomForestClassifier(n_estimators=5)),
        MLPPrunerCV(MLPClassifier(max_iter=5)),
    ]:
        pruner.set_params(scoring=scoring)
        with pytest.raises(ValueError, match="multi-metric scoring .* not supported"):
            pruner.fit(X, Y)


def test_a_scoring_callable_asking_for_the_model_is_told_what_it_gets():
    X, y = load_breast_cancer(return_X_y=True)

    def penalised(estimator, X, y):
        return estimator.score(X, y) - 0.001 * estimator.get_n_leaves()

    # GridSearchCV hands it the model; the path is scored without one.
    pruner = CostComplexityPrunerCV(
        DecisionTreeClassifier(random_state=0), cv=3, random_state=0
    )
    with pytest.raises(AttributeError, match="answers only classes_, predict, "):
        pruner.set_params(scoring=penalised).fit(X, y)
    # What it does get is enough for any score of the predictions.
    pruner.set_params(scoring=lambda est, X, y: est.score(X, y)).fit(X, y)
    np.testing.assert_allclose(
        pruner.cv_results_["mean_test_score"],
        pruner.set_params(scoring=None).fit(X, y).cv_results_["mean_test_score"],
    )


@pytest.mark.parametrize("cv", ["oob", "loo"])
def test_groups_that_out_of_bag_or_closed_form_splits_ignore_are_warned_of(cv):
    import warnings

    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import LinearRegression

    from skprune.linear import FeaturePrunerCV
    from skprune.tree import ForestPrunerCV

    X, y = load_diabetes(return_X_y=True)
    pruner = (
        ForestPrunerCV(RandomForestRegressor(n_estimators=10, random_state=0))
        if cv == "oob"
        else FeaturePrunerCV(LinearRegression(), cv="loo")
    )
    groups = np.arange(len(y)) % 5
    with pytest.warns(UserWarning, match=f"groups parameter is ignored by cv='{cv}'"):
        pruner.fit(X, y, groups=groups)
    # Without groups, no such warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        pruner.fit(X, y)
