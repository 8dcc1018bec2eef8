"""Delegation checks for ``available_if`` on meta-estimators."""


def estimator_has(attr, fitted="estimator_"):
    """Check ``attr`` on the fitted inner model if there is one, else the given.

    For ``available_if``: a method is offered only when the model it delegates
    to has it -- the fitted one (``fitted``, e.g. ``"best_estimator_"``) after
    ``fit``, the user's ``estimator`` before.
    """

    def check(self):
        inner = getattr(self, fitted) if hasattr(self, fitted) else self.estimator
        getattr(inner, attr)
        return True

    return check
