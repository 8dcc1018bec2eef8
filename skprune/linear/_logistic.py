"""L2-penalised logistic regression solved in numpy, warm-started by Newton.

An elimination sweep fits the estimator once per size, and for logistic
regression scikit-learn's per-fit overhead (validation, label encoding, the
scipy optimiser's set-up) costs more than the few iterations a warm start
needs. Here the same objective is minimised by Newton's method started from
the previous size's solution, so each size costs two or three Hessian solves.
"""

from copy import copy

import numpy as np
from scipy.special import log_expit, logsumexp
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import type_of_target

# Newton stops when a full step would lower the mean loss by less than this:
# far tighter than scikit-learn's default tol, so the result is its optimum.
_DECREMENT_TOL = 1e-15
_MAX_NEWTON_ITER = 50
# Larger problems (n_classes * n_features) fall back on scikit-learn's solver:
# the dense Hessian would cost more than its iterations save.
_MAX_PARAMETERS = 2000


def supports_newton_logistic(estimator):
    """A ``LogisticRegression`` whose objective this module minimises.

    That is an L2 penalty with a finite ``C``, any solver but liblinear
    (which penalises the intercept, so has another optimum) and the
    multinomial loss for several classes (not one-vs-rest).
    """
    if type(estimator) is not LogisticRegression:
        return False
    params = estimator.get_params()
    l2 = params.get("l1_ratio") in (0, 0.0, None) and params.get("penalty") in (
        "l2",
        "deprecated",
    )
    return bool(
        l2
        and np.isfinite(params["C"])
        and params["solver"] != "liblinear"
        and not params.get("dual", False)
        and params.get("multi_class", "auto") != "ovr"  # scikit-learn < 1.8
    )


def fit_logistic(estimator, X, y, sample_weight=None, start=None):
    """Fit ``estimator`` (see :func:`supports_newton_logistic`) by Newton.

    Parameters
    ----------
    estimator : LogisticRegression
        Unfitted; gives ``C``, ``fit_intercept`` and ``class_weight``.
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    sample_weight : ndarray of shape (n_samples,), default=None
    start : LogisticSolution, default=None
        A solution on the same samples and features (a previous size's, cut
        with :meth:`LogisticSolution.without`) from which Newton starts,
        reusing its Hessian while it keeps converging; zeros if None.

    Returns
    -------
    solution : LogisticSolution or None
        The optimum; ``solution.model`` is a copy of ``estimator`` with
        ``coef_``, ``intercept_``, ``classes_``, ``n_features_in_`` and
        ``n_iter_`` set as scikit-learn's fit sets them (its optimum within
        that solver's ``tol``). None when this solver does not apply (see
        :class:`LogisticTarget`) or did not converge, so that the caller fits
        with scikit-learn instead.
    """
    target = LogisticTarget.maybe(estimator, y, sample_weight)
    return None if target is None else target.fit(X, start)


class LogisticTarget:
    """The encoded classes and weights of one ``y``, to fit on many ``X``."""

    def __init__(self, estimator, classes, encoded, weight):
        self.estimator = clone(estimator)
        self.classes, self.encoded, self.weight = classes, encoded, weight
        self.n_columns = 1 if len(classes) == 2 else len(classes)

    @classmethod
    def maybe(cls, estimator, y, sample_weight=None):
        """None unless ``y`` is a binary or multiclass 1-D target."""
        y = np.asarray(y)
        # A column vector is scikit-learn's to ravel, with its warning.
        if y.ndim != 1 or type_of_target(y) not in ("binary", "multiclass"):
            return None
        classes, encoded = np.unique(y, return_inverse=True)
        weight = (
            np.ones(len(y))
            if sample_weight is None
            else np.asarray(sample_weight, dtype=float)
        )
        if estimator.class_weight is not None:
            per_class = compute_class_weight(
                estimator.class_weight,
                classes=classes,
                y=y,
                sample_weight=sample_weight,
            )
            weight = weight * per_class[encoded]
        return cls(estimator, classes, encoded, weight)

    def fit(self, X, start=None):
        """A :class:`LogisticSolution` on ``X``, or None (see fit_logistic).

        None too when the objective leaves floating point (values or
        weights near 1e300): scikit-learn's solver, which scales the loss by
        the total weight, takes those.
        """
        X = np.asarray(X, dtype=float)
        shape = (self.n_columns, X.shape[1] + 1)
        if shape[0] * shape[1] > _MAX_PARAMETERS:
            return None
        theta, hessian = np.zeros(shape), None
        with np.errstate(over="ignore", invalid="ignore"):
            problem = _Problem(X, self)
            if not np.isfinite(problem.scale):
                return None
            if start is not None and start.theta.shape == shape:
                theta, hessian = start.theta.copy(), start.hessian
                if not problem.fit_intercept:
                    theta[:, -1] = 0.0
            theta, hessian, n_iter = _newton(problem, theta, hessian)
        if theta is None:
            return None
        return LogisticSolution(self, theta, hessian, n_iter)


