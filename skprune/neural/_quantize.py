"""Integer weights for a fitted MLP: per-output-unit scales, sparse or dense.

Each weight matrix ``W`` (inputs x units) is stored as integers ``Q`` and one
scale per unit (column): ``W[:, j] ~ scale[j] * Q[:, j]``, with ``scale[j] =
max |W[:, j]| / (2**(bits - 1) - 1)`` (symmetric, so a pruned zero stays
exactly zero). Biases stay floating-point: there is one per unit, a small
share of the bytes, and rounding them would shift every prediction.

Each matrix is kept in whichever of three forms is smallest: dense integers;
a bit per weight saying which are nonzero, plus the nonzero integers (best
from about 6% density up, where a pruned network usually is); or CSR with
column indices of one or two bytes (best when very sparse). ``predict``
multiplies by the dequantised weights, built once on the first call and
never pickled, through the same inference plan as the float model (dead
neurons removed, very sparse layers as ``scipy.sparse``): numpy has no fast
integer matrix product, and the goal of quantising here is the model's size.
"""

import copy
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier
from sklearn.exceptions import NotFittedError
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted, validate_data

from ._base import ACTIVATIONS
from ._convert import to_skprune_mlp
from ._mlp_base import BaseMLP
from ._pruner import MLPPruner
from ._pruner_cv import MLPPrunerCV
from ._sparse_inference import BLOCK_ROWS, InferencePlan

SUPPORTED_BITS = (8, 16)
_INTEGER_DTYPES = {8: np.int8, 16: np.int16}


def quantize(model, bits=8):
    """A fitted MLP whose weights are stored as integers, to ship it small.

    Every weight matrix is stored as ``bits``-bit integers with one
    floating-point scale per output unit (symmetric: ``W[:, j] ~ scale[j] *
    Q[:, j]``, so pruned weights stay exactly zero), each matrix dense or
    sparse, whichever takes fewer bytes; biases stay floating-point.
    Weight-pruned and neuron-pruned models keep what pruning saved: on the
    digits benchmark, int8 after 90% weight pruning pickles to about a
    quarter of the float pruned model and predicts within a tenth of a point
    of it (``benchmarks/bench_mlp_quantize.py``).

    The quantised model predicts like the given one (``predict``,
    ``predict_proba``, ``predict_log_proba`` for a classifier, ``score``),
    from the dequantised weights. It is not a scikit-learn estimator to
    refit: it has no ``fit``, and loading its pickle needs skprune
    installed. To deploy without skprune, export the float model with
    :func:`to_sklearn` instead (``joblib.dump(..., compress=3)`` then stores
    a pruned model's zeros in almost no space).

    Parameters
    ----------
    model : fitted MLP
        skprune's :class:`MLPClassifier` or :class:`MLPRegressor`,
        scikit-learn's, or a fitted :class:`MLPPruner` /
        :class:`MLPPrunerCV` (its pruned model is quantised), or a fitted
        :class:`~sklearn.pipeline.Pipeline` ending in one of these (a new
        pipeline is returned, its other steps the same fitted objects). It
        is not modified.

    bits : {8, 16}, default=8
        Width of the stored integers.

    Returns
    -------
    quantized : QuantizedMLPClassifier, QuantizedMLPRegressor or Pipeline
        The quantised model. Its ``coefs_`` are the dequantised weights,
        ``quantized_coefs_`` the stored integers (as dense arrays),
        ``scales_`` the per-unit scales and ``intercepts_`` the biases.

    Raises
    ------
    ValueError
        If ``bits`` is not supported.
    sklearn.exceptions.NotFittedError
        If ``model`` is not fitted.
    TypeError
        If ``model`` is not an MLP skprune handles.

    See Also
    --------
    to_sklearn : The float model as scikit-learn's, to deploy without skprune.
    skprune.metrics.model_size : Its bytes, as pickled.

    Examples
    --------
    >>> import pickle
    >>> from sklearn.datasets import load_digits
    >>> from skprune.neural import MLPClassifier, MLPPruner, quantize
    >>> X, y = load_digits(return_X_y=True)
    >>> X = X / 16
    >>> mlp = MLPClassifier(hidden_layer_sizes=(50,), max_iter=50, random_state=0)
    >>> pruner = MLPPruner(mlp, sparsity=0.9, random_state=0).fit(X, y)
    >>> small = quantize(pruner, bits=8)
    >>> type(small).__name__, small.bits, small.quantized_coefs_[0].dtype
    ('QuantizedMLPClassifier', 8, dtype('int8'))
    >>> bool((small.predict(X) == pruner.predict(X)).mean() > 0.99)
    True
    >>> len(pickle.dumps(small)) < 0.4 * len(pickle.dumps(pruner.estimator_))
    True
    """
    if (
        not isinstance(bits, Integral)
        or isinstance(bits, bool)
        or (bits not in SUPPORTED_BITS)
    ):
        raise ValueError(
            f"quantize supports bits={' or bits='.join(map(str, SUPPORTED_BITS))}; "
            f"got {bits!r}."
        )
    if isinstance(model, Pipeline):
        # The fitted steps before it are kept as they are (not copied).
        quantized = quantize(model.steps[-1][1], bits=bits)
        return Pipeline([*model.steps[:-1], (model.steps[-1][0], quantized)])
    mlp = _fitted_mlp(model)
    cls = QuantizedMLPClassifier if is_classifier(mlp) else QuantizedMLPRegressor
    quantized = cls(bits=bits)
    quantized.stored_coefs_, quantized.scales_ = [], []
    for W in mlp.coefs_:
        Q, scale = _quantize_matrix(W, bits)
        quantized.stored_coefs_.append(_StoredMatrix.smallest(Q))
        quantized.scales_.append(scale)
    quantized.intercepts_ = [b.copy() for b in mlp.intercepts_]
    quantized.activation = mlp.activation
    quantized.out_activation_ = mlp.out_activation_
    quantized.n_outputs_ = mlp.n_outputs_
    quantized.n_layers_ = mlp.n_layers_
    for name in ("n_features_in_", "feature_names_in_", "classes_"):
        if hasattr(mlp, name):
            setattr(quantized, name, copy.deepcopy(getattr(mlp, name)))
    if is_classifier(mlp):
        quantized._label_binarizer = copy.deepcopy(mlp._label_binarizer)
    return quantized


