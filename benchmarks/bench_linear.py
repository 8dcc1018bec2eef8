"""FeaturePrunerCV vs RFECV (same CV scheme) and LassoCV / L1-logistic.

Synthetic data whose informative features are known (``shuffle=False`` puts
them first), one dataset per seed, split 75/25. For each method, fitted on the
training part: the F1 of the kept features against the true ones, the
held-out R² or accuracy on the test part, the features kept and the fit time,
all as mean ± standard error over the seeds; and its speed-up against the
RFECV that searches the same sizes with the same CV scheme and the same rule
(the best mean score), timed side by side in this run, single-threaded.

- least squares, leave-one-out: FeaturePrunerCV(LinearRegression(),
  cv="loo") -- exact leave-one-out in closed form at every size -- against
  RFECV(cv=LeaveOneOut()), which refits once per sample and size (a small
  problem, where that is affordable);
- least squares, 5 folds, a larger problem: FeaturePrunerCV(cv=5) against
  RFECV(cv=5); the closed-form leave-one-out rows beside them, their
  held-out R² side by side (a different CV scheme: no speed-up is claimed);
- logistic regression: FeaturePrunerCV(LogisticRegression(), cv=5), its
  sweep solved by warm-started Newton, against RFECV(cv=5) and an
  L1-penalised LogisticRegressionCV, on standardised features and on
  features with mixed units. With one cluster per class every informative
  feature moves the class linearly; with make_classification's default two,
  the held-out score of a logistic model peaks before all the informative
  features are in, so a selector driven by that score stops short of them.

    python benchmarks/bench_linear.py
    python benchmarks/bench_linear.py --seeds 5

Goals (issue 5): support F1 at least as good as both baselines; at least 10x
faster than RFECV for the LOO path on least squares and at least 3x for
logistic regression.
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.base import is_classifier
from sklearn.datasets import make_classification, make_regression
from sklearn.feature_selection import RFECV
from sklearn.linear_model import (
    LassoCV,
    LinearRegression,
    LogisticRegression,
    LogisticRegressionCV,
)
from sklearn.metrics import get_scorer
from sklearn.model_selection import LeaveOneOut, train_test_split
from threadpoolctl import threadpool_limits

from skprune.benchmark._stats import mean_se
from skprune.linear import FeaturePrunerCV


def _f1(selected, n_informative):
    selected = np.asarray(selected, dtype=bool)
    hits = selected[:n_informative].sum()
    precision = hits / max(selected.sum(), 1)
    recall = hits / n_informative
    return 2 * precision * recall / max(precision + recall, 1e-12)


def _support(model):
    if hasattr(model, "get_support"):
        return model.get_support()
    return np.any(np.atleast_2d(model.coef_) != 0, axis=0)


def _pm(values, digits=2):
    mean, se = mean_se(values)
    return f"{mean:.{digits}f} ± {se:.{digits}f}"


def compare(title, make_data, methods, n_informative, seeds):
    """Fit every method on each seed's data; print mean ± SE over seeds.

    ``methods``: (name, make the unfitted model, name of the like-for-like
    baseline or None).
    """
    print(f"{title} (mean ± SE over {seeds} seeds)")
    figures = {
        name: {"f1": [], "score": [], "kept": [], "seconds": []} for name, *_ in methods
    }
    for seed in range(seeds):
        X, y = make_data(seed)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.25, random_state=seed
        )
        for name, make, _ in methods:
            start = time.perf_counter()
            with warnings.catch_warnings():
                # LogisticRegressionCV announces changes of scikit-learn 1.10.
                warnings.simplefilter("ignore", FutureWarning)
                model = make().fit(X_train, y_train)
            figures[name]["seconds"].append(time.perf_counter() - start)
            support = _support(model)
            figures[name]["f1"].append(_f1(support, n_informative))
            figures[name]["kept"].append(support.sum())
            # R² or accuracy for all, whatever scoring a search used inside.
            scorer = get_scorer("accuracy" if is_classifier(model) else "r2")
            figures[name]["score"].append(scorer(model, X_test, y_test))
    for name, _, baseline in methods:
        f = figures[name]
        line = (
            f"  {name:<38} F1 {_pm(f['f1'])}  held-out {_pm(f['score'], 3)}  "
            f"kept {_pm(f['kept'], 1)}  {np.mean(f['seconds']):7.2f} s"
        )
        if baseline:
            ratios = np.divide(figures[baseline]["seconds"], f["seconds"])
            line += f"  {_pm(ratios, 1)}x faster than {baseline}"
        print(line, flush=True)


def least_squares(seeds):
    ols = LinearRegression()

    def small(seed):
        return make_regression(
            n_samples=300,
            n_features=30,
            n_informative=5,
            noise=10.0,
            shuffle=False,
            random_state=seed,
        )

    compare(
        "Least squares, leave-one-out on both sides: 300 samples, 30 features, "
        "5 informative",
        small,
        [
            (
                "RFECV(cv=LeaveOneOut())",
                lambda: RFECV(ols, cv=LeaveOneOut(), scoring="neg_mean_squared_error"),
                None,
            ),
            (
                "FeaturePrunerCV(cv='loo', rule='best')",
                lambda: FeaturePrunerCV(ols, cv="loo", rule="best"),
                "RFECV(cv=LeaveOneOut())",
            ),
            ("FeaturePrunerCV(cv='loo')", lambda: FeaturePrunerCV(ols, cv="loo"), None),
        ],
        5,
        seeds,
    )

    def large(seed):
        return make_regression(
            n_samples=1000,
            n_features=100,
            n_informative=10,
            noise=20.0,
            shuffle=False,
            random_state=seed,
        )

    compare(
        "Least squares, 5 folds: 1000 samples, 100 features, 10 informative; the "
        "leave-one-out rows alongside",
        large,
        [
            ("RFECV(cv=5)", lambda: RFECV(ols, cv=5), None),
            (
                "FeaturePrunerCV(cv=5, rule='best')",
                lambda: FeaturePrunerCV(ols, cv=5, rule="best"),
                "RFECV(cv=5)",
            ),
            (
                "FeaturePrunerCV(cv='loo', rule='best')",
                lambda: FeaturePrunerCV(ols, cv="loo", rule="best"),
                None,
            ),
            ("FeaturePrunerCV(cv='loo')", lambda: FeaturePrunerCV(ols, cv="loo"), None),
            ("LassoCV(cv=5)", lambda: LassoCV(cv=5, random_state=0), None),
        ],
        10,
        seeds,
    )


def logistic(seeds, n_clusters_per_class=1, mixed_units=False):
    n_features, n_informative = 40, 8

    def data(seed):
        X, y = make_classification(
            n_samples=4000,
            n_features=n_features,
            n_informative=n_informative,
            n_redundant=0,
            n_clusters_per_class=n_clusters_per_class,
            shuffle=False,
            random_state=seed,
        )
        if mixed_units:
            X = X * np.random.RandomState(seed).uniform(0.1, 10.0, n_features)
        return X, y

    lr = LogisticRegression(max_iter=5000)
    units = "mixed units" if mixed_units else "standardised features"
    compare(
        f"Logistic regression ({units}, {n_clusters_per_class} cluster(s) per "
        f"class): 4000 samples, {n_features} features, {n_informative} informative",
        data,
        [
            ("RFECV(cv=5)", lambda: RFECV(lr, cv=5), None),
            (
                "FeaturePrunerCV(cv=5, rule='best')",
                lambda: FeaturePrunerCV(lr, cv=5, rule="best"),
                "RFECV(cv=5)",
            ),
            ("FeaturePrunerCV(cv=5)", lambda: FeaturePrunerCV(lr, cv=5), None),
            (
                "LogisticRegressionCV(l1_ratios=(1.0,))",
                lambda: LogisticRegressionCV(
                    scoring="accuracy",
                    Cs=10,
                    cv=5,
                    l1_ratios=(1.0,),
                    solver="liblinear",
                    max_iter=5000,
                ),
                None,
            ),
        ],
        n_informative,
        seeds,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    seeds = parser.parse_args().seeds
    print(f"default rule of FeaturePrunerCV: {FeaturePrunerCV(None).rule!r}")
    with threadpool_limits(limits=1):  # the machine is shared: no contention
        least_squares(seeds)
        logistic(seeds)
        logistic(seeds, mixed_units=True)
        logistic(seeds, n_clusters_per_class=2)
