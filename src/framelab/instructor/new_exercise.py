"""A new exercise from a teacher's own article: the article, a draft key to review,
and the nbgrader source notebook of a tagging exercise (``framelab new-exercise``)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from framelab.texts.corpus import (
    ARTICLE_FILE,
    META_FILE,
    check_id,
    datasets_dir,
    document_from_text,
    key_path,
)
from framelab.texts.model import Annotation, FramelabError, Label, Span, write_json_atomic

__all__ = ["FILL_IN", "exercise_notebook", "new_exercise"]


FILL_IN = "FILL IN"
_KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _cell_meta(
    grade_id: str,
    *,
    grade: bool = False,
    solution: bool = False,
    locked: bool = False,
    points: float | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "schema_version": 3,
        "grade_id": grade_id,
        "grade": grade,
        "solution": solution,
        "locked": locked,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def exercise_notebook(
    exercise: str,
    document: str,
    *,
    heading: str,
    about: str,
    last_id: str,
    points: tuple[float, float, float] = (5, 5, 2),
    capstone: bool = False,
) -> nbformat.NotebookNode:
    """The nbgrader source notebook of a tagging exercise: instructions, the tagger
    (graded mode), a typed alternative, a completeness check, two grade cells
    (kinds, devices) whose hidden part calls ``grade_cell``, and a written answer
    marked by hand with the rubric in docs/rubrics/.

    ``capstone``: the capstone's route (lesson 08) on this text instead: the tagging,
    then a neutral rewrite of the paragraph the student finds most framed, and the
    machine's guesses beside the student's own, shown once the tags are handed in, with
    a written answer on one place where the machine is wrong; both written parts marked
    by hand (the rubric of exercise 08 fits them), 5 + 5 + 3 + 4 points."""
    if capstone:
        return _capstone_notebook(exercise, document, heading=heading, about=about, last_id=last_id)
    kinds, devices, written = points
    total = f"{kinds + devices + written:g}"
    cells = [
        new_markdown_cell(
            f"# {heading}\n\n"
            f"**Graded.** {total} points: sentence kinds {kinds:g}, framing devices {devices:g}, "
            f"a short written answer {written:g}. About 20 minutes.\n\n"
            "You will tag a news text you have not seen before, the way you tagged the "
            f"central article in lesson 01. {about}\n\n"
            "1. Run the next cell (Shift+Enter). The tagger appears.\n"
            "2. Give every sentence a kind: **fact**, **attributed**, **opinion** or "
            "**structure**. Click a chip, or use the keys 1-4; Tab or the arrow keys move "
            "between sentences.\n"
            "3. Mark the framing devices you find: drag over the words (or click the first word "
            "and shift-click the last), then choose the device. Click a marked word to remove "
            "its mark. The legend in the tagger gives every label's question.\n"
            f"4. Your answers are saved as you go, in `answers/{exercise}.json` next to this "
            "notebook. Closing the notebook or restarting loses nothing.\n"
            "5. Press **Check** in the tagger to see what is still untagged. It does not tell "
            "you what is right: that is for your teacher's grader.\n"
            "6. Answer the written question at the end, save the notebook, and hand it in "
            "together with the `answers` folder (with nbgrader, Submit does this for you).",
            metadata=_cell_meta("instructions", locked=True),
        ),
        new_code_cell(
            "from framelab import Tagger\n\n"
            f'tagger = Tagger.exam("{exercise}", "{document}")\n'
            "tagger",
            metadata=_cell_meta("tagger", locked=True),
        ),
        new_markdown_cell(
            "### No tagger on your screen?\n\n"
            "If you use a screen reader, a viewer that cannot show widgets, or simply prefer "
            "typing, give the same answers in the next cell instead. Remove the `#` signs, fill "
            f"in every sentence id (s01 to {last_id}) and run it. Sentence ids are listed in the "
            "tagger and by `print(tagger.document.sentences)`. Each span is written as (sentence "
            "id, the exact words, the device). Your answers go to the same file as the tagger's.",
            metadata=_cell_meta("typing_help", locked=True),
        ),
        new_code_cell(
            "# tagger.type_in(\n"
            '#     {"s01": "...", "s02": "...", "s03": "..."},  # every sentence: its kind\n'
            '#     [("s04", "the exact words", "device")],  # every mark: id, words, device\n'
            "# )"
        ),
        new_markdown_cell(
            "### Before you hand in\n\nRun the next cell. It checks that your answers file is "
            "there, readable and complete. It does not say what is right.",
            metadata=_cell_meta("before_hand_in", locked=True),
        ),
        new_code_cell(
            f'from framelab import check_answers\n\ncheck_answers("{exercise}", "{document}")',
            metadata=_cell_meta("check", locked=True),
        ),
    ]
    for part, label, value in (
        ("kinds", "Sentence kinds", kinds),
        ("devices", "Framing devices", devices),
    ):
        cells.append(
            new_code_cell(
                # a comment, not a docstring: the import must open the cell (ruff E402), and
                # the cell imports what it calls, so that it runs on its own after a restart
                f"# {label} ({value:g} points): scored by the grader from your saved answers.\n"
                "import framelab\n\n"
                f'framelab.check_answers("{exercise}", "{document}")\n'
                "### BEGIN HIDDEN TESTS\n"
                f'framelab.grade_cell("{exercise}", "{document}", '
                f'part="{part}", points={value:g})\n'
                "### END HIDDEN TESTS",
                metadata=_cell_meta(f"score_{part}", grade=True, points=value),
            )
        )
    cells += [
        new_markdown_cell(
            f"### Written answer ({written:g} points)\n\n"
            "Choose the one sentence of this text that you found hardest to classify. In three "
            "to five sentences of your own: give its id, the kind you chose, the other kind you "
            "considered, and the question from the legend that decided it for you.",
            metadata=_cell_meta("written_prompt", locked=True),
        ),
        new_markdown_cell(
            "### BEGIN SOLUTION\n"
            "A full-mark answer names one sentence by its id, gives the kind chosen and the one "
            "considered, and shows a legend question deciding between them, in the student's own "
            "words. The rubric, with examples, is in docs/rubrics/01-fact-or-frame.md.\n"
            "### END SOLUTION",
            metadata=_cell_meta("written_answer", grade=True, solution=True, points=written),
        ),
    ]
    notebook = new_notebook(
        cells=cells, metadata={"kernelspec": _KERNELSPEC, "language_info": {"name": "python"}}
    )
    nbformat.validate(notebook)
    return notebook


def _capstone_notebook(
    exercise: str, document: str, *, heading: str, about: str, last_id: str
) -> nbformat.NotebookNode:
    notebook = exercise_notebook(
        exercise, document, heading=heading, about=about, last_id=last_id, points=(5, 5, 4)
    )
    cells = notebook.cells
    cells[0].source = (
        f"# {heading}\n\n"
        "**Graded.** 17 points: sentence kinds 5, framing devices 5, a neutral rewrite 3, a "
        "written answer on the machine 4. About 45 minutes.\n\n"
        f"The capstone's route, as in exercise 08, on a text your class chose. {about}\n\n"
        "1. Run the next cell (Shift+Enter). The tagger appears.\n"
        "2. **Part 1.** Give every unit a kind (**fact**, **attributed**, **opinion** or "
        "**structure**), and mark every framing device in the writer's own voice, with its "
        "device. Words inside quotation marks are the speaker's: do not mark them.\n"
        "3. **Part 2.** Rewrite the paragraph you find most framed in neutral words.\n"
        "4. **Part 3.** When your tags are finished, run the Part 3 cell and press its "
        "button: it hands in your tags, then shows the machine's guesses beside yours. "
        "Explain one place where the machine is wrong.\n"
        f"5. Your answers are saved as you go, in `answers/{exercise}.json` next to this "
        "notebook. Save the notebook and hand it in with the `answers` folder (with nbgrader, "
        "Submit does this for you)."
    )
    written_prompt, written_answer = cells[-2], cells[-1]
    written_prompt.source = (
        "### Written answer (4 points)\n\n"
        "Choose one place where the machine is wrong: the kind it gives a unit, or a phrase it "
        "marks or misses. In three to five sentences of your own: give the unit's id; say what "
        "the machine said (or missed) and what you say; name the question or the device's test "
        "that decides it; and say why a program that matches words could get this wrong.\n\n"
        "**To write your answer:** double-click the cell below, replace its text with yours, "
        "then press Shift+Enter, and save the notebook."
    )
    written_answer.source = (
        "### BEGIN SOLUTION\n"
        "A full-mark answer names one unit where the machine is wrong, says what the machine "
        "said or missed and what the student says, names the question or test that decides "
        "it, and says why matching words misleads there (docs/rubrics/08-capstone.md).\n"
        "### END SOLUTION"
    )
    rewrite = [
        new_markdown_cell(
            "## Part 2: a neutral rewrite (3 points)\n\n"
            "Choose the paragraph you find most framed. In the cell below, give its unit ids, "
            "then rewrite it in neutral words: keep every fact (names, numbers, dates, places), "
            "take out or replace the words that judge, guess at minds or add emphasis, and add "
            "nothing the text does not say. Double-click the cell, replace its text with yours, "
            "then press Shift+Enter.",
            metadata=_cell_meta("rewrite_prompt", locked=True),
        ),
        new_markdown_cell(
            "### BEGIN SOLUTION\n"
            "A full-mark rewrite keeps every fact of the paragraph, leaves out every framing "
            "phrase of the key in it, adds nothing, and reads as plain news: one point each "
            "(docs/rubrics/08-capstone.md, 'An exercise of your own').\n"
            "### END SOLUTION",
            metadata=_cell_meta("written_rewrite", grade=True, solution=True, points=3),
        ),
        new_markdown_cell(
            "## Part 3: where the machine is wrong\n\n"
            "The next cell shows your kinds and phrases beside a program's guesses, each with "
            "its reason. When every unit has your kind and your phrases are marked, it shows a "
            "button: **pressing it hands in your tags**, and from then on the tags graded are "
            "the ones you had then. So finish Part 1 first. (Without the button: run "
            "`tagger.hand_in()`, then this cell again.)",
            metadata=_cell_meta("machine_intro", locked=True),
        ),
        new_code_cell(
            "from framelab import compare_machine\n\ncompare_machine(tagger)",
            metadata=_cell_meta("machine", locked=True),
        ),
    ]
    at = next(
        n
        for n, c in enumerate(cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == "before_hand_in"
    )
    cells[at:at] = rewrite
    nbformat.validate(notebook)
    return notebook


def new_exercise(
    article: Path, exercise: str, course: Path, *, capstone: bool = False
) -> list[Path]:
    """Start an exercise on a teacher's own article: the article folder (text, metadata
    and data card to fill in), a draft key from the machine's suggestions, and
    ``solutions/<exercise>/``. The key stays a draft, and the exercise cannot be
    released, until a person has reviewed it. Returns the files written."""
    from framelab.machine.suggest import read_article, suggest

    check_id(exercise, "an exercise id")
    if not Path(course).is_dir():
        raise FramelabError(f"the course folder {course} does not exist or is not a folder")
    root = datasets_dir()
    folder = root / "articles" / exercise
    solution = Path(course) / "solutions" / exercise
    for existing in (folder, solution, key_path(exercise, root)):
        if existing.exists():
            raise FramelabError(f"{existing} already exists; choose another id or remove it")
    text = read_article(article)
    document = document_from_text(text, exercise)
    found = suggest(document)
    try:
        return _write_exercise(exercise, text, document, found, folder, solution, root, capstone)
    except BaseException as error:  # leave nothing half made: a retry would say "exists"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(solution, ignore_errors=True)
        key_path(exercise, root).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise FramelabError(
                f"could not write the exercise ({error.strerror}: {error.filename}); "
                "nothing was kept"
            ) from None
        raise


def _write_exercise(
    exercise: str,
    text: str,
    document: Any,
    found: Any,
    folder: Path,
    solution: Path,
    root: Path,
    capstone: bool = False,
) -> list[Path]:
    title = next((u.text for u in document.sentences if u.structure), document.sentences[0].text)
    folder.mkdir(parents=True)
    written = [folder / ARTICLE_FILE, folder / META_FILE, folder / "README.md"]
    written[0].write_text(text, encoding="utf-8")
    write_json_atomic(
        written[1],
        {
            "id": exercise,
            "title": title[:200],
            "date": date.today().isoformat(),
            "outlet": f"{FILL_IN}: the outlet or author",
            "language": "en",
            "licence": f"{FILL_IN}: the text's licence or copyright status",
            "constructed": False,
            "provenance": f"{FILL_IN}: where the text comes from and how it was obtained",
            "graded": True,
        },
    )
    written[2].write_text(
        f"# {exercise}\n\n{FILL_IN}: the data card. Say where the text comes from, its date and "
        "licence, why it was chosen, and what it must not be used for (see "
        "datasets/articles/aleppo-2024-11-30/README.md for an example).\n",
        encoding="utf-8",
    )
    key = Annotation(
        document=exercise,
        labels=tuple(
            Label(
                s.id,
                s.kind,
                why=f"Machine suggestion, to review: {'; '.join(s.reasons)}.",
                start=s.start,
                end=s.end,
                text=s.text,
                # a headline that claims has a claim kind, not scored (the guide's K6)
                scored=not (unit.structure and s.kind != "structure"),
            )
            for s, unit in zip(found.sentences, document.sentences, strict=True)
        ),
        spans=tuple(
            Span(
                s.start,
                s.end,
                s.device,
                text=s.text,
                why=f"Machine suggestion, to review: {s.reason}.",
                neutral=s.neutral if s.device == "loaded" else None,
            )
            for s in found.spans
        ),
        annotator="framelab suggest (draft)",
        status="draft",
        notes="Made by framelab new-exercise from machine suggestions. Review every sentence and "
        "span, rewrite each reason for students, then set status to reviewed.",
    )
    key.save(key_path(exercise, root))
    written.append(key_path(exercise, root))
    solution.mkdir(parents=True)
    notebook = exercise_notebook(
        exercise,
        exercise,
        heading=f"Exercise: {title[:80]}",
        about="Your teacher chose this text; its key was made for this exercise.",
        last_id=document.sentences[-1].id,
        capstone=capstone,
    )
    nbformat.write(notebook, solution / f"{exercise}.ipynb")
    written.append(solution / f"{exercise}.ipynb")
    return written
