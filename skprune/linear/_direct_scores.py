"""Held-out accuracy of linear classifiers, computed directly in numpy.

A sweep scores its model at every size on every fold, and for small folds
scikit-learn's per-call validation (of X in ``predict``, of both targets in
``accuracy_score``) costs more than the prediction itself. For plain linear
classifiers and accuracy, the same number is computed here from ``coef_`` and
``intercept_``. Anything else goes through the scorer.
"""

import numpy as np
from sklearn.base import ClassifierMixin

from ..utils._sklearn_compat import LinearClassifierMixin


def _plain_linear_classifier(estimator):
    cls = type(estimator)
    return (
        cls.predict is LinearClassifierMixin.predict
        and cls.decision_function is LinearClassifierMixin.decision_function
    )


def _accuracy(estimator, X, y):
    # LinearClassifierMixin.predict, without its validation of X.
    scores = X @ np.asarray(estimator.coef_).T + estimator.intercept_
    if scores.ndim == 2 and scores.shape[1] == 1:
        scores = scores.ravel()
    indices = (scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(axis=1)
    return float(np.mean(estimator.classes_[indices] == y))


def direct_score(scoring, estimator):
    """``score(estimator, X, y)`` equal to ``scoring``'s scorer, or None.

    Only for unweighted accuracy (``scoring`` None with ``ClassifierMixin``'s
    ``score``, or ``"accuracy"``) of a classifier whose ``predict`` and
    ``decision_function`` are those of scikit-learn's linear classifiers
    (``LogisticRegression``, ``SGDClassifier``, ``LinearSVC``...). A subclass
    that overrides any of these methods gets its scorer.
    """
    if not _plain_linear_classifier(estimator):
        return None
    if scoring == "accuracy" or (
        scoring is None and type(estimator).score is ClassifierMixin.score
    ):
        return _accuracy
    return None
