import os

import numpy as np
import pytest

from skprune import _cli
from skprune.benchmark import run_benchmark


def test_run_benchmark_writes_report(tmp_path):
    pytest.importorskip("matplotlib")
    rows = run_benchmark(
        families=["tree"],
        datasets=["breast_cancer"],
        scope="quick",
        out=tmp_path,
        outer_splits=2,
        progress=False,
    )
    methods = [row["method"] for row in rows]
    assert methods == [
        "unpruned tree",
        "GridSearchCV ccp_alpha",
        "skprune best",
        "skprune 1-SE",
    ]
    by_method = {row["method"]: row for row in rows}
    # Pruning makes the tree smaller; the grid search and "best" agree.
    assert by_method["skprune 1-SE"]["size"] < by_method["unpruned tree"]["size"]
    for row in rows:
        assert 0.8 < row["score_mean"] <= 1.0
        assert row["predict_us"] > 0 and row["kbytes"] > 0
    report = (tmp_path / "report.md").read_text()
    assert "| tree | breast_cancer | skprune 1-SE |" in report
    assert os.path.exists(tmp_path / "curve_tree_breast_cancer.png")


def test_unknown_family():
    with pytest.raises(ValueError, match="Unknown families"):
        run_benchmark(families=["quantum"], progress=False)


def test_cli_bench(tmp_path, capsys):
    code = _cli.main(
        [
            "bench",
            "--quick",
            "--family",
            "tree",
            "--dataset",
            "breast_cancer",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "skprune 1-SE" in out and "report written" in out
    assert (tmp_path / "report.md").exists()


def test_cli_bad_family(capsys):
    assert _cli.main(["bench", "--family", "quantum", "--out", "x"]) == 2
    assert "Unknown families" in capsys.readouterr().err


def test_boosting_rows():
    rows = run_benchmark(
        families=["boosting"], scope="quick", outer_splits=2, progress=False
    )
    by_method = {row["method"]: row for row in rows}
    assert set(by_method) == {
        "GB full (100 rounds)",
        "GB GridSearchCV n_estimators",
        "GB skprune best",
        "GB skprune 1-SE",
    }
    assert by_method["GB full (100 rounds)"]["size"] == 100
    assert by_method["GB skprune 1-SE"]["size"] <= by_method["GB skprune best"]["size"]


@pytest.mark.parametrize(
    "family, size_name",
    [("forest", "trees"), ("linear", "features"), ("neural", "nonzero_parameters")],
)
def test_every_family_runs_its_quick_rows(family, size_name):
    rows = run_benchmark(
        families=[family], scope="quick", outer_splits=2, progress=False
    )
    assert rows and all(row["family"] == family for row in rows)
    assert {row["size_name"] for row in rows} == {size_name}
    assert all(np.isfinite(row["score_mean"]) for row in rows)
    pruned = [row for row in rows if "skprune" in row["method"] or "%" in row["method"]]
    full = rows[0]
    assert all(row["size"] < full["size"] for row in pruned)


def test_linear_rows_report_the_support():
    rows = run_benchmark(
        families=["linear"], scope="quick", outer_splits=2, progress=False
    )
    by_method = {row["method"]: row for row in rows}
    assert (
        by_method["skprune LOO 1-SE"]["support_f1"]
        >= by_method["LassoCV"]["support_f1"]
    )
    assert by_method["all features"]["support_recall"] == 1.0
