"""The predict-time form of an MLP: dead neurons gone, sparse layers CSR.

Weight pruning leaves neurons that can no longer matter: one whose outgoing
weights are all pruned contributes nothing, and one whose incoming weights
are all pruned outputs the constant ``activation(bias)``, which the next
layer's bias can absorb. Removing them shrinks every matrix product and every
element-wise activation, which is where a sparse MLP's time goes once its
products are cheap. Predictions equal the full network's up to the rounding
of the folded biases.

With ReLU, each hidden layer costs one element-wise pass instead of two:
``relu(z + c) = max(z, -c) + c``, and the ``+ c`` is carried into the next
layer's bias (``c @ W``). In a network with half its neurons removed, that
element-wise work is a quarter of ``predict``'s time.

Then each remaining layer goes through ``scipy.sparse`` if its density is
below the break-even. Measured on this project's 2-core machine (batch of
5,000 samples; layers 64x300 and 300x100 as in the digits benchmark),
``X @ W_csr`` beats the dense BLAS product from about 5-10% density down and
loses clearly above 15%; the break-even is set at the conservative end, 5%, so
that the sparse path never makes ``predict`` slower than dense.
``benchmarks/bench_mlp.py`` re-measures it.

``predict`` runs on the calling thread and changes no process-wide state:
its products go through BLAS with whatever threads BLAS is given (as
numpy's and scikit-learn's MLP do; ``threadpoolctl.threadpool_limits`` sets
them), and it takes no lock. Concurrent predicts from several threads
therefore run side by side (BLAS and numpy's element-wise loops release the
GIL), except that OpenBLAS runs one multithreaded product at a time, behind
a lock of its own; an application that predicts from many threads does best
with BLAS on one thread, its own process-wide choice.

An earlier version split large batches over threads of its own with BLAS
limited to one thread process-wide, under a module lock: it serialised
other threads' predicts and changed BLAS for the whole process, but on a
busy machine it was faster for a single caller, since OpenBLAS's own
threads there are slower than one (``benchmarks/bench_mlp_inference.py``
compares the two).

The plan is a cache of values derived from ``coefs_`` and ``intercepts_``,
which users may edit in place as scikit-learn allows. So it keeps a copy of
the weights it was built from and every ``predict`` compares them with the
live ones, rebuilding it when they differ: 20-70 µs for the 50,000 weights of
the digits benchmark (the second figure once a predict has pushed them out of
cache), against 1.2 ms to predict 512 rows, where the plan saves about as
much. Batches below ``PLAN_MIN_ROWS`` rows skip the plan and its check: a
plain forward pass on the live weights, as scikit-learn's.
"""

import numpy as np
import scipy.sparse as sp

from ._base import ACTIVATIONS, forward

SPARSE_BREAK_EVEN = 0.05
PLAN_MIN_ROWS = 512
BLOCK_ROWS = 2048


def predict_output(mlp, X):
    """The output layer's activations of a fitted MLP on a validated X."""
    if X.shape[0] < PLAN_MIN_ROWS:
        return forward(
            X, mlp.coefs_, mlp.intercepts_, mlp.activation, mlp.out_activation_
        )[-1]
    plan = mlp.__dict__.get("_inference_plan")
    if plan is None or not plan.is_current(mlp.coefs_, mlp.intercepts_):
        plan = InferencePlan(mlp.coefs_, mlp.intercepts_, mlp.activation)
        mlp._inference_plan = plan
    return plan.forward(X, ACTIVATIONS[mlp.out_activation_], BLOCK_ROWS)