def _fitted_mlp(model):
    """The fitted skprune MLP that ``model`` deploys."""
    if isinstance(model, MLPPruner):
        check_is_fitted(model)
        return model.estimator_
    if isinstance(model, MLPPrunerCV):
        check_is_fitted(model)
        return model.best_estimator_
    if isinstance(model, BaseMLP):
        check_is_fitted(model)
        return model
    if isinstance(model, SklearnMLPClassifier | SklearnMLPRegressor):
        return to_skprune_mlp(model)
    raise TypeError(
        "quantize takes a fitted MLPClassifier or MLPRegressor (skprune's or "
        f"scikit-learn's), MLPPruner or MLPPrunerCV; got {type(model).__name__}."
    )


def _quantize_matrix(W, bits):
    """Integers and one scale per column, symmetric around zero."""
    largest = 2 ** (bits - 1) - 1
    scale = np.abs(W).max(axis=0) / largest
    # A column of zeros (pruned unit) quantises to zeros with any scale.
    safe = np.where(scale > 0, scale, 1.0)
    Q = np.clip(np.rint(W / safe), -largest, largest)
    return Q.astype(_INTEGER_DTYPES[bits]), scale


class _StoredMatrix:
    """An integer matrix in whichever form takes the fewest bytes.

    ``"dense"`` keeps the array; ``"bitmask"`` a bit per entry marking the
    nonzeros and the nonzeros in row-major order; ``"csr"`` row pointers,
    column indices in the smallest unsigned type that holds them, and the
    nonzeros.
    """

    def __init__(self, form, shape, arrays):
        self.form, self.shape, self.arrays = form, shape, arrays

    @classmethod
    def smallest(cls, Q):
        nonzero = Q != 0
        values = Q[nonzero]
        csr = sp.csr_matrix(Q)
        index_dtype = np.uint8 if Q.shape[1] <= 2**8 else np.uint16
        if Q.shape[1] > 2**16:
            index_dtype = np.int32
        forms = [
            cls("dense", Q.shape, (Q,)),
            cls("bitmask", Q.shape, (np.packbits(nonzero), values)),
            cls(
                "csr",
                Q.shape,
                (csr.indptr.astype(np.int32), csr.indices.astype(index_dtype), values),
            ),
        ]
        return min(forms, key=lambda stored: stored.nbytes)

    @property
    def nbytes(self):
        return sum(array.nbytes for array in self.arrays)

    def toarray(self):
        if self.form == "dense":
            return self.arrays[0].copy()
        if self.form == "bitmask":
            bits, values = self.arrays
            size = int(np.prod(self.shape))
            mask = np.unpackbits(bits, count=size).astype(bool).reshape(self.shape)
            Q = np.zeros(self.shape, dtype=values.dtype)
            Q[mask] = values
            return Q
        indptr, indices, values = self.arrays
        return sp.csr_matrix((values, indices, indptr), shape=self.shape).toarray()


