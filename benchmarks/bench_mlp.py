"""skprune's numpy MLP and MLPPruner on load_digits, hidden layers (300, 100).

Side by side in one run:

1. scikit-learn's MLPClassifier vs skprune's, same parameters: held-out
   accuracy and fit time;
2. 90% global magnitude sparsity, iterative schedule: accuracy vs dense;
3. 50% of the neurons removed: predict time on a large batch vs dense,
   against the FLOP ratio, and accuracy;
4. 97% weight sparsity: the automatic scipy.sparse path vs the dense path,
   predict time on a large batch (and the break-even it relies on).

    python benchmarks/bench_mlp.py

Goals (issue 6): accuracy within 1 point of scikit-learn's and fit time at
most 1.2x; 90% sparsity within 1 point of dense; 50% neurons removed predicts
at least 2x faster within 2 points, wall time at least 0.8 of the FLOP ratio;
97% sparsity: sparse path at least 1.5x faster than dense. Predict times are
timed in interleaved pairs: the best of each, and the median pair ratio.
"""

import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier

from skprune.metrics import model_size
from skprune.neural import MLPClassifier, MLPPruner
from skprune.neural._sparse_inference import InferencePlan

PARAMS = dict(hidden_layer_sizes=(300, 100), random_state=0, max_iter=200)


def _paired_times(baseline, candidate, repeats=21):
    """Two functions timed in interleaved pairs: their best times, the ratio
    of the best times, and the median of the per-pair ratios (a shared
    machine's load drifts; a pair run back to back sees the same load)."""
    pairs = []
    for _ in range(repeats):
        times = []
        for function in (baseline, candidate):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        pairs.append(times)
    pairs = np.asarray(pairs)
    best = pairs.min(axis=0)
    return best[0], best[1], best[0] / best[1], np.median(pairs[:, 0] / pairs[:, 1])


def main():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    big_batch = np.tile(X_test, (100, 1))  # 45,000 samples
    warnings.simplefilter("ignore", ConvergenceWarning)

    print("1. scikit-learn's MLPClassifier vs skprune's (300, 100), adam")
    fit_times = {}
    models = {}
    for name, cls in [
        ("scikit-learn", SklearnMLPClassifier),
        ("skprune", MLPClassifier),
    ]:
        start = time.perf_counter()
        models[name] = cls(**PARAMS).fit(X_train, y_train)
        fit_times[name] = time.perf_counter() - start
        print(
            f"   {name:<13} accuracy {100 * models[name].score(X_test, y_test):6.2f}%"
            f"  fit {fit_times[name]:6.2f} s  ({models[name].n_iter_} epochs)",
            flush=True,
        )
    print(
        f"   fit time ratio skprune / scikit-learn: "
        f"{fit_times['skprune'] / fit_times['scikit-learn']:.2f}"
    )
    dense = models["skprune"]
    dense_acc = dense.score(X_test, y_test)

    print("2. 90% global magnitude sparsity")
    for schedule in ("one-shot", "iterative"):
        pruner = MLPPruner(
            dense,
            sparsity=0.9,
            schedule=schedule,
            prefit=True,
            finetune_iter=20,
            random_state=0,
        ).fit(X_train, y_train)
        acc = pruner.score(X_test, y_test)
        print(
            f"   {schedule:<10} accuracy {100 * acc:6.2f}% "
            f"({100 * (acc - dense_acc):+.2f} points vs dense), sparsity "
            f"{pruner.sparsity_['overall']:.3f}",
            flush=True,
        )

    print("3. 50% of the neurons removed")
    small = MLPPruner(
        dense,
        sparsity=0.5,
        granularity="neuron",
        scope="layer",
        prefit=True,
        finetune_iter=20,
        random_state=0,
    ).fit(X_train, y_train)
    t_dense, t_small, speedup, median_speedup = _paired_times(
        lambda: dense.predict(big_batch), lambda: small.estimator_.predict(big_batch)
    )
    flop_ratio = model_size(dense)["flops"] / model_size(small)["flops"]
    print(
        f"   shapes {[W.shape for W in small.estimator_.coefs_]}, accuracy "
        f"{100 * small.score(X_test, y_test):6.2f}% "
        f"({100 * (small.score(X_test, y_test) - dense_acc):+.2f} points)"
    )
    print(
        f"   predict {len(big_batch)} samples: dense {1e3 * t_dense:.1f} ms, "
        f"pruned {1e3 * t_small:.1f} ms (best times), speed-up {speedup:.2f}x "
        f"(median of pairs {median_speedup:.2f}x); FLOP ratio {flop_ratio:.2f}x; "
        f"speed-up / FLOP ratio {speedup / flop_ratio:.2f} (median of pairs "
        f"{median_speedup / flop_ratio:.2f})",
        flush=True,
    )

    print("4. 97% weight sparsity: automatic sparse path vs dense path")
    sparse = MLPPruner(
        dense,
        sparsity=0.97,
        schedule="iterative",
        n_rounds=4,
        prefit=True,
        finetune_iter=20,
        random_state=0,
    )
    sparse = sparse.fit(X_train, y_train).estimator_
    automatic = sparse._inference_plan
    layer_density = [np.count_nonzero(W) / W.size for W in sparse.coefs_]
    # The dense path: full-width layers, dense products.
    dense_path = InferencePlan(
        sparse.coefs_,
        sparse.intercepts_,
        sparse.activation,
        break_even=0.0,
        compact=False,
    )

    def predict_with(plan):
        sparse._inference_plan = plan
        return sparse.predict_proba(big_batch)

    t_forced_dense, t_auto, sparse_speedup, median_sparse_speedup = _paired_times(
        lambda: predict_with(dense_path), lambda: predict_with(automatic)
    )
    sparse._inference_plan = automatic
    print(
        f"   layer densities {np.round(layer_density, 3).tolist()}, accuracy "
        f"{100 * sparse.score(X_test, y_test):6.2f}%; the plan keeps hidden "
        f"widths {[W.shape[1] for W in automatic.coefs[:-1]]} of (300, 100), "
        f"sparse layers {[automatic.is_sparse(i) for i in range(3)]}"
    )
    print(
        f"   predict_proba {len(big_batch)} samples: dense path "
        f"{1e3 * t_forced_dense:.1f} ms, automatic {1e3 * t_auto:.1f} ms, "
        f"speed-up {sparse_speedup:.2f}x (median of pairs "
        f"{median_sparse_speedup:.2f}x)"
    )


if __name__ == "__main__":
    main()
