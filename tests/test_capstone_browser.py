"""Exercise 08 in a real browser (JupyterLab in headless Chromium): the tagger on the
capstone's text, the machine's guesses refused until every unit has the student's kind and
a phrase is marked, a button that hands in the tags, then the guesses beside them, with no
serious accessibility violation in either theme (the button's included)."""

from __future__ import annotations

import json

import pytest

from .browser import (
    BROWSER_MARKS,
    NOTEBOOK,
    THEMES,
    assert_contrast_evaluated,
    axe_violations,
    exercise_lab,
    keep_screenshot,
    open_notebook,
    run_cell,
    set_theme,
    wait_until,
)

EX = "08-capstone"
TAGGER, MACHINE = 0, 5  # the code cells of the released notebook that matter here
pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with exercise_lab(tmp_path_factory, EX) as server:
        yield server


def answers(lab) -> dict:
    path = lab.folder / "answers" / f"{EX}.json"
    return json.loads(path.read_text()) if path.exists() else {}


@pytest.fixture(scope="module")
def compared(lab, page):
    open_notebook(page, lab, f"{EX}.ipynb")
    run_cell(page, TAGGER, selector=".fl-unit")
    machine = page.locator(NOTEBOOK).locator(".jp-CodeCell").nth(MACHINE)
    run_cell(page, MACHINE)
    wait_until(lambda: "still without a kind" in machine.inner_text(), 10, "no refusal shown")
    assert "handed_in" not in answers(lab)
    # every unit by keyboard: 1 = fact, then down to the next
    page.locator('li.fl-unit[data-id="s01"]').focus()
    for unit in range(21):
        page.keyboard.press("1")
        if unit < 20:
            page.keyboard.press("ArrowDown")
    wait_until(lambda: len(answers(lab).get("sentences", [])) == 21, 10, "tags not saved")
    run_cell(page, MACHINE)
    wait_until(lambda: "no phrase marked yet" in machine.inner_text(), 10, "no refusal shown")
    # one phrase by keyboard: Enter on a unit, Enter on its first word, L for loaded
    page.locator('li.fl-unit[data-id="s07"]').focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.press("l")
    wait_until(lambda: len(answers(lab).get("spans", [])) == 1, 10, "phrase not saved")
    run_cell(page, MACHINE, selector=".fl-hand-in")
    assert "handed_in" not in answers(lab)  # running the cell hands in nothing
    machine.get_by_role("button", name="Hand in my tags and show the machine's guesses").click()
    machine.locator(".fl-machine").wait_for()
    wait_until(lambda: "handed_in" in answers(lab), 10, "tags not handed in")
    return page, machine


def test_the_machines_guesses_appear_beside_the_students_tags_once_handed_in(lab, page, compared):
    _page, machine = compared
    shown = machine.locator(".fl-machine")
    text = shown.inner_text()
    assert "The machine and you differ on" in text and "≠" in text
    assert shown.locator("table").count() == 2  # the kinds, and the phrases it marks
    assert "the key's kind" not in text
    assert {s["kind"] for s in answers(lab)["handed_in"]["sentences"]} == {"fact"}
    keep_screenshot(shown, "capstone-machine")


@pytest.mark.parametrize("theme", THEMES)
def test_no_serious_accessibility_violation_in_either_theme(compared, theme):
    page, _machine = compared
    set_theme(page, theme)
    try:
        found = axe_violations(page, include=f"{NOTEBOOK} .fl-hand-in")
        assert found == [], json.dumps(found, indent=1)[:3000]
        assert_contrast_evaluated(found)
    finally:
        set_theme(page, "light")
