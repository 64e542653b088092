"""Scoring: sentence kinds, device spans with partial credit, agreement, points, feedback."""

from __future__ import annotations

import dataclasses
import doctest
import math
import subprocess
import sys
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from framelab.grading import agreement, feedback, scoring
from framelab.grading.agreement import class_alpha, cohen_kappa, krippendorff_alpha
from framelab.grading.feedback import feedback_lines, points
from framelab.grading.scoring import normalise, score
from framelab.texts.corpus import tokens
from framelab.texts.model import Annotation, FramelabError, Label, Span
from framelab.texts.taxonomy import DEVICES, KINDS

# --- a small hand-made document and its key -------------------------------------------


def grade(annotation, key, text, *, part, max_points, reveal=False):
    """What a grade cell does with a score: print the feedback, return the points."""
    result = score(annotation, key, text)
    fraction = {"kinds": result.kinds, "devices": result.spans.f1, "all": result.overall}[part]
    print("\n".join(feedback_lines(result, part=part, reveal=reveal)))
    return points(fraction, max_points)


DOC = "demo"
SENTENCES = (
    "Rebels liberated the city on Monday.",
    "Officials say the regime was not ready.",
    "Sources claim it was a stunning, sudden collapse.",
    "Everyone already knows the war is over.",
)
TEXT = " ".join(SENTENCES)
IDS = ("s01", "s02", "s03", "s04")


