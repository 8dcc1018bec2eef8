"""``skprune bench --data PATH.csv --target COLUMN``: the user's own data."""

import numpy as np
import pytest

from skprune import _cli
from skprune.benchmark import run_benchmark
from skprune.benchmark._datasets import read_csv

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")


def _frame(n=150, seed=0):
    """Numeric and categorical columns, missing values in both."""
    rng = np.random.RandomState(seed)
    frame = pd.DataFrame(
        {
            "age": rng.normal(40, 10, n),
            "income": rng.lognormal(10, 1, n),
            "city": rng.choice(["Paris", "Lyon", "Nice"], n),
            "member": rng.choice([True, False], n),
        }
    )
    frame.loc[rng.rand(n) < 0.1, "age"] = np.nan
    frame.loc[rng.rand(n) < 0.1, "city"] = np.nan
    signal = (frame["age"].fillna(40) > 40) ^ (frame["city"] == "Nice")
    frame["label"] = np.where(signal, "yes", "no")
    frame["spend"] = frame["income"] / 1000 + 5 * (frame["city"] == "Lyon")
    frame["visits"] = np.clip(frame["spend"] // 10, 0, 5).astype(int)  # 0 to 5
    return frame


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "customers.csv"
    _frame().to_csv(path, index=False)
    return path


def test_read_csv_infers_the_task_and_the_columns(csv):
    data = read_csv(csv, "label")
    assert data.name == "customers" and data.kind == "classification"
    assert set(np.unique(data.y)) == {0, 1}
    assert data.numeric == ["age", "income", "spend", "visits"]
    assert data.categorical == ["city", "member"]
    assert 0 < data.missing < 0.1
    assert read_csv(csv, "spend").kind == "regression"
    assert read_csv(csv, "visits").kind == "classification"
    assert read_csv(csv, "label", "classification").source.endswith("`label`")


def test_preprocessor_encodes_and_imputes_only_when_asked(csv):
    data = read_csv(csv, "label")
    encoded = data.preprocessor(impute=True).fit_transform(data.X)
    # 4 numeric + Lyon/Nice/Paris/missing + True/False
    assert encoded.shape == (150, 10) and not np.isnan(encoded).any()
    kept = data.preprocessor(impute=False).fit_transform(data.X)
    assert np.isnan(kept).sum() == data.X["age"].isna().sum()


@pytest.mark.parametrize(
    "target, kind, message",
    [
        ("nope", None, "No column 'nope'"),
        ("label", "regression", "is not numeric"),
        ("label", "clustering", "must be one of"),
    ],
)
def test_read_csv_errors(csv, target, kind, message):
    with pytest.raises(ValueError, match=message):
        read_csv(csv, target, kind)


def test_every_family_runs_on_a_csv(csv, tmp_path):
    out = tmp_path / "report"
    argv = [
        "bench",
        "--quick",
        "--data",
        str(csv),
        "--target",
        "label",
        "--outer-splits",
        "2",
        "--out",
        str(out),
        "--quiet",
    ]
    assert _cli.main([*argv, "--family", "tree", "--family", "linear"]) == 0
    text = (out / "report.md").read_text()
    assert "- **tree**" in text and "- **linear**" in text
    assert "| customers | 150 | 6 (4 numeric, 2 categorical, one-hot encoded) |" in text
    assert "`ColumnTransformer`" in text
    assert (out / "pareto_tree_customers.png").exists()


@pytest.mark.parametrize("family", ["forest", "boosting", "neural"])
def test_the_other_families_run_on_a_csv_regression(csv, family):
    rows = run_benchmark(
        families=[family],
        scope="quick",
        outer_splits=2,
        progress=False,
        data=csv,
        target="spend",
    )
    assert rows and all(row["error"] is None for row in rows)
    assert {row["score_name"] for row in rows} == {"R²"}


def test_task_override(csv):
    # A count with few values reads as classes unless told otherwise.
    rows = run_benchmark(
        families=["tree"],
        scope="quick",
        outer_splits=2,
        progress=False,
        data=csv,
        target="visits",
        task="regression",
    )
    assert rows[0]["score_name"] == "R²"
