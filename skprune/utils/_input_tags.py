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


def check_no_lost_categories(estimator, X):
    """Refuse pandas categorical columns the estimator would read as categories.

    The pruners pass X on as a numeric array, where the dtype is gone: a
    ``HistGradientBoosting*`` with ``categorical_features="from_dtype"``,
    LightGBM or XGBoost with ``enable_categorical=True`` would then fit the
    codes as numbers, a different and often much worse model, without a word.
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None:
        return
    categorical = [str(c) for c, t in dtypes.items() if str(t) == "category"]
    if not categorical or not _reads_categorical_dtypes(estimator):
        return
    raise ValueError(
        f"X has pandas categorical columns {categorical}, which "
        f"{type(estimator).__name__} would treat as categories. skprune's "
        "pruners pass X on as a numeric array, where that dtype is lost. Encode "
        "them as integers (e.g. with OrdinalEncoder) and name them by column "
        "index: HistGradientBoosting's categorical_features, LightGBM's "
        "categorical_feature, XGBoost's feature_types."
    )


def _reads_categorical_dtypes(estimator):
    params = estimator.get_params(deep=True) if hasattr(estimator, "get_params") else {}
    parts = [estimator, *params.values()]
    return (
        any(
            (name == "categorical_features" or name.endswith("__categorical_features"))
            and isinstance(value, str)
            and value == "from_dtype"
            for name, value in params.items()
        )
        or any(
            (name == "enable_categorical" or name.endswith("__enable_categorical"))
            and value is True
            for name, value in params.items()
        )
        or any(type(part).__module__.startswith("lightgbm") for part in parts)
    )
