"""The tagger without a browser: feed it what the front end would send."""

from __future__ import annotations

import json

import pytest

from framelab.teach.tagger import Tagger
from framelab.texts.model import Annotation, FramelabError
from framelab.texts.taxonomy import CATEGORIES

from .conftest import SEED

EXERCISE = "99-test"


@pytest.fixture
def tagger(tmp_path):
    return Tagger.exam(EXERCISE, SEED, folder=tmp_path)


def saved(tmp_path) -> Annotation:
    return Annotation.load(tmp_path / "answers" / f"{EXERCISE}.json")


def test_a_new_tagger_writes_nothing_until_the_student_acts(tagger, tmp_path):
    assert not (tmp_path / "answers").exists()
    assert tagger.progress == "0 of 24 sentences tagged, 0 marks"
    assert tagger.saved == "Nothing saved yet"


def test_every_change_from_the_front_end_is_saved_at_once(tagger, tmp_path):
    tagger.core.kinds = {"s02": "fact"}
    assert saved(tmp_path).kinds == {"s02": "fact"}
    tagger.core.spans = [[98, 107, "loaded"]]
    annotation = saved(tmp_path)
    assert [(s.start, s.end, s.device) for s in annotation.spans] == [(98, 107, "loaded")]
    assert annotation.document == SEED
    assert tagger.progress == "1 of 24 sentences tagged, 1 mark"
    assert tagger.saved.startswith("Saved ")
    # beside the answers only the lock that keeps two taggers from overwriting each other
    # (hidden, and left out of submissions); no temporary file
    names = sorted(p.name for p in (tmp_path / "answers").iterdir())
    assert names == [f".{EXERCISE}.json.lock", f"{EXERCISE}.json"]


def test_a_new_tagger_restores_the_saved_answers(tagger, tmp_path):
    tagger.core.kinds = {"s02": "fact", "s03": "opinion"}
    tagger.core.spans = [[98, 107, "loaded"], [98, 107, "speculation"]]
    again = Tagger.exam(EXERCISE, SEED, folder=tmp_path)
    assert again.core.kinds == {"s02": "fact", "s03": "opinion"}
    assert again.core.spans == [(98, 107, "loaded"), (98, 107, "speculation")]
    assert again.saved == "Restored from your saved answers"


def test_undo_steps_back_one_change_at_a_time(tagger, tmp_path):
    tagger.core.kinds = {"s02": "fact"}
    tagger.core.kinds = {"s02": "opinion"}
    tagger.core.spans = [[98, 107, "loaded"]]
    tagger.core._handle_custom_msg({"event": "undo"}, [])  # Ctrl+Z in the browser
    assert tagger.core.spans == [] and saved(tmp_path).spans == ()
    tagger.undo()
    assert tagger.core.kinds == {"s02": "fact"} and saved(tmp_path).kinds == {"s02": "fact"}
    tagger.undo()
    assert tagger.core.kinds == {}
    tagger.undo()
    assert "Nothing to undo" in tagger.notice


def test_typed_answers_go_through_the_same_file(tagger, tmp_path):
    tagger.type_in({"s02": "fact", "s10": "fact"}, [("s02", "liberated", "loaded")])
    annotation = saved(tmp_path)
    assert annotation.kinds == {"s02": "fact", "s10": "fact"}
    (span,) = annotation.spans
    assert tagger.document.text[span.start : span.end] == "liberated"
    tagger.undo()  # one typed call is one change
    assert tagger.core.kinds == {} and tagger.core.spans == []


@pytest.mark.parametrize(
    ("kinds", "spans", "message"),
    [
        ({"s99": "fact"}, [], "has no sentence 's99'"),
        ({"s02": "fakt"}, [], "'fakt' is not a kind; use one of fact, attributed"),
        ({}, [("s02", "freed", "loaded")], "'freed' does not occur 1 time(s) in s02"),
        ({}, [("s02", "liberated", "spin")], "'spin' is not a device"),
        ({}, ["liberated"], "write a span as (sentence id, 'exact words', device)"),
    ],
)
def test_typed_mistakes_get_clear_messages_and_change_nothing(
    tagger, tmp_path, kinds, spans, message
):
    with pytest.raises(FramelabError) as caught:
        tagger.type_in(kinds, spans)
    assert message in str(caught.value)
    assert not (tmp_path / "answers").exists()


