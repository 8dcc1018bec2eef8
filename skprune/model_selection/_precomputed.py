"""Stand-in estimators that hand a scorer predictions computed elsewhere.

The engine scores every point of a path from one fitted model per fold. A
family computes each point's responses cheaply (a pruned tree's leaf values, a
boosting prefix, ...) and wraps them here, so that any scikit-learn scorer --
``accuracy``, ``roc_auc``, ``neg_log_loss`` or a user's own -- scores them
exactly as it would score a refitted model.
"""

from functools import cache

from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin


class _StandIn:
    """Says what a scoring callable gets when it asks for more."""

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        offered = ", ".join(sorted(vars(self)))
        raise AttributeError(
            f"A scoring callable is given a stand-in for each point of the "
            f"pruning path, which answers only {offered}; it has no {name!r}. "
            "Score from those, or use GridSearchCV for a score that needs the "
            "fitted model itself."
        )


class _PrecomputedClassifier(_StandIn, ClassifierMixin, BaseEstimator):
    pass


class _PrecomputedRegressor(_StandIn, RegressorMixin, BaseEstimator):
    pass


def precomputed_estimator(is_classifier, n_samples, classes=None, **responses):
    """Return an object that answers ``responses`` on one fixed X.

    Parameters
    ----------
    is_classifier : bool
        Whether scorers should treat the object as a classifier.
    n_samples : int
        Number of rows of the X the responses belong to; calling a response
        method with another X raises, so a mix-up cannot score silently.
    classes : ndarray, default=None
        ``classes_`` of a classifier.
    **responses : callables
        ``predict=f`` etc.: zero-argument functions, called at most once and
        only if the scorer asks for that method.
    """
    est = _PrecomputedClassifier() if is_classifier else _PrecomputedRegressor()
    if classes is not None:
        est.classes_ = classes
    for name, compute in responses.items():
        setattr(est, name, _fixed_response(name, cache(compute), n_samples))
    return est


def _fixed_response(name, compute, n_samples):
    def method(X):
        if X.shape[0] != n_samples:
            raise ValueError(
                f"{name} was precomputed for {n_samples} samples, got {X.shape[0]}."
            )
        return compute()

    # Scorers dispatch on the method's name (predict_proba vs predict...).
    method.__name__ = name
    return method
