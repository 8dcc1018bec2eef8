"""Bad input never produces a foreign exception (issue 17).

Every public estimator meets generated bad inputs (``_bad_input.KINDS``), and
so does the scikit-learn estimator a user would otherwise fit. Where
scikit-learn raises, we raise a ``ValueError`` or ``TypeError`` of our own or
of scikit-learn's validation, never one from inside numpy; where it accepts,
we accept and predict finite values; where it is silent, our code does not
warn. The default run draws one bad input of every kind per estimator; the
``slow`` run draws ``SLOW_PER_KIND`` of every kind (260 per estimator) and
prints the tallies::

    python -m pytest tests/test_bad_input.py -m slow -n 0 -s
"""

import importlib
import inspect
import warnings
from collections import Counter

import numpy as np
import pytest
from _bad_input import CASES, KINDS, bad_inputs, compare, foreign_error
from hypothesis import HealthCheck, Phase, given, settings
from sklearn.base import BaseEstimator
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import make_scorer
from sklearn.model_selection import KFold
from sklearn.tree import DecisionTreeClassifier

import skprune
from skprune.linear import FeaturePruner, FeaturePrunerCV
from skprune.neural import MLPClassifier, MLPRegressor
from skprune.tree import CostComplexityPrunerCV

#: Bad inputs per kind and estimator: 13 kinds, so 13 and 260 per estimator.
DEFAULT_PER_KIND = 1
SLOW_PER_KIND = 20

#: Refusals of what scikit-learn accepts that are known gaps, not bugs, each
#: with its reason; like ``expected_failed_checks``, never silently skipped.
KNOWN_REFUSALS = {}


#: Foreign errors raised inside a scikit-learn estimator's own ``fit`` that
#: it raises on such data by itself, where scikit-learn's counterpart on all
#: the data need not: (case, kind, error, file) and why. Errors identical to
#: the counterpart's and raised inside scikit-learn count as inherited too.
KNOWN_INHERITED = {
    ("BoostingTrimmerCV", "sample_weight", "ZeroDivisionError", "ensemble/_gb.py"): (
        "GradientBoostingClassifier.fit divides by a leaf's weight sum, 0 with "
        "negative weights, on all data or on a training fold alike"
    ),
}


def _inherited(case, bad, verdict):
    return verdict.category == "foreign" and any(
        (case.name, bad[0]) == (name, kind)
        and verdict.problem.startswith(error)
        and verdict.origin.endswith(path)
        for name, kind, error, path in KNOWN_INHERITED
    )


def _explore(case, per_kind):
    """The verdicts on ``per_kind`` derandomized bad inputs of every kind."""
    verdicts = []
    for kind in KINDS:

        @settings(
            max_examples=per_kind,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(bad=bad_inputs(kind))
        def explore(bad):
            verdicts.append((bad, compare(case, *bad)))

        explore()
    return verdicts


def _problems(case, verdicts):
    return [
        (bad, v.problem)
        for bad, v in verdicts
        if v.problem is not None
        and not (v.category == "refused" and (case.name, bad[0]) in KNOWN_REFUSALS)
        and not _inherited(case, bad, v)
    ]


def test_every_public_estimator_meets_bad_input():
    public = set()
    for package in skprune.__all__:
        module = importlib.import_module(f"skprune.{package}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            concrete = isinstance(obj, type) and not inspect.isabstract(obj)
            if concrete and issubclass(obj, BaseEstimator):
                public.add(name)
    assert public == {type(case.ours).__name__ for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_sample(case):
    verdicts = _explore(case, DEFAULT_PER_KIND)
    assert len(verdicts) == DEFAULT_PER_KIND * len(KINDS)
    assert _problems(case, verdicts) == []


@pytest.mark.slow
def test_bad_input_suite():
    rows, problems = [], []
    for case in CASES:
        verdicts = _explore(case, SLOW_PER_KIND)
        categories = Counter(v.category for _, v in verdicts)
        inherited = [bad for bad, v in verdicts if _inherited(case, bad, v)]
        rows.append(
            (
                case.name,
                len(verdicts),
                sum(v.sklearn_raised and v.we_raised for _, v in verdicts),
                sum(not v.sklearn_raised and not v.we_raised for _, v in verdicts),
                categories["foreign"] - len(inherited),
                categories["inherited"] + len(inherited),
                categories["accepted"],
                categories["refused"],
                categories["non-finite"],
                categories["warning"],
                categories["documented warning"],
            )
        )
        problems += [(case.name, *p) for p in _problems(case, verdicts)]
    header = (
        "estimator",
        "inputs",
        "both raise",
        "both accept",
        "foreign",
        "inherited",
        "accepted*",
        "refused*",
        "non-finite",
        "warnings",
        "documented",
    )
    print("\n* accepted where scikit-learn refuses / refused where it accepts")
    for row in [header, *rows]:
        print(f"{row[0]:<24}" + "".join(f"{v:>12}" for v in row[1:]))
    for problem in problems:
        print(*problem)
    assert all(row[1] >= 250 for row in rows)
    assert problems == []


# -- the kinds of issue 17, one by one -----------------------------------------


def _classification():
    return make_classification(30, 4, n_informative=3, n_redundant=0, random_state=0)


def test_infinite_scores_are_handled():
    # GridSearchCV accepts a scorer that returns inf, so the rules must too.
    X, y = _classification()
    inf_scorer = make_scorer(lambda y_true, y_pred: np.inf)
    pruner = CostComplexityPrunerCV(
        DecisionTreeClassifier(random_state=0), scoring=inf_scorer, cv=3
    )
    assert pruner.fit(X, y).best_index_ >= 0


def test_weights_cancelling_on_a_split_leave_it_out():
    # The held-out weights of the first fold sum to 0: it has no weighted
    # score; DecisionTreeClassifier accepts such weights.
    X, y = _classification()
    sample_weight = np.r_[np.ones(5), -np.ones(5), np.ones(20)]
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0), cv=KFold(3))
    pruner.fit(X, y, sample_weight=sample_weight)
    assert np.isnan(pruner.cv_results_["split0_test_score"]).all()
    assert np.isfinite(pruner.cv_results_["mean_test_score"]).all()
    assert np.isfinite(pruner.best_score_)


@pytest.mark.parametrize("pruner_class", [FeaturePruner, FeaturePrunerCV])
def test_inner_parameters_are_validated_before_the_numpy_solver(pruner_class):
    X, y = _classification()
    pruner = pruner_class(LogisticRegression(C=0.0))
    with pytest.raises(ValueError, match="'C' parameter of LogisticRegression"):
        pruner.fit(X, y)


def test_overridden_inner_parameter_is_still_validated():
    X, y = _classification()
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier(), cv=3)
    pruner.set_params(estimator__ccp_alpha="0.5")
    with pytest.raises(ValueError, match="'ccp_alpha' parameter"):
        pruner.fit(X, y)


