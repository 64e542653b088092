"""The browser-test harness itself (tests/browser.py), in both apps and both themes.

For JupyterLab 4 and Notebook 7, light and dark: a notebook written here, whose one code
cell shows an ipywidgets Button and a line of text, opens with an idle kernel, runs, shows
its output in the chosen theme, and axe-core judges the output's colour contrast. And a
key pressed in the page reaches the notebook (the baseline of a "keys do not leak" test).
One server per app for the whole module; screenshots in test-artifacts/.
"""

from __future__ import annotations

import pytest

from .browser import (
    APPS,
    BROWSER_MARKS,
    THEMES,
    app_server,
    assert_contrast_evaluated,
    assert_theme,
    axe_violations,
    cell_count,
    dialog_open,
    keep_screenshot,
    open_notebook,
    run_cell,
    set_theme,
)

pytestmark = BROWSER_MARKS

NOTEBOOK = "harness.ipynb"
TEXT = "The harness sees this line."
OUTPUT = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea"


def write_notebook(path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    notebook = new_notebook(
        cells=[
            new_markdown_cell("# A notebook for the harness"),
            new_code_cell(
                "import ipywidgets as widgets\n"
                "from IPython.display import display\n"
                f'display(widgets.Button(description="Press me"), widgets.HTML("<p>{TEXT}</p>"))'
            ),
        ],
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        },
    )
    nbformat.write(notebook, path)


@pytest.fixture(scope="module", params=APPS)
def server(request, tmp_path_factory):
    with app_server(
        request, tmp_path_factory, lambda folder: write_notebook(folder / NOTEBOOK)
    ) as running:
        yield running


@pytest.mark.parametrize("theme", THEMES)
def test_a_widget_cell_runs_in_the_theme_and_axe_judges_its_contrast(server, page, theme):
    open_notebook(page, server, NOTEBOOK)
    set_theme(page, theme)
    seconds = run_cell(page)  # until the cell has run and shows an output
    page.locator(OUTPUT).get_by_text(TEXT).wait_for()
    button = page.locator(OUTPUT).get_by_role("button", name="Press me")
    assert button.is_visible()
    assert_theme(page, theme)
    print(f"\n{server.app} {theme}: run cell to its output: {seconds:.2f} s")

    result = axe_violations(page, include=OUTPUT)
    assert_contrast_evaluated(result)
    assert isinstance(result, list)
    for violation in result:  # JupyterLab's own UI is not ours to judge here: only the form
        assert violation["impact"] in ("critical", "serious")
        assert {"id", "impact", "help", "nodes"} <= set(violation)
        assert 1 <= len(violation["nodes"]) <= 5
        assert {"target", "html", "failureSummary"} <= set(violation["nodes"][0])
    assert result.passed and isinstance(result.inapplicable, list)
    print(f"axe: {[v['id'] for v in result] or 'no'} serious or critical violations")

    path = keep_screenshot(page, f"harness-{server.app}-{theme}")
    assert path.stat().st_size > 0


def test_a_key_pressed_in_the_page_reaches_the_notebook(server, page):
    open_notebook(page, server, NOTEBOOK)
    before = cell_count(page)
    # select the first cell in command mode, then B inserts a cell below it
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.locator(
        ".jp-InputPrompt, .jp-Cell-inputCollapser"
    ).first.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.wait_for_function(
        "(n) => document.querySelectorAll("
        "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').length === n",
        arg=before + 1,
    )
    assert cell_count(page) == before + 1
    assert not dialog_open(page)
