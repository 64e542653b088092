"""The tagger as a student meets it, in JupyterLab 4 and in Notebook 7, by mouse and by
keyboard, in the light and the dark theme (the defects of the usability review,
../shared/reviews/tagger-ux.md, one test or more each).

Each test runs in both apps (one server per app for the module). Screenshots of the
tagger in both themes are kept in test-artifacts/; axe-core checks every view. The
figures of the notes (render time, click to saved file, page height in both views) are
printed by test_browser.py and by the height test here.
"""

from __future__ import annotations

import json
import statistics
import time

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
    dialog_open,
    drag,
    keep_screenshot,
    open_notebook,
    run_cell,
    set_theme,
    wait_until,
)
from .conftest import ROOT, SEED

pytestmark = BROWSER_MARKS
EX = "01-fact-or-frame"


def _with_the_exercise(folder) -> None:
    # the released exercise as students get it: its tagger cell is locked by nbgrader
    (folder / f"{EX}.ipynb").write_bytes((ROOT / "exercises" / EX / f"{EX}.ipynb").read_bytes())


@pytest.fixture(scope="module", params=APPS)
def server(request, tmp_path_factory):
    with app_server(request, tmp_path_factory, _with_the_exercise) as running:
        yield running


@pytest.fixture(autouse=True)
def light_and_wide(page):
    """Every test starts from the light theme at 1300 px and leaves it so."""
    yield
    page.set_viewport_size({"width": 1300, "height": 1000})


# --- helpers ---------------------------------------------------------------------------


def tagger_notebook(server, name: str, code: str | None = None) -> str:
    """A notebook whose first cell shows a practice tagger of the seed article, saving
    to answers/NAME.json, with a text cell after it; returns its file name."""
    code = code or (
        "from framelab.teach.tagger import Tagger\n"
        f'tagger = Tagger.practice("{SEED}", "{name}")\n'
        "tagger"
    )
    notebook = new_notebook(
        cells=[new_code_cell(code), new_markdown_cell("After the tagger.")],
        metadata={"kernelspec": KERNEL},
    )
    nbformat.write(notebook, server.folder / f"{name}.ipynb")
    return f"{name}.ipynb"


def open_tagger(page, server, name: str, code: str | None = None, theme: str = "light") -> float:
    """Open a fresh tagger notebook NAME and run its tagger cell; seconds to the tagger."""
    answers = server.folder / "answers" / f"{name}.json"
    answers.unlink(missing_ok=True)
    open_notebook(page, server, tagger_notebook(server, name, code))
    set_theme(page, theme)
    return run_cell(page, 0, selector=".fl-unit")


def tagger(page):
    return page.locator(NOTEBOOK).locator(".fl-root").first


def unit(page, sentence: str):
    return tagger(page).locator(f'li.fl-unit[data-id="{sentence}"]')


def answers(server, name: str) -> dict:
    path = server.folder / "answers" / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def kinds(server, name: str) -> dict:
    return {s["id"]: s["kind"] for s in answers(server, name).get("sentences", [])}


def marks(server, name: str) -> list:
    text = (ROOT / "datasets" / "articles" / SEED / "article.txt").read_text()
    return [
        (text[s["start"] : s["end"]], s["device"]) for s in answers(server, name).get("spans", [])
    ]


def cell_types(page) -> list[str]:
    return page.evaluate(
        "() => { const m = window.jupyterapp.shell.currentWidget.content.model;"
        " const out = []; for (let i = 0; i < m.cells.length; i++) out.push(m.cells.get(i).type);"
        " return out; }"
    )


def focused(page) -> dict:
    return page.evaluate(
        "() => { const a = document.activeElement; const li = a && a.closest('li.fl-unit');"
        " return {tag: a ? a.tagName : null, cls: a ? a.className : '',"
        " unit: li ? li.dataset.id : null, inList: !!(a && a.closest('.fl-units')),"
        " text: a ? a.textContent : ''}; }"
    )


def words(page, sentence: str, *texts: str):
    toks = unit(page, sentence).locator(".fl-tok")
    return [toks.filter(has_text=t).first for t in texts]


