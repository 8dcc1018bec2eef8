"""Numpy MLPs that scikit-learn users know, their pruning and their export."""

from ._convert import to_sklearn
from ._mlp import MLPClassifier, MLPRegressor
from ._pruner import MLPPruner
from ._pruner_cv import MLPPrunerCV
from ._quantize import quantize

__all__ = [
    "MLPClassifier",
    "MLPPruner",
    "MLPPrunerCV",
    "MLPRegressor",
    "quantize",
    "to_sklearn",
]