class LogisticSolution:
    """A Newton optimum: the fitted model, and what warm-starts the next."""

    def __init__(self, target, theta, hessian, n_iter):
        self.theta, self.hessian = theta, hessian
        n_features = theta.shape[1] - 1
        # A shallow copy of a fresh clone: the parameters, none of the state.
        model = copy(target.estimator)
        model.classes_ = target.classes
        model.coef_ = theta[:, :n_features].copy()
        model.intercept_ = theta[:, n_features].copy()
        model.n_features_in_ = n_features
        model.n_iter_ = np.array([n_iter], dtype=np.int32)
        self.model = model

    def without(self, keep_features):
        """The start for the kept features: their coefficients and Hessian."""
        keep_columns = np.r_[keep_features, True]
        keep = np.tile(keep_columns, self.theta.shape[0])
        start = copy(self)
        start.theta = self.theta[:, keep_columns]
        start.hessian = self.hessian[np.ix_(keep, keep)]
        return start


class _Problem:
    """``sum_i w_i loss_i + ||coef||^2 / (2 C)``, scikit-learn's objective.

    Binary problems have one column of coefficients and the binomial loss;
    multiclass ones one column per class and the multinomial loss. The
    parameters are ``theta`` of shape (n_columns, n_features + 1), the
    intercept last (kept at 0 without ``fit_intercept``).
    """

    def __init__(self, X, target):
        self.A = np.empty((X.shape[0], X.shape[1] + 1))
        self.A[:, :-1], self.A[:, -1] = X, 1.0
        self.weight = target.weight
        self.n_columns = target.n_columns
        self.fit_intercept = target.estimator.fit_intercept
        if self.n_columns == 1:
            self.target = (target.encoded == 1).astype(float)[:, None]
            self.weight_negative = self.weight * (1.0 - self.target[:, 0])
        else:
            self.target = np.eye(self.n_columns)[target.encoded]
        self.penalty = np.full(X.shape[1] + 1, 1.0 / target.estimator.C)
        self.penalty[-1] = 0.0
        # Tolerances are on the mean loss, as scikit-learn's.
        self.scale = self.weight.sum()

    def evaluate(self, theta):
        """The objective and the class probabilities at ``theta``."""
        penalty = 0.5 * np.sum(self.penalty * theta**2)
        if self.n_columns == 1:
            raw = self.A @ theta[0]
            # loss = -y log p - (1 - y) log(1 - p) = (1 - y) raw - log p
            log_proba = log_expit(raw)
            value = self.weight_negative @ raw - self.weight @ log_proba
            return value + penalty, np.exp(log_proba)[:, None]
        raw = self.A @ theta.T
        norm = logsumexp(raw, axis=1, keepdims=True)
        losses = norm[:, 0] - np.sum(raw * self.target, axis=1)
        return self.weight @ losses + penalty, np.exp(raw - norm)

    def gradient(self, theta, proba):
        residual = (proba - self.target) * self.weight[:, None]
        gradient = residual.T @ self.A + self.penalty * theta
        if not self.fit_intercept:
            gradient[:, -1] = 0.0
        return gradient

    def hessian(self, proba):
        n_params = self.A.shape[1]
        size = self.n_columns * n_params
        hessian = np.empty((size, size))
        for k in range(self.n_columns):
            for m in range(k, self.n_columns):
                # d2 loss / d raw_k d raw_m = p_k (delta_km - p_m)
                curvature = proba[:, k] * ((k == m) - proba[:, m]) * self.weight
                block = (self.A * curvature[:, None]).T @ self.A
                if k == m:
                    block[np.diag_indices(n_params)] += self.penalty
                rows = slice(k * n_params, (k + 1) * n_params)
                cols = slice(m * n_params, (m + 1) * n_params)
                hessian[rows, cols] = block
                hessian[cols, rows] = block.T
        if self.n_columns > 1 and self.fit_intercept:
            # The gradient has no component along a shift shared by all
            # intercepts (softmax ignores it); curvature there makes the
            # Hessian invertible without moving the optimum.
            shared = np.arange(n_params - 1, size, n_params)
            hessian[np.ix_(shared, shared)] += np.mean(np.diag(hessian))
        return hessian

    def free(self):
        """Mask of the parameters Newton moves (no intercept if not fitted)."""
        mask = np.ones((self.n_columns, self.A.shape[1]), dtype=bool)
        if not self.fit_intercept:
            mask[:, -1] = False
        return mask.ravel()


