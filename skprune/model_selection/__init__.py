"""The shared engine: pruning paths scored by cross-validation."""

from ._path_cv import BasePrunerCV, HeldOutSplit, PruningPath, SplitScores
from ._rules import select_by_rule

__all__ = [
    "BasePrunerCV",
    "HeldOutSplit",
    "PruningPath",
    "SplitScores",
    "select_by_rule",
]
