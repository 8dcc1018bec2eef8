"""BoostingTrimmerCV vs GridSearchCV over every round count 1..N.

BoostingTrimmerCV fits once per fold and scores all N prefixes. GridSearchCV
must refit for every round count, N(N+1)/2 rounds per fold: too long to run
in full for N in the hundreds. So GridSearchCV runs on an evenly spread subset
of the round counts (same folds, same scorer, in this same run) and its time
over all N is **extrapolated**: each candidate's fit and score time is fitted
by a line in the round count and summed over 1..N. Scores are compared on the
subset, where both computed them. Every speed-up printed with N in the
hundreds is extrapolated and says so.

To show what the extrapolation is worth, the first seed also runs the full
grid for a small N (``--check-rounds``) and prints the measured time next to
the extrapolated one. The speed-ups are then summarised as mean ± standard
error over the seeds (one synthetic dataset per seed).

    python benchmarks/bench_boosting_vs_gridsearch.py
    python benchmarks/bench_boosting_vs_gridsearch.py --n-rounds 200 --subset 10

Goals (issues 4 and 14): at least 20x faster with identical scores, LightGBM
included.
"""

import argparse
import time

import numpy as np
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from threadpoolctl import threadpool_limits

from skprune.benchmark._baselines import GridSearchFit
from skprune.benchmark._stats import mean_se
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
    try:
        from lightgbm import LGBMClassifier

        models["LightGBM"] = (
            LGBMClassifier(
                n_estimators=n_rounds,
                learning_rate=0.05,
                n_jobs=1,
                random_state=0,
                verbose=-1,
            ),
            "n_estimators",
        )
    except ImportError:
        print("lightgbm not installed: skipping LightGBM")
    return models


def compare(estimator, param, X, y, n_rounds, subset, scoring):
    """Times of both sides and whether their scores agree on the subset.

    Returns the trimmer's time, GridSearchCV's measured time on the subset,
    its time extrapolated to every round count, and the agreement.
    """
    estimator = clone(estimator).set_params(**{param: n_rounds})
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    start = time.perf_counter()
    trimmer = BoostingTrimmerCV(estimator, cv=cv, scoring=scoring).fit(X, y)
    ours = time.perf_counter() - start

    all_rounds = np.arange(1, n_rounds + 1)
    grid_rounds = np.unique(np.linspace(1, n_rounds, subset).astype(int))
    start = time.perf_counter()
    grid = GridSearchCV(
        estimator, {param: list(grid_rounds)}, cv=cv, scoring=scoring, refit=False
    ).fit(X, y)
    measured = time.perf_counter() - start
    _, extrapolated = GridSearchFit(grid, all_rounds, setup=0.0).times(measured)
    identical = all(
        np.array_equal(
            trimmer.cv_results_[f"split{k}_test_score"][grid_rounds - 1],
            grid.cv_results_[f"split{k}_test_score"],
        )
        for k in range(cv.get_n_splits())
    )
    return ours, measured, extrapolated, identical


def check_extrapolation(name, estimator, param, X, y, n_rounds, subset, scoring):
    """The full grid for a small N, measured, against its extrapolation."""
    _, _, extrapolated, _ = compare(estimator, param, X, y, n_rounds, subset, scoring)
    ours, full, _, identical = compare(
        estimator, param, X, y, n_rounds, n_rounds, scoring
    )
    print(
        f"  check {name:<20} N = {n_rounds}: full grid measured {full:6.1f} s, "
        f"extrapolated from {subset} round counts {extrapolated:6.1f} s "
        f"({extrapolated / full:.2f} of the measured time); measured speed-up "
        f"{full / ours:.1f}x, every score identical: {identical}",
        flush=True,
    )


def main(n_rounds, subset, n_samples, seeds, check_rounds, scoring):
    print(
        f"{n_samples} samples, N = {n_rounds} rounds, 5 folds, scoring={scoring}, "
        f"GridSearchCV on {subset} round counts, one thread"
    )
    models = _models(n_rounds)
    speedups = {name: [] for name in models}
    for seed in range(seeds):
        X, y = make_classification(
            n_samples=n_samples,
            n_features=20,
            n_informative=8,
            flip_y=0.05,
            random_state=seed,
        )
        print(f"seed {seed}")
        for name, (estimator, param) in models.items():
            ours, measured, extrapolated, identical = compare(
                estimator, param, X, y, n_rounds, subset, scoring
            )
            speedups[name].append(extrapolated / ours)
            print(
                f"  {name:<20} skprune {ours:6.1f} s | GridSearchCV on {subset} "
                f"round counts {measured:6.1f} s, all {n_rounds} extrapolated "
                f"{extrapolated:7.1f} s | speed-up {extrapolated / ours:5.1f}x "
                f"(extrapolated) | scores identical on the subset: {identical}",
                flush=True,
            )
            if seed == 0 and check_rounds:
                check_extrapolation(
                    name, estimator, param, X, y, check_rounds, subset, scoring
                )
    print(f"speed-up over {seeds} seeds, extrapolated (mean ± SE):")
    for name, values in speedups.items():
        mean, se = mean_se(values)
        print(f"  {name:<20} {mean:5.1f}x ± {se:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-rounds", type=int, default=300)
    parser.add_argument("--subset", type=int, default=12)
    parser.add_argument("--n-samples", type=int, default=2000)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument(
        "--check-rounds",
        type=int,
        default=60,
        help="N of the measured full grid that checks the extrapolation (0: none)",
    )
    parser.add_argument("--scoring", default="neg_log_loss")
    args = parser.parse_args()
    with threadpool_limits(limits=1):  # the machine is shared: no contention
        main(
            args.n_rounds,
            args.subset,
            args.n_samples,
            args.seeds,
            args.check_rounds,
            args.scoring,
        )
