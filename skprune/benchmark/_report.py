"""The benchmark's table (terminal and markdown) and PNG curves."""

import os

_COLUMNS = [
    ("family", "family", "{}"),
    ("dataset", "dataset", "{}"),
    ("method", "method", "{}"),
    ("score", None, None),
    ("size", None, None),
    ("fit s", "fit_time", "{:.2f}"),
    ("predict µs/sample", "predict_us", "{:.2f}"),
    ("pickled KB", "kbytes", "{:.1f}"),
    ("support P/R/F1", None, None),
    ("other sizes", "other_sizes", "{}"),
]


def _cells(row):
    cells = []
    for header, key, fmt in _COLUMNS:
        if header == "score":
            cells.append(
                f"{row['score_name']} {row['score_mean']:.3f} ± {row['score_std']:.3f}"
            )
        elif header == "size":
            cells.append(f"{row['size']:.1f} {row['size_name']}")
        elif header == "support P/R/F1":
            if row.get("support_f1") is None or row["support_f1"] != row["support_f1"]:
                cells.append("")
            else:
                cells.append(
                    f"{row['support_precision']:.2f}/"
                    f"{row['support_recall']:.2f}/{row['support_f1']:.2f}"
                )
        else:
            cells.append(fmt.format(row[key]))
    return cells


def format_table(rows):
    """The rows as an aligned plain-text table."""
    headers = [header for header, _, _ in _COLUMNS]
    body = [_cells(row) for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in body)) if body else len(h)
        for i, h in enumerate(headers)
    ]

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))

    lines = [line(headers), line(["-" * w for w in widths])]
    return "\n".join(lines + [line(cells) for cells in body])


def _markdown_table(rows):
    headers = [header for header, _, _ in _COLUMNS]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def write_report(rows, curves, out):
    """Write ``report.md`` and one PNG pruning curve per fitted pruner."""
    images = _save_curves(curves, out)
    text = [
        "# skprune benchmark",
        "",
        "Scores come from an outer cross-validation: every method (its own",
        "inner choice of pruning included) is fitted on the outer training",
        "folds and scored on the outer test fold. Size, predict time (best of",
        "five runs on the test fold, per sample) and pickled size are those of",
        "the deployed model (`best_estimator_` of a search or a pruner).",
        "",
        _markdown_table(rows),
        "",
    ]
    text += [f"![{name}]({name})" for name in images]
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(text) + "\n")


def _save_curves(curves, out):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    from ..plotting import PruningCurveDisplay

    names = []
    for label, pruner in curves:
        if hasattr(pruner, "steps"):  # a pipeline ending with the pruner
            pruner = pruner[-1]
        display = PruningCurveDisplay.from_estimator(pruner)
        display.ax_.set_title(label.replace("_", " "))
        name = f"curve_{label}.png"
        display.figure_.savefig(os.path.join(out, name), dpi=100, bbox_inches="tight")
        plt.close(display.figure_)
        names.append(name)
    return names