def at(phrase: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of ``phrase`` in TEXT."""
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def mark(phrase: str, device: str) -> Span:
    return Span(*at(phrase), device)


def key_span(phrase: str, device: str, why: str, neutral: str | None = None) -> Span:
    start, end = at(phrase)
    return Span(start, end, device, text=phrase, why=why, neutral=neutral)


def _key_labels() -> tuple[Label, ...]:
    kinds = (
        ("fact", (), "Who holds a city on which day can be checked."),
        ("attributed", ("opinion",), "It tells us that officials say it."),
        ("attributed", ("opinion",), "It reports what unnamed sources claim."),
        ("opinion", (), "No record could show what everyone knows."),
    )
    labels = []
    for sid, sentence, (kind, accept, why) in zip(IDS, SENTENCES, kinds, strict=True):
        start, end = at(sentence)
        labels.append(Label(sid, kind, accept, why, start, end, sentence))
    return tuple(labels)


WHY_LIBERATED = "Liberated takes the rebels' side."
KEY = Annotation(
    DOC,
    _key_labels(),
    (
        key_span("liberated", "loaded", WHY_LIBERATED, neutral="took control of"),
        key_span("the regime", "loaded", "Regime is a label with a verdict.", "the government"),
        key_span(
            "was not ready", "speculation", "How could the writer know what they were ready for?"
        ),
        key_span("Sources claim", "vague-source", "Which sources? Nobody can look them up."),
        key_span("claim", "verb-bias", "Claim hints that the report is doubtful.", "say"),
        # one stretch of words with two devices
        key_span("stunning", "loaded", "Stunning judges the collapse.", "quick"),
        key_span("stunning", "intensifier", "Stunning adds drama, not information."),
        # nested spans of two devices
        key_span("Everyone already knows", "generalization", "Does everyone really know?"),
        key_span("already", "intensifier", "Already adds urgency, not information."),
    ),
    annotator="key",
)
WHYS = [label.why for label in KEY.labels] + [span.why for span in KEY.spans]
KEY_SPAN_TEXTS = [TEXT[span.start : span.end] for span in KEY.spans]

# A partly right student: the numbers below are worked out by hand in the tests.
STUDENT = Annotation(
    DOC,
    (
        Label("s01", "fact"),  # right
        Label("s02", "opinion"),  # accepted
        Label("s03", "fact"),  # wrong
        # s04 untagged
        Label("s09", "fact"),  # not a sentence of this text
    ),
    (
        mark("liberated ", "loaded"),  # trailing space, trimmed away
        mark("regime", "loaded"),
        mark("not ready", "loaded"),  # right words, wrong device
        mark("stunning", "intensifier"),  # one of the two devices of "stunning"
        mark("Monday", "speculation"),  # not in the key at all
    ),
)


def by_where(result: scoring.Score) -> dict[str, scoring.Item]:
    return {item.where: item for item in result.items}


# --- worked examples ------------------------------------------------------------------


def test_key_scores_one_against_itself():
    result = score(KEY, KEY, TEXT)
    assert (result.kinds, result.spans.f1, result.overall, result.kappa) == (1.0, 1.0, 1.0, 1.0)
    assert all(s.f1 == 1.0 for s in result.devices.values())
    assert {item.status for item in result.items} == {"right", "found"}


def test_partly_right_student_gets_hand_computed_kind_scores():
    result = score(STUDENT, KEY, TEXT)
    # s01 right, s02 accepted, s03 wrong, s04 untagged: 2 of 4
    assert (result.kinds, result.kinds_right, result.kinds_total) == (0.5, 2, 4)
    statuses = {sid: by_where(result)[sid].status for sid in (*IDS, "s09")}
    assert statuses == {
        "s01": "right",
        "s02": "accepted",
        "s03": "wrong",
        "s04": "untagged",
        "s09": "extra",
    }


def test_partly_right_student_gets_hand_computed_span_scores():
    result = score(STUDENT, KEY, TEXT)
    loaded = result.devices["loaded"]
    # marks: liberated 9/9 in key, regime 6/6 inside "the regime", "not ready" 0/9 -> P = 2/3
    # key: liberated 9/9, "the regime" 6/10, "stunning" 0/8 -> R = (1 + 0.6 + 0) / 3 = 8/15
    # F1 = 2 * (2/3) * (8/15) / (2/3 + 8/15) = 16/27
    assert loaded.precision == pytest.approx(2 / 3)
    assert loaded.recall == pytest.approx(8 / 15)
    assert loaded.f1 == pytest.approx(16 / 27)
    assert (loaded.found, loaded.total_key, loaded.total_marked) == (2, 3, 3)
    # intensifier: "stunning" found, "already" missed: P = 1, R = 1/2, F1 = 2/3
    assert result.devices["intensifier"].f1 == pytest.approx(2 / 3)
    # speculation: "Monday" earns nothing and "was not ready" was marked as loaded
    assert dataclasses.astuple(result.devices["speculation"])[:3] == (0.0, 0.0, 0.0)
    # nothing marked, something in the key: P = R = F1 = 0
    assert dataclasses.astuple(result.devices["verb-bias"]) == (0.0, 0.0, 0.0, 0, 1, 0)
    # pooled: marks 1, 1, 0, 1, 0 -> P = 3/5; key credits 1, .6, 0, 0, 0, 0, 1, 0, 0 -> R = 2.6/9
    # F1 = 2 * (3/5) * (13/45) / (3/5 + 13/45) = 0.39
    assert result.spans.precision == pytest.approx(3 / 5)
    assert result.spans.recall == pytest.approx(13 / 45)
    assert result.spans.f1 == pytest.approx(0.39)
    assert (result.spans.found, result.spans.total_key, result.spans.total_marked) == (3, 9, 5)
    assert result.overall == pytest.approx((0.5 + 0.39) / 2)


def test_half_overlapping_mark_earns_half_precision_and_half_recall():
    text = "It was a great ruin for them."
    key = Annotation("t", spans=(Span(9, 19, "loaded"),))  # "great ruin", 10 characters
    mine = Annotation("t", spans=(Span(4, 14, "loaded"),))  # "as a great": 5 in, 5 out
    result = score(mine, key, text)
    # precision 5/10, recall 5/10, F1 0.5
    assert (result.spans.precision, result.spans.recall, result.spans.f1) == (0.5, 0.5, 0.5)
    assert result.items[0].status == "found"  # recall credit 0.5 counts as found


def test_small_overlap_is_partly_found():
    text = "It was a great ruin for them."
    key = Annotation("t", spans=(Span(9, 19, "loaded"),))  # "great ruin"
    mine = Annotation("t", spans=(Span(9, 12, "loaded"),))  # "gre": recall 3/10
    result = score(mine, key, text)
    assert result.spans.recall == pytest.approx(0.3)
    assert result.spans.precision == 1.0
    assert [i.status for i in result.items] == ["partly"]


def test_precision_uses_the_union_of_overlapping_key_spans():
    text = "It was a great ruin for them."
    key = Annotation("t", spans=(Span(9, 19, "loaded"), Span(15, 23, "loaded")))
    mine = Annotation("t", spans=(Span(9, 23, "loaded"),))  # "great ruin for"
    result = score(mine, key, text)
    # all 14 marked characters lie in the union of the two key spans: P = 1 (not 10/14)
    assert (result.spans.precision, result.spans.recall, result.spans.f1) == (1.0, 1.0, 1.0)


def test_duplicate_and_overlapping_marks_earn_at_most_one_per_key_span():
    text = "It was a great ruin for them."
    key = Annotation("t", spans=(Span(9, 19, "loaded"),))
    mine = Annotation(
        "t", spans=(Span(9, 19, "loaded"), Span(9, 19, "loaded"), Span(9, 14, "loaded"))
    )
    result = score(mine, key, text)
    assert result.spans.recall == 1.0
    # the duplicate and the mark inside the first merge into one run: padding earns nothing
    assert result.spans.total_marked == 1


def test_marks_in_two_sentences_stay_two_marks():
    """A mark at the end of one sentence and one at the start of the next, parted only
    by ". ", once merged into one run: the second got no feedback and the first's run
    covered unmarked words (seen in lesson 02 on the seed's s11 and s12)."""
    from framelab.texts.corpus import load_document, load_key

    document, key = load_document("aleppo-2024-11-30"), load_key("aleppo-2024-11-30")
    s11, s12 = document.sentence("s11"), document.sentence("s12")
    flee = document.text.index("forced to flee", s11.start)
    troops = document.text.index("Assad's troops", s12.start)
    mine = Annotation(
        key.document,
        labels=key.labels,
        spans=(Span(flee, flee + 14, "loaded"), Span(troops, troops + 14, "loaded")),
    )
    result = score(mine, key, document.text)
    assert result.spans.total_marked == 2
    said = " ".join(item.message for item in result.items if item.sentence == "s12")
    assert "Assad's troops" in said


def test_a_mark_on_quoted_words_is_asked_whose_words_they_are():
    """Lesson 02's rule for quotations is whose words they are: a mark on the bloggers'
    quoted "shameful surrender" is asked that, not whether a plainer word exists."""
    from framelab.texts.corpus import load_document, load_key

    document, key = load_document("aleppo-2024-11-30"), load_key("aleppo-2024-11-30")
    at_ = document.text.index("shameful surrender", document.sentence("s24").start)
    mine = Annotation(key.document, spans=(Span(at_, at_ + 18, "loaded"),))
    (said,) = [i.message for i in score(mine, key, document.text).items if i.status == "extra"]
    assert "Whose words are they?" in said
    unquoted = document.text.index("Assad's troops")
    mine = Annotation(key.document, spans=(Span(unquoted, unquoted + 14, "loaded"),))
    (said,) = [i.message for i in score(mine, key, document.text).items if i.status == "extra"]
    assert "Whose words" not in said


def test_edges_are_trimmed_of_spaces_and_punctuation():
    assert normalise(TEXT, *at(" stunning, ")) == at("stunning")
    assert normalise('"liberated"', 0, 11) == (1, 10)
    assert normalise("a , b", 1, 4) == (4, 4)  # nothing but punctuation: empty
    assert normalise("x-ray", 0, 5) == (0, 5)  # inner punctuation stays


def test_mark_with_trailing_comma_and_space_scores_the_same_as_without():
    plain = Annotation(DOC, spans=(mark("stunning", "intensifier"),))
    sloppy = Annotation(DOC, spans=(mark("stunning, ", "intensifier"),))
    assert score(sloppy, KEY, TEXT) == score(plain, KEY, TEXT)


def test_spans_that_trim_to_nothing_are_dropped():
    only_punctuation = Annotation(DOC, spans=(mark(", ", "loaded"),))
    assert score(only_punctuation, KEY, TEXT).spans.total_marked == 0


def test_device_with_no_spans_on_either_side_scores_one():
    key = Annotation("t", spans=(Span(0, 2, "loaded"),))
    result = score(Annotation("t", spans=(Span(0, 2, "loaded"),)), key, "It is.")
    assert dataclasses.astuple(result.devices["verb-bias"])[:3] == (1.0, 1.0, 1.0)


def test_marks_where_the_key_has_none_score_zero_precision_full_recall():
    key = Annotation("t")
    result = score(Annotation("t", spans=(Span(0, 2, "loaded"),)), key, "It is.")
    assert dataclasses.astuple(result.devices["loaded"])[:3] == (0.0, 1.0, 0.0)
    assert dataclasses.astuple(result.spans)[:3] == (0.0, 1.0, 0.0)


def test_key_without_sentences_or_spans_gives_full_marks():
    result = score(Annotation("t"), Annotation("t"), "Hi.")
    assert (result.kinds, result.spans.f1, result.kappa, result.overall) == (1.0, 1.0, 1.0, 1.0)


# --- feedback items ---------------------------------------------------------------------


def test_wrong_device_on_the_right_words_names_both_devices():
    item = by_where(score(STUDENT, KEY, TEXT))['"was not ready" (s02)']
    assert item.status == "wrong-device"
    assert item.message.startswith(
        'You marked "was not ready" as loaded; the key calls it speculation: How could'
    )


def test_one_of_two_devices_on_the_same_words_is_found_and_the_other_missed():
    items = [i for i in score(STUDENT, KEY, TEXT).items if i.where == '"stunning" (s03)']
    assert sorted(i.status for i in items) == ["found", "missed"]
    missed = next(i for i in items if i.status == "missed")
    assert "loaded" in missed.message and "a neutral choice: quick" in missed.message


def test_missed_loaded_span_offers_a_neutral_choice():
    student = Annotation(DOC)
    item = by_where(score(student, KEY, TEXT))['"liberated" (s01)']
    assert item.status == "missed"
    assert WHY_LIBERATED in item.message
    assert "a neutral choice: took control of" in item.message


def test_extra_mark_says_the_key_does_not_mark_it_and_asks_the_devices_question():
    item = by_where(score(STUDENT, KEY, TEXT))['"Monday" (s01)']
    assert item.status == "extra"
    assert "key does not mark" in item.message
    assert "(you marked it as speculation)" in item.message
    assert "Ask yourself: How could the writer know this? Where is the evidence?" in item.message


def test_accepted_kind_names_the_preferred_kind_and_why():
    item = by_where(score(STUDENT, KEY, TEXT))["s02"]
    assert item.status == "accepted"
    assert "attributed" in item.message and "It tells us that officials say it." in item.message


def test_sentence_ids_the_key_lacks_are_ignored_but_noted():
    result = score(STUDENT, KEY, TEXT)
    without = score(dataclasses.replace(STUDENT, labels=STUDENT.labels[:3]), KEY, TEXT)
    assert result.kinds == without.kinds and result.kappa == without.kappa
    assert "s09" in by_where(result)["s09"].message


def test_one_item_per_key_sentence_key_span_and_extra_mark():
    result = score(STUDENT, KEY, TEXT)
    kinds = [i for i in result.items if i.part == "kinds"]
    spans = [i for i in result.items if i.part == "devices"]
    assert len(kinds) == len(KEY.labels) + 1  # plus the unknown s09
    assert len(spans) == len(KEY.spans) + 1  # plus "Monday"


# --- agreement --------------------------------------------------------------------------


def test_kappa_against_the_key_counts_accepted_kinds_as_the_keys():
    # annotator (accepted -> key's kind): fact, attributed, fact, untagged
    # key:                                 fact, attributed, attributed, opinion
    # observed 2/4; chance = (2*1 + 1*2 + 1*0) / 16 = 4/16; kappa = (8 - 4) / (16 - 4) = 1/3
    assert score(STUDENT, KEY, TEXT).kappa == pytest.approx(1 / 3)


def test_cohen_kappa_matches_the_textbook_example():
    # 50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> p_o 0.7, p_e 0.5, kappa 0.4
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(["x", "y"], ["y", "x"]) == -1.0
    assert cohen_kappa(["x", "x"], ["x", "x"]) == 1.0


def test_cohen_kappa_rejects_unequal_lengths():
    with pytest.raises(FramelabError):
        cohen_kappa(["a"], ["a", "b"])


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example: 0.743
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_krippendorff_alpha_matches_the_published_example():
    units = [
        {c: row[u] for c, row in zip("ABCD", KRIPPENDORFF_2011, strict=True)} for u in range(12)
    ]
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


def test_alpha_is_one_when_everyone_agrees_on_one_value():
    assert krippendorff_alpha([{"a": "x", "b": "x"}, {"a": "x", "c": "x"}]) == 1.0


def test_alpha_needs_a_unit_with_two_values():
    with pytest.raises(FramelabError):
        krippendorff_alpha([{"a": "x", "b": None}, {"c": "y"}])


def test_class_alpha_uses_kinds_by_sentence_and_untagged_as_missing():
    a = Annotation(DOC, (Label("s01", "fact"), Label("s02", "opinion")))
    b = Annotation(DOC, (Label("s01", "fact"), Label("s02", "opinion"), Label("s03", "fact")))
    c = Annotation(DOC, (Label("s01", "fact"), Label("s02", None)))
    assert class_alpha([a, b, c]) == 1.0
    d = Annotation(DOC, (Label("s01", "opinion"), Label("s02", "fact")))
    # units s01 {fact, opinion}, s02 {opinion, fact}: the -0.5 of the docstring
    assert class_alpha([a, d]) == -0.5


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=1, max_size=12),
        min_size=2,
        max_size=5,
    )
)
def test_alpha_agrees_with_the_krippendorff_package(rows):
    width = min(len(row) for row in rows)
    rows = [row[:width] for row in rows]
    units = [{str(c): row[u] for c, row in enumerate(rows)} for u in range(width)]
    pairable = [
        v
        for unit in units
        if sum(x is not None for x in unit.values()) >= 2
        for v in unit.values()
        if v is not None
    ]
    assume(len(set(pairable)) >= 2)
    data = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha(units) == pytest.approx(expected, abs=1e-9)


