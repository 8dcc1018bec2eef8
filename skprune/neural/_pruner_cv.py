"""The sparsity of an MLP, chosen by CV from one run of its schedule per fold."""

from copy import deepcopy
from numbers import Real

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils import get_tags

from ..model_selection import BasePrunerCV, PruningPath
from ..utils._sklearn_compat import Interval, StrOptions
from ._pruner import MLPPruner
from ._strategies import resolve


class MLPPrunerCV(BasePrunerCV):
    """Choose an MLP's sparsity by cross-validation, from one run per fold.

    Each fold runs **one** pruning schedule towards ``sparsity``, and every
    checkpoint the schedule passes through is a point of the path, scored on
    the held-out part:

    - ``"iterative"`` (default) and ``"lottery"``: the trained dense network,
      then the network after each of ``n_rounds`` rounds, at sparsities
      ``s_r = 1 - (1 - sparsity) ** (r / n_rounds)``;
    - ``"one-shot"``: the dense network and the pruned one;
    - ``"gradual"``: ``n_rounds`` points evenly spaced in time along the
      cubic ramp, ``sparsity * (1 - (1 - r / n_rounds) ** 3)``, each taken
      when the ramp passes it, the last at the end of training;
    - ``"at-init"``: its one pruned network (a path of one point).

    The rule picks a sparsity; the same run on all data, at that checkpoint,
    gives ``best_estimator_``.

    Parameters
    ----------
    estimator : MLPClassifier or MLPRegressor
        skprune's numpy MLP (or scikit-learn's, trained by scikit-learn and
        converted).

    sparsity : float in (0, 1), default=0.97
        The last, highest sparsity of the path.

    n_rounds : int, default=6
        Pruning rounds of the iterative and lottery schedules (each a point
        of the path, besides the dense network), and the points along the
        gradual ramp; one-shot gives the dense network and the target,
        at-init the target alone.

    granularity : {"weight", "neuron", "layer"}, default="weight"
        What a round prunes; see :class:`MLPPruner`.

    criterion : str, default="magnitude"
        How weights or neurons are scored; see :class:`MLPPruner`.

    scope : {"global", "layer"}, default="global"
        Rank all layers together or each layer alone.

    schedule : {"iterative", "one-shot", "gradual", "lottery", "at-init"}, \
            default="iterative"
        How each fold prunes; see :class:`MLPPruner`.

    finetune_iter : int, default=10
        Fine-tuning epochs after each pruning step; see :class:`MLPPruner`.

    ramp_start, ramp_end, ramp_every : int, int or None, int
        The gradual schedule's ramp; see :class:`MLPPruner`.

    rewind_iter : int, default=0
        The lottery schedule's rewind epoch; see :class:`MLPPruner`.

    distill : float in [0, 1], default=0.0
        Fine-tune towards the dense network's predictions; see
        :class:`MLPPruner`.

    temperature : float > 0, default=4.0
        Distillation temperature; see :class:`MLPPruner`.

    cv : int, cross-validation generator or iterable, default=5
        As in :class:`~sklearn.model_selection.GridSearchCV`.

    scoring : str, callable or None, default=None
        A single scorer; ``None`` uses the estimator's ``score``.

    rule : {"paired", "best", "1se"} or float, default="paired"
        How to choose; see :func:`~skprune.model_selection.select_by_rule`.

    n_jobs : int, default=None
        Number of folds run in parallel (joblib).

    verbose : int, default=0
        Verbosity of the fold loop.

    random_state : int, RandomState instance or None, default=None
        Seeds the criterion's randomness and the fine-tuning's shuffling, the
        same way in every fold and in the final run.

    Attributes
    ----------
    cv_results_ : dict of ndarrays
        One entry per checkpoint: ``param_sparsity``, ``size`` (nonzero
        weights, or weights left after neuron removal, of the run on all
        data), ``split<k>_test_score``, ``mean_test_score``,
        ``std_test_score``, ``rank_test_score``, ``mean_fit_time``,
        ``params``. ``param_sparsity`` is the schedule's target at the
        checkpoint, which an :class:`MLPPruner` given it reaches the same way;
        the network may hold slightly more or fewer (rounding to whole
        weights or neurons; with ``granularity="layer"`` the nearest count
        of layers, so two targets can give the same network).

    best_index_ : int
        Index of the chosen checkpoint.

    best_params_ : dict
        ``{"sparsity": s}``.

    best_score_ : float
        Mean score of the chosen checkpoint.

    best_estimator_ : MLPClassifier or MLPRegressor
        The run on all data at the chosen checkpoint: a pruned, fine-tuned
        MLP, which :func:`to_sklearn` exports to deploy.

    scorer_ : callable
        The scorer used.

    n_splits_ : int
        Number of cross-validation splits.

    classes_ : ndarray of shape (n_classes,)
        Class labels (classifiers only).

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    MLPPruner : Prune to a given sparsity.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skprune.neural import MLPClassifier, MLPPrunerCV
    >>> X, y = load_digits(return_X_y=True)
    >>> mlp = MLPClassifier(hidden_layer_sizes=(32,), max_iter=30, random_state=0)
    >>> search = MLPPrunerCV(mlp, sparsity=0.95, n_rounds=3, cv=3, random_state=0)
    >>> search = search.fit(X / 16, y)
    >>> search.cv_results_["param_sparsity"].round(2).tolist()
    [0.0, 0.63, 0.86, 0.95]
    """

    _parameter_constraints = {
        **BasePrunerCV._parameter_constraints,
        **{
            name: MLPPruner._parameter_constraints[name]
            for name in (
                "n_rounds",
                "criterion",
                "scope",
                "schedule",
                "finetune_iter",
                "ramp_start",
                "ramp_end",
                "ramp_every",
                "rewind_iter",
                "distill",
                "temperature",
                "random_state",
            )
        },
        # One sparsity (the path's last), never one per layer; no N:M path.
        "sparsity": [Interval(Real, 0, 1, closed="neither")],
        "granularity": [StrOptions({"weight", "neuron", "layer"})],
    }

    _path_param = "sparsity"
    _size_label = "nonzero weights"
    _accept_sparse = ["csr", "csc"]

    def __init__(
        self,
        estimator,
        *,
        sparsity=0.97,
        n_rounds=6,
        granularity="weight",
        criterion="magnitude",
        scope="global",
        schedule="iterative",
        finetune_iter=10,
        ramp_start=0,
        ramp_end=None,
        ramp_every=10,
        rewind_iter=0,
        distill=0.0,
        temperature=4.0,
        cv=5,
        scoring=None,
        rule="paired",
        n_jobs=None,
        verbose=0,
        random_state=None,
    ):
        super().__init__(
            estimator,
            cv=cv,
            scoring=scoring,
            rule=rule,
            n_jobs=n_jobs,
            verbose=verbose,
        )
        self.sparsity = sparsity
        self.n_rounds = n_rounds
        self.granularity = granularity
        self.criterion = criterion
        self.scope = scope
        self.schedule = schedule
        self.finetune_iter = finetune_iter
        self.ramp_start = ramp_start
        self.ramp_end = ramp_end
        self.ramp_every = ramp_every
        self.rewind_iter = rewind_iter
        self.distill = distill
        self.temperature = temperature
        self.random_state = random_state

    def _check_estimator(self):
        resolve(self._pruner())

    def _pruner(self):
        """The MLPPruner that one fold's run is: every parameter they share."""
        shared = set(MLPPruner._get_param_names()) & set(self._get_param_names())
        return MLPPruner(**{name: getattr(self, name) for name in shared})

    def fit(self, X, y, sample_weight=None):
        """Score every checkpoint of the schedule's run by CV and pick one.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of every run (sliced per fold, as :class:`MLPPruner`
            uses them) and of the scorer on the held-out part, as
            ``GridSearchCV`` does.

        Returns
        -------
        self : object
            Fitted pruner.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _checkpoints(self, X, y, sample_weight=None):
        """A copy of the network at every checkpoint of one run.

        X and y are the engine's validated arrays (or their fold slices).
        """
        checkpoints = []
        self._pruner()._fit(
            X,
            y,
            on_checkpoint=lambda _, model: checkpoints.append(deepcopy(model)),
            sample_weight=sample_weight,
        )
        return checkpoints

    def _path(self, X, y, sample_weight=None, **fit_params):
        if fit_params:
            raise TypeError(
                "MLPPrunerCV.fit takes no fit parameters but sample_weight; got "
                f"{sorted(fit_params)}."
            )
        checkpoints = self._checkpoints(X, y, sample_weight)
        sparsities = resolve(self._pruner()).schedule.path(self.sparsity)
        sizes = [
            sum(np.count_nonzero(W) for W in model.coefs_) for model in checkpoints
        ]
        return PruningPath(
            values=np.asarray(sparsities), sizes=np.asarray(sizes), model=checkpoints
        )

    def _fit_fold(self, X, y, sample_weight=None):
        return self._checkpoints(X, y, sample_weight)

    def _score_path(self, fold_model, X, y, values, scorer, score_params):
        return np.array([scorer(model, X, y, **score_params) for model in fold_model])

    def _fit_best(self, X, y, path, index, **fit_params):
        return path.model[index]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = not is_classifier(self.estimator) and (
            get_tags(self.estimator).target_tags.multi_output
        )
        return tags
