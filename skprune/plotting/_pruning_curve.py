"""Cross-validated score against model size along a pruning path."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..model_selection import select_by_rule


class PruningCurveDisplay:
    """Mean cross-validated score ± one standard deviation against model size.

    Build it with :meth:`from_estimator` (a fitted ``*CV`` pruner) or
    :meth:`from_cv_results`; the constructor only stores arrays.

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
    size_label : str, default="size"
        Label of the x axis.
    score_label : str, default="score"
        Label of the y axis.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The mean score curve.
    band_ : matplotlib PolyCollection
        The ± one standard deviation band.
    best_marker_ : matplotlib Line2D
        Marker on the best point.
    chosen_marker_ : matplotlib Line2D
        Marker on the chosen point.
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
    >>> pruner = CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0))
    >>> display = PruningCurveDisplay.from_estimator(pruner.fit(X, y))
    >>> display.ax_.get_xlabel()
    'leaves'
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
        size_label="size",
        score_label="score",
    ):
        self.sizes = sizes
        self.mean_scores = mean_scores
        self.std_scores = std_scores
        self.best_index = best_index
        self.chosen_index = chosen_index
        self.rule = rule
        self.size_label = size_label
        self.score_label = score_label

    def plot(self, ax=None, *, log_size=None, name=None):
        """Draw the curve.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created if None.
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
            _, ax = plt.subplots()
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
        (self.best_marker_,) = ax.plot(
            self.sizes[self.best_index],
            self.mean_scores[self.best_index],
            "o",
            color="tab:green",
            label="best mean score",
        )
        (self.chosen_marker_,) = ax.plot(
            self.sizes[self.chosen_index],
            self.mean_scores[self.chosen_index],
            "*",
            markersize=12,
            color="tab:red",
            label=f"chosen (rule={self.rule})",
        )
        if log_size is None:
            positive = sizes[sizes > 0]
            log_size = len(positive) > 0 and positive.max() > 100 * positive.min()
        if log_size:
            ax.set_xscale("log")
        ax.set_xlabel(self.size_label)
        ax.set_ylabel(self.score_label)
        ax.legend(loc="lower right")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_cv_results(
        cls,
        cv_results,
        *,
        rule="1se",
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
        rule : {"best", "1se"} or float, default="1se"
            Rule whose choice is marked.
        size_label, score_label : str
            Axis labels.
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
        display = cls(
            sizes=np.asarray(cv_results["size"]),
            mean_scores=np.asarray(cv_results["mean_test_score"]),
            std_scores=np.asarray(cv_results["std_test_score"]),
            best_index=select_by_rule(cv_results, rule="best"),
            chosen_index=select_by_rule(cv_results, rule=rule),
            rule=rule,
            size_label=size_label,
            score_label=score_label,
        )
        return display.plot(ax=ax, log_size=log_size, name=name)

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, log_size=None, name=None):
        """Plot the curve of a fitted skprune ``*CV`` pruner.

        Parameters
        ----------
        estimator : fitted skprune ``*CV`` pruner
            Its ``cv_results_`` and ``rule`` are used.
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
        check_is_fitted(estimator, "cv_results_")
        size_label = getattr(estimator, "_size_label", "size")
        scoring = estimator.scoring if isinstance(estimator.scoring, str) else None
        return cls.from_cv_results(
            estimator.cv_results_,
            rule=estimator.rule,
            size_label=size_label,
            score_label=scoring or "score",
            ax=ax,
            log_size=log_size,
            name=name,
        )
