"""Adam and SGD that keep pruned weights exactly zero.

Masking the gradient is enough once the optimiser state is zero at the pruned
weights: momentum and Adam's moments then stay zero there, and so does every
step. So a new mask zeroes the weights and the state it prunes, and each
update masks only the gradient. Unpruned layers (mask None) pay nothing.
"""

import numpy as np


class _Optimizer:
    def __init__(self, params, masks, learning_rate_init):
        self.params = params
        self.learning_rate_init = learning_rate_init
        self._init_state()
        self.set_masks(masks)

    def set_masks(self, masks):
        """New boolean masks for the weights (None for biases and unpruned
        weights): zero the pruned weights and their optimiser state."""
        # Copies: a caller changing its masks later must call set_masks again.
        self.masks = [None if mask is None else mask.copy() for mask in masks]
        for arrays in [self.params, *self._state()]:
            for array, mask in zip(arrays, self.masks, strict=True):
                if mask is not None:
                    array *= mask

    def update(self, grads):
        """One step; ``grads`` (fresh arrays) are masked in place."""
        for grad, mask in zip(grads, self.masks, strict=True):
            if mask is not None:
                grad *= mask
        for param, step in zip(self.params, self._steps(grads), strict=True):
            param += step


class SGD(_Optimizer):
    """Stochastic gradient descent with (Nesterov) momentum, as scikit-learn's."""

    def __init__(self, params, masks, learning_rate_init, momentum, nesterov):
        self.momentum = momentum
        self.nesterov = nesterov
        super().__init__(params, masks, learning_rate_init)

    def _init_state(self):
        self.velocities = [np.zeros_like(p) for p in self.params]

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
        return self.velocities


class Adam(_Optimizer):
    """Adam with scikit-learn's bias-corrected learning rate."""

    def __init__(self, params, masks, learning_rate_init, beta_1, beta_2, epsilon):
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.t = 0
        super().__init__(params, masks, learning_rate_init)

    def _init_state(self):
        self.ms = [np.zeros_like(p) for p in self.params]
        self.vs = [np.zeros_like(p) for p in self.params]

    def _state(self):
        return [self.ms, self.vs]

    def _steps(self, grads):
        """The steps, computed in the gradients' arrays (the operations and
        their order are scikit-learn's, so the numbers are its numbers)."""
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        lr = self.learning_rate_init * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for m, v, g in zip(self.ms, self.vs, grads, strict=True):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            np.multiply(g, g, out=g)
            g *= 1 - b2
            v += g
            denominator = np.sqrt(v)
            denominator += self.epsilon
            np.multiply(m, -lr, out=g)
            g /= denominator
        return grads
