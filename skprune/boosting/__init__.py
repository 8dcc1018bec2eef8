"""Fewer boosting rounds, chosen from one fit per fold and trimmed, not refit."""

from ._trim import trim_rounds
from ._trimmer_cv import BoostingTrimmerCV

__all__ = ["BoostingTrimmerCV", "trim_rounds"]
