"""Cross-validated score against model size along a pruning path."""

from numbers import Real

import numpy as np
from sklearn.base import is_classifier
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ..model_selection import BasePrunerCV, select_by_rule
from ..model_selection._rules import _SPLIT_KEY, qualifying_points


class PruningCurveDisplay:
    """Mean cross-validated score ± one standard deviation against model size.

    Build it with :meth:`from_estimator` (a fitted ``*CV`` pruner) or
    :meth:`from_cv_results`; the constructor only stores arrays. The best
    point and the rule's choice are marked. A rule with a threshold score
    (the best mean minus one standard error for ``"1se"``, or minus the
    tolerance of a float rule) draws it as a horizontal line; the paired
    rule, which judges every point by its own differences from the best,
    marks the points it accepts instead.

    Parameters
    ----------
    sizes : ndarray of shape (n_points,)
        Model size at each path point (leaves, rounds, features...).
    mean_scores : ndarray of shape (n_points,)
        Mean test score at each point.
    std_scores : ndarray of shape (n_points,)
        Standard deviation of the test score across splits.
    best_index : int
        Index of the point with the best mean score.
    chosen_index : int
        Index of the point the pruner's rule chose.
    rule : str or float
        The rule that chose ``chosen_index``, for the legend.
    threshold : float, default=None
        The score drawn as a horizontal line; none if None.
    accepted : ndarray of bool of shape (n_points,), default=None
        The points the rule accepts, marked when there is no threshold.
    size_label : str, default="size"
        Label of the x axis.
    score_label : str, default="score"
        The scorer's name (``"accuracy"``, ``"neg_log_loss"``...), used in
        the label of the y axis.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The mean score curve.
    band_ : matplotlib PolyCollection
        The ± one standard deviation band.
    best_marker_ : matplotlib Line2D
        Marker on the best point.
    chosen_marker_ : matplotlib Line2D
        Marker on the chosen point (drawn inside the best point's ring when
        they coincide, so both stay visible).
    threshold_line_ : matplotlib Line2D or None
        The threshold line.
    accepted_markers_ : matplotlib Line2D or None
        The markers of the accepted points.
    ax_ : matplotlib Axes
        Axes with the curve.
    figure_ : matplotlib Figure
        Figure containing the curve.

    See Also
    --------
    skprune.model_selection.select_by_rule : How the chosen point is picked.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skprune.plotting import PruningCurveDisplay
    >>> from skprune.tree import CostComplexityPrunerCV
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> tree = DecisionTreeClassifier(random_state=0)
    >>> pruner = CostComplexityPrunerCV(tree, random_state=0)
    >>> display = PruningCurveDisplay.from_estimator(pruner.fit(X, y))
    >>> display.ax_.get_xlabel()
    'leaves'
    >>> display.ax_.get_ylabel()
    'CV accuracy (mean ± 1 std)'
    """

    def __init__(
        self,
        *,
        sizes,
        mean_scores,
        std_scores,
        best_index,
        chosen_index,
        rule,
        threshold=None,
        accepted=None,
        size_label="size",
        score_label="score",
    ):
        self.sizes = sizes
        self.mean_scores = mean_scores
        self.std_scores = std_scores
        self.best_index = best_index
        self.chosen_index = chosen_index
        self.rule = rule
        self.threshold = threshold
        self.accepted = accepted
        self.size_label = size_label
        self.score_label = score_label

    def plot(self, ax=None, *, log_size=None, name=None):
        """Draw the curve.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure (with room for the legend, which is
            placed to the right of the axes) is created if None.
        log_size : bool, default=None
            Logarithmic size axis; by default when sizes span more than two
            orders of magnitude.
        name : str, default=None
            Label of the curve in the legend.

        Returns
        -------
        display : PruningCurveDisplay
            Object that stores the drawn artists.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        order = np.argsort(self.sizes, kind="stable")
        sizes = np.asarray(self.sizes, dtype=float)[order]
        mean = np.asarray(self.mean_scores, dtype=float)[order]
        std = np.asarray(self.std_scores, dtype=float)[order]
        (self.line_,) = ax.plot(
            sizes, mean, drawstyle="steps-post", label=name or "mean CV score"
        )
        self.band_ = ax.fill_between(
            sizes,
            mean - std,
            mean + std,
            alpha=0.2,
            step="post",
            color=self.line_.get_color(),
        )
        self.threshold_line_ = None
        if self.threshold is not None:
            self.threshold_line_ = ax.axhline(
                self.threshold,
                linestyle=":",
                color="0.4",
                label=_threshold_label(self.rule),
            )
        self.accepted_markers_ = None
        if self.accepted is not None and self.threshold is None:
            accepted = np.asarray(self.accepted, dtype=bool)
            (self.accepted_markers_,) = ax.plot(
                np.asarray(self.sizes)[accepted],
                np.asarray(self.mean_scores)[accepted],
                "o",
                markersize=5,
                markerfacecolor="none",
                color="0.4",
                linestyle="none",
                label="not worse than the best (paired test)",
                zorder=2,
            )
        # A ring around the best point and a star inside it: both visible
        # when the rule chooses the best point.
        (self.best_marker_,) = ax.plot(
            self.sizes[self.best_index],
            self.mean_scores[self.best_index],
            "o",
            markersize=14,
            markerfacecolor="none",
            markeredgewidth=2,
            color="tab:green",
            label="best mean score",
            zorder=3,
        )
        (self.chosen_marker_,) = ax.plot(
            self.sizes[self.chosen_index],
            self.mean_scores[self.chosen_index],
            "*",
            markersize=10,
            color="tab:red",
            label=f"chosen (rule={self.rule!r})",
            zorder=4,
        )
        if log_size is None:
            positive = sizes[sizes > 0]
            log_size = len(positive) > 0 and positive.max() > 100 * positive.min()
        if log_size:
            ax.set_xscale("log")
        ax.set_xlabel(self.size_label)
        ax.set_ylabel(f"CV {self.score_label} (mean ± 1 std)")
        # Outside the axes: inside, it hides part of the curve.
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_cv_results(
        cls,
        cv_results,
        *,
        rule="paired",
        size_label="size",
        score_label="score",
        ax=None,
        log_size=None,
        name=None,
    ):
        """Plot the curve of a ``cv_results_`` dict.

        Parameters
        ----------
        cv_results : dict
            ``cv_results_`` of a skprune ``*CV`` pruner (or any dict with
            ``size``, ``mean_test_score``, ``std_test_score`` and the split
            scores).
        rule : {"paired", "best", "1se"} or float, default="paired"
            Rule whose choice is marked. A line is drawn at the best mean
            score minus ``rule`` if it is a float, or minus the best point's
            standard error for ``"1se"``; with ``"paired"`` the points the
            paired test accepts are marked.
        size_label : str, default="size"
            Label of the x axis.
        score_label : str, default="score"
            The scorer's name, used in the label of the y axis.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        log_size : bool, default=None
            Logarithmic size axis; see :meth:`plot`.
        name : str, default=None
            Legend label of the curve.

        Returns
        -------
        display : PruningCurveDisplay
        """
        # select_by_rule validates ``rule`` before anything reads it.
        chosen = select_by_rule(cv_results, rule=rule)
        _, _, best, accepted = qualifying_points(cv_results, rule)
        display = cls(
            sizes=np.asarray(cv_results["size"]),
            mean_scores=np.asarray(cv_results["mean_test_score"]),
            std_scores=np.asarray(cv_results["std_test_score"]),
            best_index=best,
            chosen_index=chosen,
            rule=rule,
            threshold=_threshold(cv_results, best, rule),
            accepted=accepted,
            size_label=size_label,
            score_label=score_label,
        )
        return display.plot(ax=ax, log_size=log_size, name=name)

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, log_size=None, name=None):
        """Plot the curve of a fitted skprune ``*CV`` pruner.

        Parameters
        ----------
        estimator : fitted skprune ``*CV`` pruner, a pipeline ending in one,
            or a search (``GridSearchCV``...) whose ``best_estimator_`` is one
            Its ``cv_results_`` and the rule that chose are used (its
            ``rule_`` if it has one, as ``ForestPrunerCV`` does, else its
            ``rule``); the y axis is named after its ``scoring``
            (``"accuracy"`` or ``"R²"``, what ``score`` computes, when it is
            None).
        ax : matplotlib Axes, default=None
            Axes to draw on.
        log_size : bool, default=None
            Logarithmic size axis; see :meth:`plot`.
        name : str, default=None
            Legend label of the curve.

        Returns
        -------
        display : PruningCurveDisplay
        """
        estimator = _the_pruner(estimator)
        check_is_fitted(estimator)
        if not hasattr(estimator, "cv_results_"):
            raise TypeError(
                f"{type(estimator).__name__} has no cv_results_ to plot: a "
                "pruning curve needs a fitted *CV pruner, such as "
                "MLPPrunerCV or CostComplexityPrunerCV."
            )
        return cls.from_cv_results(
            estimator.cv_results_,
            rule=getattr(estimator, "rule_", estimator.rule),
            size_label=getattr(estimator, "_size_label", "size"),
            score_label=_scorer_name(estimator),
            ax=ax,
            log_size=log_size,
            name=name,
        )


def _the_pruner(estimator):
    """The ``*CV`` pruner inside pipelines and searches (their best model)."""
    while True:
        if isinstance(estimator, Pipeline):
            estimator = estimator[-1]
        elif isinstance(estimator, BasePrunerCV) or not hasattr(
            estimator, "best_estimator_"
        ):
            return estimator
        else:
            estimator = estimator.best_estimator_


def _scorer_name(estimator):
    """The name of what a pruner's scores measure."""
    # What the splits were scored by, which a family may fix (closed-form LOO).
    scoring = getattr(estimator, "_scoring", lambda: estimator.scoring)()
    if isinstance(scoring, str):
        return scoring
    if scoring is None:
        # scikit-learn's classifiers score accuracy, its regressors R².
        return "accuracy" if is_classifier(estimator) else "R²"
    return "score"


def _threshold(cv_results, best, rule):
    """The lowest mean score the rule accepts, or None where it has none.

    ``"1se"`` and a float tolerance accept every point above a line; the
    paired rule judges each point by its own split-by-split differences from
    the best, so it has no line (the points it accepts are marked instead).
    """
    best_mean = cv_results["mean_test_score"][best]
    if isinstance(rule, Real):
        return best_mean - rule
    n_splits = sum(1 for key in cv_results if _SPLIT_KEY.match(key))
    if rule != "1se" or n_splits == 0:
        return None
    return best_mean - cv_results["std_test_score"][best] / np.sqrt(n_splits)


def _threshold_label(rule):
    return f"best − {rule:g}" if isinstance(rule, Real) else "best − 1 SE"
