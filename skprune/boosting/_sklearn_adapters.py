"""scikit-learn's boosting: gradient boosting, histogram-based, AdaBoost.

Prefixes come from the ``staged_*`` methods; trimming cuts the per-round
attributes. See :mod:`skprune.boosting._registry` for what an adapter does.
"""

import warnings

from sklearn.ensemble import (
    AdaBoostClassifier,
    AdaBoostRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.tree import BaseDecisionTree

from ..utils._sklearn_compat import (
    hist_gradient_boosting_predictors,
    set_hist_gradient_boosting_predictors,
)
from ._registry import register_booster

_RESPONSES = ("predict", "predict_proba", "decision_function")


class _StageCursor:
    """Walks a ``staged_*`` generator forward as the path's rounds increase."""

    def __init__(self, make_generator):
        self._make_generator = make_generator
        self._generator = None
        self._n_rounds = 0
        self._value = None

    def at(self, n_rounds):
        if n_rounds < self._n_rounds:
            raise ValueError("Rounds must be visited in increasing order.")
        if self._generator is None:
            self._generator = self._make_generator()
        while self._n_rounds < n_rounds:
            try:
                self._value = next(self._generator)
            except StopIteration:
                # Fewer rounds were fitted (AdaBoost stops on a perfect fit):
                # a model asked for more rounds would be this same model.
                break
            self._n_rounds += 1
        return self._value


class _SklearnStagedAdapter:
    """scikit-learn's boosting: staged_* methods and per-stage attributes."""

    rounds_param = "n_estimators"

    def prepare(self, estimator):
        return estimator

    def fitted_rounds(self, model):
        return len(model.estimators_)

    def size(self, model):
        # GradientBoosting holds an (n_rounds, K) array of trees, AdaBoost a
        # list of estimators (trees unless another was given).
        trees = list(getattr(model.estimators_, "flat", model.estimators_))
        leaves = [t.get_n_leaves() for t in trees if isinstance(t, BaseDecisionTree)]
        return {
            "rounds": len(model.estimators_),
            "trees": len(trees),
            "leaves": int(sum(leaves)),
        }

    def staged_responses(self, model, X):
        """``at(n) -> {method: zero-arg function}`` for n = 1, 2, ... in order."""
        cursors = {
            method: _StageCursor(lambda m=method: getattr(model, f"staged_{m}")(X))
            for method in _RESPONSES
            if hasattr(model, f"staged_{method}")
        }

        def at(n_rounds):
            return {m: (lambda c=c: c.at(n_rounds)) for m, c in cursors.items()}

        return at


@register_booster(
    lambda model: isinstance(
        model, GradientBoostingClassifier | GradientBoostingRegressor
    )
)
class _GradientBoostingAdapter(_SklearnStagedAdapter):
    def prepare(self, estimator):
        if estimator.n_iter_no_change is not None:
            warnings.warn(
                "BoostingTrimmerCV chooses the number of rounds itself: "
                "early stopping (n_iter_no_change) is turned off.",
                UserWarning,
                stacklevel=4,
            )
            estimator = estimator.set_params(n_iter_no_change=None)
        return estimator

    def fitted_rounds(self, model):
        return model.n_estimators_

    def trim(self, model, n_rounds):
        model.estimators_ = model.estimators_[:n_rounds].copy()
        model.train_score_ = model.train_score_[:n_rounds].copy()
        for name in ("oob_improvement_", "oob_scores_"):
            if hasattr(model, name):
                setattr(model, name, getattr(model, name)[:n_rounds].copy())
        if hasattr(model, "oob_scores_"):
            model.oob_score_ = model.oob_scores_[-1]
        model.n_estimators_ = n_rounds
        model.n_estimators = n_rounds
        return model


@register_booster(
    lambda model: isinstance(model, AdaBoostClassifier | AdaBoostRegressor)
)
class _AdaBoostAdapter(_SklearnStagedAdapter):
    def staged_responses(self, model, X):
        at = super().staged_responses(model, X)

        def quiet_at(n_rounds):
            return {
                m: _without_feature_name_warning(f) for m, f in at(n_rounds).items()
            }

        return quiet_at

    def trim(self, model, n_rounds):
        model.estimators_ = model.estimators_[:n_rounds]
        model.estimator_weights_ = model.estimator_weights_[:n_rounds].copy()
        model.estimator_errors_ = model.estimator_errors_[:n_rounds].copy()
        model.n_estimators = n_rounds
        return model


def _without_feature_name_warning(response):
    # AdaBoostClassifier.staged_predict validates X, then passes the resulting
    # array to staged_decision_function, which warns that a model fitted on a
    # DataFrame got no feature names. The names were checked the first time.
    def call():
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore",
                message="X does not have valid feature names",
                category=UserWarning,
            )
            return response()

    return call


@register_booster(
    lambda model: isinstance(
        model, HistGradientBoostingClassifier | HistGradientBoostingRegressor
    )
)
class _HistGradientBoostingAdapter(_SklearnStagedAdapter):
    rounds_param = "max_iter"

    def prepare(self, estimator):
        if estimator.early_stopping is True:
            warnings.warn(
                "BoostingTrimmerCV chooses the number of rounds itself: "
                "early stopping is turned off.",
                UserWarning,
                stacklevel=4,
            )
        # "auto" would silently switch early stopping on above 10,000 samples.
        return estimator.set_params(early_stopping=False)

    def fitted_rounds(self, model):
        return model.n_iter_

    def trim(self, model, n_rounds):
        predictors = hist_gradient_boosting_predictors(model)
        if predictors is None:
            return None
        set_hist_gradient_boosting_predictors(model, predictors[:n_rounds])
        # Scores hold one entry before the first round, then one per round.
        for name in ("train_score_", "validation_score_"):
            scores = getattr(model, name)
            if len(scores):
                setattr(model, name, scores[: n_rounds + 1].copy())
        model.max_iter = n_rounds
        return model

    def size(self, model):
        predictors = hist_gradient_boosting_predictors(model)
        size = {"rounds": model.n_iter_}
        if predictors is not None:
            trees = [p for round_ in predictors for p in round_]
            size["trees"] = len(trees)
            size["leaves"] = int(sum(p.get_n_leaf_nodes() for p in trees))
        return size
