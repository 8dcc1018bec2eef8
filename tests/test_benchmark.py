import base64
import html.parser
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skprune import _cli
from skprune.benchmark import Method, Task, _datasets, _registry, run_benchmark
from skprune.benchmark._baselines import GridSearchFit, fitter, grid_search
from skprune.benchmark._measure import deployable, deployed_size
from skprune.benchmark._plots import pareto_front
from skprune.benchmark._stats import recommend
from skprune.neural import MLPClassifier, MLPPruner

pytest.importorskip("matplotlib")


def _broken(X, y):
    raise RuntimeError("this row is broken on purpose")


def _toy_tasks(dataset, scope):
    """A cheap family: a stump, a grid searched in part, a row that raises."""
    stump = DecisionTreeClassifier(max_depth=1, random_state=0)
    tree = DecisionTreeClassifier(random_state=0)
    depths = lambda X, y: np.arange(1, 13)  # noqa: E731
    return [
        Task(
            methods=[
                Method("full tree", fitter(tree), "A tree.", role="reference"),
                Method(
                    "GridSearchCV(max_depth)",
                    grid_search(tree, "max_depth", depths, max_candidates=3),
                    "Three depths of twelve.",
                    role="baseline",
                ),
                Method(
                    "stump",
                    fitter(stump),
                    "One split.",
                    same_choice_as="GridSearchCV(max_depth)",
                ),
                Method("broken", _broken, "Raises."),
            ],
            unit="leaves",
        )
    ]


@pytest.fixture
def toy_family(monkeypatch):
    family = _registry.Family("toy", _toy_tasks, {"quick": ["breast_cancer"]})
    monkeypatch.setitem(_registry._FAMILIES, "toy", family)
    return family


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The tree and neural families' quick rows on breast_cancer and digits."""
    out = tmp_path_factory.mktemp("bench")
    rows = run_benchmark(
        families=["tree", "neural"],
        datasets=["breast_cancer", "digits"],
        scope="quick",
        out=out,
        outer_splits=2,
        progress=False,
    )
    return rows, out


def _section(text, title):
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_report_starts_with_a_summary_naming_every_family(report):
    rows, out = report
    text = (out / "report.md").read_text()
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == ["Summary", "Datasets", "Methods", "Results"]
    summary = _section(text, "Summary")
    for family in {row["family"] for row in rows}:
        line = next(
            li for li in summary.splitlines() if li.startswith(f"- **{family}**")
        )
        # The recommended method, % kept, Δ ± SE and the predict speed-up.
        assert re.search(r"`.+`.*\d+% of the [\w ]+ kept, Δ accuracy [+−]\d", line)
        assert "±" in line and re.search(r"predict \d+\.\dx", line)
    assert "standard error of the mean over the 2 outer folds" in text


def test_report_tables(report):
    rows, out = report
    text = (out / "report.md").read_text()
    datasets = _section(text, "Datasets")
    assert "| breast_cancer | 569 | 30 | classification | 2 |" in datasets
    assert "| digits | 1797 | 64 | classification | 10 |" in datasets
    methods = _section(text, "Methods")
    for row in rows:
        assert f"| {row['method']} |" in methods
    results = _section(text, "Results")
    # One unit per column, "% kept" next to it.
    assert "| leaves | % kept | KB | % KB |" in results
    assert "| nonzero parameters | % kept | KB | % KB |" in results


def test_report_images_exist_and_html_is_self_contained(report):
    _, out = report
    text = (out / "report.md").read_text()
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert "pareto_tree_breast_cancer.png" in images
    assert "pareto_neural_digits.png" in images
    assert "curve_tree_breast_cancer.png" in images
    for image in images:
        assert (out / image).read_bytes().startswith(b"\x89PNG")

    page = (out / "report.html").read_text()
    # Well formed (XHTML) and accepted by the browser-style parser too.
    root = ET.fromstring(page.split("\n", 1)[1])
    html.parser.HTMLParser().feed(page)
    namespace = {"h": "http://www.w3.org/1999/xhtml"}
    sources = [img.get("src") for img in root.iterfind(".//h:img", namespace)]
    assert len(sources) == len(images)
    for source in sources:
        prefix, data = source.split(",", 1)
        assert prefix == "data:image/png;base64"
        assert base64.b64decode(data).startswith(b"\x89PNG")
    assert 'src="http' not in page and "<script" not in page and "<link" not in page
    assert root.find(".//h:h2", namespace).text == "Summary"


def test_rows_like_for_like(report):
    rows, _ = report
    tree = {row["method"]: row for row in rows if row["family"] == "tree"}
    search = tree["GridSearchCV(ccp_alpha)"]
    best = tree["CostComplexityPrunerCV(rule='best')"]
    assert best["fit_speedup"] == pytest.approx(
        search["fit_time_all"] / best["fit_time"]
    )
    assert search["candidates"] is None  # every alpha searched
    # Mean ± standard error over outer folds; Δ paired with the reference.
    reference = tree["unpruned tree"]
    for row in tree.values():
        scores = row["folds"]["score"]
        assert row["score_se"] == pytest.approx(np.std(scores, ddof=1) / np.sqrt(2))
        difference = scores - reference["folds"]["score"]
        assert row["delta_mean"] == pytest.approx(difference.mean())
        assert row["kept"] == pytest.approx(
            100 * np.mean(row["folds"]["size"] / reference["folds"]["size"])
        )


