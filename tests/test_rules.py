import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skprune.model_selection import select_by_rule


def _results(mean, std, size, n_splits=4):
    results = {
        "mean_test_score": np.asarray(mean, dtype=float),
        "std_test_score": np.asarray(std, dtype=float),
        "size": np.asarray(size),
    }
    for k in range(n_splits):
        results[f"split{k}_test_score"] = np.zeros(len(mean))
    return results


def test_best_takes_highest_mean():
    results = _results([0.8, 0.9, 0.85], [0.1] * 3, [30, 20, 10])
    assert select_by_rule(results, rule="best") == 1


def test_best_breaks_ties_by_smaller_size():
    results = _results([0.9, 0.9, 0.8], [0.1] * 3, [30, 20, 10])
    assert select_by_rule(results, rule="best") == 1


@pytest.mark.parametrize("n_splits, expected", [(4, 2), (100, 1)])
def test_one_se_uses_std_over_sqrt_n_splits(n_splits, expected):
    # SE = 0.04 / sqrt(4) = 0.02 admits 0.89; with 100 splits SE = 0.004 does not.
    results = _results(
        [0.90, 0.91, 0.89, 0.80], [0.04] * 4, [40, 20, 10, 5], n_splits=n_splits
    )
    assert select_by_rule(results, rule="1se") == expected


def test_one_se_uses_the_best_points_standard_error():
    # Only the best point's std matters, not the candidate's own.
    results = _results([0.90, 0.85], [0.0, 1.0], [10, 5])
    assert select_by_rule(results, rule="1se") == 0


def test_one_se_prefers_smallest_model_then_higher_score():
    results = _results([0.90, 0.895, 0.894, 0.70], [0.02] * 4, [40, 10, 10, 5])
    assert select_by_rule(results, rule="1se") == 1


def test_sem_test_score_overrides_split_count():
    results = {
        "mean_test_score": np.array([0.9, 0.85]),
        "std_test_score": np.array([0.0, 0.0]),
        "sem_test_score": np.array([0.06, 0.06]),
        "size": np.array([10, 5]),
    }
    assert select_by_rule(results, rule="1se") == 1


@pytest.mark.parametrize("tol, expected", [(0.0, 0), (0.05, 1), (0.2, 2)])
def test_float_tolerance(tol, expected):
    results = _results([0.9, 0.86, 0.75], [0.0] * 3, [30, 20, 10])
    assert select_by_rule(results, rule=tol) == expected


def test_nan_scores_are_never_chosen():
    results = _results([np.nan, 0.8, 0.7], [0.0] * 3, [30, 20, 1])
    assert select_by_rule(results, rule="best") == 1
    assert select_by_rule(results, rule=0.2) == 2
    results = _results([np.nan, np.nan], [0.0] * 2, [2, 1])
    with pytest.raises(ValueError, match="Every mean test score is NaN"):
        select_by_rule(results)


@pytest.mark.parametrize("rule", ["median", -0.1, None])
def test_invalid_rule(rule):
    with pytest.raises(InvalidParameterError, match="rule"):
        select_by_rule(_results([0.9], [0.0], [1]), rule=rule)


def test_missing_entries():
    with pytest.raises(ValueError, match="no 'size' entry"):
        select_by_rule({"mean_test_score": np.array([1.0])})
    with pytest.raises(ValueError, match="standard error cannot be computed"):
        select_by_rule(
            {
                "mean_test_score": np.array([1.0]),
                "std_test_score": np.array([0.0]),
                "size": np.array([1]),
            },
            rule="1se",
        )
    with pytest.raises(ValueError, match="same non-zero length"):
        select_by_rule({"mean_test_score": np.array([1.0]), "size": np.array([1, 2])})
