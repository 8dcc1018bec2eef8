"""Benchmark rows of the boosting family: how many rounds to keep."""

import numpy as np
from sklearn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)

from ..boosting import BoostingTrimmerCV
from ._baselines import allow_nan, fitter, grid_search, rule_methods
from ._registry import Method, Task, register_family

_N_ROUNDS = 100
# GridSearchCV over every round count refits N(N+1)/2 rounds per fold: in the
# quick and default scopes it tries 5 and 10 of them, its time extrapolated.
_MAX_ROUND_COUNTS = {"quick": 5, "default": 10, "full": None}


def _models(classification, scope):
    """Label -> (booster with every round, name of its rounds parameter)."""
    gb = GradientBoostingClassifier if classification else GradientBoostingRegressor
    models = {"GB": (gb(n_estimators=_N_ROUNDS, random_state=0), "n_estimators")}
    if scope == "full":
        # Slow on small data (thread start-up at every round): full scope only.
        hgb = (
            HistGradientBoostingClassifier
            if classification
            else HistGradientBoostingRegressor
        )
        models["HistGB"] = (
            hgb(max_iter=_N_ROUNDS, early_stopping=False, random_state=0),
            "max_iter",
        )
    if scope == "quick":
        return models
    try:
        import xgboost
    except ImportError:
        return models
    xgb = xgboost.XGBClassifier if classification else xgboost.XGBRegressor
    models["XGBoost"] = (
        xgb(n_estimators=_N_ROUNDS, n_jobs=1, random_state=0),
        "n_estimators",
    )
    return models


def _every_round_count(X, y):
    return np.arange(1, _N_ROUNDS + 1)


@register_family(
    "boosting",
    datasets={
        "quick": ["breast_cancer"],
        "default": ["breast_cancer", "diabetes"],
        "full": ["breast_cancer", "diabetes", "friedman1"],
    },
)
def boosting_tasks(dataset, scope):
    tasks = []
    models = _models(dataset.kind == "classification", scope)
    for label, (booster, param) in models.items():
        trimmer = BoostingTrimmerCV(booster)
        methods = [
            Method(
                f"{label}, all {_N_ROUNDS} rounds",
                fitter(booster),
                f"The {label} model trained for {_N_ROUNDS} rounds, untrimmed.",
                role="reference",
            ),
            Method(
                f"GridSearchCV({param})",
                grid_search(
                    booster, param, _every_round_count, _MAX_ROUND_COUNTS[scope]
                ),
                f"GridSearchCV (5 folds, best mean score) refitting the model for "
                f"each round count 1..{_N_ROUNDS}: the candidates, folds and "
                "choice of BoostingTrimmerCV(rule='best').",
                role="baseline",
            ),
            *rule_methods(
                trimmer,
                "Scores every prefix of the rounds from one fit per fold (5 "
                "folds) and trims the model fitted on all data",
                same_choice_as=f"GridSearchCV({param})",
            ),
        ]
        tasks.append(
            Task(
                methods=methods,
                unit="rounds",
                label=label,
                curve=lambda t=trimmer: t,
                allow_nan=allow_nan(booster, trimmer),
            )
        )
    return tasks
