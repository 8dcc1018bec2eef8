"""Which weights or neurons to prune: criteria, scopes and the surgery.

Scores are "higher is more important". Weights already pruned score -inf so
that they stay pruned whatever the criterion.
"""

import numpy as np


def weight_scores(mlp, criterion, rng):
    """One score array per layer, shaped like ``coefs_``."""
    if criterion == "magnitude":
        scores = [np.abs(W) for W in mlp.coefs_]
    elif criterion == "random":
        scores = [rng.uniform(size=W.shape) for W in mlp.coefs_]
    else:
        raise ValueError(f"Unknown weight criterion {criterion!r}.")
    return [
        np.where(mask, score, -np.inf)
        for score, mask in zip(scores, mlp.masks_, strict=True)
    ]


def _lowest(scores, n_prune):
    """Boolean keep-mask dropping the ``n_prune`` lowest scores (stable ties)."""
    flat = np.ravel(scores)
    keep = np.ones(flat.size, dtype=bool)
    keep[np.argsort(flat, kind="stable")[:n_prune]] = False
    return keep.reshape(np.shape(scores))


def weight_masks(scores, sparsity, scope):
    """Masks pruning exactly ``round(sparsity * n)`` weights with the lowest scores.

    ``scope="global"`` ranks all layers' weights together, ``"layer"`` ranks
    and counts each layer on its own.
    """
    if scope == "layer":
        return [_lowest(s, int(round(sparsity * s.size))) for s in scores]
    sizes = [s.size for s in scores]
    total = sum(sizes)
    keep = _lowest(
        np.concatenate([s.ravel() for s in scores]), int(round(sparsity * total))
    )
    bounds = np.cumsum([0, *sizes])
    return [
        keep[a:b].reshape(s.shape)
        for a, b, s in zip(bounds[:-1], bounds[1:], scores, strict=True)
    ]


def neuron_scores(mlp, criterion, rng):
    """One score per hidden neuron, per hidden layer.

    ``"magnitude"`` is the L2 norm of the neuron's incoming weights: a neuron
    whose inputs are all small barely varies, so removing it (its bias still
    reaches the next layer through the rest) changes the network least.
    """
    hidden = mlp.coefs_[:-1]
    if criterion == "magnitude":
        return [np.linalg.norm(W, axis=0) for W in hidden]
    if criterion == "random":
        return [rng.uniform(size=W.shape[1]) for W in hidden]
    raise ValueError(f"Unknown neuron criterion {criterion!r}.")


def neurons_to_keep(scores, n_remove, scope):
    """Keep-masks per hidden layer removing ``n_remove`` neurons in all.

    ``n_remove`` is a list (per layer) for ``scope="layer"``, an int for
    ``"global"``, where scores are divided by their layer's mean so that
    layers of different scale compete fairly. Every layer keeps one neuron.
    """
    if scope == "layer":
        return [
            _lowest(s, min(int(n), s.size - 1))
            for s, n in zip(scores, n_remove, strict=True)
        ]
    normalised = [s / (s.mean() if s.mean() > 0 else 1.0) for s in scores]
    # Each layer's best neuron is protected so that no layer disappears.
    protected = [
        np.where(np.arange(s.size) == np.argmax(s), np.inf, s) for s in normalised
    ]
    sizes = [s.size for s in scores]
    keep = _lowest(np.concatenate(protected), int(n_remove))
    bounds = np.cumsum([0, *sizes])
    return [keep[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def remove_neurons(mlp, keep):
    """Physically drop hidden neurons: columns, biases and next-layer rows."""
    for layer, kept in enumerate(keep):
        mlp.coefs_[layer] = mlp.coefs_[layer][:, kept]
        mlp.masks_[layer] = mlp.masks_[layer][:, kept]
        mlp.intercepts_[layer] = mlp.intercepts_[layer][kept]
        mlp.coefs_[layer + 1] = mlp.coefs_[layer + 1][kept, :]
        mlp.masks_[layer + 1] = mlp.masks_[layer + 1][kept, :]
    mlp.hidden_layer_sizes = tuple(int(k.sum()) for k in keep)
    mlp._invalidate_sparse()


def apply_weight_masks(mlp, masks):
    mlp.masks_ = [m.copy() for m in masks]
    for W, mask in zip(mlp.coefs_, masks, strict=True):
        W *= mask
    mlp._invalidate_sparse()
