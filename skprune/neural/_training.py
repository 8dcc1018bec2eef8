"""The training loops: minibatch epochs (SGD, Adam) and scipy's L-BFGS-B.

Both are scikit-learn's, step for step (same shuffling, same validation
split, same stopping, same warnings), so the same ``random_state`` gives the
same weights; they also keep masked weights at zero.
"""

import warnings

import numpy as np
import scipy.optimize
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import gen_batches

from ..utils._sklearn_compat import _check_optimize_result, lbfgs_iprint_option
from ._early_stopping import stopping_rule


def batch_size(mlp, n_samples):
    """``min(200, n_samples)`` for ``"auto"``, else ``batch_size`` clipped."""
    if mlp.batch_size == "auto":
        return min(200, n_samples)
    if mlp.batch_size > n_samples:
        warnings.warn(
            "Got `batch_size` less than 1 or larger than sample size. It is going "
            "to be clipped",
            stacklevel=2,
        )
    return int(np.clip(mlp.batch_size, 1, n_samples))


def fit_stochastic(
    mlp,
    X,
    y,
    sample_weight,
    optimizer,
    rng,
    *,
    max_iter,
    incremental=False,
    first_pass=False,
    warn=True,
    callback=None,
):
    """Run up to ``max_iter`` epochs (one if ``incremental``) of ``optimizer``.

    ``callback(epoch, step)`` runs after every minibatch update; it may
    change ``mlp.masks_`` (gradual pruning) and returns True if it did, after
    which the optimiser masks the new zeros too.
    """
    if mlp.early_stopping and incremental:
        raise ValueError("partial_fit does not support early_stopping=True")
    X, y, sample_weight, rule = stopping_rule(mlp, X, y, sample_weight, rng, first_pass)
    n_samples = X.shape[0]
    size = batch_size(mlp, n_samples)
    sample_idx = np.arange(n_samples)
    params = mlp.coefs_ + mlp.intercepts_
    mlp.n_iter_ = 0
    step = 0
    try:
        for epoch in range(max_iter):
            if mlp.shuffle:
                rng.shuffle(sample_idx)
            accumulated_loss = 0.0
            for batch in gen_batches(n_samples, size):
                idx = sample_idx[batch] if mlp.shuffle else batch
                loss, coef_grads, intercept_grads = mlp._loss_and_gradients(
                    X[idx],
                    y[idx],
                    None if sample_weight is None else sample_weight[idx],
                )
                accumulated_loss += loss * (batch.stop - batch.start)
                optimizer.update(params, coef_grads + intercept_grads)
                step += 1
                if callback is not None and callback(epoch, step):
                    optimizer.set_masks(mlp._optimizer_masks())
            mlp.n_iter_ += 1
            mlp.loss_ = accumulated_loss / n_samples
            mlp.t_ += n_samples
            mlp.loss_curve_.append(mlp.loss_)
            if mlp.verbose:
                print(f"Iteration {mlp.n_iter_}, loss = {mlp.loss_:.8f}")
            rule.update(mlp)
            optimizer.iteration_ends(mlp.t_)
            if mlp._no_improvement_count > mlp.n_iter_no_change:
                message = rule.message.format(tol=mlp.tol, n=mlp.n_iter_no_change)
                if optimizer.trigger_stopping(message, mlp.verbose):
                    break
                mlp._no_improvement_count = 0
            if incremental:
                break
            if warn and mlp.n_iter_ == max_iter:
                # stacklevel: the user's call to fit, through _fit_context.
                warnings.warn(
                    f"Stochastic Optimizer: Maximum iterations ({max_iter}) reached "
                    "and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                    stacklevel=5,
                )
    except KeyboardInterrupt:
        warnings.warn("Training interrupted by user.", stacklevel=2)
    rule.restore(mlp)


def fit_lbfgs(mlp, X, y, sample_weight, *, max_iter, warn=True):
    """Minimise the penalised loss over all parameters with L-BFGS-B.

    Masked weights take part as zeros with a zero gradient, so the optimiser
    never moves them. ``warn=False``: no ConvergenceWarning.
    """
    shapes = [W.shape for W in mlp.coefs_]
    bounds = np.cumsum([0, *[W.size for W in mlp.coefs_ + mlp.intercepts_]])
    masks = mlp._optimizer_masks()[: len(shapes)]

    def unpack(packed):
        # Views into ``packed``, as scikit-learn's; masked layers are copies.
        parts = [packed[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        n_layers = len(shapes)
        coefs = [p.reshape(s) for p, s in zip(parts[:n_layers], shapes, strict=True)]
        mlp.coefs_ = [
            W if mask is None else W * mask
            for W, mask in zip(coefs, masks, strict=True)
        ]
        mlp.intercepts_ = parts[n_layers:]

    def loss_and_gradient(packed):
        unpack(packed)
        loss, coef_grads, intercept_grads = mlp._loss_and_gradients(X, y, sample_weight)
        for grad, mask in zip(coef_grads, masks, strict=True):
            if mask is not None:
                grad *= mask
        return loss, _pack(coef_grads + intercept_grads)

    iprint = 1 if mlp.verbose is True or mlp.verbose >= 1 else -1
    result = scipy.optimize.minimize(
        loss_and_gradient,
        _pack(mlp.coefs_ + mlp.intercepts_),
        method="L-BFGS-B",
        jac=True,
        options={
            "maxfun": mlp.max_fun,
            "maxiter": max_iter,
            "gtol": mlp.tol,
            **lbfgs_iprint_option(iprint),
        },
    )
    mlp.n_iter_ = (
        _check_optimize_result("lbfgs", result, max_iter)
        if warn
        else min(result.nit, max_iter)
    )
    mlp.loss_ = result.fun
    unpack(result.x)


def _pack(arrays):
    return np.hstack([a.ravel() for a in arrays])
