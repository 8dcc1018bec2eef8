"""Benchmark rows of the neural family: sparse and smaller MLPs."""

import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ..neural import MLPClassifier, MLPPruner, MLPPrunerCV, MLPRegressor
from ._registry import Method, Task, register_family

_DATASETS = {
    "quick": ["digits"],
    "default": ["digits", "diabetes"],
    "full": ["digits", "diabetes", "friedman1"],
}

# label -> MLPPruner parameters; {s} is filled with each sparsity.
_WEIGHT_METHODS = {
    "random one-shot": dict(criterion="random"),
    "magnitude one-shot": {},
    "magnitude layer one-shot": dict(scope="layer"),
    "magnitude iterative": dict(schedule="iterative"),
    "magnitude gradual": dict(schedule="gradual"),
    "taylor iterative": dict(schedule="iterative", criterion="taylor"),
    "gradient one-shot": dict(criterion="gradient"),
    "magnitude lottery": dict(schedule="lottery"),
    "SNIP at-init": dict(schedule="at-init", criterion="taylor"),
}
_SCOPES = {
    "quick": (["random one-shot", "magnitude one-shot", "magnitude iterative"], [0.9]),
    "default": (
        [
            "random one-shot",
            "magnitude one-shot",
            "magnitude layer one-shot",
            "magnitude iterative",
            "magnitude gradual",
        ],
        [0.5, 0.9, 0.97],
    ),
    "full": (list(_WEIGHT_METHODS), [0.5, 0.9, 0.97]),
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
    params = {"random_state": 0, "finetune_iter": 10, **params}
    return _quietly(lambda: MLPPruner(mlp, **params))


def _cv(mlp, rule):
    return _quietly(
        lambda: MLPPrunerCV(
            mlp, sparsity=0.97, n_rounds=5, cv=3, rule=rule, random_state=0
        )
    )


@register_family("neural")
def neural_tasks(scope):
    tasks = []
    names, sparsities = _SCOPES[scope]
    for dataset in _DATASETS[scope]:
        mlp = _mlp(dataset, scope)
        methods = [Method("dense MLP (100 hidden)", _quietly(lambda m=mlp: m))]
        for s in sparsities:
            methods += [
                Method(
                    f"{name} {s:.0%}", _pruned(mlp, sparsity=s, **_WEIGHT_METHODS[name])
                )
                for name in names
            ]
        methods.append(
            Method(
                "neurons removed 50%", _pruned(mlp, sparsity=0.5, granularity="neuron")
            )
        )
        if scope != "quick":
            methods.append(Method("magnitude 2:4", _pruned(mlp, granularity="2:4")))
        if scope != "quick":
            methods += [
                Method(f"MLPPrunerCV {rule}", _cv(mlp, rule))
                for rule in (("1se",) if scope == "default" else ("best", "1se"))
            ]
        curve = None
        if scope != "quick" and dataset == "digits":
            curve = lambda m=mlp: make_pipeline(  # noqa: E731
                StandardScaler(),
                MLPPrunerCV(m, sparsity=0.97, n_rounds=5, cv=3, random_state=0),
            )
        tasks.append(
            Task(
                dataset=dataset,
                size_key="nonzero_parameters",
                methods=methods,
                also_report=("flops",),
                curve=curve,
            )
        )
    return tasks
