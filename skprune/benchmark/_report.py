"""``report.md`` and a self-contained ``report.html`` from the benchmark's rows.

The report is built once as a list of blocks (headings, paragraphs, lists,
tables, images) and rendered twice, so both files always say the same.
"""

import base64
import html
import importlib.util
import os
import re

import numpy as np

from ._plots import save_curve, save_pareto
from ._stats import recommend

_ROLES = {
    "reference": "the unpruned model",
    "baseline": "what users would use instead",
    "skprune": "skprune",
}


def write_report(rows, curves, datasets, meta, failures, out):
    """Write ``report.md``, ``report.html``, the PNG plots and ``errors.log``.

    Parameters
    ----------
    rows : list of dict
        Summarised rows, as :func:`run_benchmark` returns them.
    curves : list of tuple
        ``(name, fitted pruner or None, error or None)`` per pruning curve.
    datasets : list of Dataset
        The datasets the rows ran on.
    meta : dict
        ``n_splits``, ``seconds`` (wall time) and ``load`` (load average).
    failures : list of tuple
        ``(where, error, traceback)`` per row or curve that raised: listed
        at the end, the tracebacks written to ``errors.log``.
    out : str or path
        The folder, which exists.
    """
    blocks = [("h1", "skprune benchmark"), ("p", _method_text(meta))]
    blocks += summary(rows)
    blocks += _datasets_table(datasets)
    blocks += _glossary(rows)
    blocks += _results(rows, curves, out)
    if failures:
        blocks += [
            ("h2", "Errors"),
            ("p", "Full tracebacks are in `errors.log`."),
            ("ul", [f"{where}: {error}" for where, error, _ in failures]),
        ]
        with open(os.path.join(out, "errors.log"), "w", encoding="utf-8") as f:
            f.write("\n".join(f"== {where}\n{trace}" for where, _, trace in failures))
    with open(os.path.join(out, "report.md"), "w", encoding="utf-8") as f:
        f.write(to_markdown(blocks))
    with open(os.path.join(out, "report.html"), "w", encoding="utf-8") as f:
        f.write(to_html(blocks, out))


def _method_text(meta):
    k = meta["n_splits"]
    return (
        f"Every method is judged by an outer {k}-fold cross-validation "
        "(stratified for classification, shuffled, `random_state=0`; every "
        "method sees the same folds): it is fitted on the training folds, "
        "its own choice of pruning included, and scored on the held-out fold. "
        f"**± is the standard error of the mean over the {k} outer folds** "
        "(sample standard deviation / √k). Δ is the paired per-fold difference to the "
        "unpruned model of the same table, in points for accuracy. Sizes, "
        "pickled KB and predict times are those of the deployable model "
        "(`best_estimator_` of a search or `*CV` pruner, the pruned network of "
        "`MLPPruner`); predict time is the best of five runs on the test fold, "
        "per sample. Everything runs on one BLAS/OpenMP thread. Wall time "
        f"{meta['seconds']:.0f} s on {os.cpu_count()} cores, load average "
        f"{meta['load']:.1f} at the end: times are noisy, ratios within a "
        "table are measured side by side."
    )


# ---------------------------------------------------------------- formatting


def task_name(family, label, dataset):
    """How a task's files are named: ``curve_<family>[_<label>]_<dataset>``."""
    return "_".join(filter(None, [family, label, dataset]))


def _label(row):
    """The row's task label (GB, XGBoost...) where its name lacks it, or ""."""
    return row["task"] if row["task"] not in row["method"] else ""


def display_name(row):
    """The method's name, prefixed with its task's label where it lacks it."""
    return ": ".join(filter(None, [_label(row), row["method"]]))


def _points(row):
    """Accuracy is shown in percent, so its differences are in points."""
    return 100 if row["score_name"] == "accuracy" else 1


def _pm(mean, se, digits, sign=""):
    if np.isnan(mean):
        return "—"
    text = f"{mean:{sign}.{digits}f}".replace("-", "−")
    return text if np.isnan(se) else f"{text} ± {se:.{digits}f}"


def _score(row):
    digits = 1 if _points(row) == 100 else 3
    return _pm(row["score_mean"] * _points(row), row["score_se"] * _points(row), digits)


def _delta(row):
    if row["role"] == "reference":
        return "0 (reference)"
    digits = 1 if _points(row) == 100 else 3
    return _pm(
        row["delta_mean"] * _points(row), row["delta_se"] * _points(row), digits, "+"
    )


def _number(value, digits=1):
    if np.isnan(value):
        return "—"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.{digits}f}"


def _ratio(value):
    return "—" if np.isnan(value) else f"{value:.1f}x"


