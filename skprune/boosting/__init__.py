"""Fewer boosting rounds, chosen from one fit per fold and trimmed, not refit."""

# Each adapter module registers its booster; see _registry.
from . import _lightgbm, _sklearn_adapters, _xgboost  # noqa: F401
from ._trim import trim_rounds
from ._trimmer_cv import BoostingTrimmerCV

__all__ = ["BoostingTrimmerCV", "trim_rounds"]
