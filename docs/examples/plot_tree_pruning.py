"""Choose ccp_alpha with the default (paired) rule and plot the curve.

Run: ``python docs/examples/plot_tree_pruning.py`` (writes tree_pruning.png).
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import load_breast_cancer  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

from skprune.metrics import model_size  # noqa: E402
from skprune.plotting import PruningCurveDisplay  # noqa: E402
from skprune.tree import CostComplexityPrunerCV  # noqa: E402

X, y = load_breast_cancer(return_X_y=True)
pruner = CostComplexityPrunerCV(DecisionTreeClassifier(random_state=0), random_state=0)
pruner.fit(X, y)

unpruned = DecisionTreeClassifier(random_state=0).fit(X, y)
print(f"unpruned tree: {model_size(unpruned)['leaves']} leaves")
print(
    f"paired choice: {model_size(pruner)['leaves']} leaves, "
    f"ccp_alpha={pruner.best_params_['ccp_alpha']:.4f}, "
    f"CV accuracy {pruner.best_score_:.3f}"
)

display = PruningCurveDisplay.from_estimator(pruner)
display.ax_.set_title("Decision tree on breast cancer: 5-fold CV accuracy")
plt.savefig("tree_pruning.png", dpi=100, bbox_inches="tight")
