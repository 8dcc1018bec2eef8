"""Cross-validation splitters the pruners build from an int ``cv``."""

from numbers import Integral

from sklearn.model_selection import (
    RepeatedKFold,
    RepeatedStratifiedKFold,
    StratifiedKFold,
    check_cv,
)


def check_repeated_cv(cv, n_repeats, random_state, y, *, classifier):
    """``check_cv``, with an int ``cv`` repeated ``n_repeats`` times.

    An int (or None, meaning 5) with ``n_repeats > 1`` gives the splitter
    ``check_cv`` picks -- stratified or not -- repeated with a new shuffle
    each time: ``RepeatedStratifiedKFold`` or ``RepeatedKFold``.
    ``n_repeats=1``, a splitter or an iterable give ``check_cv``'s own.
    """
    splitter = check_cv(cv, y, classifier=classifier)
    if n_repeats == 1 or not (cv is None or isinstance(cv, Integral)):
        return splitter
    repeated = (
        RepeatedStratifiedKFold
        if isinstance(splitter, StratifiedKFold)
        else RepeatedKFold
    )
    return repeated(
        n_splits=splitter.n_splits, n_repeats=n_repeats, random_state=random_state
    )
