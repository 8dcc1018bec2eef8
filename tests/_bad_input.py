"""Generated bad inputs, and how to compare their outcome with scikit-learn's.

Used by ``test_bad_input.py``. Every public estimator is paired with the
scikit-learn estimator a user would otherwise fit (``CASES``); a bad input is
one of the ``KINDS`` below, drawn by :func:`bad_inputs`, and
:func:`compare` runs it through both and classifies what happened.
"""

import linecache
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sklearn
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.feature_selection import RFE, RFECV
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError, make_constraint

import skprune
from skprune.boosting import BoostingTrimmerCV
from skprune.linear import FeaturePruner, FeaturePrunerCV
from skprune.neural import MLPClassifier, MLPPruner, MLPPrunerCV, MLPRegressor
from skprune.tree import CostComplexityPrunerCV, ForestPrunerCV

#: Warnings skprune gives on purpose, about the model chosen rather than the
#: input, with where they are documented.
DOCUMENTED_WARNINGS = {
    "prunes the tree to a single leaf": "CostComplexityPrunerCV, Notes",
}

_OURS = str(Path(skprune.__file__).parent)
_SKLEARN = str(Path(sklearn.__file__).parent)
# Frames that only carry an error or a warning up from where it arose.
_CARRIERS = (str(Path(np.__file__).parent), "/scipy/", "/warnings.py", "/joblib/")

N_SAMPLES, N_FEATURES = 30, 4


def _mlp(cls, **params):
    return cls(hidden_layer_sizes=(5,), max_iter=20, random_state=0, **params)


@dataclass(frozen=True)
class Case:
    """A public estimator and the scikit-learn estimator to compare it with."""

    name: str
    ours: object
    theirs: object
    classification: bool = True
    #: The counterpart for sample weights, where ``theirs`` takes none.
    theirs_weighted: object = None

    def data(self, seed=0):
        if self.classification:
            return make_classification(
                N_SAMPLES,
                N_FEATURES,
                n_informative=3,
                n_redundant=0,
                class_sep=2.0,
                random_state=seed,
            )
        return make_regression(N_SAMPLES, N_FEATURES, noise=1.0, random_state=seed)


CASES = [
    Case(
        "CostComplexityPrunerCV",
        CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0), cv=3),
        DecisionTreeClassifier(random_state=0),
    ),
    Case(
        "ForestPrunerCV",
        ForestPrunerCV(RandomForestClassifier(n_estimators=5, random_state=0)),
        RandomForestClassifier(n_estimators=5, random_state=0),
    ),
    Case(
        "BoostingTrimmerCV",
        BoostingTrimmerCV(
            GradientBoostingClassifier(n_estimators=5, random_state=0), cv=3
        ),
        GradientBoostingClassifier(n_estimators=5, random_state=0),
    ),
    Case(
        "FeaturePruner",
        FeaturePruner(LogisticRegression()),
        RFE(LogisticRegression()),
    ),
    Case(
        "FeaturePrunerCV",
        FeaturePrunerCV(LogisticRegression(), cv=3),
        RFECV(LogisticRegression(), cv=3),
        # RFECV passes sample_weight on only with metadata routing enabled.
        theirs_weighted=RFE(LogisticRegression()),
    ),
    Case(
        "FeaturePrunerCV-loo",
        FeaturePrunerCV(LinearRegression(), cv="loo"),
        LinearRegression(),
        classification=False,
    ),
    Case("MLPClassifier", _mlp(MLPClassifier), _mlp(SkMLPClassifier)),
    Case(
        "MLPRegressor",
        _mlp(MLPRegressor),
        _mlp(SkMLPRegressor),
        classification=False,
    ),
    Case(
        "MLPPruner",
        MLPPruner(_mlp(MLPClassifier), random_state=0),
        _mlp(SkMLPClassifier),
    ),
    Case(
        "MLPPrunerCV",
        MLPPrunerCV(
            _mlp(MLPClassifier), sparsity=0.5, n_rounds=2, cv=3, random_state=0
        ),
        _mlp(SkMLPClassifier),
    ),
]

# -- the bad inputs ----------------------------------------------------------

_NONFINITE = [np.nan, np.inf, -np.inf]
_HUGE = [1e150, 1e200, 1e300, np.finfo(np.float64).max]
# Values pushed at every parameter; many fall outside its constraints.
_BAD_PARAMS = [-1, 0, -0.5, 0.5, 1.5, 3, "bad", "0.5", np.nan, np.inf, None, True]
_BAD_PARAMS += [(True,), ("8",), {8}, (), object()]
# Parameters whose valid values still cost minutes or flood the output.
_UNSAFE_PARAMS = {"n_jobs", "verbose"}

