"""The students' copy of the datasets holds nothing of a graded key: not the key,
not its reasons, and not a data card that spells out its answers."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from framelab.instructor.students_copy import graded_ids, graded_key_leaks, student_datasets
from framelab.texts.model import FramelabError
from framelab.texts.validate import validate_paths

from .conftest import DATASETS, ROOT

GRADED = "transfer-heatwave-spain"  # exercise 01's text
# and those of exercises 02 to 07, in the order of their ids (graded_ids sorts by folder)
GRADED_TEXTS = sorted(
    [
        GRADED,
        "transfer-housing-estate-netherlands",
        "transfer-orchestra-conductor-argentina",
        "transfer-train-delays-sweden",
        "aleppo-evening-bulletin",  # exercise 05
        "transfer-cycle-lanes-portugal",  # exercise 06
        "transfer-wind-farm-italy",  # exercise 07
        "check-swimming-pool-ireland",  # the starting and finishing checks (lessons 00, 08):
        "check-library-move-canada",  # not graded, but their keys are kept from students
        "capstone-cruise-cap-norway",  # exercise 08, the capstone
    ]
)


def test_the_students_copy_leaves_out_graded_keys_and_keeps_the_rest(tmp_path):
    copy = tmp_path / "datasets"
    assert student_datasets(DATASETS, copy) == graded_ids(DATASETS) == GRADED_TEXTS
    assert not (copy / "keys" / f"{GRADED}.json").exists()
    assert (copy / "keys" / "aleppo-2024-11-30.json").is_file()  # the lessons' keys stay
    assert (copy / "articles" / GRADED / "article.txt").is_file()
    assert graded_key_leaks(copy, DATASETS) == []


def test_no_file_of_the_students_copy_repeats_a_reason_or_quotes_a_span_of_a_graded_key(
    tmp_path,
):
    copy = tmp_path / "datasets"
    student_datasets(DATASETS, copy)
    key = json.loads((DATASETS / "keys" / f"{GRADED}.json").read_text())
    card = (copy / "articles" / GRADED / "README.md").read_text()
    meta = (copy / "articles" / GRADED / "meta.json").read_text()
    for span in key["spans"]:
        assert f'"{span["text"]}"' not in card + meta
    for sentence in key["sentences"]:
        assert sentence["id"] not in card + meta
    for item in key["sentences"] + key["spans"]:
        for path in copy.rglob("*.md"):
            assert item["why"] not in path.read_text(), path


def test_a_card_that_spells_out_the_answers_is_refused(tmp_path):
    source = tmp_path / "full"
    shutil.copytree(DATASETS, source)
    card = source / "articles" / GRADED / "README.md"
    card.write_text(card.read_text() + '\ns09 is opinion; "insisted" is the judging verb.\n')
    with pytest.raises(FramelabError, match="would give away a graded key") as raised:
        student_datasets(source, tmp_path / "copy")
    assert "names sentence s09" in str(raised.value)
    assert "quotes 'insisted'" in str(raised.value)
    assert not (tmp_path / "copy").exists()
    problems = [str(p) for p in validate_paths([source / "articles" / GRADED])]
    assert any("names sentence s09" in p and "docs/answers" in p for p in problems)


@pytest.mark.parametrize(
    ("where", "added"),
    [
        (f"articles/{GRADED}/meta.json", None),  # its frame field
        ("README.md", f"| `{GRADED}` | a heatwave, framed with speculation about residents |"),
    ],
)
def test_a_card_that_says_which_devices_a_graded_text_holds_is_refused(tmp_path, where, added):
    """The cards of exercises 02 to 04 once described their frames ("judging verbs",
    "unnamed or uncheckable sources"), and the students' copy kept them: a student read
    what to look for. A graded text's card, and its row in the inventory, give its topic."""
    source = tmp_path / "full"
    shutil.copytree(DATASETS, source)
    path = source / where
    if added is None:
        meta = json.loads(path.read_text())
        meta["frame"] = "Local news on a heatwave, with vague sources and intensifiers."
        path.write_text(json.dumps(meta))
    else:
        path.write_text(path.read_text() + "\n" + added + "\n")
    with pytest.raises(FramelabError, match="would give away a graded key") as raised:
        student_datasets(source, tmp_path / "copy")
    assert f"says which devices graded text {GRADED} holds" in str(raised.value)


