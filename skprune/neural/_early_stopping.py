"""When the epochs stop: on the training loss, or on a held-out validation score.

scikit-learn's rules, state and attributes: ``_no_improvement_count`` counts
the epochs that did not improve by ``tol`` (it carries over warm starts);
``best_loss_`` or ``best_validation_score_`` and ``validation_scores_`` are
kept on the estimator.
"""

import numpy as np
from sklearn.base import is_classifier
from sklearn.model_selection import train_test_split


def stopping_rule(mlp, X, y, sample_weight, rng, first_pass):
    """The data to train on, and the rule deciding when to stop.

    With ``early_stopping``, ``validation_fraction`` of the data is held out
    as scikit-learn does it: the split is stratified for single-output
    classification (binary ``y``, one column) and drawn from ``rng``.
    """
    if not mlp.early_stopping:
        return X, y, sample_weight, TrainingLoss()
    stratify = y if is_classifier(mlp) and mlp.n_outputs_ == 1 else None
    arrays = (X, y) if sample_weight is None else (X, y, sample_weight)
    split = train_test_split(
        *arrays,
        random_state=rng,
        test_size=mlp.validation_fraction,
        stratify=stratify,
    )
    X, X_val, y, y_val = split[:4]
    sw, sw_val = split[4:] or (None, None)
    if X_val.shape[0] < 2:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' "
            "or the size of your dataset."
        )
    if is_classifier(mlp):
        y_val = mlp._label_binarizer.inverse_transform(y_val)
    # A first fit falls back on the initial weights if no epoch scores; a
    # warm start (as scikit-learn's, whose best weights are then the live
    # ones) on its final weights.
    best = (
        ([W.copy() for W in mlp.coefs_], [b.copy() for b in mlp.intercepts_])
        if first_pass
        else None
    )
    return X, y, sw, ValidationScore(X_val, y_val, sw_val, best)


class TrainingLoss:
    """Stop when the training loss has not dropped by ``tol`` for
    ``n_iter_no_change`` epochs."""

    message = (
        "Training loss did not improve more than tol={tol:f} for {n:d} "
        "consecutive epochs."
    )

    def update(self, mlp):
        loss = mlp.loss_curve_[-1]
        if loss > mlp.best_loss_ - mlp.tol:
            mlp._no_improvement_count += 1
        else:
            mlp._no_improvement_count = 0
        if loss < mlp.best_loss_:
            mlp.best_loss_ = loss

    def restore(self, mlp):
        """The final weights are the model."""


class ValidationScore:
    """Stop when the validation score (accuracy or R²) has not risen by
    ``tol`` for ``n_iter_no_change`` epochs; keep the best epoch's weights."""

    message = (
        "Validation score did not improve more than tol={tol:f} for {n:d} "
        "consecutive epochs."
    )

    def __init__(self, X, y, sample_weight, best):
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.best = best

    def update(self, mlp):
        score = mlp._validation_score(self.X, self.y, self.sample_weight)
        mlp.validation_scores_.append(score)
        if mlp.verbose:
            print(f"Validation score: {score:f}")
        if score < mlp.best_validation_score_ + mlp.tol:
            mlp._no_improvement_count += 1
        else:
            mlp._no_improvement_count = 0
        if score > mlp.best_validation_score_:
            mlp.best_validation_score_ = score
            self.best = (
                [W.copy() for W in mlp.coefs_],
                [b.copy() for b in mlp.intercepts_],
            )

    def restore(self, mlp):
        if self.best is not None:
            mlp.coefs_, mlp.intercepts_ = self.best


def reset_progress(mlp):
    """What a first fit starts from: no loss curve, nothing to improve on."""
    mlp.loss_curve_ = []
    mlp._no_improvement_count = 0
    if mlp.early_stopping:
        mlp.validation_scores_ = []
        mlp.best_validation_score_ = -np.inf
        mlp.best_loss_ = None
    else:
        mlp.best_loss_ = np.inf
        mlp.validation_scores_ = None
        mlp.best_validation_score_ = None
