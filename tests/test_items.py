"""Short items: their sheets and keys, the answers file that keeps them beside the
tags, their scoring with partial credit, the grader, and the Question widget."""

from __future__ import annotations

import json
import shutil

import pytest

from framelab import Question, Tagger
from framelab.grading import answers
from framelab.grading.cells import grade, grade_call
from framelab.grading.items import score_item
from framelab.instructor.students_copy import graded_key_leaks, student_datasets
from framelab.texts.items import (
    Item,
    ItemAnswer,
    item_key_from_dict,
    load_item_key,
    load_sheet,
    sheet_from_dict,
    sheet_ids,
    value_problem,
)
from framelab.texts.model import FramelabError
from framelab.texts.validate import validate_datasets

from .conftest import ROOT

DATASETS = ROOT / "datasets"
TEXT = "transfer-heatwave-spain"  # a graded text: the test set below is about it
SET = "99-test-items"


def sheet_data() -> dict:
    return {
        "set": SET,
        "document": TEXT,
        "graded": True,
        "items": [
            {
                "id": "pick",
                "type": "choice",
                "prompt": "Which word judges?",
                "options": [{"id": "a", "text": "said"}, {"id": "b", "text": "insisted"}],
            },
            {
                "id": "all",
                "type": "choice",
                "multiple": True,
                "prompt": "Which are named sources?",
                "options": [
                    {"id": "a", "text": "a hospital spokeswoman, Lucía Ferrer"},
                    {"id": "b", "text": "the mayor, Antonio Reyes"},
                    {"id": "c", "text": "residents"},
                ],
            },
            {
                "id": "scale",
                "type": "order",
                "prompt": "From neutral to judging",
                "ends": ["neutral", "judging"],
                "options": [
                    {"id": "a", "text": "lied"},
                    {"id": "b", "text": "said"},
                    {"id": "c", "text": "claimed"},
                ],
            },
            {"id": "word", "type": "line", "prompt": "A neutral verb for 'insisted' in s10?"},
            {"id": "rewrite", "type": "rewrite", "sentence": "s10", "prompt": "Rewrite s10."},
        ],
    }


def key_data() -> dict:
    return {
        "set": SET,
        "items": {
            "pick": {"answer": "b", "why": "Insisted suggests that someone doubted the mayor."},
            "all": {"answer": ["a", "b"], "why": "Both are named, with their posts."},
            "scale": {"answer": ["b", "c", "a"], "why": "Claimed doubts; lied says it is false."},
            "word": {"accept": ["said", "stated"], "why": "Said reports and does not judge."},
            "rewrite": {
                "keep": [["Antonio Reyes", "Reyes"], ["Tuesday"], ["10 pm", "10pm"]],
                "avoid": [["insisted", "insisting"]],
                "model": "The mayor, Antonio Reyes, said that a third room would open in the "
                "secondary school on Tuesday and that the municipal swimming pool would stay "
                "open until 10 pm.",
                "why": "Only the reporting verb judges; the facts stay.",
            },
        },
    }


@pytest.fixture
def datasets(tmp_path, monkeypatch):
    """A copy of the datasets with a graded item set about the graded text."""
    root = tmp_path / "datasets"
    shutil.copytree(DATASETS, root)
    (root / "items" / f"{SET}.json").write_text(json.dumps(sheet_data()))
    (root / "keys" / "items" / f"{SET}.json").write_text(json.dumps(key_data()))
    monkeypatch.setenv("FRAMELAB_DATASETS", str(root))
    return root


# --- sheets and keys ----------------------------------------------------------------


