import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import load_breast_cancer
from sklearn.tree import DecisionTreeClassifier

from skprune.plotting import PruningCurveDisplay
from skprune.tree import CostComplexityPrunerCV

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


@pytest.fixture(scope="module")
def pruner():
    X, y = load_breast_cancer(return_X_y=True)
    return CostComplexityPrunerCV(
        DecisionTreeClassifier(random_state=0), rule="1se", random_state=0
    ).fit(X, y)


def test_from_estimator_marks_best_and_chosen(pruner):
    display = PruningCurveDisplay.from_estimator(pruner)
    results = pruner.cv_results_
    assert display.chosen_index == pruner.best_index_
    assert display.best_index == np.argmax(results["mean_test_score"])
    x, y = display.chosen_marker_.get_data()
    assert x[0] == results["size"][pruner.best_index_]
    assert y[0] == pruner.best_score_
    assert display.ax_.get_xlabel() == "leaves"
    assert display.figure_ is display.ax_.figure
    assert len(display.line_.get_xdata()) == len(results["size"])


def test_from_cv_results_on_given_axes(pruner):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    display = PruningCurveDisplay.from_cv_results(
        pruner.cv_results_, rule="best", ax=ax, name="tree"
    )
    assert display.ax_ is ax
    assert display.chosen_index == display.best_index
    assert display.line_.get_label() == "tree"
    plt.close(fig)


def test_unfitted_estimator():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        PruningCurveDisplay.from_estimator(
            CostComplexityPrunerCV(DecisionTreeClassifier())
        )


def test_a_pruner_without_a_search_is_refused_as_such():
    from sklearn.datasets import load_iris

    from skprune.neural import MLPClassifier, MLPPruner

    X, y = load_iris(return_X_y=True)
    pruner = MLPPruner(MLPClassifier((4,), solver="lbfgs", random_state=0))
    pruner.fit(X, y)
    with pytest.raises(TypeError, match="has no cv_results_ to plot"):
        PruningCurveDisplay.from_estimator(pruner)


def test_y_axis_is_named_after_the_scorer():
    from sklearn.datasets import load_diabetes
    from sklearn.tree import DecisionTreeRegressor

    X, y = load_breast_cancer(return_X_y=True)
    pruner = CostComplexityPrunerCV(
        DecisionTreeClassifier(random_state=0), scoring="balanced_accuracy"
    ).fit(X, y)
    display = PruningCurveDisplay.from_estimator(pruner)
    assert display.ax_.get_ylabel() == "CV balanced_accuracy (mean ± 1 std)"
    X, y = load_diabetes(return_X_y=True)
    regressor = CostComplexityPrunerCV(DecisionTreeRegressor(random_state=0), cv=3)
    display = PruningCurveDisplay.from_estimator(regressor.fit(X, y))
    assert display.ax_.get_ylabel() == "CV R² (mean ± 1 std)"


def test_threshold_line_at_best_minus_one_standard_error(pruner):
    display = PruningCurveDisplay.from_estimator(pruner)
    results = pruner.cv_results_
    best = np.argmax(results["mean_test_score"])
    expected = results["mean_test_score"][best] - results["std_test_score"][
        best
    ] / np.sqrt(pruner.n_splits_)
    assert_allclose(display.threshold_line_.get_ydata(), [expected, expected])
    assert display.threshold_line_.get_label() == "best − 1 SE"
    # Breiman's rule chose a point above the line.
    assert results["mean_test_score"][pruner.best_index_] >= expected
    tolerant = PruningCurveDisplay.from_cv_results(results, rule=0.02)
    assert_allclose(
        tolerant.threshold_line_.get_ydata()[0], results["mean_test_score"][best] - 0.02
    )


def test_best_and_chosen_markers_both_visible(pruner):
    display = PruningCurveDisplay.from_cv_results(pruner.cv_results_, rule="best")
    best, chosen = display.best_marker_, display.chosen_marker_
    assert chosen.get_xydata().tolist() == best.get_xydata().tolist()
    # A hollow ring around the star, the star drawn on top.
    assert best.get_markerfacecolor() == "none"
    assert best.get_markersize() > chosen.get_markersize()
    assert chosen.get_zorder() > best.get_zorder()


def test_legend_outside_the_curve(pruner):
    display = PruningCurveDisplay.from_estimator(pruner)
    figure = display.figure_
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = display.ax_.get_legend().get_window_extent(renderer)
    axes = display.ax_.get_window_extent(renderer)
    assert legend.x0 >= axes.x1
    # The figure made room for it.
    assert legend.x1 <= figure.bbox.x1


def test_from_estimator_accepts_a_pipeline(pruner):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True)
    pipeline = make_pipeline(
        StandardScaler(), CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0))
    ).fit(X, y)
    display = PruningCurveDisplay.from_estimator(pipeline)
    assert display.chosen_index == pipeline[-1].best_index_


def test_paired_rule_marks_the_points_it_accepts_and_draws_no_line():
    from skprune.model_selection._rules import qualifying_points

    X, y = load_breast_cancer(return_X_y=True)
    pruner = CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0)).fit(X, y)
    display = PruningCurveDisplay.from_estimator(pruner)
    assert pruner.rule == "paired" and display.threshold_line_ is None
    _, _, _, accepted = qualifying_points(pruner.cv_results_, "paired")
    np.testing.assert_array_equal(
        display.accepted_markers_.get_xdata(), pruner.cv_results_["size"][accepted]
    )
    assert pruner.best_index_ in np.flatnonzero(accepted)


def test_from_estimator_finds_the_pruner_inside_a_search_and_a_pipeline():
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True)
    pipe = make_pipeline(
        StandardScaler(), CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0))
    )
    search = GridSearchCV(pipe, {"costcomplexityprunercv__rule": ["best", "1se"]}, cv=3)
    search.fit(X, y)
    display = PruningCurveDisplay.from_estimator(search)
    pruner = search.best_estimator_[-1]
    np.testing.assert_array_equal(display.sizes, pruner.cv_results_["size"])
    assert display.rule == pruner.rule


def test_a_forests_auto_rule_is_shown_as_the_rule_that_chose():
    import matplotlib.pyplot as plt
    from sklearn.ensemble import RandomForestClassifier

    from skprune.tree import ForestPrunerCV

    X, y = load_breast_cancer(return_X_y=True)
    forest = RandomForestClassifier(n_estimators=20, random_state=0)
    pruner = ForestPrunerCV(forest).fit(X, y)
    display = PruningCurveDisplay.from_estimator(pruner)
    assert pruner.rule == "auto" and display.rule == "1se"
    assert display.chosen_index == pruner.best_index_
    # Parameters changed after fit do not change what chose.
    pruner.set_params(method="ccp")
    assert PruningCurveDisplay.from_estimator(pruner).rule == "1se"
    plt.close("all")


def test_from_cv_results_refuses_a_rule_select_by_rule_does_not_know(pruner):
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="'rule' parameter"):
        PruningCurveDisplay.from_cv_results(pruner.cv_results_, rule="auto")