# --- points, feedback, grade ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fraction", "max_points", "expected"),
    [
        (0.445, 4, 1.78),
        (0.3333, 3, 1.0),  # 0.9999 rounds up; cutting to 2 decimals would give 0.99
        (0.6666, 3, 2.0),  # 1.9998
        (0.12345, 10, 1.23),  # 1.2345 rounds down; unrounded stays 1.2345, rounding up 1.24
        (0.994, 1, 0.99),
        (0.996, 1, 1.0),
        (1.5, 2, 2.0),  # the fraction is clamped to 1: unclamped it would be 3.0
        (7, 3, 3.0),  # unclamped 21.0
        (-0.5, 2, 0.0),  # clamped to 0: unclamped -1.0
        (-0.2, 3, 0.0),
        (1.0, 0.335, 0.335),  # round(0.335, 2) is 0.34, above the maximum: the maximum
        (0.999, 0.335, 0.33),  # 0.334665 rounds down, below the maximum
        (np.float64(0.5), 2, 1.0),
        (1, 3, 3.0),
    ],
)
def test_points_clamp_the_fraction_then_round_to_two_decimals(fraction, max_points, expected):
    earned = points(fraction, max_points)
    assert type(earned) is float  # not numpy's float64: nbgrader stores it as it is
    assert earned == expected


