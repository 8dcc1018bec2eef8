"""Prune a numpy MLP: weights to masks, or whole neurons out of the matrices."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.utils import check_random_state
from sklearn.utils._tags import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._sklearn_compat import HasMethods, Interval, StrOptions, _fit_context
from ._convert import to_skprune_mlp
from ._masks import (
    apply_weight_masks,
    neuron_scores,
    neurons_to_keep,
    remove_neurons,
    weight_masks,
    weight_scores,
)


def _estimator_has(attr):
    def check(self):
        getattr(
            self.estimator_ if hasattr(self, "estimator_") else self.estimator, attr
        )
        return True

    return check


class MLPPruner(MetaEstimatorMixin, BaseEstimator):
    """Prune a multi-layer perceptron's weights or neurons, then fine-tune.

    Parameters
    ----------
    estimator : MLPClassifier or MLPRegressor
        skprune's numpy MLP, or with ``prefit=True`` a fitted one of skprune
        or of ``sklearn.neural_network`` (converted, with identical
        predictions, before pruning; scikit-learn's own MLP cannot hold
        masks). The given model is never modified.

    sparsity : float in [0, 1), default=0.5
        Fraction of the weights (``granularity="weight"``) or of the hidden
        neurons (``"neuron"``) to remove.

    granularity : {"weight", "neuron"}, default="weight"
        ``"weight"`` zeroes single weights and keeps them zero with masks;
        ``"neuron"`` removes whole hidden neurons -- the column of
        ``coefs_[l]``, the entry of ``intercepts_[l]`` and the row of
        ``coefs_[l + 1]`` -- so the model becomes a smaller dense MLP.

    criterion : {"magnitude", "random"}, default="magnitude"
        ``"magnitude"``: smallest ``|w|`` for weights, smallest L2 norm of
        the incoming weights for neurons. ``"random"``: the baseline every
        pruning paper compares with.

    scope : {"global", "layer"}, default="global"
        Rank all layers together, or prune each layer by ``sparsity``. For
        neurons, global scores are divided by their layer's mean first, and
        every layer keeps at least one neuron.

    schedule : {"one-shot", "iterative"}, default="one-shot"
        ``"one-shot"``: prune once, then fine-tune. ``"iterative"``:
        ``n_rounds`` rounds of pruning and fine-tuning, reaching the target
        geometrically: after round ``r`` the sparsity is
        ``1 - (1 - sparsity) ** (r / n_rounds)``.

    n_rounds : int, default=3
        Rounds of the iterative schedule.

    finetune_iter : int, default=10
        Fine-tuning epochs after each pruning (0 for none).

    prefit : bool, default=False
        ``estimator`` is already fitted: prune it instead of training first.

    random_state : int, RandomState instance or None, default=None
        Seeds the random criterion and the fine-tuning's shuffling.

    Attributes
    ----------
    estimator_ : MLPClassifier or MLPRegressor
        The pruned, fine-tuned model.

    masks_ : list of ndarray of bool
        ``estimator_.masks_``: shaped like ``coefs_``, True = kept.

    sparsity_ : dict
        ``"overall"`` and per-layer (``"layers"``) fraction of the weights
        (or hidden neurons) removed.

    history_ : list of dict
        Per round: ``"round"``, ``"sparsity"`` (reached), ``"loss"`` (last
        fine-tuning epoch) and ``"validation_score"`` (the estimator's best
        validation score when it uses early stopping, else None).

    classes_ : ndarray of shape (n_classes,)
        Class labels (classifiers only).

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    MLPClassifier : The numpy MLP it prunes.

    References
    ----------
    .. [1] S. Han, J. Pool, J. Tran and W. Dally, "Learning both weights and
       connections for efficient neural networks", NeurIPS 2015.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skprune.neural import MLPClassifier, MLPPruner
    >>> X, y = load_digits(return_X_y=True)
    >>> mlp = MLPClassifier(hidden_layer_sizes=(64,), max_iter=50, random_state=0)
    >>> pruner = MLPPruner(mlp, sparsity=0.8, random_state=0).fit(X / 16, y)
    >>> round(pruner.sparsity_["overall"], 3)
    0.8
    >>> pruner = MLPPruner(mlp, sparsity=0.5, granularity="neuron").fit(X / 16, y)
    >>> pruner.estimator_.coefs_[0].shape
    (64, 32)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "sparsity": [Interval(Real, 0, 1, closed="left")],
        "granularity": [StrOptions({"weight", "neuron"})],
        "criterion": [StrOptions({"magnitude", "random"})],
        "scope": [StrOptions({"global", "layer"})],
        "schedule": [StrOptions({"one-shot", "iterative"})],
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
        "finetune_iter": [Interval(Integral, 0, None, closed="left")],
        "prefit": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        sparsity=0.5,
        granularity="weight",
        criterion="magnitude",
        scope="global",
        schedule="one-shot",
        n_rounds=3,
        finetune_iter=10,
        prefit=False,
        random_state=None,
    ):
        self.estimator = estimator
        self.sparsity = sparsity
        self.granularity = granularity
        self.criterion = criterion
        self.scope = scope
        self.schedule = schedule
        self.n_rounds = n_rounds
        self.finetune_iter = finetune_iter
        self.prefit = prefit
        self.random_state = random_state

    def _schedule(self):
        """Sparsity to reach after each round."""
        if self.schedule == "one-shot":
            return [self.sparsity]
        rounds = np.arange(1, self.n_rounds + 1)
        return list(1 - (1 - self.sparsity) ** (rounds / self.n_rounds))

    def _start(self, X, y):
        if self.prefit:
            return to_skprune_mlp(self.estimator)
        # A scikit-learn MLP is trained by scikit-learn, then converted.
        return to_skprune_mlp(clone(self.estimator).fit(X, y))

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Train (unless ``prefit``), prune and fine-tune.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.

        Returns
        -------
        self : object
            Fitted pruner.
        """
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=not is_classifier(self.estimator),
        )
        rng = check_random_state(self.random_state)
        model = self._start(X, y)
        if model.n_features_in_ != X.shape[1]:
            raise ValueError(
                f"X has {X.shape[1]} features, but the prefit estimator is "
                f"expecting {model.n_features_in_} features as input."
            )
        self._hidden_sizes = [W.shape[1] for W in model.coefs_[:-1]]
        self.history_ = []
        for round_, target in enumerate(self._schedule(), start=1):
            self._prune(model, target, rng)
            if self.finetune_iter > 0:
                model._continue_training(X, y, self.finetune_iter, rng)
            self.history_.append(
                {
                    "round": round_,
                    "sparsity": self._reached(model)["overall"],
                    "loss": float(getattr(model, "loss_", np.nan)),
                    "validation_score": getattr(model, "best_validation_score_", None)
                    if model.early_stopping
                    else None,
                }
            )
        self.estimator_ = model
        self.sparsity_ = self._reached(model)
        del self._hidden_sizes
        return self

    def _prune(self, model, target, rng):
        if self.granularity == "weight":
            scores = weight_scores(model, self.criterion, rng)
            apply_weight_masks(model, weight_masks(scores, target, self.scope))
            return
        scores = neuron_scores(model, self.criterion, rng)
        current = [W.shape[1] for W in model.coefs_[:-1]]
        if self.scope == "layer":
            n_remove = [
                int(round(target * n0)) - (n0 - n)
                for n0, n in zip(self._hidden_sizes, current, strict=True)
            ]
        else:
            n_remove = int(round(target * sum(self._hidden_sizes))) - (
                sum(self._hidden_sizes) - sum(current)
            )
        remove_neurons(model, neurons_to_keep(scores, n_remove, self.scope))

    def _reached(self, model):
        if self.granularity == "weight":
            pruned = [int((~m).sum()) for m in model.masks_]
            sizes = [m.size for m in model.masks_]
        else:
            sizes = list(self._hidden_sizes)
            pruned = [
                n0 - W.shape[1] for n0, W in zip(sizes, model.coefs_[:-1], strict=True)
            ]
        return {
            "overall": sum(pruned) / max(sum(sizes), 1),
            "layers": [p / s for p, s in zip(pruned, sizes, strict=True)],
        }

    def _validate_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, accept_sparse=["csr", "csc"])

    @available_if(_estimator_has("predict"))
    def predict(self, X):
        """Predict with the pruned model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray
            Predictions.
        """
        X = self._validate_X(X)
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the pruned model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities.
        """
        X = self._validate_X(X)
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("score"))
    def score(self, X, y):
        """Score of the pruned model (accuracy or R²).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.
        y : array-like
            True targets.

        Returns
        -------
        score : float
            The pruned model's score.
        """
        X = self._validate_X(X)
        return self.estimator_.score(X, y)

    @property
    def masks_(self):
        """``estimator_.masks_``: shaped like ``coefs_``, True = kept."""
        check_is_fitted(self)
        return self.estimator_.masks_

    @property
    def classes_(self):
        """Class labels of the pruned model."""
        check_is_fitted(self)
        return self.estimator_.classes_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = inner.classifier_tags
        tags.regressor_tags = inner.regressor_tags
        tags.target_tags = inner.target_tags
        tags.input_tags.sparse = True
        return tags
