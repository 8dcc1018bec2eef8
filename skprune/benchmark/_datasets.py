"""Datasets the benchmark uses: shipped with scikit-learn or synthetic."""

from sklearn import datasets

# name -> (loader, task kind); loaders take the scope to size synthetic sets.
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
    X, y = datasets.make_regression(
        n_samples=300,
        n_features=30,
        n_informative=5,
        noise=10.0,
        shuffle=False,
        random_state=0,
    )
    return X, y


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


# Datasets whose informative features are known: name -> their indices.
TRUE_SUPPORT = {"sparse_regression": range(5), "sparse_classification": range(5)}

_LOADERS = {
    "sparse_regression": (_sparse_regression, "regression"),
    "sparse_classification": (_sparse_classification, "classification"),
    "breast_cancer": (
        lambda scope: datasets.load_breast_cancer(return_X_y=True),
        "classification",
    ),
    "wine": (lambda scope: datasets.load_wine(return_X_y=True), "classification"),
    "digits": (lambda scope: datasets.load_digits(return_X_y=True), "classification"),
    "diabetes": (lambda scope: datasets.load_diabetes(return_X_y=True), "regression"),
    "synthetic_classification": (_synthetic_classification, "classification"),
    "friedman1": (_friedman1, "regression"),
}


def load(name, scope="default"):
    """Return ``X, y, kind`` for a dataset name."""
    loader, kind = _LOADERS[name]
    X, y = loader(scope)
    return X, y, kind


def names():
    return sorted(_LOADERS)
