"""Prune a numpy MLP: a criterion, a granularity and a schedule, combined.

The string parameters name the strategies (:mod:`._criteria`,
:mod:`._granularities`, :mod:`._schedules`); :func:`._strategies.resolve`
builds them and refuses what cannot work, and the schedule drives one fit
through a :class:`._strategies.PruningJob`.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, is_classifier
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._delegation import estimator_has
from ..utils._feature_names import carry_feature_names
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
)
from ._criteria import CRITERIA
from ._mlp_base import check_weight_sum
from ._schedules import SCHEDULE_ATTRIBUTES, SCHEDULES
from ._strategies import PruningJob, resolve


class MLPPruner(MetaEstimatorMixin, BaseEstimator):
    """Prune a multi-layer perceptron's weights, neurons or layers, then fine-tune.

    Parameters
    ----------
    estimator : MLPClassifier or MLPRegressor
        skprune's numpy MLP, or with ``prefit=True`` a fitted one of skprune
        or of ``sklearn.neural_network`` (converted before pruning, with
        every setting and identical predictions; scikit-learn's own MLP
        cannot hold masks). The given model is never modified. Deploy the
        pruned ``estimator_`` with :func:`to_sklearn`.

    sparsity : float in [0, 1) or sequence of floats, default=0.5
        Fraction of the weights (``granularity="weight"``), of the hidden
        neurons (``"neuron"``) or of the hidden layers (``"layer"``) to
        remove. With ``scope="layer"``, a sequence gives one target per
        layer: one per weight matrix (``coefs_[0]``, ``coefs_[1]``...) for
        weights, one per hidden layer for neurons -- as Han et al. keep
        8%/9%/26% of LeNet-300-100's three matrices with ``[0.92, 0.91,
        0.74]``. Not used with an N:M granularity, whose sparsity is
        ``1 - N/M``.

    granularity : {"weight", "neuron", "layer"} or "N:M", default="weight"
        ``"weight"`` zeroes single weights and keeps them zero with masks;
        ``"neuron"`` removes whole hidden neurons -- the column of
        ``coefs_[l]``, the entry of ``intercepts_[l]`` and the row of
        ``coefs_[l + 1]`` -- so the model becomes a smaller dense MLP.
        ``"layer"`` removes whole hidden layers (at least one stays): the
        layer and its two weight matrices become one linear map from its
        input to the next layer's pre-activation, fitted by least squares
        on the training data (all of it, with every schedule; with fewer
        rows than the layer has inputs the fit is the minimum-norm one and
        the criterion cannot rank layers), then the network is fine-tuned.
        ``"N:M"`` (``"2:4"``, ``"1:4"``, ``"4:8"``...) keeps at most N of
        every M consecutive weights along each layer's input dimension (M
        consecutive rows of ``coefs_[l]`` for one output column); when the
        fan-in is not a multiple of M, the trailing group of ``r < M`` rows
        keeps at most N of them.

    criterion : str, default="magnitude"
        ``"magnitude"``: smallest ``|w|``, or for neurons smallest L2 norm
        of the incoming weights (also ``"l1-in"``, ``"l2-in"``,
        ``"l1-out"``, ``"l2-out"``: the L1/L2 norm of the incoming/outgoing
        weights), or for layers the one a linear map replaces best (smallest
        relative least-squares residual). ``"gradient"``: ``|dL/dw|`` and
        ``"taylor"``: ``|w * dL/dw|`` (the first-order estimate of the loss
        change), accumulated over one pass of the training data; for
        neurons, summed over the incoming weights. ``"activation"``
        (neurons): the standard deviation of the neuron's activation on the
        training data times the L2 norm of its outgoing weights -- how much
        of what the next layer receives varies with the input (the mean
        absolute activation, which ranks always-on neurons first, did worse
        than random; see the user guide). Best on digits, it did no better
        than random on 18 other datasets, where the default ``"magnitude"``
        lost less. ``"random"``: the baseline every
        pruning paper compares with. A criterion that cannot score the
        granularity's units is refused.

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
        Rounds of the iterative and lottery schedules; checkpoints along the
        gradual ramp (which :class:`MLPPrunerCV` scores).

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
        the initialisation). Each round retrains ``max_iter - rewind_iter``
        epochs, none when they are equal; larger is refused.

    distill : float in [0, 1], default=0.0
        Knowledge distillation: every training after the dense network is
        trained (fine-tuning, the lottery's retraining) fits ``(1 - distill)
        * y + distill * teacher``, the teacher being the dense network's
        predictions on the training data -- its class probabilities at
        ``temperature`` for classifiers. 0 is off. Needs a schedule that
        trains a dense network first (not ``"at-init"``, nor ``"gradual"``
        without ``prefit``) and an estimator without early stopping.

    temperature : float > 0, default=4.0
        Distillation: the teacher's logits are divided by it before the
        softmax (or logistic), which softens its probabilities so that the
        pruned network learns how the dense one ranks the wrong classes too.
        4 suits iterative fine-tuning on 18 datasets; with the gradual
        schedule's shorter fine-tuning, 1 did better (see the user guide).

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
        (or hidden neurons) removed; for ``granularity="layer"``, the
        fraction of hidden layers removed and ``"layers"`` None.

    history_ : list of dict
        Per round (per mask update for the gradual schedule): ``"round"``,
        ``"sparsity"`` (reached), ``"loss"`` (of the last completed epoch:
        NaN for gradual updates made during the first epoch) and
        ``"validation_score"`` (the estimator's best validation score when it
        uses early stopping, else None); gradual entries add ``"step"``.

    rewind_coefs_ : list of ndarray
        Lottery schedule: the weights survivors are rewound to.

    init_masks_ : list of ndarray of bool
        At-init schedule: the masks chosen before any training step (of the
        smaller network, all True, when neurons or layers were removed).

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
    MLPPrunerCV : Choose the sparsity by cross-validation.
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
    .. [6] G. Hinton, O. Vinyals and J. Dean, "Distilling the knowledge in a
       neural network", 2015.

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

    One target per weight matrix, and whole hidden layers removed:

    >>> deep = MLPClassifier(hidden_layer_sizes=(32, 16, 16), max_iter=50,
    ...                      random_state=0)
    >>> pruner = MLPPruner(deep, sparsity=[0.9, 0.8, 0.8, 0.5], scope="layer")
    >>> [round(s, 2) for s in pruner.fit(X / 16, y).sparsity_["layers"]]
    [0.9, 0.8, 0.8, 0.5]
    >>> pruner = MLPPruner(deep, sparsity=0.34, granularity="layer").fit(X / 16, y)
    >>> len(pruner.estimator_.hidden_layer_sizes)
    2
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        # A sequence (one target per layer) and "N:M" strings are checked
        # with the other strategies, in ``resolve``.
        "sparsity": [Interval(Real, 0, 1, closed="left"), "array-like"],
        "granularity": [str],
        "criterion": [StrOptions(set(CRITERIA))],
        "scope": [StrOptions({"global", "layer"})],
        "schedule": [StrOptions(set(SCHEDULES))],
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
        "finetune_iter": [Interval(Integral, 0, None, closed="left")],
        "ramp_start": [Interval(Integral, 0, None, closed="left")],
        "ramp_end": [Interval(Integral, 1, None, closed="left"), None],
        "ramp_every": [Interval(Integral, 1, None, closed="left")],
        "rewind_iter": [Interval(Integral, 0, None, closed="left")],
        "distill": [Interval(Real, 0, 1, closed="both")],
        "temperature": [Interval(Real, 0, None, closed="neither")],
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
        distill=0.0,
        temperature=4.0,
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
        self.distill = distill
        self.temperature = temperature
        self.prefit = prefit
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Train (unless ``prefit``), prune and fine-tune along the schedule.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of every training run (the dense network's, fine-tuning,
            re-training) and of the gradient and Taylor criteria's loss, as
            in the MLP's own ``fit``, and of the least-squares bridges of
            ``granularity="layer"`` (a negative weight counts as 0 there).
            The activation criterion is unweighted.

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
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
            check_weight_sum(sample_weight)
        return self._fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, y, on_checkpoint=None, sample_weight=None):
        """Everything ``fit`` does after validating the input.

        ``on_checkpoint(sparsity, model)`` sees every checkpoint the schedule
        passes through, the trained dense network first where there is one;
        :class:`MLPPrunerCV` scores them.
        """
        job = PruningJob(self, resolve(self), X, y, on_checkpoint, sample_weight)
        # A schedule's own fitted attributes must not outlive a refit with another.
        for name in SCHEDULE_ATTRIBUTES:
            self.__dict__.pop(name, None)
        self.estimator_ = job.schedule.run(job)
        carry_feature_names(self, self.estimator_)
        self.history_ = job.history
        self.sparsity_ = job.reached(self.estimator_)
        for name, value in job.attributes.items():
            setattr(self, name, value)
        return self

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
    def score(self, X, y, sample_weight=None):
        """Score of the pruned model (accuracy or R²).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.
        y : array-like
            True targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, as in the MLP's own ``score``.

        Returns
        -------
        score : float
            The pruned model's score.
        """
        y_pred = self.predict(X)
        metric = accuracy_score if is_classifier(self.estimator_) else r2_score
        return metric(y, y_pred, sample_weight=sample_weight)

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
