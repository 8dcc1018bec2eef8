"""Choosing one point of a cross-validated pruning path."""

import re
from numbers import Real

import numpy as np

from ..utils._sklearn_compat import Interval, StrOptions, validate_params

_SPLIT_KEY = re.compile(r"^split\d+_test_score$")


def _standard_error(cv_results):
    """Standard error of every mean test score: ``std / sqrt(n_splits)``.

    A family whose scores do not come from k folds (out-of-bag scores, say)
    stores its own standard errors under ``"sem_test_score"``.
    """
    if "sem_test_score" in cv_results:
        return np.asarray(cv_results["sem_test_score"], dtype=float)
    n_splits = sum(1 for key in cv_results if _SPLIT_KEY.match(key))
    if n_splits == 0:
        raise ValueError(
            "cv_results has no 'split<k>_test_score' entries and no "
            "'sem_test_score'; the standard error cannot be computed."
        )
    return np.asarray(cv_results["std_test_score"], dtype=float) / np.sqrt(n_splits)


#: The values ``rule`` takes, for ``_parameter_constraints``.
RULE_CONSTRAINT = [
    StrOptions({"best", "1se"}),
    Interval(Real, 0, None, closed="left"),
]


@validate_params(
    {"cv_results": [dict], "rule": RULE_CONSTRAINT},
    prefer_skip_nested_validation=True,
)
def select_by_rule(cv_results, rule="1se"):
    """Pick one point of a pruning path from its cross-validation results.

    Parameters
    ----------
    cv_results : dict of numpy arrays
        Results keyed like :attr:`GridSearchCV.cv_results_`, with one entry per
        path point. ``"mean_test_score"`` and ``"size"`` are required;
        ``"1se"`` also needs ``"std_test_score"`` and the
        ``"split<k>_test_score"`` entries (to count the splits), or
        ``"sem_test_score"``.

    rule : {"best", "1se"} or float, default="1se"
        - ``"best"``: the highest mean score;
        - ``"1se"``: Breiman's one-standard-error rule: the smallest model whose
          mean score is at least the best mean minus the best point's standard
          error, ``std_test_score / sqrt(n_splits)``;
        - a float ``tol >= 0``: the smallest model whose mean score is at least
          the best mean minus ``tol``.

        Ties in size are broken by the higher mean score, then by the earlier
        point on the path.

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

    References
    ----------
    .. [1] L. Breiman, J. Friedman, R. Olshen and C. Stone, "Classification and
       Regression Trees", Wadsworth, 1984, section 3.4.3.

    Examples
    --------
    >>> import numpy as np
    >>> from skprune.model_selection import select_by_rule
    >>> results = {
    ...     "size": np.array([40, 20, 10, 5]),
    ...     "mean_test_score": np.array([0.90, 0.91, 0.89, 0.80]),
    ...     "std_test_score": np.array([0.04, 0.04, 0.04, 0.04]),
    ...     "split0_test_score": np.zeros(4),
    ...     "split1_test_score": np.zeros(4),
    ...     "split2_test_score": np.zeros(4),
    ...     "split3_test_score": np.zeros(4),
    ... }
    >>> int(select_by_rule(results, rule="best"))
    1
    >>> int(select_by_rule(results, rule="1se"))  # 0.89 >= 0.91 - 0.04 / 2
    2
    >>> int(select_by_rule(results, rule=0.2))
    3
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
    if rule == "best":
        return best
    if rule == "1se":
        tol = _standard_error(cv_results)[best]
    else:
        tol = float(rule)
    candidates = valid & (mean >= mean[best] - tol)
    order = np.lexsort((-mean, size))
    return _first_of(order[candidates[order]])


def _first_of(order):
    # lexsort is stable, so among full ties the earliest path point wins.
    return int(order[0])
