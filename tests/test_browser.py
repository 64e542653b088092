"""The tagger in a real browser: JupyterLab in headless Chromium, driven by Playwright.

A student opens exercise 01, runs the tagger, tags three sentences by keyboard and
marks two spans with the mouse; the answers file changes on disk; after a kernel
restart the tagger shows every tag again. Timings are printed for the notes, and a
screenshot is kept in test-artifacts/. Needs Debian's chromium (.ci/run installs it).
"""

from __future__ import annotations

import json
import statistics
import time

import pytest

from .browser import (
    BROWSER_MARKS,
    NOTEBOOK,
    drag,
    exercise_lab,
    keep_screenshot,
    open_notebook,
    run_cell,
    wait_for_idle_kernel,
    wait_until,
)
from .conftest import ROOT

EX = "01-fact-or-frame"

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a folder holding the released exercise."""
    with exercise_lab(tmp_path_factory, EX) as server:
        yield server


def run_tagger_cell(page) -> float:
    """Run the notebook's tagger cell; seconds until the tagger is drawn."""
    return run_cell(page, 0, selector=".fl-unit")


def answers(lab) -> dict:
    path = lab.folder / "answers" / f"{EX}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def kinds(lab) -> dict:
    return {s["id"]: s["kind"] for s in answers(lab).get("sentences", [])}


def test_a_student_tags_saves_and_gets_everything_back_after_a_restart(lab, page):
    open_notebook(page, lab, f"{EX}.ipynb")
    render = run_tagger_cell(page)
    print(f"\nrun cell to rendered tagger: {render:.2f} s")

    # three sentences by keyboard: focus the first, 4 = structure, arrow down, ...
    page.locator('li.fl-unit[data-id="s01"]').focus()
    for step in range(3):
        page.keyboard.press("4")
        if step < 2:
            page.keyboard.press("ArrowDown")
    wait_until(
        lambda: kinds(lab) == {"s01": "structure", "s02": "structure", "s03": "structure"},
        5,
        f"keyboard tags not saved: {kinds(lab)}",
    )

    # span one by dragging over two words, span two by click then shift-click
    s09 = page.locator('li.fl-unit[data-id="s09"] .fl-tok')
    first, last = s09.filter(has_text="simply").first, s09.filter(has_text="enough").first
    drag(page, first, last)
    page.locator('.fl-menu-item[data-device="intensifier"]').click()
    word = page.locator('li.fl-unit[data-id="s10"] .fl-tok').filter(has_text="insisted").first
    word.click()
    word.click(modifiers=["Shift"])
    page.locator('.fl-menu-item[data-device="verb-bias"]').click()
    text = (ROOT / "datasets/articles/transfer-heatwave-spain/article.txt").read_text()
    wait_until(lambda: len(answers(lab).get("spans", [])) == 2, 5, "spans not saved")
    marked = sorted((text[s["start"] : s["end"]], s["device"]) for s in answers(lab)["spans"])
    assert marked == [("insisted", "verb-bias"), ("simply not enough", "intensifier")]

    # a third span by keyboard only: Enter on a sentence, Shift+arrows, Enter, a letter
    page.locator('li.fl-unit[data-id="s11"]').focus()
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Enter")
    page.keyboard.press("s")
    wait_until(lambda: len(answers(lab).get("spans", [])) == 3, 5, "keyboard span not saved")
    assert ("Residents must be wondering", "speculation") in {
        (text[s["start"] : s["end"]], s["device"]) for s in answers(lab)["spans"]
    }

    # clicking a marked word offers to remove its mark; Ctrl+Z brings it back
    word.click()
    page.locator(".fl-menu-item.fl-remove").click()
    wait_until(lambda: len(answers(lab)["spans"]) == 2, 5, "removal not saved")
    page.locator('li.fl-unit[data-id="s10"]').focus()
    page.keyboard.press("Control+z")
    wait_until(lambda: len(answers(lab)["spans"]) == 3, 5, "undo not saved")

    # click to saved file: a chip click until the file on disk says so
    path = lab.folder / "answers" / f"{EX}.json"
    delays = []
    chips = page.locator('li.fl-unit[data-id="s04"] .fl-chip')
    for round_ in range(10):
        kind = ["fact", "attributed"][round_ % 2]
        before = path.read_bytes()
        started = time.monotonic()
        chips.filter(has_text=kind).click()
        wait_until(
            lambda before=before, kind=kind: (
                path.read_bytes() != before and kinds(lab).get("s04") == kind
            ),
            5,
            "chip click not saved",
        )
        delays.append(time.monotonic() - started)
    print(
        f"click to saved file: median {statistics.median(delays) * 1000:.0f} ms, "
        f"max {max(delays) * 1000:.0f} ms over {len(delays)} clicks"
    )

    keep_screenshot(page.locator(".fl-tagger"), "tagger-tagged")
    saved = answers(lab)

    # restart the kernel, run the cell again: every tag is back
    page.get_by_role("menuitem", name="Kernel").click()
    page.get_by_role("menuitem", name="Restart Kernel…").click()
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.locator(".jp-Dialog").wait_for(state="detached")
    wait_for_idle_kernel(page)
    run_tagger_cell(page)
    page.get_by_text("Restored from your saved answers").wait_for()
    for sentence in ("s01", "s02", "s03"):
        chip = page.locator(f'li.fl-unit[data-id="{sentence}"] .fl-kind-structure')
        assert chip.get_attribute("aria-pressed") == "true"
    assert page.locator(f"{NOTEBOOK} .fl-units .fl-pill").count() == 3
    assert answers(lab) == saved  # restoring wrote nothing new
    assert render < 5


def test_the_seed_articles_tagger_renders_within_three_seconds(lab, page):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    notebook = new_notebook(
        cells=[
            new_code_cell(
                "from framelab.teach.tagger import Tagger\n"
                'Tagger.practice("aleppo-2024-11-30", "render-timing")'
            )
        ],
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        },
    )
    nbformat.write(notebook, lab.folder / "seed.ipynb")
    open_notebook(page, lab, "seed.ipynb")
    seconds = run_tagger_cell(page)
    assert page.locator(f"{NOTEBOOK} .fl-unit").count() == 24
    print(f"\nseed article: run cell to rendered tagger (fresh kernel): {seconds:.2f} s")
    # The aim is under a second, but 0.88 s was measured here on a 2-core machine of CI's
    # kind busy with other jobs: a bound of 1 s would fail now and then. 3 s leaves it a
    # margin of three and still fails a tagger slow by design (a widget or a message per
    # word: seconds for the seed's 410 words).
    assert seconds < 3.0
