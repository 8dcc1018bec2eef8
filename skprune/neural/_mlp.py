"""Multi-layer perceptrons in numpy that keep pruned weights at zero."""

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, xlogy
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state, gen_batches
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._sklearn_compat import Interval, StrOptions, _fit_context
from ._optimizers import SGD, Adam
from ._sparse_inference import ACTIVATIONS_IN_PLACE, InferencePlan

# In place: every activation is applied to a freshly computed array.
_ACTIVATIONS = ACTIVATIONS_IN_PLACE


def _activation_derivative(name, activation, delta):
    """Multiply ``delta`` in place by the derivative, from the activation."""
    if name == "logistic":
        delta *= activation * (1 - activation)
    elif name == "tanh":
        delta *= 1 - activation**2
    elif name == "relu":
        # A product with the boolean, ~6x faster than delta[activation == 0] = 0.
        np.multiply(delta, activation > 0, out=delta)


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


class BaseMLP(BaseEstimator):
    """Shared numpy training of :class:`MLPClassifier` and :class:`MLPRegressor`."""

    _parameter_constraints = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions(set(_ACTIVATIONS))],
        "solver": [StrOptions({"adam", "sgd"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate_init=0.001,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change

    # -- forward and backward ------------------------------------------------

    def _forward(self, X, coefs=None, intercepts=None):
        """Activations of every layer, input included."""
        coefs = self.coefs_ if coefs is None else coefs
        intercepts = self.intercepts_ if intercepts is None else intercepts
        hidden = _ACTIVATIONS[self.activation]
        activations = [X]
        last = len(coefs) - 1
        for i, (W, b) in enumerate(zip(coefs, intercepts, strict=True)):
            z = activations[-1] @ W
            z += b
            activations.append(self._output(z) if i == last else hidden(z))
        return activations

    def _output(self, z):
        if self.out_activation_ == "softmax":
            return _softmax(z)
        if self.out_activation_ == "logistic":
            return expit(z)
        return z

    def _loss(self, y, output):
        if self.out_activation_ == "identity":
            # Summed over outputs: the loss whose gradient scikit-learn's
            # backprop (delta = output - y) computes. scikit-learn reports it
            # averaged over outputs; the two agree for one output.
            return ((y - output) ** 2).sum() / (2 * len(y))
        eps = np.finfo(output.dtype).eps
        output = np.clip(output, eps, 1 - eps)
        if self.out_activation_ == "logistic":
            return -(xlogy(y, output) + xlogy(1 - y, 1 - output)).sum() / len(y)
        return -xlogy(y, output).sum() / len(y)

    def _loss_and_gradients(self, X, y):
        """Penalised loss and its gradients, as scikit-learn's backprop."""
        activations = self._forward(X)
        n_samples = X.shape[0]
        loss = self._loss(y, activations[-1])
        loss += 0.5 * self.alpha * sum(np.vdot(W, W) for W in self.coefs_) / n_samples
        delta = activations[-1] - y
        coef_grads = [None] * len(self.coefs_)
        intercept_grads = [None] * len(self.coefs_)
        for i in range(len(self.coefs_) - 1, -1, -1):
            coef_grads[i] = activations[i].T @ delta
            coef_grads[i] += self.alpha * self.coefs_[i]
            coef_grads[i] /= n_samples
            intercept_grads[i] = delta.mean(axis=0)
            if i > 0:
                delta = delta @ self.coefs_[i].T
                _activation_derivative(self.activation, activations[i], delta)
        return loss, coef_grads, intercept_grads

    # -- training ----------------------------------------------------------

    def _initialize(self, n_features, n_outputs, rng):
        sizes = [n_features, *self._hidden_sizes(), n_outputs]
        factor = 2.0 if self.activation == "logistic" else 6.0
        self.coefs_, self.intercepts_ = [], []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
            bound = np.sqrt(factor / (fan_in + fan_out))
            self.coefs_.append(rng.uniform(-bound, bound, (fan_in, fan_out)))
            self.intercepts_.append(rng.uniform(-bound, bound, fan_out))
        self.masks_ = [np.ones(W.shape, dtype=bool) for W in self.coefs_]
        self.n_layers_ = len(sizes)
        self.n_outputs_ = n_outputs

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if np.ndim(sizes) == 0 else list(sizes)
        if any(int(s) < 1 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be > 0, got {sizes}.")
        return [int(s) for s in sizes]

    def _make_optimizer(self):
        params = [*self.coefs_, *self.intercepts_]
        masks = self._optimizer_masks()
        if self.solver == "adam":
            return Adam(
                params,
                masks,
                self.learning_rate_init,
                self.beta_1,
                self.beta_2,
                self.epsilon,
            )
        return SGD(
            params,
            masks,
            self.learning_rate_init,
            self.momentum,
            self.nesterovs_momentum,
        )

    def _optimizer_masks(self):
        # None where nothing is pruned: a dense fit pays no masking.
        weight_masks = [None if m.all() else m for m in self.masks_]
        return [*weight_masks, *[None] * len(self.coefs_)]

    def _train(self, X, y, max_iter, rng, callback=None, warn=True):
        """Run the optimiser for up to ``max_iter`` epochs from the current weights.

        ``callback(epoch, step)`` runs after every minibatch update; it may
        change ``masks_`` (gradual pruning), after which the optimiser masks
        the new zeros too.
        """
        early_stopping = self.early_stopping and max_iter > 0
        if early_stopping:
            stratify = y if self._is_classifier() and self.n_outputs_ > 1 else None
            X, X_val, y, y_val = train_test_split(
                X,
                y,
                test_size=self.validation_fraction,
                random_state=rng,
                stratify=stratify if stratify is None else stratify.argmax(axis=1),
            )
            self.validation_scores_ = []
            self.best_validation_score_ = -np.inf
            best = None
        self.loss_curve_ = getattr(self, "loss_curve_", [])
        self.best_loss_ = np.inf
        n_samples = X.shape[0]
        batch_size = (
            min(200, n_samples)
            if self.batch_size == "auto"
            else min(self.batch_size, n_samples)
        )
        optimizer = self._make_optimizer()
        no_improvement = 0
        order = np.arange(n_samples)
        step = 0
        for epoch in range(max_iter):
            if self.shuffle:
                rng.shuffle(order)
            accumulated = 0.0
            for batch in gen_batches(n_samples, batch_size):
                idx = order[batch]
                loss, coef_grads, intercept_grads = self._loss_and_gradients(
                    X[idx], y[idx]
                )
                accumulated += loss * len(idx)
                optimizer.update(coef_grads + intercept_grads)
                step += 1
                if callback is not None and callback(epoch, step):
                    optimizer.set_masks(self._optimizer_masks())
            self.n_iter_ = getattr(self, "n_iter_", 0) + 1
            self.loss_ = accumulated / n_samples
            if not np.isfinite(self.loss_):
                raise ValueError(
                    f"Training diverged: the loss is {self.loss_} after epoch "
                    f"{epoch + 1}. Lower learning_rate_init or scale the input."
                )
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
            if early_stopping:
                score = self._score_arrays(X_val, y_val)
                self.validation_scores_.append(score)
                no_improvement = (
                    no_improvement + 1
                    if score < self.best_validation_score_ + self.tol
                    else 0
                )
                if score > self.best_validation_score_:
                    self.best_validation_score_ = score
                    best = (
                        [W.copy() for W in self.coefs_],
                        [b.copy() for b in self.intercepts_],
                    )
            else:
                no_improvement = (
                    no_improvement + 1 if self.loss_ > self.best_loss_ - self.tol else 0
                )
                self.best_loss_ = min(self.best_loss_, self.loss_)
            if no_improvement > self.n_iter_no_change:
                break
        else:
            if warn and max_iter > 0:
                warnings.warn(
                    f"Stochastic Optimizer: Maximum iterations ({max_iter}) reached "
                    "and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                    stacklevel=3,
                )
        if early_stopping and best is not None:
            self.coefs_[:], self.intercepts_[:] = best
        self._invalidate_sparse()

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit the model to data X and target(s) y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target values (class labels, or real numbers in regression).

        Returns
        -------
        self : object
            Trained MLP model.
        """
        X, Y, rng = self._start_training(X, y)
        self._train(X, Y, self.max_iter, rng)
        return self

    def _start_training(self, X, y):
        """Validate, encode and initialise, without training.

        Returns the encoded training data and the random state that seeded
        the initialisation, which training then continues to draw from.
        """
        X, Y = self._validate_training_data(X, y)
        rng = check_random_state(self.random_state)
        for name in ("loss_curve_", "n_iter_"):
            if hasattr(self, name):
                delattr(self, name)
        self._initialize(X.shape[1], Y.shape[1], rng)
        self._invalidate_sparse()
        return X, Y, rng

    def _continue_training(self, X, y, max_iter, rng, callback=None):
        """Fine-tune the current (pruned) weights; used by the pruner.

        A few epochs of fine-tuning are not expected to converge, so no
        ConvergenceWarning is raised.
        """
        X, y = self._encode(X, y)
        self._train(X, y, max_iter, rng, callback=callback, warn=False)
        return self

    def _invalidate_sparse(self):
        """Rebuild the predict-time plan after the weights changed."""
        self._inference_plan = InferencePlan(
            self.coefs_, self.intercepts_, self.activation
        )

    def _predict_output(self, X, logits=False, validate=True):
        """Output layer activations (or pre-activations), through the plan.

        ``logits=True`` skips the output activation: class predictions only
        need the largest logit (softmax and the logistic are increasing).
        ``validate=False`` is for an X that MLPPruner has just validated.
        """
        check_is_fitted(self)
        if validate:
            X = validate_data(self, X, reset=False, accept_sparse=["csr", "csc"])
        plan = getattr(self, "_inference_plan", None)
        output = _ACTIVATIONS["identity"] if logits else self._output
        if plan is not None and plan.is_current(self.coefs_):
            return plan.forward(X, output)
        # Weights changed behind the plan's back: the plain forward pass.
        activations = self._forward(X)
        if not logits:
            return activations[-1]
        return activations[-2] @ self.coefs_[-1] + self.intercepts_[-1]

    def __getstate__(self):
        """Pickle sparse layers as CSR and masks as bits: a pruned model
        stores only what it kept. The predict-time CSR copies are rebuilt on
        load."""
        # A copy: object.__getstate__ may hand back the live __dict__.
        state = dict(super().__getstate__())
        state.pop("_inference_plan", None)
        if "coefs_" in state:
            state["coefs_"] = [_compact(W) for W in state["coefs_"]]
            state["masks_"] = [(np.packbits(m), m.shape) for m in state["masks_"]]
        return state

    def __setstate__(self, state):
        if "coefs_" in state:
            state["coefs_"] = [
                W.toarray() if sp.issparse(W) else W for W in state["coefs_"]
            ]
            state["masks_"] = [
                np.unpackbits(bits, count=int(np.prod(shape)))
                .astype(bool)
                .reshape(shape)
                for bits, shape in state["masks_"]
            ]
        super().__setstate__(state)
        if "coefs_" in state:
            self._invalidate_sparse()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = not self._is_classifier()
        return tags


def _compact(W):
    # CSR costs 12 bytes per nonzero against 8 per entry dense.
    return sp.csr_matrix(W) if np.count_nonzero(W) < W.size / 2 else W


class MLPClassifier(ClassifierMixin, BaseMLP):
    """Multi-layer perceptron classifier in numpy, with weight masks.

    The parameters and fitted attributes are those of
    :class:`sklearn.neural_network.MLPClassifier` (solvers ``"adam"`` and
    ``"sgd"``), plus ``masks_``: weights whose mask is False are exactly zero
    and stay zero through training (forward pass, gradient and optimiser
    state), which is what :class:`MLPPruner` relies on. Predictions go
    through ``scipy.sparse`` for layers sparse enough to gain from it.

    Parameters
    ----------
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        Neurons of each hidden layer.
    activation : {"identity", "logistic", "tanh", "relu"}, default="relu"
        Activation of the hidden layers.
    solver : {"adam", "sgd"}, default="adam"
        Optimiser for the weights.
    alpha : float, default=0.0001
        Strength of the L2 penalty.
    batch_size : int or "auto", default="auto"
        Minibatch size; ``"auto"`` is ``min(200, n_samples)``.
    learning_rate_init : float, default=0.001
        Step size.
    max_iter : int, default=200
        Maximum number of epochs.
    shuffle : bool, default=True
        Shuffle samples at every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds initialisation, shuffling and the validation split.
    tol : float, default=1e-4
        Tolerance of the stopping criterion.
    verbose : bool, default=False
        Print the loss at every epoch.
    momentum : float, default=0.9
        Momentum of ``"sgd"``.
    nesterovs_momentum : bool, default=True
        Nesterov's momentum for ``"sgd"``.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data and stop when its
        accuracy stops improving; the best weights are kept.
    validation_fraction : float, default=0.1
        Fraction held out for early stopping.
    beta_1 : float, default=0.9
        Adam's first-moment decay.
    beta_2 : float, default=0.999
        Adam's second-moment decay.
    epsilon : float, default=1e-8
        Adam's numerical stability term.
    n_iter_no_change : int, default=10
        Epochs without ``tol`` improvement before stopping.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coefs_ : list of ndarray
        ``coefs_[i]`` has shape (n_inputs of layer i, n_outputs of layer i).
    intercepts_ : list of ndarray
        Biases of every layer.
    masks_ : list of ndarray of bool
        Shaped like ``coefs_``; False marks a pruned (zero) weight.
    loss_ : float
        Loss at the last epoch.
    loss_curve_ : list of float
        Loss at every epoch.
    best_loss_ : float
        Lowest loss reached (without early stopping).
    validation_scores_ : list of float
        Validation accuracy at every epoch (with early stopping).
    best_validation_score_ : float
        Best validation accuracy (with early stopping).
    n_iter_ : int
        Epochs run.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of output units.
    out_activation_ : str
        ``"logistic"`` (binary) or ``"softmax"``.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    MLPPruner : Prune this model.
    sklearn.neural_network.MLPClassifier : The model this one mirrors.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skprune.neural import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> mlp = MLPClassifier(hidden_layer_sizes=(20,), max_iter=500, random_state=0)
    >>> mlp.fit(X, y).score(X, y) > 0.95
    True
    >>> [W.shape for W in mlp.coefs_]
    [(4, 20), (20, 3)]
    """

    def _is_classifier(self):
        return True

    def _validate_training_data(self, X, y):
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], dtype=np.float64)
        target = type_of_target(y, input_name="y")
        if target == "multilabel-indicator" or np.ndim(y) > 1:
            raise ValueError(
                "MLPClassifier does not support multilabel or multi-output "
                "targets; pass one column of labels."
            )
        if target not in ("binary", "multiclass"):
            raise ValueError(f"Unknown label type: {target!r} targets are not classes.")
        self._label_binarizer = LabelBinarizer().fit(y)
        self.classes_ = self._label_binarizer.classes_
        if len(self.classes_) < 2:
            raise ValueError("MLPClassifier needs at least 2 classes; y has 1 class.")
        self.out_activation_ = "logistic" if len(self.classes_) == 2 else "softmax"
        return self._encode(X, y)

    def _encode(self, X, y):
        return X, self._label_binarizer.transform(y).astype(np.float64)

    def _score_arrays(self, X, Y):
        proba = self._forward(X)[-1]
        if self.n_outputs_ == 1:
            return np.mean((proba[:, 0] > 0.5) == (Y[:, 0] > 0.5))
        return np.mean(proba.argmax(axis=1) == Y.argmax(axis=1))

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        """
        return self._predict_proba(X)

    def _predict_proba(self, X, validate=True):
        out = self._predict_output(X, validate=validate)
        if self.n_outputs_ == 1:
            return np.hstack([1 - out, out])
        return out

    def predict_log_proba(self, X):
        """Log of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities.
        """
        return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted labels.
        """
        return self._predict(X)

    def _predict(self, X, validate=True):
        logits = self._predict_output(X, logits=True, validate=validate)
        if self.n_outputs_ == 1:
            return self.classes_[(logits[:, 0] > 0).astype(int)]
        return self.classes_[logits.argmax(axis=1)]


class MLPRegressor(RegressorMixin, BaseMLP):
    """Multi-layer perceptron regressor in numpy, with weight masks.

    The parameters and fitted attributes are those of
    :class:`sklearn.neural_network.MLPRegressor` (solvers ``"adam"`` and
    ``"sgd"``), plus ``masks_``; see :class:`MLPClassifier`. The loss is half
    the mean squared error; one or several outputs.

    Parameters
    ----------
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        Neurons of each hidden layer.
    activation : {"identity", "logistic", "tanh", "relu"}, default="relu"
        Activation of the hidden layers.
    solver : {"adam", "sgd"}, default="adam"
        Optimiser for the weights.
    alpha : float, default=0.0001
        Strength of the L2 penalty.
    batch_size : int or "auto", default="auto"
        Minibatch size; ``"auto"`` is ``min(200, n_samples)``.
    learning_rate_init : float, default=0.001
        Step size.
    max_iter : int, default=200
        Maximum number of epochs.
    shuffle : bool, default=True
        Shuffle samples at every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds initialisation, shuffling and the validation split.
    tol : float, default=1e-4
        Tolerance of the stopping criterion.
    verbose : bool, default=False
        Print the loss at every epoch.
    momentum : float, default=0.9
        Momentum of ``"sgd"``.
    nesterovs_momentum : bool, default=True
        Nesterov's momentum for ``"sgd"``.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data and stop when its R²
        stops improving; the best weights are kept.
    validation_fraction : float, default=0.1
        Fraction held out for early stopping.
    beta_1 : float, default=0.9
        Adam's first-moment decay.
    beta_2 : float, default=0.999
        Adam's second-moment decay.
    epsilon : float, default=1e-8
        Adam's numerical stability term.
    n_iter_no_change : int, default=10
        Epochs without ``tol`` improvement before stopping.

    Attributes
    ----------
    coefs_ : list of ndarray
        ``coefs_[i]`` has shape (n_inputs of layer i, n_outputs of layer i).
    intercepts_ : list of ndarray
        Biases of every layer.
    masks_ : list of ndarray of bool
        Shaped like ``coefs_``; False marks a pruned (zero) weight.
    loss_ : float
        Loss at the last epoch.
    loss_curve_ : list of float
        Loss at every epoch.
    best_loss_ : float
        Lowest loss reached (without early stopping).
    validation_scores_ : list of float
        Validation R² at every epoch (with early stopping).
    best_validation_score_ : float
        Best validation R² (with early stopping).
    n_iter_ : int
        Epochs run.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of outputs.
    out_activation_ : str
        ``"identity"``.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    MLPPruner : Prune this model.
    sklearn.neural_network.MLPRegressor : The model this one mirrors.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skprune.neural import MLPRegressor
    >>> X, y = make_regression(n_samples=200, n_features=5, noise=1, random_state=0)
    >>> mlp = MLPRegressor(hidden_layer_sizes=(20,), learning_rate_init=0.01,
    ...                    max_iter=500, random_state=0).fit(X, y)
    >>> mlp.score(X, y) > 0.95
    True
    """

    def _is_classifier(self):
        return False

    def _validate_training_data(self, X, y):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            y_numeric=True,
            dtype=np.float64,
        )
        self.out_activation_ = "identity"
        return self._encode(X, y)

    def _encode(self, X, y):
        y = np.asarray(y, dtype=np.float64)
        return X, y.reshape(len(y), -1)

    def _score_arrays(self, X, Y):
        pred = self._forward(X)[-1]
        residual = ((Y - pred) ** 2).sum()
        total = ((Y - Y.mean(axis=0)) ** 2).sum()
        return 1 - residual / total if total > 0 else 0.0

    def predict(self, X):
        """Predict with the multi-layer perceptron.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predicted values.
        """
        return self._predict(X)

    def _predict(self, X, validate=True):
        out = self._predict_output(X, validate=validate)
        # One output is returned 1-D, as scikit-learn's MLPRegressor does.
        return out[:, 0] if self.n_outputs_ == 1 else out
