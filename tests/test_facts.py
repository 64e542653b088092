"""Fact alignments and the fact-by-version chart."""

from __future__ import annotations

import copy
import json
import re

import pytest

from framelab.teach.plots import USE_STYLE, fact_matrix
from framelab.texts.facts import fact_sheet_from_dict, load_facts
from framelab.texts.model import FramelabError
from framelab.texts.validate import validate_paths

from .conftest import DATASETS, SEED

SHEET = {
    "topic": "demo",
    "facts": [
        {
            "id": "F01",
            "label": "City taken",
            "statement": "Rebels took the city on Friday.",
            "date": "2024-11-29",
            "sources": ["Wire A"],
            "status": "confirmed",
        },
        {
            "id": "F02",
            "label": "Nobody resisted",
            "statement": "Nobody resisted the rebels.",
            "date": "2024-11-29",
            "sources": ["Wire B"],
            "status": "false as stated",
        },
        {
            "id": "F03",
            "label": "Toll unclear",
            "statement": "Death tolls differ by source.",
            "date": "2024-11-30",
            "sources": ["Wire A", "Wire B"],
            "status": "disputed",
        },
    ],
    "versions": {
        "one": {
            "F01": {"use": "states", "sentences": ["s02"]},
            "F02": {"use": "distorts", "sentences": ["s03"], "note": "Overstates."},
            "F03": {"use": "omits", "sentences": []},
        },
        "two": {
            "F01": {"use": "states", "sentences": ["s02", "s04"]},
            "F02": {"use": "omits", "sentences": []},
            "F03": {"use": "states", "sentences": ["s05"]},
        },
    },
}


def test_a_fact_sheet_counts_each_versions_uses():
    sheet = fact_sheet_from_dict(SHEET)
    assert sheet.counts("one") == {"states": 1, "distorts": 1, "omits": 1}
    assert sheet.counts("two") == {"states": 2, "distorts": 0, "omits": 1}
    assert sheet.fact("F02").status == "false as stated"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["versions"]["one"]["F02"].pop("note"),
            "versions.one.F02: must contain \\['note'\\] properties",
        ),
        (
            lambda d: d["versions"]["one"]["F03"].update(sentences=["s01"]),
            "versions.one.F03.sentences: \\['s01'\\] must contain less than or equal to 0 items",
        ),
        (
            lambda d: d["facts"][0].update(status="true"),
            "facts\\[0\\].status: 'true' must be one of",
        ),
    ],
)
def test_malformed_sheets_raise_a_clear_error(change, message):
    data = copy.deepcopy(SHEET)
    change(data)
    with pytest.raises(FramelabError, match=message):
        fact_sheet_from_dict(data, "facts/demo.json")


def test_matrix_draws_one_marker_per_fact_and_version_with_labels():
    chart = fact_matrix(fact_sheet_from_dict(SHEET), titles={"one": "First", "two": "Second"})
    (ax,) = chart.figure.axes
    assert repr(chart) == (
        "Chart of 3 facts by version. First states 1, distorts 1, omits 1; "
        "Second states 2, distorts 0, omits 1."
    )
    assert chart._repr_mimebundle_()["image/png"].startswith(b"\x89PNG")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["First", "Second"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "F01 City taken",
        "F02 Nobody resisted [false]",
        "F03 Toll unclear",
    ]
    points = {}
    for collection in ax.collections:
        label = collection.get_label()
        for x, y in collection.get_offsets():
            points[(int(x), int(y))] = collection
        if not label.startswith("_"):
            assert label in {style["label"] for style in USE_STYLE.values()}
    assert len(points) == 6  # every cell has a marker
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["states it", "distorts it", "leaves it out"]
    uses = {"states": [(0, 0), (1, 0), (1, 2)], "distorts": [(0, 1)], "omits": [(0, 2), (1, 1)]}
    for use, cells in uses.items():
        for cell in cells:
            colour = points[cell].get_facecolor()[0] if use != "omits" else None
            if colour is not None:
                from matplotlib.colors import to_rgba

                assert tuple(colour) == pytest.approx(to_rgba(USE_STYLE[use]["color"]))


def test_matrix_refuses_a_version_without_alignment():
    with pytest.raises(FramelabError, match="no alignment for three"):
        fact_matrix(fact_sheet_from_dict(SHEET), ["one", "three"])