def test_tree_grid_search_gets_the_pruners_candidates():
    data = _datasets.load("breast_cancer")
    (task,) = _registry.families()["tree"].tasks(data, "quick")
    methods = {method.name: method for method in task.methods}
    grid = methods["GridSearchCV(ccp_alpha)"].fit(data.X, data.y).search
    pruner = methods["CostComplexityPrunerCV(rule='best')"].fit(data.X, data.y)
    # The same alphas and folds: the same scores and the same best score.
    results = pruner.cv_results_
    assert_allclose(
        grid.cv_results_["param_ccp_alpha"].astype(float), results["param_ccp_alpha"]
    )
    assert pruner.n_splits_ == 15  # 3 x 5 folds on both sides
    for k in range(pruner.n_splits_):
        key = f"split{k}_test_score"
        assert_allclose(grid.cv_results_[key], results[key])
    assert grid.best_score_ == pytest.approx(pruner.best_score_)


def test_forest_grid_search_tries_the_pruners_alphas():
    data = _datasets.load("wine")
    methods = {
        method.name: method
        for task in _registry.families()["forest"].tasks(data, "quick")
        for method in task.methods
    }
    fitted = methods["GridSearchCV(ccp_alpha)"].fit(data.X, data.y)
    pruner = methods["ForestPrunerCV(method='ccp', rule='best')"].fit(data.X, data.y)
    alphas = pruner.cv_results_["param_ccp_alpha"]
    # Quick scope: 10 of the pruner's alphas, the time extrapolated to all.
    assert fitted.n_searched == 10
    assert_allclose(fitted.values, alphas)
    searched = fitted.search.cv_results_["param_ccp_alpha"].astype(float)
    assert np.isin(searched, alphas).all()
    seconds, all_seconds = fitted.times(10.0 + fitted.setup)
    assert seconds == pytest.approx(10.0) and all_seconds > seconds


