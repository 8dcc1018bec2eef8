"""XGBoost: prefixes through ``iteration_range``, trimming by slicing the booster.

xgboost is never imported here: its models are recognised by their module.
"""

from ..utils._sklearn_compat import set_xgboost_booster
from ._registry import from_module, register_booster


@register_booster(from_module("xgboost", "get_booster"))
class XGBoostAdapter:
    rounds_param = "n_estimators"

    def check_prefixes(self, estimator):
        """Refuse boosters whose first rounds are not the smaller model."""
        booster = estimator.get_params().get("booster")
        if booster in ("dart", "gblinear"):
            raise ValueError(
                f"booster={booster!r} is not supported: "
                + (
                    "DART rescales earlier trees whenever it drops some, so "
                    "its first rounds are not the model trained with fewer"
                    if booster == "dart"
                    else "a linear booster's rounds cannot be sliced"
                )
                + ". Use booster='gbtree' (the default)."
            )

    def prepare(self, estimator):
        self.check_prefixes(estimator)
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
        if not set_xgboost_booster(model, model.get_booster()[:n_rounds]):
            return None
        model.n_estimators = n_rounds
        return model

    def size(self, model):
        booster = model.get_booster()
        dump = booster.get_dump()
        return {
            "rounds": booster.num_boosted_rounds(),
            "trees": len(dump),
            "leaves": int(sum(tree.count("leaf=") for tree in dump)),
        }
