"""Benchmark rows of the boosting family: how many rounds to keep."""

from sklearn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.model_selection import GridSearchCV

from ..boosting import BoostingTrimmerCV
from ._registry import Method, Task, register_family

_N_ROUNDS = 100
_DATASETS = {
    "quick": ["breast_cancer"],
    "default": ["breast_cancer", "diabetes"],
    "full": ["breast_cancer", "diabetes", "friedman1"],
}
_CLASSIFICATION = {"breast_cancer"}


def _models(dataset, scope):
    classification = dataset in _CLASSIFICATION
    gb = GradientBoostingClassifier if classification else GradientBoostingRegressor
    models = {"GB": (gb(n_estimators=_N_ROUNDS, random_state=0), "n_estimators")}
    if scope == "quick":
        return models
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


def _grid_search(estimator, param):
    """What users do today: a handful of round counts, each refitted."""
    grid = {param: [10, 25, 50, _N_ROUNDS]}
    return lambda X, y: GridSearchCV(estimator, grid, cv=5).fit(X, y)


def _trimmer(estimator, rule):
    return lambda X, y: BoostingTrimmerCV(estimator, cv=5, rule=rule).fit(X, y)


@register_family("boosting")
def boosting_tasks(scope):
    tasks = []
    for dataset in _DATASETS[scope]:
        for label, (estimator, param) in _models(dataset, scope).items():
            tasks.append(
                Task(
                    dataset=dataset,
                    size_key="rounds",
                    methods=[
                        Method(f"{label} full ({_N_ROUNDS} rounds)", estimator.fit),
                        Method(
                            f"{label} GridSearchCV {param}",
                            _grid_search(estimator, param),
                        ),
                        Method(f"{label} skprune best", _trimmer(estimator, "best")),
                        Method(f"{label} skprune 1-SE", _trimmer(estimator, "1se")),
                    ],
                    curve=lambda e=estimator: BoostingTrimmerCV(e, cv=5),
                    label=label,
                )
            )
    return tasks
