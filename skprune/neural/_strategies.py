"""An MLPPruner's strategies, combined: the one place combinations are refused.

:func:`resolve` maps the pruner's string parameters to a criterion
(:mod:`._criteria`), a granularity (:mod:`._granularities`) and a schedule
(:mod:`._schedules`), and refuses, before anything is trained, every
combination that cannot work. :class:`PruningJob` is one fit's working state
-- the data, the randomness, the reference sizes, the history -- which the
schedule drives, so that nothing transient is ever written on the pruner.
"""

from dataclasses import dataclass
from numbers import Real

import numpy as np
from scipy.special import expit, softmax
from sklearn.base import clone
from sklearn.utils import check_random_state

from ..utils._prefit import check_prefit_targets
from ._base import ACTIVATIONS
from ._convert import to_skprune_mlp, unfitted_skprune_mlp
from ._criteria import CRITERIA, PruningData, criterion_names
from ._granularities import PruningContext, granularity_from, layers_to_remove
from ._schedules import SCHEDULES

LEVELS = ("weight", "neuron", "layer")


@dataclass(frozen=True)
class Strategies:
    """The three objects a pruner combines."""

    criterion: object
    granularity: object
    schedule: object


def _hidden_sizes(estimator, prefit):
    """The hidden layer sizes the pruner will start from."""
    if prefit and hasattr(estimator, "coefs_"):
        return [W.shape[1] for W in estimator.coefs_[:-1]]
    # Raises TypeError for a model that is not an MLP.
    sizes = unfitted_skprune_mlp(estimator).hidden_layer_sizes
    return list(sizes) if np.iterable(sizes) else [sizes]


def resolve(pruner):
    """The strategies of ``pruner``; ValueError for a combination that cannot work."""
    granularity = granularity_from(pruner.granularity)
    criterion = CRITERIA[pruner.criterion]
    schedule = SCHEDULES[pruner.schedule](pruner)
    g, s = pruner.granularity, pruner.schedule
    if not criterion.scores(granularity.level):
        levels = " and ".join(f"{lv}s" for lv in LEVELS if criterion.scores(lv))
        raise ValueError(
            f"criterion={pruner.criterion!r} scores {levels}; with granularity="
            f"{g!r} choose from {criterion_names(granularity.level)}."
        )
    if granularity.reshapes and (schedule.prunes_while_training or schedule.rewinds):
        raise ValueError(
            f"granularity={g!r} removes {granularity.level}s between trainings; it "
            "works with the 'one-shot', 'iterative' and 'at-init' schedules."
        )
    if granularity.fixed_pattern and schedule.ramps:
        raise ValueError(
            "An N:M pattern is reached in one step; it works with the "
            "'one-shot' and 'at-init' schedules."
        )
    params = pruner.estimator.get_params()
    if schedule.prunes_while_training and params.get("solver") == "lbfgs":
        raise ValueError(
            f"schedule={s!r} prunes between minibatch steps, which "
            "solver='lbfgs' does not take; use 'adam' or 'sgd', or another "
            "schedule."
        )
    if schedule.prunes_while_training and params.get("early_stopping"):
        raise ValueError(
            f"schedule={s!r} prunes while training, and early stopping would "
            "restore the weights of its best epoch, from before later pruning "
            "steps; set early_stopping=False on the estimator, or use another "
            "schedule."
        )
    if schedule.rewinds and pruner.rewind_iter > params.get("max_iter", np.inf):
        raise ValueError(
            f"rewind_iter={pruner.rewind_iter} rewinds past the end of training: "
            f"each round retrains max_iter - rewind_iter epochs (max_iter="
            f"{params.get('max_iter')}); use rewind_iter <= max_iter."
        )
    if pruner.prefit and schedule.starts_untrained:
        raise ValueError(
            f"schedule={s!r} needs the network's initial weights; it cannot start "
            "from a prefit model."
        )
    if pruner.distill > 0:
        _check_distillation(pruner, schedule, params)
    hidden = _hidden_sizes(pruner.estimator, pruner.prefit)
    if granularity.level == "layer" and len(hidden) < 2:
        raise ValueError(
            "granularity='layer' removes whole hidden layers and keeps at least "
            f"one; the network has {len(hidden)} (hidden_layer_sizes={tuple(hidden)})."
        )
    if granularity.level == "neuron" and not hidden:
        raise ValueError(
            f"granularity={g!r} removes hidden neurons, and the network has no "
            "hidden layer (hidden_layer_sizes=())."
        )
    if not isinstance(pruner.sparsity, Real):
        _check_layer_targets(pruner, granularity, hidden)
    elif granularity.level == "layer":
        _check_layer_removal(pruner, hidden)
    return Strategies(criterion, granularity, schedule)


