"""Granularities: how scores become a mask, and how a mask shrinks the network.

A granularity has one interface:

- ``units(model)``: the sizes it counts sparsity against, per layer -- the
  weights of every matrix, or the neurons of every hidden layer -- taken
  from the network before pruning and passed back as ``reference``;
- ``prune(model, criterion, target, context)``: score with ``criterion``,
  prune ``model`` in place towards ``target`` (a fraction of
  ``context.reference``, one value or one per layer) and return its weight
  masks;
- ``reached(model, reference)``: the sparsity reached, overall and per layer.

Its class attributes tell :func:`._strategies.resolve` what it can be
combined with: ``level`` (what the criterion must score), ``reshapes`` (the
matrices change shape, so it prunes only between trainings) and
``fixed_pattern`` (the pattern is reached in one step, with no sparsity to
ramp up).
"""

import re
from dataclasses import dataclass

import numpy as np

from ._layers import remove_layer
from ._masks import (
    apply_weight_masks,
    n_m_masks,
    neurons_to_keep,
    remove_neurons,
    weight_masks,
)


@dataclass(frozen=True)
class PruningContext:
    """What a pruning step reads besides the model.

    ``data`` is the training data (:class:`._criteria.PruningData`),
    ``reference`` the granularity's ``units`` of the network before pruning.
    """

    data: object
    rng: np.random.RandomState
    scope: str
    reference: list


def _sparsity(pruned, sizes):
    return {
        "overall": sum(pruned) / max(sum(sizes), 1),
        "layers": [p / s for p, s in zip(pruned, sizes, strict=True)],
    }


def _normalised_by_layer(scores, masks):
    """Each layer's scores over their mean on its unpruned weights."""
    out = []
    for score, mask in zip(scores, masks, strict=True):
        mean = score[mask].mean() if mask.any() else 1.0
        out.append(score / mean if mean > 0 else score)
    return out


class Weight:
    """Single weights, zeroed and kept at zero by ``masks_``."""

    name = "weight"
    level = "weight"
    reshapes = False
    fixed_pattern = False

    def units(self, model):
        return [W.size for W in model.coefs_]

    def layer_names(self, hidden_sizes):
        """One name per target of a per-layer ``sparsity``, for messages."""
        into = [f"hidden layer {i} ({n} neurons)" for i, n in enumerate(hidden_sizes)]
        return [
            f"coefs_[{i}] (into the {name})"
            for i, name in enumerate([*into, "output layer"])
        ]

    def ranked_scores(self, model, criterion, context):
        """The criterion's weight scores as ranked, pruned weights at -inf."""
        scores = criterion.weights(model, context.data, context.rng)
        if context.scope == "global" and criterion.layer_relative:
            scores = _normalised_by_layer(scores, model.masks_)
        return [
            np.where(mask, score, -np.inf)
            for score, mask in zip(scores, model.masks_, strict=True)
        ]

    def prune(self, model, criterion, target, context):
        scores = self.ranked_scores(model, criterion, context)
        masks = weight_masks(scores, target, context.scope)
        apply_weight_masks(model, masks)
        return masks

    def reached(self, model, reference):
        return _sparsity([int((~m).sum()) for m in model.masks_], reference)


class NM(Weight):
    """At most N of every M consecutive input weights (``"2:4"``)."""

    fixed_pattern = True

    def __init__(self, n, m):
        self.n, self.m = n, m
        self.name = f"{n}:{m}"

    def prune(self, model, criterion, target, context):
        masks = n_m_masks(self.ranked_scores(model, criterion, context), self.n, self.m)
        apply_weight_masks(model, masks)
        return masks


class Neuron:
    """Hidden neurons, cut out of the matrices: the network becomes smaller."""

    name = "neuron"
    level = "neuron"
    reshapes = True
    fixed_pattern = False

    def units(self, model):
        return [W.shape[1] for W in model.coefs_[:-1]]

    def layer_names(self, hidden_sizes):
        return [f"hidden layer {i} ({n} neurons)" for i, n in enumerate(hidden_sizes)]

    def prune(self, model, criterion, target, context):
        scores = criterion.neurons(model, context.data, context.rng)
        reference = context.reference
        current = self.units(model)
        if context.scope == "layer":
            targets = np.broadcast_to(target, len(reference))
            n_remove = [
                int(round(t * n0)) - (n0 - n)
                for t, n0, n in zip(targets, reference, current, strict=True)
            ]
        else:
            n_remove = int(round(target * sum(reference))) - (
                sum(reference) - sum(current)
            )
        remove_neurons(model, neurons_to_keep(scores, n_remove, context.scope))
        return model.masks_

    def reached(self, model, reference):
        pruned = [n0 - n for n0, n in zip(reference, self.units(model), strict=True)]
        return _sparsity(pruned, reference)


class Layer:
    """Whole hidden layers, each bridged by a least-squares linear map.

    ``target`` is the fraction of the hidden layers to remove; at least one
    stays. Layers go one at a time, the criterion scoring those left after
    every removal.
    """

    name = "layer"
    level = "layer"
    reshapes = True
    fixed_pattern = False

    def units(self, model):
        return [1] * (len(model.coefs_) - 1)

    def prune(self, model, criterion, target, context):
        n0 = len(context.reference)
        n_remove = layers_to_remove(target, n0) - (n0 - len(self.units(model)))
        for _ in range(n_remove):
            scores = criterion.layers(model, context.data, context.rng)
            remove_layer(
                model,
                int(np.argmin(scores)),
                context.data.X,
                context.data.sample_weight,
            )
        return model.masks_

    def reached(self, model, reference):
        removed = len(reference) - len(self.units(model))
        return {"overall": removed / len(reference), "layers": None}


def layers_to_remove(target, n_hidden):
    """Hidden layers a target removes: the nearest count (halves up), one kept."""
    return min(int(np.floor(target * n_hidden + 0.5)), n_hidden - 1)


def granularity_from(name):
    """The granularity object for ``MLPPruner(granularity=name)``."""
    simple = {"weight": Weight, "neuron": Neuron, "layer": Layer}
    if name in simple:
        return simple[name]()
    match = re.fullmatch(r"(\d+):(\d+)", str(name))
    if match is None or not 0 < int(match[1]) < int(match[2]):
        raise ValueError(
            f"granularity={name!r}: expected 'weight', 'neuron', 'layer' or an "
            "N:M pattern such as '2:4' with 0 < N < M."
        )
    return NM(int(match[1]), int(match[2]))