def test_error_row_is_reported_and_the_run_fails(toy_family, tmp_path, capsys):
    code = _cli.main(
        [
            "bench",
            "--quick",
            "--family",
            "toy",
            "--out",
            str(tmp_path),
            "--outer-splits",
            "2",
            "--quiet",
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "broken: RuntimeError: this row is broken on purpose" in err
    text = (tmp_path / "report.md").read_text()
    results = _section(text, "Results")
    broken = next(
        line for line in results.splitlines() if line.startswith("| broken |")
    )
    assert "**error**: RuntimeError: this row is broken on purpose" in broken
    log = (tmp_path / "errors.log").read_text()
    assert "Traceback" in log and "_broken" in log
    # The other rows ran; the grid searched 3 depths of 12, extrapolated.
    assert "for 3 of 12 candidates; ≈" in text
    assert "extrapolated |" in text


def test_grid_search_subset_time_is_extrapolated():
    X, y = load_breast_cancer(return_X_y=True)
    fit = grid_search(
        DecisionTreeClassifier(random_state=0),
        "max_depth",
        lambda X, y: np.arange(1, 21),
        max_candidates=4,
    )
    result = fit(X, y)
    assert isinstance(result, GridSearchFit) and result.n_searched == 4
    assert result.search.param_grid == {"max_depth": [1, 7, 14, 20]}
    results = result.search.cv_results_
    measured = 5 * np.sum(results["mean_fit_time"] + results["mean_score_time"])
    # 20 candidates cost about 5 times the 4 measured ones; the time spent
    # finding the candidates is left out.
    seconds, all_seconds = result.times(measured + result.setup)
    assert seconds == pytest.approx(measured)
    assert 3 * measured < all_seconds < 8 * measured
    full = grid_search(DecisionTreeClassifier(), "max_depth", lambda X, y: [1, 2])(X, y)
    assert full.times(1.0 + full.setup) == pytest.approx((1.0, 1.0))


def test_neural_rows_compare_with_scikit_learn(report):
    rows = [row for row in report[0] if row["family"] == "neural"]
    names = [row["method"] for row in rows]
    assert names[:2] == [
        "scikit-learn MLPClassifier(max_iter=30)",
        "scikit-learn MLPClassifier(max_iter=60)",  # the iterative budget: 30 + 3 x 10
    ]
    assert rows[0]["role"] == "reference"
    by_name = dict(zip(names, rows, strict=True))
    iterative = by_name["MLPPruner(sparsity=0.9, schedule='iterative')"]
    assert "the dense network's training epochs + 30" in iterative["description"]
    # The deployable pruned network is smaller than the dense one, on disk too.
    assert iterative["kbytes"] < rows[0]["kbytes"] / 4
    assert iterative["kept"] == pytest.approx(100 * 850 / 7510)


def test_deployable_never_holds_the_original():
    X, y = load_breast_cancer(return_X_y=True)
    mlp = MLPClassifier(hidden_layer_sizes=(50,), max_iter=5, random_state=0)
    pruned = make_pipeline(StandardScaler(), MLPPruner(mlp, sparsity=0.9)).fit(X, y)
    shipped = deployable(pruned)
    assert shipped[-1] is pruned[-1].estimator_
    assert shipped[0] is pruned[0]
    dense = make_pipeline(StandardScaler(), mlp).fit(X, y)
    assert deployed_size(shipped)["bytes"] < deployed_size(dense)["bytes"] / 2
    search = GridSearchCV(DecisionTreeClassifier(), {"max_depth": [1, 2]}).fit(X, y)
    assert deployable(search) is search.best_estimator_


def test_pareto_front():
    cost = [1.0, 2.0, 3.0, 4.0, 2.0]
    score = [0.5, 0.7, 0.6, 0.9, 0.65]
    assert pareto_front(cost, score) == [0, 1, 3]


def test_recommend_the_smallest_method_that_holds():
    def row(method, dataset, kept, delta, se, role="skprune"):
        return dict(
            family="linear",
            task="",
            method=method,
            dataset=dataset,
            role=role,
            error=None,
            kept=kept,
            delta_mean=delta,
            delta_se=se,
        )

    rows = [
        row("unpruned", "a", 100, 0, 0, role="reference"),
        row("small but worse", "a", 5, -0.05, 0.01),
        row("holds", "a", 20, -0.01, 0.02),
        row("holds, larger", "a", 40, 0.01, 0.01),
    ]
    ([(chosen, holds)],) = recommend(rows).values()
    assert holds and [r["method"] for r in chosen] == ["holds"]
    ([(chosen, holds)],) = recommend(rows[:2]).values()
    assert not holds and chosen[0]["method"] == "small but worse"
    # No method ran on both datasets: one recommendation per dataset.
    rows += [
        row("unpruned", "b", 100, 0, 0, role="reference"),
        row("loo", "b", 9, 0, 0),
    ]
    (choices,) = recommend(rows).values()
    assert [(rows[0]["method"], holds) for rows, holds in choices] == [
        ("holds", True),
        ("loo", True),
    ]


def test_unknown_family():
    with pytest.raises(ValueError, match="Unknown families quantum; choose from"):
        run_benchmark(families=["quantum"], progress=False)


@pytest.mark.parametrize(
    "argv, messages",
    [
        (["--family", "quantum"], ["invalid choice: 'quantum'", *_registry.families()]),
        (["--dataset", "mnist"], ["invalid choice: 'mnist'", *_datasets.names()]),
        (
            ["--family", "linear", "--dataset", "digits"],
            ["No family runs on digits", "linear: sparse_regression"],
        ),
        (["--data", "missing.csv", "--target", "y"], ["missing.csv"]),
        (["--data", "x.csv"], ["--data and --target go together"]),
    ],
)
def test_cli_bad_selection_exits_2(argv, messages, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        _cli.main(["bench", "--quick", "--out", str(tmp_path), *argv])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert all(message in err for message in messages)
    assert not (tmp_path / "report.md").exists()


def test_cli_progress_bar_and_quiet(tmp_path, capsys):
    argv = [
        "bench",
        "--quick",
        "--family",
        "tree",
        "--dataset",
        "breast_cancer",
        "--outer-splits",
        "2",
        "--out",
        str(tmp_path),
    ]
    assert _cli.main(argv) == 0
    captured = capsys.readouterr()
    # 4 rows x 2 folds + the curve, with the elapsed and remaining time
    assert re.search(r"100%\|█+\| 9/9 \[\d\d:\d\d<\d\d:\d\d", captured.err)
    assert "## Summary" in captured.out and "- **tree**" in captured.out
    assert _cli.main([*argv, "--quiet"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("scope", _registry.SCOPES)
def test_every_scope_plans_tables_with_one_reference(scope):
    from skprune.benchmark._runner import plan

    jobs = plan(scope=scope)
    assert {job.family for job in jobs} == set(_registry.families())
    for job in jobs:
        roles = [method.role for method in job.task.methods]
        names = [method.name for method in job.task.methods]
        assert roles.count("reference") == 1 and roles[0] == "reference"
        assert len(set(names)) == len(names)
        for method in job.task.methods:
            assert method.same_choice_as in (None, *names)


@pytest.mark.parametrize(
    "classifier, method, named",
    [(True, "trees", "1se"), (False, "trees", "paired"), (True, "ccp", "paired")],
)
def test_default_rule_rows_name_the_rule_auto_stands_for(classifier, method, named):
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

    from skprune.benchmark._baselines import rule_methods
    from skprune.tree import ForestPrunerCV

    forest = RandomForestClassifier() if classifier else RandomForestRegressor()
    rows = rule_methods(ForestPrunerCV(forest, method=method), "Prunes", method=method)
    assert [row.name for row in rows] == [
        f"ForestPrunerCV(method={method!r}, rule='best')",
        f"ForestPrunerCV(method={method!r}) [rule={named!r}]",
    ]
    assert f"its default rule, 'auto': here {named!r}" in rows[1].description