def _newton(problem, theta, hessian=None):
    """Damped Newton with a backtracking line search.

    A given ``hessian`` (the previous size's, cut to these features) is
    reused while each step shrinks the Newton decrement a hundredfold, as an
    exact one would near the optimum; otherwise the exact one is computed.
    Converged when the decrement, the objective decrease a full step
    promises, is negligible on the scale of the mean loss (it does not depend
    on the features' units, unlike the gradient).

    Returns
    -------
    theta, hessian, n_iter : the optimum (None if not reached), the last
        Hessian used, and the number of steps taken.
    """
    free = problem.free()
    value, proba = problem.evaluate(theta)
    factor, last_decrement = None, np.inf
    for n_iter in range(_MAX_NEWTON_ITER):
        gradient = problem.gradient(theta, proba)
        if hessian is None:
            hessian, factor = problem.hessian(proba), None
        if not (np.isfinite(gradient).all() and np.isfinite(hessian).all()):
            return None, hessian, n_iter
        if factor is None:
            factor = _factor(hessian[np.ix_(free, free)])
        step = np.zeros(theta.size)
        step[free] = factor(gradient.ravel()[free])
        step = step.reshape(theta.shape)
        decrement = np.sum(gradient * step)
        if decrement / 2 <= _DECREMENT_TOL * problem.scale:
            return theta, hessian, n_iter
        t = 1.0
        while t > 1e-10:
            candidate = theta - t * step
            new_value, new_proba = problem.evaluate(candidate)
            if new_value <= value - 1e-4 * t * decrement:
                break
            t *= 0.5
        else:
            return None, hessian, n_iter
        theta, value, proba = candidate, new_value, new_proba
        if problem.n_columns > 1 and problem.fit_intercept:
            # Softmax ignores a shift shared by all intercepts; scikit-learn's
            # solvers, started at 0, keep them summing to 0.
            theta[:, -1] -= theta[:, -1].mean()
        if decrement > last_decrement / 100:
            hessian = None  # too slow for a stale Hessian: compute it afresh
        last_decrement = decrement
    return None, hessian, _MAX_NEWTON_ITER


def _factor(hessian):
    """Solve with a Hessian: its inverse (a pseudo-inverse if it is singular),
    formed once since each Newton step needs a solve.

    numpy's LAPACK, not scipy's: alternating between the two OpenBLAS
    libraries leaves each one's spinning threads in the other's way.
    """
    try:
        inverse = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        inverse = np.linalg.pinv(hessian, hermitian=True)
    return lambda b: inverse @ b
