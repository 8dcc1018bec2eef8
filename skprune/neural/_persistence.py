"""Pickling a pruned MLP: sparse layers as CSR, masks as bits.

A pruned model then stores only what it kept. The inference plan is never
pickled: the next ``predict`` builds it again.
"""

import numpy as np
import scipy.sparse as sp


def compact_state(state):
    """The state to pickle, from a copy of the estimator's ``__dict__``."""
    state.pop("_inference_plan", None)
    if "coefs_" in state:
        state["coefs_"] = [_compact(W) for W in state["coefs_"]]
    if "masks_" in state:
        state["masks_"] = [(np.packbits(m), m.shape) for m in state["masks_"]]
    return state


def expand_state(state):
    """The estimator's ``__dict__`` back from :func:`compact_state`'s output."""
    if "coefs_" in state:
        state["coefs_"] = [
            W.toarray() if sp.issparse(W) else W for W in state["coefs_"]
        ]
    if "masks_" in state:
        state["masks_"] = [
            np.unpackbits(bits, count=int(np.prod(shape))).astype(bool).reshape(shape)
            for bits, shape in state["masks_"]
        ]
    return state


def _compact(W):
    # CSR stores a value and a 4-byte column index per nonzero.
    csr_bytes = np.count_nonzero(W) * (W.itemsize + 4)
    return sp.csr_matrix(W) if csr_bytes < W.nbytes else W
