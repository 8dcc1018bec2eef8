"""One registry of boosting libraries: a new booster is one new module.

Each adapter module registers its adapter class with the test that
recognises the models it handles. :class:`~skprune.boosting.BoostingTrimmerCV`,
:func:`~skprune.boosting.trim_rounds` and :func:`~skprune.metrics.model_size`
all find an adapter here, and nowhere else.

An adapter answers, for one kind of boosted model: which parameter sets the
number of rounds (``rounds_param``), how to switch off early stopping
(``prepare``), how many rounds a fitted model holds (``fitted_rounds``), the
responses of every prefix from one fit (``staged_responses``), how to cut a
fitted model to its first rounds (``trim``) and how big it is (``size``).
"""

_ADAPTERS = []


def register_booster(matches):
    """Class decorator: the adapter handles the estimators ``matches`` accepts.

    Parameters
    ----------
    matches : callable
        ``matches(estimator) -> bool``. Test optional libraries by module
        name, so that they are never imported unless a model of theirs is
        given.
    """

    def register(adapter):
        _ADAPTERS.append((matches, adapter))
        return adapter

    return register


def find_adapter(estimator):
    """The adapter for ``estimator``, or None if no booster claims it."""
    for matches, adapter in _ADAPTERS:
        if matches(estimator):
            return adapter()
    return None


def get_adapter(estimator):
    """The adapter for ``estimator``; ``TypeError`` for an unsupported model."""
    adapter = find_adapter(estimator)
    if adapter is None:
        raise TypeError(
            "Boosting trimming supports GradientBoosting*, HistGradientBoosting*, "
            "AdaBoost*, XGBoost's XGB* and LightGBM's LGBM* models; got "
            f"{type(estimator).__name__}."
        )
    return adapter


def from_module(prefix, method):
    """A ``matches`` for a library's models: its module and a telling attribute.

    The attribute is looked up on the class: a fitted-only property (such as
    LightGBM's ``booster_``) is there before ``fit`` too.
    """

    def matches(estimator):
        cls = type(estimator)
        return cls.__module__.split(".")[0] == prefix and hasattr(cls, method)

    return matches