@pytest.mark.parametrize(("fraction", "max_points"), [(math.nan, 3), (0.5, 0), (0.5, -1), ("x", 1)])
def test_points_rejects_nan_and_non_positive_maximum(fraction, max_points):
    with pytest.raises(FramelabError):
        points(fraction, max_points)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(allow_nan=False),
    st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False),
)
def test_points_never_exceed_the_maximum(fraction, max_points):
    earned = points(fraction, max_points)
    assert type(earned) is float and 0.0 <= earned <= max_points


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False),
)
def test_points_of_a_fraction_in_range_are_its_share_in_hundredths(fraction, max_points):
    earned = points(fraction, max_points)
    assert abs(earned - fraction * max_points) <= 0.005 + 1e-9  # rounded, never clamped
    assert earned == max_points or earned * 100 == pytest.approx(round(earned * 100), abs=1e-6)


def test_summary_lines_count_kinds_and_spans():
    lines = feedback_lines(score(STUDENT, KEY, TEXT), reveal=False)
    assert lines[0] == "Sentence kinds: 2 of 4 right (50%)"
    # "not ready" has the key's words (s03's "was not ready") and another device: it is
    # said as such, not counted as a mark the key leaves unmarked
    assert (
        "Devices: you found 3 of the 9 phrases the key marks. Of your 5 marks, 1 has the "
        "key's words but another device, and 1 is on words the key leaves unmarked."
    ) in lines
    assert "  loaded: found 2 of 3; you marked 3" in lines
    # students read these lines: plain counts, no F1 and no "key spans"
    for part in ("kinds", "devices", "all"):
        for reveal in (True, False):
            printed = "\n".join(feedback_lines(score(STUDENT, KEY, TEXT), part=part, reveal=reveal))
            assert "F1" not in printed and "key span" not in printed