def test_a_corrupt_answers_file_is_kept_and_reported(tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    (folder / f"{EXERCISE}.json").write_text('{"taxonomy": "framelab-1", "docu')
    tagger = Tagger.exam(EXERCISE, SEED, folder=tmp_path)
    kept = [p for p in folder.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == '{"taxonomy": "framelab-1", "docu'
    assert "could not be used" in tagger.notice and kept[0].name in tagger.notice
    tagger.core.kinds = {"s02": "fact"}  # the student carries on; the old file stays
    assert kept[0].exists() and saved(tmp_path).kinds == {"s02": "fact"}


def test_answers_for_another_text_are_kept_and_reported(tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    foreign = {"taxonomy": "framelab-1", "document": "aleppo-wire", "sentences": [], "spans": []}
    (folder / f"{EXERCISE}.json").write_text(json.dumps(foreign))
    tagger = Tagger.exam(EXERCISE, SEED, folder=tmp_path)
    assert "holds answers for 'aleppo-wire'" in tagger.notice
    assert tagger.core.kinds == {}
    assert [json.loads(p.read_text()) for p in folder.iterdir()] == [foreign]


def test_exam_check_lists_only_what_is_untagged(tagger):
    tagger.type_in({u.id: "fact" for u in tagger.document.sentences[:-2]})
    tagger.check()
    assert "Still untagged: s23, s24." in tagger.notice
    assert tagger.core.marks == {
        "sentences": {"s23": "untagged", "s24": "untagged"},
        "reasons": {},
        "spans": [],
    }
    assert "wrong" not in tagger.notice and "key" not in tagger.notice


def test_practice_check_explains_with_the_keys_reasons(tmp_path, seed_key):
    tagger = Tagger.practice(SEED, "lesson-test", folder=tmp_path)
    tagger.type_in({"s02": "opinion", "s04": "structure"}, [("s20", "lied", "verb-bias")])
    tagger.check()
    assert tagger.core.marks["sentences"]["s04"] == "right"
    assert tagger.core.marks["sentences"]["s02"] == "wrong"
    shown = tagger.core.marks["reasons"]
    reasons = {sid: [r["text"] for r in found] for sid, found in shown.items()}
    # the reason stands under the sentence it is about, without the id the gutter shows
    assert any(seed_key.label("s02").why.split(".")[0] in line for line in reasons["s02"])
    assert reasons["s02"][0].startswith("You chose opinion; the key says fact")
    assert any(line.startswith('You found "lied" (verb-bias)') for line in reasons["s20"])
    assert "s04" not in reasons  # right: nothing to explain
    shown = tagger.notice
    # counted over the sentences tried (s02, s04, and s20 with its mark), not all 24
    assert shown.startswith("Sentence kinds: 1 right of the 3 sentences you have tried.")
    assert "F1" not in shown and "key span" not in shown and "under each sentence" in shown


def test_a_mark_with_the_right_words_and_another_device_is_said_under_its_sentence(tmp_path):
    tagger = Tagger.practice(SEED, "lesson-test", folder=tmp_path)
    tagger.type_in(spans=[("s02", "liberated", "intensifier")])
    tagger.check()
    (line,) = [r for r in tagger.core.marks["reasons"]["s02"] if r["status"] == "wrong-device"]
    assert line["text"].startswith('You marked "liberated" as intensifier; the key calls it loaded')
    assert "Of your 1 mark, 1 has the key's words but another device" in tagger.notice
    # and beside the key's own mark: the words found, one device too many, said so
    tagger.type_in(spans=[("s02", "liberated", "loaded")])
    tagger.check()
    (line,) = [r for r in tagger.core.marks["reasons"]["s02"] if r["status"] == "wrong-device"]
    assert line["text"].startswith(
        'You marked "liberated" as intensifier; the key marks these words as loaded, '
        "not intensifier."
    )
    assert "Of your 2 marks, 1 has the key's words but another device, and 0 are" in tagger.notice


def test_check_marks_never_go_stale(tmp_path):
    tagger = Tagger.practice(SEED, "lesson-test", folder=tmp_path)
    tagger.type_in({"s02": "opinion"})
    tagger.check()
    marks = tagger.core.marks
    assert marks["sentences"]["s02"] == "wrong" and marks["sentences"]["s03"] == "untagged"
    assert "s02" in marks["reasons"] and "s03" in marks["reasons"]
    tagger.core.kinds = {**tagger.core.kinds, "s03": "fact"}  # tagged after Check
    marks = tagger.core.marks
    assert "s03" not in marks["sentences"] and "s03" not in marks["reasons"]
    assert marks["sentences"]["s02"] == "wrong"  # the others keep their verdicts
    tagger.type_in(spans=[("s02", "liberated", "loaded")])  # a new mark in s02
    assert "s02" not in tagger.core.marks["sentences"]
    assert "s02" not in tagger.core.marks["reasons"]
    assert tagger.core.marks["spans"]  # the key's phrases stay until the next Check
    tagger.check()
    assert tagger.core.marks["sentences"]["s03"] == "right"  # fact, as the key says
    assert tagger.core.marks["sentences"]["s02"] == "wrong"
    tagger.undo()  # an undo changes s02 again: its verdict goes
    assert "s02" not in tagger.core.marks["sentences"]
    exam = Tagger.exam(EXERCISE, SEED, folder=tmp_path)
    exam.check()
    assert exam.core.marks["sentences"]["s05"] == "untagged"
    exam.core.kinds = {"s05": "fact"}
    assert "s05" not in exam.core.marks["sentences"]


def test_a_failing_save_is_shown_in_the_widget_not_lost(tagger, tmp_path):
    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / f"{EXERCISE}.json").mkdir()  # a folder where the file should be
    tagger.core.kinds = {"s02": "fact"}
    assert tagger.saved == "Not saved"
    assert "Problem:" in tagger.notice


def send(tagger, **event) -> None:
    """What the front end sends when a student clicks one of the bar's buttons."""
    tagger.core._handle_custom_msg(event, [])


def test_the_bar_checks_and_undoes_and_the_legend_gives_every_question(tagger, tmp_path):
    tagger.type_in({"s02": "fact"})
    send(tagger, event="check")
    assert "Still untagged: s01, s03, s04," in tagger.notice
    send(tagger, event="undo")
    assert tagger.core.kinds == {} and saved(tmp_path).kinds == {}
    send(tagger, event="check")
    assert "Still untagged: s01, s02, s03," in tagger.notice
    send(tagger, event="no such event")  # ignored, not an error
    send(tagger, event="hints", on=True)  # no hints in a graded exercise
    assert tagger.core.hints == {} and "no machine hints" in tagger.notice
    # the front end draws the legend from the labels: every name, definition and question
    shown = {entry["name"]: entry for layer in tagger.core.labels.values() for entry in layer}
    for label in CATEGORIES:
        assert shown[label.name]["question"] == label.question
        assert shown[label.name]["definition"] == label.definition
    assert [k["key"] for k in tagger.core.labels["kinds"]] == ["1", "2", "3", "4"]


def test_practice_check_can_be_limited_to_some_sentences(tmp_path):
    tagger = Tagger.practice(SEED, "lesson-test", folder=tmp_path)
    tagger.type_in({"s01": "structure", "s02": "fact", "s03": "opinion"})
    tagger.check(sentences=["s01", "s02", "s03", "s04"])
    shown = tagger.notice
    assert shown.startswith("Sentence kinds: 2 right of the 3 sentences you have tried.")
    assert "1 not tagged yet: they get no answer until you tag them and press Check again" in shown
    assert "%" not in shown
    assert set(tagger.core.marks["sentences"]) == {"s01", "s02", "s03", "s04"}
    marked = {tagger.document.text[a:b] for a, b, _ in tagger.core.marks["spans"]}
    assert marked == {
        "it became officially known",
        "liberated",
        "panicked",
        "already",
        "in the Russian information space",
    }
    assert "lied" not in shown  # a span of s20 stays hidden


def test_practice_check_can_leave_devices_out_for_a_lesson_on_kinds(tmp_path):
    # a mark saved earlier (by a tagger that offered devices) is in the file ...
    marking = Tagger.practice(SEED, "lesson-test", folder=tmp_path)
    marking.type_in(spans=[("s20", "lied", "verb-bias")])
    tagger = Tagger.practice(SEED, "lesson-test", folder=tmp_path, devices=False)
    tagger.type_in({"s01": "structure", "s02": "opinion"})
    with pytest.raises(FramelabError, match="this tagger marks no phrases"):
        tagger.type_in(spans=[("s19", "unexpected", "speculation")])  # ... and no new one
    for check in (tagger.check, lambda: send(tagger, event="check")):
        check()
        shown = tagger.notice
        assert "Sentence kinds: 1 right of the 3 sentences you have tried" in shown
        assert tagger.core.marks["sentences"]["s02"] == "wrong"
        assert tagger.core.marks["spans"] == []  # no dashed box round any key phrase
        assert "Devices:" not in shown and "You found" not in shown and "You missed" not in shown
    tagger.check(sentences=["s01", "s02"])
    assert "Sentence kinds: 1 right of the 2 sentences you have tried" in tagger.notice
    assert tagger.core.marks["spans"] == []
    assert Tagger.practice(SEED, "lesson-test", folder=tmp_path).devices  # the default


def test_a_mark_on_words_the_key_gives_a_device_not_offered_is_told_so(tmp_path):
    """Lesson 04 offers three devices; a student who marks the seed's loaded "aggressor"
    as speculation was told "the key does not mark it" and asked how the writer could
    know, which argued for the mark. Now Check names the key's device."""
    tagger = Tagger.practice(
        SEED, "lesson-test", folder=tmp_path, devices=["speculation", "intensifier"]
    )
    tagger.type_in({"s17": "opinion"}, [("s17", "aggressor", "speculation")])
    tagger.check(sentences=["s17"])
    said = " ".join(r["text"] for r in tagger.core.marks["reasons"]["s17"])
    assert 'The key marks "aggressor" as loaded, a device not asked for here' in said
    assert "How could the writer know" not in said


def test_practice_check_takes_one_sentence_id_as_a_string(tmp_path):
    # a plain string was once iterated as characters: "0 of 0", nothing checked
    tagger = Tagger.practice(SEED, "lesson-test", folder=tmp_path)
    tagger.type_in({"s01": "structure", "s02": "fact"})
    tagger.check(sentences="s02")
    assert "Sentence kinds: 1 right of the 1 sentence you have tried" in tagger.notice
    assert set(tagger.core.marks["sentences"]) == {"s02"}


def test_exam_check_takes_one_sentence_id_as_a_string(tagger):
    # it once said "Every sentence has a kind" with nothing tagged
    tagger.check(sentences="s24")
    assert "Still untagged: s24." in tagger.notice
    assert tagger.core.marks["sentences"] == {"s24": "untagged"}


def test_graded_mode_gives_no_structure_hint(tagger, tmp_path):
    assert not any(unit["structure"] for unit in tagger.core.units)
    practice = Tagger.practice(SEED, "lesson-test", folder=tmp_path)
    assert [u["id"] for u in practice.core.units if u["structure"]] == [
        "s01",
        "s04",
        "s08",
        "s15",
        "s16",
        "s21",
    ]


def test_answers_files_are_readable_by_the_teacher(tagger, tmp_path):
    import os
    import stat

    tagger.core.kinds = {"s02": "fact"}
    mode = stat.S_IMODE(os.stat(tmp_path / "answers" / f"{EXERCISE}.json").st_mode)
    assert mode == 0o644


def test_practice_can_show_and_hide_machine_hints(tmp_path):
    tagger = Tagger.practice(SEED, "lesson-test", folder=tmp_path)
    assert tagger.core.bar["hints"] is False  # offered, and off
    send(tagger, event="hints", on=True)  # the bar's button
    assert tagger.core.bar["hints"] is True
    assert tagger.core.hints["sentences"]["s01"] == "structure"
    start = tagger.document.text.index("liberated")
    assert [start, start + len("liberated"), "loaded"] in tagger.core.hints["spans"]
    assert "often wrong" in tagger.notice
    assert not (tmp_path / "answers").exists()  # hints are not answers
    tagger.show_hints(False)
    assert tagger.core.hints == {} and tagger.core.bar["hints"] is False


def test_hints_come_from_the_suggester_with_its_general_lexicon(tmp_path):
    """The hint layer shows what framelab suggest gives, general lexicon included."""
    from framelab.machine.suggest import suggest

    tagger = Tagger.practice("transfer-river-cleanup-india", "lesson-test", folder=tmp_path)
    tagger.show_hints(True)
    found = suggest(tagger.document)
    assert tagger.core.hints["spans"] == [[s.start, s.end, s.device] for s in found.spans]
    glory = next(s for s in found.spans if s.text == "glory")
    assert "VADER valence" in glory.reason  # a word no pattern of en.json names
    assert [glory.start, glory.end, "loaded"] in tagger.core.hints["spans"]


def test_graded_mode_never_shows_machine_hints(tagger):
    assert tagger.core.bar["hints"] is None  # the bar draws no button for them
    with pytest.raises(FramelabError, match="hints are for practice"):
        tagger.show_hints()
    send(tagger, event="hints", on=True)  # even if the front end sent it somehow
    assert tagger.core.hints == {} and tagger.core.bar["hints"] is None


def test_typing_a_mark_that_is_there_already_adds_nothing(tagger, tmp_path):
    tagger.type_in(spans=[("s02", "liberated", "loaded")])
    tagger.type_in(spans=[("s02", "liberated", "loaded"), ("s02", "liberated", "intensifier")])
    assert [d for _, _, d in tagger.core.spans] == ["loaded", "intensifier"]
    assert len(saved(tmp_path).spans) == 2


def test_check_gives_no_answer_for_a_sentence_not_tried_yet(tmp_path, seed_key):
    # try before you look: Check shows the key's kind and phrases only where the
    # student has chosen a kind or marked something
    tagger = Tagger.practice(SEED, "lesson-test", folder=tmp_path)
    tagger.type_in(spans=[("s05", "a millionaire", "loaded")])  # a mark, no kind
    tagger.check()
    reasons = tagger.core.marks["reasons"]
    assert reasons["s03"] == [{"status": "untagged", "text": reasons["s03"][0]["text"]}]
    assert reasons["s03"][0]["text"] == "Not tagged yet."
    assert "23 not tagged yet: they get no answer until you tag them" in tagger.notice
    said = {sid: " ".join(r["text"] for r in found) for sid, found in reasons.items()}
    assert seed_key.label("s03").why not in " ".join(said.values())
    assert seed_key.label("s05").why in said["s05"]  # tried: answered
    shown = {tagger.document.sentence_at(a).id for a, _, _ in tagger.core.marks["spans"]}
    assert shown == {"s05"}
    assert tagger.core.marks["sentences"]["s03"] == "untagged"


def test_the_bars_check_can_cover_some_sentences_or_none(tmp_path):
    some = Tagger.practice(SEED, "some", folder=tmp_path, check=["s01", "s02", "s03"])
    assert some.core.bar["check"] is True and some.core.bar["check_label"] == "Check s01-s03"
    send(some, event="check")
    assert set(some.core.marks["sentences"]) == {"s01", "s02", "s03"}
    none = Tagger.practice(SEED, "none", folder=tmp_path, check=False)
    assert none.core.bar["check"] is False  # no button: the lesson's own cells check
    send(none, event="check")
    assert none.core.marks == {}
    none.check()  # a lesson's cell still can
    assert len(none.core.marks["sentences"]) == 24
    with pytest.raises(FramelabError, match="s99"):
        Tagger.practice(SEED, "bad", folder=tmp_path, check=["s99"])


def test_the_summary_after_check_says_when_it_is_out_of_date(tmp_path):
    tagger = Tagger.practice(SEED, "lesson-test", folder=tmp_path)
    tagger.type_in({"s02": "opinion"})
    tagger.check()
    assert tagger.notice.startswith("Sentence kinds: 0 right of the 1 sentence you have tried.")
    tagger.core.kinds = {**tagger.core.kinds, "s03": "fact"}
    assert "changed answers since Check: press Check again" in tagger.notice
    tagger.check()
    assert tagger.notice.startswith("Sentence kinds: 1 right of the 2 sentences you have tried")


def test_a_kinds_only_lesson_counts_and_hints_no_marks(tmp_path):
    tagger = Tagger.practice(SEED, "kinds", folder=tmp_path, devices=False)
    assert tagger.core.bar["devices"] is False
    assert tagger.progress == "0 of 24 sentences tagged"
    tagger.show_hints()
    assert tagger.core.hints["spans"] == [] and tagger.core.hints["sentences"]


def test_the_tagger_takes_its_text_and_ground_colours_from_the_theme():
    """Every colour of text or ground in tagger.css is a JupyterLab theme variable (or a
    mix with one), except the chosen kind's button: white on a dark hue, 4.5:1 or more
    whatever the theme, so that the dark theme is never white on white (review, defect 4)."""
    import re

    from framelab.teach.tagger import _STATIC

    css = (_STATIC / "tagger.css").read_text()
    fixed = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for prop, value in re.findall(
            r"(?:^|;)\s*(color|background(?:-color)?)\s*:\s*([^;]+)", body
        ):
            if "var(" not in value and value.strip() != "transparent":
                fixed.append((selector.strip(), prop, value.strip()))

    def contrast(hex_a: str, hex_b: str) -> float:
        def lum(h: str) -> float:
            rgb = [int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)]
            lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
            return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

        a, b = sorted((lum(hex_a), lum(hex_b)), reverse=True)
        return (a + 0.05) / (b + 0.05)

    assert all("pressed" in selector for selector, _, _ in fixed), fixed
    grounds = [value for _, prop, value in fixed if prop == "background"]
    assert len(grounds) == 4  # one per kind
    for ground in grounds:
        assert contrast("#ffffff", ground) >= 4.5, ground


def test_a_graded_check_keeps_its_list_of_untagged_sentences_up_to_date(tagger):
    tagger.check()
    assert tagger.notice.startswith("Still untagged: s01, s02, s03,")
    tagger.core.kinds = {"s01": "fact", "s02": "fact"}  # tagged after Check
    assert tagger.notice.startswith("Still untagged: s03, s04,")
    assert set(tagger.core.marks["sentences"]) == {f"s{n:02d}" for n in range(3, 25)}
    tagger.type_in({f"s{n:02d}": "fact" for n in range(3, 25)})
    assert tagger.notice == "Done: Every sentence has a kind. Your answers are saved."


def test_a_lesson_without_a_check_button_says_to_run_the_cell(tmp_path):
    tagger = Tagger.practice(SEED, "no-button", folder=tmp_path, check=False, hints=False)
    assert tagger.core.bar["hints"] is None  # no hints button either
    with pytest.raises(FramelabError, match="without machine hints"):
        tagger.show_hints()
    tagger.type_in({"s02": "fact"})
    tagger.check()
    assert "until you tag them and run the Check cell again" in tagger.notice
    tagger.type_in({"s03": "fact"})
    assert "since Check: run the Check cell again" in tagger.notice


def test_a_unit_the_key_does_not_score_gets_no_verdict_once_tagged(tmp_path):
    tagger = Tagger.practice("transfer-wildfire-chile", "headline", folder=tmp_path)
    (headline,) = [label.id for label in tagger.key.labels if not label.scored]
    tagger.type_in({headline: "fact"})
    tagger.check()
    assert headline not in tagger.core.marks["sentences"]  # no tick, no cross, no "untagged"
    assert headline not in tagger.core.marks["reasons"]
