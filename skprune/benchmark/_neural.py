"""Benchmark rows of the neural family: sparse and smaller MLPs."""

import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ..neural import MLPClassifier, MLPPruner, MLPRegressor
from ._registry import Method, Task, register_family

_DATASETS = {
    "quick": ["digits"],
    "default": ["digits", "diabetes"],
    "full": ["digits", "diabetes", "friedman1"],
}


def _mlp(dataset, scope):
    epochs = 30 if scope == "quick" else 100
    if dataset == "digits":
        return MLPClassifier(hidden_layer_sizes=(100,), max_iter=epochs, random_state=0)
    return MLPRegressor(
        hidden_layer_sizes=(100,),
        learning_rate_init=0.01,
        max_iter=epochs * 2,
        random_state=0,
    )


def _quietly(make):
    """Fit a scaled pipeline; short training budgets are meant, not warned."""

    def fit(X, y):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return make_pipeline(StandardScaler(), make()).fit(X, y)

    return fit


def _pruned(mlp, **params):
    return _quietly(lambda: MLPPruner(mlp, random_state=0, finetune_iter=10, **params))


@register_family("neural")
def neural_tasks(scope):
    tasks = []
    sparsities = [0.9] if scope == "quick" else [0.5, 0.9, 0.97]
    for dataset in _DATASETS[scope]:
        mlp = _mlp(dataset, scope)
        methods = [Method("dense MLP (100 hidden)", _quietly(lambda m=mlp: m))]
        for s in sparsities:
            methods += [
                Method(
                    f"random global one-shot {s:.0%}",
                    _pruned(mlp, sparsity=s, criterion="random"),
                ),
                Method(f"magnitude global one-shot {s:.0%}", _pruned(mlp, sparsity=s)),
                Method(
                    f"magnitude layer one-shot {s:.0%}",
                    _pruned(mlp, sparsity=s, scope="layer"),
                ),
                Method(
                    f"magnitude global iterative {s:.0%}",
                    _pruned(mlp, sparsity=s, schedule="iterative"),
                ),
            ]
        methods.append(
            Method(
                "neurons removed 50%", _pruned(mlp, sparsity=0.5, granularity="neuron")
            )
        )
        tasks.append(
            Task(
                dataset=dataset,
                size_key="nonzero_parameters",
                methods=methods,
                also_report=("flops",),
            )
        )
    return tasks