def test_revealed_feedback_explains_every_item_that_is_not_right():
    lines = feedback_lines(score(STUDENT, KEY, TEXT), part="all", reveal=True)
    text = "\n".join(lines)
    assert "It tells us that officials say it." in text  # s02 accepted
    assert WHY_LIBERATED in text  # found, and still explained
    assert "a neutral choice: took control of" in text
    assert not any(line.startswith("s01:") for line in lines)  # right: nothing to explain


@pytest.mark.parametrize("part", ["kinds", "devices", "all"])
def test_hidden_feedback_leaks_no_why_and_no_span_text(part):
    student = Annotation(DOC, (Label("s04", "fact"),), (mark("Monday", "loaded"),))
    for who in (student, STUDENT, Annotation(DOC)):
        printed = "\n".join(feedback_lines(score(who, KEY, TEXT), part=part, reveal=False))
        for secret in WHYS + KEY_SPAN_TEXTS + list(SENTENCES) + ["took control of"]:
            assert secret not in printed


def test_feedback_rejects_an_unknown_part():
    with pytest.raises(FramelabError):
        feedback_lines(score(KEY, KEY, TEXT), part="everything")


@pytest.mark.parametrize(("part", "expected"), [("kinds", 2.0), ("devices", 1.56), ("all", 1.78)])
def test_grade_prints_to_stdout_only_and_returns_points(capsys, part, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        earned = grade(STUDENT, KEY, TEXT, part=part, max_points=4)
    out, err = capsys.readouterr()
    assert err == ""
    assert out.strip()
    assert type(earned) is float and earned == expected
    for secret in WHYS:
        assert secret not in out


def test_grade_with_reveal_prints_the_reasons(capsys):
    grade(STUDENT, KEY, TEXT, part="devices", max_points=2, reveal=True)
    out, err = capsys.readouterr()
    assert err == "" and "the key calls it speculation" in out


# --- malformed input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        dataclasses.replace(STUDENT, document="other"),
        Annotation(DOC, spans=(Span(-1, 3, "loaded"),)),
        Annotation(DOC, spans=(Span(5, len(TEXT) + 1, "loaded"),)),
        Annotation(DOC, spans=(Span(5, 5, "loaded"),)),
        Annotation(DOC, spans=(Span(5, 2, "loaded"),)),
        Annotation(DOC, spans=(Span(0, 3, "propaganda"),)),
        Annotation(DOC, spans=(Span(0.0, 3, "loaded"),)),  # type: ignore[arg-type]
        Annotation(DOC, (Label("s01", "rumour"),)),
        Annotation(DOC, (Label("s01", "fact"), Label("s01", "opinion"))),
        Annotation(DOC, ("s01",)),  # type: ignore[arg-type]
        None,
        "annotation.json",
        {"document": DOC, "sentences": [], "spans": []},
    ],
)
def test_malformed_answers_raise_framelab_error(bad):
    with pytest.raises(FramelabError):
        score(bad, KEY, TEXT)
    with pytest.raises(FramelabError):
        score(KEY, bad, TEXT)


