"""Removing a whole hidden layer, bridged by a least-squares linear map.

Hidden layer ``l`` sits between ``coefs_[l]`` (its input weights) and
``coefs_[l + 1]`` (its output weights). Removing it replaces both matrices by
one linear map from the layer's input to the next layer's pre-activation,
fitted by least squares on the training data, so that the network changes
as little as a linear map allows; fine-tuning then repairs the rest.
"""

import numpy as np
import scipy.sparse as sp


def _bridges(model, X):
    """Per hidden layer: the least-squares map over it and its relative residual."""
    activations = model._forward(X)
    out = []
    for layer in range(len(model.coefs_) - 1):
        inputs = activations[layer]
        inputs = inputs.toarray() if sp.issparse(inputs) else np.asarray(inputs)
        target = activations[layer + 1] @ model.coefs_[layer + 1]
        target += model.intercepts_[layer + 1]
        design = np.hstack([inputs, np.ones((inputs.shape[0], 1), inputs.dtype)])
        solution, *_ = np.linalg.lstsq(design, target, rcond=None)
        residual = np.linalg.norm(design @ solution - target)
        spread = np.linalg.norm(target - target.mean(axis=0))
        out.append((solution[:-1], solution[-1], residual / max(spread, 1e-300)))
    return out


def bridge_residuals(model, X):
    """How badly a linear map replaces each hidden layer, from 0 (exactly).

    The residual of the least-squares fit of the next layer's pre-activation
    from the layer's input, relative to that pre-activation's spread.
    """
    return np.array([residual for _, _, residual in _bridges(model, X)])


def remove_layer(model, layer, X):
    """Replace hidden layer ``layer`` and its two weight matrices by its bridge.

    The bridge is dense (its mask all True); the optimiser state, shaped for
    the old layers, is dropped.
    """
    W, b, _ = _bridges(model, X)[layer]
    dtype = model.coefs_[layer].dtype
    model.coefs_[layer : layer + 2] = [W.astype(dtype, copy=False)]
    model.intercepts_[layer : layer + 2] = [b.astype(dtype, copy=False)]
    model.masks_[layer : layer + 2] = [np.ones(W.shape, dtype=bool)]
    model.hidden_layer_sizes = tuple(W.shape[1] for W in model.coefs_[:-1])
    model.n_layers_ -= 1
    model.__dict__.pop("_optimizer", None)
