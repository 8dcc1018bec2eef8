"""Plots of pruning paths (matplotlib is imported only when drawing)."""

from ._pruning_curve import PruningCurveDisplay

__all__ = ["PruningCurveDisplay"]