def test_text_that_is_not_a_string_raises_framelab_error():
    with pytest.raises(FramelabError):
        score(KEY, KEY, None)  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------------------

TOKENS = tokens(TEXT)


@st.composite
def char_spans(draw, max_size: int = 8) -> list[Span]:
    """Any spans inside TEXT, edges anywhere."""
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        start = draw(st.integers(0, len(TEXT) - 1))
        end = draw(st.integers(start + 1, min(len(TEXT), start + 40)))
        out.append(Span(start, end, draw(st.sampled_from(DEVICES))))
    return out


@st.composite
def word_spans(draw, min_size: int = 0, max_size: int = 8) -> list[Span]:
    """Spans from a word to a later word, so they never trim to nothing."""
    words = [i for i, (a, b) in enumerate(TOKENS) if TEXT[a:b].isalnum()]
    out = []
    for _ in range(draw(st.integers(min_size, max_size))):
        first = draw(st.sampled_from(words))
        last = draw(st.sampled_from([w for w in words if first <= w <= first + 5]))
        out.append(Span(TOKENS[first][0], TOKENS[last][1], draw(st.sampled_from(DEVICES))))
    return out


@st.composite
def annotations(draw) -> Annotation:
    chosen = draw(st.lists(st.sampled_from((*IDS, "s05")), unique=True))
    labels = tuple(Label(s, draw(st.sampled_from((*KINDS, None)))) for s in chosen)
    return Annotation(DOC, labels, tuple(draw(char_spans())))


