import numpy as np
import pytest
from sklearn.datasets import load_iris, make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils._param_validation import InvalidParameterError

from skprune.linear import FeaturePruner


def _classification(seed=0, n_features=10):
    return make_classification(
        n_samples=300,
        n_features=n_features,
        n_informative=3,
        n_redundant=0,
        class_sep=2,
        shuffle=False,
        random_state=seed,
    )


def test_standardised_importance_ranks_unscaled_features_fairly():
    X, y = make_regression(
        n_samples=200,
        n_features=5,
        n_informative=5,
        coef=False,
        random_state=0,
        noise=0.1,
    )
    y = X @ np.array([1.0, 3.0, 0.5, 0.0, 2.0])
    # Feature 0 in grams instead of kilograms: its coefficient becomes 1e-3.
    scaled = X * np.array([1000.0, 1.0, 1.0, 1.0, 1.0])
    pruner = FeaturePruner(LinearRegression(), n_features=3).fit(scaled, y)
    np.testing.assert_array_equal(pruner.get_support(indices=True), [0, 1, 4])
    raw = FeaturePruner(
        LinearRegression(), n_features=3, importance=lambda est: np.abs(est.coef_)
    ).fit(scaled, y)
    np.testing.assert_array_equal(raw.get_support(indices=True), [1, 2, 4])


def test_exact_number_and_refit_on_kept_features():
    X, y = _classification()
    pruner = FeaturePruner(LogisticRegression(), n_features=4, step=2).fit(X, y)
    assert pruner.n_features_ == 4 == pruner.transform(X).shape[1]
    refit = LogisticRegression().fit(X[:, pruner.support_], y)
    np.testing.assert_allclose(
        pruner.predict_proba(X), refit.predict_proba(X[:, pruner.support_])
    )
    assert pruner.score(X, y) == refit.score(X[:, pruner.support_], y)
    assert sorted(np.unique(pruner.ranking_)) == [1, 2, 3, 4]


@pytest.mark.parametrize("n_features, expected", [(None, 5), (0.3, 3), (7, 7)])
def test_n_features_forms(n_features, expected):
    X, y = _classification()
    pruner = FeaturePruner(LogisticRegression(), n_features=n_features).fit(X, y)
    assert pruner.n_features_ == expected


@pytest.mark.parametrize("threshold", ["mean", "median", "1.25*mean", 0.5])
def test_threshold_like_select_from_model(threshold):
    X, y = _classification()
    pruner = FeaturePruner(LogisticRegression(), threshold=threshold).fit(X, y)
    imp = pruner.importances_
    cut = {
        "mean": imp.mean(),
        "median": np.median(imp),
        "1.25*mean": 1.25 * imp.mean(),
        0.5: 0.5,
    }[threshold]
    np.testing.assert_array_equal(pruner.support_, imp >= cut)


def test_threshold_with_n_features_as_upper_bound():
    X, y = _classification()
    pruner = FeaturePruner(LogisticRegression(), threshold=0.0, n_features=2).fit(X, y)
    assert pruner.n_features_ == 2


def test_bad_threshold():
    X, y = _classification()
    with pytest.raises(ValueError, match="expected a float, 'mean'"):
        FeaturePruner(LogisticRegression(), threshold="max").fit(X, y)
    with pytest.raises(ValueError, match="keeps no feature"):
        FeaturePruner(LogisticRegression(), threshold=1e9).fit(X, y)


@pytest.mark.parametrize(
    "estimator",
    [
        LogisticRegression(tol=1e-10, max_iter=10000),
        Lasso(alpha=0.01, tol=1e-10, max_iter=100000),
    ],
)
def test_warm_started_sweep_ranks_like_cold_refits(estimator):
    X, y = _classification(seed=1, n_features=12)
    warm = FeaturePruner(estimator, n_features=1).fit(X, y)
    cold = FeaturePruner(estimator, n_features=1, warm_start=False).fit(X, y)
    np.testing.assert_array_equal(warm.ranking_, cold.ranking_)
    assert estimator.get_params()["warm_start"] is False  # never modified


