"""Benchmark rows of the neural family: sparse and smaller MLPs."""

import warnings

from sklearn import neural_network
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ..neural import MLPClassifier, MLPPruner, MLPPrunerCV, MLPRegressor, quantize
from ._baselines import call, rule_methods
from ._registry import Method, Task, register_family

# label -> (MLPPruner parameters besides the sparsity, glossary sentence)
_WEIGHT_METHODS = {
    "random": (
        dict(criterion="random"),
        "Removes random weights, then fine-tunes: the baseline every pruning "
        "paper compares with",
    ),
    "magnitude": (
        {},
        "Removes the smallest |w| of all layers at once, then fine-tunes",
    ),
    "layer": (
        dict(scope="layer"),
        "Removes the smallest |w| of each layer, every layer to the same "
        "sparsity, then fine-tunes",
    ),
    "iterative": (
        dict(schedule="iterative"),
        "Three rounds of removing the smallest |w| and fine-tuning, the "
        "sparsity rising geometrically",
    ),
    "gradual": (
        dict(schedule="gradual"),
        "Trains from scratch while the smallest |w| are removed along Zhu & "
        "Gupta's cubic sparsity ramp",
    ),
    "taylor": (
        dict(schedule="iterative", criterion="taylor"),
        "Three rounds of removing the smallest |w·∂L/∂w| (first-order loss "
        "change) and fine-tuning",
    ),
    "gradient": (
        dict(criterion="gradient"),
        "Removes the smallest |∂L/∂w| at once, then fine-tunes",
    ),
    "lottery": (
        dict(schedule="lottery"),
        "Three rounds of magnitude pruning, survivors rewound to their initial "
        "values and retrained (Frankle & Carbin's lottery ticket)",
    ),
    "at-init": (
        dict(schedule="at-init", criterion="taylor"),
        "Removes weights before training by |w·∂L/∂w| on one batch (SNIP), "
        "then trains the sparse network",
    ),
}
# scope -> (label, sparsity) rows
_ROWS = {
    "quick": [("random", 0.9), ("magnitude", 0.9), ("iterative", 0.9)],
    "default": [
        ("random", 0.9),
        ("magnitude", 0.5),
        ("magnitude", 0.9),
        ("layer", 0.9),
        ("iterative", 0.9),
        ("iterative", 0.97),
        ("gradual", 0.9),
        ("gradual", 0.97),
    ],
    "full": [(label, s) for s in (0.5, 0.9, 0.97) for label in _WEIGHT_METHODS],
}


def _mlp_params(classification, scope):
    """skprune's and scikit-learn's MLP get these same parameters."""
    epochs = 30 if scope == "quick" else 100
    if classification:
        return dict(hidden_layer_sizes=(100,), max_iter=epochs, random_state=0)
    return dict(
        hidden_layer_sizes=(100,),
        learning_rate_init=0.01,
        max_iter=2 * epochs,
        random_state=0,
    )


def _scaled(estimator):
    """Fit a scaled pipeline; short training budgets are meant, not warned."""

    def fit(X, y):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return make_pipeline(StandardScaler(), clone(estimator)).fit(X, y)

    return fit


def _budget(pruner, max_iter):
    """Its training epochs in words true whatever the dataset's max_iter."""
    extra = _epochs(pruner, max_iter) - max_iter
    if getattr(pruner, "schedule", None) == "lottery":
        return f"{1 + pruner.n_rounds} times the dense network's training epochs"
    if extra == 0:
        return "as many training epochs as the dense network"
    return f"the dense network's training epochs + {extra}"


def _epochs(pruner, max_iter):
    """Training epochs a pruner spends in all: its share of the budget."""
    # MLPPrunerCV's run on all data follows its schedule as MLPPruner's does.
    params = pruner.get_params()
    rounds, finetune = params["n_rounds"], params["finetune_iter"]
    return {
        "one-shot": max_iter + finetune,
        "iterative": max_iter + rounds * finetune,
        "gradual": max_iter,
        "lottery": max_iter * (1 + rounds),
        "at-init": max_iter,
    }[params["schedule"]]


@register_family(
    "neural",
    datasets={
        "quick": ["digits"],
        "default": ["digits", "diabetes"],
        "full": ["digits", "diabetes", "friedman1"],
    },
)
def neural_tasks(dataset, scope):
    classification = dataset.kind == "classification"
    params = _mlp_params(classification, scope)
    mlp = (MLPClassifier if classification else MLPRegressor)(**params)
    pruners = [
        (
            f"MLPPruner({call(sparsity=s, **extra)})",
            MLPPruner(mlp, sparsity=s, random_state=0, **extra),
            text,
        )
        for label, s in _ROWS[scope]
        for extra, text in [_WEIGHT_METHODS[label]]
    ]
    pruners.append(
        (
            "MLPPruner(sparsity=0.5, granularity='neuron')",
            MLPPruner(mlp, sparsity=0.5, granularity="neuron", random_state=0),
            "Removes the half of the hidden neurons with the smallest incoming "
            "weights, then fine-tunes: a smaller dense network",
        )
    )
    if scope != "quick":
        pruners.append(
            (
                "MLPPruner(granularity='2:4')",
                MLPPruner(mlp, granularity="2:4", random_state=0),
                "Keeps the 2 largest |w| of every 4 consecutive weights (N:M "
                "sparsity, 50%), then fine-tunes",
            )
        )
    max_iter = params["max_iter"]
    budgets = [_epochs(pruner, max_iter) for _, pruner, _ in pruners]
    methods = [
        Method(
            name,
            _scaled(pruner),
            f"{text}; {_budget(pruner, max_iter)}.",
            role="baseline" if pruner.criterion == "random" else "skprune",
        )
        for name, pruner, text in pruners
    ]
    if scope != "quick":
        pruner = MLPPruner(mlp, sparsity=0.9, random_state=0)
        methods.append(
            Method(
                f"quantize(MLPPruner({call(sparsity=0.9)}), bits=8)",
                lambda X, y: quantize(_scaled(pruner)(X, y)),
                "The magnitude row at 90%, its weights then stored as int8 with "
                "one scale per unit (needs skprune to load); "
                f"{_budget(pruner, max_iter)}.",
            )
        )
    search = MLPPrunerCV(mlp, random_state=0)
    if scope != "quick":
        budgets.append(_epochs(search, max_iter))
        methods += rule_methods(
            search,
            "Scores the checkpoints of one iterative pruning run per fold, "
            f"each run {_budget(search, max_iter)}",
            wrap=_scaled,
            best=scope == "full",
        )
    # Dense rows: scikit-learn's MLP trained as skprune's is before pruning,
    # and trained as long as the longest pruning budget above.
    sklearn_mlp = getattr(neural_network, type(mlp).__name__)
    dense = [
        Method(
            f"scikit-learn {type(mlp).__name__}(max_iter={epochs})",
            _scaled(sklearn_mlp(**{**params, "max_iter": epochs})),
            f"scikit-learn's dense MLP, one hidden layer of 100, {epochs} epochs"
            + (
                ", as the pruned rows train before they prune."
                if epochs == max_iter
                else ": the training budget of the longest pruned row."
            ),
            role="reference" if epochs == max_iter else "baseline",
        )
        for epochs in (max_iter, max(budgets))
    ]
    return [
        Task(
            methods=dense + methods,
            unit="nonzero_parameters",
            also_report=("flops",),
            curve=(lambda: make_pipeline(StandardScaler(), search))
            if scope != "quick"
            else None,
        )
    ]
