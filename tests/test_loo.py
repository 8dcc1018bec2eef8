import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression, Ridge

from skprune.linear._loo import LeastSquaresDesign

X_DIABETES, Y_DIABETES = load_diabetes(return_X_y=True)


def _sweep(design, n_features, drops):
    """Downdated fits dropping ``drops`` features at a time, with their columns."""
    fit, kept = design.fit(), np.arange(n_features)
    fits = [(kept, fit)]
    rng = np.random.RandomState(0)
    while len(kept) > drops:
        keep_local = np.ones(len(kept), dtype=bool)
        keep_local[rng.choice(len(kept), drops, replace=False)] = False
        fit, kept = fit.without(keep_local), kept[keep_local]
        fits.append((kept, fit))
    return fits


@pytest.mark.parametrize(
    "estimator",
    [LinearRegression(), Ridge(alpha=3.0), Ridge(alpha=0.5, fit_intercept=False)],
)
@pytest.mark.parametrize("drops", [1, 3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("n_targets", [1, 2])
def test_downdated_fits_equal_fresh_solves(estimator, drops, weighted, n_targets):
    X, y = X_DIABETES[:150], Y_DIABETES[:150]
    y = y if n_targets == 1 else np.c_[y, y[::-1]]
    weight = np.random.RandomState(1).uniform(0.5, 2, len(y)) if weighted else None
    design = LeastSquaresDesign(estimator, X, y, weight)
    assert design.downdatable
    for kept, fit in _sweep(design, X.shape[1], drops):
        fresh = design.fit(kept)
        np.testing.assert_allclose(fit.coef_, fresh.coef_, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(
            fit.loo_residuals(), fresh.loo_residuals(), rtol=1e-9, atol=1e-9
        )
        reference = clone(estimator).fit(X[:, kept], y, sample_weight=weight)
        np.testing.assert_allclose(fit.coef_, reference.coef_, rtol=1e-7, atol=1e-6)


def test_ill_conditioned_design_solves_every_subset_afresh():
    # A duplicated column: LinearRegression's minimum-norm solution needs the
    # pseudo-inverse, which downdates cannot give.
    X = np.c_[X_DIABETES[:100], X_DIABETES[:100, 0]]
    y = Y_DIABETES[:100]
    design = LeastSquaresDesign(LinearRegression(), X, y)
    assert not design.downdatable
    keep_local = np.ones(X.shape[1], dtype=bool)
    keep_local[3] = False
    fit = design.fit().without(keep_local)
    reference = LinearRegression().fit(X[:, keep_local], y)
    np.testing.assert_allclose(fit.coef_, reference.coef_, rtol=1e-6)
