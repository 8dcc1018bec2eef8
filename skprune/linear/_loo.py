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


# Below this condition number of the Gram on all features, the fits on
# subsets come from downdating its inverse: every subset's Gram is at least
# as well conditioned (eigenvalue interlacing), so no pseudo-inverse cut-off
# would apply, and the rounding over a whole sweep stays near 1e-16 * 1e6.
_MAX_CONDITION_FOR_DOWNDATES = 1e6


class LeastSquaresDesign:
    """A penalised weighted least-squares problem, set up once for any subset.

    The Gram matrix ``A'WA + P`` of a subset of features is the sub-matrix
    of the Gram of all of them, so an elimination sweep computes it once.
    """

    def __init__(self, estimator, X, y, sample_weight=None):
        X = np.asarray(X, dtype=float)
        self.y = np.asarray(y, dtype=float)
        n_samples = X.shape[0]
        alpha = float(getattr(estimator, "alpha", 0.0))
        # The intercept is column 0 of the design, unpenalised.
        self.offset = 1 if estimator.fit_intercept else 0
        self.A = np.hstack([np.ones((n_samples, 1)), X]) if self.offset else X
        penalty = np.full(self.A.shape[1], alpha)
        penalty[: self.offset] = 0.0
        self.weight = (
            np.ones(n_samples)
            if sample_weight is None
            else np.asarray(sample_weight, dtype=float)
        )
        # Squaring values beyond 1e154 overflows: such a design is not
        # ``finite``, and callers leave it to scikit-learn's solver.
        with np.errstate(over="ignore", invalid="ignore"):
            weighted = self.A * self.weight[:, None]
            self.gram = weighted.T @ self.A + np.diag(penalty)
            self.moment = weighted.T @ self.y
        self.finite = bool(
            np.isfinite(self.gram).all() and np.isfinite(self.moment).all()
        )
        self.downdatable = False
        if self.finite:
            eigenvalues = np.linalg.eigvalsh(self.gram)
            self.downdatable = bool(
                eigenvalues[0] > eigenvalues[-1] / _MAX_CONDITION_FOR_DOWNDATES
            )

    def fit(self, features=None):
        """The :class:`LeastSquaresFit` on these feature indices (all if None)."""
        columns = np.arange(self.A.shape[1])
        if features is not None:
            columns = np.concatenate([columns[: self.offset], features + self.offset])
        return LeastSquaresFit.solve(self, columns)


class LeastSquaresFit:
    """LinearRegression / Ridge solved in numpy: ``coef_`` and LOO residuals.

    Gives the estimator's coefficients without its per-fit overhead. It keeps
    the inverse Gram, the fitted values and the hat matrix's diagonal, so
    that :meth:`without` gives the fit on fewer features in ``O(n p)``
    operations instead of a new solve in ``O(n p^2)``.
    """

    def __init__(self, design, columns, inverse, coef, fitted, hat_diagonal):
        self._design, self._columns = design, columns
        self._inverse, self._coef = inverse, coef
        self._fitted, self._hat_diagonal = fitted, hat_diagonal
        self.coef_ = coef[design.offset :].T

    @classmethod
    def solve(cls, design, columns):
        # pinv gives LinearRegression's minimum-norm solution when A is singular.
        inverse = np.linalg.pinv(design.gram[np.ix_(columns, columns)], hermitian=True)
        coef = inverse @ design.moment[columns]
        A = design.A[:, columns]
        hat_diagonal = design.weight * np.sum((A @ inverse) * A, axis=1)
        return cls(design, columns, inverse, coef, A @ coef, hat_diagonal)

    def without(self, keep_local):
        """The fit on the kept features (a boolean mask over ``coef_``).

        With ``M`` the inverse Gram and ``K`` the dropped columns, the inverse
        Gram of the rest is the Schur complement ``M_SS - M_SK M_KK^-1 M_KS``;
        the coefficients, fitted values and leverages follow from the same
        terms (``U = A M_:K``).
        """
        design = self._design
        keep = np.concatenate([np.ones(design.offset, dtype=bool), keep_local])
        if keep.all():
            return self
        if not design.downdatable:
            return LeastSquaresFit.solve(design, self._columns[keep])
        M, drop = self._inverse, ~keep
        M_keep_drop = M[np.ix_(keep, drop)]
        M_drop = M[np.ix_(drop, drop)]
        inverse = M[np.ix_(keep, keep)] - M_keep_drop @ np.linalg.solve(
            M_drop, M_keep_drop.T
        )
        drop_coef = np.linalg.solve(M_drop, self._coef[drop])
        coef = self._coef[keep] - M_keep_drop @ drop_coef
        U = design.A[:, self._columns] @ M[:, drop]
        fitted = self._fitted - U @ drop_coef
        hat_diagonal = self._hat_diagonal - design.weight * np.sum(
            np.linalg.solve(M_drop, U.T).T * U, axis=1
        )
        return LeastSquaresFit(
            design, self._columns[keep], inverse, coef, fitted, hat_diagonal
        )

    def loo_residuals(self):
        """Leave-one-out residuals; see :func:`loo_residuals`."""
        leverage = 1.0 - self._hat_diagonal
        if self._design.y.ndim == 2:
            leverage = leverage[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            return (self._design.y - self._fitted) / leverage


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
    return LeastSquaresDesign(estimator, X, y, sample_weight).fit().loo_residuals()
