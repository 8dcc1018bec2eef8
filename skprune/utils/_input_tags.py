"""What input an estimator accepts, read from its scikit-learn tags."""

from sklearn.pipeline import Pipeline
from sklearn.utils import get_tags


def accepts_missing_values(estimator):
    """Whether ``estimator`` takes NaN in X.

    A pipeline's own tags say no, but its first step is what sees X: a
    pipeline that starts with an imputer takes NaN (as ``RFE`` lets it).
    """
    if isinstance(estimator, Pipeline):
        steps = [
            step for _, step in estimator.steps if step not in (None, "passthrough")
        ]
        if steps:
            return accepts_missing_values(steps[0])
    return get_tags(estimator).input_tags.allow_nan


def accepts_sparse(estimator):
    """Whether ``estimator`` takes sparse X."""
    return get_tags(estimator).input_tags.sparse
