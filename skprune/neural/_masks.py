"""From scores to masks (global or per layer, N:M), and the surgery.

Scores are "higher is more important". Weights already pruned score -inf so
that they stay pruned whatever the criterion.
"""

import numpy as np


def _lowest(scores, n_prune):
    """Boolean keep-mask dropping the ``n_prune`` lowest scores (stable ties)."""
    flat = np.ravel(scores)
    keep = np.ones(flat.size, dtype=bool)
    keep[np.argsort(flat, kind="stable")[:n_prune]] = False
    return keep.reshape(np.shape(scores))


def weight_masks(scores, sparsity, scope):
    """Masks pruning exactly ``round(sparsity * n)`` weights with the lowest scores.

    ``scope="global"`` ranks all layers' weights together, ``"layer"`` ranks
    and counts each layer on its own; there ``sparsity`` may be one value per
    layer.
    """
    if scope == "layer":
        targets = np.broadcast_to(sparsity, len(scores))
        return [
            _lowest(s, int(round(t * s.size)))
            for s, t in zip(scores, targets, strict=True)
        ]
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


def n_m_masks(scores, n_keep, group):
    """Keep the ``n_keep`` best of every ``group`` consecutive input weights.

    Groups run along each layer's input dimension: rows ``k*M .. k*M + M - 1``
    of ``coefs_[l]`` for one output column. When the fan-in is not a multiple
    of M, the trailing group of ``r < M`` rows keeps at most ``n_keep`` of them
    (all of them if ``r <= n_keep``).
    """
    masks = []
    for score in scores:
        fan_in = score.shape[0]
        keep = np.zeros(score.shape, dtype=bool)
        for start in range(0, fan_in, group):
            block = score[start : start + group]
            best = np.argsort(-block, axis=0, kind="stable")[:n_keep]
            np.put_along_axis(keep[start : start + group], best, True, axis=0)
        masks.append(keep & np.isfinite(score))
    return masks


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
    # Capped too: past all the unprotected neurons, _lowest would take the rest.
    n_remove = min(int(n_remove), sum(sizes) - len(sizes))
    keep = _lowest(np.concatenate(protected), n_remove)
    bounds = np.cumsum([0, *sizes])
    return [keep[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def remove_neurons(mlp, keep):
    """Physically drop hidden neurons: columns, biases and next-layer rows.

    The optimiser state no longer fits the smaller layers: it is dropped
    (``partial_fit`` then starts a fresh one).
    """
    for layer, kept in enumerate(keep):
        mlp.coefs_[layer] = mlp.coefs_[layer][:, kept]
        mlp.masks_[layer] = mlp.masks_[layer][:, kept]
        mlp.intercepts_[layer] = mlp.intercepts_[layer][kept]
        mlp.coefs_[layer + 1] = mlp.coefs_[layer + 1][kept, :]
        mlp.masks_[layer + 1] = mlp.masks_[layer + 1][kept, :]
    mlp.hidden_layer_sizes = tuple(int(k.sum()) for k in keep)
    mlp.__dict__.pop("_optimizer", None)


def apply_weight_masks(mlp, masks):
    """Zero the pruned weights; the optimiser state of the dense model is
    dropped with them."""
    mlp.masks_ = [m.copy() for m in masks]
    for W, mask in zip(mlp.coefs_, masks, strict=True):
        W *= mask
    mlp.__dict__.pop("_optimizer", None)
