"""Cutting a fitted boosted model down to its first rounds."""

from numbers import Integral

from sklearn.utils.validation import check_is_fitted

from ..utils._sklearn_compat import Interval, validate_params
from ._registry import get_adapter
from ._trimming import trimmed_copy


@validate_params(
    {
        "model": "no_validation",
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def trim_rounds(model, n_rounds):
    """Return a copy of a fitted boosted model that keeps its first rounds.

    The copy predicts exactly like the same model trained with ``n_rounds``
    rounds (``n_estimators`` or ``max_iter``), because boosting builds round
    ``k`` from rounds ``1..k-1`` only and draws its randomness round by round.
    The original model is not modified.

    Parameters
    ----------
    model : fitted estimator
        A ``GradientBoostingClassifier``/``Regressor``,
        ``HistGradientBoostingClassifier``/``Regressor``,
        ``AdaBoostClassifier``/``Regressor``, XGBoost's
        ``XGBClassifier``/``XGBRegressor`` or LightGBM's
        ``LGBMClassifier``/``LGBMRegressor``.
    n_rounds : int
        Rounds to keep, from 1 to the number of rounds the model holds.

    Returns
    -------
    trimmed : estimator
        A copy of the model's class with:

        - gradient boosting: ``estimators_``, ``train_score_``,
          ``oob_improvement_``, ``oob_scores_``, ``oob_score_``,
          ``n_estimators_`` and ``n_estimators`` cut;
        - AdaBoost: ``estimators_``, ``estimator_weights_``,
          ``estimator_errors_`` and ``n_estimators`` cut;
        - HistGradientBoosting: its per-iteration predictors (hence
          ``n_iter_``), ``train_score_``, ``validation_score_`` and
          ``max_iter`` cut;
        - XGBoost: the booster sliced to ``n_rounds`` and ``n_estimators``;
        - LightGBM: the booster cut to ``n_rounds``, ``n_estimators``, and
          ``best_iteration_`` (kept if within ``n_rounds``, else
          ``n_rounds``).

    Raises
    ------
    NotFittedError
        If the model is not fitted.
    TypeError
        If the model is of an unsupported kind.
    ValueError
        If ``n_rounds`` exceeds the rounds the model holds, or the model is
        an XGBoost or LightGBM DART booster or an XGBoost linear booster,
        whose first rounds are not the model trained with fewer.
    RuntimeError
        If the library no longer has the private attribute a trim writes
        (a warning says which); refit with ``n_rounds`` instead.

    See Also
    --------
    BoostingTrimmerCV : Choose the number of rounds by cross-validation.

    Notes
    -----
    Models fitted with early stopping hold fewer rounds than they were set
    to; trimming them within what they hold is still exact, although a refit
    with ``n_rounds`` would also re-run early stopping.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.ensemble import GradientBoostingRegressor
    >>> from skprune.boosting import trim_rounds
    >>> X, y = load_diabetes(return_X_y=True)
    >>> full = GradientBoostingRegressor(n_estimators=200, random_state=0).fit(X, y)
    >>> small = trim_rounds(full, 50)
    >>> small.n_estimators_, full.n_estimators_
    (50, 200)
    >>> refit = GradientBoostingRegressor(n_estimators=50, random_state=0).fit(X, y)
    >>> bool(np.array_equal(small.predict(X), refit.predict(X)))
    True
    """
    adapter = get_adapter(model)
    check_is_fitted(model)
    # XGBoost's and LightGBM's DART (and XGBoost's linear booster) hold
    # rounds that are not a smaller model.
    if hasattr(adapter, "check_prefixes"):
        adapter.check_prefixes(model)
    available = adapter.fitted_rounds(model)
    if n_rounds > available:
        raise ValueError(
            f"n_rounds={n_rounds} is more than the {available} rounds this "
            f"{type(model).__name__} holds."
        )
    trimmed = trimmed_copy(model, n_rounds)
    if trimmed is None:
        raise RuntimeError(
            f"This version of {type(model).__module__.split('.')[0]} cannot trim "
            f"a fitted {type(model).__name__} in place; refit it with "
            f"{n_rounds} rounds."
        )
    return trimmed
