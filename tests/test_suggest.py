"""Machine suggestions, their evaluation, and the route from a teacher's article to an exercise."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from framelab.cli import main
from framelab.machine.evaluate import baseline, evaluate, splits, suggester
from framelab.machine.suggest import expand_sets, load_lexicon, suggest, suggest_text
from framelab.texts.corpus import document_from_text, load_document
from framelab.texts.model import Annotation, FramelabError

from .conftest import DATASETS, ROOT

ARTICLE = (
    "Town library to close on Sundays\n\n"
    "The Millford town library will close on Sundays from March, the council said on Monday.\n\n"
    "Councillors claimed the change would save 40,000 pounds a year. Critics say the decision "
    'is "a disaster for families".\n\n'
    "The library opened in 1962. This is surely a shameful decision.\n"
)


def test_each_sentence_gets_a_kind_and_a_reason():
    found = suggest_text(ARTICLE)
    kinds = [(s.text[:25], s.kind) for s in found.sentences]
    assert kinds == [
        ("Town library to close on ", "fact"),  # a headline that claims (the guide's K6)
        ("The Millford town library", "attributed"),
        ("Councillors claimed the c", "attributed"),
        ("Critics say the decision ", "attributed"),
        ("The library opened in 196", "fact"),
        ("This is surely a shameful", "opinion"),
    ]
    assert all(s.reasons for s in found.sentences)


def test_spans_have_reasons_and_quoted_words_are_left_to_their_source():
    found = suggest_text(ARTICLE)
    spans = {(s.text, s.device) for s in found.spans}
    assert ("claimed", "verb-bias") in spans
    assert ("surely", "intensifier") in spans and ("shameful", "loaded") in spans
    assert ("disaster", "loaded") not in spans  # inside the critics' quotation
    claimed = next(s for s in found.spans if s.text == "claimed")
    assert "neutral: 'said'" in claimed.reason


def test_suggestions_are_an_annotation_the_scorer_accepts():
    document = document_from_text(ARTICLE, "demo")
    annotation = suggest(document).annotation()
    assert annotation.annotator == "suggest"
    assert Annotation.from_dict(annotation.to_dict()) == annotation


def test_suggest_json_gives_offsets_into_the_file(tmp_path, capsys):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE)
    assert main(["suggest", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"sentences", "spans"}
    for item in data["sentences"] + data["spans"]:
        assert ARTICLE[item["start"] : item["end"]] == item["text"]
    assert set(data["sentences"][0]) == {"start", "end", "text", "kind", "reasons"}
    assert set(data["spans"][0]) == {"start", "end", "text", "device", "reason"}


def test_suggest_prints_a_readable_report(tmp_path, capsys):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE)
    assert main(["suggest", str(path)]) == 0
    out = capsys.readouterr().out
    assert "s03 [attributed] Councillors claimed" in out
    assert "* verb-bias: 'claimed'" in out and "guesses" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty: there is nothing to suggest"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is not a text file"),
        ("caf\u00e9".encode("latin-1"), "is not UTF-8 text"),
    ],
)
def test_bad_files_get_one_clear_line(tmp_path, capsys, content, message):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    assert main(["suggest", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_an_enormous_file_is_refused_before_it_is_read(tmp_path, capsys):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as stream:
        stream.truncate(25_000_000)
    assert main(["suggest", str(path)]) == 2
    assert "framelab reads articles of at most 20 MB" in capsys.readouterr().err


def test_a_broken_lexicon_is_named(tmp_path):
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps({"devices": {"loaded": [{"pattern": "(unclosed"}]}, "kinds": {}}))
    with pytest.raises(FramelabError, match=r"lexicon entry loaded\[0\]: bad pattern"):
        load_lexicon(str(path))
    path.write_text(json.dumps({"devices": {"spin": []}, "kinds": {}}))
    with pytest.raises(FramelabError, match="unknown devices"):
        load_lexicon(str(path))


def test_heldout_texts_are_kept_apart_from_development():
    split = splits()
    assert len(split["heldout"]) == 13  # issue 17's split; the first six are development now
    assert not set(split["heldout"]) & set(split["dev"])
    assert {"aleppo-2024-11-30", "transfer-wildfire-chile"} <= set(split["dev"])


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_the_suggester_beats_the_textblob_baseline(split):
    ids = splits()[split]
    ours, theirs = evaluate(ids, suggester), evaluate(ids, baseline)
    for figures in (ours, theirs):
        for measure in [*figures.kinds.values(), *figures.devices.values(), figures.spans]:
            assert 0 <= measure.precision <= 1 and 0 <= measure.recall <= 1
    assert ours.kinds_accuracy > theirs.kinds_accuracy + 0.3
    assert ours.spans.f1 > theirs.spans.f1


def test_evaluate_command_reports_both_splits(capsys):
    assert main(["evaluate", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"dev", "heldout"}
    assert set(data["heldout"]) == {"framelab suggest", "TextBlob subjectivity"}


@pytest.mark.slow
def teachers_course(tmp_path, monkeypatch):
    """A teacher's course folder and a copy of the datasets it uses, with an article of
    their own saved as plain text: (datasets, course, article)."""
    datasets = tmp_path / "datasets"
    shutil.copytree(DATASETS, datasets)
    monkeypatch.setenv("FRAMELAB_DATASETS", str(datasets))
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    article = tmp_path / "library.txt"
    article.write_text(ARTICLE)
    return datasets, course, article


def test_a_teachers_article_becomes_a_graded_exercise(tmp_path, monkeypatch, capsys):
    """new-exercise, a draft refused, a person's review, release, autograde."""
    from framelab.instructor.course import nbgrader

    datasets, course, article = teachers_course(tmp_path, monkeypatch)
    ex = "02-library"

    assert main(["new-exercise", str(article), "--id", ex, "--course", str(course)]) == 0
    assert (
        main(["validate", str(datasets / "articles" / ex), str(datasets / "keys" / f"{ex}.json")])
        == 1
    )
    assert main(["release", ex, "--course", str(course)]) == 2
    assert "still a draft" in capsys.readouterr().err

    # a person reviews the key and fills in the metadata and the card
    key_path = datasets / "keys" / f"{ex}.json"
    key = json.loads(key_path.read_text())
    # the draft is the suggester's: its headline claims (K6), so it has a kind, not scored
    headline = key["sentences"][0]
    assert (headline["kind"], headline["scored"]) == ("fact", False)
    assert "K6" in headline["why"]
    draft = suggest(load_document(ex, datasets))
    assert [(s["start"], s["end"], s["device"]) for s in key["spans"]] == [
        (s.start, s.end, s.device) for s in draft.spans
    ]
    key["status"], key["annotator"] = "reviewed", "a teacher"
    for sentence in key["sentences"]:
        sentence["why"] = f"Reviewed: {sentence['kind']} is what this sentence is mainly doing."
    for span in key["spans"]:
        span["why"] = "Reviewed: this wording frames rather than informs."
    key_path.write_text(json.dumps(key))
    meta_path = datasets / "articles" / ex / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update(
        outlet="Millford Gazette (constructed test)",
        licence="CC BY 4.0",
        provenance="Written for this test.",
    )
    meta_path.write_text(json.dumps(meta))
    (datasets / "articles" / ex / "README.md").write_text("# 02-library\n\nA test text.\n")
    assert main(["validate", str(datasets / "articles" / ex), str(key_path)]) == 0

    assert main(["release", ex, "--course", str(course)]) == 0
    released = course / "exercises" / ex / f"{ex}.ipynb"
    assert "grade_cell(" not in released.read_text()
    reviewed = Annotation.load(key_path, kind="key")
    for student, answers in (("perfect", reviewed), ("untouched", None)):
        folder = course / "submitted" / student / ex
        folder.mkdir(parents=True)
        shutil.copy(released, folder)
        if answers is not None:
            (folder / "answers").mkdir()
            (folder / "answers" / f"{ex}.json").write_text(json.dumps(answers.to_dict()))
    graded = nbgrader("autograde", ex, "--create", cwd=course)
    assert graded.returncode == 0, graded.stderr[-2000:]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {
            student: [
                gb.find_grade(cell, ex, ex, student).auto_score
                for cell in ("score_kinds", "score_devices")
            ]
            for student in ("perfect", "untouched")
        }
    assert scores == {"perfect": [5.0, 5.0], "untouched": [0.0, 0.0]}
    notebook = nbformat.read(course / "solutions" / ex / f"{ex}.ipynb", as_version=4)
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def test_factored_patterns_find_exactly_what_the_plain_lexicon_patterns_find():
    """The compiler groups alternatives by first letter and scans lower-cased text for
    speed; on every text of the kit that must change no match."""
    import re

    lexicon = load_lexicon()
    data = json.loads((DATASETS / "lexicons" / "en.json").read_text())
    text = "\n\n".join(p.read_text() for p in sorted((DATASETS / "articles").glob("*/article.txt")))
    sets = data.get("sets", {})
    for category, entries in [*data["devices"].items(), *data["kinds"].items()]:
        patterns = [expand_sets(e["pattern"], sets) for e in entries]
        plain = re.compile(
            r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![\w-])",
            re.IGNORECASE,
        )
        fast = (lexicon.devices.get(category) or lexicon.kinds[category])[0]
        expected = [m.span() for m in plain.finditer(text)]
        assert expected, category
        assert [m.span() for m in fast.finditer(text.lower())] == expected, category


