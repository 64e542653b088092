"""Exercise 08, the capstone: the machine's guesses beside a student's tags, handed in
before they are shown so that copying the machine earns nothing; the rubric's account of
where the machine is wrong; the rewrites."""

from __future__ import annotations

import json

import pytest

from framelab.grading.answers import AnswersFile, answers_path, parse
from framelab.grading.cells import grade
from framelab.machine.suggest import suggest
from framelab.teach.lesson import compare_machine
from framelab.teach.tagger import Tagger
from framelab.texts.corpus import load_document, load_key
from framelab.texts.model import Annotation

from .conftest import ROOT

EX, DOC = "08-capstone", "capstone-cruise-cap-norway"


def points(folder, part):
    content = answers_path(EX, folder).read_bytes()
    return grade(content, exercise=EX, document=DOC, part=part, max_points=5).points


def tag_everything(tagger, kind="structure"):
    """Every unit the same kind, and one phrase marked (s07's "right"): careless tags."""
    tagger.type_in(
        {unit.id: kind for unit in tagger.document.sentences}, [("s07", "right", "loaded")]
    )


def hand_in_and_compare(tagger):
    """Run the Part 3 cell and press its button; the machine's table."""
    box = compare_machine(tagger)
    button = box.children[1]
    assert "Hand in my tags" in button.description and not tagger.handed_in
    button.click()
    assert button.disabled and tagger.handed_in
    return box.table


def copy_the_machine(tagger):
    guess = suggest(tagger.document)
    tagger.type_in(
        {s.id: s.kind for s in guess.sentences},
        [(tagger.document.sentence_at(s.start).id, s.text, s.device) for s in guess.spans],
    )


def test_the_machine_waits_until_every_unit_has_the_students_kind(tmp_path):
    tagger = Tagger.exam(EX, DOC, tmp_path)
    tagger.type_in({"s01": "structure"})
    shown = repr(compare_machine(tagger))
    assert shown.startswith("Finish your own tags first: 20 unit(s) still without a kind")
    tagger.type_in({unit.id: "fact" for unit in tagger.document.sentences})
    assert "no phrase marked yet" in repr(compare_machine(tagger))
    # all tagged: a button, and nothing handed in until it is pressed (Run All is safe)
    tagger.type_in({}, [("s07", "right", "loaded")])
    for _ in range(2):
        assert "Hand in my tags" in compare_machine(tagger).children[1].description
    assert not tagger.handed_in
    assert "handed_in" not in json.loads(answers_path(EX, tmp_path).read_text())


def test_copying_the_machine_after_seeing_it_earns_nothing(tmp_path):
    """The attack: tag carelessly, open the machine's guesses, copy them. Without the
    hand-in (the tags as the file holds them at the end) it earns most of the tagging
    points; with it, the careless tags are graded."""
    tagger = Tagger.exam(EX, DOC, tmp_path)
    tag_everything(tagger)
    careless = (points(tmp_path, "kinds"), points(tmp_path, "devices"))
    hand_in_and_compare(tagger)
    copy_the_machine(tagger)
    data = json.loads(answers_path(EX, tmp_path).read_text())
    assert {s["kind"] for s in data["handed_in"]["sentences"]} == {"structure"}
    assert (points(tmp_path, "kinds"), points(tmp_path, "devices")) == careless
    # the attack, on the file without the hand-in: what the old grader gave for it
    del data["handed_in"]
    copied = grade(json.dumps(data), exercise=EX, document=DOC, part="kinds", max_points=5)
    assert copied.points >= 4.0 > careless[0]
    lines = grade(
        answers_path(EX, tmp_path).read_bytes(),
        exercise=EX,
        document=DOC,
        part="kinds",
        max_points=5,
    ).lines
    assert any(line.startswith("Graded: your tags as you handed them in") for line in lines)


def test_the_first_hand_in_stands_and_survives_other_writers(tmp_path):
    tagger = Tagger.exam(EX, DOC, tmp_path)
    tag_everything(tagger, "fact")
    other = AnswersFile(answers_path(EX, tmp_path), tagger.document)
    other.load()  # a question widget opened before the hand-in
    hand_in_and_compare(tagger)
    first = json.loads(answers_path(EX, tmp_path).read_text())["handed_in"]
    tag_everything(tagger, "opinion")
    again = compare_machine(tagger)  # run again, after changing the tags: the table at once
    assert "The machine and you differ" in again.html_text
    other.save(items={"selection": "c"})  # the question widget saves its answer
    data = json.loads(answers_path(EX, tmp_path).read_text())
    assert data["handed_in"] == first and data["items"] == {"selection": "c"}
    assert {s["kind"] for s in data["sentences"]} == {"opinion"}
    # a new tagger (a restart) says so
    again = Tagger.exam(EX, DOC, tmp_path)
    assert again.handed_in and "Your tags were handed in at" in again.notice


