import numpy as np
import pytest
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
        DecisionTreeClassifier(random_state=0), rule="1se"
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
