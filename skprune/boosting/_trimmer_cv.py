"""The number of boosting rounds, chosen by cross-validation from one fit."""

import numpy as np
from sklearn.base import clone, is_classifier

from ..model_selection import BasePrunerCV, PruningPath
from ..model_selection._precomputed import precomputed_estimator
from ._registry import get_adapter
from ._trimming import n_rounds_of, trimmed_or_refit


class BoostingTrimmerCV(BasePrunerCV):
    """Choose the number of boosting rounds by CV from one fit per fold.

    Each fold fits the estimator **once** with its full number of rounds and
    scores **every** prefix ``1..N`` on the held-out part
    (``staged_predict``/``staged_predict_proba``/``staged_decision_function``
    for scikit-learn's models, ``iteration_range`` for XGBoost,
    ``num_iteration`` for LightGBM). The final model
    is fitted once on all data and trimmed with :func:`trim_rounds` -- not
    refitted -- so it predicts exactly like a model trained with that many
    rounds.

    Parameters
    ----------
    estimator : estimator object
        A ``GradientBoostingClassifier``/``Regressor``,
        ``HistGradientBoostingClassifier``/``Regressor``,
        ``AdaBoostClassifier``/``Regressor``, XGBoost's
        ``XGBClassifier``/``XGBRegressor`` or LightGBM's
        ``LGBMClassifier``/``LGBMRegressor``. Its ``n_estimators`` (``max_iter``
        for HistGradientBoosting) is the longest path scored. Early stopping
        is switched off: HistGradientBoosting's ``early_stopping`` is set to
        False (its ``"auto"`` default turns it on above 10,000 samples), and
        GradientBoosting's ``n_iter_no_change`` to None, with a warning when
        it was set; XGBoost's ``early_stopping_rounds`` and LightGBM's
        ``early_stopping_round`` are refused.

    cv : int, cross-validation generator or iterable, default=5
        Determines the cross-validation splitting strategy, as in
        :class:`~sklearn.model_selection.GridSearchCV`.

    scoring : str, callable or None, default=None
        Any single scikit-learn scorer, probability-based ones included;
        ``None`` uses the estimator's ``score``.

    rule : {"paired", "best", "1se"} or float, default="paired"
        How to choose the number of rounds; see
        :func:`~skprune.model_selection.select_by_rule`.

    n_jobs : int, default=None
        Number of folds fitted in parallel (joblib).

    verbose : int, default=0
        ``1`` prints ``GridSearchCV``'s opening line (folds x candidates);
        ``2`` also one line per fold with its times; higher adds joblib's.

    Attributes
    ----------
    cv_results_ : dict of ndarrays
        One entry per round count: ``size`` and ``param_n_rounds`` (the
        number of rounds), ``params``, ``split<k>_test_score``,
        ``mean_test_score``, ``std_test_score``, ``rank_test_score``,
        ``mean_fit_time``, ``std_fit_time``, ``mean_score_time``.

    best_index_ : int
        Index of the chosen round count in ``cv_results_``.

    best_params_ : dict
        ``{"n_rounds": n}``.

    best_score_ : float
        Mean cross-validated score of the chosen round count.

    best_estimator_ : estimator
        The estimator fitted on all data with every round, then trimmed to
        ``n`` rounds; its ``n_estimators`` (or ``max_iter``) is ``n``.

    scorer_ : callable
        The scorer used on the held-out folds and by :meth:`score`.

    n_splits_ : int
        Number of cross-validation splits.

    classes_ : ndarray of shape (n_classes,)
        Class labels (classifiers only).

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    trim_rounds : Trim a fitted model to a given number of rounds.
    sklearn.model_selection.GridSearchCV : Refits for every ``n_estimators``.

    Notes
    -----
    A prefix of a boosted model is the model trained with fewer rounds:
    round ``k`` depends only on earlier rounds, and subsampling draws its
    randomness round by round, so with a fixed ``random_state`` the scores
    equal those of ``GridSearchCV`` over ``n_estimators``. AdaBoost may stop
    before ``n_estimators`` on a perfect fit; longer prefixes then score as
    the whole model, as a refit would.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import GradientBoostingClassifier
    >>> from skprune.boosting import BoostingTrimmerCV
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> gb = GradientBoostingClassifier(n_estimators=100, random_state=0)
    >>> trimmer = BoostingTrimmerCV(gb, cv=3).fit(X, y)
    >>> trimmer.best_params_["n_rounds"] < 100
    True
    >>> trimmer.best_estimator_.n_estimators_ == trimmer.best_params_["n_rounds"]
    True
    """

    _path_param = "n_rounds"
    _size_label = "rounds"

    def __init__(
        self, estimator, *, cv=5, scoring=None, rule="paired", n_jobs=None, verbose=0
    ):
        super().__init__(
            estimator,
            cv=cv,
            scoring=scoring,
            rule=rule,
            n_jobs=n_jobs,
            verbose=verbose,
        )

    _sparse_formats = ["csr", "csc"]
    _handles_nan = True

    def _check_estimator(self):
        get_adapter(self.estimator)

    def _validate_fit_data(self, X, y):
        X, y = super()._validate_fit_data(X, y)
        if is_classifier(self.estimator) and len(np.unique(y)) < 2:
            raise ValueError(
                "BoostingTrimmerCV needs at least 2 classes to boost a "
                "classifier; y has 1 class."
            )
        return X, y

    def _prepared_estimator(self):
        estimator = clone(self.estimator)
        return get_adapter(estimator).prepare(estimator)

    def _path(self, X, y, **fit_params):
        model = self._prepared_estimator().fit(X, y, **fit_params)
        n_rounds = np.arange(1, n_rounds_of(model) + 1)
        fitted = get_adapter(model).fitted_rounds(model)
        return PruningPath(
            values=n_rounds, sizes=np.minimum(n_rounds, fitted), model=model
        )

    def _fit_fold(self, X, y, **fit_params):
        return self._prepared_estimator().fit(X, y, **fit_params)

    def _score_path(self, fold_model, X, y, values, scorer, score_params):
        responses_at = get_adapter(fold_model).staged_responses(fold_model, X)
        classes = getattr(fold_model, "classes_", None)
        scores = np.empty(len(values))
        for i, n_rounds in enumerate(values):
            responses = precomputed_estimator(
                is_classifier(fold_model),
                X.shape[0],
                classes=classes,
                **responses_at(n_rounds),
            )
            scores[i] = scorer(responses, X, y, **score_params)
        return scores

    def _fit_best(self, X, y, path, index, **fit_params):
        model = path.model
        n_rounds = min(path.values[index], get_adapter(model).fitted_rounds(model))
        return trimmed_or_refit(model, n_rounds, X, y, fit_params)