@pytest.mark.parametrize("where", ["meta.json", "facts/aleppo.json"])
def test_a_card_or_fact_list_that_says_which_facts_a_graded_text_keeps_is_refused(tmp_path, where):
    """Exercise 05 asks which facts of the fact list a version leaves out: the version's
    card listing the facts it uses (as the lessons' versions' cards do), or the fact list
    giving its states / distorts / leaves out, would hand students the answers."""
    source = tmp_path / "full"
    shutil.copytree(DATASETS, source)
    if where == "meta.json":
        path = source / "articles" / GRADED / "meta.json"
        meta = json.loads(path.read_text())
        path.write_text(json.dumps({**meta, "facts": ["F01", "F07"]}))
        expected = f"names fact F01 of a fact list: which facts graded text {GRADED}"
    else:
        path = source / where
        facts = json.loads(path.read_text())
        facts["versions"][GRADED] = {"F01": {"use": "omits", "sentences": []}}
        path.write_text(json.dumps(facts))
        expected = f"facts/aleppo.json: gives how graded text {GRADED} uses each fact"
    with pytest.raises(FramelabError, match="would give away a graded key") as raised:
        student_datasets(source, tmp_path / "copy")
    assert expected in str(raised.value)
    assert not (tmp_path / "copy").exists()


def test_a_reason_of_a_graded_key_copied_into_another_file_is_found(tmp_path):
    source = tmp_path / "full"
    shutil.copytree(DATASETS, source)
    why = json.loads((source / "keys" / f"{GRADED}.json").read_text())["spans"][0]["why"]
    (source / "README.md").write_text((source / "README.md").read_text() + why)
    with pytest.raises(FramelabError, match="repeats a reason of the key"):
        student_datasets(source, tmp_path / "copy")


def test_the_inventory_gives_no_figure_a_graded_key_could_be_worked_out_from():
    """Totals over every key, less the keys students have, would give the graded answers."""
    import collections
    import re

    inventory = (DATASETS / "README.md").read_text()
    row = next(line for line in inventory.splitlines() if line.startswith(f"| `{GRADED}`"))
    assert row.rstrip().endswith("| not given |")
    kinds, devices = collections.Counter(), collections.Counter()
    for path in (DATASETS / "keys").glob("*.json"):
        if path.stem in graded_ids(DATASETS):
            continue
        key = json.loads(path.read_text())
        kinds.update(s["kind"] for s in key["sentences"])
        devices.update(s["device"] for s in key["spans"])
    totals = " ".join(inventory.split("Across all keys but those of graded texts")[1].split()[:40])
    for name, count in {**kinds, **devices}.items():
        assert re.search(rf"\b{count} {name}\b", totals), (name, count, totals)


def test_every_graded_text_has_its_instructor_notes_outside_the_datasets():
    for graded in graded_ids(DATASETS):
        notes = DATASETS.parent / "docs" / "answers" / f"{graded}.md"
        assert notes.is_file(), notes
        assert "instructors only" in notes.read_text().splitlines()[0]


def test_no_document_outside_the_instructors_folder_cites_a_graded_texts_units():
    """A graded text's key never reaches students, so no lesson, note, guide or README
    names one of its units (its answers would follow); instructor-only material lives in
    docs/answers/, which students are never given."""
    graded = graded_ids(DATASETS)
    assert graded
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, graded)) + r")\b[^\n]{0,20}\bs\d\d\b")
    answers = ROOT / "docs" / "answers"
    found = []
    for path in [*ROOT.glob("*.md"), *(ROOT / "docs").rglob("*.md"), *(ROOT / "lessons").glob("*")]:
        if answers in path.parents or not path.is_file():
            continue
        found += [
            f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(path.read_text())
        ]
    assert found == []


def test_a_copy_left_by_jupyterlab_or_a_draft_of_a_graded_key_stays_out(tmp_path):
    """Opening a key in JupyterLab leaves a hidden copy (.ipynb_checkpoints/); a draft
    made before review has other reasons than the key, so matching reasons misses it.
    Neither may reach students: hidden folders are not copied, and any file holding tags
    for a graded text is a leak whatever its name."""
    source = tmp_path / "full"
    shutil.copytree(DATASETS, source)
    key = json.loads((source / "keys" / f"{GRADED}.json").read_text())
    draft = dict(key, status="draft")
    draft["sentences"] = [dict(s, why="Machine suggestion, to review.") for s in key["sentences"]]
    draft["spans"] = [dict(s, why="Machine suggestion, to review.") for s in key["spans"]]
    hidden = source / "keys" / ".ipynb_checkpoints"
    hidden.mkdir()
    (hidden / f"{GRADED}-checkpoint.json").write_text(json.dumps(draft))
    copy = tmp_path / "students"
    student_datasets(source, copy)
    assert not list(copy.rglob(".ipynb_checkpoints"))
    assert not [
        p for p in copy.rglob("*.json") if GRADED in p.read_text() and '"kind"' in p.read_text()
    ]
    # the same draft under an ordinary name, in a folder students get, is refused
    (source / "lexicons" / "notes.json").write_text(json.dumps(draft))
    with pytest.raises(FramelabError, match=f"holds the tags of graded text {GRADED}"):
        student_datasets(source, tmp_path / "again")
