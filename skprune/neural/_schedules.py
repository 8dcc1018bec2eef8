"""Schedules: when to prune and how much.

A schedule has one interface:

- ``targets(sparsity)``: the sparsity reached at each of its checkpoints
  after the dense network (element-wise for per-layer targets);
- ``passes_dense(prefit)``: whether it passes through a trained dense
  network first -- the path's point 0 and the teacher of distillation;
- ``run(job)``: train and prune through a :class:`._strategies.PruningJob`,
  calling ``job.checkpoint`` at every target (``job.trained`` and
  ``job.dense_trained`` checkpoint the dense network), and return the pruned
  model.

Its class attributes tell :func:`._strategies.resolve` what it can be
combined with: ``prunes_while_training`` (masks change between minibatch
steps), ``starts_untrained`` (needs the network's initial weights, so no
prefit model), ``rewinds`` (puts initial weights back under the masks, so
the shapes must not change), ``ramps`` (several sparsities on the way to
the target).
"""

import numpy as np

from ._training import batch_size


def _geometric(sparsity, n_rounds):
    """``1 - (1 - s) ** (r / n)``: each round prunes the same share of what is left."""
    return [1 - (1 - sparsity) ** (r / n_rounds) for r in range(1, n_rounds + 1)]


class Schedule:
    """Base class: the attributes :func:`._strategies.resolve` reads."""

    name = None
    prunes_while_training = False
    starts_untrained = False
    rewinds = False
    ramps = False

    def passes_dense(self, prefit):
        return True

    def path(self, sparsity, prefit=False):
        """Every checkpoint's sparsity, the dense network's 0 included."""
        dense = [0.0] if self.passes_dense(prefit) else []
        return [*dense, *self.targets(sparsity)]


class OneShot(Schedule):
    """Train, prune once, fine-tune."""

    name = "one-shot"

    def targets(self, sparsity):
        return [sparsity]

    def run(self, job):
        model = job.trained()
        for round_, target in enumerate(self.targets(job.sparsity), start=1):
            job.prune(model, target)
            job.finetune(model)
            job.record(model, round_)
            job.checkpoint(target, model)
        return model


class Iterative(OneShot):
    """``n_rounds`` of pruning and fine-tuning, geometric towards the target."""

    name = "iterative"
    ramps = True

    def __init__(self, n_rounds):
        self.n_rounds = n_rounds

    def targets(self, sparsity):
        return _geometric(sparsity, self.n_rounds)