def _fit(row):
    text = _pm(row["fit_time"], row["fit_time_se"], 2)
    if row["candidates"]:
        searched, total = row["candidates"]
        text += (
            f" for {searched} of {total} candidates; ≈ {row['fit_time_all']:.1f} "
            "for all, extrapolated"
        )
    return text


def _fit_speedup(row):
    if np.isnan(row["fit_speedup"]):
        return ""
    ratio = f"{row['fit_speedup']:.1f}x vs {row['same_choice_as']}"
    return f"≈ {ratio}, extrapolated" if row["fit_speedup_extrapolated"] else ratio


def _notes(row):
    notes = []
    if row["error"]:
        notes.append(f"**error**: {row['error']}")
    if row["support"] is not None:
        notes.append("support P/R/F1 " + "/".join(f"{v:.2f}" for v in row["support"]))
    notes += [f"{key} {value:.0f}" for key, value in row["others"].items()]
    return "; ".join(notes)


def _unit(row):
    return row["unit"].replace("_", " ")


# ------------------------------------------------------------------ sections


def summary(rows):
    blocks = [
        ("h2", "Summary"),
        (
            "p",
            "Per family, the skprune method to use: among those whose held-out "
            "score stays within one standard error of the unpruned model's on "
            "every dataset (Δ + SE ≥ 0), the one that keeps the smallest share "
            "of the model (one per dataset when no method ran on them all). "
            "For each dataset: % of the size kept, Δ score ± SE vs the unpruned "
            "model, and how many times faster it predicts.",
        ),
    ]
    items = []
    for family, choices in recommend(rows).items():
        if not choices:
            items.append(f"**{family}**: every skprune row failed; see Errors.")
        elif len(choices) == 1:
            chosen, holds = choices[0]
            figures = "; ".join(f"{row['dataset']}: {_figures(row)}" for row in chosen)
            items.append(
                f"**{family}**: {_name(chosen[0])} — {figures}{_caveat(holds)}."
            )
        else:  # one method per dataset
            items.append(
                f"**{family}**: "
                + "; ".join(
                    f"{row['dataset']}: {_name(row)} — {_figures(row)}{_caveat(holds)}"
                    for (row,), holds in choices
                )
                + "."
            )
    return blocks + [("ul", items)]


def _name(row):
    return f"`{row['method']}`" + (f" ({_label(row)})" if _label(row) else "")


def _figures(row):
    points = " points" if _points(row) == 100 else ""
    return (
        f"{_number(row['kept'], 0)}% of the {_unit(row)} kept, "
        f"Δ {row['score_name']} {_delta(row)}{points}, "
        f"predict {_ratio(row['speedup'])}"
    )


def _caveat(holds):
    if holds:
        return ""
    return " (none stays within one SE of the unpruned model; this one loses the least)"


def _datasets_table(datasets):
    table = []
    for dataset in dict((d.name, d) for d in datasets).values():
        X, y = dataset.X, dataset.y
        features = str(X.shape[1])
        if dataset.numeric is not None:
            features += (
                f" ({len(dataset.numeric)} numeric, "
                f"{len(dataset.categorical)} categorical, one-hot encoded)"
            )
        classes = len(np.unique(y)) if dataset.kind == "classification" else "—"
        table.append(
            [
                dataset.name,
                str(len(y)),
                features,
                dataset.kind,
                str(classes),
                f"{100 * dataset.missing:.1f}%",
                dataset.source,
            ]
        )
    headers = ["dataset", "rows", "features", "task", "classes", "missing values"]
    blocks = [("h2", "Datasets"), ("table", [*headers, "source"], table)]
    if any(dataset.numeric is not None for dataset in datasets):
        blocks.append(
            (
                "p",
                "A CSV's columns go through one `ColumnTransformer`, fitted on "
                "each outer training fold: numeric columns standardised, their "
                "missing values replaced by the median for the families whose "
                "estimators refuse them; categorical columns one-hot encoded "
                "(20 most frequent values, the rest grouped; missing is a "
                "value). Sizes and times exclude it; it is the same for every "
                "method.",
            )
        )
    return blocks


def _glossary(rows):
    blocks = [("h2", "Methods")]
    for family in dict.fromkeys(row["family"] for row in rows):
        entries = {}
        for row in rows:
            if row["family"] == family:
                entries.setdefault(
                    row["method"],
                    [row["method"], _ROLES[row["role"]], row["description"]],
                )
        blocks += [
            ("h3", family),
            ("table", ["method", "role", "what it does"], list(entries.values())),
        ]
    return blocks


