import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes, load_iris, make_classification
from sklearn.ensemble import (
    AdaBoostClassifier,
    AdaBoostRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
)
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from skprune.boosting import trim_rounds
from skprune.metrics import model_size

IRIS = load_iris(return_X_y=True)
BINARY = make_classification(n_samples=300, random_state=0)
DIABETES = load_diabetes(return_X_y=True)


def _xgb(name, **params):
    xgboost = pytest.importorskip("xgboost")
    return getattr(xgboost, name)(random_state=0, n_jobs=1, **params)


MODELS = [
    (
        lambda: GradientBoostingClassifier(
            n_estimators=30, subsample=0.7, random_state=0
        ),
        IRIS,
    ),
    (lambda: GradientBoostingClassifier(n_estimators=30, random_state=0), BINARY),
    (
        lambda: GradientBoostingRegressor(
            n_estimators=30, subsample=0.7, random_state=0
        ),
        DIABETES,
    ),
    (
        lambda: HistGradientBoostingClassifier(
            max_iter=30, early_stopping=False, random_state=0
        ),
        IRIS,
    ),
    (
        lambda: HistGradientBoostingClassifier(
            max_iter=30, early_stopping=False, random_state=0
        ),
        BINARY,
    ),
    (
        lambda: HistGradientBoostingRegressor(
            max_iter=30, early_stopping=False, random_state=0
        ),
        DIABETES,
    ),
    (lambda: AdaBoostClassifier(n_estimators=30, random_state=0), IRIS),
    (lambda: AdaBoostClassifier(n_estimators=30, random_state=0), BINARY),
    (lambda: AdaBoostRegressor(n_estimators=30, random_state=0), DIABETES),
    (lambda: _xgb("XGBClassifier", n_estimators=30), IRIS),
    (lambda: _xgb("XGBClassifier", n_estimators=30, subsample=0.7), BINARY),
    (lambda: _xgb("XGBRegressor", n_estimators=30), DIABETES),
]
IDS = [
    "gb-multi",
    "gb-binary",
    "gb-reg",
    "hgb-multi",
    "hgb-binary",
    "hgb-reg",
    "ada-multi",
    "ada-binary",
    "ada-reg",
    "xgb-multi",
    "xgb-binary",
    "xgb-reg",
]
METHODS = ["predict", "predict_proba", "decision_function"]


@pytest.mark.parametrize("make, data", MODELS, ids=IDS)
@pytest.mark.parametrize("n_rounds", [1, 7, 30])
def test_trimmed_model_predicts_like_a_refit(make, data, n_rounds):
    X, y = data
    full = make().fit(X, y)
    param = "max_iter" if "HistGradient" in type(full).__name__ else "n_estimators"
    before = full.predict(X)
    # AdaBoost may stop before its n_estimators; trim within what it holds.
    n_rounds = min(n_rounds, model_size(full)["rounds"])
    trimmed = trim_rounds(full, n_rounds)
    refit = clone(full).set_params(**{param: n_rounds}).fit(X, y)
    assert trimmed.get_params()[param] == n_rounds
    for method in METHODS:
        if hasattr(refit, method):
            np.testing.assert_array_equal(
                getattr(trimmed, method)(X), getattr(refit, method)(X), err_msg=method
            )
    np.testing.assert_array_equal(full.predict(X), before)  # original untouched


def test_gradient_boosting_per_stage_attributes():
    X, y = BINARY
    full = GradientBoostingClassifier(
        n_estimators=20, subsample=0.5, random_state=0
    ).fit(X, y)
    trimmed = trim_rounds(full, 8)
    refit = clone(full).set_params(n_estimators=8).fit(X, y)
    for name in ["train_score_", "oob_improvement_", "oob_scores_"]:
        np.testing.assert_array_equal(getattr(trimmed, name), getattr(refit, name))
    assert trimmed.oob_score_ == refit.oob_score_
    assert trimmed.n_estimators_ == 8 and trimmed.estimators_.shape == (8, 1)
    np.testing.assert_allclose(trimmed.feature_importances_, refit.feature_importances_)
    assert full.n_estimators_ == 20 and full.estimators_.shape == (20, 1)


def test_adaboost_per_stage_attributes():
    X, y = IRIS
    full = AdaBoostClassifier(n_estimators=20, random_state=0).fit(X, y)
    trimmed = trim_rounds(full, 5)
    refit = clone(full).set_params(n_estimators=5).fit(X, y)
    np.testing.assert_array_equal(trimmed.estimator_weights_, refit.estimator_weights_)
    np.testing.assert_array_equal(trimmed.estimator_errors_, refit.estimator_errors_)
    assert len(trimmed.estimators_) == 5 and len(full.estimators_) == 20


def test_hist_gradient_boosting_scores_are_trimmed():
    X, y = DIABETES
    model = HistGradientBoostingRegressor(
        max_iter=20, early_stopping=True, n_iter_no_change=100, random_state=0
    )
    full = model.fit(X, y)
    trimmed = trim_rounds(full, 6)
    assert trimmed.n_iter_ == 6
    assert len(trimmed.train_score_) == len(trimmed.validation_score_) == 7
    assert full.n_iter_ == 20


def test_errors():
    X, y = IRIS
    with pytest.raises(NotFittedError):
        trim_rounds(GradientBoostingClassifier(), 3)
    full = GradientBoostingClassifier(n_estimators=5).fit(X, y)
    with pytest.raises(ValueError, match="more than the 5 rounds"):
        trim_rounds(full, 6)
    with pytest.raises(InvalidParameterError, match="n_rounds"):
        trim_rounds(full, 0)
    with pytest.raises(TypeError, match="Boosting trimming supports"):
        trim_rounds(RandomForestClassifier(n_estimators=3).fit(X, y), 2)


def _lgbm(name, **params):
    lightgbm = pytest.importorskip("lightgbm")
    return getattr(lightgbm, name)(verbose=-1, **params)


@pytest.mark.parametrize(
    "make_model, message",
    [
        (lambda: _xgb("XGBClassifier", n_estimators=4, booster="dart"), "'dart'"),
        (lambda: _xgb("XGBClassifier", n_estimators=4, booster="gblinear"), "linear"),
        (lambda: _lgbm("LGBMClassifier", n_estimators=4, boosting_type="dart"), "DART"),
    ],
)
def test_boosters_whose_first_rounds_are_not_a_smaller_model_are_refused(
    make_model, message
):
    from skprune.boosting import BoostingTrimmerCV

    X, y = BINARY
    # Before any fit, not after cross-validating the whole path.
    with pytest.raises(ValueError, match=message):
        BoostingTrimmerCV(make_model(), cv=3).fit(X, y)
    with pytest.raises(ValueError, match=message):
        trim_rounds(make_model().fit(X, y), 2)
