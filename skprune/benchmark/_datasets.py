"""Datasets the benchmark uses: shipped with scikit-learn, synthetic, or a CSV."""

import os
import re
from dataclasses import dataclass

import numpy as np
from sklearn import datasets
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelEncoder, OneHotEncoder, StandardScaler
from sklearn.utils.multiclass import type_of_target

KINDS = ("classification", "regression")
# A numeric target with at most this many distinct values is taken for classes.
_MAX_CLASSES = 20


@dataclass
class Dataset:
    """Data the methods are compared on.

    Attributes
    ----------
    name : str
        Used in the report and in file names.
    kind : {"classification", "regression"}
    X : ndarray or DataFrame of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    source : str
        Where the data come from, for the report's dataset table.
    missing : float, default=0.0
        The fraction of the feature values that are missing.
    numeric, categorical : list of str, default=None
        A CSV's numeric and categorical columns; None for arrays.
    """

    name: str
    kind: str
    X: object
    y: np.ndarray
    source: str
    missing: float = 0.0
    numeric: list = None
    categorical: list = None

    def preprocessor(self, impute):
        """An unfitted transformer from a CSV's columns to numbers, or None.

        Numeric columns are standardised (missing values imputed by the
        median if ``impute``); categorical ones one-hot encoded, their 20
        most frequent values each a column and the rest grouped.
        """
        if self.numeric is None:
            return None
        numeric = [SimpleImputer(strategy="median")] if impute else []
        numeric.append(StandardScaler())
        encoder = OneHotEncoder(
            handle_unknown="infrequent_if_exist", max_categories=20, sparse_output=False
        )
        return ColumnTransformer(
            [
                ("numeric", make_pipeline(*numeric), self.numeric),
                ("categorical", encoder, self.categorical),
            ]
        )


_SYNTHETIC_SAMPLES = {"quick": 1000, "default": 2000, "full": 3000}


def _synthetic_classification(scope):
    return datasets.make_classification(
        n_samples=_SYNTHETIC_SAMPLES[scope],
        n_features=20,
        n_informative=6,
        flip_y=0.05,
        random_state=0,
    )


def _friedman1(scope):
    return datasets.make_friedman1(
        n_samples=_SYNTHETIC_SAMPLES[scope], noise=1.0, random_state=0
    )


def _sparse_regression(scope):
    # shuffle=False: the informative features are the first five.
    return datasets.make_regression(
        n_samples=300,
        n_features=30,
        n_informative=5,
        noise=10.0,
        shuffle=False,
        random_state=0,
    )


def _sparse_classification(scope):
    # One cluster per class: every informative feature moves the class
    # linearly. With two, some separate the classes only through the
    # clusters, and no linear selector can be scored on finding them.
    return datasets.make_classification(
        n_samples=300,
        n_features=30,
        n_informative=5,
        n_redundant=0,
        n_clusters_per_class=1,
        class_sep=1.5,
        shuffle=False,
        random_state=0,
    )


def _bundled(loader):
    return lambda scope: loader(return_X_y=True)


# Datasets whose informative features are known: name -> their indices.
TRUE_SUPPORT = {"sparse_regression": range(5), "sparse_classification": range(5)}

# name -> (loader taking the scope, task kind, source)
_LOADERS = {
    "breast_cancer": (
        _bundled(datasets.load_breast_cancer),
        "classification",
        "scikit-learn `load_breast_cancer`",
    ),
    "wine": (
        _bundled(datasets.load_wine),
        "classification",
        "scikit-learn `load_wine`",
    ),
    "digits": (
        _bundled(datasets.load_digits),
        "classification",
        "scikit-learn `load_digits`",
    ),
    "diabetes": (
        _bundled(datasets.load_diabetes),
        "regression",
        "scikit-learn `load_diabetes`",
    ),
    "synthetic_classification": (
        _synthetic_classification,
        "classification",
        "`make_classification`, 6 informative features, 5% labels flipped",
    ),
    "friedman1": (_friedman1, "regression", "`make_friedman1`, noise 1.0"),
    "sparse_regression": (
        _sparse_regression,
        "regression",
        "`make_regression`, the first 5 features informative, noise 10",
    ),
    "sparse_classification": (
        _sparse_classification,
        "classification",
        "`make_classification`, the first 5 features informative",
    ),
}


def names():
    """Names of the bundled datasets."""
    return sorted(_LOADERS)


def load(name, scope="default"):
    """A bundled or synthetic :class:`Dataset` by name."""
    loader, kind, source = _LOADERS[name]
    X, y = loader(scope)
    return Dataset(name, kind, X, y, source, missing=float(np.mean(np.isnan(X))))


def read_csv(path, target, kind=None):
    """A :class:`Dataset` from a CSV file with a header row.

    Parameters
    ----------
    path : str or path
        The CSV file.
    target : str
        The column to predict; rows where it is missing are dropped.
    kind : {"classification", "regression"}, default=None
        Inferred if None: a target that is not numeric, or numeric with at
        most 20 distinct integer values, is classification.

    Returns
    -------
    dataset : Dataset
        ``X`` is a DataFrame; numeric columns are those pandas reads as
        numbers, every other column is categorical (its missing values
        become the category ``"missing"``).
    """
    import pandas as pd

    if kind not in (None, *KINDS):
        raise ValueError(f"The task must be one of {KINDS}; got {kind!r}.")
    frame = pd.read_csv(path)
    if target not in frame.columns:
        raise ValueError(
            f"No column {target!r} in {path}; its columns are "
            f"{', '.join(map(str, frame.columns))}."
        )
    y = frame.pop(target)
    frame, y = frame[y.notna()].copy(), y[y.notna()].to_numpy()
    if frame.shape[1] == 0 or len(frame) < 10:
        raise ValueError(
            f"{path} needs at least one feature column and 10 rows with a "
            f"target; it has {frame.shape[1]} and {len(frame)}."
        )
    numeric_target = np.issubdtype(y.dtype, np.number)
    inferred = _infer_kind(y) if numeric_target else "classification"
    kind = kind or inferred
    if kind == "regression" and not numeric_target:
        raise ValueError(
            f"The target {target!r} is not numeric: it cannot be regressed."
        )
    if kind == "classification":
        y = LabelEncoder().fit_transform(y if numeric_target else y.astype(str))
    else:
        y = y.astype(float)
    missing = float(frame.isna().to_numpy().mean())
    numeric = list(frame.select_dtypes(include="number").columns)
    categorical = [column for column in frame.columns if column not in numeric]
    frame[categorical] = frame[categorical].astype(object).fillna("missing").astype(str)
    stem = os.path.splitext(os.path.basename(path))[0]
    return Dataset(
        name=re.sub(r"\W+", "_", stem).strip("_") or "data",
        kind=kind,
        X=frame,
        y=y,
        source=f"{os.path.basename(path)}, target `{target}`"
        + ("" if kind == inferred else f" (`--task {kind}`)"),
        missing=missing,
        numeric=numeric,
        categorical=categorical,
    )


def _infer_kind(y):
    target_type = type_of_target(y)
    if target_type in ("binary", "multiclass") and len(np.unique(y)) <= _MAX_CLASSES:
        return "classification"
    return "regression"
