"""CostComplexityPrunerCV vs GridSearchCV over the full ccp_alpha path.

Both search the same alphas (the whole ``cost_complexity_pruning_path`` on all
data) on the same 5 folds, one after the other in this run, single-threaded.
Prints both times, their ratio and whether every score agrees.

    python benchmarks/bench_ccp_vs_gridsearch.py            # 20,000 samples
    python benchmarks/bench_ccp_vs_gridsearch.py --n-samples 5000

Goal (issue 2): at least 300x faster with identical scores.
"""

import argparse
import time

import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

from skprune.tree import CostComplexityPrunerCV


def main(n_samples):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=20,
        n_informative=8,
        flip_y=0.1,
        random_state=0,
    )
    tree = DecisionTreeClassifier(random_state=0)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)

    start = time.perf_counter()
    pruner = CostComplexityPrunerCV(tree, cv=cv, rule="best").fit(X, y)
    ours = time.perf_counter() - start
    alphas = pruner.cv_results_["param_ccp_alpha"]
    print(f"{n_samples} samples, {len(alphas)} alphas on the path")
    print(f"CostComplexityPrunerCV: {ours:8.2f} s", flush=True)

    start = time.perf_counter()
    grid = GridSearchCV(tree, {"ccp_alpha": alphas}, cv=cv).fit(X, y)
    theirs = time.perf_counter() - start
    print(f"GridSearchCV:           {theirs:8.2f} s")
    print(f"speed-up:               {theirs / ours:8.1f}x")

    split_keys = [f"split{k}_test_score" for k in range(5)]
    ours_scores = np.array([pruner.cv_results_[k] for k in split_keys])
    theirs_scores = np.array([grid.cv_results_[k] for k in split_keys])
    identical = np.array_equal(ours_scores, theirs_scores)
    print(
        f"every split score identical: {identical} "
        f"(max difference {np.abs(ours_scores - theirs_scores).max():.2g})"
    )
    # Among tied best means GridSearchCV takes the first (smallest alpha, the
    # largest tree) and skprune the smallest tree; the scores tie exactly.
    same_score = grid.best_score_ == pruner.best_score_
    print(
        f"same best mean score: {same_score}; alpha chosen: GridSearchCV "
        f"{grid.best_params_['ccp_alpha']:.3g} "
        f"({grid.best_estimator_.get_n_leaves()} leaves), skprune "
        f"{pruner.best_params_['ccp_alpha']:.3g} "
        f"({pruner.best_estimator_.get_n_leaves()} leaves)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=20000)
    main(parser.parse_args().n_samples)
