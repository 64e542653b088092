"""The short questions (framelab.teach.items) as a student meets them, in JupyterLab 4
and Notebook 7, by mouse and by keyboard, in the light and the dark theme: every type
(a choice, choose all that apply, an ordering, a one-line answer, a rewrite) is
answered both ways, its answer reaches the answers file, no notebook command fires
from inside it, and axe-core finds no serious violation."""

from __future__ import annotations

import json
import shutil

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
from .test_items import SET, key_data, sheet_data

pytestmark = BROWSER_MARKS
ITEMS = ("pick", "all", "scale", "word", "rewrite")


def _with_questions(folder) -> None:
    """A copy of the datasets with the test items (as practice: Check explains), and a
    notebook that shows each item in its own cell."""
    datasets = folder / "datasets"
    shutil.copytree(DATASETS, datasets)
    sheet = {**sheet_data(), "graded": False}
    (datasets / "items" / f"{SET}.json").write_text(json.dumps(sheet))
    (datasets / "keys" / "items" / f"{SET}.json").write_text(json.dumps(key_data()))
    first = (
        f"import os\nos.environ['FRAMELAB_DATASETS'] = {str(datasets)!r}\n"
        "from framelab import Question\n"
        f'q = Question.practice("{SET}", "pick", "q")\nq'
    )
    cells = [new_code_cell(first)]
    cells += [new_code_cell(f'Question.practice("{SET}", "{i}", "q")') for i in ITEMS[1:]]
    cells.append(new_markdown_cell("After the questions."))
    notebook = new_notebook(cells=cells, metadata={"kernelspec": KERNEL})
    nbformat.write(notebook, folder / "questions.ipynb")


@pytest.fixture(scope="module", params=APPS)
def server(request, tmp_path_factory):
    with app_server(request, tmp_path_factory, _with_questions) as running:
        yield running


@pytest.fixture
def questions(server, page):
    """The notebook open, every question drawn, and the answers file gone."""
    answers = server.folder / "answers" / "q.json"
    answers.unlink(missing_ok=True)
    open_notebook(page, server, "questions.ipynb")
    for index in range(len(ITEMS)):
        run_cell(page, index, ".fl-question")
    return page.locator(f"{NOTEBOOK} .fl-question")


def saved(server) -> dict:
    path = server.folder / "answers" / "q.json"
    return json.loads(path.read_text()).get("items", {}) if path.exists() else {}


def wait_saved(server, item: str, value) -> None:
    wait_until(lambda: saved(server).get(item) == value, 10, f"{item} saved as {value!r}")


def test_a_choice_by_mouse_then_by_keyboard_with_no_notebook_command(server, page, questions):
    pick = questions.nth(0)
    pick.get_by_label("insisted").check()  # the mouse: a click on the option
    wait_saved(server, "pick", "b")
    pick.get_by_role("button", name="Check").click()
    expect = pick.locator("p", has_text="Right.")
    expect.wait_for()
    cells = cell_count(page)
    pick.get_by_label("said").focus()  # the keyboard: the arrows move through the options
    for key in ("ArrowDown", "ArrowUp", "a", "b", "m", "d", "d"):
        page.keyboard.press(key)
    wait_saved(server, "pick", "a")
    assert cell_count(page) == cells  # no cell was added, deleted or turned into markdown
    verdict = pick.locator("p", has_text="Right.")
    wait_until(lambda: verdict.count() == 0, 10, "no verdict on an answer that changed")


def test_choose_all_that_apply_by_mouse_and_by_keyboard(server, page, questions):
    every = questions.nth(1)
    every.get_by_label("a hospital spokeswoman, Lucía Ferrer").check()
    wait_saved(server, "all", ["a"])
    every.get_by_label("the mayor, Antonio Reyes").focus()
    page.keyboard.press("Space")
    wait_saved(server, "all", ["a", "b"])
    every.get_by_role("button", name="Check").press("Enter")
    every.locator("p", has_text="You chose 2 of the 2 options").wait_for()


def test_an_order_by_mouse_and_by_keyboard_keeps_the_moved_line_chosen(server, page, questions):
    scale = questions.nth(2)
    lines = scale.locator("select")
    lines.select_option(label="2. said")  # the mouse: choose "said" ...
    scale.get_by_role("button", name="Move up").click()  # ... and move it up, twice
    scale.get_by_role("button", name="Move up").click()
    wait_saved(server, "scale", ["b", "a", "c"])
    lines.focus()  # the keyboard: the arrows choose a line, Tab reaches the buttons
    page.keyboard.press("End")  # "claimed", now last
    page.keyboard.press("Tab")  # Move up
    page.keyboard.press("Enter")
    wait_saved(server, "scale", ["b", "c", "a"])
    chosen = "(s) => s.options[s.selectedIndex].text.replace(/\\s+/g, ' ')"
    # still chosen: press again to go on
    wait_until(lambda: lines.evaluate(chosen) == "2. claimed", 10, "the moved line chosen")
    cells = cell_count(page)
    lines.focus()
    for key in ("ArrowUp", "a", "b"):
        page.keyboard.press(key)
    assert cell_count(page) == cells


def test_a_line_and_a_rewrite_are_typed_and_saved_as_typed(server, page, questions):
    word = questions.nth(3).get_by_label("Your answer")
    word.click()
    page.keyboard.type("said")  # "s", "a", "i", "d" are not notebook commands in here
    wait_saved(server, "word", "said")
    rewrite = questions.nth(4)
    start = rewrite.get_by_role("button", name="Start from the sentence")
    start.focus()
    page.keyboard.press("Enter")
    box = rewrite.get_by_label("Your rewrite")
    wait_until(lambda: box.input_value().startswith("The mayor, Antonio Reyes"), 10, "copied")
    box.fill(box.input_value().replace("insisted", "said"))
    wait_saved(server, "rewrite", box.input_value())
    rewrite.get_by_role("button", name="Check").click()
    rewrite.locator("p", has_text="Framing left out").wait_for()


def test_answers_come_back_when_the_cells_run_again(server, page, questions):
    questions.nth(0).get_by_label("insisted").check()
    questions.nth(3).get_by_label("Your answer").fill("stated")
    wait_saved(server, "word", "stated")
    for index in (0, 3):
        run_cell(page, index, ".fl-question")
    shown = page.locator(f"{NOTEBOOK} .fl-question")
    assert shown.nth(0).get_by_label("insisted").is_checked()
    assert shown.nth(3).get_by_label("Your answer").input_value() == "stated"
    assert "Restored from your saved answers" in shown.nth(3).inner_text()


@pytest.mark.parametrize("theme", THEMES)
def test_no_serious_accessibility_violation_in_either_theme(server, page, questions, theme):
    set_theme(page, theme)
    try:
        questions.nth(0).get_by_label("said").check()
        questions.nth(0).get_by_role("button", name="Check").click()
        questions.nth(0).locator("p", has_text="Not the key's answer").wait_for()
        found = axe_violations(page, include=f"{NOTEBOOK} .fl-question")
        assert found == [], json.dumps(found, indent=1)[:3000]
        assert_contrast_evaluated(found)
        keep_screenshot(questions.nth(2), f"question-order-{server.app}-{theme}")
    finally:
        set_theme(page, "light")
