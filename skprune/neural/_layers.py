"""Removing a whole hidden layer, bridged by a least-squares linear map.

Hidden layer ``l`` sits between ``coefs_[l]`` (its input weights) and
``coefs_[l + 1]`` (its output weights). Removing it replaces both matrices by
one linear map from the layer's input to the next layer's pre-activation,
fitted by least squares on the training data, so that the network changes
as little as a linear map allows; fine-tuning then repairs the rest.
"""

import numpy as np
import scipy.sparse as sp


def _bridge(model, activations, layer, sample_weight=None):
    """The least-squares map over hidden layer ``layer``, and its relative residual.

    Weighted least squares with ``sample_weight``: rows scaled by the square
    root of their weight. A negative weight has no least-squares meaning, so
    such rows are left out of the bridge (weight 0).
    """
    inputs = activations[layer]
    # A sparse X (the first layer's input) is densified: lstsq takes arrays.
    inputs = inputs.toarray() if sp.issparse(inputs) else np.asarray(inputs)
    target = activations[layer + 1] @ model.coefs_[layer + 1]
    target += model.intercepts_[layer + 1]
    design = np.hstack([inputs, np.ones((inputs.shape[0], 1), inputs.dtype)])
    if sample_weight is None:
        root, centre = 1.0, target.mean(axis=0)
    else:
        weight = np.clip(sample_weight, 0, None)
        root = np.sqrt(weight)[:, None]
        centre = np.average(target, axis=0, weights=weight)
    solution, *_ = np.linalg.lstsq(root * design, root * target, rcond=None)
    residual = np.linalg.norm(root * (design @ solution - target))
    spread = np.linalg.norm(root * (target - centre))
    return solution[:-1], solution[-1], residual / max(spread, 1e-300)


def bridge_residuals(model, X, sample_weight=None):
    """How badly a linear map replaces each hidden layer, from 0 (exactly).

    The residual of the least-squares fit of the next layer's pre-activation
    from the layer's input, relative to that pre-activation's spread.
    """
    activations = model._forward(X)
    return np.array(
        [
            _bridge(model, activations, layer, sample_weight)[2]
            for layer in range(len(model.coefs_) - 1)
        ]
    )


def remove_layer(model, layer, X, sample_weight=None):
    """Replace hidden layer ``layer`` and its two weight matrices by its bridge.

    The bridge is dense (its mask all True); the optimiser state, shaped for
    the old layers, is dropped.
    """
    W, b, _ = _bridge(model, model._forward(X), layer, sample_weight)
    dtype = model.coefs_[layer].dtype
    model.coefs_[layer : layer + 2] = [W.astype(dtype, copy=False)]
    model.intercepts_[layer : layer + 2] = [b.astype(dtype, copy=False)]
    model.masks_[layer : layer + 2] = [np.ones(W.shape, dtype=bool)]
    model.hidden_layer_sizes = tuple(W.shape[1] for W in model.coefs_[:-1])
    model.n_layers_ -= 1
    model.__dict__.pop("_optimizer", None)
