"""The outer cross-validation that judges every method honestly."""

import os
import time
import traceback
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import get_scorer
from sklearn.model_selection import KFold, StratifiedKFold
from threadpoolctl import threadpool_limits

from . import _datasets, _registry
from ._baselines import GridSearchFit
from ._measure import deployable, deployed_size, predict_microseconds
from ._report import task_name, write_report
from ._stats import summarise


@dataclass
class _Job:
    """One family's task on one dataset."""

    family: str
    dataset: _datasets.Dataset
    task: _registry.Task

    @property
    def name(self):
        return task_name(self.family, self.task.label, self.dataset.name)


def run_benchmark(
    families=None,
    datasets=None,
    scope="default",
    out=None,
    outer_splits=None,
    progress=True,
    *,
    data=None,
    target=None,
    task=None,
):
    """Judge every registered method with an outer cross-validation.

    Each method is fitted on the outer training folds (its own pruning choice
    is made there, on inner folds) and scored on the outer test fold, so the
    reported score is an honest estimate, unlike a pruner's ``best_score_``.
    A method that raises does not stop the run: its row carries the error.

    Parameters
    ----------
    families : list of str, default=None
        Families to run (``"tree"``, ``"forest"``, ``"boosting"``,
        ``"linear"``, ``"neural"``); all registered ones if None.
    datasets : list of str, default=None
        Restrict to these bundled datasets.
    scope : {"quick", "default", "full"}, default="default"
        How much to run: ``"quick"`` is a smoke run of about a minute,
        ``"full"`` adds datasets, methods and every ``GridSearchCV``
        candidate.
    out : str or path, default=None
        Folder for ``report.md``, ``report.html``, the PNG plots and
        ``errors.log``; nothing is written if None.
    outer_splits : int, default=None
        Outer folds; 5 for ``"full"``, 3 otherwise.
    progress : bool, default=True
        Show a progress bar with the time left on stderr.
    data : str or path, default=None
        A CSV file with a header row to run every family on instead of the
        bundled datasets.
    target : str, default=None
        The column of ``data`` to predict.
    task : {"classification", "regression"}, default=None
        What to do with ``target``; inferred from it if None.

    Returns
    -------
    rows : list of dict
        One dict per (task, method): ``family``, ``dataset``, ``task``,
        ``method``, ``role``, ``unit``, ``score_name``, ``n_splits``, the
        means and standard errors over outer folds ``score_mean``,
        ``score_se``, ``delta_mean``, ``delta_se`` (paired difference to the
        unpruned model), ``size``, ``kept`` (% of the unpruned size),
        ``kbytes`` (pickled deployable model), ``predict_us`` (per sample),
        ``speedup`` (predict, vs the unpruned model), ``fit_time``,
        ``fit_time_all`` (extrapolated to every candidate when only some were
        searched), ``error`` (None, or the exception raised) and ``folds``
        (the per-fold arrays behind the means).

    Raises
    ------
    ValueError
        If a family, dataset, scope or CSV column is unknown, or nothing
        matches the selection. Nothing is run then.
    """
    jobs = plan(families, datasets, scope, data=data, target=target, task=task)
    rows, _ = run(jobs, scope, out=out, outer_splits=outer_splits, progress=progress)
    return rows


def plan(
    families=None, datasets=None, scope="default", *, data=None, target=None, task=None
):
    """The jobs a run would do; every argument checked, nothing fitted."""
    if scope not in _registry.SCOPES:
        raise ValueError(f"scope must be one of {_registry.SCOPES}; got {scope!r}.")
    registered = _registry.families()
    _check_names("families", families, registered)
    _check_names("datasets", datasets, _datasets.names())
    families = families or list(registered)
    if data is not None:
        if datasets:
            raise ValueError("Give either bundled datasets or a CSV file, not both.")
        if target is None:
            raise ValueError("A CSV file needs the name of its target column.")
        user = _datasets.read_csv(data, target, task)
        return [
            _Job(family, user, t)
            for family in families
            for t in registered[family].tasks(user, scope)
        ]
    jobs, loaded = [], {}
    for family in families:
        for name in registered[family].datasets[scope]:
            if datasets and name not in datasets:
                continue
            if name not in loaded:
                loaded[name] = _datasets.load(name, scope)
            jobs += [
                _Job(family, loaded[name], t)
                for t in registered[family].tasks(loaded[name], scope)
            ]
    if not jobs:
        runs_on = "; ".join(
            f"{family}: {', '.join(registered[family].datasets[scope])}"
            for family in families
        )
        raise ValueError(
            f"No family runs on {', '.join(datasets)} in the {scope} scope ({runs_on})."
        )
    return jobs


def _check_names(what, given, known):
    unknown = sorted(set(given or ()) - set(known))
    if unknown:
        raise ValueError(
            f"Unknown {what} {', '.join(unknown)}; choose from {', '.join(known)}."
        )