def no_serious_violations(page, where: str) -> None:
    found = axe_violations(page, include=f"{NOTEBOOK} .fl-root")
    assert_contrast_evaluated(found)
    assert not found, f"axe, {where}: " + json.dumps(list(found), indent=1)[:3000]


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


# --- 1. no notebook command key fires inside the tagger --------------------------------


def test_notebook_command_keys_do_nothing_inside_the_tagger(server, page):
    open_tagger(page, server, "keys")
    before = cell_types(page)
    unit(page, "s05").focus()
    for key in ["m", "x", "a", "b", "y", "d", "d", "c", "v", "z", "Shift+M", "Shift+V"]:
        page.keyboard.press(key)
    assert cell_types(page) == before, "a notebook command ran from inside the tagger"
    assert not dialog_open(page)
    assert tagger(page).is_visible() and focused(page)["unit"] == "s05"
    assert kinds(server, "keys") == {} and marks(server, "keys") == []
    # Ctrl+S is answered in the tagger, not by a browser's "save page" dialog
    page.keyboard.press("Control+s")
    assert "save themselves" in tagger(page).locator(".fl-said").inner_text()

    # Shift+Enter is the one notebook key that goes through: it runs the tagger's cell
    unit(page, "s05").focus()
    stale = tagger(page).element_handle()
    page.keyboard.press("Shift+Enter")
    wait_until(lambda: not stale.evaluate("n => n.isConnected"), 10, "Shift+Enter did not run")
    tagger(page).locator("li.fl-unit").first.wait_for()
    assert cell_types(page) == before

    # the same key outside the tagger does reach the notebook: the test can fail
    page.locator(NOTEBOOK).locator(".jp-MarkdownCell").first.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    wait_until(lambda: cell_count(page) == len(before) + 1, 5, "b did not add a cell outside")


def test_in_the_locked_exercise_cell_no_key_pops_a_read_only_dialog(server, page):
    (server.folder / "answers" / f"{EX}.json").unlink(missing_ok=True)
    open_notebook(page, server, f"{EX}.ipynb")
    set_theme(page, "light")
    run_cell(page, 0, selector=".fl-unit")
    unit(page, "s03").focus()
    for key in ["m", "y", "x", "Enter", "Escape", "d", "d"]:
        page.keyboard.press(key)
        assert not dialog_open(page), f"{key} opened a dialog"
    assert (
        page.locator(".jp-toast-message, .Toastify__toast").filter(has_text="read-only").count()
        == 0
    )
    assert tagger(page).is_visible()
    # the graded tagger: no hints button, and no serious axe finding in either theme
    assert tagger(page).get_by_role("button", name="Machine hints").count() == 0
    tagger(page).locator(".fl-check").click()
    tagger(page).locator(".fl-status").first.wait_for()
    for theme in ("dark", "light"):
        set_theme(page, theme)
        no_serious_violations(page, f"graded exercise after Check, {theme}")
        keep_screenshot(page, f"tagger-{server.app}-{theme}-graded")


# --- 2. the device menu opens at the words ----------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
def test_the_device_menu_opens_at_the_words_and_keeps_them_highlighted(server, page, theme):
    open_tagger(page, server, f"palette-{theme}", theme=theme)
    first, last = words(page, "s20", "representative", "lied")
    drag(page, first, last)
    palette = tagger(page).locator(".fl-palette")
    palette.wait_for(state="visible")
    words_box = last.bounding_box()
    box = palette.bounding_box()
    # right under the words (not after the last sentence, 1,600 px away) and on screen
    assert 0 <= box["y"] - (words_box["y"] + words_box["height"]) <= 40, (box, words_box)
    assert in_viewport(page, palette)
    chosen = unit(page, "s20").locator(".fl-tok.fl-selecting")
    assert chosen.count() >= 2 and chosen.first.inner_text() == "representative"
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "menuitem"
    no_serious_violations(page, f"device menu open, {theme}")
    keep_screenshot(page, f"tagger-{server.app}-{theme}-device-menu")
    page.keyboard.press("ArrowDown")  # the arrows walk the menu; the letter chooses
    page.keyboard.press("b")
    wait_until(lambda: marks(server, f"palette-{theme}"), 5, "the mark was not saved")
    (marked,) = marks(server, f"palette-{theme}")
    assert marked == ("representative lied", "verb-bias")
    assert not palette.is_visible()


