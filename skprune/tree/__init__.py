"""Pruning for decision trees and random forests."""

from ._ccp import CostComplexityPrunerCV
from ._forest import ForestPrunerCV

__all__ = ["CostComplexityPrunerCV", "ForestPrunerCV"]
