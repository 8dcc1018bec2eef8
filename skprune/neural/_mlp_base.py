"""What skprune's two MLPs share: parameters, training entry points, dispatch.

The work itself lives in one module per responsibility: the forward pass,
backpropagation and losses in :mod:`._base`, the training loops in
:mod:`._training`, early stopping in :mod:`._early_stopping`, the optimisers
in :mod:`._optimizers`, pickling in :mod:`._persistence` and inference in
:mod:`._sparse_inference`. :class:`BaseMLP` wires them to scikit-learn's
estimator API.
"""

from itertools import chain, pairwise
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data

from ..utils._sklearn_compat import (
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    _check_sample_weight,
    _fit_context,
)
from ._base import backprop, forward
from ._early_stopping import reset_progress
from ._optimizers import SGD, Adam
from ._persistence import compact_state, expand_state
from ._sparse_inference import predict_output
from ._training import fit_lbfgs, fit_stochastic


class BaseMLP(BaseEstimator):
    """What :class:`MLPClassifier` and :class:`MLPRegressor` share.

    The training is scikit-learn's ``BaseMultilayerPerceptron``'s, operation
    for operation, with the weights of ``masks_`` kept at zero; predictions go
    through an inference plan (:mod:`._sparse_inference`).
    """

    _parameter_constraints = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions({"identity", "logistic", "tanh", "relu"})],
        "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        hidden_layer_sizes,
        activation,
        solver,
        alpha,
        batch_size,
        learning_rate,
        learning_rate_init,
        power_t,
        max_iter,
        loss,
        shuffle,
        random_state,
        tol,
        verbose,
        warm_start,
        momentum,
        nesterovs_momentum,
        early_stopping,
        validation_fraction,
        beta_1,
        beta_2,
        epsilon,
        n_iter_no_change,
        max_fun,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.loss = loss
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun

    # -- forward and backward ------------------------------------------------

    def _forward(self, X):
        """Activations of every layer, the input's included."""
        return forward(
            X, self.coefs_, self.intercepts_, self.activation, self.out_activation_
        )

    def _loss_and_gradients(self, X, y, sample_weight=None):
        """Penalised loss and its gradients, as scikit-learn's ``_backprop``."""
        return backprop(
            X,
            y,
            self.coefs_,
            self.intercepts_,
            self.alpha,
            self.activation,
            self.out_activation_,
            sample_weight,
        )

    # -- training ------------------------------------------------------------

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        sizes = list(sizes) if hasattr(sizes, "__iter__") else [sizes]
        # "array-like" lets (True,) or ("8",) through, to fail inside numpy
        # (as in scikit-learn): refuse them as the constraints would.
        if not all(isinstance(s, Integral) and not isinstance(s, bool) for s in sizes):
            raise InvalidParameterError(
                "The 'hidden_layer_sizes' parameter of "
                f"{type(self).__name__} must be an int or an array-like of "
                f"ints. Got {self.hidden_layer_sizes!r} instead."
            )
        if np.any(np.array(sizes) <= 0):
            raise ValueError(f"hidden_layer_sizes must be > 0, got {sizes}.")
        return sizes

    def _prepare(self, X, y, first_pass, incremental=False):
        """Validate and encode the data, and initialise on a first pass.

        Returns the arrays to train on and the random state that seeded the
        initialisation, which training continues to draw from.
        """
        hidden_sizes = self._hidden_sizes()
        X, y = self._validate_input(X, y, incremental, reset=first_pass)
        y = self._encode_targets(y)
        self.n_outputs_ = y.shape[1]
        rng = check_random_state(self.random_state)
        if first_pass:
            self._initialize([X.shape[1], *hidden_sizes, y.shape[1]], X.dtype, rng)
        return X, y, rng

    def _initialize(self, layer_units, dtype, rng):
        self.n_iter_ = 0
        self.t_ = 0
        self.n_layers_ = len(layer_units)
        self.out_activation_ = self._output_activation()
        # Glorot's uniform initialisation, drawn as scikit-learn draws it.
        factor = 2.0 if self.activation == "logistic" else 6.0
        self.coefs_, self.intercepts_ = [], []
        for fan_in, fan_out in pairwise(layer_units):
            bound = np.sqrt(factor / (fan_in + fan_out))
            W = rng.uniform(-bound, bound, (fan_in, fan_out))
            b = rng.uniform(-bound, bound, fan_out)
            self.coefs_.append(W.astype(dtype, copy=False))
            self.intercepts_.append(b.astype(dtype, copy=False))
        self.masks_ = [np.ones(W.shape, dtype=bool) for W in self.coefs_]
        if self.solver != "lbfgs":
            reset_progress(self)

    def _optimizer_masks(self):
        """One mask per parameter of ``coefs_ + intercepts_``."""
        # None where nothing is pruned: a dense fit pays no masking. Weights
        # set by hand, as scikit-learn allows, come without masks.
        weight_masks = [None if m.all() else m for m in getattr(self, "masks_", [])]
        n_params = len(self.coefs_) + len(self.intercepts_)
        return weight_masks + [None] * (n_params - len(weight_masks))

    def _new_optimizer(self):
        masks = self._optimizer_masks()
        if self.solver == "sgd":
            return SGD(
                self.learning_rate_init,
                masks,
                self.learning_rate,
                self.momentum,
                self.nesterovs_momentum,
                self.power_t,
            )
        return Adam(
            self.learning_rate_init, masks, self.beta_1, self.beta_2, self.epsilon
        )

    def _fit(self, X, y, sample_weight=None, incremental=False):
        first_pass = not hasattr(self, "coefs_") or (
            not self.warm_start and not incremental
        )
        X, y, rng = self._prepare(X, y, first_pass, incremental)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
            check_weight_sum(sample_weight)
        if self.solver == "lbfgs":
            fit_lbfgs(self, X, y, sample_weight, max_iter=self.max_iter)
        else:
            # partial_fit continues the optimiser's state; fit starts afresh.
            if not incremental or not hasattr(self, "_optimizer"):
                self._optimizer = self._new_optimizer()
            fit_stochastic(
                self,
                X,
                y,
                sample_weight,
                self._optimizer,
                rng,
                max_iter=self.max_iter,
                incremental=incremental,
                first_pass=first_pass,
            )
        self._check_finite()
        return self

    def _check_finite(self):
        if not all(np.isfinite(w).all() for w in chain(self.coefs_, self.intercepts_)):
            raise ValueError(
                "Solver produced non-finite parameter weights. The input data may"
                " contain large values and need to be preprocessed."
            )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model to data matrix X and target(s) y.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target values (class labels in classification, real numbers
            in regression).

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        self : object
            Returns a trained MLP model.
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=False)

    def _check_solver(self):
        if self.solver not in ("sgd", "adam"):
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers. "
                f"{self.solver} is not stochastic."
            )
        return True

    def _start_training(self, X, y):
        """Validate, encode and initialise without training (the pruner's
        schedules); returns what :meth:`_train` takes."""
        return self._prepare(X, y, first_pass=True)

    def _train(self, X, y, max_iter, rng, sample_weight=None, callback=None):
        """A training run of at most ``max_iter`` epochs from the current
        weights, on encoded targets: the pruner's training and fine-tuning.

        It starts as a first fit would (new optimiser, no loss curve, nothing
        to improve on), raises no ConvergenceWarning (a few epochs of
        fine-tuning are not meant to converge) and, like ``fit``, refuses
        non-finite weights. See :func:`._training.fit_stochastic` for
        ``callback``; L-BFGS takes none.
        """
        if self.solver == "lbfgs":
            fit_lbfgs(self, X, y, sample_weight, max_iter=max_iter, warn=False)
        else:
            reset_progress(self)
            fit_stochastic(
                self,
                X,
                y,
                sample_weight,
                self._new_optimizer(),
                rng,
                max_iter=max_iter,
                first_pass=True,
                warn=False,
                callback=callback,
            )
        self._check_finite()
        return self

    # -- prediction ----------------------------------------------------------

    def _predict_output(self, X, check_input=True):
        """Output layer activations; ``check_input=False`` is for an X that
        :class:`MLPPruner` has just validated."""
        if check_input:
            X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False)
        return predict_output(self, X)

    def _predict(self, X, check_input=True):
        return self._decode(self._predict_output(X, check_input))

    def _validation_score(self, X, y, sample_weight):
        """The early-stopping score, through scikit-learn's forward pass."""
        y_pred = self._decode(self._forward(X)[-1])
        if np.issubdtype(y_pred.dtype, np.floating) and not np.isfinite(y_pred).all():
            return np.nan
        return self._score_function(y, y_pred, sample_weight=sample_weight)

    def __getstate__(self):
        """Pickle sparse layers as CSR and masks as bits (a pruned model stores
        only what it kept), and no inference plan."""
        # A copy: object.__getstate__ may hand back the live __dict__.
        return compact_state(dict(super().__getstate__()))

    def __setstate__(self, state):
        super().__setstate__(expand_state(state))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def check_weight_sum(sample_weight):
    """The loss is a weighted mean: refuse weights that sum to 0.

    scikit-learn's MLPs divide by zero inside numpy instead.
    """
    if sample_weight.sum() == 0:
        raise ValueError(
            "Sample weights must not sum to 0: the loss is their weighted mean."
        )
