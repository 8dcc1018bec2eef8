import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.ensemble import (
    AdaBoostClassifier,
    AdaBoostRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprune.boosting import BoostingTrimmerCV
from skprune.metrics import model_size

IRIS = load_iris(return_X_y=True)
CANCER = load_breast_cancer(return_X_y=True)
DIABETES = load_diabetes(return_X_y=True)


def _xgb(name, **params):
    xgboost = pytest.importorskip("xgboost")
    return getattr(xgboost, name)(random_state=0, n_jobs=1, **params)


def _rounds_param(estimator):
    return "max_iter" if "HistGradient" in type(estimator).__name__ else "n_estimators"


CASES = [
    (
        lambda: GradientBoostingClassifier(
            n_estimators=25, subsample=0.8, random_state=0
        ),
        IRIS,
        "neg_log_loss",
    ),
    (
        lambda: GradientBoostingClassifier(n_estimators=25, random_state=0),
        CANCER,
        "roc_auc",
    ),
    (
        lambda: GradientBoostingRegressor(n_estimators=25, random_state=0),
        DIABETES,
        None,
    ),
    (lambda: HistGradientBoostingClassifier(max_iter=12, random_state=0), IRIS, None),
    (
        lambda: HistGradientBoostingClassifier(max_iter=12, random_state=0),
        CANCER,
        "neg_log_loss",
    ),
    (
        lambda: HistGradientBoostingRegressor(max_iter=12, random_state=0),
        DIABETES,
        "neg_mean_squared_error",
    ),
    (lambda: AdaBoostClassifier(n_estimators=25, random_state=0), IRIS, "accuracy"),
    (lambda: AdaBoostClassifier(n_estimators=25, random_state=0), CANCER, "roc_auc"),
    (lambda: AdaBoostRegressor(n_estimators=15, random_state=0), DIABETES, None),
    (lambda: _xgb("XGBClassifier", n_estimators=25), IRIS, "neg_log_loss"),
    (lambda: _xgb("XGBClassifier", n_estimators=25, subsample=0.7), CANCER, None),
    (lambda: _xgb("XGBRegressor", n_estimators=25), DIABETES, None),
]
IDS = [
    "gb-multiclass",
    "gb-binary",
    "gb-reg",
    "hgb-multiclass",
    "hgb-binary",
    "hgb-reg",
    "ada-multiclass",
    "ada-binary",
    "ada-reg",
    "xgb-multiclass",
    "xgb-binary",
    "xgb-reg",
]


@pytest.mark.parametrize("make, data, scoring", CASES, ids=IDS)
def test_scores_equal_grid_search_and_best_model_equals_refit(make, data, scoring):
    estimator = make()
    X, y = data
    cv = (StratifiedKFold if is_classifier(estimator) else KFold)(
        3, shuffle=True, random_state=0
    )
    trimmer = BoostingTrimmerCV(estimator, cv=cv, scoring=scoring).fit(X, y)
    rounds = trimmer.cv_results_["param_n_rounds"]
    param = _rounds_param(estimator)
    np.testing.assert_array_equal(
        rounds, np.arange(1, estimator.get_params()[param] + 1)
    )
    grid = GridSearchCV(estimator, {param: list(rounds)}, cv=cv, scoring=scoring)
    grid.fit(X, y)
    for k in range(3):
        np.testing.assert_array_equal(
            trimmer.cv_results_[f"split{k}_test_score"],
            grid.cv_results_[f"split{k}_test_score"],
        )

    n_rounds = trimmer.best_params_["n_rounds"]
    refit = clone(estimator).set_params(**{param: n_rounds}).fit(X, y)
    best = trimmer.best_estimator_
    assert type(best) is type(estimator)
    assert best.get_params()[param] == n_rounds
    assert model_size(best)["rounds"] == min(n_rounds, model_size(refit)["rounds"])
    np.testing.assert_array_equal(trimmer.predict(X), refit.predict(X))
    if hasattr(refit, "predict_proba"):
        np.testing.assert_array_equal(trimmer.predict_proba(X), refit.predict_proba(X))


def test_one_se_keeps_fewer_rounds_than_best():
    gb = GradientBoostingClassifier(n_estimators=60, learning_rate=0.3, random_state=0)
    best = BoostingTrimmerCV(gb, rule="best").fit(*CANCER)
    one_se = BoostingTrimmerCV(gb, rule="1se").fit(*CANCER)
    assert one_se.best_params_["n_rounds"] <= best.best_params_["n_rounds"]
    se = one_se.cv_results_["std_test_score"][best.best_index_] / np.sqrt(5)
    assert one_se.best_score_ >= best.best_score_ - se
    assert (
        one_se.cv_results_["size"][one_se.best_index_]
        == one_se.best_params_["n_rounds"]
    )


def test_hist_gradient_boosting_early_stopping_is_switched_off():
    X, y = IRIS
    auto = HistGradientBoostingClassifier(max_iter=15)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "auto" is switched off silently
        trimmer = BoostingTrimmerCV(auto, cv=3).fit(X, y)
    assert trimmer.best_estimator_.early_stopping is False
    assert len(trimmer.cv_results_["size"]) == 15
    explicit = HistGradientBoostingClassifier(max_iter=15, early_stopping=True)
    with pytest.warns(UserWarning, match="early stopping is turned off"):
        BoostingTrimmerCV(explicit, cv=3).fit(X, y)
    assert explicit.early_stopping is True  # the user's estimator is untouched


def test_gradient_boosting_n_iter_no_change_is_switched_off():
    gb = GradientBoostingClassifier(n_estimators=15, n_iter_no_change=2)
    with pytest.warns(UserWarning, match="n_iter_no_change"):
        trimmer = BoostingTrimmerCV(gb, cv=3).fit(*IRIS)
    assert trimmer.best_estimator_.n_iter_no_change is None
    assert len(trimmer.cv_results_["size"]) == 15


def test_xgboost_early_stopping_is_refused():
    xgb = _xgb("XGBClassifier", n_estimators=10, early_stopping_rounds=3)
    with pytest.raises(ValueError, match="early_stopping_rounds=None"):
        BoostingTrimmerCV(xgb, cv=3).fit(*IRIS)


def test_adaboost_stopping_early_scores_longer_prefixes_as_the_whole_model():
    # A perfect first stump stops AdaBoost after one round.
    X = np.r_[np.zeros((20, 1)), np.ones((20, 1))]
    y = np.r_[np.zeros(20), np.ones(20)]
    ada = AdaBoostClassifier(n_estimators=10, random_state=0)
    trimmer = BoostingTrimmerCV(ada, cv=2, rule="best").fit(X, y)
    np.testing.assert_array_equal(trimmer.cv_results_["mean_test_score"], 1.0)
    np.testing.assert_array_equal(trimmer.cv_results_["size"], 1)
    assert len(trimmer.best_estimator_.estimators_) == 1


def test_unsupported_estimator():
    with pytest.raises(TypeError, match="Boosting trimming supports"):
        BoostingTrimmerCV(LogisticRegression()).fit(*IRIS)


def test_in_a_pipeline_with_nan_for_hist_gradient_boosting():
    X, y = DIABETES
    X = X.copy()
    X[::7, 0] = np.nan  # HistGradientBoosting handles missing values
    pipe = make_pipeline(
        StandardScaler(),
        BoostingTrimmerCV(HistGradientBoostingRegressor(max_iter=20), cv=3),
    )
    pipe.fit(X, y)
    assert pipe.predict(X).shape == y.shape


def test_nan_is_refused_when_the_model_refuses_it():
    X, y = DIABETES
    X = X.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        BoostingTrimmerCV(GradientBoostingRegressor(n_estimators=5)).fit(X, y)


def test_skprune_works_without_xgboost():
    code = (
        "import sys; sys.modules['xgboost'] = None\n"
        "import skprune, skprune.tree, skprune.boosting, skprune.metrics\n"
        "import skprune.benchmark\n"
        "from sklearn.datasets import load_iris\n"
        "from sklearn.ensemble import GradientBoostingClassifier\n"
        "X, y = load_iris(return_X_y=True)\n"
        "skprune.boosting.BoostingTrimmerCV(GradientBoostingClassifier("
        "n_estimators=5), cv=2).fit(X, y)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_few_rounds_only_where_the_data_support_them():
    from sklearn.datasets import make_classification

    booster = GradientBoostingClassifier(n_estimators=100, random_state=0)
    # Small and noisy: Breiman's rule keeps one round, whose folds' spread
    # hides how consistently it trails; the paired rule keeps the best's 21.
    X, y = make_classification(
        n_samples=64, n_features=10, n_informative=3, flip_y=0.1, random_state=1
    )
    assert BoostingTrimmerCV(booster, rule="1se").fit(X, y).best_params_ == {
        "n_rounds": 1
    }
    assert BoostingTrimmerCV(booster).fit(X, y).best_params_["n_rounds"] > 3
    # One split separates the classes: one round is all the data support.
    X = np.random.RandomState(0).normal(size=(64, 5))
    y = (X[:, 0] > 0).astype(int)
    assert BoostingTrimmerCV(booster).fit(X, y).best_params_ == {"n_rounds": 1}


def test_xgboost_best_estimator_checks_the_users_column_names():
    pytest.importorskip("pandas")
    X, y = load_iris(return_X_y=True, as_frame=True)
    pruner = BoostingTrimmerCV(_xgb("XGBClassifier", n_estimators=5), cv=3)
    model = pruner.fit(X, y).best_estimator_
    assert list(model.feature_names_in_) == list(X.columns)
    # Deployed on its own, it refuses columns in another order, as XGBoost
    # fitted on the DataFrame does, instead of predicting from the wrong ones.
    reordered = X[list(X.columns)[::-1]]
    with pytest.raises(ValueError, match="feature_names mismatch"):
        model.predict(reordered)
    np.testing.assert_array_equal(model.predict(X), pruner.predict(X))
