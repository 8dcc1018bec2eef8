"""ForestPrunerCV against the full forest and against GridSearchCV.

Part 1, tree subsets: on several stratified train/test splits of each dataset,
the full forest and the forest cut by ``ForestPrunerCV(method="trees")``
(out-of-bag, 1-SE rule) are fitted on the training part and scored on the test
part: held-out accuracy and trees kept.

Part 2, shared ccp_alpha, on the same splits: held-out accuracy of the full
forest and of ``ForestPrunerCV(method="ccp")`` (out-of-bag, 1-SE rule), and
the leaves kept.

Part 3, speed of the shared ccp_alpha on all data: ``ForestPrunerCV`` (one
out-of-bag fit) against ``GridSearchCV`` over the same alphas (5 folds), side
by side in this run.

    python benchmarks/bench_forest.py
    python benchmarks/bench_forest.py --n-trees 500 --splits 10

Goals (issue 3): subsets keep at most 40% of the trees with held-out accuracy
on average no more than 0.5 points below the full forest; shared ccp keeps at
most half the leaves and is at least 20x faster than GridSearchCV.
"""

import argparse
import time

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_wine, make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, StratifiedShuffleSplit

from skprune.metrics import model_size
from skprune.tree import ForestPrunerCV


def _datasets():
    yield "breast_cancer", load_breast_cancer(return_X_y=True)
    yield "wine", load_wine(return_X_y=True)
    yield (
        "synthetic",
        make_classification(
            n_samples=2000, n_features=20, n_informative=8, flip_y=0.05, random_state=0
        ),
    )


def held_out_comparison(method, n_trees, n_splits, rule):
    """Full forest vs ForestPrunerCV(method) on the same train/test splits."""
    unit = "trees" if method == "trees" else "leaves"
    print(
        f"ForestPrunerCV(method={method!r}): {unit} kept and held-out accuracy "
        f"({n_trees} trees, rule={rule!r}, {n_splits} splits)"
    )
    all_kept, all_drop = [], []
    for name, (X, y) in _datasets():
        forest = RandomForestClassifier(n_estimators=n_trees, random_state=0, n_jobs=1)
        full_acc, pruned_acc, kept = [], [], []
        splits = StratifiedShuffleSplit(n_splits, test_size=0.25, random_state=0)
        for train, test in splits.split(X, y):
            full = clone(forest).fit(X[train], y[train])
            pruner = ForestPrunerCV(forest, method=method, rule=rule)
            pruner.fit(X[train], y[train])
            full_acc.append(full.score(X[test], y[test]))
            pruned_acc.append(pruner.score(X[test], y[test]))
            kept.append(model_size(pruner)[unit] / model_size(full)[unit])
        drop = 100 * (np.mean(full_acc) - np.mean(pruned_acc))
        all_kept.append(np.mean(kept))
        all_drop.append(drop)
        print(
            f"  {name:<14} full {100 * np.mean(full_acc):6.2f}%  pruned "
            f"{100 * np.mean(pruned_acc):6.2f}%  (drop {drop:+.2f} points)  {unit} "
            f"kept {100 * np.mean(kept):5.1f}% (per split: "
            f"{', '.join(f'{100 * k:.0f}' for k in kept)})",
            flush=True,
        )
    print(
        f"  average: {unit} kept {100 * np.mean(all_kept):.1f}%, accuracy drop "
        f"{np.mean(all_drop):+.2f} points"
    )


def ccp_speed(n_trees):
    print(f"Shared ccp_alpha ({n_trees} trees): ForestPrunerCV vs GridSearchCV")
    for name, (X, y) in _datasets():
        forest = RandomForestClassifier(n_estimators=n_trees, random_state=0, n_jobs=1)
        start = time.perf_counter()
        pruner = ForestPrunerCV(forest, method="ccp").fit(X, y)
        ours = time.perf_counter() - start
        alphas = pruner.cv_results_["param_ccp_alpha"]
        start = time.perf_counter()
        GridSearchCV(forest, {"ccp_alpha": alphas}, cv=5).fit(X, y)
        theirs = time.perf_counter() - start
        full_leaves = pruner.cv_results_["size"][0]
        leaves = model_size(pruner)["leaves"]
        print(
            f"  {name:<14} {len(alphas)} alphas: skprune {ours:6.1f} s, "
            f"GridSearchCV {theirs:7.1f} s, speed-up {theirs / ours:6.1f}x; "
            f"leaves {leaves} of {full_leaves} ({100 * leaves / full_leaves:.0f}%)",
            flush=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-trees", type=int, default=200)
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--rule", default="1se")
    parser.add_argument("--skip-trees", action="store_true")
    parser.add_argument("--skip-ccp", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    if not args.skip_trees:
        held_out_comparison("trees", args.n_trees, args.splits, args.rule)
    if not args.skip_ccp:
        held_out_comparison("ccp", args.n_trees, args.splits, args.rule)
    if not args.skip_speed:
        ccp_speed(args.n_trees)
