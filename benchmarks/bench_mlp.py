"""skprune's MLP against scikit-learn's, and its pruning, on load_digits (300, 100).

Side by side in one run:

1. fit time of scikit-learn's MLPClassifier and skprune's, same parameters,
   for ``adam``, ``sgd`` and ``lbfgs``: interleaved pairs, BLAS on one thread
   (on a shared machine, oversubscribed BLAS threads make single fits vary
   tenfold); both must end with bit-identical weights;
2. 90% global magnitude sparsity, one-shot and iterative: accuracy vs dense;
3. 50% of the neurons removed: predict time on a large batch vs dense,
   against the FLOP ratio, and accuracy;
4. 97% weight sparsity: the automatic scipy.sparse path vs the dense path,
   predict time on a large batch, and what the plan's freshness check costs;
5. the deployable models: ``to_sklearn`` of the pruned models predicts as
   they do; pickled sizes against the dense export's times the kept fraction
   of parameters.

    python benchmarks/bench_mlp.py

Goals (issue 13): fit time at most 1.0x scikit-learn's for every solver, same
weights; a pruned export predicts identically and pickles to at most the
dense pickle times the kept fraction plus a small constant. Goals (issue 6):
90% sparsity within 1 point of dense; 50% neurons removed predicts at least
2x faster within 2 points, wall time at least 0.8 of the FLOP ratio; 97%
sparsity: sparse path at least 1.5x faster than dense. Times are taken in
interleaved pairs: the best of each, and the median pair ratio.
"""

import io
import pickle
import time
import warnings

import joblib
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from threadpoolctl import threadpool_limits

from skprune.metrics import model_size
from skprune.neural import MLPClassifier, MLPPruner, to_sklearn
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


def _same_weights(a, b):
    return all(
        np.array_equal(x, y)
        for x, y in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True)
    )


def _pickled(model):
    return len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))


def main():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    big_batch = np.tile(X_test, (100, 1))  # 45,000 samples
    warnings.simplefilter("ignore", ConvergenceWarning)

    print("1. fit time, scikit-learn's MLPClassifier vs skprune's (300, 100)")
    for solver in ("adam", "sgd", "lbfgs"):
        fitted = {}

        def fit(name, cls, solver=solver, fitted=fitted):
            fitted[name] = cls(solver=solver, **PARAMS).fit(X_train, y_train)

        with threadpool_limits(limits=1, user_api="blas"):
            t_sklearn, t_ours, speedup, median_speedup = _paired_times(
                lambda: fit("scikit-learn", SklearnMLPClassifier),
                lambda: fit("skprune", MLPClassifier),
                repeats=3,
            )
        ours, theirs = fitted["skprune"], fitted["scikit-learn"]
        print(
            f"   {solver:<6} scikit-learn {t_sklearn:5.2f} s, skprune {t_ours:5.2f} s "
            f"(best of 3): ratio {1 / speedup:.2f} (median of pairs "
            f"{1 / median_speedup:.2f}); {ours.n_iter_} iterations, weights "
            f"{'identical' if _same_weights(ours, theirs) else 'DIFFERENT'}, "
            f"accuracy {100 * ours.score(X_test, y_test):.2f}%",
            flush=True,
        )
        if solver == "adam":
            dense = ours
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
    sparse.predict_proba(big_batch)  # builds the plan
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
    t_check, _, _, _ = _paired_times(
        lambda: automatic.is_current(sparse.coefs_, sparse.intercepts_), lambda: None
    )
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
        f"{median_sparse_speedup:.2f}x); the plan's freshness check "
        f"{1e6 * t_check:.0f} us ({100 * t_check / t_auto:.2f}% of the predict)",
        flush=True,
    )

    print("5. the deployable models: to_sklearn exports")
    dense_bytes = _pickled(to_sklearn(dense))
    dense_parameters = model_size(dense)["parameters"]
    print(
        f"   dense export: pickle {dense_bytes / 1024:.1f} KB, joblib compress=3 "
        f"{_compressed(to_sklearn(dense)) / 1024:.1f} KB"
    )
    for label, model in [
        ("50% neurons removed", small.estimator_),
        ("97% weights pruned", sparse),
    ]:
        exported = to_sklearn(model)
        same = np.array_equal(exported.predict(big_batch), model.predict(big_batch))
        gap = np.abs(exported.predict_proba(big_batch) - model.predict_proba(big_batch))
        kept = model_size(model)["nonzero_parameters"] / dense_parameters
        size, bound = _pickled(exported), dense_bytes * kept
        print(
            f"   {label:<20} predictions {'identical' if same else 'DIFFERENT'} "
            f"(probabilities within {gap.max():.0e}); {100 * kept:.1f}% of the "
            f"parameters kept: pickle {size / 1024:.1f} KB against dense x kept "
            f"{bound / 1024:.1f} KB ({(size - bound) / 1024:+.1f} KB); joblib "
            f"compress=3 {_compressed(exported) / 1024:.1f} KB"
        )


def _compressed(model):
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    return buffer.getbuffer().nbytes


if __name__ == "__main__":
    main()
