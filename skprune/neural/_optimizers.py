"""SGD and Adam as scikit-learn's, keeping pruned weights exactly zero.

Masking the gradient is enough once the optimiser state is zero at the pruned
weights: momentum and Adam's moments then stay zero there, and so does every
step. So a new mask zeroes the state it prunes (the caller zeroes the
weights), and each update masks only the gradient. Unpruned layers (mask
None) pay nothing.

The learning-rate schedules, ``iteration_ends`` and ``trigger_stopping`` are
scikit-learn's; the arithmetic is done in place, in scikit-learn's order, so
the steps are its steps to the last bit. The state is created by the first
update in the gradients' dtype, as scikit-learn's becomes after one update
(float64 when float32 weights meet float64 targets).
"""

import numpy as np


class _Optimizer:
    def __init__(self, learning_rate_init, masks):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = float(learning_rate_init)
        self.state = None
        self.set_masks(masks)

    def set_masks(self, masks):
        """New boolean masks, one per parameter (None for biases and
        unpruned weights): zero the optimiser state they prune."""
        # Copies: a caller changing its masks later must call set_masks again.
        self.masks = [None if mask is None else mask.copy() for mask in masks]
        for arrays in self.state or []:
            for array, mask in zip(arrays, self.masks, strict=True):
                if mask is not None:
                    array *= mask

    def update(self, params, grads):
        """One step on ``params`` (in place); ``grads`` are fresh arrays,
        overwritten."""
        if self.state is None:
            self.state = [[np.zeros_like(g) for g in grads] for _ in self._STATE]
        for grad, mask in zip(grads, self.masks, strict=True):
            if mask is not None:
                grad *= mask
        for param, step in zip(params, self._steps(grads), strict=True):
            param += step

    def iteration_ends(self, time_step):
        """Called at the end of every epoch, ``time_step`` samples seen."""

    def trigger_stopping(self, msg, verbose):
        """Whether training stops after ``n_iter_no_change`` idle epochs."""
        if verbose:
            print(msg + " Stopping.")
        return True


class SGD(_Optimizer):
    """Stochastic gradient descent with (Nesterov) momentum and scikit-learn's
    ``"constant"``, ``"invscaling"`` and ``"adaptive"`` learning rates."""

    _STATE = ("velocities",)  # one array per parameter for each

    def __init__(
        self, learning_rate_init, masks, lr_schedule, momentum, nesterov, power_t
    ):
        self.lr_schedule = lr_schedule
        self.momentum = momentum
        self.nesterov = nesterov
        self.power_t = power_t
        super().__init__(learning_rate_init, masks)

    def iteration_ends(self, time_step):
        if self.lr_schedule == "invscaling":
            self.learning_rate = (
                float(self.learning_rate_init) / (time_step + 1) ** self.power_t
            )

    def trigger_stopping(self, msg, verbose):
        if self.lr_schedule != "adaptive":
            return super().trigger_stopping(msg, verbose)
        if self.learning_rate <= 1e-6:
            if verbose:
                print(msg + " Learning rate too small. Stopping.")
            return True
        self.learning_rate /= 5.0
        if verbose:
            print(f"{msg} Setting learning rate to {self.learning_rate:f}")
        return False

    def _steps(self, grads):
        (velocities,) = self.state
        for velocity, grad in zip(velocities, grads, strict=True):
            velocity *= self.momentum
            grad *= self.learning_rate
            velocity -= grad
            if self.nesterov:
                np.subtract(self.momentum * velocity, grad, out=grad)
        return grads if self.nesterov else velocities


class Adam(_Optimizer):
    """Adam with scikit-learn's bias-corrected learning rate."""

    _STATE = ("ms", "vs")

    def __init__(self, learning_rate_init, masks, beta_1, beta_2, epsilon):
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.t = 0
        super().__init__(learning_rate_init, masks)

    def _steps(self, grads):
        """The steps, computed in the gradients' arrays where dtypes allow."""
        ms, vs = self.state
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        # A numpy float64, as scikit-learn's: float32 steps are computed in
        # float64 (and a step needs its own array then).
        lr = self.learning_rate = (
            self.learning_rate_init * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        )
        steps = []
        for m, v, g in zip(ms, vs, grads, strict=True):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            np.multiply(g, g, out=g)
            g *= 1 - b2
            v += g
            denominator = np.sqrt(v)
            denominator += self.epsilon
            step = np.multiply(m, -lr, out=g if g.dtype == lr.dtype else None)
            step /= denominator
            steps.append(step)
        return steps
