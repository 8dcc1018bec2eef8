"""The goals of issue 16 on digits, each as a row with its threshold.

Per seed, a stratified 70/30 split; a dense skprune MLP (hidden layers
(300, 100), or (300, 100, 100, 100) for layer removal, 200 epochs) is
trained on the 70% and every pruned row starts from it (``prefit``), except
the gradual schedule, which trains from scratch with the same parameters.
Each row: held-out accuracy difference to its dense network in points, mean
± SE over the seeds, and whether the goal holds (mean within the threshold).

Like for like: the pruned rows train for more epochs than the dense network
(the fine-tuning); a dense control per budget -- the same fine-tuning with
nothing pruned -- shows what those epochs alone are worth.

The distillation goal compares, seed by seed, the same schedule with and
without ``distill``: the paired difference must be >= 0 on average.

    python benchmarks/bench_mlp_goals.py
    python benchmarks/bench_mlp_goals.py --seeds 5
"""

import argparse
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from skprune.benchmark._stats import mean_se
from skprune.neural import MLPClassifier, MLPPruner

TWO = (300, 100)
FOUR = (300, 100, 100, 100)
W97 = dict(sparsity=0.97, schedule="iterative", n_rounds=5, finetune_iter=100)
N80 = dict(
    sparsity=0.8,
    granularity="neuron",
    criterion="activation",
    schedule="iterative",
    n_rounds=5,
    finetune_iter=40,
)
DISTILL = dict(distill=0.5, temperature=4.0)

# (label, hidden layers, from the dense network?, MLPPruner parameters, goal:
# the largest loss in points, None for a control)
ROWS = [
    ("dense + 500 epochs (control)", TWO, True, {**W97, "sparsity": 0.0}, None),
    ("97% weights, iterative 5x100", TWO, True, W97, 1.0),
    ("97% weights, iterative 5x100, distill", TWO, True, {**W97, **DISTILL}, 1.0),
    (
        "97% weights, iterative 5x100, distill T=2",
        TWO,
        True,
        {**W97, "distill": 0.5, "temperature": 2.0},
        1.0,
    ),
    (
        "97% weights, gradual (from scratch)",
        TWO,
        False,
        dict(sparsity=0.97, schedule="gradual", ramp_every=1),
        1.0,
    ),
    ("dense + 200 epochs (control)", TWO, True, {**N80, "sparsity": 0.0}, None),
    ("80% neurons, activation, iterative 5x40", TWO, True, N80, 0.5),
    ("80% neurons, ..., distill", TWO, True, {**N80, **DISTILL}, 0.5),
    (
        "80% neurons, l2-out, iterative 5x40",
        TWO,
        True,
        {**N80, "criterion": "l2-out"},
        0.5,
    ),
    (
        "dense + 20 epochs (control)",
        TWO,
        True,
        dict(sparsity=0.0, finetune_iter=20),
        None,
    ),
    ("2:4, one-shot + 20", TWO, True, dict(granularity="2:4", finetune_iter=20), 0.5),
    (
        "2:4, one-shot + 50, distill",
        TWO,
        True,
        dict(granularity="2:4", finetune_iter=50, **DISTILL),
        0.5,
    ),
    (
        "dense 4 layers + 100 epochs (control)",
        FOUR,
        True,
        dict(sparsity=0.0, schedule="iterative", n_rounds=2, finetune_iter=50),
        None,
    ),
    (
        "half of 4 layers, bridge only",
        FOUR,
        True,
        dict(sparsity=0.5, granularity="layer", finetune_iter=0),
        None,
    ),
    (
        "half of 4 layers, iterative 2x50",
        FOUR,
        True,
        dict(
            sparsity=0.5,
            granularity="layer",
            schedule="iterative",
            n_rounds=2,
            finetune_iter=50,
        ),
        1.0,
    ),
]
# (label, with distillation, without): the paired comparison of the goal.
PAIRS = [
    (
        "distill vs not, 97% iterative 5x100",
        "97% weights, iterative 5x100, distill",
        "97% weights, iterative 5x100",
    ),
    (
        "distill vs not, 80% neurons",
        "80% neurons, ..., distill",
        "80% neurons, activation, iterative 5x40",
    ),
]


def main(n_seeds):
    warnings.simplefilter("ignore", ConvergenceWarning)
    X, y = load_digits(return_X_y=True)
    X = X / 16
    deltas = {label: [] for label, *_ in ROWS}
    for seed in range(n_seeds):
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, random_state=seed, stratify=y
        )
        dense = {}
        for hidden in (TWO, FOUR):
            model = MLPClassifier(hidden, max_iter=200, random_state=seed)
            dense[hidden] = model.fit(X_train, y_train)
        for label, hidden, from_dense, params, _ in ROWS:
            if from_dense:
                estimator = dense[hidden]
            else:
                # No early end: the second half of the epochs fine-tunes.
                estimator = MLPClassifier(
                    hidden, max_iter=200, random_state=seed, n_iter_no_change=200
                )
            pruner = MLPPruner(
                estimator, prefit=from_dense, random_state=seed, **params
            )
            pruner.fit(X_train, y_train)
            reference = dense[hidden].score(X_test, y_test)
            deltas[label].append(100 * (pruner.score(X_test, y_test) - reference))
        print(f"seed {seed} done", flush=True)
    print(
        f"\ndigits, 70/30 splits, {n_seeds} seeds: Δ accuracy vs the dense "
        "network, points, mean ± SE"
    )
    for label, _, _, _, goal in ROWS:
        mean, se = mean_se(deltas[label])
        verdict = "" if goal is None else f"goal >= -{goal}: {mean >= -goal}"
        print(f"{label:<44} {mean:+6.2f} ± {se:4.2f}   {verdict}")
    for label, taught, plain in PAIRS:
        diff = np.subtract(deltas[taught], deltas[plain])
        mean, se = mean_se(diff)
        print(
            f"{label:<44} {mean:+6.2f} ± {se:4.2f}   goal >= 0: {mean >= 0} "
            f"(better on {int((diff > 0).sum())} of {n_seeds} seeds, "
            f"worse on {int((diff < 0).sum())})"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    with threadpool_limits(limits=1):  # the machine is shared: no contention
        main(parser.parse_args().seeds)