# --- 3. ids on screen; 10. pills; 12. the legend ---------------------------------------


def test_ids_are_on_screen_and_marks_are_readable_pills(server, page):
    open_tagger(page, server, "pills")
    ids = tagger(page).locator(".fl-id")
    assert ids.all_inner_texts() == [f"s{n:02d}" for n in range(1, 25)]
    assert ids.first.is_visible()
    drag(page, *words(page, "s02", "liberated", "liberated"))
    tagger(page).locator('.fl-menu-item[data-device="loaded"]').click()
    pill = unit(page, "s02").locator(".fl-pill")
    pill.wait_for()
    # the device's full name on the pill, and its cross; screen readers hear what it does
    assert pill.evaluate("p => p.firstChild.textContent") == "loaded"
    assert pill.locator(".fl-x").inner_text() == "\u00d7"
    assert pill.get_attribute("aria-label") is None  # its name is its words: nothing to mismatch
    assert "remove the mark" in pill.evaluate("p => p.textContent")
    size = float(pill.evaluate("p => getComputedStyle(p).fontSize").removesuffix("px"))
    assert size >= 11
    # the legend is focusable, and draws the same pills
    legend = tagger(page).locator(".fl-legend > summary")
    legend.focus()
    page.keyboard.press("Enter")
    assert tagger(page).locator(".fl-legend").get_attribute("open") is not None
    assert tagger(page).locator(".fl-legend .fl-pill").count() == 6
    no_serious_violations(page, "pill and legend")
    # clicking the pill removes the mark at once, and the note offers to undo it
    pill.click()
    wait_until(lambda: marks(server, "pills") == [], 5, "removal not saved")
    toast = tagger(page).locator(".fl-toast")
    assert toast.is_visible() and 'Removed loaded on "liberated"' in toast.inner_text()
    toast.get_by_role("button", name="Undo").click()
    wait_until(lambda: marks(server, "pills") == [("liberated", "loaded")], 5, "undo not saved")


# --- 5. the keyboard reaches every control ----------------------------------------------


def test_the_keyboard_reaches_every_control_with_one_tab_stop_for_the_text(server, page):
    open_tagger(page, server, "keyboard")
    # from the Check button, Tab reaches the text after the bar's buttons and the legend
    tagger(page).locator(".fl-check").focus()
    stops = 0
    while not focused(page)["inList"] and stops < 12:
        page.keyboard.press("Tab")
        stops += 1
    assert focused(page)["unit"] == "s01" and stops <= 6, stops
    page.keyboard.press("ArrowDown")
    page.keyboard.press("2")
    wait_until(lambda: kinds(server, "keyboard") == {"s02": "attributed"}, 5, "2 not saved")
    # one Tab leaves the whole text; Shift+Tab comes back to the same sentence
    page.keyboard.press("Tab")
    assert not focused(page)["inList"]
    page.keyboard.press("Shift+Tab")
    assert focused(page)["unit"] == "s02"
    # into the sentence's kind buttons with the right arrow; Enter presses one
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert focused(page)["text"].endswith("attributed")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    wait_until(lambda: kinds(server, "keyboard") == {"s02": "opinion"}, 5, "chip not pressed")
    page.keyboard.press("Escape")
    assert focused(page)["tag"] == "LI" and focused(page)["unit"] == "s02"
    # a mark by keyboard (Enter walks the words from the first), then Delete removes it
    toks = unit(page, "s02").locator(".fl-tok")
    target = toks.filter(has_text="liberated").first
    steps = int(target.get_attribute("data-i")) - int(toks.first.get_attribute("data-i"))
    page.keyboard.press("Enter")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.keyboard.press("l")
    wait_until(lambda: marks(server, "keyboard") == [("liberated", "loaded")], 5, "not saved")
    page.keyboard.press("Enter")  # walk the words again, to the marked one
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Delete")
    wait_until(lambda: marks(server, "keyboard") == [], 5, "Delete did not remove the mark")
    assert "Removed loaded" in tagger(page).locator(".fl-toast").inner_text()
    page.keyboard.press("Control+z")
    wait_until(lambda: len(marks(server, "keyboard")) == 1, 5, "Ctrl+Z did not bring it back")
    unit(page, "s02").locator(".fl-pill").wait_for()  # and the front end has it again
    # Delete on a sentence asks which of its marks to remove
    page.keyboard.press("Escape")
    page.keyboard.press("Delete")
    menu = tagger(page).locator(".fl-palette")
    menu.wait_for(state="visible")
    assert "Remove loaded" in menu.inner_text()
    page.keyboard.press("Enter")
    wait_until(lambda: marks(server, "keyboard") == [], 5, "the remove menu did not remove")
    # the pill is reached by the arrows too, and Delete on it removes the mark
    page.keyboard.press("Control+z")
    wait_until(lambda: len(marks(server, "keyboard")) == 1, 5, "undo")
    unit(page, "s02").locator(".fl-pill").wait_for()
    unit(page, "s02").focus()
    page.keyboard.press("End")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    assert focused(page)["unit"] == "s02"
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert "fl-pill" in focused(page)["cls"]
    page.keyboard.press("Delete")
    wait_until(lambda: marks(server, "keyboard") == [], 5, "Delete on the pill")


