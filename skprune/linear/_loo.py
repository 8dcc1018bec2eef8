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
    hat_diagonal = weight * np.einsum("ij,jk,ik->i", A, inverse, A)
    residuals = y - A @ coef
    leverage = 1.0 - hat_diagonal
    if y.ndim == 2:
        leverage = leverage[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        return residuals / leverage
