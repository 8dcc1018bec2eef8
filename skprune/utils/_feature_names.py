"""The user's column names on a model fitted on arrays."""


def carry_feature_names(pruner, model):
    """Give the final model the column names the pruner was fitted with.

    The hooks fit on the validated array; a scikit-learn model deployed on
    its own should still know (and check) the user's column names, as it
    would had it been fitted on the DataFrame.
    """
    names = getattr(pruner, "feature_names_in_", None)
    settable = not isinstance(getattr(type(model), "feature_names_in_", None), property)
    if names is not None and settable and hasattr(model, "n_features_in_"):
        model.feature_names_in_ = names