def test_the_key_sheet_opens_with_a_question_mark_and_closes_with_escape(server, page):
    open_tagger(page, server, "sheet")
    unit(page, "s04").focus()
    page.keyboard.press("?")
    sheet = tagger(page).locator(".fl-keysheet")
    sheet.wait_for(state="visible")
    assert "Delete" in sheet.inner_text() and "Shift+Enter" in sheet.inner_text()
    no_serious_violations(page, "key sheet open")
    page.keyboard.press("Escape")
    assert not sheet.is_visible() and focused(page)["unit"] == "s04"


# --- 6. feedback where the eye is; 7. no stale marks; 8. key and hint told apart ------


@pytest.mark.parametrize("theme", THEMES)
def test_check_puts_each_reason_under_its_sentence_in_plain_words(server, page, theme):
    open_tagger(page, server, f"check-{theme}", theme=theme)
    no_serious_violations(page, f"render, {theme}")
    keep_screenshot(page, f"tagger-{server.app}-{theme}-render")
    unit(page, "s02").focus()
    page.keyboard.press("3")
    drag(page, *words(page, "s02", "liberated", "liberated"))
    tagger(page).locator('.fl-menu-item[data-device="intensifier"]').click()
    wait_until(lambda: marks(server, f"check-{theme}"), 5, "mark not saved")
    tagger(page).locator(".fl-check").click()
    reasons = unit(page, "s02").locator(".fl-reason")
    reasons.first.wait_for()
    shown = reasons.all_inner_texts()
    assert any("You chose opinion" in line for line in shown)
    assert any(
        'You marked "liberated" as intensifier; the key calls it loaded' in line for line in shown
    )
    unit(page, "s02").scroll_into_view_if_needed()
    keep_screenshot(page, f"tagger-{server.app}-{theme}-after-check")
    summary = tagger(page).locator(".fl-notice").inner_text()
    assert "Sentence kinds: 0 right of the 1 sentence you have tried" in summary
    assert "%" not in summary
    everything = tagger(page).inner_text()
    assert "F1" not in everything and "key span" not in everything
    assert unit(page, "s02").locator(".fl-status").inner_text() == "\u2717 wrong"
    # the bar stays in view while the student scrolls to the last sentence
    unit(page, "s24").scroll_into_view_if_needed()
    assert in_viewport(page, tagger(page).locator(".fl-check"))
    assert in_viewport(page, tagger(page).locator(".fl-saved"))
    no_serious_violations(page, f"after Check, {theme}")
    keep_screenshot(page, f"tagger-{server.app}-{theme}-after-check-scrolled")
    # a sentence tagged after Check loses its stale "? untagged"
    status = unit(page, "s24").locator(".fl-status")
    assert status.inner_text() == "? untagged"
    unit(page, "s24").focus()
    page.keyboard.press("1")
    wait_until(lambda: unit(page, "s24").locator(".fl-status").count() == 0, 5, "stale mark")
    assert unit(page, "s24").locator(".fl-reason").count() == 0
    assert "press Check again" in tagger(page).locator(".fl-notice").inner_text()