def _check_distillation(pruner, schedule, params):
    if not schedule.passes_dense(pruner.prefit):
        raise ValueError(
            f"distill={pruner.distill} fine-tunes towards the dense network's "
            f"predictions, and schedule={pruner.schedule!r} "
            f"{'without prefit ' if pruner.schedule == 'gradual' else ''}never "
            "trains a dense network to learn from; use distill=0, or a schedule "
            "that prunes a trained network."
        )
    if params.get("early_stopping"):
        raise ValueError(
            f"distill={pruner.distill} trains on soft targets, while early "
            "stopping scores its held-out part against them; set "
            "early_stopping=False on the estimator, or distill=0."
        )


def _check_layer_removal(pruner, hidden):
    """A fraction of the hidden layers that removes at least one."""
    if pruner.scope == "layer":
        raise ValueError(
            "granularity='layer' removes a fraction of the hidden layers, so it "
            "has no per-layer scope; use scope='global'."
        )
    # 0 asks for nothing (a grid's baseline); a small target asks for a
    # removal it would not make.
    if pruner.sparsity > 0 and not layers_to_remove(pruner.sparsity, len(hidden)):
        raise ValueError(
            f"sparsity={pruner.sparsity} of {len(hidden)} hidden layers removes "
            f"none; granularity='layer' needs at least {0.5 / len(hidden):.3g}."
        )


def _check_layer_targets(pruner, granularity, hidden):
    """One target per weight matrix (or hidden layer), each in [0, 1)."""
    # "array-like" also lets a set or a dict through, which have no order.
    sequence = isinstance(pruner.sparsity, list | tuple | np.ndarray)
    if (
        not sequence
        or np.ndim(pruner.sparsity) == 0
        or not all(
            isinstance(t, Real) and not isinstance(t, bool)
            for t in np.ravel(pruner.sparsity)
        )
    ):
        raise ValueError(
            "sparsity must be a float in [0, 1) or a list of them, one per "
            f"layer; got {pruner.sparsity!r}."
        )
    if pruner.scope != "layer" or granularity.name not in ("weight", "neuron"):
        raise ValueError(
            "A sequence of sparsities gives one target per layer: it needs "
            "scope='layer' and granularity 'weight' or 'neuron'; got "
            f"scope={pruner.scope!r}, granularity={pruner.granularity!r}."
        )
    names = granularity.layer_names(hidden)
    targets = np.asarray(pruner.sparsity, dtype=float)
    if targets.ndim != 1 or len(targets) != len(names):
        raise ValueError(
            f"sparsity has {np.size(targets)} values; granularity="
            f"{pruner.granularity!r} on this network needs one per layer, "
            f"{len(names)}: {', '.join(names)}."
        )
    for name, target in zip(names, targets, strict=True):
        if not 0 <= target < 1:
            raise ValueError(f"sparsity of {name} is {target}; each must be in [0, 1).")


def soft_targets(model, X, temperature):
    """The dense model's outputs to learn from; classifiers' at ``temperature``."""
    hidden = model._forward(X)[-2]
    logits = hidden @ model.coefs_[-1]
    logits += model.intercepts_[-1]
    if model.out_activation_ == "softmax":
        return softmax(logits / temperature, axis=1)
    if model.out_activation_ == "logistic":
        return expit(logits / temperature)
    return ACTIVATIONS[model.out_activation_](logits)