def test_without_widgets_the_tags_are_handed_in_by_typing(tmp_path):
    """The typing cell's Part 3: tagger.hand_in(), then compare_machine shows the table,
    as text too, for a screen reader."""
    tagger = Tagger.exam(EX, DOC, tmp_path)
    tag_everything(tagger)
    tagger.hand_in()
    shown = compare_machine(tagger)
    assert "The machine and you differ on" in repr(shown) and tagger.handed_in
    released = (ROOT / "exercises" / EX / f"{EX}.ipynb").read_text()
    assert "# tagger.hand_in()" in released


def test_the_exercise_shows_nothing_of_the_key(tmp_path):
    tagger = Tagger.exam(EX, DOC, tmp_path)
    tag_everything(tagger)
    shown = hand_in_and_compare(tagger)
    key = load_key(DOC)
    secrets = [label.why[:40] for label in key.labels if len(label.why) > 20]
    secrets += [span.why[:40] for span in key.spans]
    assert not [s for s in secrets if s in shown.html_text or s in repr(shown)]
    assert "the key's kind" not in shown.html_text


def test_a_lesson_shows_the_keys_kind_beside_the_machines_and_hands_in_nothing(tmp_path):
    tagger = Tagger.practice("transfer-marathon-japan", "lesson-08", tmp_path)
    shown = compare_machine(tagger)  # nothing tagged yet: a lesson shows it anyway
    assert "the key's kind" in shown.html_text and not tagger.handed_in
    assert shown.html_text.count("<tr>") >= len(tagger.document.sentences)


def test_the_rubric_says_where_the_machine_is_wrong_as_the_machine_is_today():
    """docs/rubrics/08-capstone.md lists the machine's errors on this text: when the
    suggester changes (issue 17), this fails until the rubric is brought up to date."""
    document = load_document(DOC)
    guess = suggest(document)
    kinds = {s.id: s.kind for s in guess.sentences}
    assert (kinds["s05"], kinds["s07"], kinds["s15"], kinds["s02"], kinds["s08"]) == (
        "opinion",
        "fact",
        "attributed",
        "fact",
        "fact",
    )
    unit = {s.text: document.sentence_at(s.start).id for s in guess.spans}
    assert [t for t, u in unit.items() if u == "s08"] == ["hordes"]
    assert [t for t, u in unit.items() if u == "s09"] == ["staggering", "have had enough"]
    assert [t for t, u in unit.items() if u == "s16"] == ["clearly", "exaggerated"]
    assert "s07" not in unit.values()
    chaos = next(s for s in guess.spans if s.text == "chaos")
    assert chaos.neutral == "disorder, fighting"
    rubric = (ROOT / "docs" / "rubrics" / f"{EX}.md").read_text()
    for said in (
        "`opinion` (\"'must': a recommendation\")",
        "the machine says `fact`",
        'finds "hordes" but misses "floating tower blocks"',
        'finds "staggering" and "have had enough"',
        "finds 10 of the 14 phrases",
    ):
        assert said in rubric
    # what the rubric and the notes say a copier of the machine earns
    answers = json.dumps(guess.annotation().to_dict())
    kinds_points = grade(answers, exercise=EX, document=DOC, part="kinds", max_points=5).points
    assert kinds_points == pytest.approx(4.5)  # 18 of the 20 scored kinds
    devices_points = grade(answers, exercise=EX, document=DOC, part="devices", max_points=5).points
    assert devices_points == pytest.approx(4.08, abs=0.01)  # "about 4.1" in rubric and notes
    assert "devices 4.1 of 5" in rubric


def test_the_rewrites_model_earns_full_marks_and_the_text_itself_none():
    from framelab.grading.items import score_in_text
    from framelab.texts.items import load_item_key, load_sheet

    sheet, item_key = load_sheet(EX), load_item_key(EX)
    document, key = load_document(DOC), load_key(DOC)
    for item in sheet.items:
        if item.type != "rewrite":
            continue
        answer = item_key.answer(item.id)
        assert score_in_text(item, answer, answer.model, document, key).fraction == 1.0
        original = document.sentence(item.sentence).text
        assert score_in_text(item, answer, original, document, key).fraction == 0.0
    # what the review found the word lists missed, and a list of the facts' words
    s08, s09 = sheet.item("rewrite-s08"), sheet.item("rewrite-s09")

    def credit(item, value):
        return score_in_text(item, item_key.answer(item.id), value, document, key).fraction

    assert credit(s09, "On 15 July last year, 14,600 passengers arrived.") == 1.0
    assert credit(s09, "On 15 July last year, 14.600 passengers came ashore.") == 1.0
    assert (
        credit(s09, "On 15 July last year, 14,600 passengers came ashore, and locals are unhappy.")
        < 1
    )
    assert (
        credit(
            s08, "Each summer, ships bring droves of day-trippers onto Strandgata by the harbour."
        )
        < 1
    )
    assert credit(s08, "summer ships visitors Strandgata harbour") == 0


