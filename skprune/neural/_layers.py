"""Removing a whole hidden layer, bridged by a least-squares linear map.

Hidden layer ``l`` sits between ``coefs_[l]`` (its input weights) and
``coefs_[l + 1]`` (its output weights). Removing it replaces both matrices by
one linear map from the layer's input to the next layer's pre-activation,
fitted by least squares on the training data, so that the network changes
as little as a linear map allows; fine-tuning then repairs the rest.
"""

import numpy as np
import scipy.sparse as sp


def _bridge(model, activations, layer):
    """The least-squares map over hidden layer ``layer``, and its relative residual."""
    inputs = activations[layer]
    # A sparse X (the first layer's input) is densified: lstsq takes arrays.
    inputs = inputs.toarray() if sp.issparse(inputs) else np.asarray(inputs)
    target = activations[layer + 1] @ model.coefs_[layer + 1]
    target += model.intercepts_[layer + 1]
    design = np.hstack([inputs, np.ones((inputs.shape[0], 1), inputs.dtype)])
    solution, *_ = np.linalg.lstsq(design, target, rcond=None)
    residual = np.linalg.norm(design @ solution - target)
    spread = np.linalg.norm(target - target.mean(axis=0))
    return solution[:-1], solution[-1], residual / max(spread, 1e-300)


def bridge_residuals(model, X):
    """How badly a linear map replaces each hidden layer, from 0 (exactly).

    The residual of the least-squares fit of the next layer's pre-activation
    from the layer's input, relative to that pre-activation's spread.
    """
    activations = model._forward(X)
    return np.array(
        [
            _bridge(model, activations, layer)[2]
            for layer in range(len(model.coefs_) - 1)
        ]
    )


def remove_layer(model, layer, X):
    """Replace hidden layer ``layer`` and its two weight matrices by its bridge.

    The bridge is dense (its mask all True); the optimiser state, shaped for
    the old layers, is dropped.
    """
    W, b, _ = _bridge(model, model._forward(X), layer)
    dtype = model.coefs_[layer].dtype
    model.coefs_[layer : layer + 2] = [W.astype(dtype, copy=False)]
    model.intercepts_[layer : layer + 2] = [b.astype(dtype, copy=False)]
    model.masks_[layer : layer + 2] = [np.ones(W.shape, dtype=bool)]
    model.hidden_layer_sizes = tuple(W.shape[1] for W in model.coefs_[:-1])
    model.n_layers_ -= 1
    model.__dict__.pop("_optimizer", None)
