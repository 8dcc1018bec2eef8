"""Predict through scipy.sparse for the layers sparse enough to gain from it.

Measured on this project's 2-core machine (batch of 5,000 samples; layers
64x300 and 300x100 as in the digits benchmark), ``X @ W_csr`` beats the dense
BLAS product from about 5-10% density down, and loses clearly above 15%. The
break-even is set at the conservative end, 5%, so that choosing the sparse
path never makes ``predict`` slower than dense; ``benchmarks/bench_mlp.py``
re-measures it.
"""

import numpy as np
import scipy.sparse as sp

SPARSE_BREAK_EVEN = 0.05


class SparseLayers:
    """CSR copies of the layers sparse enough to be faster that way.

    Built when the weights change (end of training, pruning), so that
    ``predict`` does not modify the estimator. A CSR copy is used only while
    the layer's array is the very one it was made from.
    """

    def __init__(self, coefs, break_even=SPARSE_BREAK_EVEN):
        self.sources = list(coefs)
        self.sparse = [
            sp.csr_matrix(W) if np.count_nonzero(W) < break_even * W.size else None
            for W in coefs
        ]

    def is_sparse(self, layer):
        return self.sparse[layer] is not None

    def matmul(self, layer, X, W):
        W_sparse = self.sparse[layer] if layer < len(self.sparse) else None
        if W_sparse is None or sp.issparse(X) or self.sources[layer] is not W:
            out = X @ W
        else:
            out = X @ W_sparse
        return np.asarray(out.toarray() if sp.issparse(out) else out)
