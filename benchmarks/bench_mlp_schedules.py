"""Every pruning schedule, criterion and granularity on digits, (300, 100).

One dense skprune MLP is trained on a stratified 75/25 split; the schedules
that prune a trained network (one-shot, iterative) start from it, the others
(gradual, lottery, at-init) train from scratch with the same parameters (the
gradual ramp over the first half of 200 epochs, early stopping off so that the
second half fine-tunes).
Held-out accuracy, its difference to dense, the sparsity reached, nonzero
weights and FLOPs per sample, side by side in this run.

    python benchmarks/bench_mlp_schedules.py

Goals (issue 7): at 90% weight sparsity iterative and gradual within 1 point
of dense and every schedule within 5 points; 97% within 2 points; 2:4 within
1 point.
"""

import time
import warnings

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from skprune.metrics import model_size
from skprune.neural import MLPClassifier, MLPPruner

MLP = dict(hidden_layer_sizes=(300, 100), random_state=0, max_iter=200)

# (label, from the dense model?, MLPPruner parameters)
CONFIGS = [
    ("random one-shot 90%", True, dict(sparsity=0.9, criterion="random")),
    ("magnitude one-shot 90%", True, dict(sparsity=0.9)),
    ("magnitude iterative 90%", True, dict(sparsity=0.9, schedule="iterative")),
    ("magnitude gradual 90%", False, dict(sparsity=0.9, schedule="gradual")),
    (
        "magnitude lottery 90%",
        False,
        dict(sparsity=0.9, schedule="lottery", rewind_iter=1),
    ),
    (
        "SNIP at-init 90%",
        False,
        dict(sparsity=0.9, schedule="at-init", criterion="taylor"),
    ),
    ("gradient one-shot 90%", True, dict(sparsity=0.9, criterion="gradient")),
    ("taylor one-shot 90%", True, dict(sparsity=0.9, criterion="taylor")),
    (
        "taylor iterative 90%",
        True,
        dict(sparsity=0.9, criterion="taylor", schedule="iterative"),
    ),
    (
        "magnitude layer iterative 90%",
        True,
        dict(sparsity=0.9, scope="layer", schedule="iterative"),
    ),
    ("magnitude one-shot 50%", True, dict(sparsity=0.5)),
    (
        "magnitude iterative 97%",
        True,
        dict(sparsity=0.97, schedule="iterative", n_rounds=5),
    ),
    ("magnitude gradual 97%", False, dict(sparsity=0.97, schedule="gradual")),
    ("magnitude 2:4", True, dict(granularity="2:4")),
    ("taylor 2:4", True, dict(granularity="2:4", criterion="taylor")),
    ("magnitude 1:4", True, dict(granularity="1:4")),
    ("neurons 50% l2-in", True, dict(sparsity=0.5, granularity="neuron")),
    (
        "neurons 50% activation",
        True,
        dict(sparsity=0.5, granularity="neuron", criterion="activation"),
    ),
]


def main():
    warnings.simplefilter("ignore", ConvergenceWarning)
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    dense = MLPClassifier(**MLP).fit(X_train, y_train)
    dense_acc = dense.score(X_test, y_test)
    dense_size = model_size(dense)
    print(
        f"{'method':<32} {'accuracy':>9} {'vs dense':>9} {'sparsity':>9} "
        f"{'nonzeros':>9} {'FLOPs':>8} {'fit s':>7}"
    )
    print(
        f"{'dense':<32} {100 * dense_acc:8.2f}% {'':>9} {0:9.3f} "
        f"{dense_size['nonzero_parameters']:9d} {dense_size['flops']:8d}"
    )
    for label, from_dense, params in CONFIGS:
        params = {"finetune_iter": 20, "random_state": 0, **params}
        if from_dense:
            estimator = dense
        elif params.get("schedule") == "gradual":
            estimator = MLPClassifier(**MLP, n_iter_no_change=MLP["max_iter"])
        else:
            estimator = MLPClassifier(**MLP)
        start = time.perf_counter()
        pruner = MLPPruner(estimator, prefit=from_dense, **params)
        pruner.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        acc = pruner.score(X_test, y_test)
        size = model_size(pruner)
        print(
            f"{label:<32} {100 * acc:8.2f}% {100 * (acc - dense_acc):+8.2f}p "
            f"{pruner.sparsity_['overall']:9.3f} {size['nonzero_parameters']:9d} "
            f"{size['flops']:8d} {seconds:7.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
