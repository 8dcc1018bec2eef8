"""Ordered aggregation costs no more than fitting the forest.

``ForestPrunerCV(method="trees")`` orders the trees six times per fit: once on
all data and once per out-of-bag group (cross-fitting). For forests of 200
trees on 2,000 to 8,000 rows this script times, side by side in one run and
over several seeds (mean ± standard error):

- fitting the forest itself (``RandomForestClassifier.fit``);
- the whole pruner minus that fit (the six orderings, the trees' outputs,
  scoring every sub-forest on every group);
- the six orderings alone, with the incremental matrix-vector ordering and,
  on the smaller sizes, with the direct one it replaced (each candidate
  sub-ensemble averaged anew at every step).

    python benchmarks/bench_forest_ordering.py
    python benchmarks/bench_forest_ordering.py --rows 4000 8000 --seeds 5

Everything runs on one BLAS thread (the forest fits on one core too): on a
shared machine, threads fighting other jobs make the timings meaningless.

Goal (issue 12): ordering costs at most the forest's own fit time.
"""

import argparse
import time

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from threadpoolctl import threadpool_limits

from skprune.tree import ForestPrunerCV
from skprune.tree._forest_paths import (
    greedy_order,
    one_hot_target,
    out_of_bag_mask,
    tree_outputs,
)


def direct_order(outputs, mask, y_target):
    """The ordering as it was: every candidate's sub-ensemble averaged anew."""
    n_trees = outputs.shape[0]
    weighted = outputs * mask[:, :, None]
    total = np.zeros(outputs.shape[1:])
    count = np.zeros(outputs.shape[1])
    remaining = np.ones(n_trees, dtype=bool)
    order = []
    for _ in range(n_trees):
        candidates = np.flatnonzero(remaining)
        new_total = total[None] + weighted[candidates]
        new_count = count[None] + mask[candidates]
        covered = new_count > 0
        mean = new_total / np.maximum(new_count, 1)[..., None]
        error = ((mean - y_target[None]) ** 2).sum(axis=2)
        loss = (error * covered).sum(axis=1) / np.maximum(covered.sum(axis=1), 1)
        best = candidates[np.argmin(loss)]
        order.append(best)
        remaining[best] = False
        total += weighted[best]
        count += mask[best]
    return np.asarray(order)


def _six_orderings(order, outputs, mask, target):
    """The orderings one pruner fit runs: all data, then each group's rest."""
    start = time.perf_counter()
    order(outputs, mask, target)
    groups = np.arange(outputs.shape[1]) % 5
    for g in range(5):
        rest = groups != g
        order(outputs[:, rest], mask[:, rest], target[rest])
    return time.perf_counter() - start


def _mean_se(values):
    values = np.asarray(values)
    return f"{values.mean():6.2f} ± {values.std(ddof=1) / np.sqrt(len(values)):.2f}"


def main(rows, n_trees, seeds, direct_up_to):
    print(
        f"{n_trees} trees, 20 features, one thread, seconds (mean ± SE over "
        f"{seeds} seeds)\n"
        f"{'rows':>6} | {'forest fit':>13} | {'pruner - fit':>13} | "
        f"{'6 orderings':>13} | {'direct':>13} | pruner-fit / fit"
    )
    for n_rows in rows:
        fit, rest, ordering, direct, ratio = [], [], [], [], []
        for seed in range(seeds):
            X, y = make_classification(
                n_samples=n_rows, n_features=20, n_informative=8, random_state=seed
            )
            forest = RandomForestClassifier(n_estimators=n_trees, random_state=seed)
            start = time.perf_counter()
            forest.fit(X, y)
            fit.append(time.perf_counter() - start)
            start = time.perf_counter()
            ForestPrunerCV(forest, method="trees").fit(X, y)
            rest.append(time.perf_counter() - start - fit[-1])
            ratio.append(rest[-1] / fit[-1])
            outputs = tree_outputs(forest, X)
            mask = out_of_bag_mask(forest, n_rows)
            target = one_hot_target(forest, y)
            ordering.append(_six_orderings(greedy_order, outputs, mask, target))
            if n_rows <= direct_up_to:
                direct.append(_six_orderings(direct_order, outputs, mask, target))
        direct_cell = _mean_se(direct) if direct else f"{'-':>13}"
        print(
            f"{n_rows:>6} | {_mean_se(fit)} | {_mean_se(rest)} | "
            f"{_mean_se(ordering)} | {direct_cell} | {_mean_se(ratio)}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[2000, 4000, 8000])
    parser.add_argument("--trees", type=int, default=200)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--direct-up-to", type=int, default=4000)
    args = parser.parse_args()
    with threadpool_limits(limits=1):
        main(args.rows, args.trees, args.seeds, args.direct_up_to)
