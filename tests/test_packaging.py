"""Pins, offline behaviour, and the promise that importing framelab changes nothing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from framelab.texts.model import schema
from framelab.texts.taxonomy import DEVICES, KINDS

from .conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # requires-python allows 3.10, which has no tomllib; the test extras install tomli
    import tomli as tomllib


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def pyproject_pins() -> dict[str, str]:
    pins = {}
    for requirement in pyproject()["project"]["dependencies"]:
        name, version = requirement.split("==")
        pins[name.lower()] = version
    return pins


# an exact pin, and for a backport only the Python versions that need it
PIN = re.compile(r'[A-Za-z0-9_.-]+==[0-9][0-9a-z.]*(; python_version < "3\.[0-9]+")?')


def test_every_runtime_dependency_is_pinned_exactly():
    project = pyproject()["project"]
    for requirement in project["dependencies"]:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9a-z.]*", requirement), requirement
    for requirement in project["optional-dependencies"]["test"]:
        assert PIN.fullmatch(requirement), requirement
    assert PIN.fullmatch('tomli==2.5.0; python_version < "3.11"')
    assert not PIN.fullmatch("tomli>=2.5.0") and not PIN.fullmatch("tomli==2.5.0; os_name")


def test_every_allowed_python_gets_a_toml_reader_for_these_tests():
    """tomllib is new in 3.11 and requires-python allows 3.10: there the test extras
    must bring tomli, and nowhere else."""
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

    allowed = SpecifierSet(pyproject()["project"]["requires-python"])
    test = [Requirement(r) for r in pyproject()["project"]["optional-dependencies"]["test"]]
    (tomli,) = [r for r in test if r.name == "tomli"]
    for minor in range(8, 16):
        version = f"3.{minor}"
        if version not in allowed:
            continue
        needs_tomli = minor < 11
        assert tomli.marker.evaluate({"python_version": version}) == needs_tomli, version
    assert "3.10" in allowed


def test_environment_yml_has_the_same_pins_as_pyproject():
    text = (ROOT / "environment.yml").read_text()
    pins = dict(re.findall(r"^\s+- ([A-Za-z0-9_.-]+)==([0-9][0-9a-z.]*)", text, re.M))
    assert {name.lower(): version for name, version in pins.items()} == pyproject_pins()
    assert re.search(r"^\s+- -e \.", text, re.M), "environment.yml must install the kit itself"


def test_installed_versions_are_the_pinned_ones():
    for name, version in pyproject_pins().items():
        assert metadata.version(name) == version, name


OFFLINE_TEXTSTAT = """
import socket, os, tempfile
def refuse(*args, **kwargs):
    raise OSError("network access attempted")
socket.socket.connect = refuse
socket.create_connection = refuse
os.environ["NLTK_DATA"] = tempfile.mkdtemp()
import textstat
text = "The city changed hands in three days. Reports from the time disagree about the details."
print(textstat.flesch_reading_ease(text), textstat.syllable_count(text),
      textstat.flesch_kincaid_grade(text), textstat.lexicon_count(text))
"""


def test_textstat_works_with_no_network():
    result = subprocess.run(
        [sys.executable, "-c", OFFLINE_TEXTSTAT],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
    )
    assert result.returncode == 0, result.stderr
    ease, syllables, grade, words = (float(x) for x in result.stdout.split())
    # The figures of the pinned textstat 0.7.8 for this text (other releases differ).
    assert (words, syllables) == (15, 21)
    assert ease == pytest.approx(80.78, abs=0.01)
    assert grade == pytest.approx(3.86, abs=0.01)


IMPORT_EVERYTHING = """
import sys
before = set(sys.modules)
import framelab, framelab.texts.taxonomy, framelab.texts.model, framelab.texts.corpus
import framelab.texts.validate, framelab.grading.scoring, framelab.cli
import framelab.texts, framelab.grading, framelab.teach, framelab.instructor, framelab.machine
loaded = set(sys.modules) - before
heavy = sorted(m for m in loaded if m.split('.')[0] in
               {'matplotlib', 'pysbd', 'jsonschema', 'numpy', 'ipywidgets', 'nbgrader', 'textstat'})
