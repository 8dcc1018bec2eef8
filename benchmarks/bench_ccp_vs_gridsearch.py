"""CostComplexityPrunerCV vs GridSearchCV over the same ccp_alpha candidates.

Both search the alphas CostComplexityPrunerCV scores (the weakest-link path
on all data) on the same 5 folds and choose by the best mean score, one after
the other in this run, single-threaded. Repeated on several synthetic
datasets (one per seed): each seed's times, speed-up and whether every split
score agrees, then the speed-up's mean ± standard error over the seeds.

    python benchmarks/bench_ccp_vs_gridsearch.py             # 5,000 samples, 3 seeds
    python benchmarks/bench_ccp_vs_gridsearch.py --n-samples 20000 --seeds 1

Goal (issue 2): at least 300x faster with identical scores at 20,000 samples.
"""

import argparse
import time

import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

from skprune.benchmark._stats import mean_se
from skprune.tree import CostComplexityPrunerCV


def compare(n_samples, seed):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=20,
        n_informative=8,
        flip_y=0.1,
        random_state=seed,
    )
    tree = DecisionTreeClassifier(random_state=0)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)

    start = time.perf_counter()
    pruner = CostComplexityPrunerCV(tree, cv=cv, rule="best").fit(X, y)
    ours = time.perf_counter() - start
    alphas = pruner.cv_results_["param_ccp_alpha"]
    start = time.perf_counter()
    grid = GridSearchCV(tree, {"ccp_alpha": alphas}, cv=cv).fit(X, y)
    theirs = time.perf_counter() - start

    split_keys = [f"split{k}_test_score" for k in range(5)]
    ours_scores = np.array([pruner.cv_results_[k] for k in split_keys])
    theirs_scores = np.array([grid.cv_results_[k] for k in split_keys])
    # Among tied best means GridSearchCV keeps the first (smallest alpha, the
    # largest tree) and skprune the smallest tree; the scores tie exactly.
    print(
        f"seed {seed}: {len(alphas)} alphas; CostComplexityPrunerCV {ours:6.2f} s, "
        f"GridSearchCV {theirs:7.1f} s, speed-up {theirs / ours:6.1f}x; every "
        f"split score identical: {np.array_equal(ours_scores, theirs_scores)}; "
        f"same best mean score: {grid.best_score_ == pruner.best_score_} "
        f"(leaves: GridSearchCV {grid.best_estimator_.get_n_leaves()}, skprune "
        f"{pruner.best_estimator_.get_n_leaves()})",
        flush=True,
    )
    return theirs / ours


def main(n_samples, seeds):
    print(f"{n_samples} samples, 5 folds, rule='best' on both sides")
    ratios = [compare(n_samples, seed) for seed in range(seeds)]
    mean, se = mean_se(ratios)
    print(f"speed-up over {seeds} seed(s): {mean:.0f}x ± {se:.0f} (mean ± SE)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=5000)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    main(args.n_samples, args.seeds)