class PruningJob:
    """One fit's working state, driven by the schedule.

    Parameters
    ----------
    pruner : MLPPruner
        Its parameters are read, never written.
    strategies : Strategies
        From :func:`resolve`.
    X, y : arrays
        The validated training data.
    on_checkpoint : callable, default=None
        ``on_checkpoint(sparsity, model)`` at every checkpoint the schedule
        passes through (:class:`MLPPrunerCV` keeps copies).
    sample_weight : ndarray of shape (n_samples,), default=None
        Validated weights, for every training run and the gradient criteria.
    """

    def __init__(
        self, pruner, strategies, X, y, on_checkpoint=None, sample_weight=None
    ):
        self.estimator, self.prefit = pruner.estimator, pruner.prefit
        sparsity = pruner.sparsity
        self.sparsity = (
            np.asarray(sparsity, dtype=float) if np.ndim(sparsity) else sparsity
        )
        self.scope, self.finetune_iter = pruner.scope, pruner.finetune_iter
        self.distill, self.temperature = pruner.distill, pruner.temperature
        self.criterion = strategies.criterion
        self.granularity = strategies.granularity
        self.schedule = strategies.schedule
        self.rng = check_random_state(pruner.random_state)
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.on_checkpoint = on_checkpoint
        self.history = []
        #: Fitted attributes a schedule adds (``rewind_coefs_``, ``init_masks_``).
        self.attributes = {}

    @property
    def wants_checkpoints(self):
        return self.on_checkpoint is not None

    # -- the network to prune --------------------------------------------------

    def trained(self):
        """The prefit model (a copy), or the estimator trained on the data."""
        if self.prefit:
            model = to_skprune_mlp(self.estimator)
            check_prefit_targets(model, self.y)
        else:
            # A scikit-learn MLP is trained by scikit-learn, then converted.
            dense = clone(self.estimator)
            model = to_skprune_mlp(
                dense.fit(self.X, self.y, sample_weight=self.sample_weight)
            )
        if model.n_features_in_ != self.X.shape[1]:
            raise ValueError(
                f"X has {self.X.shape[1]} features, but the prefit estimator is "
                f"expecting {model.n_features_in_} features as input."
            )
        self._begin(model, self.X, model._encode_targets(self.y))
        self.dense_trained(model)
        return model

    def untrained(self):
        """The estimator initialised, not trained, and the random state its
        training continues to draw from."""
        model = unfitted_skprune_mlp(self.estimator)
        X, Y, model_rng = model._start_training(self.X, self.y)
        self._begin(model, X, Y)
        return model, model_rng

    def _begin(self, model, X, Y):
        self.data = PruningData(X, Y, self.sample_weight)
        self.reference = self.granularity.units(model)
        self.train_targets = Y

    def dense_trained(self, model):
        """The dense network is trained: training from now on may learn from it."""
        if self.distill > 0:
            soft = soft_targets(model, self.data.X, self.temperature)
            self.train_targets = (1 - self.distill) * self.data.Y + self.distill * soft
        self.checkpoint(0.0, model)

    # -- the steps a schedule takes --------------------------------------------

    def prune(self, model, target, data=None):
        """Prune ``model`` towards ``target``; returns its weight masks."""
        data = data if data is not None else self.data
        context = PruningContext(data, self.rng, self.scope, self.reference)
        return self.granularity.prune(model, self.criterion, target, context)

    def train(self, model, epochs, rng, callback=None):
        model._train(
            self.data.X,
            self.train_targets,
            epochs,
            rng,
            sample_weight=self.data.sample_weight,
            callback=callback,
        )

    def finetune(self, model):
        if self.finetune_iter > 0:
            self.train(model, self.finetune_iter, self.rng)

    def complete(self, model, target):
        """Reach ``target`` if training stopped before the schedule did."""
        reached = self.reached(model)
        if np.ndim(target):
            short = np.any(np.asarray(reached["layers"]) < target - 1e-3)
        else:
            short = reached["overall"] < target - 1e-3
        if short:
            self.prune(model, target)
            self.finetune(model)
            self.record(model, len(self.history) + 1)

    def reached(self, model):
        return self.granularity.reached(model, self.reference)

    def record(self, model, round_, **extra):
        self.history.append(
            {
                "round": round_,
                **extra,
                "sparsity": self.reached(model)["overall"],
                "loss": float(getattr(model, "loss_", np.nan)),
                "validation_score": getattr(model, "best_validation_score_", None)
                if model.early_stopping
                else None,
            }
        )

    def checkpoint(self, sparsity, model):
        if self.on_checkpoint is not None:
            self.on_checkpoint(sparsity, model)
