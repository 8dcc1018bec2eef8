"""scikit-learn's estimator checks on every public skprune estimator."""

import pytest
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_n_features_in_after_fitting,
    check_param_validation,
    parametrize_with_checks,
)

from skprune.tree import CostComplexityPrunerCV


def _estimators():
    return [
        CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0), cv=3),
        CostComplexityPrunerCV(DecisionTreeRegressor(random_state=0), cv=3),
    ]


def _expected_failed_checks(estimator):
    # None: every check passes. A CV pruner could excuse the sample-weight
    # equivalence check (weighted rows and duplicated rows fall into folds
    # differently), but ours pass it.
    return {}


@parametrize_with_checks(
    _estimators(), expected_failed_checks=_expected_failed_checks, xfail_strict=True
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


_EXTRA_CHECKS = [
    check_param_validation,
    check_dataframe_column_names_consistency,
    check_n_features_in_after_fitting,
]


@pytest.mark.parametrize("estimator", _estimators(), ids=repr)
@pytest.mark.parametrize("check", _EXTRA_CHECKS, ids=lambda c: c.__name__)
def test_checks_sklearn_runs_only_in_its_own_suite(estimator, check):
    check(type(estimator).__name__, estimator)
