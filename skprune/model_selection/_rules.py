"""Choosing one point of a cross-validated pruning path."""

import re
from numbers import Real

import numpy as np
from scipy.stats import t as student_t

from ..utils._sklearn_compat import Interval, StrOptions, validate_params

_SPLIT_KEY = re.compile(r"^split(\d+)_test_score$")

#: Level of the one-sided paired t-test of ``rule="paired"``; chosen by
#: ``benchmarks/bench_rules.py`` (see the user guide's table).
PAIRED_LEVEL = 0.25

#: The values ``rule`` takes, for ``_parameter_constraints``.
RULE_CONSTRAINT = [
    StrOptions({"best", "1se", "paired"}),
    Interval(Real, 0, None, closed="left"),
]


def _split_scores(cv_results, rule):
    """The (n_splits, n_points) matrix of ``split<k>_test_score`` entries."""
    keys = sorted(
        (int(match.group(1)), key)
        for key in cv_results
        if (match := _SPLIT_KEY.match(key))
    )
    if len(keys) < 2:
        raise ValueError(
            f"rule={rule!r} needs the per-split scores of at least 2 splits "
            f"('split0_test_score', 'split1_test_score', ...); cv_results has "
            f"{len(keys)}."
        )
    scores = np.array([cv_results[key] for _, key in keys], dtype=float)
    # A split with no score at any point (its held-out weights sum to 0) is
    # not evidence for or against any point.
    scores = scores[~np.isnan(scores).all(axis=1)]
    if len(scores) < 2:
        raise ValueError(
            f"rule={rule!r} needs the per-split scores of at least 2 splits; "
            f"only {len(scores)} of the {len(keys)} splits could be scored "
            "(a split whose held-out sample weights sum to 0 cannot)."
        )
    return scores


def _within_one_standard_error(cv_results, mean, best):
    """Breiman's rule: at least the best mean minus the best's standard error."""
    n_splits = len(_split_scores(cv_results, "1se"))
    std = np.asarray(cv_results.get("std_test_score", np.full_like(mean, np.nan)))
    if "std_test_score" not in cv_results:
        raise ValueError("rule='1se' needs cv_results['std_test_score'].")
    tol = std[best] / np.sqrt(n_splits)
    return mean >= mean[best] - tol


def _not_worse_than_the_best(cv_results, mean, best):
    """Points a one-sided paired t-test does not find worse than the best.

    ``d_k = score_k(best) - score_k(point)`` on every split ``k`` of ``K``; a
    point is kept when ``mean(d) <= t * std(d, ddof=1) / sqrt(K)``, ``t`` the
    ``1 - PAIRED_LEVEL`` quantile of Student's t with ``K - 1`` degrees of
    freedom.
    """
    scores = _split_scores(cv_results, "paired")
    n_splits = scores.shape[0]
    threshold = student_t.ppf(1 - PAIRED_LEVEL, n_splits - 1)
    # Scores near the float limit (squared errors of huge values) overflow
    # into inf and NaN here, which the comparison below treats as "worse".
    with np.errstate(invalid="ignore", over="ignore"):
        shortfall = scores[:, [best]] - scores
        noise = shortfall.std(axis=0, ddof=1) / np.sqrt(n_splits)
        return shortfall.mean(axis=0) <= threshold * noise