class Gradual(Schedule):
    """Zhu & Gupta: masks follow a cubic ramp between minibatch steps.

    ``s_t = s_f (1 - (1 - (t - t0) / (t1 - t0)) ** 3)``, updated every
    ``every`` steps from epoch ``start`` (``t0``) to ``end`` (``t1``; None is
    half the epochs). Checkpoints: ``n_checkpoints`` points evenly spaced in
    time along the ramp, the last one at the end of training.
    """

    name = "gradual"
    prunes_while_training = True
    ramps = True

    def __init__(self, start, end, every, n_checkpoints):
        self.start, self.end, self.every = start, end, every
        self.n_checkpoints = n_checkpoints

    def passes_dense(self, prefit):
        return prefit

    def targets(self, sparsity):
        n = self.n_checkpoints
        return [sparsity * (1 - (1 - k / n) ** 3) for k in range(1, n + 1)]

    def run(self, job):
        if job.prefit:
            model = job.trained()
            model_rng, epochs = job.rng, job.finetune_iter
        else:
            model, model_rng = job.untrained()
            epochs = model.max_iter
        n_samples = job.data.X.shape[0]
        steps_per_epoch = -(-n_samples // batch_size(model, n_samples))
        t0 = self.start * steps_per_epoch
        t1 = (self.end if self.end is not None else max(1, epochs // 2)) * (
            steps_per_epoch
        )
        if t1 <= t0:
            end = (
                f"ramp_end={self.end}"
                if self.end is not None
                else f"ramp_end=None, half of the {epochs} training epochs"
            )
            raise ValueError(
                f"The gradual ramp must end after it starts: ramp_start="
                f"{self.start} is not before the end, epoch {t1 // steps_per_epoch} "
                f"({end})."
            )
        targets = self.targets(job.sparsity)
        # Checkpoints before the last, taken when the ramp passes them.
        pending = list(range(len(targets) - 1))

        def update_masks(epoch, step):
            if step < t0 or step > t1 or ((step - t0) % self.every and step != t1):
                return False
            progress = (step - t0) / (t1 - t0)
            job.prune(model, job.sparsity * (1 - (1 - progress) ** 3))
            job.record(model, len(job.history) + 1, step=step)
            while pending and (pending[0] + 1) / self.n_checkpoints <= progress:
                job.checkpoint(targets[pending.pop(0)], model)
            return True

        job.train(model, epochs, model_rng, callback=update_masks)
        # Training may stop (tol, early stopping) before the ramp does.
        if job.wants_checkpoints:
            for k in pending:
                job.complete(model, targets[k])
                job.checkpoint(targets[k], model)
        job.complete(model, job.sparsity)
        job.checkpoint(targets[-1], model)
        return model


class Lottery(Schedule):
    """Frankle & Carbin: prune, rewind the survivors, retrain; ``n_rounds`` times."""

    name = "lottery"
    starts_untrained = True
    rewinds = True
    ramps = True

    def __init__(self, n_rounds, rewind_iter):
        self.n_rounds, self.rewind_iter = n_rounds, rewind_iter

    def targets(self, sparsity):
        return _geometric(sparsity, self.n_rounds)

    def run(self, job):
        model, model_rng = job.untrained()
        rewind = min(self.rewind_iter, model.max_iter)
        if rewind:
            job.train(model, rewind, model_rng)
        rewind_coefs = [W.copy() for W in model.coefs_]
        rewind_intercepts = [b.copy() for b in model.intercepts_]
        job.train(model, model.max_iter - rewind, model_rng)
        job.dense_trained(model)
        for round_, target in enumerate(self.targets(job.sparsity), start=1):
            job.prune(model, target)
            # The winning ticket: survivors back to their early values.
            model.coefs_ = [
                W * mask for W, mask in zip(rewind_coefs, model.masks_, strict=True)
            ]
            model.intercepts_ = [b.copy() for b in rewind_intercepts]
            job.train(model, model.max_iter - rewind, model_rng)
            job.record(model, round_)
            job.checkpoint(target, model)
        job.attributes["rewind_coefs_"] = rewind_coefs
        return model


class AtInit(Schedule):
    """Score the untrained network on one batch, prune, train from scratch.

    Whole layers are scored on every row instead: a layer's least-squares
    bridge has as many unknowns per output as the layer has inputs, which
    one batch may not outnumber.
    """

    name = "at-init"
    starts_untrained = True

    def passes_dense(self, prefit):
        return False

    def targets(self, sparsity):
        return [sparsity]

    def run(self, job):
        model, model_rng = job.untrained()
        n_samples = job.data.X.shape[0]
        batch = job.rng.permutation(n_samples)[: batch_size(model, n_samples)]
        if job.granularity.level == "layer":
            batch = np.arange(n_samples)
        masks = job.prune(model, job.sparsity, data=job.data.rows(batch))
        job.attributes["init_masks_"] = masks
        job.train(model, model.max_iter, model_rng)
        job.record(model, 1)
        job.checkpoint(job.sparsity, model)
        return model


#: The fitted attributes schedules add to the pruner (``job.attributes``).
SCHEDULE_ATTRIBUTES = ("rewind_coefs_", "init_masks_")

# Each builds its schedule from an MLPPruner's parameters.
SCHEDULES = {
    "one-shot": lambda p: OneShot(),
    "iterative": lambda p: Iterative(p.n_rounds),
    "gradual": lambda p: Gradual(p.ramp_start, p.ramp_end, p.ramp_every, p.n_rounds),
    "lottery": lambda p: Lottery(p.n_rounds, p.rewind_iter),
    "at-init": lambda p: AtInit(),
}