def test_every_item_set_of_the_kit_has_a_key_that_fits_its_sheet():
    assert sheet_ids(DATASETS)
    assert validate_datasets(DATASETS) == []
    for set_id in sheet_ids(DATASETS):
        sheet, key = load_sheet(set_id, DATASETS), load_item_key(set_id, DATASETS)
        for item in sheet.items:
            answer = key.answer(item.id)
            if item.type == "order":  # shown in the key's order, it would answer itself
                assert list(item.option_ids) != answer.answer, (set_id, item.id)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda s, k: s["items"][0]["options"].append({"id": "a", "text": "x"}), "same id"),
        (lambda s, k: k["items"]["scale"].update(answer=["b", "c"]), "does not place every"),
        (lambda s, k: k["items"]["pick"].update(answer="z"), "'z' is not one of its options"),
        (lambda s, k: k["items"]["rewrite"].pop("keep"), "facts to keep"),
        (lambda s, k: k["items"].update(extra={"why": "no such item"}), "sheet does not have"),
        (lambda s, k: k["items"].pop("word"), "no answer for word"),
        (lambda s, k: s["items"][3].update(type="essay"), r"items\[3\]\.type: 'essay' must be"),
        (lambda s, k: s["items"][0].update(example="He said so.", quote="told"), "does not hold"),
        (lambda s, k: s["items"][0].update(example="He said so."), "needs the quote"),
        (
            lambda s, k: s["items"][4].update(example="He said so.", quote="said"),
            "names no sentence",
        ),
    ],
)
def test_a_wrong_sheet_or_key_is_refused_with_the_item_named(change, said):
    sheet, key = sheet_data(), key_data()
    change(sheet, key)
    with pytest.raises(FramelabError, match=said):
        item_key_from_dict(key, sheet_from_dict(sheet))


def test_a_sheet_naming_a_sentence_its_text_lacks_is_refused(datasets):
    data = sheet_data()
    data["items"][4]["sentence"] = "s99"
    (datasets / "items" / f"{SET}.json").write_text(json.dumps(data))
    with pytest.raises(FramelabError, match="has no sentence s99"):
        load_sheet(SET)
    assert [p.item for p in validate_datasets(datasets)] == [SET]


def test_values_are_checked_against_their_item():
    sheet = sheet_from_dict(sheet_data())
    assert value_problem(sheet.item("pick"), "b") is None
    assert value_problem(sheet.item("pick"), ["b"]) == "is not one option"
    assert value_problem(sheet.item("all"), ["a", "a"]) == "names an option twice"
    assert "does not place every option" in value_problem(sheet.item("scale"), ["a", "b"])
    assert value_problem(sheet.item("word"), "said\nand more") == "is more than one line"
    assert "longer than" in value_problem(sheet.item("rewrite"), "x" * 3000)


# --- scoring ------------------------------------------------------------------------


def scored(item_id: str, value, **kwargs):
    sheet = sheet_from_dict(sheet_data())
    key = item_key_from_dict(key_data(), sheet)
    return score_item(sheet.item(item_id), key.answer(item_id), value, **kwargs)


def test_a_choice_scores_its_answer_and_those_it_accepts():
    assert scored("pick", "b").fraction == 1.0
    assert scored("pick", "a").fraction == 0.0
    accepting = Item("q", "choice", "?", (("a", "A"), ("b", "B"), ("c", "C")))
    answer = ItemAnswer("why", "a", accept=("b",))
    assert score_item(accepting, answer, "b").fraction == 1.0
    shown = score_item(accepting, answer, "c", reveal=True).lines
    assert shown == ("Not the key's answer.", "The key's answer: A (it also accepts: B).", "why")
    # practice shows what the chosen option does, and a listed option keeps one full stop
    noted = Item("q", "choice", "?", (("a", "Yes, it judges."), ("b", "No.")))
    answer = ItemAnswer("why", "a", notes={"b": "It does judge: it adds a verdict."})
    shown = score_item(noted, answer, "b", reveal=True).lines
    assert shown == (
        "Not the key's answer.",
        "It does judge: it adds a verdict.",
        "The key's answer: Yes, it judges.",
        "why",
    )


def test_choose_all_that_apply_takes_off_for_wrong_choices_but_not_below_zero():
    assert scored("all", ["a", "b"]).fraction == 1.0
    assert scored("all", ["a"]).fraction == 0.5
    assert scored("all", ["a", "c"]).fraction == 0.0  # one right, one wrong
    assert scored("all", ["c"]).fraction == 0.0
    assert scored("all", ["a", "b", "c"]).lines[0] == (
        "You chose 2 of the 2 options the key chooses, and 1 that it does not."
    )


def test_an_order_earns_the_share_of_pairs_in_the_keys_order():
    assert scored("scale", ["b", "c", "a"]).fraction == 1.0
    assert scored("scale", ["c", "b", "a"]).fraction == 0.67  # said/claimed swapped
    assert scored("scale", ["a", "c", "b"]).fraction == 0.0  # the key's order reversed