def test_multiclass_uses_the_norm_across_classes():
    X, y = load_iris(return_X_y=True)
    pruner = FeaturePruner(LogisticRegression(max_iter=1000), n_features=2).fit(X, y)
    # The sweep solves to the optimum, which a tight tol also reaches.
    lr = LogisticRegression(tol=1e-12, max_iter=100000).fit(X, y)
    expected = np.linalg.norm(lr.coef_ * X.std(axis=0), axis=0)
    np.testing.assert_allclose(pruner.importances_, expected, rtol=1e-5)
    assert pruner.predict_proba(X).shape == (150, 3)
    np.testing.assert_array_equal(pruner.classes_, [0, 1, 2])


def test_prefit_estimator_is_not_modified():
    X, y = _classification()
    fitted = LogisticRegression().fit(X, y)
    coef = fitted.coef_.copy()
    pruner = FeaturePruner(fitted, n_features=3, prefit=True).fit(X, y)
    np.testing.assert_array_equal(fitted.coef_, coef)
    expected = np.argsort(-np.abs(coef[0]) * X.std(axis=0))[:3]
    np.testing.assert_array_equal(pruner.get_support(indices=True), np.sort(expected))
    assert pruner.estimator_ is not fitted


@pytest.mark.parametrize("threshold", [None, "mean"])
def test_prefit_estimator_of_other_features_is_refused(threshold):
    X, y = _classification()
    fitted = LogisticRegression().fit(X[:, :5], y)
    pruner = FeaturePruner(fitted, n_features=3, threshold=threshold, prefit=True)
    with pytest.raises(ValueError, match=r"has 5 features, X has \d+"):
        pruner.fit(X, y)


def test_feature_importances_and_callable_importance():
    X, y = _classification()
    forest = RandomForestClassifier(n_estimators=20, random_state=0)
    assert FeaturePruner(forest, n_features=3).fit(X, y).n_features_ == 3
    with pytest.raises(ValueError, match="neither coef_ nor feature_importances_"):
        FeaturePruner(SVC(), n_features=3).fit(X, y)
    with pytest.raises(ValueError, match="one value per feature"):
        FeaturePruner(LogisticRegression(), importance=lambda est: [1.0]).fit(X, y)


def test_pandas_names_and_set_output():
    pd = pytest.importorskip("pandas")
    X, y = _classification()
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(10)])
    pruner = (
        FeaturePruner(LogisticRegression(), n_features=3)
        .set_output(transform="pandas")
        .fit(frame, y)
    )
    out = pruner.transform(frame)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(pruner.get_feature_names_out())
    assert list(out.columns) == ["f0", "f1", "f2"]


def test_grid_search_over_n_features_in_a_pipeline():
    X, y = _classification()
    pipe = make_pipeline(
        StandardScaler(), FeaturePruner(LogisticRegression()), LogisticRegression()
    )
    grid = GridSearchCV(pipe, {"featurepruner__n_features": [1, 3, 6]}, cv=3)
    grid.fit(X, y)
    assert grid.best_params_["featurepruner__n_features"] in (3, 6)


def test_bad_input():
    X, y = _classification()
    pruner = FeaturePruner(LogisticRegression(), n_features=3)
    with pytest.raises(ValueError, match="NaN"):
        pruner.fit(np.where(X > 2, np.nan, X), y)
    with pytest.raises(ValueError, match="more than the 10 features"):
        FeaturePruner(LogisticRegression(), n_features=11).fit(X, y)
    with pytest.raises(InvalidParameterError, match="step"):
        FeaturePruner(LogisticRegression(), step=0).fit(X, y)
    pruner.fit(X, y)
    with pytest.raises(ValueError, match="X has 4 features"):
        pruner.transform(X[:, :4])