_cell = st.tuples(
    st.integers(0, N_SAMPLES - 1),
    st.integers(0, N_FEATURES - 1),
)


def _cells(values):
    return st.lists(st.tuples(_cell, st.sampled_from(values)), min_size=1, max_size=3)


KINDS = {
    # X at fit time (and the same X at predict time)
    "X-nonfinite": _cells(_NONFINITE),
    "X-huge-cells": _cells([v * s for v in _HUGE for s in (1, -1)]),
    "X-huge-scale": st.sampled_from(_HUGE + [1e-300]),
    "X-shape": st.sampled_from(["no rows", "no columns", "1-D", "3-D", "scalar"]),
    "X-strings": st.sampled_from(["a cell", "numeric strings", "None cell"]),
    "X-complex": st.sampled_from(["a cell", "every cell"]),
    # y
    "y-bad": st.sampled_from(
        ["nan", "inf", "too short", "too long", "complex", "one class", "2-D column"]
    ),
    "y-strings": st.sampled_from(["numeric strings", "letters"]),
    # sample_weight
    "sample_weight": st.sampled_from(
        [
            "too short",
            "too long",
            "negative entry",
            "all negative",
            "all zero",
            "cancelling",
            "nan",
            "inf",
            "huge",
            "complex",
            "2-D",
            "strings",
        ]
    ),
    # parameters: (index of a parameter, bad value)
    "param": st.tuples(st.integers(0, 10_000), st.sampled_from(_BAD_PARAMS)),
    # predict on a model fitted on clean data
    "predict-n-features": st.sampled_from([-1, 1]),
    "predict-nonfinite": _cells(_NONFINITE),
    "predict-unfitted": st.just(None),
}


def bad_inputs(kind):
    """A strategy of ``(kind, detail, seed)``: a bad input on a dataset.

    ``seed`` draws the dataset the bad input spoils, so that even the kinds
    with few details meet many datasets.
    """
    return st.tuples(st.just(kind), KINDS[kind], st.integers(0, 2**16))


@dataclass
class Trial:
    """What one bad input feeds the estimators."""

    X: object
    y: object
    fit_params: dict = field(default_factory=dict)
    X_predict: object = None
    our_params: dict = field(default_factory=dict)
    their_params: dict = field(default_factory=dict)
    fit: bool = True
    # For our own parameters, which scikit-learn's counterpart lacks: whether
    # the value satisfies the declared constraints.
    param_valid: bool = None


def _with_cells(X, cells):
    strings = any(isinstance(v, str) for _, v in cells)
    X = np.array(X, dtype=object if strings else X.dtype)
    for (i, j), value in cells:
        X[i, j] = value
    return X


def _params(estimator):
    names = sorted(estimator.get_params(deep=True))
    return [n for n in names if n.rsplit("__", 1)[-1] not in _UNSAFE_PARAMS]


def _their_name(case, name):
    """The counterpart's name of our parameter ``name``, or None."""
    if isinstance(case.theirs, RFE | RFECV):
        return name if name.startswith("estimator__") else None
    if hasattr(case.ours, "estimator"):
        inner = name.removeprefix("estimator__")
        return inner if inner != name else None
    return name


def _satisfies_constraints(estimator, name, value):
    constraints = getattr(estimator, "_parameter_constraints", {}).get(name)
    if constraints is None or constraints == "no_validation":
        return True
    return any(make_constraint(c).is_satisfied_by(value) for c in constraints)


