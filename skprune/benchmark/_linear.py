"""Benchmark rows of the linear family: which features to keep."""

import warnings

import numpy as np
from sklearn.feature_selection import RFECV, SelectFromModel
from sklearn.linear_model import (
    LassoCV,
    LinearRegression,
    LogisticRegression,
    LogisticRegressionCV,
)
from sklearn.pipeline import make_pipeline

from ..linear import FeaturePruner, FeaturePrunerCV
from ._registry import Method, Task, register_family

_DATASETS = {
    "quick": ["sparse_regression"],
    "default": ["sparse_regression", "sparse_classification"],
    "full": ["sparse_regression", "sparse_classification"],
}


def _nonzero(model):
    return np.any(
        np.asarray(model.coef_).reshape(-1, model.coef_.shape[-1]) != 0, axis=0
    )


def _all_features(model):
    return np.ones(model.n_features_in_, dtype=bool)


def _quiet_fit(model, X, y):
    # LogisticRegressionCV announces attribute changes of scikit-learn 1.10.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return model.fit(X, y)


def _regression_methods():
    ols = LinearRegression()
    return [
        Method("all features", ols.fit, _all_features),
        Method(
            "RFECV", lambda X, y: RFECV(ols, cv=5).fit(X, y), lambda m: m.get_support()
        ),
        Method(
            "LassoCV", lambda X, y: LassoCV(cv=5, random_state=0).fit(X, y), _nonzero
        ),
        Method(
            "SelectFromModel (mean)",
            lambda X, y: make_pipeline(SelectFromModel(ols), ols).fit(X, y),
            lambda m: m[0].get_support(),
        ),
        Method(
            "skprune FeaturePruner (mean)",
            lambda X, y: FeaturePruner(ols, threshold="mean").fit(X, y),
            lambda m: m.get_support(),
        ),
        Method(
            "skprune LOO best",
            lambda X, y: FeaturePrunerCV(ols, cv="loo", rule="best").fit(X, y),
            lambda m: m.get_support(),
        ),
        Method(
            "skprune LOO 1-SE",
            lambda X, y: FeaturePrunerCV(ols, cv="loo", rule="1se").fit(X, y),
            lambda m: m.get_support(),
        ),
    ]


def _classification_methods():
    lr = LogisticRegression(max_iter=1000)
    l1 = LogisticRegressionCV(
        Cs=10,
        cv=5,
        l1_ratios=(1.0,),
        solver="liblinear",
        max_iter=1000,
        scoring="accuracy",
    )
    return [
        Method("all features", lr.fit, _all_features),
        Method(
            "RFECV", lambda X, y: RFECV(lr, cv=5).fit(X, y), lambda m: m.get_support()
        ),
        Method("L1-logistic CV", lambda X, y: _quiet_fit(l1, X, y), _nonzero),
        Method(
            "SelectFromModel (mean)",
            lambda X, y: make_pipeline(SelectFromModel(lr), lr).fit(X, y),
            lambda m: m[0].get_support(),
        ),
        Method(
            "skprune FeaturePruner (mean)",
            lambda X, y: FeaturePruner(lr, threshold="mean").fit(X, y),
            lambda m: m.get_support(),
        ),
        Method(
            "skprune best",
            lambda X, y: FeaturePrunerCV(lr, rule="best").fit(X, y),
            lambda m: m.get_support(),
        ),
        Method(
            "skprune 1-SE",
            lambda X, y: FeaturePrunerCV(lr, rule="1se").fit(X, y),
            lambda m: m.get_support(),
        ),
    ]


@register_family("linear")
def linear_tasks(scope):
    tasks = []
    for dataset in _DATASETS[scope]:
        regression = dataset == "sparse_regression"
        methods = _regression_methods() if regression else _classification_methods()
        curve = (
            (lambda: FeaturePrunerCV(LinearRegression(), cv="loo"))
            if regression
            else (lambda: FeaturePrunerCV(LogisticRegression(max_iter=1000)))
        )
        tasks.append(
            Task(dataset=dataset, size_key="features", methods=methods, curve=curve)
        )
    return tasks
