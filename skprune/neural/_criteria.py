"""Criteria: what scores a weight, a hidden neuron or a hidden layer.

A criterion is a small object with up to three methods, each returning
"higher is more important" scores:

- ``weights(model, data, rng)``: one array per ``coefs_`` entry, shaped
  like it;
- ``neurons(model, data, rng)``: one vector per hidden layer;
- ``layers(model, data, rng)``: one score per hidden layer.

``levels`` names the methods a criterion has; :func:`._strategies.resolve`
reads it before a fit starts, so an impossible combination never reaches
training. ``data`` is
the training data as :class:`PruningData` (inputs and encoded targets).
"""

from dataclasses import dataclass

import numpy as np
from sklearn.utils import gen_batches

from ._layers import bridge_residuals


@dataclass(frozen=True)
class PruningData:
    """The data a criterion may read: inputs, encoded targets, weights."""

    X: object
    Y: np.ndarray
    sample_weight: np.ndarray | None = None

    def rows(self, index):
        """The same data restricted to the rows ``index``."""
        weight = self.sample_weight
        return PruningData(
            self.X[index], self.Y[index], None if weight is None else weight[index]
        )


class Criterion:
    """Base class: what every criterion declares."""

    #: The public name, as in ``MLPPruner(criterion=...)``.
    name = None
    #: What it scores, among "weight", "neuron" and "layer".
    levels = ()
    #: Whether scores differ in scale from layer to layer, so that a global
    #: ranking compares them divided by their layer's mean.
    layer_relative = False

    def scores(self, level):
        """Whether this criterion scores ``level``."""
        return level in self.levels


class Magnitude(Criterion):
    """|w|; for a neuron the L2 norm of its incoming weights (``"l2-in"``).

    For a layer, how badly a linear bridge replaces it: the relative
    residual of the least-squares map from its input to the next layer's
    pre-activation (:func:`._layers.bridge_residuals`), so that the layer
    whose removal changes the network least scores lowest.
    """

    name = "magnitude"
    levels = ("weight", "neuron", "layer")

    def weights(self, model, data, rng):
        return [np.abs(W) for W in model.coefs_]

    def neurons(self, model, data, rng):
        return [np.linalg.norm(W, axis=0) for W in model.coefs_[:-1]]

    def layers(self, model, data, rng):
        return bridge_residuals(model, data.X, data.sample_weight)


class Norm(Criterion):
    """A neuron's L1 or L2 norm of its incoming or outgoing weights."""

    def __init__(self, order, side):
        self.order, self.side = order, side
        self.name = f"l{order}-{side}"
        self.levels = ("neuron",)

    def neurons(self, model, data, rng):
        if self.side == "in":
            return [
                np.linalg.norm(W, ord=self.order, axis=0) for W in model.coefs_[:-1]
            ]
        return [np.linalg.norm(W, ord=self.order, axis=1) for W in model.coefs_[1:]]


class Random(Criterion):
    """Uniform noise: the baseline every pruning paper compares with."""

    name = "random"
    levels = ("weight", "neuron", "layer")

    def weights(self, model, data, rng):
        return [rng.uniform(size=W.shape) for W in model.coefs_]

    def neurons(self, model, data, rng):
        return [rng.uniform(size=W.shape[1]) for W in model.coefs_[:-1]]

    def layers(self, model, data, rng):
        return rng.uniform(size=len(model.coefs_) - 1)


class Gradient(Criterion):
    """|dL/dw| (``taylor=False``) or |w dL/dw| (Taylor), over one data pass.

    Absolute values are summed per minibatch: at a trained minimum the
    full-batch gradient is near zero for every weight, but how much a
    weight's gradient moves from batch to batch still tells how much the
    loss leans on it. A neuron scores the sum over its incoming weights.
    """

    # Deeper layers see larger gradients.
    layer_relative = True
    levels = ("weight", "neuron")

    def __init__(self, taylor):
        self.taylor = taylor
        self.name = "taylor" if taylor else "gradient"

    def weights(self, model, data, rng):
        n_samples = data.X.shape[0]
        # Clipped silently: at-init scores a single batch.
        size = min(200 if model.batch_size == "auto" else model.batch_size, n_samples)
        totals = [np.zeros_like(W) for W in model.coefs_]
        for batch in gen_batches(data.X.shape[0], size):
            rows = data.rows(batch)
            _, grads, _ = model._loss_and_gradients(rows.X, rows.Y, rows.sample_weight)
            for total, grad, W in zip(totals, grads, model.coefs_, strict=True):
                total += np.abs(W * grad) if self.taylor else np.abs(grad)
        return totals

    def neurons(self, model, data, rng):
        return [s.sum(axis=0) for s in self.weights(model, data, rng)[:-1]]


class Activation(Criterion):
    """How much a hidden neuron's output varies, as the next layer sees it.

    The standard deviation of its activation on the training data times the
    L2 norm of its outgoing weights. Not the mean absolute activation: that
    ranks highest the neurons that are always on at about the same value,
    whose output a bias could carry, and lowest those that fire rarely and
    tell classes apart; nor does it see how much the next layer uses the
    neuron. On digits (300, 100), removing half the neurons by mean
    activation lost 51 points before fine-tuning against random removal's
    21, and 1.2 points after it against random's 0.1; this criterion lost
    11 and 0.0 (``benchmarks/bench_mlp_neurons.py``).
    """

    name = "activation"
    levels = ("neuron",)

    def neurons(self, model, data, rng):
        activations = model._forward(data.X)[1:-1]
        return [
            a.std(axis=0) * np.linalg.norm(W, axis=1)
            for a, W in zip(activations, model.coefs_[1:], strict=True)
        ]


CRITERIA = {
    c.name: c
    for c in (
        Magnitude(),
        Random(),
        Gradient(taylor=False),
        Gradient(taylor=True),
        Activation(),
        Norm(1, "in"),
        Norm(2, "in"),
        Norm(1, "out"),
        Norm(2, "out"),
    )
}


def criterion_names(level):
    """The names of the criteria that score ``level``, for error messages."""
    return tuple(name for name, c in CRITERIA.items() if c.scores(level))
