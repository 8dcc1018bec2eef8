"""int8 after pruning, on load_digits with hidden layers (300, 100).

For each seed (held-out 30%, stratified): train the dense MLP, prune 90% of
its weights (global magnitude, one-shot, 20 fine-tuning epochs), quantise
the pruned model to int8 (and, for reference, the dense one), and compare:

- held-out accuracy of the int8 model against the float pruned model;
- its bytes against the float pruned model's, two ways: as
  ``skprune.metrics.model_size`` reports them (what a deployment stores: the
  float model as ``to_sklearn`` exports it, the quantised model itself) and
  as the pickles of the models themselves (skprune's float MLP pickles its
  sparse layers as float64 CSR).

    python benchmarks/bench_mlp_quantize.py [--seeds 0 1 2 3 4]

Goal (issue 16): int8 after 90% pruning within 0.5 points of the float
pruned model, at most 40% of its bytes both ways. Mean ± standard error
over the seeds.
"""

import argparse
import pickle
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from skprune.metrics import model_size
from skprune.neural import MLPClassifier, MLPPruner, quantize


def _pickled(model):
    return len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))


def _mean_se(values):
    values = np.asarray(values, dtype=float)
    se = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else np.nan
    return f"{values.mean():.3f} ± {se:.3f}"


def run_seed(seed, X, y):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=seed
    )
    dense = MLPClassifier(hidden_layer_sizes=(300, 100), random_state=seed)
    dense.fit(X_train, y_train)
    pruner = MLPPruner(
        dense, sparsity=0.9, prefit=True, finetune_iter=20, random_state=seed
    ).fit(X_train, y_train)
    pruned = pruner.estimator_
    int8 = quantize(pruned, bits=8)
    dense_int8 = quantize(dense, bits=8)
    row = {
        "dense": dense.score(X_test, y_test),
        "dense_int8": dense_int8.score(X_test, y_test),
        "pruned": pruned.score(X_test, y_test),
        "pruned_int8": int8.score(X_test, y_test),
        "size_ratio": model_size(int8)["bytes"] / model_size(pruned)["bytes"],
        "pickle_ratio": _pickled(int8) / _pickled(pruned),
        "int8_bytes": _pickled(int8),
        "pruned_size_bytes": model_size(pruned)["bytes"],
        "pruned_pickle_bytes": _pickled(pruned),
        "dense_int8_ratio": _pickled(dense_int8) / model_size(dense)["bytes"],
        "forms": [stored.form for stored in int8.stored_coefs_],
    }
    row["gap"] = 100 * (row["pruned_int8"] - row["pruned"])
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    args = parser.parse_args()
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    warnings.simplefilter("ignore", ConvergenceWarning)
    rows = []
    with threadpool_limits(limits=1):  # the machine is shared: no contention
        for seed in args.seeds:
            row = run_seed(seed, X, y)
            rows.append(row)
            print(
                f"seed {seed}: dense {100 * row['dense']:.2f}% (int8 "
                f"{100 * row['dense_int8']:.2f}%), pruned 90% "
                f"{100 * row['pruned']:.2f}%, int8 {100 * row['pruned_int8']:.2f}% "
                f"({row['gap']:+.2f} points); int8 pickle {row['int8_bytes']} B "
                f"against model_size {row['pruned_size_bytes']} B "
                f"({100 * row['size_ratio']:.1f}%) and the pruned pickle "
                f"{row['pruned_pickle_bytes']} B ({100 * row['pickle_ratio']:.1f}%); "
                f"storage {row['forms']}",
                flush=True,
            )
    print(f"over {len(rows)} seeds (mean ± SE):")
    gaps = [r["gap"] for r in rows]
    print(f"  int8 - float pruned accuracy: {_mean_se(gaps)} points")
    print(
        "  int8 bytes / float pruned bytes: model_size "
        f"{_mean_se([r['size_ratio'] for r in rows])}, pickle "
        f"{_mean_se([r['pickle_ratio'] for r in rows])}"
    )
    print(
        "  dense int8 accuracy - dense: "
        f"{_mean_se([100 * (r['dense_int8'] - r['dense']) for r in rows])} points; "
        "bytes / dense model_size "
        f"{_mean_se([r['dense_int8_ratio'] for r in rows])}"
    )


if __name__ == "__main__":
    main()
