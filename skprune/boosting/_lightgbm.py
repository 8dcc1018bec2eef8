"""LightGBM: prefixes through ``num_iteration``, trimming by a cut booster.

lightgbm is imported only to build the cut booster of a model it fitted;
its models are recognised by their module.
"""

from ..utils._sklearn_compat import set_lightgbm_booster
from ._registry import from_module, register_booster

_EARLY_STOPPING = ("early_stopping_round", "early_stopping_rounds", "early_stopping")


@register_booster(from_module("lightgbm", "booster_"))
class LightGBMAdapter:
    rounds_param = "n_estimators"

    def check_prefixes(self, estimator):
        """Refuse DART, whose first rounds are not the smaller model."""
        params = estimator.get_params()
        for name in ("boosting_type", "boosting"):
            if params.get(name) == "dart":
                raise ValueError(
                    f"{name}='dart' is not supported: DART rescales earlier "
                    "trees whenever it drops some, so its first rounds are not "
                    "the model trained with fewer. Use boosting_type='gbdt'."
                )

    def prepare(self, estimator):
        self.check_prefixes(estimator)
        params = estimator.get_params()
        if any(params.get(name) not in (None, 0, False) for name in _EARLY_STOPPING):
            raise ValueError(
                "BoostingTrimmerCV chooses the number of rounds itself and cannot "
                "use LightGBM's early stopping (it needs a validation set). Remove "
                "early_stopping_round."
            )
        return estimator

    def fitted_rounds(self, model):
        return model.booster_.current_iteration()

    def staged_responses(self, model, X):
        methods = [m for m in ("predict", "predict_proba") if hasattr(model, m)]

        def at(n_rounds):
            return {
                m: (lambda m=m: getattr(model, m)(X, num_iteration=n_rounds))
                for m in methods
            }

        return at

    def trim(self, model, n_rounds):
        lightgbm = import_lightgbm()
        text = model.booster_.model_to_string(num_iteration=n_rounds)
        best = model.best_iteration_
        if not set_lightgbm_booster(
            model,
            lightgbm.Booster(model_str=text),
            # Still the best round if it is kept; else the last one kept.
            min(best, n_rounds) if best else best,
        ):
            return None
        model.set_params(n_estimators=n_rounds)
        return model

    def size(self, model):
        trees = model.booster_.dump_model()["tree_info"]
        return {
            "rounds": model.booster_.current_iteration(),
            "trees": len(trees),
            "leaves": int(sum(tree["num_leaves"] for tree in trees)),
        }


def import_lightgbm():
    """lightgbm, or an ImportError that names the extra to install."""
    try:
        import lightgbm
    except ImportError as error:
        raise ImportError(
            "LightGBM models need the lightgbm package: "
            "pip install 'skprune[lightgbm]'."
        ) from error
    return lightgbm
