"""Multi-layer perceptrons: scikit-learn's, to the last bit, with weight masks."""

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.metrics import accuracy_score, r2_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import column_or_1d
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._sklearn_compat import (
    StrOptions,
    _check_partial_fit_first_call,
    _fit_context,
)
from ._mlp_base import BaseMLP


class MLPClassifier(ClassifierMixin, BaseMLP):
    """Multi-layer perceptron classifier: scikit-learn's, with weight masks.

    Every parameter, fitted attribute and method of
    :class:`sklearn.neural_network.MLPClassifier`, with the same meaning and,
    for the same ``random_state``, the same weights, loss curve and
    ``n_iter_``. Besides, ``masks_``: a weight whose mask is False is exactly
    zero and stays zero through training (forward pass, gradient, optimiser
    state), which is what :class:`MLPPruner` relies on. Predictions skip
    neurons that pruning left dead and go through ``scipy.sparse`` for layers
    sparse enough to gain from it. :func:`to_sklearn` turns a fitted model
    into scikit-learn's, to deploy without skprune.

    Parameters
    ----------
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The ith element is the number of neurons in the ith hidden layer.

    activation : {"identity", "logistic", "tanh", "relu"}, default="relu"
        Activation function of the hidden layers.

    solver : {"lbfgs", "sgd", "adam"}, default="adam"
        The solver for weight optimization: scipy's L-BFGS-B on the whole
        data, stochastic gradient descent, or Adam.

    alpha : float, default=0.0001
        Strength of the L2 penalty, divided by the sample size (or the sum
        of the sample weights) when added to the loss.

    batch_size : int or "auto", default="auto"
        Size of minibatches for the stochastic solvers; ``"auto"`` is
        ``min(200, n_samples)``. Not used by ``"lbfgs"``.

    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning rate schedule of ``"sgd"``: constant; ``learning_rate_init
        / (t + 1) ** power_t`` after ``t`` samples; or divided by 5 each time
        ``n_iter_no_change`` epochs fail to improve by ``tol`` (training
        stops when it falls below 1e-6).

    learning_rate_init : float, default=0.001
        The initial step size of ``"sgd"`` and ``"adam"``.

    power_t : float, default=0.5
        The exponent of the ``"invscaling"`` learning rate.

    max_iter : int, default=200
        Maximum number of epochs (stochastic solvers) or of iterations
        (``"lbfgs"``).

    shuffle : bool, default=True
        Whether to shuffle samples in each epoch (stochastic solvers).

    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation, the validation split of early stopping and
        the shuffling. Pass an int for reproducible results.

    tol : float, default=1e-4
        Tolerance of the stopping criterion: training stops when the loss
        (or validation score) has not improved by ``tol`` for
        ``n_iter_no_change`` consecutive epochs, unless ``learning_rate`` is
        ``"adaptive"``. For ``"lbfgs"``, the projected gradient tolerance.

    verbose : bool, default=False
        Whether to print progress messages to stdout.

    warm_start : bool, default=False
        Reuse the solution of the previous call to fit as initialisation.

    momentum : float, default=0.9
        Momentum of ``"sgd"``.

    nesterovs_momentum : bool, default=True
        Whether ``"sgd"`` uses Nesterov's momentum.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified,
        except for multilabel targets) and stop when its accuracy has not
        improved by ``tol`` for ``n_iter_no_change`` epochs; the best epoch's
        weights are kept. Stochastic solvers only.

    validation_fraction : float, default=0.1
        Proportion of the training data held out for early stopping.

    beta_1 : float, default=0.9
        Adam's exponential decay rate of the first moment, in [0, 1).

    beta_2 : float, default=0.999
        Adam's exponential decay rate of the second moment, in [0, 1).

    epsilon : float, default=1e-8
        Adam's numerical stability term.

    n_iter_no_change : int or np.inf, default=10
        Number of epochs not meeting the ``tol`` improvement before stopping
        (stochastic solvers); ``np.inf`` never stops early.

    max_fun : int, default=15000
        Maximum number of loss evaluations of ``"lbfgs"``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.

    loss_ : float
        The current loss.

    best_loss_ : float or None
        The minimum loss reached by the stochastic solvers; None with early
        stopping (see ``best_validation_score_``).

    loss_curve_ : list of shape (n_iter_,)
        The loss at every epoch (stochastic solvers).

    validation_scores_ : list of shape (n_iter_,) or None
        The validation accuracy at every epoch with early stopping, else
        None.

    best_validation_score_ : float or None
        The best validation accuracy with early stopping, else None.

    t_ : int
        The number of training samples seen by the solver.

    coefs_ : list of shape (n_layers - 1,)
        ``coefs_[i]`` is the weight matrix of layer i.

    intercepts_ : list of shape (n_layers - 1,)
        ``intercepts_[i]`` is the bias vector of layer i + 1.

    masks_ : list of ndarray of bool
        Shaped like ``coefs_``; False marks a pruned (zero) weight.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    n_iter_ : int
        The number of iterations the solver ran (in the last call to fit).

    n_layers_ : int
        Number of layers, input and output included.

    n_outputs_ : int
        Number of output units.

    out_activation_ : str
        ``"logistic"`` (binary and multilabel) or ``"softmax"``.

    See Also
    --------
    MLPPruner : Prune this model.
    to_sklearn : The equal scikit-learn model, to deploy without skprune.
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

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            loss="log_loss",
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
        )

    _score_function = staticmethod(accuracy_score)

    def _validate_input(self, X, y, incremental, reset):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if not hasattr(self, "classes_") or (not self.warm_start and not incremental):
            self._label_binarizer = LabelBinarizer().fit(y)
            self.classes_ = self._label_binarizer.classes_
        else:
            classes = unique_labels(y)
            if self.warm_start:
                if set(classes) != set(self.classes_):
                    raise ValueError(
                        "warm_start can only be used where `y` has the same "
                        "classes as in the previous call to fit. Previously got "
                        f"{self.classes_}, `y` has {classes}"
                    )
            elif len(np.setdiff1d(classes, self.classes_, assume_unique=True)):
                raise ValueError(
                    "`y` has classes not in `self.classes_`. `self.classes_` has "
                    f"{self.classes_}. 'y' has {classes}."
                )
        return X, y

    def _encode_targets(self, y):
        """The indicator columns the network fits, as booleans."""
        return self._label_binarizer.transform(y).astype(bool)

    def _output_activation(self):
        return (
            "softmax" if self._label_binarizer.y_type_ == "multiclass" else "logistic"
        )

    def _decode(self, output):
        if self.n_outputs_ == 1:
            output = output.ravel()
        return self._label_binarizer.inverse_transform(output)

    def predict(self, X):
        """Predict using the multi-layer perceptron classifier.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The predicted classes.
        """
        check_is_fitted(self)
        return self._predict(X)

    @available_if(lambda est: est._check_solver())
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Update the model with a single iteration over the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        y : array-like of shape (n_samples,)
            The target values.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        classes : array of shape (n_classes,), default=None
            Classes across all calls to partial_fit; required on the first
            call, optional after.

        Returns
        -------
        self : object
            Trained MLP model.
        """
        if _check_partial_fit_first_call(self, classes):
            self._label_binarizer = LabelBinarizer()
            if type_of_target(y).startswith("multilabel"):
                self._label_binarizer.fit(y)
            else:
                self._label_binarizer.fit(classes)
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def predict_log_proba(self, X):
        """Return the log of probability estimates.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        log_y_prob : ndarray of shape (n_samples, n_classes)
            The log-probability of each class, in the order of ``classes_``.
        """
        y_prob = self.predict_proba(X)
        return np.log(y_prob, out=y_prob)

    def predict_proba(self, X):
        """Probability estimates.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y_prob : ndarray of shape (n_samples, n_classes)
            The probability of each class, in the order of ``classes_``.
        """
        check_is_fitted(self)
        return self._predict_proba(X)

    def _predict_proba(self, X, check_input=True):
        y_pred = self._predict_output(X, check_input)
        if self.n_outputs_ == 1:
            y_pred = y_pred.ravel()
        if y_pred.ndim == 1:
            return np.vstack([1 - y_pred, y_pred]).T
        return y_pred

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class MLPRegressor(RegressorMixin, BaseMLP):
    """Multi-layer perceptron regressor: scikit-learn's, with weight masks.

    Every parameter, fitted attribute and method of
    :class:`sklearn.neural_network.MLPRegressor`, with the same meaning and,
    for the same ``random_state``, the same weights, loss curve and
    ``n_iter_``; plus ``masks_``, see :class:`MLPClassifier`. The squared
    error loss is averaged over outputs, as scikit-learn's.

    Parameters
    ----------
    loss : {"squared_error", "poisson"}, default="squared_error"
        Half the squared error, or half the Poisson deviance with an
        exponential output (``y >= 0``).

    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The ith element is the number of neurons in the ith hidden layer.

    activation : {"identity", "logistic", "tanh", "relu"}, default="relu"
        Activation function of the hidden layers.

    solver : {"lbfgs", "sgd", "adam"}, default="adam"
        The solver for weight optimization: scipy's L-BFGS-B on the whole
        data, stochastic gradient descent, or Adam.

    alpha : float, default=0.0001
        Strength of the L2 penalty, divided by the sample size (or the sum
        of the sample weights) when added to the loss.

    batch_size : int or "auto", default="auto"
        Size of minibatches for the stochastic solvers; ``"auto"`` is
        ``min(200, n_samples)``. Not used by ``"lbfgs"``.

    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning rate schedule of ``"sgd"``; see :class:`MLPClassifier`.

    learning_rate_init : float, default=0.001
        The initial step size of ``"sgd"`` and ``"adam"``.

    power_t : float, default=0.5
        The exponent of the ``"invscaling"`` learning rate.

    max_iter : int, default=200
        Maximum number of epochs (stochastic solvers) or of iterations
        (``"lbfgs"``).

    shuffle : bool, default=True
        Whether to shuffle samples in each epoch (stochastic solvers).

    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation, the validation split of early stopping and
        the shuffling. Pass an int for reproducible results.

    tol : float, default=1e-4
        Tolerance of the stopping criterion; see :class:`MLPClassifier`.

    verbose : bool, default=False
        Whether to print progress messages to stdout.

    warm_start : bool, default=False
        Reuse the solution of the previous call to fit as initialisation.

    momentum : float, default=0.9
        Momentum of ``"sgd"``.

    nesterovs_momentum : bool, default=True
        Whether ``"sgd"`` uses Nesterov's momentum.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data and stop when
        its R² has not improved by ``tol`` for ``n_iter_no_change`` epochs;
        the best epoch's weights are kept. Stochastic solvers only.

    validation_fraction : float, default=0.1
        Proportion of the training data held out for early stopping.

    beta_1 : float, default=0.9
        Adam's exponential decay rate of the first moment, in [0, 1).

    beta_2 : float, default=0.999
        Adam's exponential decay rate of the second moment, in [0, 1).

    epsilon : float, default=1e-8
        Adam's numerical stability term.

    n_iter_no_change : int or np.inf, default=10
        Number of epochs not meeting the ``tol`` improvement before stopping
        (stochastic solvers); ``np.inf`` never stops early.

    max_fun : int, default=15000
        Maximum number of loss evaluations of ``"lbfgs"``.

    Attributes
    ----------
    loss_ : float
        The current loss.

    best_loss_ : float or None
        The minimum loss reached by the stochastic solvers; None with early
        stopping (see ``best_validation_score_``).

    loss_curve_ : list of shape (n_iter_,)
        The loss at every epoch (stochastic solvers).

    validation_scores_ : list of shape (n_iter_,) or None
        The validation R² at every epoch with early stopping, else None.

    best_validation_score_ : float or None
        The best validation R² with early stopping, else None.

    t_ : int
        The number of training samples seen by the solver.

    coefs_ : list of shape (n_layers - 1,)
        ``coefs_[i]`` is the weight matrix of layer i.

    intercepts_ : list of shape (n_layers - 1,)
        ``intercepts_[i]`` is the bias vector of layer i + 1.

    masks_ : list of ndarray of bool
        Shaped like ``coefs_``; False marks a pruned (zero) weight.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    n_iter_ : int
        The number of iterations the solver ran (in the last call to fit).

    n_layers_ : int
        Number of layers, input and output included.

    n_outputs_ : int
        Number of outputs.

    out_activation_ : str
        ``"identity"``, or ``"exp"`` for the Poisson loss.

    See Also
    --------
    MLPPruner : Prune this model.
    to_sklearn : The equal scikit-learn model, to deploy without skprune.
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

    _parameter_constraints = {
        **BaseMLP._parameter_constraints,
        "loss": [StrOptions({"squared_error", "poisson"})],
    }

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            loss=loss,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
        )

    _score_function = staticmethod(r2_score)

    def _validate_input(self, X, y, incremental, reset):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            y_numeric=True,
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        if y.dtype.kind not in "biuf":
            # y_numeric converts object arrays only: refuse strings here
            # rather than inside the loss.
            raise ValueError(
                f"{type(self).__name__} needs numeric targets; y has dtype "
                f"{y.dtype}. Convert it, e.g. with y.astype(float)."
            )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return X, y

    def _encode_targets(self, y):
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def _output_activation(self):
        return "exp" if self.loss == "poisson" else "identity"

    def _decode(self, output):
        # One output is returned 1-D, as scikit-learn's MLPRegressor does.
        return output.ravel() if output.shape[1] == 1 else output

    def predict(self, X):
        """Predict using the multi-layer perceptron model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The predicted values.
        """
        check_is_fitted(self)
        return self._predict(X)

    @available_if(lambda est: est._check_solver())
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Update the model with a single iteration over the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The target values.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        self : object
            Trained MLP model.
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
