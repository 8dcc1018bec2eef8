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
        How the row is labelled, scikit-learn style where it is one call
        (``"CostComplexityPrunerCV(rule='best')"``).
    fit : callable
        ``fit(X, y) -> fitted estimator``: the whole method, including any
        inner cross-validation it does to choose its pruning. A
        ``GridSearchCV`` row returns a
        :class:`~skprune.benchmark._baselines.GridSearchFit`, which says how
        to time it.
    description : str
        One sentence for the report's glossary: what the method does and
        what differs from the rows it is compared with.
    role : {"reference", "baseline", "skprune"}, default="skprune"
        ``"reference"`` is the unpruned model every Δ and "% kept" is
        measured against (one per task); ``"baseline"`` is what users would
        use instead; only ``"skprune"`` rows are recommended.
    support : callable, default=None
        ``support(fitted) -> boolean mask`` of the features the method kept,
        for datasets whose informative features are known.
    same_choice_as : str, default=None
        Name of the row that searches the same candidates with the same
        rule by refitting (``GridSearchCV``, ``RFECV``): the report shows
        how many times faster this one fits.
    """

    name: str
    fit: Callable
    description: str
    role: str = "skprune"
    support: Callable = None
    same_choice_as: str = None


@dataclass
class Task:
    """Methods compared on one dataset, and the pruner whose curve is drawn.

    Attributes
    ----------
    methods : list of Method
        Exactly one of them has ``role="reference"``.
    unit : str
        The :func:`~skprune.metrics.model_size` entry that measures the size
        ("leaves", "trees", "rounds", "features", "nonzero_parameters").
    curve : callable, default=None
        ``curve() -> unfitted *CV pruner`` (or a pipeline ending with one)
        whose pruning curve on all data is saved as a PNG.
    label : str, default=""
        Tells apart several tasks of one family on one dataset.
    also_report : tuple of str, default=()
        Further :func:`~skprune.metrics.model_size` entries to show.
    allow_nan : bool, default=False
        Every method accepts missing values; otherwise they are imputed
        before the methods see the data (user data only).
    """

    methods: list
    unit: str
    curve: Callable = None
    label: str = ""
    also_report: tuple = ()
    allow_nan: bool = False


@dataclass
class Family:
    """A family's task builder and the bundled datasets it runs on.

    Attributes
    ----------
    name : str
    tasks : callable
        ``tasks(dataset, scope) -> list of Task`` for one
        :class:`~skprune.benchmark._datasets.Dataset`.
    datasets : dict
        Scope -> names of the bundled datasets the family runs on.
    """

    name: str
    tasks: Callable
    datasets: dict


def register_family(name, datasets):
    """Decorator: register ``tasks(dataset, scope) -> list of Task``.

    Parameters
    ----------
    name : str
        The family's name on the command line (``--family``).
    datasets : dict
        Scope -> names of the bundled datasets the family runs on.
    """

    def decorator(tasks):
        _FAMILIES[name] = Family(name, tasks, datasets)
        return tasks

    return decorator


def families():
    """Registered families by name, importing the built-in ones first."""
    from . import _boosting, _forest, _linear, _neural, _tree  # noqa: F401

    return dict(sorted(_FAMILIES.items()))
