"""Numpy MLPs that scikit-learn users know, and their pruning."""

from ._mlp import MLPClassifier, MLPRegressor
from ._pruner import MLPPruner
from ._pruner_cv import MLPPrunerCV

__all__ = ["MLPClassifier", "MLPPruner", "MLPPrunerCV", "MLPRegressor"]