class _BaseQuantizedMLP(BaseEstimator):
    """What the quantised classifier and regressor share; see :func:`quantize`."""

    def __init__(self, bits=8):
        self.bits = bits

    def fit(self, X, y=None):
        """Refused: a quantised model is made from a fitted one.

        It exists so that the model is an estimator to scikit-learn, e.g. the
        last step of a fitted :class:`~sklearn.pipeline.Pipeline`.
        """
        raise TypeError(
            f"{type(self).__name__} is not trained: fit the float model, then "
            "skprune.neural.quantize(fitted_model)."
        )

    def __sklearn_is_fitted__(self):
        return hasattr(self, "stored_coefs_")

    @property
    def quantized_coefs_(self):
        """The stored integer weights, one dense array per layer."""
        return [stored.toarray() for stored in self.stored_coefs_]

    @property
    def coefs_(self):
        """The dequantised weights, one float array per layer (a copy)."""
        return [W.copy() for W in self._plan().snapshot[0]]

    def _plan(self):
        # Built on first use and never pickled; the stored weights are not
        # meant to change, so unlike the float model's it is not re-checked.
        plan = self.__dict__.get("_inference_plan")
        if plan is None:
            coefs = [
                stored.toarray() * scale
                for stored, scale in zip(self.stored_coefs_, self.scales_, strict=True)
            ]
            plan = InferencePlan(coefs, self.intercepts_, self.activation)
            self._inference_plan = plan
        return plan

    def _predict_output(self, X):
        _check_quantized(self)
        X = validate_data(
            self,
            X,
            accept_sparse=["csr", "csc"],
            dtype=(np.float64, np.float32),
            reset=False,
        )
        return self._plan().forward(X, ACTIVATIONS[self.out_activation_], BLOCK_ROWS)

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("_inference_plan", None)
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def _check_quantized(model):
    if not hasattr(model, "stored_coefs_"):
        raise NotFittedError(
            f"This {type(model).__name__} holds no weights; make one with "
            "skprune.neural.quantize(fitted_model)."
        )


class QuantizedMLPClassifier(ClassifierMixin, _BaseQuantizedMLP):
    """An MLP classifier with integer weights, made by :func:`quantize`.

    Predicts like the classifier it was made from; loading it needs
    skprune. See :func:`quantize` for its attributes.

    Parameters
    ----------
    bits : int, default=8
        Width of the stored integers.
    """

    def predict(self, X):
        """The predicted classes of X, an array of shape (n_samples,) or
        (n_samples, n_classes) for multilabel targets."""
        output = self._predict_output(X)
        if self.n_outputs_ == 1:
            output = output.ravel()
        return self._label_binarizer.inverse_transform(output)

    def predict_proba(self, X):
        """The probability of each class, in the order of ``classes_``."""
        y_prob = self._predict_output(X)
        if self.n_outputs_ == 1:
            y_prob = y_prob.ravel()
        if y_prob.ndim == 1:
            return np.vstack([1 - y_prob, y_prob]).T
        return y_prob

    def predict_log_proba(self, X):
        """The log of :meth:`predict_proba`."""
        y_prob = self.predict_proba(X)
        return np.log(y_prob, out=y_prob)


class QuantizedMLPRegressor(RegressorMixin, _BaseQuantizedMLP):
    """An MLP regressor with integer weights, made by :func:`quantize`.

    Predicts like the regressor it was made from; loading it needs skprune.
    See :func:`quantize` for its attributes.

    Parameters
    ----------
    bits : int, default=8
        Width of the stored integers.
    """

    def predict(self, X):
        """The predicted values of X, 1-D for a single output."""
        output = self._predict_output(X)
        return output.ravel() if output.shape[1] == 1 else output