def test_general_lexicon_words_carry_their_figures_and_a_neutral_where_one_is_known():
    found = suggest_text(
        "The plan was dreadful for the glorious old market and its arrogant owners."
    )
    reasons = {s.text: s for s in found.spans}
    assert "VADER valence -1.9 of 4, TextBlob subjectivity 1.0 of 1" in reasons["dreadful"].reason
    assert reasons["dreadful"].neutral == "(say what happened)"  # en.json's table of neutrals
    assert "praises" in reasons["glorious"].reason
    assert reasons["arrogant"].neutral is None  # none known: none offered
    assert found.sentences[0].kind == "opinion"  # a verdict that is the sentence's claim (D1b)


def test_reported_speech_after_a_verb_of_saying_is_the_sources():
    found = suggest_text("The minister said the plants were world-class and the results superb.")
    assert [s.device for s in found.spans] == []
    assert found.sentences[0].kind == "attributed"


def test_rules_for_groups_given_one_mind_and_sweeping_quantifiers():
    found = suggest_text(
        "Drivers are furious about the new lanes. All tenants want lower rents. "
        "Residents say the plan is unfair. Many shoppers fear the change."
    )
    spans = [(s.text, s.device) for s in found.spans]
    assert ("Drivers", "generalization") in spans and ("are furious", "speculation") in spans
    assert ("All tenants", "generalization") in spans
    assert ("Residents", "vague-source") in spans  # a plain "say" does not sweep (D6a)
    assert not any(t.startswith("Residents") and d == "generalization" for t, d in spans)
    assert ("fear", "speculation") in spans  # "many" is not all: no generalization
    assert not any(d == "generalization" and "shoppers" in t for t, d in spans)
    assert [s.kind for s in found.sentences] == ["opinion", "opinion", "attributed", "opinion"]