def test_a_line_is_compared_without_case_spaces_or_end_punctuation():
    assert scored("word", "  Said. ").fraction == 1.0
    assert scored("word", "“stated”").fraction == 1.0
    assert scored("word", "admitted").fraction == 0.0


def test_a_rewrite_is_credited_for_loaded_words_gone_and_facts_kept():
    original = "The mayor, Antonio Reyes, insisted that a third room would open on Tuesday."
    key = load_item_key("lesson-02-loaded-words", DATASETS)  # any key: only the rewrite's matters
    assert key
    model = key_data()["items"]["rewrite"]["model"]
    full = scored("rewrite", model, original=original, loaded=["insisted"])
    assert full.fraction == 1.0
    assert scored("rewrite", original, original=original, loaded=["insisted"]).fraction == 0.0
    # facts kept, the loaded verb still there: nothing (a comma moved is not a rewrite)
    kept = scored(
        "rewrite",
        "Antonio Reyes insisting: Tuesday, until 10pm.",  # a form of the loaded word
        original=original,
        loaded=["insisted"],
    )
    assert kept.fraction == 0.0
    assert kept.lines[:2] == (
        "Framing left out: 0 of the 1 phrases the key lists for this rewrite are gone.",
        "Facts: you kept 3 of the 3 names, numbers and facts the sentence gives.",
    )
    # the loaded words gone, but so are the facts: nothing; one fact of three: a third
    assert scored("rewrite", "He said so.", original=original, loaded=["insisted"]).fraction == 0
    one = scored("rewrite", "Reyes said so today.", original=original, loaded=["insisted"])
    assert one.fraction == 0.33
    # a list of the facts' words, shorter than a third of the sentence, is not a rewrite
    salad = scored("rewrite", "Reyes third room.", original=original, loaded=["insisted"])
    assert salad.fraction == 0 and salad.lines[0].startswith("A rewrite is the whole sentence")
    assert scored("rewrite", "", original=original).lines == ("Not answered yet.",)
    # a key span that holds one of the key's wordings is that wording, not a second one
    folded = scored("rewrite", model, original=original, loaded=["insisted that"])
    assert folded.lines[0].startswith("Framing left out: 1 of the 1 ")
    # a wording the key lists counts only if the sentence has it or the rewrite brings it in
    item = sheet_from_dict(sheet_data()).item("rewrite")
    listed = ItemAnswer(
        "why", keep=(("Reyes",),), avoid=(("insisted",), ("boasted", "bragged")), model="m"
    )
    plain = score_item(
        item, listed, "Reyes said so on Monday.", original=original, loaded=["insisted"]
    )
    assert plain.fraction == 1.0 and plain.lines[0].startswith("Framing left out: 1 of the 1 ")
    bragged = score_item(
        item, listed, "Reyes bragged about it.", original=original, loaded=["insisted"]
    )
    assert bragged.fraction == 0.5 and bragged.lines[0].startswith("Framing left out: 1 of the 2 ")
    # loaded wording brought in from elsewhere in the text counts as loaded wording left
    brought = scored(
        "rewrite",
        model.replace("a third room", "a paltry third room"),
        original=original,
        loaded=["insisted"],
        elsewhere=["paltry", "insisted"],
    )
    assert brought.fraction == 0.5 and "brings in 1 loaded phrase" in brought.lines[1]


# --- the answers file ---------------------------------------------------------------


def test_items_are_kept_beside_the_tags_by_every_writer(tmp_path):
    question = Question.practice("lesson-02-loaded-words", "swap-liberated", "l2", tmp_path)
    tagger = Tagger.practice("aleppo-2024-11-30", "l2", tmp_path)
    question.answer("b")
    tagger.type_in({"s02": "attributed"})  # the tagger's save keeps the item
    other = Question.practice("lesson-02-loaded-words", "swap-regime", "l2", tmp_path)
    other.answer("c")  # ... and an item's save keeps the tags and the other item
    saved = json.loads((tmp_path / "answers" / "l2.json").read_text())
    assert saved["items"] == {"swap-liberated": "b", "swap-regime": "c"}
    assert saved["sentences"] == [{"id": "s02", "kind": "attributed"}]
    assert not question.saved.startswith("Problem") and "merged" not in tagger.notice
    again = Question.practice("lesson-02-loaded-words", "swap-liberated", "l2", tmp_path)
    assert again.value == "b" and again.saved == "Restored from your saved answers"


