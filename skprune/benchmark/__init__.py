"""Cross-validated benchmarks of every pruning family (``skprune bench``)."""

from ._registry import Method, Task, register_family
from ._runner import run_benchmark

__all__ = ["Method", "Task", "register_family", "run_benchmark"]
