"""Lesson 05's fact viewer as a student meets it, in JupyterLab 4 and Notebook 7: a fact
chosen by mouse and by keyboard shows what every version does with it, no notebook
command fires from inside it, and axe-core finds no serious violation in either theme."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .browser import (
    APPS,
    BROWSER_MARKS,
    KERNEL,
    NOTEBOOK,
    THEMES,
    app_server,
    assert_contrast_evaluated,
    axe_violations,
    cell_count,
    keep_screenshot,
    open_notebook,
    run_cell,
    set_theme,
    wait_until,
)
from .conftest import DATASETS

pytestmark = BROWSER_MARKS
VIEWER = ".fl-fact-viewer"


def _with_viewer(folder) -> None:
    source = (
        f"import os\nos.environ['FRAMELAB_DATASETS'] = {str(DATASETS)!r}\n"
        "from framelab import FactViewer\n"
        "FactViewer(titles={'aleppo-2024-11-30': 'central article', 'aleppo-wire': 'wire report'})"
    )
    cells = [new_code_cell(source), new_markdown_cell("After the viewer.")]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": KERNEL}), folder / "f.ipynb")


@pytest.fixture(scope="module", params=APPS)
def server(request, tmp_path_factory):
    with app_server(request, tmp_path_factory, _with_viewer) as running:
        yield running


@pytest.fixture
def viewer(server, page):
    open_notebook(page, server, "f.ipynb")
    run_cell(page, 0, VIEWER)
    return page.locator(f"{NOTEBOOK} {VIEWER}")


def test_a_fact_chosen_by_mouse_then_by_keyboard_shows_every_version(server, page, viewer):
    choose = viewer.get_by_label("Fact")
    choose.select_option(index=4)  # the mouse: pick F05, the fifth, in the list
    panel = viewer.locator("table")
    wait_until(lambda: "F05" in viewer.inner_text(), 10, "fact F05 shown")
    assert panel.locator("tbody tr").count() == 5  # the central article and four versions
    assert "distorts it" in panel.inner_text() and "wire report" in panel.inner_text()
    cells = cell_count(page)
    choose.focus()  # the keyboard: the arrows move through the facts
    for key in ("ArrowDown", "a", "b", "m", "d", "d"):
        page.keyboard.press(key)
    wait_until(lambda: "F06" in viewer.inner_text(), 10, "the next fact, F06, shown")
    assert cell_count(page) == cells  # no cell was added, deleted or turned into markdown


@pytest.mark.parametrize("theme", THEMES)
def test_no_serious_accessibility_violation_in_either_theme(server, page, viewer, theme):
    set_theme(page, theme)
    try:
        viewer.get_by_label("Fact").select_option(index=2)
        wait_until(lambda: "F03" in viewer.inner_text(), 10, "fact F03 shown")
        found = axe_violations(page, include=f"{NOTEBOOK} {VIEWER}")
        assert found == [], json.dumps(found, indent=1)[:3000]
        assert_contrast_evaluated(found)
        keep_screenshot(viewer, f"fact-viewer-{server.app}-{theme}")
    finally:
        set_theme(page, "light")
