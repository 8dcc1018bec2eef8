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
from sklearn.model_selection import LeaveOneOut
from sklearn.pipeline import make_pipeline

from ..linear import FeaturePruner, FeaturePrunerCV
from ._baselines import allow_nan, fitter, rule_methods
from ._registry import Method, Task, register_family

# RFECV with leave-one-out refits every size once per sample: only this small.
_MAX_LOO_SAMPLES = 500


def _nonzero(model):
    return np.any(
        np.asarray(model.coef_).reshape(-1, model.coef_.shape[-1]) != 0, axis=0
    )


def _all_features(model):
    return np.ones(model.n_features_in_, dtype=bool)


def _get_support(model):
    return model.get_support()


def _with_support(methods):
    """Selectors report the features they kept."""
    for method in methods:
        method.support = _get_support
    return methods


def _quiet(estimator):
    def fit(X, y):
        # LogisticRegressionCV announces attribute changes of scikit-learn 1.10.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return fitter(estimator)(X, y)

    return fit


def _regression_methods(n_samples):
    ols = LinearRegression()
    loo = FeaturePrunerCV(ols, cv="loo")
    searches = [
        Method(
            "RFECV(cv=5)",
            fitter(RFECV(ols, cv=5)),
            "Recursive feature elimination by |coef_|, one feature at a time, "
            "the size with the best mean 5-fold R².",
            role="baseline",
        ),
        Method(
            "FeaturePrunerCV(cv=5, rule='best')",
            fitter(FeaturePrunerCV(ols, cv=5, rule="best")),
            "Backward elimination by standardised |coef_|, one feature at a "
            "time, the size with the best mean 5-fold R²: the candidates, folds "
            "and choice of RFECV(cv=5).",
            same_choice_as="RFECV(cv=5)",
        ),
    ]
    rfecv_loo = None
    if n_samples <= _MAX_LOO_SAMPLES:
        rfecv_loo = "RFECV(cv=LeaveOneOut())"
        searches.append(
            Method(
                rfecv_loo,
                fitter(RFECV(ols, cv=LeaveOneOut(), scoring="neg_mean_squared_error")),
                "RFECV with the CV scheme and score of the leave-one-out rows: "
                "one refit per sample at every size.",
                role="baseline",
            )
        )
    searches += rule_methods(
        loo,
        "Backward elimination by standardised |coef_|, every size's exact "
        "leave-one-out squared error in closed form",
        same_choice_as=rfecv_loo,
        cv="loo",
    )
    methods = [
        Method(
            "LinearRegression, all features",
            fitter(ols),
            "Least squares on every feature.",
            role="reference",
            support=_all_features,
        ),
        *_with_support(searches),
        Method(
            "LassoCV(cv=5)",
            fitter(LassoCV(cv=5, random_state=0)),
            "L1-penalised least squares, penalty chosen by 5-fold CV; the "
            "features with a nonzero coefficient.",
            role="baseline",
            support=_nonzero,
        ),
        *_selectors(ols),
    ]
    return methods, loo


def _selectors(estimator):
    """SelectFromModel and FeaturePruner with the same threshold, no CV."""
    return [
        Method(
            "SelectFromModel(threshold='mean')",
            fitter(make_pipeline(SelectFromModel(estimator), estimator)),
            "Keeps the features whose |coef_| is above the mean, then refits.",
            role="baseline",
            support=lambda model: model[0].get_support(),
        ),
        Method(
            "FeaturePruner(threshold='mean')",
            fitter(FeaturePruner(estimator, threshold="mean")),
            "Keeps the features whose standardised |coef_| is above the mean, "
            "then refits.",
            support=_get_support,
        ),
    ]


def _classification_methods():
    lr = LogisticRegression(max_iter=1000)
    pruner = FeaturePrunerCV(lr)
    l1 = LogisticRegressionCV(
        Cs=10,
        cv=5,
        l1_ratios=(1.0,),
        solver="liblinear",
        max_iter=1000,
        scoring="accuracy",
    )
    methods = [
        Method(
            "LogisticRegression, all features",
            fitter(lr),
            "Logistic regression (max_iter=1000) on every feature.",
            role="reference",
            support=_all_features,
        ),
        *_with_support(
            [
                Method(
                    "RFECV(cv=5)",
                    fitter(RFECV(lr, cv=5)),
                    "Recursive feature elimination by |coef_|, one feature at "
                    "a time, the size with the best mean 5-fold accuracy.",
                    role="baseline",
                ),
                *rule_methods(
                    pruner,
                    "Backward elimination by standardised |coef_|, one feature "
                    "at a time, warm-started, every size scored on 5 folds",
                    same_choice_as="RFECV(cv=5)",
                ),
            ]
        ),
        Method(
            "LogisticRegressionCV(l1_ratios=(1.0,))",
            _quiet(l1),
            "L1-penalised logistic regression, C among 10 chosen by 5-fold "
            "accuracy; the features with a nonzero coefficient.",
            role="baseline",
            support=_nonzero,
        ),
        *_selectors(lr),
    ]
    return methods, pruner


@register_family(
    "linear",
    datasets={
        "quick": ["sparse_regression"],
        "default": ["sparse_regression", "sparse_classification"],
        "full": ["sparse_regression", "sparse_classification"],
    },
)
def linear_tasks(dataset, scope):
    if dataset.kind == "regression":
        methods, pruner = _regression_methods(len(dataset.y))
    else:
        methods, pruner = _classification_methods()
    return [
        Task(
            methods=methods,
            unit="features",
            curve=lambda: pruner,
            allow_nan=allow_nan(pruner),
        )
    ]