class InferencePlan:
    """Compacted weights of a fitted MLP, rebuilt when its weights change.

    Parameters
    ----------
    coefs, intercepts : lists of ndarray
        The MLP's weights; they are copied, never modified.
    activation : str
        The hidden activation.
    break_even : float, default=SPARSE_BREAK_EVEN
        Layers below this density are multiplied as CSR.
    compact : bool, default=True
        Remove dead neurons.
    """

    def __init__(
        self, coefs, intercepts, activation, break_even=SPARSE_BREAK_EVEN, compact=True
    ):
        # The snapshot doubles as the plan's weights where nothing is removed.
        self.snapshot = [W.copy() for W in coefs], [b.copy() for b in intercepts]
        self.activation = activation
        self.dtype = np.result_type(*coefs, *intercepts)
        coefs = list(self.snapshot[0])
        intercepts = [b.copy() for b in intercepts]
        if compact:
            _remove_dead_neurons(coefs, intercepts, ACTIVATIONS[activation])
        self.coefs, self.intercepts = coefs, intercepts
        self.relu_floors, self.output_bias = (
            _fold_relu_biases(coefs, intercepts)
            if activation == "relu"
            else (None, intercepts[-1])
        )
        self.sparse = [
            sp.csr_matrix(W) if np.count_nonzero(W) < break_even * W.size else None
            for W in coefs
        ]

    def is_current(self, coefs, intercepts):
        """Whether the weights still equal those the plan was built from."""
        return all(
            len(live) == len(kept)
            and all(
                a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)
                for a, b in zip(live, kept, strict=True)
            )
            for live, kept in zip((coefs, intercepts), self.snapshot, strict=True)
        )

    def is_sparse(self, layer):
        return self.sparse[layer] is not None

    def forward(self, X, output, block_rows=BLOCK_ROWS):
        """The network's output on X; ``output`` is the output activation.

        Rows go through in blocks of ``block_rows``, small enough for a
        block's activations to stay in cache between a product and the
        element-wise work after it. Every dense layer writes into one buffer
        reused by all blocks, and the last one straight into the result
        (measured a few percent faster than fresh arrays per block and a
        final stack). Buffers are local to the call: concurrent calls share
        nothing but the plan's read-only weights.
        """
        n_rows = X.shape[0]
        block = max(1, min(n_rows, block_rows))
        dtype = np.result_type(X.dtype, self.dtype)
        result = np.empty((n_rows, self.coefs[-1].shape[1]), dtype=dtype)
        buffers = [np.empty((block, W.shape[1]), dtype) for W in self.coefs[:-1]]
        for begin in range(0, n_rows, block):
            end = min(begin + block, n_rows)
            self._forward_block(
                X[begin:end],
                output,
                [buffer[: end - begin] for buffer in buffers] + [result[begin:end]],
            )
        return result

    def _forward_block(self, X, output, outs):
        """One block through every layer; dense products write into ``outs``."""
        hidden = ACTIVATIONS[self.activation]
        last = len(self.coefs) - 1
        out = X
        for i, W in enumerate(self.coefs):
            use_sparse = self.sparse[i] is not None and not sp.issparse(out)
            if use_sparse or sp.issparse(out):
                # scipy allocates the product (often column-major): use it
                # as it is rather than copy it into the buffer.
                z = np.asarray(out @ (self.sparse[i] if use_sparse else W))
            else:
                z = np.matmul(out, W, out=outs[i])
            if i == last:
                z += self.output_bias
                out = output(z)
            elif self.relu_floors is not None:
                out = np.maximum(z, self.relu_floors[i], out=z)
            else:
                z += self.intercepts[i]
                out = hidden(z)
        if out is not outs[-1]:  # a product scipy allocated, or an output
            outs[-1][...] = out  # activation that is not in place


def _fold_relu_biases(coefs, intercepts):
    """Floors ``-c`` of every hidden layer and the output's bias, for ReLU.

    ``h = relu(z + c) = u + c`` with ``u = max(z, -c)``, so the next layer's
    pre-activation ``h @ W + b`` is ``u @ W + (c @ W + b)``: a forward pass
    through ``u`` needs no bias addition before the output layer.
    """
    floors = []
    carried = intercepts[0]
    for W, b in zip(coefs[1:], intercepts[1:], strict=True):
        floors.append(-carried)
        carried = b + carried @ W
    return floors, carried


def _remove_dead_neurons(coefs, intercepts, activate):
    """Drop hidden neurons that cannot affect the output, until none is left."""
    changed = True
    while changed:
        changed = False
        for layer in range(len(coefs) - 1):
            W_in, W_out = coefs[layer], coefs[layer + 1]
            no_input = ~np.any(W_in != 0, axis=0)
            no_output = ~np.any(W_out != 0, axis=1)
            dead = no_input | no_output
            if not dead.any():
                continue
            constant = no_input & ~no_output
            if constant.any():
                # Such a neuron always outputs activation(bias): a constant
                # the next layer adds through its bias instead.
                value = activate(intercepts[layer][constant].copy())
                intercepts[layer + 1] += value @ W_out[constant]
            keep = ~dead
            coefs[layer] = W_in[:, keep]
            intercepts[layer] = intercepts[layer][keep]
            coefs[layer + 1] = W_out[keep]
            changed = True