def test_a_kinds_only_lesson_shows_no_devices_in_its_check(server, page):
    code = (
        "from framelab.teach.tagger import Tagger\n"
        f'tagger = Tagger.practice("{SEED}", "kinds-only", devices=False)\n'
        "tagger"
    )
    open_tagger(page, server, "kinds-only", code)
    unit(page, "s03").focus()
    page.keyboard.press("1")
    tagger(page).locator(".fl-check").click()
    unit(page, "s02").locator(".fl-reason").first.wait_for()
    statuses = (
        tagger(page).locator(".fl-reason").evaluate_all("ns => ns.map(n => n.dataset.status)")
    )
    assert set(statuses) <= {"wrong", "untagged", "accepted"}, statuses
    assert tagger(page).locator(".fl-units .fl-key, .fl-units .fl-keylabel").count() == 0
    assert "Devices" not in tagger(page).locator(".fl-notice").inner_text()
    # no marking of phrases in a lesson on kinds only: a drag opens no menu
    drag(page, *words(page, "s02", "liberated", "liberated"))
    assert not tagger(page).locator(".fl-palette").is_visible()
    assert "marks" not in tagger(page).locator(".fl-progress").inner_text()


def test_key_phrases_and_machine_guesses_are_told_apart_by_shape_and_words(server, page):
    open_tagger(page, server, "apart")
    tagger(page).get_by_role("button", name="Machine hints").click()
    tagger(page).locator(".fl-hintlabel").first.wait_for()
    unit(page, "s02").focus()
    page.keyboard.press("1")  # Check answers only what the student has tried
    tagger(page).locator(".fl-check").click()
    tagger(page).locator(".fl-keylabel").first.wait_for()
    key = unit(page, "s02").locator(".fl-tok.fl-key").first
    hint = tagger(page).locator(".fl-tok.fl-hint:not(.fl-key)").first
    style = (
        "t => { const s = getComputedStyle(t); return [s.borderTopStyle, s.textDecorationLine]; }"
    )
    assert key.evaluate(style)[0] == "solid"
    assert hint.evaluate(style) == ["none", "overline"]
    assert tagger(page).locator(".fl-keylabel").first.inner_text().startswith("key: ")
    assert tagger(page).locator(".fl-hintlabel").first.inner_text().startswith("machine guess: ")
    # one box per key phrase: "it became officially known" opens once and closes once
    phrase = unit(page, "s02").locator(".fl-key")
    assert unit(page, "s02").locator(".fl-key-first").count() == 2  # two key phrases
    assert phrase.count() > 4  # words and the spaces between them
    no_serious_violations(page, "hints and Check")


# --- 9. the bar wraps at 800 px; a narrow window ----------------------------------------


def test_the_bar_wraps_in_a_narrow_window_and_nothing_is_cut(server, page):
    open_tagger(page, server, "narrow")
    for width in (800, 560):
        page.set_viewport_size({"width": width, "height": 900})
        time.sleep(0.3)
        cut = tagger(page).evaluate(
            "root => [...root.querySelectorAll('.fl-bar button, .fl-bar span, .fl-chip')]"
            ".filter(n => n.offsetParent && n.scrollWidth > n.clientWidth + 1)"
            ".map(n => n.textContent)"
        )
        assert cut == [], f"cut at {width} px: {cut}"
        overflow = tagger(page).evaluate("root => root.scrollWidth - root.clientWidth")
        assert overflow <= 1, f"{overflow} px of sideways scrolling at {width} px"
        keep_screenshot(page, f"tagger-{server.app}-{width}px")


