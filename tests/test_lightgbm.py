"""LightGBM in BoostingTrimmerCV, trim_rounds and model_size, as a refit says."""

import builtins

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.model_selection import GridSearchCV

from skprune.boosting import BoostingTrimmerCV, trim_rounds
from skprune.metrics import model_size

lightgbm = pytest.importorskip("lightgbm")

CASES = [
    (
        lightgbm.LGBMClassifier(
            n_estimators=25, subsample=0.8, subsample_freq=1, random_state=0
        ),
        load_breast_cancer(return_X_y=True),
    ),
    (
        lightgbm.LGBMClassifier(n_estimators=20, random_state=0),
        load_iris(return_X_y=True),
    ),
    (
        lightgbm.LGBMRegressor(n_estimators=25, colsample_bytree=0.7, random_state=0),
        load_diabetes(return_X_y=True),
    ),
]
IDS = ["binary", "multiclass", "regression"]


def _quiet(model):
    return clone(model).set_params(verbose=-1)


@pytest.mark.parametrize("model, data", CASES, ids=IDS)
def test_scores_equal_grid_search_and_the_trimmed_model_a_refit(model, data):
    X, y = data
    model = _quiet(model)
    trimmer = BoostingTrimmerCV(model, cv=3).fit(X, y)
    grid = GridSearchCV(
        model, {"n_estimators": list(range(1, model.n_estimators + 1))}, cv=3
    ).fit(X, y)
    for k in range(3):
        np.testing.assert_array_equal(
            trimmer.cv_results_[f"split{k}_test_score"],
            grid.cv_results_[f"split{k}_test_score"],
        )
    n_rounds = trimmer.best_params_["n_rounds"]
    refit = clone(model).set_params(n_estimators=n_rounds).fit(X, y)
    best = trimmer.best_estimator_
    np.testing.assert_array_equal(best.predict(X), refit.predict(X))
    if hasattr(refit, "predict_proba"):
        np.testing.assert_allclose(best.predict_proba(X), refit.predict_proba(X))
    assert best.n_estimators == best.n_estimators_ == n_rounds
    assert model_size(best) | {"bytes": 0} == model_size(refit) | {"bytes": 0}


def test_trim_rounds_keeps_best_iteration_meaningful():
    X, y = load_breast_cancer(return_X_y=True)
    full = _quiet(CASES[0][0]).fit(X, y)
    trimmed = trim_rounds(full, 10)
    assert trimmed.booster_.current_iteration() == 10 == trimmed.n_estimators
    assert full.booster_.current_iteration() == 25  # the original is untouched
    # Without early stopping best_iteration_ stays 0 (every round is used).
    assert trimmed.best_iteration_ == 0
    # An early-stopped model's best round is kept if within the cut, else
    # the cut's last round.
    stopped = _quiet(full).set_params(n_estimators=200)
    stopped.fit(
        X[:400],
        y[:400],
        eval_set=[(X[400:], y[400:])],
        callbacks=[lightgbm.early_stopping(5, verbose=False)],
    )
    best = stopped.best_iteration_
    assert trim_rounds(stopped, best).best_iteration_ == best
    assert trim_rounds(stopped, best - 1).best_iteration_ == best - 1
    np.testing.assert_array_equal(
        trim_rounds(stopped, best - 1).predict_proba(X),
        stopped.predict_proba(X, num_iteration=best - 1),
    )


def test_early_stopping_is_refused():
    X, y = load_iris(return_X_y=True)
    model = _quiet(CASES[1][0]).set_params(early_stopping_round=5)
    with pytest.raises(ValueError, match="LightGBM's early stopping"):
        BoostingTrimmerCV(model).fit(X, y)


def test_missing_lightgbm_names_the_extra(monkeypatch):
    from skprune.boosting._lightgbm import import_lightgbm

    real_import = builtins.__import__

    def no_lightgbm(name, *args, **kwargs):
        if name == "lightgbm":
            raise ImportError("No module named 'lightgbm'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_lightgbm)
    with pytest.raises(ImportError, match=r"pip install 'skprune\[lightgbm\]'"):
        import_lightgbm()


def test_categorical_columns_lightgbm_would_read_as_categories_are_refused():
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"x": rng.randn(200), "c": pd.Categorical(rng.randint(0, 5, 200))})
    y = (X["c"].cat.codes % 2).to_numpy()
    model = lightgbm.LGBMClassifier(n_estimators=5, verbose=-1)
    with pytest.raises(ValueError, match=r"categorical columns \['c'\]"):
        BoostingTrimmerCV(model, cv=3).fit(X, y)
    # Without categorical columns the same frame is taken.
    BoostingTrimmerCV(model, cv=3).fit(X.astype({"c": int}), y)
