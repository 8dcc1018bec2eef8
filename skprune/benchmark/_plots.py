"""The report's PNG plots: pruning curves and Pareto fronts."""

import os

import numpy as np


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_curve(name, pruner, out):
    """Save the pruning curve of a fitted pruner as ``curve_<name>.png``."""
    from ..plotting import PruningCurveDisplay

    plt = _pyplot()
    display = PruningCurveDisplay.from_estimator(pruner)
    display.ax_.set_title(name.replace("_", " "))
    filename = f"curve_{name}.png"
    display.figure_.savefig(os.path.join(out, filename), dpi=100, bbox_inches="tight")
    plt.close(display.figure_)
    return filename


def pareto_front(cost, score):
    """Indices of the points no other point beats on both axes, by cost.

    A point is dominated when another costs no more and scores at least as
    well, one of the two strictly.
    """
    cost, score = np.asarray(cost, dtype=float), np.asarray(score, dtype=float)
    front, best = [], -np.inf
    for i in np.lexsort((-score, cost)):
        if score[i] > best:
            front.append(int(i))
            best = score[i]
    return front


def save_pareto(points, family, dataset, out):
    """Save ``pareto_<family>_<dataset>.png``: score vs size and vs predict time.

    ``points`` are ``(label, row)`` pairs, one per method, numbered in the
    legend; each has error bars of one standard error on both axes. The
    non-dominated front is drawn as a dashed line. Returns the file name.
    """
    labels, rows = zip(*points, strict=True)
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True, layout="constrained")
    scale = 100 if rows[0]["score_name"] == "accuracy" else 1
    score = np.array([row["score_mean"] for row in rows]) * scale
    score_se = np.nan_to_num([row["score_se"] for row in rows]) * scale
    markers = "osD^v<>ph*"
    for ax, key, label in [
        (axes[0], "kbytes", "deployable model, pickled KB"),
        (axes[1], "predict_us", "predict time, µs per sample"),
    ]:
        cost = np.array([row[key] for row in rows])
        cost_se = np.nan_to_num([row[f"{key}_se"] for row in rows])
        for i, name in enumerate(labels):
            ax.errorbar(
                cost[i],
                score[i],
                xerr=cost_se[i],
                yerr=score_se[i],
                fmt=markers[i % len(markers)],
                color=f"C{i % 10}",
                capsize=3,
                label=f"{i + 1}. {name}",
            )
            ax.annotate(
                str(i + 1),
                (cost[i], score[i]),
                xytext=(4, 4),
                textcoords="offset points",
            )
        front = pareto_front(cost, score)
        ax.plot(
            cost[front],
            score[front],
            "o--",
            color="0.2",
            markersize=16,
            markerfacecolor="none",
            zorder=0,
            label="non-dominated front",
        )
        ax.set_title("front: " + ", ".join(str(i + 1) for i in front), fontsize=10)
        if cost.min() > 0 and cost.max() > 10 * cost.min():
            ax.set_xscale("log")
        ax.set_xlabel(label)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(
        f"held-out {rows[0]['score_name']}{' %' if scale == 100 else ''} ± SE"
    )
    fig.suptitle(f"{family} on {dataset}")
    # One legend for both panels (the same points), outside the axes.
    fig.legend(
        *axes[0].get_legend_handles_labels(),
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
    )
    filename = f"pareto_{family}_{dataset}.png"
    fig.savefig(os.path.join(out, filename), dpi=100, bbox_inches="tight")
    plt.close(fig)
    return filename