def test_two_copies_of_one_question_merge_and_say_so(tmp_path):
    first = Question.practice("lesson-02-loaded-words", "swap-liberated", "l2", tmp_path)
    second = Question.practice("lesson-02-loaded-words", "swap-liberated", "l2", tmp_path)
    first.answer("a")
    second.answer("c")  # saw no "a": the other copy's answer was replaced, and it says so
    assert "merged" in second.saved and "this one was kept" in second.saved
    assert json.loads(answers.answers_path("l2", tmp_path).read_text())["items"] == {
        "swap-liberated": "c"
    }


def test_a_malformed_item_answer_is_left_out_with_a_line_and_the_rest_kept(seed_document):
    content = json.dumps(
        {
            "document": seed_document.id,
            "sentences": [{"id": "s02", "kind": "fact"}],
            "items": {"good": "b", "bad": {"x": 1}, "long": "x" * 5000, "list": ["a", 3]},
        }
    )
    read = answers.parse(content, seed_document)
    assert read.items == {"good": "b"}
    assert len(read.dropped) == 3 and all("is not an answer" in line for line in read.dropped)
    assert answers.parse('{"document": "aleppo-2024-11-30", "items": [1]}', seed_document).dropped


# --- grading ------------------------------------------------------------------------


def answers_with(items: dict, spans=()) -> str:
    data = {"document": TEXT, "sentences": [], "spans": list(spans), "items": items}
    return json.dumps(data)


def graded(content, item: str, **kwargs):
    return grade(
        content, exercise=SET, document=TEXT, part="item", max_points=2, item=item, **kwargs
    )


def test_the_grader_scores_one_item_with_partial_credit_and_no_key(datasets):
    assert graded(answers_with({"all": ["a"]}), "all").points == 1.0
    assert graded(answers_with({"scale": ["b", "c", "a"]}), "scale").points == 2.0
    result = graded(answers_with({"pick": "a"}), "pick")
    assert result.points == 0 and result.lines[0] == "Question pick: Not the key's answer."
    said = "\n".join(
        "\n".join(graded(answers_with({k: v}), k).lines)
        for k, v in (("pick", "a"), ("word", "x"), ("rewrite", "The mayor said so."))
    )
    for answer in key_data()["items"].values():  # counts only: nothing of the key
        assert answer["why"] not in said
    assert key_data()["items"]["rewrite"]["model"] not in said
    assert "insisted" not in said  # the key's loaded word in that sentence


def test_the_grader_says_what_is_wrong_and_scores_zero(datasets):
    assert graded(None, "pick").lines[0].startswith("No answers were found")
    assert graded(answers_with({}), "pick").lines[0] == "Question pick: Not answered yet."
    bad = graded(answers_with({"pick": "z"}), "pick")
    assert bad.points == 0 and "'z' is not one of its options" in bad.lines[0]
    assert graded("{not json", "pick").points == 0


def test_a_rewrite_is_shown_to_the_teacher_who_marks_it_by_the_rubric(datasets):
    result = graded(answers_with({"rewrite": "The mayor, Antonio Reyes, said ..."}), "rewrite")
    assert (
        result.lines[-2]
        == "Your answer, for your teacher to read: The mayor, Antonio Reyes, said ..."
    )


def test_a_grade_cell_names_its_item_and_devices_and_mistakes_are_refused(datasets):
    call = grade_call(f'grade_cell("{SET}", "{TEXT}", part="item", points=2, item="pick")')
    assert call == {"exercise": SET, "document": TEXT, "part": "item", "points": 2, "item": "pick"}
    assert grade_call('grade_cell("x", "y", part="item", points=2, item=f"{z}")') is None
    with pytest.raises(FramelabError, match="names an item exactly when"):
        grade("{}", exercise=SET, document=TEXT, part="kinds", max_points=1, item="pick")
    with pytest.raises(FramelabError, match="are about transfer-heatwave-spain, not"):
        grade("{}", exercise=SET, document="aleppo-wire", part="item", max_points=1, item="pick")
    with pytest.raises(FramelabError, match="have no item 'nope'"):
        graded("{}", "nope")