def test_validate_checks_sentence_ids_and_missing_facts(tmp_path):
    root = tmp_path / "datasets"
    (root / "facts").mkdir(parents=True)
    (root / "articles").symlink_to(DATASETS / "articles")
    data = {
        "topic": "demo",
        "facts": SHEET["facts"],
        "versions": {
            SEED: {
                "F01": {"use": "states", "sentences": ["s02", "s77"]},
                "F02": {"use": "omits", "sentences": []},
                "F09": {"use": "omits", "sentences": []},
            }
        },
    }
    path = root / "facts" / "demo.json"
    path.write_text(json.dumps(data))
    lines = [str(p) for p in validate_paths([path])]
    assert any(f"versions.{SEED}.F03: missing" in line for line in lines)
    assert any(f"versions.{SEED}.F09: no such fact" in line for line in lines)
    assert any(f"{SEED} has no sentence s77" in line for line in lines)
    assert len(lines) == 3


def test_the_aleppo_alignment_records_where_the_seed_distorts():
    sheet = load_facts("aleppo", DATASETS)
    assert len(sheet.facts) >= 20
    seed = sheet.versions[SEED]
    # complete control on 29 Nov, no resistance, al-Safira's direction, when Peskov spoke
    for fact_id, sentence in [("F09", "s09"), ("F10", "s10"), ("F13", "s12"), ("F14", "s19")]:
        assert seed[fact_id].use == "distorts" and sentence in seed[fact_id].sentences
    assert {"confirmed", "disputed", "false as stated"} <= {f.status for f in sheet.facts}


def test_a_partly_confirmed_fact_is_accepted_and_marked_in_the_chart():
    data = copy.deepcopy(SHEET)
    data["facts"][0]["status"] = "partly confirmed"
    chart = fact_matrix(fact_sheet_from_dict(data))
    (ax,) = chart.figure.axes
    assert ax.get_yticklabels()[0].get_text() == "F01 City taken [partly]"


def test_the_aleppo_facts_are_frozen_at_1_december_and_say_so():
    sheet = load_facts("aleppo", DATASETS)
    assert "1 December 2024" in sheet.topic
    assert {"F13", "F26"} <= {f.id for f in sheet.facts if f.status == "partly confirmed"}
    for fact in sheet.facts:
        assert fact.date <= "2024-12-01", fact.id
        # the kit's own voice uses the neutral verbs it teaches
        for verb in ("admit", "acknowledg", "conced"):
            assert verb not in (fact.label + fact.statement).lower(), fact.id


BULLETIN_NOTES = DATASETS.parent / "docs" / "answers" / "aleppo-evening-bulletin.md"


def _bulletin_table(notes: str) -> dict[str, str]:
    """Exercise 05's fact-by-fact table, from the instructors' answer notes (the bulletin is
    kept out of the public fact list): each entry's id and what the bulletin does with it."""
    rows = re.findall(r"^\| (F\d\d) [^|]*\| \**(states|distorts|leaves out)\** \|", notes, re.M)
    return dict(rows)


def test_exercise_05s_keyed_answers_follow_the_bulletins_fact_table():
    """The short questions are keyed by hand and the table is adjudicated apart (a blind
    alignment moved F09): if either changes so that they disagree, this says so first."""
    notes = BULLETIN_NOTES.read_text()
    table = _bulletin_table(notes)
    facts = load_facts("aleppo", DATASETS)
    assert sorted(table) == sorted(f.id for f in facts.facts)
    counts = {
        use: sum(v == use for k, v in table.items() if k != "F27") for use in set(table.values())
    }
    assert (
        f"states {counts['states']}, distorts {counts['distorts']}, "
        f"leaves out {counts['leaves out']}" in notes
    )
    sheet = json.loads((DATASETS / "items" / "05-same-facts-different-frames.json").read_text())
    key = json.loads(
        (DATASETS / "keys" / "items" / "05-same-facts-different-frames.json").read_text()
    )
    items = {item["id"]: item for item in sheet["items"]}

    def fact_of(item: str) -> dict[str, str]:
        return {o["id"]: o["text"].split(":")[0] for o in items[item]["options"]}

    options = fact_of("bulletin-leaves-out")
    left_out = sorted(o for o, fact in options.items() if table[fact] == "leaves out")
    assert key["items"]["bulletin-leaves-out"]["answer"] == left_out
    options = fact_of("half-a-fact")
    assert [o for o, fact in options.items() if table[fact] == "distorts"] == [
        key["items"]["half-a-fact"]["answer"]
    ]
    # question 4 says all four of its facts are left out, and question 1 names none of them
    assert {table[fact] for fact in fact_of("put-it-back").values()} == {"leaves out"}
    assert not set(fact_of("put-it-back").values()) & set(fact_of("bulletin-leaves-out").values())
