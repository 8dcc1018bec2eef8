"""Which weights or neurons to prune: criteria, scopes, N:M and the surgery.

Scores are "higher is more important". Weights already pruned score -inf so
that they stay pruned whatever the criterion.
"""

import re

import numpy as np
from sklearn.utils import gen_batches

WEIGHT_CRITERIA = ("magnitude", "random", "gradient", "taylor")
NEURON_CRITERIA = (*WEIGHT_CRITERIA, "activation", "l1-in", "l2-in", "l1-out", "l2-out")


def accumulated_gradients(mlp, X, Y, taylor=False):
    """|dL/dw| (or |w * dL/dw|) summed over one pass of minibatches.

    Absolute values are summed per minibatch: at a trained minimum the
    full-batch gradient is near zero for every weight, but how much a weight's
    gradient moves from batch to batch still tells how much the loss leans on
    it.
    """
    batch_size = (
        min(200, X.shape[0])
        if mlp.batch_size == "auto"
        else min(mlp.batch_size, X.shape[0])
    )
    totals = [np.zeros_like(W) for W in mlp.coefs_]
    for batch in gen_batches(X.shape[0], batch_size):
        _, grads, _ = mlp._loss_and_gradients(X[batch], Y[batch])
        for total, grad, W in zip(totals, grads, mlp.coefs_, strict=True):
            total += np.abs(W * grad) if taylor else np.abs(grad)
    return totals


def _normalised_by_layer(scores, masks):
    """Each layer's scores over their mean on its unpruned weights.

    Gradient-based scores differ in scale from layer to layer (deeper layers
    see larger gradients), so a global ranking of raw values would empty
    whole layers; dividing by the layer mean compares weights by how they
    stand within their layer.
    """
    out = []
    for score, mask in zip(scores, masks, strict=True):
        mean = score[mask].mean() if mask.any() else 1.0
        out.append(score / mean if mean > 0 else score)
    return out


def weight_scores(mlp, criterion, rng, X=None, Y=None, scope="global"):
    """One score array per layer, shaped like ``coefs_``.

    ``"magnitude"``: |w| (compared raw across layers, as in Han et al.);
    ``"random"``: uniform noise; ``"gradient"``: |dL/dw| and ``"taylor"``:
    |w * dL/dw| accumulated over the training data, normalised by their
    layer's mean for ``scope="global"``.
    """
    if criterion == "magnitude":
        scores = [np.abs(W) for W in mlp.coefs_]
    elif criterion == "random":
        scores = [rng.uniform(size=W.shape) for W in mlp.coefs_]
    elif criterion in ("gradient", "taylor"):
        scores = accumulated_gradients(mlp, X, Y, taylor=criterion == "taylor")
        if scope == "global":
            scores = _normalised_by_layer(scores, mlp.masks_)
    else:
        raise ValueError(
            f"criterion={criterion!r} does not score single weights; choose from "
            f"{WEIGHT_CRITERIA}."
        )
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


def parse_n_m(granularity):
    """``"2:4"`` -> (2, 4); None for "weight" and "neuron"."""
    if granularity in ("weight", "neuron"):
        return None
    match = re.fullmatch(r"(\d+):(\d+)", str(granularity))
    if match is None or not 0 < int(match[1]) < int(match[2]):
        raise ValueError(
            f"granularity={granularity!r}: expected 'weight', 'neuron' or an "
            "N:M pattern such as '2:4' with 0 < N < M."
        )
    return int(match[1]), int(match[2])


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


def neuron_scores(mlp, criterion, rng, X=None, Y=None):
    """One score per hidden neuron, per hidden layer.

    ``"magnitude"`` (= ``"l2-in"``) is the L2 norm of the neuron's incoming
    weights: a neuron whose inputs are all small barely varies. ``"l1-in"``,
    ``"l1-out"``, ``"l2-out"``: the L1 or L2 norm of its incoming or outgoing
    weights. ``"activation"``: its mean absolute activation on the training
    data. ``"gradient"`` and ``"taylor"``: the sum of the weight scores of its
    incoming weights. ``"random"``: noise.
    """
    hidden = mlp.coefs_[:-1]
    outgoing = mlp.coefs_[1:]
    if criterion in ("magnitude", "l2-in"):
        return [np.linalg.norm(W, axis=0) for W in hidden]
    if criterion == "l1-in":
        return [np.abs(W).sum(axis=0) for W in hidden]
    if criterion == "l2-out":
        return [np.linalg.norm(W, axis=1) for W in outgoing]
    if criterion == "l1-out":
        return [np.abs(W).sum(axis=1) for W in outgoing]
    if criterion == "activation":
        activations = mlp._forward(X)[1:-1]
        return [np.abs(a).mean(axis=0) for a in activations]
    if criterion in ("gradient", "taylor"):
        scores = accumulated_gradients(mlp, X, Y, taylor=criterion == "taylor")
        return [s.sum(axis=0) for s in scores[:-1]]
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
