"""Rows every family builds the same way: plain fits, rules, GridSearchCV."""

import time
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.utils import get_tags

from ._registry import Method

# What each rule does, for the glossary; a rule not listed here (a new
# default, say) is named and pointed to the function that defines it.
_RULES = {
    "paired": "the smallest candidate that a one-sided paired t-test across the "
    "folds (level 0.25) does not find worse than the best, among those within "
    "one standard error of it",
    "best": "the candidate with the best mean CV score, as GridSearchCV picks",
    "1se": "the smallest candidate within one standard error of the best mean "
    "CV score (Breiman's one-standard-error rule)",
}


def fitter(estimator):
    """``fit(X, y)`` of a fresh clone of ``estimator``."""
    return lambda X, y: clone(estimator).fit(X, y)


def allow_nan(*estimators):
    """Whether every estimator accepts missing values (scikit-learn tags)."""
    return all(get_tags(estimator).input_tags.allow_nan for estimator in estimators)


def call(**params):
    """Parameters as they read in a call: ``sparsity=0.9, scope='layer'``."""
    return ", ".join(f"{key}={value!r}" for key, value in params.items())


def rule_methods(pruner, what, wrap=fitter, best=True, same_choice_as=None, **shown):
    """Rows of a skprune pruner with ``rule="best"`` and with its defaults.

    ``rule="best"`` makes the choice ``GridSearchCV`` would make among the
    same candidates; the default row uses whatever rule the pruner defaults
    to, and names it.

    Parameters
    ----------
    pruner : unfitted skprune ``*CV`` pruner
        With the parameters given in ``shown`` set, every other one default.
    what : str
        What the pruner does, the start of the glossary sentence.
    wrap : callable, default=fitter
        ``wrap(pruner) -> fit(X, y)``, to add preprocessing.
    best : bool, default=True
        Include the ``rule="best"`` row.
    same_choice_as : str, default=None
        The name of the ``GridSearchCV`` row the ``rule="best"`` row matches.
    **shown
        The non-default parameters, written in the row's name.
    """
    cls = type(pruner).__name__
    default_rule = pruner.rule
    rows = []
    if best and default_rule != "best":
        rows.append(
            Method(
                f"{cls}({call(**shown, rule='best')})",
                wrap(clone(pruner).set_params(rule="best")),
                f"{what}; picks {_RULES['best']}.",
                same_choice_as=same_choice_as,
            )
        )
    # ForestPrunerCV's "auto" stands for another rule (its fitted ``rule_``);
    # name that one.
    chosen_by = pruner._selection_rule()
    explained = _RULES.get(chosen_by, "see `skprune.model_selection.select_by_rule`")
    if chosen_by != default_rule:
        explained = f"here {chosen_by!r}, {explained}"
    rows.append(
        Method(
            f"{cls}({call(**shown)}) [rule={chosen_by!r}]",
            wrap(pruner),
            f"{what}; its default rule, {default_rule!r}: {explained}.",
        )
    )
    return rows


@dataclass
class GridSearchFit:
    """A fitted ``GridSearchCV`` and what its time must leave out or add.

    Attributes
    ----------
    search : GridSearchCV
        Fitted on ``values`` or an evenly spread subset of them.
    values : ndarray
        Every candidate value of the searched parameter.
    setup : float
        Seconds spent reading the candidates off the training data, which
        is no part of the search.
    """

    search: GridSearchCV
    values: np.ndarray
    setup: float

    @property
    def n_searched(self):
        return len(self.search.cv_results_["params"])

    def times(self, seconds):
        """The measured fit time, and the time over every candidate.

        When only a subset was searched, each candidate's fit and score time
        is fitted by a line in the parameter's value (rounds add time
        linearly; alphas barely change it) and summed over every candidate,
        in place of the measured subset's.
        """
        seconds -= self.setup
        if self.n_searched == len(self.values):
            return seconds, seconds
        results = self.search.cv_results_
        (param,) = self.search.param_grid
        measured = np.asarray(results[f"param_{param}"], dtype=float)
        per_candidate = results["mean_fit_time"] + results["mean_score_time"]
        slope, intercept = np.polyfit(measured, per_candidate, 1)
        estimated = np.maximum(intercept + slope * self.values, per_candidate.min())
        n_splits = self.search.n_splits_
        return seconds, seconds + n_splits * (estimated.sum() - per_candidate.sum())


def pruner_candidates(pruner, param):
    """``candidates(X, y)``: the values a pruner scores, fitted on that data."""
    return lambda X, y: clone(pruner).fit(X, y).cv_results_[f"param_{param}"]


def grid_search(estimator, param, candidates, max_candidates=None, cv=5):
    """``fit(X, y)`` of ``GridSearchCV`` over the candidates a pruner scores.

    Parameters
    ----------
    estimator : estimator object
    param : str
        The parameter searched.
    candidates : callable
        ``candidates(X, y) -> values`` on the training data.
    max_candidates : int, default=None
        Try at most this many, evenly spread, and extrapolate the time to
        all of them.
    cv : int or cross-validation generator, default=5

    Returns
    -------
    fit : callable
        ``fit(X, y) -> GridSearchFit``.
    """

    def fit(X, y):
        start = time.perf_counter()
        values = np.asarray(candidates(X, y))
        setup = time.perf_counter() - start
        subset = values
        if max_candidates is not None and len(values) > max_candidates:
            index = np.linspace(0, len(values) - 1, max_candidates).round()
            subset = values[np.unique(index.astype(int))]
        search = GridSearchCV(estimator, {param: list(subset)}, cv=cv).fit(X, y)
        return GridSearchFit(search, values, setup)

    return fit