@validate_params(
    {"cv_results": [dict], "rule": RULE_CONSTRAINT},
    prefer_skip_nested_validation=True,
)
def select_by_rule(cv_results, rule="paired"):
    """Pick one point of a pruning path from its cross-validation results.

    Parameters
    ----------
    cv_results : dict of numpy arrays
        Results keyed like :attr:`GridSearchCV.cv_results_`, with one entry per
        path point. ``"mean_test_score"`` and ``"size"`` are required;
        ``"paired"`` and ``"1se"`` also need the ``"split<k>_test_score"``
        entries of at least 2 splits (and ``"1se"`` ``"std_test_score"``).

    rule : {"paired", "best", "1se"} or float, default="paired"
        - ``"paired"``: the smallest model that a one-sided paired t-test at
          level 0.25 does not find worse than the best, among those the 1-SE
          rule allows: with ``d_k = score_k(best) - score_k(point)`` on every
          split ``k`` of ``K``, the smallest point with
          ``mean(d) <= t * std(d, ddof=1) / sqrt(K)``, where ``t`` is the
          0.75 quantile of Student's t with ``K - 1`` degrees of freedom
          (0.74 for 5 folds), and with a mean score within one standard
          error of the best's. Every candidate is scored on the same splits,
          so the differences are free of the split-to-split variation that
          all candidates share [2]_; the second condition keeps a point
          whose differences are merely noisy (a forest of one tree on a
          tiny set) from passing. It never chooses a smaller model than
          ``"1se"``.
        - ``"best"``: the highest mean score;
        - ``"1se"``: Breiman's one-standard-error rule: the smallest model whose
          mean score is at least the best mean minus the best point's standard
          error, ``std_test_score / sqrt(n_splits)``;
        - a float ``tol >= 0``: the smallest model whose mean score is at least
          the best mean minus ``tol``.

        The best point always qualifies. Ties in size are broken by the
        higher mean score, then by the earlier point on the path.

    Returns
    -------
    index : int
        Index of the chosen point in ``cv_results``.

    See Also
    --------
    skprune.tree.CostComplexityPrunerCV : A pruner that selects with this rule.

    Notes
    -----
    Points whose mean score is NaN (every fold failed) are never chosen.

    ``"paired"`` is the default of every ``*CV`` pruner. On real data the
    1-SE rule's standard error -- that of the best point's mean over a
    handful of folds -- is large and noisy, and it mostly measures how hard
    each fold is, which moves every point of the path together; it cost one
    to two points of held-out accuracy against ``"best"``. The paired
    standard error [2]_ only measures how differently a point and the best
    fare on the same folds. ``benchmarks/bench_rules.py`` compares the rules
    on many datasets; the user guide gives its table.

    The rules treat every split as one measurement. Repeated k-fold splits
    overlap (each sample is held out once per repeat), so there the standard
    errors run smaller than those of independent splits: a heuristic, which
    the study judges by held-out results, not an exact test [3]_.

    References
    ----------
    .. [1] L. Breiman, J. Friedman, R. Olshen and C. Stone, "Classification and
       Regression Trees", Wadsworth, 1984, section 3.4.3.
    .. [2] T. G. Dietterich, "Approximate Statistical Tests for Comparing
       Supervised Classification Learning Algorithms", Neural Computation
       10(7), 1998.
    .. [3] C. Nadeau and Y. Bengio, "Inference for the Generalization Error",
       Machine Learning 52(3), 2003.

    Examples
    --------
    >>> import numpy as np
    >>> from skprune.model_selection import select_by_rule
    >>> results = {
    ...     "size": np.array([40, 20, 10, 5]),
    ...     "mean_test_score": np.array([0.9, 0.91, 0.905, 0.895]),
    ...     "std_test_score": np.array([0.032, 0.032, 0.052, 0.032]),
    ...     "split0_test_score": np.array([0.86, 0.87, 0.84, 0.855]),
    ...     "split1_test_score": np.array([0.94, 0.95, 0.97, 0.935]),
    ...     "split2_test_score": np.array([0.88, 0.89, 0.87, 0.875]),
    ...     "split3_test_score": np.array([0.92, 0.93, 0.94, 0.915]),
    ... }
    >>> int(select_by_rule(results, rule="best"))
    1
    >>> int(select_by_rule(results, rule="paired"))  # size 5 trails on every split
    2
    >>> int(select_by_rule(results, rule="1se"))  # 0.895 >= 0.91 - 0.032 / 2
    3
    >>> int(select_by_rule(results, rule=0.001))
    1
    """
    mean, size, best, candidates = qualifying_points(cv_results, rule)
    order = np.lexsort((-mean, size))
    return _first_of(order[candidates[order]])


def qualifying_points(cv_results, rule):
    """What :func:`select_by_rule` decides from, for plots to show too.

    Returns
    -------
    mean, size : ndarray of shape (n_points,)
    best : int
        The highest mean score (ties: the smaller size, then the earlier).
    candidates : ndarray of bool of shape (n_points,)
        The points ``rule`` allows; the smallest of them is chosen.
    """
    for key in ("mean_test_score", "size"):
        if key not in cv_results:
            raise ValueError(f"cv_results has no {key!r} entry.")
    mean = np.asarray(cv_results["mean_test_score"], dtype=float)
    size = np.asarray(cv_results["size"], dtype=float)
    if mean.shape != size.shape or mean.ndim != 1 or mean.size == 0:
        raise ValueError(
            "cv_results['mean_test_score'] and cv_results['size'] must be 1-D "
            f"arrays of the same non-zero length; got shapes {mean.shape} and "
            f"{size.shape}."
        )
    valid = ~np.isnan(mean)
    if not valid.any():
        raise ValueError(
            "Every mean test score is NaN: every fold failed to score. "
            "Check the scoring and the estimator's fit."
        )
    # Highest score first, then the smallest size among equals.
    best = _first_of(np.lexsort((size, -np.where(valid, mean, -np.inf))))
    is_best = np.arange(mean.size) == best
    if rule == "best" or mean.size == 1:
        return mean, size, best, is_best
    if rule == "1se":
        candidates = _within_one_standard_error(cv_results, mean, best)
    elif rule == "paired":
        # Noisy differences can hide a large shortfall from the test: a
        # point must also be within Breiman's standard error of the best.
        candidates = _not_worse_than_the_best(
            cv_results, mean, best
        ) & _within_one_standard_error(cv_results, mean, best)
    else:
        candidates = mean >= mean[best] - float(rule)
    # An infinite score leaves no finite tolerance: the best still qualifies.
    return mean, size, best, valid & (candidates | is_best)


def _first_of(order):
    # lexsort is stable, so among full ties the earliest path point wins.
    return int(order[0])
