"""Every private fast path is really taken, and warns when it is gone.

The private names live in ``skprune.utils._sklearn_compat``: pruning a
fitted tree (``_prune_tree``), cutting HistGradientBoosting's predictors
(``_predictors``), and putting a cut booster into XGBoost's and LightGBM's
wrappers (``_Booster``, ``_best_iteration``). Taken, they spare a refit.
"""

import ast
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from skprune.boosting import BoostingTrimmerCV, trim_rounds
from skprune.boosting._trimming import trimmed_or_refit
from skprune.tree import CostComplexityPrunerCV, ForestPrunerCV
from skprune.utils import _sklearn_compat as compat

X, Y = load_breast_cancer(return_X_y=True)


def _count_fits(monkeypatch, cls):
    calls = []
    fit = cls.fit

    def counting_fit(self, *args, **kwargs):
        calls.append(type(self).__name__)
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(cls, "fit", counting_fit)
    return calls


def _fits_without_fallback(make, monkeypatch, cls, cv):
    """Fit the pruner, with fit calls counted and fallback warnings raised."""
    calls = _count_fits(monkeypatch, cls)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*no longer has.*")
        pruner = make().fit(X, Y)
    return pruner, calls


def test_pruned_tree_is_cut_not_refit(monkeypatch):
    pruner, calls = _fits_without_fallback(
        lambda: CostComplexityPrunerCV(
            DecisionTreeClassifier(random_state=0), cv=3, n_repeats=1
        ),
        monkeypatch,
        DecisionTreeClassifier,
        3,
    )
    assert len(calls) == 1 + 3  # the path's tree and one per fold, no refit
    refit = DecisionTreeClassifier(random_state=0, **pruner.best_params_).fit(X, Y)
    np.testing.assert_array_equal(pruner.predict(X), refit.predict(X))


def test_pruned_forest_is_cut_not_refit(monkeypatch):
    forest = RandomForestClassifier(n_estimators=5, random_state=0)
    pruner, calls = _fits_without_fallback(
        lambda: ForestPrunerCV(forest, method="ccp", rule=0.01),
        monkeypatch,
        RandomForestClassifier,
        None,
    )
    assert calls == ["RandomForestClassifier"]  # one out-of-bag fit only
    assert pruner.best_params_["ccp_alpha"] > 0


@pytest.mark.parametrize("library", ["sklearn", "xgboost", "lightgbm"])
def test_trimmed_booster_is_cut_not_refit(monkeypatch, library):
    if library == "sklearn":
        model = HistGradientBoostingClassifier(max_iter=20, random_state=0)
    elif library == "xgboost":
        model = pytest.importorskip("xgboost").XGBClassifier(n_estimators=20)
    else:
        lightgbm = pytest.importorskip("lightgbm")
        model = lightgbm.LGBMClassifier(n_estimators=20, verbose=-1)
    pruner, calls = _fits_without_fallback(
        lambda: BoostingTrimmerCV(model, cv=3), monkeypatch, type(model), 3
    )
    assert len(calls) == 1 + 3
    n_rounds = pruner.best_params_["n_rounds"]
    refit = clone(model).set_params(
        **{"max_iter" if library == "sklearn" else "n_estimators": n_rounds}
    )
    np.testing.assert_allclose(
        pruner.predict_proba(X), refit.fit(X, Y).predict_proba(X), rtol=1e-6
    )


def test_a_vanished_private_name_warns_and_the_caller_falls_back(monkeypatch):
    # A scikit-learn without _prune_tree (an object without it stands in:
    # deleting it would break scikit-learn's own fit, which calls it).
    with pytest.warns(UserWarning, match="no longer has _prune_tree"):
        assert compat.prune_fitted_tree(object(), 0.01) is None
    from skprune.tree import _ccp

    monkeypatch.setattr(
        _ccp,
        "prune_fitted_tree",
        lambda tree, alpha: compat.prune_fitted_tree(object(), alpha),
    )
    with pytest.warns(UserWarning, match="no longer has _prune_tree"):
        pruner = CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0))
        pruner.fit(X, Y)
    refit = DecisionTreeClassifier(random_state=0, **pruner.best_params_).fit(X, Y)
    np.testing.assert_array_equal(pruner.predict(X), refit.predict(X))


def test_a_booster_that_cannot_be_cut_is_refit_with_a_warning(monkeypatch):
    # The helpers that reach private names warn and say so when they are gone.
    with pytest.warns(UserWarning, match="no longer has _predictors"):
        assert compat.hist_gradient_boosting_predictors(object()) is None
    with pytest.warns(UserWarning, match="no longer has _Booster"):
        assert compat.set_xgboost_booster(object(), None) is False
    with pytest.warns(UserWarning, match="no longer has _Booster"):
        assert compat.set_lightgbm_booster(object(), None, 0) is False
    # Then trim_rounds cannot cut (a clear error) and the CV pruner refits.
    from skprune.boosting import _sklearn_adapters

    monkeypatch.setattr(
        _sklearn_adapters,
        "hist_gradient_boosting_predictors",
        lambda model: compat.hist_gradient_boosting_predictors(object()),
    )
    model = HistGradientBoostingClassifier(max_iter=15, random_state=0).fit(X, Y)
    with pytest.warns(UserWarning, match="no longer has _predictors"):
        with pytest.raises(RuntimeError, match="refit it with 5 rounds"):
            trim_rounds(model, 5)
    with pytest.warns(UserWarning, match="could not be trimmed in place"):
        refit = trimmed_or_refit(model, 5, X, Y, {})
    expected = clone(model).set_params(max_iter=5).fit(X, Y)
    np.testing.assert_array_equal(refit.predict_proba(X), expected.predict_proba(X))


def _private_imports(path):
    """``module.name`` of every private import of a foreign library in ``path``."""
    foreign = ("sklearn", "xgboost", "lightgbm", "scipy", "numpy")
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            modules, names = [node.module], [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            modules, names = [alias.name for alias in node.names], []
        else:
            continue
        for module in modules:
            if module.split(".")[0] not in foreign:
                continue
            private_module = any(part.startswith("_") for part in module.split("."))
            private_names = [name for name in names if name.startswith("_")]
            if private_module or private_names:
                found.append(f"{module}:{','.join(names)}")
    return found


def test_private_names_are_imported_only_by_the_compat_module():
    package = Path(compat.__file__).parents[1]
    offenders = {
        str(path.relative_to(package)): _private_imports(path)
        for path in package.rglob("*.py")
        if path != Path(compat.__file__)
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_wrapped_parameters_are_checked_before_any_fit(monkeypatch):
    calls = _count_fits(monkeypatch, DecisionTreeClassifier)
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier(max_depth=-1))
    with pytest.raises(InvalidParameterError, match="max_depth"):
        pruner.fit(X, Y)
    assert calls == []


def test_a_vanished_parameter_check_warns():
    class ConstrainedWithoutCheck:
        _parameter_constraints = {}

    with pytest.warns(UserWarning, match="no longer has _validate_params"):
        compat.validate_estimator_params(ConstrainedWithoutCheck())
