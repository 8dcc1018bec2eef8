"""Numpy MLPs that scikit-learn users know, and their pruning."""

from ._mlp import MLPClassifier, MLPRegressor
from ._pruner import MLPPruner

__all__ = ["MLPClassifier", "MLPPruner", "MLPRegressor"]