def _results(rows, curves, out):
    blocks = [("h2", "Results")]
    plots = importlib.util.find_spec("matplotlib") is not None
    if not plots:
        blocks.append(("p", "No plots: matplotlib is not installed."))
    curve_files = {
        name: save_curve(name, pruner, out)
        for name, pruner, _ in curves
        if pruner is not None and plots
    }
    groups = {}
    for row in rows:
        groups.setdefault((row["family"], row["dataset"]), []).append(row)
    for (family, dataset), group in groups.items():
        blocks.append(("h3", f"{family} — {dataset}"))
        for label in dict.fromkeys(row["task"] for row in group):
            task_rows = [row for row in group if row["task"] == label]
            if label:
                blocks.append(("p", f"**{label}**"))
            blocks.append(_table(task_rows))
            name = task_name(family, label, dataset)
            if curve_files.get(name):
                blocks.append(("img", curve_files[name], f"pruning curve, {name}"))
        points = _pareto_points(group)
        if points and plots:
            pareto = save_pareto(points, family, dataset, out)
            blocks.append(("img", pareto, f"Pareto plots, {family} on {dataset}"))
    return blocks


def _pareto_points(rows):
    """``(label, row)`` per method that has a score; a reference shared by
    several tasks (the same full forest) is one point."""
    points, references = [], set()
    for row in rows:
        if np.isnan(row["score_mean"]) or row["method"] in references:
            continue
        if row["role"] == "reference":
            references.add(row["method"])
        points.append((display_name(row), row))
    return points


def _table(rows):
    first = rows[0]
    score = "accuracy % ± SE" if first["score_name"] == "accuracy" else "R² ± SE"
    delta = "Δ points" if first["score_name"] == "accuracy" else "Δ R²"
    headers = [
        "method",
        score,
        delta,
        _unit(first),
        "% kept",
        "KB",
        "% KB",
        "predict µs/sample",
        "predict speed-up",
        "fit s ± SE",
        "fit speed-up, same choice",
        "notes",
    ]
    body = [
        [
            row["method"],
            _score(row),
            _delta(row),
            _number(row["size"]),
            _number(row["kept"], 0),
            _number(row["kbytes"]),
            _number(row["kbytes_kept"], 0),
            _number(row["predict_us"], 2),
            _ratio(row["speedup"]),
            _fit(row),
            _fit_speedup(row),
            _notes(row),
        ]
        for row in rows
    ]
    return ("table", headers, body)


# ----------------------------------------------------------------- renderers


def to_markdown(blocks):
    """Render blocks as GitHub-flavoured markdown."""
    lines = []
    for kind, *content in blocks:
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + content[0], ""]
        elif kind == "p":
            lines += [content[0], ""]
        elif kind == "ul":
            lines += [f"- {item}" for item in content[0]] + [""]
        elif kind == "table":
            headers, body = content
            lines.append(_md_row(headers))
            lines.append("|" + "---|" * len(headers))
            lines += [_md_row(cells) for cells in body] + [""]
        elif kind == "img":
            lines += [f"![{content[1]}]({content[0]})", ""]
    return "\n".join(lines)


def _md_row(cells):
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def to_html(blocks, folder):
    """Render blocks as one well-formed XHTML page, images embedded."""
    body = []
    for kind, *content in blocks:
        if kind in ("h1", "h2", "h3"):
            body.append(f"<{kind}>{_inline(content[0])}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{_inline(content[0])}</p>")
        elif kind == "ul":
            items = "".join(f"<li>{_inline(item)}</li>" for item in content[0])
            body.append(f"<ul>{items}</ul>")
        elif kind == "table":
            headers, rows = content
            head = "".join(f"<th>{_inline(cell)}</th>" for cell in headers)
            cells = "".join(
                "<tr>" + "".join(f"<td>{_inline(cell)}</td>" for cell in row) + "</tr>"
                for row in rows
            )
            body.append(
                f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"
            )
        elif kind == "img":
            with open(os.path.join(folder, content[0]), "rb") as f:
                data = base64.b64encode(f.read()).decode("ascii")
            body.append(
                f'<p><img src="data:image/png;base64,{data}" '
                f'alt="{html.escape(content[1])}" /></p>'
            )
    return (
        '<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="en">'
        '<head><meta charset="utf-8" /><title>skprune benchmark</title>'
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


_CSS = (
    "body{font-family:sans-serif;margin:2em;max-width:110em}"
    "table{border-collapse:collapse;margin:1em 0;font-size:90%}"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}img{max-width:100%}code{background:#f3f3f3}"
)


def _inline(text):
    """Markdown's `code` and **bold** as HTML, everything else escaped."""
    text = html.escape(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
