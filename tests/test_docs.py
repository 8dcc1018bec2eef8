"""The user guide's code and the examples must run."""

import doctest
import pathlib
import runpy

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("page", sorted(DOCS.rglob("*.md")), ids=lambda p: p.name)
def test_user_guide_doctests(page):
    result = doctest.testfile(
        str(page), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.failed == 0


@pytest.mark.parametrize(
    "script", sorted((DOCS / "examples").glob("*.py")), ids=lambda p: p.name
)
def test_examples_run(script, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(script), run_name="__main__")
