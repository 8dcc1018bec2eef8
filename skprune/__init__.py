"""Make scikit-learn models smaller and faster without losing CV accuracy.

skprune reads a whole *pruning path* off one fit per cross-validation fold
(tree weakest-link collapses, boosting prefixes, feature elimination, MLP
sparsity checkpoints), scores every point of it, and picks one with a rule.

Subpackages are imported on demand (``from skprune.tree import ...``) so that
``import skprune`` stays light and optional dependencies stay optional.
"""

__version__ = "0.1.0.dev0"

__all__ = [
    "benchmark",
    "boosting",
    "linear",
    "metrics",
    "model_selection",
    "neural",
    "plotting",
    "tree",
]
