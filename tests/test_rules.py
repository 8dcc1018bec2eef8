import warnings

import numpy as np
import pytest
from scipy import stats
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
def test_invalid_rule_is_a_value_error_naming_it(rule):
    with pytest.raises(InvalidParameterError, match="'rule' parameter") as error:
        select_by_rule(_results([0.9], [0.0], [1]), rule=rule)
    assert isinstance(error.value, ValueError)
    assert repr(rule) in str(error.value)


def test_missing_entries():
    with pytest.raises(ValueError, match="no 'size' entry"):
        select_by_rule({"mean_test_score": np.array([1.0])})
    with pytest.raises(ValueError, match="same non-zero length"):
        select_by_rule({"mean_test_score": np.array([1.0]), "size": np.array([1, 2])})


@pytest.mark.parametrize("rule", ["paired", "1se"])
@pytest.mark.parametrize("n_splits", [0, 1])
def test_rules_needing_split_scores_name_themselves(rule, n_splits):
    results = _results([0.9, 0.8], [0.01, 0.01], [2, 1], n_splits=n_splits)
    with pytest.raises(ValueError, match=f"rule='{rule}' needs the per-split"):
        select_by_rule(results, rule=rule)


def _paired_results(splits, size):
    splits = np.asarray(splits, dtype=float)
    with np.errstate(invalid="ignore"):  # the std of infinite scores is NaN
        results = {
            "size": np.asarray(size),
            "mean_test_score": splits.mean(axis=0),
            "std_test_score": splits.std(axis=0),
        }
    for k, row in enumerate(splits):
        results[f"split{k}_test_score"] = row
    return results


def test_paired_rejects_a_point_that_trails_on_every_split():
    # The small model trails the best by 0.01 on every fold: the 1-SE rule,
    # which sees only the folds' spread, takes it; the paired rule does not.
    best = np.array([0.80, 0.90, 0.85, 0.95, 0.75])
    results = _paired_results(np.column_stack([best, best - 0.01]), [10, 2])
    assert select_by_rule(results, rule="1se") == 1
    assert select_by_rule(results, rule="paired") == 0


def test_paired_is_a_one_sided_t_test_at_level_one_quarter():
    # Shortfalls d with mean(d) / (std(d, ddof=1) / sqrt(5)) = t: kept when
    # t <= t_{0.75, 4} = 0.741, as scipy's one-sided paired t-test says.
    rng = np.random.RandomState(0)
    best = rng.uniform(0.7, 0.9, size=5)
    noise = np.array([-2.0, -1.0, 0.0, 1.0, 2.0]) * 0.01
    for t in (0.6, 0.7, 0.8, 0.9):
        shift = t * noise.std(ddof=1) / np.sqrt(5)
        small = best - shift - noise
        results = _paired_results(np.column_stack([best, small]), [10, 2])
        test = stats.ttest_rel(best, small, alternative="greater")
        assert select_by_rule(results, rule="paired") == (
            1 if test.pvalue > 0.25 else 0
        )
        assert (test.pvalue > 0.25) == (t <= 0.741)


def test_one_point_path_is_that_point_without_warnings():
    results = _results([0.9], [0.0], [3], n_splits=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for rule in ("paired", "1se", "best", 0.1):
            assert select_by_rule(results, rule=rule) == 0


@pytest.mark.parametrize("rule", ["paired", "1se", "best", 0.1])
@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_infinite_scores_choose_without_errors_or_warnings(rule, bad):
    splits = np.array([[0.9, 0.8, 0.7], [0.95, 0.85, 0.75], [0.9, 0.8, 0.7]])
    splits[1, 1] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        index = select_by_rule(_paired_results(splits, [30, 20, 10]), rule=rule)
    if bad == np.inf:
        assert index == 1  # an infinite mean is the best
    else:
        assert index != 1


def test_paired_never_prunes_harder_than_one_se():
    rng = np.random.RandomState(0)
    for _ in range(200):
        n_splits, n_points = rng.randint(2, 8), rng.randint(2, 30)
        curve = np.sort(rng.uniform(0.5, 1.0, n_points))[::-1]
        splits = curve + rng.normal(scale=rng.uniform(0.001, 0.1), size=(n_splits, 1))
        splits += rng.normal(scale=0.02, size=splits.shape)
        results = _paired_results(splits, np.arange(n_points, 0, -1))
        paired = select_by_rule(results, rule="paired")
        one_se = select_by_rule(results, rule="1se")
        assert results["size"][paired] >= results["size"][one_se]