def run(jobs, scope, out=None, outer_splits=None, progress=True):
    """Run planned jobs; see :func:`run_benchmark`.

    Returns the rows and, per row or pruning curve that raised, ``(where,
    error, traceback)``.
    """
    from tqdm import tqdm

    n_splits = outer_splits or (5 if scope == "full" else 3)
    n_curves = sum(job.task.curve is not None for job in jobs) if out else 0
    bar = tqdm(
        total=sum(len(job.task.methods) for job in jobs) * n_splits + n_curves,
        unit="fit",
        disable=not progress,
        dynamic_ncols=True,
    )
    start = time.perf_counter()
    rows, curves = [], []
    # One BLAS/OpenMP thread: on a shared machine, threads contending with
    # other processes slow these small models tenfold and make times noise.
    with bar, threadpool_limits(limits=1):
        for job in jobs:
            splits = _splits(job.dataset, n_splits)
            task_rows = []
            for method in job.task.methods:
                bar.set_description(f"{job.name}: {method.name}")
                task_rows.append(_judge(job, method, splits, bar.update))
            rows += summarise(task_rows)
            if out is not None and job.task.curve is not None:
                bar.set_description(f"{job.name}: pruning curve")
                curves.append(_fit_curve(job))
                bar.update()
    failures = [
        (
            f"{row['family']} / {row['dataset']} / {row['method']}",
            row["error"],
            row["traceback"],
        )
        for row in rows
        if row["error"]
    ]
    failures += [
        (f"pruning curve {name}", *error) for name, _, error in curves if error
    ]
    if out is not None:
        os.makedirs(out, exist_ok=True)
        meta = {
            "n_splits": n_splits,
            "seconds": time.perf_counter() - start,
            "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else np.nan,
        }
        datasets = [job.dataset for job in jobs]
        write_report(rows, curves, datasets, meta, failures, out)
    return rows, failures


def _splits(dataset, n_splits):
    splitter = StratifiedKFold if dataset.kind == "classification" else KFold
    cv = splitter(n_splits=n_splits, shuffle=True, random_state=0)
    return list(cv.split(dataset.X, dataset.y))


def _prepared(job, train, test):
    """Training and test features, the CSV's preprocessing fitted on train."""
    X, y = job.dataset.X, job.dataset.y
    rows = X.iloc if hasattr(X, "iloc") else X  # a CSV's DataFrame, or an array
    X_train, X_test = rows[train], rows[test]
    preprocessor = job.dataset.preprocessor(impute=not job.task.allow_nan)
    if preprocessor is not None:
        X_train = preprocessor.fit_transform(X_train, y[train])
        X_test = preprocessor.transform(X_test)
    return X_train, y[train], X_test, y[test]


def _judge(job, method, splits, tick):
    """Fit ``method`` on every outer training fold, measure it on the test fold."""
    task, dataset = job.task, job.dataset
    row = {
        "family": job.family,
        "dataset": dataset.name,
        "task": task.label,
        "method": method.name,
        "role": method.role,
        "description": method.description,
        "same_choice_as": method.same_choice_as,
        "unit": task.unit,
        "also_report": task.also_report,
        "score_name": "accuracy" if dataset.kind == "classification" else "R²",
        "n_splits": len(splits),
        "candidates": None,
        "error": None,
        "traceback": None,
    }
    keys = ["score", "size", "bytes", "predict_us", "fit_time", "fit_time_all"]
    folds = {key: [] for key in [*keys, *task.also_report, "support"]}
    truth = _datasets.TRUE_SUPPORT.get(dataset.name)
    # Every row is scored alike, whatever scoring its own search used.
    scorer = get_scorer("accuracy" if dataset.kind == "classification" else "r2")
    searched, done = [], 0
    try:
        for train, test in splits:
            X_train, y_train, X_test, y_test = _prepared(job, train, test)
            start = time.perf_counter()
            model = method.fit(X_train, y_train)
            seconds = time.perf_counter() - start
            if isinstance(model, GridSearchFit):
                seconds, seconds_all = model.times(seconds)
                if model.n_searched < len(model.values):
                    searched.append((model.n_searched, len(model.values)))
                model = model.search
            else:
                seconds_all = seconds
            folds["fit_time"].append(seconds)
            folds["fit_time_all"].append(seconds_all)
            # Users feel the model they ship, not the search around it.
            deployed = deployable(model)
            size = deployed_size(deployed)
            folds["size"].append(size.get(task.unit, np.nan))
            folds["bytes"].append(size["bytes"])
            for key in task.also_report:
                folds[key].append(size[key])
            folds["score"].append(scorer(deployed, X_test, y_test))
            folds["predict_us"].append(predict_microseconds(deployed, X_test))
            if truth is not None and method.support is not None:
                folds["support"].append(
                    _support_scores(method.support(model), truth, X_train.shape[1])
                )
            tick()
            done += 1
    except Exception as exc:  # noqa: BLE001 - reported in the row, not raised
        row["error"] = f"{type(exc).__name__}: {exc}"
        row["traceback"] = traceback.format_exc()
        tick(len(splits) - done)
    if searched:
        searched = np.mean(searched, axis=0)
        row["candidates"] = (int(searched[0]), int(round(searched[1])))
    row["folds"] = {
        key: np.asarray(values, dtype=float) for key, values in folds.items()
    }
    return row


def _support_scores(selected, truth, n_features):
    """Precision, recall and F1 of the kept features against the true ones."""
    true_mask = np.zeros(n_features, dtype=bool)
    true_mask[list(truth)] = True
    selected = np.asarray(selected, dtype=bool)
    hits = np.sum(selected & true_mask)
    precision = hits / max(selected.sum(), 1)
    recall = hits / true_mask.sum()
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return precision, recall, f1


def _fit_curve(job):
    """``(name, fitted pruner or None, error)``: the pruning curve on all data."""
    X, y = job.dataset.X, job.dataset.y
    try:
        preprocessor = job.dataset.preprocessor(impute=not job.task.allow_nan)
        if preprocessor is not None:
            X = preprocessor.fit_transform(X, y)
        with warnings.catch_warnings():
            # Short training budgets in the curves are deliberate.
            warnings.simplefilter("ignore", ConvergenceWarning)
            return job.name, clone(job.task.curve()).fit(X, y), None
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return job.name, None, (f"{type(exc).__name__}: {exc}", traceback.format_exc())