print(heavy)
"""


def test_importing_framelab_loads_nothing_heavy_and_writes_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert result.stdout.strip() == "[]"
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_schemas_name_exactly_the_taxonomys_labels():
    annotation, key = schema("annotation"), schema("key")
    kinds = annotation["properties"]["sentences"]["items"]["properties"]["kind"]["enum"]
    assert kinds == [*KINDS, None]
    assert key["properties"]["sentences"]["items"]["properties"]["kind"]["enum"] == list(KINDS)
    span = annotation["properties"]["spans"]["items"]
    assert span["properties"]["device"]["enum"] == list(DEVICES)
    assert key["properties"]["spans"]["items"]["$ref"].endswith("#/$defs/span")
    assert key["properties"]["headline"]["properties"]["spans"]["items"]["$ref"].endswith(
        "#/$defs/span"
    )
    assert key["$defs"]["span"]["properties"]["device"]["enum"] == list(DEVICES)
    for owner in (key["properties"]["sentences"]["items"], key["properties"]["headline"]):
        assert owner["properties"]["kind"]["enum"] == list(KINDS)
        assert owner["properties"]["accept"]["items"]["enum"] == list(KINDS)


def test_nbgrader_config_uses_the_kits_folder_names():
    text = (ROOT / "nbgrader_config.py").read_text()
    assert 'source_directory = "solutions"' in text
    assert 'release_directory = "exercises"' in text


# The gate: what CI runs, and what the pre-commit hooks run on each commit's files.
LINT = ("check", ".")
FORMAT = ("format", "--check", ".")


def ruff(*args: str, cwd=ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=cwd, capture_output=True, text=True
    )


def test_code_notebooks_and_docs_pass_the_linter_and_formatter_check():
    lint = ruff(*LINT)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = ruff(*FORMAT)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_the_linter_reads_every_committed_notebook():
    tracked = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if tracked.returncode != 0:
        pytest.skip("not a git checkout: no list of committed notebooks")
    notebooks = set(tracked.stdout.split())
    assert {
        "lessons/01-fact-or-frame.ipynb",
        "solutions/01-fact-or-frame/01-fact-or-frame.ipynb",
        "exercises/01-fact-or-frame/01-fact-or-frame.ipynb",
    } <= notebooks
    shown = ruff("check", "--show-files", ".")
    read = {str(Path(line).relative_to(ROOT)) for line in shown.stdout.split()}
    assert notebooks <= read, sorted(notebooks - read)


NOT_CLEAN_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "a1",
            "metadata": {},
            "outputs": [],
            "source": ["from framelab import check_answers, grade_cell\n", "\n", "x=1"],
        }
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}
NOT_CLEAN_DOC = "# A doc\n\n```python\nimport os\nx=os.sep\n```\n"


def test_the_gate_catches_a_notebook_and_a_doc_that_are_not_clean(tmp_path):
    """The same commands, with this project's ruff settings, on a bad notebook and a
    doc whose Python block is not formatted: both are named."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "lesson.ipynb").write_text(json.dumps(NOT_CLEAN_NOTEBOOK))
    (tmp_path / "guide.md").write_text(NOT_CLEAN_DOC)
    lint = ruff(*LINT, "--output-format", "concise", cwd=tmp_path)
    assert lint.returncode == 1
    assert "lesson.ipynb:cell 1:1:22: F401" in lint.stdout
    assert "lesson.ipynb:cell 1:1:37: F401" in lint.stdout
    fmt = ruff(*FORMAT, cwd=tmp_path)
    assert fmt.returncode == 1
    assert "lesson.ipynb" in fmt.stdout and "guide.md" in fmt.stdout


def test_the_pre_commit_hooks_lint_and_format_notebooks_too():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["ruff-check"]["entry"] == ".venv/bin/ruff check --fix"
    assert hooks["ruff-format"]["entry"] == ".venv/bin/ruff format"
    for name in ("ruff-check", "ruff-format"):
        assert "types" not in hooks[name], name  # `types` needs every tag: python only
        assert {"python", "jupyter"} <= set(hooks[name]["types_or"]), name
    assert "markdown" in hooks["ruff-format"]["types_or"]


def test_a_new_exercises_notebook_passes_the_gate(tmp_path):
    import nbformat

    from framelab.instructor.new_exercise import exercise_notebook

    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    notebook = exercise_notebook(
        "02-new", "transfer-wildfire-chile", heading="A new text", about="a fire", last_id="s09"
    )
    nbformat.write(notebook, tmp_path / "02-new.ipynb")
    lint = ruff(*LINT, "--output-format", "concise", cwd=tmp_path)
    assert lint.returncode == 0, lint.stdout
