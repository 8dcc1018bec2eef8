import numpy as np
import pytest
from sklearn.datasets import load_iris, make_classification
from sklearn.linear_model import (
    LinearRegression,
    LogisticRegression,
    Ridge,
    SGDClassifier,
)
from sklearn.metrics import accuracy_score, check_scoring, make_scorer

from skprune.linear import FeaturePrunerCV
from skprune.linear._direct_scores import direct_score

BINARY = make_classification(n_samples=120, n_features=6, random_state=0)
IRIS = load_iris(return_X_y=True)


def _string_labels(X, y):
    return X, np.array(["setosa", "versicolor", "virginica"])[y]


@pytest.mark.parametrize(
    "estimator, data, scoring",
    [
        (LogisticRegression(), BINARY, None),
        (LogisticRegression(), BINARY, "accuracy"),
        (LogisticRegression(max_iter=500), IRIS, None),
        (LogisticRegression(max_iter=500), _string_labels(*IRIS), None),
        (SGDClassifier(random_state=0), IRIS, "accuracy"),
    ],
)
def test_direct_score_equals_the_scorer(estimator, data, scoring):
    X, y = data
    estimator.fit(X[::2], y[::2])
    direct = direct_score(scoring, estimator)
    expected = check_scoring(estimator, scoring)(estimator, X[1::2], y[1::2])
    assert direct is not None
    assert direct(estimator, X[1::2], y[1::2]) == pytest.approx(expected, rel=1e-12)


class _Shifted(LogisticRegression):
    def predict(self, X):
        return super().predict(X)[::-1]


@pytest.mark.parametrize(
    "estimator, scoring",
    [
        (_Shifted(), None),  # predict overridden
        (LogisticRegression(), "roc_auc"),  # another score
        (LinearRegression(), None),  # not a classifier
        (Ridge(), "r2"),
    ],
)
def test_other_cases_keep_the_scorer(estimator, scoring):
    assert direct_score(scoring, estimator) is None


def test_pruner_scores_equal_those_of_an_equivalent_custom_scorer():
    X, y = make_classification(
        n_samples=200, n_features=10, n_informative=3, random_state=0
    )
    lr = LogisticRegression()
    direct = FeaturePrunerCV(lr).fit(X, y)
    through_scorer = FeaturePrunerCV(lr, scoring=make_scorer(accuracy_score))
    through_scorer.fit(X, y)
    np.testing.assert_array_equal(
        direct.cv_results_["mean_test_score"],
        through_scorer.cv_results_["mean_test_score"],
    )
