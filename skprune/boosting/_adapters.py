"""What skprune needs to know about each boosting library, in one place.

An adapter answers, for one kind of boosted model: which parameter sets the
number of rounds, how to switch off early stopping, how many rounds a fitted
model holds, how to read the responses of every prefix from one fit, and how
to cut a fitted model down to its first rounds.
"""

import warnings
from copy import deepcopy

from sklearn.ensemble import (
    AdaBoostClassifier,
    AdaBoostRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)

from ..utils._sklearn_compat import (
    hist_gradient_boosting_predictors,
    set_hist_gradient_boosting_predictors,
    set_xgboost_booster,
)

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
        set_hist_gradient_boosting_predictors(model, predictors[:n_rounds])
        # Scores hold one entry before the first round, then one per round.
        for name in ("train_score_", "validation_score_"):
            scores = getattr(model, name)
            if len(scores):
                setattr(model, name, scores[: n_rounds + 1].copy())
        model.max_iter = n_rounds
        return model


class _XGBoostAdapter:
    """XGBoost: prefixes through ``iteration_range``, trimming by slicing."""

    rounds_param = "n_estimators"

    def prepare(self, estimator):
        if estimator.get_params().get("early_stopping_rounds") is not None:
            raise ValueError(
                "BoostingTrimmerCV chooses the number of rounds itself and cannot "
                "use XGBoost's early stopping (it needs an eval_set). Set "
                "early_stopping_rounds=None."
            )
        if estimator.get_params().get("n_estimators") is None:
            # XGBoost's own default number of rounds.
            estimator = estimator.set_params(n_estimators=100)
        return estimator

    def fitted_rounds(self, model):
        return model.get_booster().num_boosted_rounds()

    def staged_responses(self, model, X):
        methods = [m for m in ("predict", "predict_proba") if hasattr(model, m)]

        def at(n_rounds):
            return {
                m: (lambda m=m: getattr(model, m)(X, iteration_range=(0, n_rounds)))
                for m in methods
            }

        return at

    def trim(self, model, n_rounds):
        set_xgboost_booster(model, model.get_booster()[:n_rounds])
        model.n_estimators = n_rounds
        return model


_SKLEARN_ADAPTERS = {
    GradientBoostingClassifier: _GradientBoostingAdapter,
    GradientBoostingRegressor: _GradientBoostingAdapter,
    HistGradientBoostingClassifier: _HistGradientBoostingAdapter,
    HistGradientBoostingRegressor: _HistGradientBoostingAdapter,
    AdaBoostClassifier: _AdaBoostAdapter,
    AdaBoostRegressor: _AdaBoostAdapter,
}


def _is_xgboost(estimator):
    # Checked by module so that xgboost is never imported unless it is used.
    module = type(estimator).__module__
    return module.startswith("xgboost") and hasattr(estimator, "get_booster")


def get_adapter(estimator):
    """The adapter of ``estimator``, or TypeError for an unsupported model."""
    for cls, adapter in _SKLEARN_ADAPTERS.items():
        if isinstance(estimator, cls):
            return adapter()
    if _is_xgboost(estimator):
        return _XGBoostAdapter()
    raise TypeError(
        "Boosting trimming supports GradientBoosting*, HistGradientBoosting*, "
        "AdaBoost* and XGBoost's XGB* models; got "
        f"{type(estimator).__name__}."
    )


def trimmed_copy(model, n_rounds):
    """A deep copy of ``model`` cut to its first ``n_rounds`` (no checks)."""
    return get_adapter(model).trim(deepcopy(model), int(n_rounds))


def n_rounds_of(estimator):
    """The number of rounds an unfitted estimator is set to train."""
    adapter = get_adapter(estimator)
    return estimator.get_params()[adapter.rounds_param]


__all__ = ["get_adapter", "n_rounds_of", "trimmed_copy"]
