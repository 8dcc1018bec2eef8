"""Means ± standard errors over outer folds, and comparisons between rows."""

from collections import defaultdict

import numpy as np


def mean_se(values):
    """Mean and standard error of the mean (NaN with fewer than two values)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return np.nan, np.nan
    se = values.std(ddof=1) / np.sqrt(values.size) if values.size > 1 else np.nan
    return float(values.mean()), float(se)


def summarise(task_rows):
    """Add each row's figures, and its comparisons with the task's reference.

    Δ score is the mean ± SE of the per-fold differences to the unpruned
    model (paired: both are scored on the same test folds); ``kept`` is the
    mean per-fold percentage of the unpruned model's size.
    """
    reference = next(row for row in task_rows if row["role"] == "reference")
    for row in task_rows:
        _describe(row, reference)
    by_name = {row["method"]: row for row in task_rows}
    for row in task_rows:
        slow = by_name.get(row["same_choice_as"])
        row["fit_speedup"] = slow["fit_time_all"] / row["fit_time"] if slow else np.nan
        row["fit_speedup_extrapolated"] = bool(slow and slow["candidates"])
    return task_rows


def _describe(row, reference):
    # A failed row has no figures, and nothing is compared with a failed one.
    nan = np.full(row["n_splits"], np.nan)
    folds = row["folds"] if row["error"] is None else defaultdict(lambda: nan)
    ref = reference["folds"] if reference["error"] is None else defaultdict(lambda: nan)
    row["score_mean"], row["score_se"] = mean_se(folds["score"])
    row["delta_mean"], row["delta_se"] = mean_se(folds["score"] - ref["score"])
    row["size"] = float(np.mean(folds["size"]))
    row["kbytes"], row["kbytes_se"] = mean_se(folds["bytes"] / 1024)
    row["predict_us"], row["predict_us_se"] = mean_se(folds["predict_us"])
    row["fit_time"], row["fit_time_se"] = mean_se(folds["fit_time"])
    row["fit_time_all"] = float(np.mean(folds["fit_time_all"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        row["kept"] = 100 * float(np.mean(folds["size"] / ref["size"]))
        row["kbytes_kept"] = 100 * float(np.mean(folds["bytes"] / ref["bytes"]))
        row["speedup"] = float(np.mean(ref["predict_us"]) / row["predict_us"])
    support = row["folds"]["support"] if row["error"] is None else []
    row["support"] = tuple(np.mean(support, axis=0)) if len(support) else None
    row["others"] = {key: float(np.mean(folds[key])) for key in row["also_report"]}


def recommend(rows):
    """Per family: the skprune methods to use, and whether each holds.

    A method *holds* when, on every dataset, its held-out score is within one
    standard error of the unpruned model's (``Δ + SE(Δ) >= 0``). Among those
    that hold, the one keeping the smallest share of the size is
    recommended; if none holds, the one losing the least score. One method
    is recommended for the whole family when some method ran on all its
    datasets, else one per dataset (the linear family prunes least squares
    and logistic regression with differently set pruners).

    Returns
    -------
    recommendations : dict
        Family -> list of ``(rows, holds)``: the recommended method's row on
        each dataset it is recommended for, and whether it holds. The list
        is empty when every skprune row failed.
    """
    groups = defaultdict(lambda: defaultdict(list))
    datasets = defaultdict(dict)  # an ordered set per family
    for row in rows:
        datasets[row["family"]][row["dataset"]] = None
        if row["role"] == "skprune" and row["error"] is None:
            groups[row["family"]][(row["task"], row["method"])].append(row)
    recommendations = {}
    for family, names in datasets.items():
        candidates = list(groups[family].values())
        everywhere = [g for g in candidates if len(g) == len(names)]
        if everywhere or not candidates:
            recommendations[family] = [_choose(everywhere)] if everywhere else []
            continue
        recommendations[family] = [
            _choose(here)
            for name in names
            if (here := [g for g in candidates if g[0]["dataset"] == name])
        ]
    return recommendations


def _choose(groups):
    holding = [group for group in groups if all(map(_holds, group))]
    if holding:
        return min(
            holding, key=lambda g: (_mean(g, "kept", 100), -_mean(g, "delta_mean"))
        ), True
    return max(groups, key=lambda g: _mean(g, "delta_mean")), False


def _holds(row):
    return row["delta_mean"] + np.nan_to_num(row["delta_se"]) >= 0


def _mean(group, key, missing=-np.inf):
    """The group's mean of ``key``, a NaN counting as ``missing``."""
    values = np.array([row[key] for row in group], dtype=float)
    return float(np.mean(np.where(np.isnan(values), missing, values)))
