"""Checks on a user's already fitted estimator (``prefit=True``)."""

import numpy as np
from sklearn.utils.multiclass import unique_labels


def check_prefit_targets(model, y):
    """Refuse targets a prefit model was not trained for, as a warm start does.

    The folds fit fresh copies on ``y`` while the model kept is the user's:
    a class of ``y`` it never saw would be scored by the folds and never
    predicted by the model.
    """
    n_outputs = 1 if np.ndim(y) == 1 else np.shape(y)[1]
    classes = getattr(model, "classes_", None)
    if isinstance(classes, np.ndarray):  # one output, or an MLP's labels
        unseen = np.setdiff1d(unique_labels(y), classes)
        if unseen.size:
            raise ValueError(
                f"y has classes {unseen.tolist()} that the prefit estimator was "
                f"not trained on; its classes are {classes.tolist()}."
            )
        return
    # A multi-output classifier has a list of classes per output; a
    # regressor, n_outputs_ (an MLP classifier's n_outputs_ counts classes).
    expected = len(classes) if classes is not None else model.n_outputs_
    if n_outputs != expected:
        raise ValueError(
            f"y has {n_outputs} outputs, but the prefit estimator predicts {expected}."
        )
