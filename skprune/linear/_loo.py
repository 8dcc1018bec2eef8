"""Exact leave-one-out errors of least-squares fits, without refitting."""

import numpy as np
from sklearn.linear_model import LinearRegression, Ridge


def supports_closed_form_loo(estimator):
    """LinearRegression, or Ridge with one scalar alpha and no positivity."""
    if type(estimator) is LinearRegression:
        return not estimator.positive
    if type(estimator) is Ridge:
        return np.ndim(estimator.alpha) == 0 and not estimator.positive
    return False


def _penalised_least_squares(estimator, X, y, sample_weight):
    """Design matrix, weights, inverse Gram and coefficients of the fit."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n_samples = X.shape[0]
    alpha = float(getattr(estimator, "alpha", 0.0))
    if estimator.fit_intercept:
        A = np.hstack([np.ones((n_samples, 1)), X])
        penalty = np.full(A.shape[1], alpha)
        penalty[0] = 0.0
    else:
        A, penalty = X, np.full(X.shape[1], alpha)
    weight = (
        np.ones(n_samples)
        if sample_weight is None
        else np.asarray(sample_weight, dtype=float)
    )
    gram = (A * weight[:, None]).T @ A + np.diag(penalty)
    # pinv gives LinearRegression's minimum-norm solution when A is singular.
    inverse = np.linalg.pinv(gram, hermitian=True)
    coef = inverse @ ((A * weight[:, None]).T @ y)
    return A, weight, inverse, coef


class LeastSquaresFit:
    """LinearRegression / Ridge solved in numpy: ``coef_`` and LOO residuals.

    Gives the estimator's coefficients without its per-fit overhead, and
    keeps the factorisation so the leave-one-out residuals cost one more
    product, not another solve.
    """

    def __init__(self, estimator, X, y, sample_weight=None):
        self._y = np.asarray(y, dtype=float)
        self._A, self._weight, self._inverse, self._coef = _penalised_least_squares(
            estimator, X, y, sample_weight
        )
        coef = self._coef[1:] if estimator.fit_intercept else self._coef
        self.coef_ = coef.T

    def loo_residuals(self):
        """Leave-one-out residuals; see :func:`loo_residuals`."""
        A = self._A
        hat_diagonal = self._weight * np.sum((A @ self._inverse) * A, axis=1)
        residuals = self._y - A @ self._coef
        leverage = 1.0 - hat_diagonal
        if self._y.ndim == 2:
            leverage = leverage[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            return residuals / leverage


def loo_residuals(estimator, X, y, sample_weight=None):
    """Leave-one-out residuals ``y_i - f_{-i}(x_i)`` of a least-squares fit.

    For a penalised weighted least-squares smoother ``y_hat = H y`` with
    ``H = A (A'WA + P)^+ A'W``, where ``A = [1, X]`` when the intercept is
    fitted, ``W`` holds the sample weights and ``P = diag(0, alpha, ...)``
    leaves the intercept unpenalised, the fit without sample ``i`` predicts
    ``y_i`` with residual ``(y_i - y_hat_i) / (1 - H_ii)`` (the PRESS
    identity), so every leave-one-out error comes from one fit.

    Returns
    -------
    residuals : ndarray of shape (n_samples,) or (n_samples, n_targets)
    """
    return LeastSquaresFit(estimator, X, y, sample_weight).loo_residuals()
