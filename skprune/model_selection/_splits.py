"""Cross-validation splitters the pruners build from an int ``cv``."""

from numbers import Integral

from sklearn.model_selection import RepeatedKFold, RepeatedStratifiedKFold, check_cv
from sklearn.utils.multiclass import type_of_target


def check_repeated_cv(cv, n_repeats, random_state, y, *, classifier):
    """``check_cv``, with an int ``cv`` repeated ``n_repeats`` times.

    An int (or None, meaning 5) with ``n_repeats > 1`` gives
    ``RepeatedStratifiedKFold`` for a classifier with a binary or multiclass
    target and ``RepeatedKFold`` otherwise -- the splitters ``check_cv``
    would pick, repeated with a new shuffle each time. ``n_repeats=1``, a
    splitter or an iterable are handed to ``check_cv`` unchanged.
    """
    if n_repeats == 1 or not (cv is None or isinstance(cv, Integral)):
        return check_cv(cv, y, classifier=classifier)
    n_splits = 5 if cv is None else cv
    stratify = classifier and type_of_target(y) in ("binary", "multiclass")
    splitter = RepeatedStratifiedKFold if stratify else RepeatedKFold
    return splitter(n_splits=n_splits, n_repeats=n_repeats, random_state=random_state)