@pytest.mark.parametrize(
    "sample_weight, message",
    [
        (np.ones(29), r"sample_weight.shape == \(29,\), expected \(30,\)"),
        (np.ones(30) + 1j, "Complex data not supported"),
        (np.full(30, np.nan), "Input sample_weight contains NaN"),
    ],
)
@pytest.mark.parametrize("estimator", [LogisticRegression(), LinearRegression()])
def test_sample_weight_is_validated_before_the_numpy_solver(
    estimator, sample_weight, message
):
    X, y = _classification()
    with pytest.raises(ValueError, match=message) as error:
        FeaturePruner(estimator).fit(X, y, sample_weight=sample_weight)
    assert foreign_error(error.value) is None


@pytest.mark.parametrize("cv", ["loo", 3])
def test_values_near_the_float_limit_fit_as_linear_regression_does(cv):
    # The Gram matrix of such X overflows; LinearRegression's SVD does not.
    X, y = make_regression(30, 4, noise=1.0, random_state=0)
    X = X * 1e300
    expected = LinearRegression().fit(X, y).predict(X)
    assert np.isfinite(expected).all()
    pruner = FeaturePrunerCV(LinearRegression(), cv=cv).fit(X, y)
    assert np.isfinite(pruner.predict(X)).all()


@pytest.mark.parametrize(
    "scale, weight", [(1e200, 1.0), (1.0, 1e300)], ids=["huge X", "huge weights"]
)
def test_logistic_newton_leaves_overflow_to_scikit_learn(scale, weight):
    X, y = _classification()
    sample_weight = np.full(len(y), weight)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        FeaturePruner(LogisticRegression()).fit(
            X * scale, y, sample_weight=sample_weight
        )
    # scikit-learn's solver may warn that it did not converge, as it does alone.
    assert not [w for w in record if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize("sizes", [(True,), ("8",), (8.0,), ((8,),)])
@pytest.mark.parametrize("mlp_class", [MLPClassifier, MLPRegressor])
def test_hidden_layer_sizes_entries_are_ints(mlp_class, sizes):
    X, y = _classification()
    with pytest.raises(ValueError, match="'hidden_layer_sizes' parameter"):
        mlp_class(hidden_layer_sizes=sizes, max_iter=5).fit(X, y)


def test_hidden_layer_sizes_as_a_set_is_accepted_as_in_scikit_learn():
    X, y = _classification()
    mlp = MLPClassifier(hidden_layer_sizes={8}, max_iter=5, random_state=0)
    with pytest.warns(UserWarning):  # ConvergenceWarning
        mlp.fit(X, y)
    assert mlp.coefs_[0].shape == (4, 8)


def test_mlp_regressor_refuses_string_targets():
    X, y = make_regression(30, 4, random_state=0)
    with pytest.raises(ValueError, match="needs numeric targets") as error:
        MLPRegressor(max_iter=5).fit(X, y.astype(str))
    assert foreign_error(error.value) is None
