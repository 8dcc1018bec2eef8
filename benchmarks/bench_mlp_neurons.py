"""Which neurons to remove: every neuron criterion against random, on digits.

A dense (300, 100) MLP is trained on a stratified 70/30 split per seed; half
or 80% of its hidden neurons are removed by each criterion (one-shot, global
and per-layer scope), and the network is scored on the held-out 30% before
fine-tuning (how well the ranking alone did) and after 20 epochs of it.
``mean |activation|`` is the criterion ``"activation"`` was until issue 16
(the mean absolute activation alone), ranked here by hand with the same
removal and fine-tuning, to show why it was replaced. Each cell: accuracy
difference to the dense network in points, mean ± SE over the seeds.

    python benchmarks/bench_mlp_neurons.py
    python benchmarks/bench_mlp_neurons.py --seeds 5
"""

import argparse
import warnings
from copy import deepcopy

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from skprune.benchmark._stats import mean_se
from skprune.neural import MLPClassifier, MLPPruner
from skprune.neural._masks import neurons_to_keep, remove_neurons

CRITERIA = [
    "random",
    "mean |activation|",
    "activation",
    "magnitude",
    "l2-out",
    "taylor",
]
FINETUNE = 20


def _by_mean_activation(dense, X, y, fraction, scope, finetune):
    """The former ``"activation"``: remove the lowest mean |activation|."""
    model = deepcopy(dense)
    scores = [np.abs(a).mean(axis=0) for a in model._forward(X)[1:-1]]
    sizes = [s.size for s in scores]
    n_remove = (
        [round(fraction * n) for n in sizes]
        if scope == "layer"
        else round(fraction * sum(sizes))
    )
    remove_neurons(model, neurons_to_keep(scores, n_remove, scope))
    # Fine-tuning alone: a pruner that prunes nothing more.
    return MLPPruner(
        model, sparsity=0.0, prefit=True, finetune_iter=finetune, random_state=0
    ).fit(X, y)


def _pruned(dense, X, y, criterion, fraction, scope, finetune):
    if criterion == "mean |activation|":
        return _by_mean_activation(dense, X, y, fraction, scope, finetune)
    return MLPPruner(
        dense,
        sparsity=fraction,
        granularity="neuron",
        criterion=criterion,
        scope=scope,
        prefit=True,
        finetune_iter=finetune,
        random_state=0,
    ).fit(X, y)


def main(n_seeds):
    warnings.simplefilter("ignore", ConvergenceWarning)
    X, y = load_digits(return_X_y=True)
    X = X / 16
    deltas = {}
    for seed in range(n_seeds):
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, random_state=seed, stratify=y
        )
        dense = MLPClassifier((300, 100), max_iter=200, random_state=seed)
        dense.fit(X_train, y_train)
        reference = dense.score(X_test, y_test)
        for fraction in (0.5, 0.8):
            for scope in ("global", "layer"):
                for criterion in CRITERIA:
                    for finetune in (0, FINETUNE):
                        model = _pruned(
                            dense,
                            X_train,
                            y_train,
                            criterion,
                            fraction,
                            scope,
                            finetune,
                        )
                        key = (fraction, scope, criterion, finetune)
                        delta = 100 * (model.score(X_test, y_test) - reference)
                        deltas.setdefault(key, []).append(delta)
    print(
        f"digits, (300, 100), {n_seeds} seeds: Δ points vs dense, mean ± SE, "
        f"before / after {FINETUNE} epochs of fine-tuning"
    )
    for fraction in (0.5, 0.8):
        for scope in ("global", "layer"):
            print(f"\n{fraction:.0%} of the neurons, scope={scope!r}")
            for criterion in CRITERIA:
                cells = []
                for finetune in (0, FINETUNE):
                    mean, se = mean_se(deltas[(fraction, scope, criterion, finetune)])
                    cells.append(f"{mean:+7.2f} ± {se:4.2f}")
                print(f"  {criterion:<18} {cells[0]}   {cells[1]}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    with threadpool_limits(limits=1):  # the machine is shared: no contention
        main(parser.parse_args().seeds)