def test_devices_limit_what_a_devices_part_scores(datasets):
    from framelab.texts.corpus import load_document, load_key

    key, document = load_key(TEXT), load_document(TEXT)
    verb = [s for s in key.spans if s.device == "verb-bias"]
    content = answers_with({}, [{"start": s.start, "end": s.end, "device": s.device} for s in verb])
    args = dict(exercise=SET, document=TEXT, part="devices", max_points=4)
    only = grade(content, **args, devices=["verb-bias"])
    assert only.points == 4.0 and only.lines[0].startswith("Graded here: verb-bias marks only")
    assert grade(content, **args).points < 4.0  # against all devices, one is not enough
    assert document.text  # the text the key is about


# --- what students receive ----------------------------------------------------------


def test_the_students_copy_leaves_out_graded_item_keys_and_keeps_lesson_keys(datasets, tmp_path):
    copy = tmp_path / "students"
    student_datasets(datasets, copy)
    assert not (copy / "keys" / "items" / f"{SET}.json").exists()
    assert (copy / "items" / f"{SET}.json").exists()  # the questions themselves are public
    assert (copy / "keys" / "items" / "lesson-02-loaded-words.json").exists()
    (copy / "notes.txt").write_text(key_data()["items"]["rewrite"]["model"])
    assert any(
        "repeats the key of graded items" in leak for leak in graded_key_leaks(copy, datasets)
    )


# --- the widget ---------------------------------------------------------------------


def test_a_practice_question_explains_and_a_graded_one_only_saves(datasets, tmp_path):
    practice = Question.practice("lesson-02-loaded-words", "swap-liberated", "l2", tmp_path)
    practice._radio.value = "a"  # as a click does
    assert "liberated" in practice._sentence.value and "rebel command" in practice._sentence.value
    practice.check()
    assert practice.feedback.startswith("Not the key's answer.\nThe key's answer: took control of")
    practice._radio.value = "b"
    assert practice.feedback == ""  # no verdict on an answer it no longer has
    exam = Question.exam(SET, "pick", tmp_path)
    assert not hasattr(exam, "_check")
    with pytest.raises(FramelabError, match="graded"):
        exam.check()
    with pytest.raises(FramelabError, match="graded: a lesson cannot show their key"):
        Question.practice(SET, "pick", "x", tmp_path)
    exam._radio.value = "b"
    assert json.loads(answers.answers_path(SET, tmp_path).read_text())["items"] == {"pick": "b"}


def test_a_word_swap_in_an_example_of_its_own_shows_no_sentence_of_the_text(datasets, tmp_path):
    """A graded question can swap words in a sentence written for it, so that it tells
    the student nothing about which words of the graded text are marked."""
    data = sheet_data()
    data["items"][0].update(
        example="The mayor insisted the pool would stay open.", quote="insisted"
    )
    (datasets / "items" / f"{SET}.json").write_text(json.dumps(data))
    question = Question.exam(SET, "pick", tmp_path)
    shown = question._sentence.value
    assert "Example" in shown and "<mark>insisted</mark>" in shown
    question._radio.value = "a"  # as a click does
    assert "<mark>said</mark> the pool" in question._sentence.value
    from framelab.texts.corpus import load_document

    text = load_document(TEXT).sentence("s10").text
    assert text not in question._sentence.value
    assert json.loads(answers.answers_path(SET, tmp_path).read_text())["items"] == {"pick": "a"}


def test_an_order_moves_the_chosen_line_and_keeps_it_chosen(datasets, tmp_path):
    question = Question.exam(SET, "scale", tmp_path)
    assert question.value is None and question.saved == "Not answered yet"
    question._list.value = "b"
    question._move(-1)
    question._move(-1)
    assert question.value == ["b", "a", "c"] and question._list.value == "b"
    question._move(-1)
    assert question.saved == "That line is already first."
    question._list.value = "c"
    question._move(-1)
    assert question.value == ["b", "c", "a"]
    assert Question.exam(SET, "scale", tmp_path).value == ["b", "c", "a"]


def test_typed_answers_are_checked_and_a_rewrite_can_start_from_the_sentence(datasets, tmp_path):
    question = Question.exam(SET, "rewrite", tmp_path)
    question._start_from_sentence()
    assert question.value.startswith("The mayor, Antonio Reyes, insisted")
    question._start_from_sentence()
    assert "already holds your rewrite" in question.saved
    choice = Question.exam(SET, "pick", tmp_path)
    with pytest.raises(FramelabError, match="its options are a = said, b = insisted"):
        choice.answer("said")
    choice.answer("a")
    assert choice._radio.value == "a"
