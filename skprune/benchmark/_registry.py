"""Families register the benchmark tasks they contribute here."""

from collections.abc import Callable
from dataclasses import dataclass

_FAMILIES = {}
SCOPES = ("quick", "default", "full")


@dataclass
class Method:
    """One row of the benchmark table.

    Attributes
    ----------
    name : str
        How the row is labelled ("unpruned tree", "skprune 1-SE", ...).
    fit : callable
        ``fit(X, y) -> fitted estimator``: the whole method, including any
        inner cross-validation it does to choose its pruning.
    support : callable, default=None
        ``support(fitted) -> boolean mask`` of the features the method kept,
        for datasets whose informative features are known.
    """

    name: str
    fit: Callable
    support: Callable = None


@dataclass
class Task:
    """Methods compared on one dataset, and the pruner whose curve is drawn.

    Attributes
    ----------
    dataset : str
        A name known to ``skprune.benchmark._datasets``.
    methods : list of Method
    curve : callable, default=None
        ``curve() -> unfitted *CV pruner`` whose pruning curve on all data is
        saved as a PNG.
    size_key : str
        The :func:`~skprune.metrics.model_size` entry shown as "size".
    label : str, default=""
        Tells apart several tasks of one family on one dataset (curve names).
    also_report : tuple of str, default=()
        Further :func:`~skprune.metrics.model_size` entries to show.
    """

    dataset: str
    methods: list
    size_key: str
    curve: Callable = None
    label: str = ""
    also_report: tuple = ()


def register_family(name):
    """Decorator: ``tasks(scope) -> list of Task`` for the family ``name``."""

    def decorator(tasks):
        _FAMILIES[name] = tasks
        return tasks

    return decorator


def families():
    """Registered families, importing the built-in ones first."""
    from . import _boosting, _forest, _linear, _neural, _tree  # noqa: F401

    return dict(_FAMILIES)