def make_trial(case, kind, detail, seed=0):
    """The inputs of one bad input ``(kind, detail)`` for ``case``."""
    X, y = case.data(seed)
    trial = Trial(X=X, y=y)
    n = len(y)
    if kind in ("X-nonfinite", "X-huge-cells"):
        trial.X = _with_cells(X, detail)
    elif kind == "X-huge-scale":
        with np.errstate(over="ignore"):  # up to the largest float
            trial.X = X * detail
    elif kind == "X-shape":
        trial.X = {
            "no rows": X[:0],
            "no columns": X[:, :0],
            "1-D": X[:, 0],
            "3-D": X[:, :, None],
            "scalar": np.float64(1.0),
        }[detail]
    elif kind == "X-strings":
        trial.X = {
            "a cell": _with_cells(X, [((0, 0), "a")]),
            "numeric strings": X.astype(str),
            "None cell": _with_cells(X.astype(object), [((1, 1), None)]),
        }[detail]
    elif kind == "X-complex":
        trial.X = (
            _with_cells(X.astype(complex), [((2, 1), 1 + 1j)])
            if detail == "a cell"
            else X + 1j
        )
    elif kind == "y-bad":
        trial.y = _bad_y(y, detail, case.classification)
    elif kind == "y-strings":
        letters = np.array(["a", "b"])[(y > np.median(y)).astype(int)]
        trial.y = y.astype(str) if detail == "numeric strings" else letters
    elif kind == "sample_weight":
        trial.fit_params = {"sample_weight": _bad_weights(n, detail)}
    elif kind == "param":
        index, value = detail
        names = _params(case.ours)
        name = names[index % len(names)]
        trial.our_params = {name: value}
        their = _their_name(case, name)
        if their is None:
            trial.param_valid = _owner_satisfies(case.ours, name, value)
        else:
            trial.their_params = {their: value}
    elif kind == "predict-n-features":
        trial.X_predict = X[:, :-1] if detail < 0 else np.hstack([X, X[:, :1]])
    elif kind == "predict-nonfinite":
        trial.X_predict = _with_cells(X, detail)
    elif kind == "predict-unfitted":
        trial.fit = False
    if trial.X_predict is None:
        trial.X_predict = trial.X
    return trial


def _owner_satisfies(estimator, name, value):
    *path, own = name.split("__")
    for step in path:
        estimator = estimator.get_params()[step]
    return _satisfies_constraints(estimator, own, value)


def _bad_y(y, detail, classification):
    if detail == "nan":
        return np.where(np.arange(len(y)) == 3, np.nan, y)
    if detail == "inf":
        return np.where(np.arange(len(y)) == 3, np.inf, y)
    if detail == "too short":
        return y[:-1]
    if detail == "too long":
        return np.r_[y, y[:1]]
    if detail == "complex":
        return y + 1j
    if detail == "one class":
        return np.zeros_like(y)
    return y[:, None]  # "2-D column"


def _bad_weights(n, detail):
    ones = np.ones(n)
    return {
        "too short": ones[:-1],
        "too long": np.ones(n + 1),
        "negative entry": np.where(np.arange(n) == 4, -1.0, ones),
        "all negative": -ones,
        "all zero": np.zeros(n),
        "cancelling": np.where(np.arange(n) % 2 == 0, 1.0, -1.0),
        "nan": np.where(np.arange(n) == 4, np.nan, ones),
        "inf": np.where(np.arange(n) == 4, np.inf, ones),
        "huge": ones * 1e300,
        "complex": ones + 1j,
        "2-D": ones[:, None],
        "strings": ones.astype(str).astype(object),
    }[detail]


# -- running and judging -----------------------------------------------------


@dataclass
class Outcome:
    error: BaseException = None
    prediction: object = None
    warnings: list = field(default_factory=list)  # (category, message, ours)


def run(estimator, trial, params):
    """Fit (unless ``trial.fit`` is False) and predict, recording everything."""
    outcome = Outcome()

    def record(message, category, filename, lineno, file=None, line=None):
        stack = traceback.extract_stack()[:-1]
        outcome.warnings.append((category, str(message), _raised_by_us(stack)))

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = record
        try:
            estimator = clone(estimator).set_params(**params)
            if trial.fit:
                estimator.fit(trial.X, trial.y, **trial.fit_params)
            outcome.prediction = estimator.predict(trial.X_predict)
        except Exception as error:  # noqa: BLE001 -- judged by foreign_error
            outcome.error = error
    return outcome


def _raised_by_us(frames):
    """Whether the innermost frame that is not numpy's, scipy's... is ours."""
    for frame in reversed(frames):
        if not any(part in frame.filename for part in _CARRIERS):
            return frame.filename.startswith(_OURS)
    return False


