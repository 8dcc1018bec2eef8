"""Adam and SGD that keep pruned weights exactly zero.

Masked gradients alone are not enough: momentum and Adam's moments would
still move a pruned weight. So the update, and the optimiser state behind it,
is multiplied by the mask too.
"""

import numpy as np


class _Optimizer:
    def __init__(self, params, masks, learning_rate_init):
        self.params = params
        # One mask per parameter; None for biases, which are never pruned.
        self.masks = masks
        self.learning_rate_init = learning_rate_init

    def set_masks(self, masks):
        """New masks for the weights (None for biases): zero weights and state."""
        self.masks = list(masks)
        for param, mask in zip(self.params, self.masks, strict=True):
            if mask is not None:
                param *= mask
        for state in self._state():
            for array, mask in zip(state, self.masks, strict=True):
                if mask is not None:
                    array *= mask

    def update(self, grads):
        grads = [
            g if m is None else g * m for g, m in zip(grads, self.masks, strict=True)
        ]
        for param, mask, step in zip(
            self.params, self.masks, self._steps(grads), strict=True
        ):
            if mask is not None:
                step *= mask
            param += step
        for state in self._state():
            for array, mask in zip(state, self.masks, strict=True):
                if mask is not None:
                    array *= mask


class SGD(_Optimizer):
    """Stochastic gradient descent with (Nesterov) momentum, as scikit-learn's."""

    def __init__(self, params, masks, learning_rate_init, momentum, nesterov):
        super().__init__(params, masks, learning_rate_init)
        self.momentum = momentum
        self.nesterov = nesterov
        self.velocities = [np.zeros_like(p) for p in params]

    def _state(self):
        return [self.velocities]

    def _steps(self, grads):
        lr = self.learning_rate_init
        self.velocities = [
            self.momentum * v - lr * g
            for v, g in zip(self.velocities, grads, strict=True)
        ]
        if self.nesterov:
            return [
                self.momentum * v - lr * g
                for v, g in zip(self.velocities, grads, strict=True)
            ]
        return [v.copy() for v in self.velocities]


class Adam(_Optimizer):
    """Adam with scikit-learn's bias-corrected learning rate."""

    def __init__(self, params, masks, learning_rate_init, beta_1, beta_2, epsilon):
        super().__init__(params, masks, learning_rate_init)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.t = 0
        self.ms = [np.zeros_like(p) for p in params]
        self.vs = [np.zeros_like(p) for p in params]

    def _state(self):
        return [self.ms, self.vs]

    def _steps(self, grads):
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        for m, v, g in zip(self.ms, self.vs, grads, strict=True):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
        lr = self.learning_rate_init * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        return [
            -lr * m / (np.sqrt(v) + self.epsilon)
            for m, v in zip(self.ms, self.vs, strict=True)
        ]
