"""What a user feels of a fitted method: the deployable model, its size, speed."""

import pickle
import time

import numpy as np
from sklearn.pipeline import Pipeline

from ..metrics import model_size
from ..neural import MLPPruner


def deployable(model):
    """The model a user ships: no search object, no original model inside.

    ``best_estimator_`` of a search or a ``*CV`` pruner, ``estimator_`` of
    an :class:`~skprune.neural.MLPPruner` (the pruned network), and in a
    pipeline the same for its last step.
    """
    if isinstance(model, Pipeline):
        *steps, (name, last) = model.steps
        return Pipeline([*steps, (name, deployable(last))])
    if hasattr(model, "best_estimator_"):
        return deployable(model.best_estimator_)
    if isinstance(model, MLPPruner):
        return model.estimator_
    return model


def deployed_size(deployed):
    """:func:`~skprune.metrics.model_size` of a deployable model.

    ``bytes`` is the length of its pickle, what a deployment stores and
    loads.
    """
    final = deployed[-1] if isinstance(deployed, Pipeline) else deployed
    size = model_size(final)
    size["bytes"] = len(pickle.dumps(deployed, protocol=pickle.HIGHEST_PROTOCOL))
    return size


def predict_microseconds(model, X, repeats=5):
    """Best-of-``repeats`` predict time per sample (the machine is shared)."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        model.predict(X)
        best = min(best, time.perf_counter() - start)
    return 1e6 * best / X.shape[0]
