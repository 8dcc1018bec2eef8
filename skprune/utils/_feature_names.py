"""The user's column names on a model fitted on arrays."""


def carry_feature_names(pruner, model):
    """Give the final model the column names the pruner was fitted with.

    The hooks fit on the validated array; a scikit-learn model deployed on
    its own should still know (and check) the user's column names, as it
    would had it been fitted on the DataFrame.
    """
    names = getattr(pruner, "feature_names_in_", None)
    if names is None or not hasattr(model, "n_features_in_"):
        return
    if not isinstance(getattr(type(model), "feature_names_in_", None), property):
        model.feature_names_in_ = names
    elif hasattr(model, "get_booster"):
        # XGBoost reads its names from the booster, and checks them at
        # predict as it would after a fit on the DataFrame.
        model.get_booster().feature_names = [str(name) for name in names]
