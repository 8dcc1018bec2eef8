import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_iris, make_classification
from sklearn.feature_selection import RFECV
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import (
    GridSearchCV,
    LeaveOneOut,
    StratifiedKFold,
    cross_val_predict,
)

from skprune.linear import FeaturePruner, FeaturePrunerCV
from skprune.linear._loo import loo_residuals

DIABETES = load_diabetes(return_X_y=True)


@pytest.mark.parametrize(
    "estimator",
    [LinearRegression(), Ridge(alpha=3.0), Ridge(alpha=1.0, fit_intercept=False)],
)
def test_closed_form_loo_equals_brute_force_refits(estimator):
    X, y = DIABETES
    X, y = X[:120], y[:120]
    selector = FeaturePrunerCV(estimator, cv="loo", rule="best").fit(X, y)
    pruner = FeaturePruner(estimator, n_features=X.shape[1])
    sizes = selector.cv_results_["param_n_features"]
    for index in (0, 4, len(sizes) - 1):
        kept = FeaturePruner(estimator, n_features=int(sizes[index])).fit(X, y).support_
        brute = y - cross_val_predict(estimator, X[:, kept], y, cv=LeaveOneOut())
        np.testing.assert_allclose(
            selector.cv_results_["mean_test_score"][index],
            -np.mean(brute**2),
            rtol=1e-10,
        )
    assert pruner.step == 1
    assert selector.n_splits_ == 120


def test_loo_residuals_multi_target():
    X, y = DIABETES
    Y = np.c_[y, y[::-1]]
    brute = Y - cross_val_predict(Ridge(), X, Y, cv=LeaveOneOut())
    np.testing.assert_allclose(loo_residuals(Ridge(), X, Y), brute, rtol=1e-8)


def test_loo_one_se_uses_per_sample_standard_error():
    X, y = DIABETES
    best = FeaturePrunerCV(LinearRegression(), cv="loo", rule="best").fit(X, y)
    one_se = FeaturePrunerCV(LinearRegression(), cv="loo", rule="1se").fit(X, y)
    results = one_se.cv_results_
    per_sample = np.array(
        [results[f"split{i}_test_score"][best.best_index_] for i in range(len(y))]
    )
    se = per_sample.std() / np.sqrt(len(y))
    assert one_se.best_score_ >= best.best_score_ - se
    assert one_se.best_params_["n_features"] <= best.best_params_["n_features"]


def test_loo_plot_says_what_the_splits_measured_and_score_stays_r2():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import r2_score

    from skprune.plotting import PruningCurveDisplay

    X, y = DIABETES
    pruner = FeaturePrunerCV(LinearRegression(), cv="loo").fit(X, y)
    # best_score_ is a negative mean squared error, and the plot says so;
    # score() is the regressor's R², as scikit-learn's regressors promise.
    assert pruner.best_score_ < 0
    expected = r2_score(y, pruner.best_estimator_.predict(X))
    assert pruner.score(X, y) == pytest.approx(expected)
    display = PruningCurveDisplay.from_estimator(pruner)
    assert "neg_mean_squared_error" in display.ax_.get_ylabel()
    plt.close("all")


def test_loo_refuses_other_scorings():
    X, y = DIABETES
    with pytest.raises(ValueError, match="squared errors"):
        FeaturePrunerCV(LinearRegression(), cv="loo", scoring="r2").fit(X, y)


@pytest.mark.parametrize("estimator", [LinearRegression(), Ridge(alpha=2.0)])
def test_weighted_loo_equals_grid_search_leave_one_out(estimator):
    X, y = DIABETES
    X, y = X[:80, :4], y[:80]
    weight = np.random.RandomState(0).uniform(0.2, 3.0, len(y))
    selector = FeaturePrunerCV(estimator, cv="loo", min_features_to_select=4)
    selector.fit(X, y, sample_weight=weight)
    grid = GridSearchCV(
        estimator, {}, cv=LeaveOneOut(), scoring="neg_mean_squared_error"
    ).fit(X, y, sample_weight=weight)
    np.testing.assert_allclose(
        selector.cv_results_["mean_test_score"],
        grid.cv_results_["mean_test_score"],
        rtol=1e-9,
    )


def test_kfold_scores_equal_rfecv_with_the_same_ranking():
    # With the raw-coefficient importance and cold fits, one sweep per fold
    # is exactly what RFECV records.
    X, y = make_classification(
        n_samples=200, n_features=8, n_informative=3, random_state=0
    )
    cv = StratifiedKFold(4, shuffle=True, random_state=0)
    lr = LogisticRegression()
    ours = FeaturePrunerCV(
        lr,
        cv=cv,
        warm_start=False,
        importance=lambda est: np.abs(est.coef_).sum(axis=0),
    )
    ours.fit(X, y)
    rfecv = RFECV(lr, cv=cv).fit(X, y)
    # RFECV lists sizes from 1 up; ours from all features down.
    np.testing.assert_allclose(
        ours.cv_results_["mean_test_score"][::-1], rfecv.cv_results_["mean_test_score"]
    )


def test_best_estimator_and_selector_api():
    X, y = load_iris(return_X_y=True)
    selector = FeaturePrunerCV(
        LogisticRegression(max_iter=1000), cv=3, rule="best"
    ).fit(X, y)
    best = selector.best_estimator_
    assert isinstance(best, FeaturePruner)
    assert best.n_features_ == selector.best_params_["n_features"]
    np.testing.assert_array_equal(selector.get_support(), best.support_)
    np.testing.assert_array_equal(selector.transform(X), X[:, best.support_])
    np.testing.assert_array_equal(selector.predict(X), best.predict(X))
    assert selector.cv_results_["size"].tolist() == [4, 3, 2, 1]


def test_step_and_min_features():
    X, y = DIABETES
    selector = FeaturePrunerCV(Ridge(), step=3, min_features_to_select=2, cv=3).fit(
        X, y
    )
    assert selector.cv_results_["param_n_features"].tolist() == [10, 7, 4, 2]
    with pytest.raises(ValueError, match="more than the 10 features"):
        FeaturePrunerCV(Ridge(), min_features_to_select=11).fit(X, y)


def test_non_least_squares_loo_uses_leave_one_out_splits():
    X, y = load_iris(return_X_y=True)
    X, y = X[::5], y[::5]
    selector = FeaturePrunerCV(LogisticRegression(max_iter=1000), cv="loo").fit(X, y)
    assert selector.n_splits_ == len(y)


@pytest.mark.parametrize("step", [1, 3])
def test_loo_best_estimator_equals_a_fitted_feature_pruner(step):
    X, y = DIABETES
    selector = FeaturePrunerCV(Ridge(alpha=0.1), cv="loo", rule="best", step=step)
    selector.fit(X, y)
    expected = FeaturePruner(
        Ridge(alpha=0.1), step=step, n_features=selector.best_params_["n_features"]
    ).fit(X, y)
    best = selector.best_estimator_
    np.testing.assert_array_equal(best.support_, expected.support_)
    np.testing.assert_array_equal(best.ranking_, expected.ranking_)
    np.testing.assert_allclose(best.importances_, expected.importances_)
    np.testing.assert_allclose(best.predict(X), expected.predict(X))
