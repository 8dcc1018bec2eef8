"""Fewer features for linear models."""

from ._feature_pruner import FeaturePruner
from ._feature_pruner_cv import FeaturePrunerCV

__all__ = ["FeaturePruner", "FeaturePrunerCV"]
