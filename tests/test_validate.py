"""framelab validate: passes on datasets/, fails with one clear line per problem."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from framelab.cli import main
from framelab.texts.validate import validate_datasets, validate_paths

from .conftest import DATASETS, FIXTURES, SEED

BROKEN = FIXTURES / "broken-keys"


def test_datasets_validate_cleanly():
    assert [str(p) for p in validate_datasets(DATASETS)] == []


def test_cli_exits_zero_on_datasets(capsys):
    assert main(["validate", str(DATASETS)]) == 0
    assert "no problems found" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("fixture", "item", "message"),
    [
        ("bad-offsets.json", "spans[", "offsets 1964-5000 are outside the text (0-2255)"),
        ("unknown-device.json", "spans[", "'spin' is not one of ['loaded', 'intensifier'"),
        ("text-mismatch.json", "spans[", "quoted text 'liberates' does not match the article"),
        (
            "missing-sentence.json",
            "sentences (s10)",
            "missing: 'There was no resistance.' has no kind",
        ),
    ],
)
def test_each_broken_key_gets_one_line_naming_file_item_and_fix(fixture, item, message, capsys):
    path = BROKEN / fixture
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}: {item}")
    assert message in lines[0]


def test_cli_as_a_process_exits_one_and_prints_no_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "framelab.cli", "validate", str(BROKEN / "text-mismatch.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "1 problem(s) in 1 file(s)" in result.stderr


def test_validate_with_no_paths_checks_the_whole_datasets_folder(monkeypatch, capsys):
    monkeypatch.setenv("FRAMELAB_DATASETS", str(DATASETS))
    assert main(["validate"]) == 0


def _copy_datasets(tmp_path):
    root = tmp_path / "datasets"
    shutil.copytree(DATASETS / "articles" / SEED, root / "articles" / SEED)
    (root / "keys").mkdir()
    shutil.copy(DATASETS / "keys" / f"{SEED}.json", root / "keys")
    return root


def test_sentence_list_must_equal_the_segmenters(tmp_path):
    root = _copy_datasets(tmp_path)
    key_path = root / "keys" / f"{SEED}.json"
    key = json.loads(key_path.read_text())
    first = key["sentences"][1]
    first["start"] += 3
    first["text"] = (root / "articles" / SEED / "article.txt").read_text()[
        first["start"] : first["end"]
    ]
    key_path.write_text(json.dumps(key))
    lines = [str(p) for p in validate_datasets(root)]
    assert len(lines) == 1
    assert "differ from the segmenter's 17-147" in lines[0]


def test_draft_key_structure_kind_and_misplaced_span_are_flagged(tmp_path):
    root = _copy_datasets(tmp_path)
    key_path = root / "keys" / f"{SEED}.json"
    key = json.loads(key_path.read_text())
    key["status"] = "draft"
    key["sentences"][0]["kind"] = "fact"  # s01 is the crawler's dateline
    key["spans"].append(
        {
            "start": 140,
            "end": 152,
            "text": key_path.parent.parent.joinpath("articles", SEED, "article.txt").read_text()[
                140:152
            ],
            "device": "intensifier",
            "why": "crosses from one sentence into the next",
        }
    )
    key_path.write_text(json.dumps(key))
    lines = "\n".join(str(p) for p in validate_datasets(root))
    assert "the key is a draft" in lines
    assert "sentences[0] (s01): is a heading, dateline, caption or leftover" in lines
    assert "crosses a sentence boundary" in lines


def test_article_folder_problems_are_named(tmp_path):
    root = _copy_datasets(tmp_path)
    folder = root / "articles" / SEED
    (folder / "README.md").unlink()
    meta = json.loads((folder / "meta.json").read_text())
    meta["id"] = "other"
    meta["constructed"] = "no"
    (folder / "meta.json").write_text(json.dumps(meta))
    lines = [str(p) for p in validate_paths([folder])]
    assert any("README.md: missing; write the article's data card" in line for line in lines)
    assert any("meta.json: constructed: 'no' is not of type 'boolean'" in line for line in lines)
    assert any("is 'other' but the folder is" in line for line in lines)


def test_malformed_json_and_missing_files_are_one_line_each(tmp_path):
    bad = tmp_path / "answers.json"
    bad.write_text("{not json")
    lines = [str(p) for p in validate_paths([bad, tmp_path / "gone.json"])]
    assert lines[0].startswith(f"{bad}: file: not valid JSON (line 1, column 2")
    assert lines[1] == f"{tmp_path / 'gone.json'}: file: does not exist; check the path"


def test_a_students_annotation_file_is_checked_against_its_document(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMELAB_DATASETS", str(DATASETS))
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps(
            {
                "taxonomy": "framelab-1",
                "document": SEED,
                "sentences": [{"id": "s02", "kind": "fact"}, {"id": "s99", "kind": "opinion"}],
                "spans": [{"start": 2250, "end": 2300, "device": "loaded"}],
            }
        )
    )
    lines = [str(p) for p in validate_paths([answers])]
    assert len(lines) == 2
    assert "sentences[1] (s99): aleppo-2024-11-30 has no such sentence" in lines[0]
    assert "spans[0]: offsets 2250-2300 are outside the text" in lines[1]
