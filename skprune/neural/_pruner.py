"""Prune a numpy MLP: weights to masks, or whole neurons out of the matrices."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._delegation import estimator_has
from ..utils._sklearn_compat import HasMethods, Interval, StrOptions, _fit_context
from ._convert import to_skprune_mlp, unfitted_skprune_mlp
from ._masks import (
    NEURON_CRITERIA,
    WEIGHT_CRITERIA,
    apply_weight_masks,
    n_m_masks,
    neuron_scores,
    neurons_to_keep,
    parse_n_m,
    remove_neurons,
    weight_masks,
    weight_scores,
)
from ._training import batch_size

SCHEDULES = ("one-shot", "iterative", "gradual", "lottery", "at-init")


class MLPPruner(MetaEstimatorMixin, BaseEstimator):
    """Prune a multi-layer perceptron's weights or neurons, then fine-tune.

    Parameters
    ----------
    estimator : MLPClassifier or MLPRegressor
        skprune's numpy MLP, or with ``prefit=True`` a fitted one of skprune
        or of ``sklearn.neural_network`` (converted before pruning, with
        every setting and identical predictions; scikit-learn's own MLP
        cannot hold masks). The given model is never modified. Deploy the
        pruned ``estimator_`` with :func:`to_sklearn`.

    sparsity : float in [0, 1), default=0.5
        Fraction of the weights (``granularity="weight"``) or of the hidden
        neurons (``"neuron"``) to remove. Not used with an N:M granularity,
        whose sparsity is ``1 - N/M``.

    granularity : {"weight", "neuron"} or "N:M", default="weight"
        ``"weight"`` zeroes single weights and keeps them zero with masks;
        ``"neuron"`` removes whole hidden neurons -- the column of
        ``coefs_[l]``, the entry of ``intercepts_[l]`` and the row of
        ``coefs_[l + 1]`` -- so the model becomes a smaller dense MLP.
        ``"N:M"`` (``"2:4"``, ``"1:4"``, ``"4:8"``...) keeps at most N of
        every M consecutive weights along each layer's input dimension (M
        consecutive rows of ``coefs_[l]`` for one output column); when the
        fan-in is not a multiple of M, the trailing group of ``r < M`` rows
        keeps at most N of them.

    criterion : str, default="magnitude"
        ``"magnitude"``: smallest ``|w|``, or for neurons smallest L2 norm
        of the incoming weights (also ``"l1-in"``, ``"l2-in"``,
        ``"l1-out"``, ``"l2-out"``: the L1/L2 norm of the incoming/outgoing
        weights). ``"gradient"``: ``|dL/dw|`` and ``"taylor"``:
        ``|w * dL/dw|`` (the first-order estimate of the loss change),
        accumulated over one pass of the training data; for neurons, summed
        over the incoming weights. ``"activation"`` (neurons): mean absolute
        activation on the training data. ``"random"``: the baseline every
        pruning paper compares with.

    scope : {"global", "layer"}, default="global"
        Rank all layers together, or prune each layer by ``sparsity``.
        Global gradient and Taylor scores are divided by their layer's mean
        first (their scale differs from layer to layer), magnitudes are
        compared raw; for neurons every layer's scores are divided by their
        mean, and every layer keeps at least one neuron.

    schedule : {"one-shot", "iterative", "gradual", "lottery", "at-init"}, \
            default="one-shot"
        When to prune:

        - ``"one-shot"``: train, prune once, fine-tune ``finetune_iter``
          epochs;
        - ``"iterative"``: ``n_rounds`` rounds of pruning and fine-tuning,
          reaching the target geometrically: after round ``r`` the sparsity
          is ``1 - (1 - sparsity) ** (r / n_rounds)``;
        - ``"gradual"`` (Zhu & Gupta): prune during training along the cubic
          ramp ``s_t = s_f + (0 - s_f) * (1 - (t - t0) / (t1 - t0)) ** 3``,
          the masks updated every ``ramp_every`` minibatch steps from epoch
          ``ramp_start`` (``t0``) to ``ramp_end`` (``t1``); with ``prefit``
          the ramp runs over ``finetune_iter`` epochs of fine-tuning;
        - ``"lottery"`` (Frankle & Carbin): train, then ``n_rounds`` rounds of
          magnitude pruning after which the surviving weights return to
          their values at initialisation (or after ``rewind_iter`` epochs)
          and the network is retrained in full;
        - ``"at-init"``: score the untrained network on one training batch,
          prune, then train the sparse network from scratch;
          ``criterion="taylor"`` is SNIP's connection sensitivity
          ``|g * w|``.

        Every schedule ends at its target: if training stopped before the
        ramp did, a last pruning and fine-tuning complete it.

    n_rounds : int, default=3
        Rounds of the iterative and lottery schedules.

    finetune_iter : int, default=10
        Fine-tuning epochs after each pruning (0 for none).

    ramp_start : int, default=0
        Gradual schedule: epoch at which pruning starts.

    ramp_end : int, default=None
        Gradual schedule: epoch at which the target is reached; None is
        half of the training epochs.

    ramp_every : int, default=10
        Gradual schedule: minibatch steps between mask updates.

    rewind_iter : int, default=0
        Lottery schedule: epoch whose weights the survivors return to (0 is
        the initialisation).

    prefit : bool, default=False
        ``estimator`` is already fitted: prune it instead of training first
        (not with the lottery and at-init schedules, which need its
        initialisation).

    random_state : int, RandomState instance or None, default=None
        Seeds the random criterion and the fine-tuning's shuffling.

    Attributes
    ----------
    estimator_ : MLPClassifier or MLPRegressor
        The pruned, fine-tuned model; :func:`to_sklearn` exports it.

    masks_ : list of ndarray of bool
        ``estimator_.masks_``: shaped like ``coefs_``, True = kept.

    sparsity_ : dict
        ``"overall"`` and per-layer (``"layers"``) fraction of the weights
        (or hidden neurons) removed.

    history_ : list of dict
        Per round (per mask update for the gradual schedule): ``"round"``,
        ``"sparsity"`` (reached), ``"loss"`` (last epoch) and
        ``"validation_score"`` (the estimator's best validation score when it
        uses early stopping, else None); gradual entries add ``"step"``.

    rewind_coefs_ : list of ndarray
        Lottery schedule: the weights survivors are rewound to.

    init_masks_ : list of ndarray of bool
        At-init schedule: the masks chosen before any training step.

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
    to_sklearn : The pruned model as scikit-learn's, to deploy.

    References
    ----------
    .. [1] S. Han, J. Pool, J. Tran and W. Dally, "Learning both weights and
       connections for efficient neural networks", NeurIPS 2015.
    .. [2] M. Zhu and S. Gupta, "To prune, or not to prune: exploring the
       efficacy of pruning for model compression", 2017.
    .. [3] J. Frankle and M. Carbin, "The lottery ticket hypothesis: finding
       sparse, trainable neural networks", ICLR 2019.
    .. [4] N. Lee, T. Ajanthan and P. Torr, "SNIP: single-shot network pruning
       based on connection sensitivity", ICLR 2019.
    .. [5] P. Molchanov, S. Tyree, T. Karras, T. Aila and J. Kautz, "Pruning
       convolutional neural networks for resource efficient inference",
       ICLR 2017.

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
        # "N:M" strings are checked when fitting.
        "granularity": [str],
        "criterion": [StrOptions(set(NEURON_CRITERIA))],
        "scope": [StrOptions({"global", "layer"})],
        "schedule": [StrOptions(set(SCHEDULES))],
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
        "finetune_iter": [Interval(Integral, 0, None, closed="left")],
        "ramp_start": [Interval(Integral, 0, None, closed="left")],
        "ramp_end": [Interval(Integral, 1, None, closed="left"), None],
        "ramp_every": [Interval(Integral, 1, None, closed="left")],
        "rewind_iter": [Interval(Integral, 0, None, closed="left")],
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
        ramp_start=0,
        ramp_end=None,
        ramp_every=10,
        rewind_iter=0,
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
        self.ramp_start = ramp_start
        self.ramp_end = ramp_end
        self.ramp_every = ramp_every
        self.rewind_iter = rewind_iter
        self.prefit = prefit
        self.random_state = random_state

    def _schedule(self):
        """Sparsity to reach after each round."""
        if self.schedule in ("one-shot", "at-init", "gradual"):
            return [self.sparsity]
        rounds = np.arange(1, self.n_rounds + 1)
        return list(1 - (1 - self.sparsity) ** (rounds / self.n_rounds))

    def _check_combination(self):
        n_m = parse_n_m(self.granularity)
        if self.granularity == "neuron" and self.schedule not in (
            "one-shot",
            "iterative",
        ):
            raise ValueError(
                "granularity='neuron' removes neurons between trainings; it works "
                "with the 'one-shot' and 'iterative' schedules."
            )
        if n_m is not None and self.schedule not in ("one-shot", "at-init"):
            raise ValueError(
                "An N:M pattern is reached in one step; it works with the "
                "'one-shot' and 'at-init' schedules."
            )
        if self.granularity != "neuron" and self.criterion not in WEIGHT_CRITERIA:
            raise ValueError(
                f"criterion={self.criterion!r} scores neurons; with granularity="
                f"{self.granularity!r} choose from {WEIGHT_CRITERIA}."
            )
        solver = self.estimator.get_params().get("solver")
        if self.schedule == "gradual" and solver == "lbfgs":
            raise ValueError(
                "schedule='gradual' prunes between minibatch steps, which "
                "solver='lbfgs' does not take; use 'adam' or 'sgd', or another "
                "schedule."
            )
        if self.prefit and self.schedule in ("lottery", "at-init"):
            raise ValueError(
                f"schedule={self.schedule!r} needs the network's initial weights; "
                "it cannot start from a prefit model."
            )
        return n_m

    def _start(self, X, y):
        if self.prefit:
            return to_skprune_mlp(self.estimator)
        # A scikit-learn MLP is trained by scikit-learn, then converted.
        return to_skprune_mlp(clone(self.estimator).fit(X, y))

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Train (unless ``prefit``), prune and fine-tune along the schedule.

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
            multi_output=True,
            y_numeric=not is_classifier(self.estimator),
            dtype=(np.float64, np.float32),
        )
        return self._fit(X, y)

    def _fit(self, X, y, on_round=None):
        """Everything ``fit`` does after validating the input.

        ``on_round(round, model)`` (one-shot and iterative schedules) sees the
        trained network as round 0 and the pruned one after every round;
        :class:`MLPPrunerCV` keeps those checkpoints.
        """
        self._n_m = self._check_combination()
        rng = check_random_state(self.random_state)
        self.history_ = []
        if self.schedule in ("one-shot", "iterative"):
            self.estimator_ = self._run_rounds(X, y, rng, on_round)
        else:
            run = {
                "gradual": self._run_gradual,
                "lottery": self._run_lottery,
                "at-init": self._run_at_init,
            }[self.schedule]
            self.estimator_ = run(X, y, rng)
        self.sparsity_ = self._reached(self.estimator_)
        del self._hidden_sizes, self._n_m
        return self

    def _run_rounds(self, X, y, rng, on_round=None):
        """One-shot and iterative: prune, fine-tune, repeat."""
        model = self._start(X, y)
        self._check_features(model, X)
        Xe, Y = X, model._encode_targets(y)
        if on_round is not None:
            on_round(0, model)
        for round_, target in enumerate(self._schedule(), start=1):
            self._prune(model, target, rng, Xe, Y)
            if self.finetune_iter > 0:
                model._train(Xe, Y, self.finetune_iter, rng)
            self._record(model, round_)
            if on_round is not None:
                on_round(round_, model)
        return model

    def _run_gradual(self, X, y, rng):
        if self.prefit:
            model = self._start(X, y)
            self._check_features(model, X)
            Xe, Y = X, model._encode_targets(y)
            model_rng, epochs = rng, self.finetune_iter
        else:
            model = unfitted_skprune_mlp(self.estimator)
            Xe, Y, model_rng = model._start_training(X, y)
            self._hidden_sizes = [W.shape[1] for W in model.coefs_[:-1]]
            epochs = model.max_iter
        steps_per_epoch = -(-Xe.shape[0] // batch_size(model, Xe.shape[0]))
        t0 = self.ramp_start * steps_per_epoch
        t1 = (
            self.ramp_end if self.ramp_end is not None else max(1, epochs // 2)
        ) * steps_per_epoch
        if t1 <= t0:
            raise ValueError(
                f"The ramp ends (epoch {t1 // steps_per_epoch}) before it starts "
                f"(epoch {self.ramp_start})."
            )

        def update_masks(epoch, step):
            if step < t0 or step > t1 or ((step - t0) % self.ramp_every and step != t1):
                return False
            target = self.sparsity * (1 - (1 - (step - t0) / (t1 - t0)) ** 3)
            self._prune(model, target, rng, Xe, Y)
            self._record(model, len(self.history_) + 1, step=step)
            return True

        model._train(Xe, Y, epochs, model_rng, callback=update_masks)
        self._complete(model, rng, Xe, Y)
        return model

    def _run_lottery(self, X, y, rng):
        model = unfitted_skprune_mlp(self.estimator)
        Xe, Y, model_rng = model._start_training(X, y)
        self._hidden_sizes = [W.shape[1] for W in model.coefs_[:-1]]
        rewind = min(self.rewind_iter, model.max_iter)
        if rewind:
            model._train(Xe, Y, rewind, model_rng)
        self.rewind_coefs_ = [W.copy() for W in model.coefs_]
        rewind_intercepts = [b.copy() for b in model.intercepts_]
        model._train(Xe, Y, model.max_iter - rewind, model_rng)
        for round_, target in enumerate(self._schedule(), start=1):
            self._prune(model, target, rng, Xe, Y)
            # The winning ticket: survivors back to their early values.
            model.coefs_ = [
                W * mask
                for W, mask in zip(self.rewind_coefs_, model.masks_, strict=True)
            ]
            model.intercepts_ = [b.copy() for b in rewind_intercepts]
            model._train(Xe, Y, model.max_iter - rewind, model_rng)
            self._record(model, round_)
        return model

    def _run_at_init(self, X, y, rng):
        model = unfitted_skprune_mlp(self.estimator)
        Xe, Y, model_rng = model._start_training(X, y)
        self._hidden_sizes = [W.shape[1] for W in model.coefs_[:-1]]
        batch = rng.permutation(Xe.shape[0])[: batch_size(model, Xe.shape[0])]
        self.init_masks_ = self._prune(model, self.sparsity, rng, Xe[batch], Y[batch])
        model._train(Xe, Y, model.max_iter, model_rng)
        self._record(model, 1)
        return model

    def _complete(self, model, rng, Xe, Y):
        """Reach the target if training stopped before the schedule did."""
        if self._reached(model)["overall"] < self.sparsity - 1e-3:
            self._prune(model, self.sparsity, rng, Xe, Y)
            if self.finetune_iter > 0:
                model._train(Xe, Y, self.finetune_iter, rng)
            self._record(model, len(self.history_) + 1)

    def _check_features(self, model, X):
        if model.n_features_in_ != X.shape[1]:
            raise ValueError(
                f"X has {X.shape[1]} features, but the prefit estimator is "
                f"expecting {model.n_features_in_} features as input."
            )
        if not hasattr(self, "_hidden_sizes"):
            self._hidden_sizes = [W.shape[1] for W in model.coefs_[:-1]]

    def _record(self, model, round_, **extra):
        self.history_.append(
            {
                "round": round_,
                **extra,
                "sparsity": self._reached(model)["overall"],
                "loss": float(getattr(model, "loss_", np.nan)),
                "validation_score": getattr(model, "best_validation_score_", None)
                if model.early_stopping
                else None,
            }
        )

    def _prune(self, model, target, rng, X, Y):
        """Prune ``model`` to ``target``; returns the new weight masks."""
        if self.granularity != "neuron":
            scores = weight_scores(model, self.criterion, rng, X, Y, self.scope)
            masks = (
                n_m_masks(scores, *self._n_m)
                if self._n_m is not None
                else weight_masks(scores, target, self.scope)
            )
            apply_weight_masks(model, masks)
            return masks
        scores = neuron_scores(model, self.criterion, rng, X, Y)
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
        return model.masks_

    def _reached(self, model):
        if self.granularity != "neuron":
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

    @available_if(estimator_has("predict"))
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
        # Validated once, here: the pruned model does not check X again.
        return self.estimator_._predict(X, check_input=False)

    @available_if(estimator_has("predict_proba"))
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
        return self.estimator_._predict_proba(X, check_input=False)

    @available_if(estimator_has("score"))
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
        y_pred = self.predict(X)
        metric = accuracy_score if is_classifier(self.estimator_) else r2_score
        return metric(y, y_pred)

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