# --- one sentence at a time ---------------------------------------------------------------


def test_one_at_a_time_view_is_remembered_and_tags_the_same_file(server, page):
    open_tagger(page, server, "focus-mode")
    list_height = tagger(page).evaluate("root => root.offsetHeight")
    tagger(page).get_by_role("button", name="One at a time").click()
    card = tagger(page).locator(".fl-card")
    card.wait_for()
    assert card.locator(".fl-card-count").inner_text() == "1 of 24"
    card.get_by_role("button", name="Next \u2192").click()
    assert card.locator(".fl-card-count").inner_text() == "2 of 24"
    assert focused(page)["unit"] == "s02"
    page.keyboard.press("3")
    wait_until(lambda: kinds(server, "focus-mode") == {"s02": "opinion"}, 5, "card tag not saved")
    page.keyboard.press("ArrowDown")
    assert card.locator(".fl-card-count").inner_text() == "3 of 24"
    chip = unit(page, "s03").locator(".fl-chip").first
    assert chip.bounding_box()["height"] >= 44  # big buttons
    card_height = tagger(page).evaluate("root => root.offsetHeight")
    no_serious_violations(page, "one at a time")
    keep_screenshot(page, f"tagger-{server.app}-one-at-a-time")
    # run the cell again: the view and the place come back
    run_cell(page, 0, selector=".fl-unit")
    card = tagger(page).locator(".fl-card")
    card.wait_for()
    assert card.locator(".fl-card-count").inner_text() == "3 of 24"
    tagger(page).get_by_role("button", name="Whole text").click()
    tagger(page).locator("li.fl-unit").nth(23).wait_for()
    print(
        f"\n{server.app}: seed tagger height {list_height} px whole text, "
        f"{card_height} px one at a time"
    )
    assert card_height < list_height / 4


# --- the figures of the notes -----------------------------------------------------------


def test_clicks_are_saved_within_a_blink(server, page):
    seconds = open_tagger(page, server, "speed")
    path = server.folder / "answers" / "speed.json"
    delays = []
    chips = unit(page, "s04").locator(".fl-chip")
    for round_ in range(10):
        kind = ["fact", "attributed"][round_ % 2]
        before = path.read_bytes() if path.exists() else b""
        started = time.monotonic()
        chips.filter(has_text=kind).click()
        wait_until(
            lambda before=before, kind=kind: (
                path.exists()
                and path.read_bytes() != before
                and kinds(server, "speed").get("s04") == kind
            ),
            5,
            "chip click not saved",
        )
        delays.append(time.monotonic() - started)
    print(
        f"\n{server.app}: seed tagger drawn {seconds:.2f} s after Shift+Enter; click to saved "
        f"file median {statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms"
    )
    assert statistics.median(delays) < 1.0


def test_another_theme_is_followed_too(server, page):
    """Not only light and dark: JupyterLab's high-contrast dark theme, through the same
    theme variables, with no serious axe finding."""
    open_tagger(page, server, "high-contrast")
    name = "JupyterLab Dark High Contrast"
    page.evaluate(
        "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", name
    )
    page.wait_for_function(
        "(name) => document.body.dataset.jpThemeName === name"
        " && !document.querySelector('#jupyterlab-splash')",
        arg=name,
    )
    unit(page, "s02").focus()
    page.keyboard.press("3")
    tagger(page).locator(".fl-check").click()
    unit(page, "s02").locator(".fl-reason").first.wait_for()
    ground = tagger(page).evaluate("root => getComputedStyle(root).backgroundColor")
    assert ground == page.evaluate(
        "() => { const p = document.createElement('div');"
        " p.style.background = 'var(--jp-layout-color0)'; document.body.append(p);"
        " const c = getComputedStyle(p).backgroundColor; p.remove(); return c; }"
    )
    no_serious_violations(page, name)
    keep_screenshot(page, f"tagger-{server.app}-high-contrast")
    set_theme(page, "light")