def test_handed_in_tags_that_do_not_fit_are_dropped_with_a_line():
    document = load_document(DOC)
    data = Annotation(DOC).to_dict()
    data["handed_in"] = {"at": "x", "sentences": [{"id": "s99", "kind": "fact"}], "spans": []}
    answers = parse(json.dumps(data), document)
    assert answers.handed_in is not None and answers.handed_in.kinds == {}
    assert any("s99" in line for line in answers.dropped)
    data["handed_in"] = "everything"
    assert any("'handed_in'" in line for line in parse(json.dumps(data), document).dropped)


def test_a_class_can_do_the_capstone_on_an_article_of_its_own(tmp_path, monkeypatch, capsys):
    """new-exercise --capstone: the capstone's route on a teacher's article, through
    review, release and autograde; its two written parts are marked by hand."""

    import nbformat

    from framelab.cli import main
    from framelab.instructor.course import nbgrader

    from .test_suggest import teachers_course

    datasets, course, article = teachers_course(tmp_path, monkeypatch)
    ex = "09-our-article"
    args = ["new-exercise", str(article), "--id", ex, "--course", str(course), "--capstone"]
    assert main(args) == 0
    key_path = datasets / "keys" / f"{ex}.json"
    key = json.loads(key_path.read_text())
    key["status"] = "reviewed"
    key_path.write_text(json.dumps(key))
    assert main(["release", ex, "--course", str(course)]) == 0
    released = nbformat.read(course / "exercises" / ex / f"{ex}.ipynb", 4)
    sources = "\n".join(c.source for c in released.cells)
    assert "compare_machine(tagger)" in sources and "pressing it hands in your tags" in sources
    hand = [
        c.metadata["nbgrader"]["grade_id"]
        for c in nbformat.read(course / "solutions" / ex / f"{ex}.ipynb", 4).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    ]
    assert hand == ["written_rewrite", "written_answer"]
    folder = course / "submitted" / "perfect" / ex
    (folder / "answers").mkdir(parents=True)
    nbformat.write(released, folder / f"{ex}.ipynb")
    (folder / "answers" / f"{ex}.json").write_text(
        json.dumps(Annotation.load(key_path, kind="key").to_dict())
    )
    graded = nbgrader("autograde", ex, "--create", cwd=course)
    assert graded.returncode == 0, graded.stderr[-2000:]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission = gb.find_submission(ex, "perfect")
        assert submission.max_score == 17
        assert [
            gb.find_grade(c, ex, ex, "perfect").auto_score for c in ("score_kinds", "score_devices")
        ] == [5.0, 5.0]


def test_the_class_report_lists_students_whose_tags_repeat_the_machines_mistakes(tmp_path):
    from framelab.instructor.classreport import ClassData, Student, figures
    from framelab.instructor.model_answers import full_marks

    document, key = load_document(DOC), load_key(DOC)
    machine = suggest(document).annotation()
    honest = full_marks(DOC)
    # a student who fixed one of the machine's kinds but kept the rest of its guesses
    fixed = dict(machine.kinds, s05="fact")
    nearly = Annotation(
        DOC,
        labels=tuple(type(machine.labels[0])(i, k) for i, k in fixed.items()),
        spans=machine.spans,
    )
    students = [
        Student("copier", "graded", annotation=machine),
        Student("nearly", "graded", annotation=nearly),
        Student("reader", "graded", annotation=honest),
    ]
    data = ClassData(tmp_path, EX, document, key, students=students)
    listed = figures(data).machine_like
    # on this text the machine makes two mistakes of its own (s05 and s07's kinds; every
    # phrase it marks, the key marks too): the copier repeats both, the others at most one
    assert listed == [("copier", 2, 2)]


def test_the_class_report_lists_capstone_answers_with_no_hand_in_recorded():
    from framelab.instructor.classreport import ClassData, Student, figures
    from framelab.instructor.model_answers import full_marks

    document, key = load_document(DOC), load_key(DOC)
    honest = full_marks(DOC)
    students = [
        Student("looked", "graded", annotation=honest, handed_in=True),
        Student("never", "graded", annotation=honest),
    ]
    result = figures(ClassData(ROOT, EX, document, key, students=students))
    assert result.no_hand_in == ["never"]
    # an exercise that never shows the machine lists nothing
    other = ClassData(ROOT, "02-loaded-words", document, key, students=students)
    assert figures(other).no_hand_in == []
