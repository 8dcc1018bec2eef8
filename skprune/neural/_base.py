"""Activations, their derivatives and the losses, computed as scikit-learn does.

The operations and their order are those of ``sklearn.neural_network._base``,
so that a network trained here takes scikit-learn's steps to the last bit.
"""

import numpy as np
from scipy.special import expit, xlogy


def _softmax(z):
    tmp = z - z.max(axis=1)[:, np.newaxis]
    np.exp(tmp, out=z)
    z /= z.sum(axis=1)[:, np.newaxis]
    return z


# Each overwrites and returns its (freshly computed) input.
ACTIVATIONS = {
    "identity": lambda z: z,
    "relu": lambda z: np.maximum(z, 0, out=z),
    "tanh": lambda z: np.tanh(z, out=z),
    "logistic": lambda z: expit(z, out=z),
    "exp": lambda z: np.exp(z, out=z),
    "softmax": _softmax,
}


def _logistic_derivative(activation, delta):
    delta *= activation
    delta *= 1 - activation


def _relu_derivative(activation, delta):
    # A product with the boolean, ~6x faster than delta[activation == 0] = 0.
    np.multiply(delta, activation > 0, out=delta)


# Multiply ``delta`` in place by the derivative, read off the activation.
DERIVATIVES = {
    "identity": lambda activation, delta: None,
    "logistic": _logistic_derivative,
    "tanh": lambda activation, delta: np.multiply(delta, 1 - activation**2, out=delta),
    "relu": _relu_derivative,
}


def squared_loss(y_true, y_pred, sample_weight=None):
    """Half the mean squared error, averaged over outputs."""
    return (
        0.5 * np.average((y_true - y_pred) ** 2, weights=sample_weight, axis=0).mean()
    )


def poisson_loss(y_true, y_pred, sample_weight=None):
    """Half the Poisson deviance, summed over outputs."""
    return np.average(
        xlogy(y_true, y_true / y_pred) - y_true + y_pred,
        weights=sample_weight,
        axis=0,
    ).sum()


def log_loss(y_true, y_prob, sample_weight=None):
    """Cross-entropy of softmax outputs."""
    eps = np.finfo(y_prob.dtype).eps
    y_prob = np.clip(y_prob, eps, 1 - eps)
    return -np.average(xlogy(y_true, y_prob), weights=sample_weight, axis=0).sum()


def binary_log_loss(y_true, y_prob, sample_weight=None):
    """Cross-entropy of logistic outputs (binary and multilabel)."""
    eps = np.finfo(y_prob.dtype).eps
    y_prob = np.clip(y_prob, eps, 1 - eps)
    return -np.average(
        xlogy(y_true, y_prob) + xlogy(1 - y_true, 1 - y_prob),
        weights=sample_weight,
        axis=0,
    ).sum()


# The loss of each output activation: each pairs with it so that the
# gradient at the output is ``output - y``.
LOSSES = {
    "identity": squared_loss,
    "exp": poisson_loss,
    "softmax": log_loss,
    "logistic": binary_log_loss,
}


def forward(X, coefs, intercepts, activation, out_activation):
    """Activations of every layer, the input's included, as scikit-learn's
    forward pass computes them."""
    hidden = ACTIVATIONS[activation]
    activations = [X]
    last = len(coefs) - 1
    for i, (W, b) in enumerate(zip(coefs, intercepts, strict=True)):
        z = activations[-1] @ W
        z += b
        activations.append(ACTIVATIONS[out_activation](z) if i == last else hidden(z))
    return activations


def backprop(X, y, coefs, intercepts, alpha, activation, out_activation, sample_weight):
    """Penalised loss and its gradients, as scikit-learn's ``_backprop``."""
    activations = forward(X, coefs, intercepts, activation, out_activation)
    loss = LOSSES[out_activation](y, activations[-1], sample_weight)
    values = 0
    for s in coefs:
        s = s.ravel()
        values += np.dot(s, s)
    sw_sum = X.shape[0] if sample_weight is None else sample_weight.sum()
    loss += (0.5 * alpha) * values / sw_sum
    # The output activation is the loss's canonical link: d loss / dz is
    # output - y.
    delta = activations[-1] - y
    if sample_weight is not None:
        delta *= sample_weight.reshape(-1, 1)
    coef_grads = [None] * len(coefs)
    intercept_grads = [None] * len(coefs)
    for i in range(len(coefs) - 1, -1, -1):
        coef_grads[i] = activations[i].T @ delta
        coef_grads[i] += alpha * coefs[i]
        coef_grads[i] /= sw_sum
        intercept_grads[i] = np.sum(delta, axis=0) / sw_sum
        if i > 0:
            delta = delta @ coefs[i].T
            DERIVATIVES[activation](activations[i], delta)
    return loss, coef_grads, intercept_grads
