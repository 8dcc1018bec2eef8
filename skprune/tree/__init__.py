"""Pruning for decision trees and random forests."""

from ._ccp import CostComplexityPrunerCV

__all__ = ["CostComplexityPrunerCV"]
