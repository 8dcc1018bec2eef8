"""BoostingTrimmerCV vs GridSearchCV over every round count 1..N.

BoostingTrimmerCV fits once per fold and scores all N prefixes. GridSearchCV
must refit for every round count, which costs N(N+1)/2 rounds per fold: too
long to run in full for N in the hundreds. So GridSearchCV runs on an evenly
spread subset of round counts (same folds, same scorer, in this same run); its
per-candidate fit and score times are fitted with a line ``a + b * n_rounds``
and summed over 1..N to extrapolate the full grid. Scores are compared on the
subset, where both computed them.

    python benchmarks/bench_boosting_vs_gridsearch.py
    python benchmarks/bench_boosting_vs_gridsearch.py --n-rounds 200 --subset 10

Goal (issue 4): at least 20x faster with identical scores.
"""

import argparse
import time

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skprune.boosting import BoostingTrimmerCV


def _models(n_rounds):
    models = {
        "GradientBoosting": (
            GradientBoostingClassifier(
                n_estimators=n_rounds, learning_rate=0.05, max_depth=3, random_state=0
            ),
            "n_estimators",
        ),
        "HistGradientBoosting": (
            HistGradientBoostingClassifier(
                max_iter=n_rounds,
                learning_rate=0.05,
                early_stopping=False,
                random_state=0,
            ),
            "max_iter",
        ),
    }
    try:
        from xgboost import XGBClassifier

        models["XGBoost"] = (
            XGBClassifier(
                n_estimators=n_rounds,
                learning_rate=0.05,
                max_depth=4,
                n_jobs=1,
                random_state=0,
            ),
            "n_estimators",
        )
    except ImportError:
        print("xgboost not installed: skipping XGBoost")
    return models


def compare(name, estimator, param, X, y, n_rounds, subset, scoring):
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    start = time.perf_counter()
    trimmer = BoostingTrimmerCV(estimator, cv=cv, scoring=scoring).fit(X, y)
    ours = time.perf_counter() - start

    grid_rounds = np.unique(np.linspace(1, n_rounds, subset).astype(int))
    start = time.perf_counter()
    grid = GridSearchCV(
        estimator, {param: list(grid_rounds)}, cv=cv, scoring=scoring, refit=False
    ).fit(X, y)
    measured = time.perf_counter() - start
    per_candidate = (
        grid.cv_results_["mean_fit_time"] + grid.cv_results_["mean_score_time"]
    )
    slope, intercept = np.polyfit(grid_rounds, per_candidate, 1)
    all_rounds = np.arange(1, n_rounds + 1)
    extrapolated = cv.get_n_splits() * np.sum(intercept + slope * all_rounds)

    index = grid_rounds - 1
    identical = all(
        np.array_equal(
            trimmer.cv_results_[f"split{k}_test_score"][index],
            grid.cv_results_[f"split{k}_test_score"],
        )
        for k in range(cv.get_n_splits())
    )
    print(
        f"{name:<22} skprune {ours:7.1f} s | GridSearchCV on {len(grid_rounds)} "
        f"round counts {measured:7.1f} s, full grid of {n_rounds} extrapolated "
        f"{extrapolated:8.1f} s | speed-up {extrapolated / ours:6.1f}x | "
        f"scores identical on the subset: {identical} | "
        f"chosen n_rounds (1-SE) {trimmer.best_params_['n_rounds']}",
        flush=True,
    )


def main(n_rounds, subset, n_samples, scoring):
    X, y = make_classification(
        n_samples=n_samples, n_features=20, n_informative=8, flip_y=0.05, random_state=0
    )
    print(f"{n_samples} samples, N = {n_rounds} rounds, 5 folds, scoring={scoring}")
    for name, (estimator, param) in _models(n_rounds).items():
        compare(name, estimator, param, X, y, n_rounds, subset, scoring)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-rounds", type=int, default=300)
    parser.add_argument("--subset", type=int, default=12)
    parser.add_argument("--n-samples", type=int, default=2000)
    parser.add_argument("--scoring", default="neg_log_loss")
    args = parser.parse_args()
    main(args.n_rounds, args.subset, args.n_samples, args.scoring)