@st.composite
def keys(draw, min_sentences: int = 0, min_spans: int = 0) -> Annotation:
    chosen = draw(st.lists(st.sampled_from(IDS), unique=True, min_size=min_sentences))
    labels = []
    for sid in chosen:
        kind = draw(st.sampled_from(KINDS))
        accept = draw(st.lists(st.sampled_from([k for k in KINDS if k != kind]), unique=True))
        labels.append(Label(sid, kind, tuple(accept), why=f"because {sid}"))
    spans = [
        dataclasses.replace(span, why="a reason", neutral="plain")
        for span in draw(word_spans(min_size=min_spans))
    ]
    return Annotation(DOC, tuple(labels), tuple(spans))


def fractions_of(result: scoring.Score) -> list[float]:
    spans = [result.spans, *result.devices.values()]
    return [result.kinds, result.overall] + [
        x for s in spans for x in (s.precision, s.recall, s.f1)
    ]


@settings(max_examples=150, deadline=None)
@given(annotations(), keys())
def test_every_score_lies_between_zero_and_one(annotation, key):
    result = score(annotation, key, TEXT)
    assert all(0.0 <= x <= 1.0 for x in fractions_of(result))
    assert -1.0 <= result.kappa <= 1.0


@settings(max_examples=100, deadline=None)
@given(keys())
def test_any_key_scores_one_against_itself(key):
    result = score(key, key, TEXT)
    assert (result.kinds, result.spans.f1, result.overall, result.kappa) == (1.0, 1.0, 1.0, 1.0)


@settings(max_examples=100, deadline=None)
@given(keys(min_sentences=1, min_spans=1))
def test_empty_answers_score_zero(key):
    result = score(Annotation(DOC), key, TEXT)
    assert result.overall == 0.0
    assert grade(Annotation(DOC), key, TEXT, part="all", max_points=3) == 0.0


@settings(max_examples=100, deadline=None)
@given(annotations(), keys(), st.randoms(use_true_random=False))
def test_order_of_spans_and_labels_changes_nothing(annotation, key, random):
    def shuffled(a: Annotation) -> Annotation:
        labels, spans = list(a.labels), list(a.spans)
        random.shuffle(labels)
        random.shuffle(spans)
        return dataclasses.replace(a, labels=tuple(labels), spans=tuple(spans))

    assert score(shuffled(annotation), shuffled(key), TEXT) == score(annotation, key, TEXT)


def _wrong_document(a: Annotation, n: int) -> Annotation:
    return dataclasses.replace(a, document=f"other-{n}")


def _outside(a: Annotation, n: int) -> Annotation:
    bad = [Span(-1 - n, 2, "loaded"), Span(3, len(TEXT) + 1 + n, "loaded"), Span(n, n, "loaded")]
    return dataclasses.replace(a, spans=(*a.spans, bad[n % 3]))


def _unknown_device(a: Annotation, n: int) -> Annotation:
    return dataclasses.replace(a, spans=(*a.spans, Span(0, 3, f"device-{n}")))


def _not_an_annotation(a: Annotation, n: int) -> object:
    return [None, a.to_dict(), n, "demo", a.labels][n % 5]


@settings(max_examples=100, deadline=None)
@given(
    annotations(),
    st.sampled_from([_wrong_document, _outside, _unknown_device, _not_an_annotation]),
    st.integers(0, 50),
    st.booleans(),
)
def test_malformed_input_raises_framelab_error_and_nothing_else(annotation, corrupt, n, as_key):
    bad = corrupt(annotation, n)
    args = (KEY, bad) if as_key else (bad, KEY)
    try:
        score(*args, TEXT)
    except FramelabError as error:
        assert str(error) and "\n" not in str(error)
    else:
        pytest.fail("malformed input was accepted")


# --- the module itself ----------------------------------------------------------------


def test_docstring_examples_run():
    for module in (scoring, agreement, feedback):
        assert doctest.testmod(module).failed == 0


def test_importing_scoring_does_not_import_numpy():
    code = "import sys, framelab.grading.scoring; print('numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_with_no_marks_the_device_line_says_so_plainly():
    lines = feedback_lines(score(Annotation(DOC), KEY, TEXT), part="devices", reveal=False)
    assert lines[0] == "Devices: you found 0 of the 9 phrases the key marks. You marked no phrases."
