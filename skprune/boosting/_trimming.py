"""Trimmed copies and round counts, for every registered booster."""

import warnings
from copy import deepcopy

from sklearn.base import clone

from ._registry import get_adapter


def trimmed_copy(model, n_rounds):
    """A deep copy of ``model`` cut to its first ``n_rounds``, or None.

    None when the private attribute a trim writes is gone from the library
    (the compatibility layer has warned); callers with the data refit.
    """
    return get_adapter(model).trim(deepcopy(model), int(n_rounds))


def trimmed_or_refit(model, n_rounds, X, y, fit_params):
    """``model`` cut to ``n_rounds``, or refitted with them if it cannot be cut."""
    trimmed = trimmed_copy(model, n_rounds)
    if trimmed is not None:
        return trimmed
    warnings.warn(
        f"{type(model).__name__} could not be trimmed in place: refitting it "
        f"with {n_rounds} rounds instead.",
        UserWarning,
        stacklevel=3,
    )
    adapter = get_adapter(model)
    refit = clone(model).set_params(**{adapter.rounds_param: int(n_rounds)})
    return adapter.prepare(refit).fit(X, y, **fit_params)


def n_rounds_of(estimator):
    """The number of rounds an unfitted estimator is set to train."""
    adapter = get_adapter(estimator)
    return estimator.get_params()[adapter.rounds_param]