def foreign_error(error):
    """Why ``error`` is not a clear error of ours or scikit-learn's, or None.

    Clear means a ``ValueError`` or ``TypeError`` (``InvalidParameterError``,
    ``NotFittedError`` included) raised by a ``raise`` statement in skprune,
    or by scikit-learn's code (its validation converting input included),
    never from inside numpy or scipy or by an operation in our code.
    """
    if not isinstance(error, ValueError | TypeError):
        return f"{type(error).__name__} is not a ValueError or TypeError"
    module = type(error).__module__
    if not (module == "builtins" or module.startswith(("sklearn", "skprune"))):
        return f"{module}.{type(error).__name__} is numpy's or scipy's"
    frames = traceback.extract_tb(error.__traceback__)
    innermost = frames[-1]
    if innermost.filename == __file__ and "unexpected keyword" in str(error):
        return None  # Python's own refusal of an argument our method lacks
    if innermost.filename.startswith(_SKLEARN) or isinstance(
        error, InvalidParameterError | NotFittedError
    ):
        return None
    if innermost.filename.startswith(_OURS):
        line = linecache.getline(innermost.filename, innermost.lineno).strip()
        if line.startswith("raise"):
            return None
        return f"raised by an operation in our code: {line!r}"
    return f"raised inside {innermost.filename}"


@dataclass(frozen=True)
class Verdict:
    """How one bad input went, for the tallies and the assertions."""

    sklearn_raised: bool
    we_raised: bool
    problem: str = None  # None when we behaved as we should
    category: str = "ok"
    #: Where our error was raised: the innermost frame outside numpy's.
    origin: str = None


def compare(case, kind, detail, seed=0):
    """Run one bad input through ``case``'s two estimators and judge ours."""
    trial = make_trial(case, kind, detail, seed)
    ours = run(case.ours, trial, trial.our_params)
    counterpart = case.theirs
    if "sample_weight" in trial.fit_params and case.theirs_weighted is not None:
        counterpart = case.theirs_weighted
    theirs = run(counterpart, trial, trial.their_params)
    sklearn_raised, sklearn_silent = theirs.error is not None, not theirs.warnings
    if trial.param_valid is not None:
        # Our own parameter, which scikit-learn's counterpart lacks: the
        # constraints we declare say what scikit-learn's validation would.
        sklearn_raised = not trial.param_valid
    we_raised = ours.error is not None
    verdict = _verdict(sklearn_raised, we_raised, ours, theirs, trial)
    if verdict is not None and verdict.category == "foreign":
        if verdict.origin.startswith(_SKLEARN) and _same_error(ours, theirs):
            # scikit-learn's own estimator fails so on this input by itself.
            verdict = Verdict(sklearn_raised, True, category="inherited")
    if verdict is None and sklearn_silent:
        ours_warned = [f"{c.__name__}: {m}" for c, m, by_us in ours.warnings if by_us]
        documented = [
            w for w in ours_warned if any(d in w for d in DOCUMENTED_WARNINGS)
        ]
        if documented == ours_warned and documented:
            verdict = Verdict(sklearn_raised, we_raised, category="documented warning")
        elif ours_warned:
            verdict = Verdict(
                sklearn_raised, we_raised, f"warned {ours_warned[0]!r}", "warning"
            )
    return verdict or Verdict(sklearn_raised, we_raised)


def _verdict(sklearn_raised, we_raised, ours, theirs, trial):
    if we_raised:
        reason = foreign_error(ours.error)
        if reason is not None:
            return Verdict(
                sklearn_raised,
                True,
                f"{type(ours.error).__name__}: {ours.error} ({reason})",
                "foreign",
                _origin(ours.error),
            )
        if not sklearn_raised and (trial.param_valid or not _finite(theirs)):
            # A value our constraints allow, refused later with a clear
            # message (prefit=True on an unfitted model), or an input that
            # scikit-learn takes only to predict inf or NaN.
            return None
        if not sklearn_raised:
            return Verdict(
                False,
                True,
                f"refused what scikit-learn accepts: {ours.error!r}",
                "refused",
            )
        return None
    if sklearn_raised:
        return Verdict(True, False, "accepted what scikit-learn refuses", "accepted")
    if _finite(theirs) and not _finite(ours):
        return Verdict(False, False, "accepted, non-finite predictions", "non-finite")
    return None


def _finite(outcome):
    """Whether the predictions are finite (vacuously, if there are none)."""
    if outcome.error is not None:
        return True
    prediction = np.asarray(outcome.prediction)
    return prediction.dtype.kind not in "fc" or bool(np.isfinite(prediction).all())


def _origin(error):
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if not any(part in frame.filename for part in _CARRIERS):
            return frame.filename
    return frames[-1].filename


def _same_error(ours, theirs):
    return (
        theirs.error is not None
        and type(ours.error) is type(theirs.error)
        and str(ours.error) == str(theirs.error)
    )
