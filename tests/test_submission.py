"""Reading a submission without following links: what is read, what is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from framelab.grading import submission
from framelab.grading.submission import MAX_DEPTH, read_tree, write_tree


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    top = tmp_path / "submission"
    (top / "answers").mkdir(parents=True)
    (top / "answers" / "x.json").write_text('{"mine": 1}')
    (top / "x.ipynb").write_text("{}")
    return top


def test_plain_files_are_read_and_nothing_is_refused(folder):
    tree = read_tree(folder)
    assert tree.files == {"answers/x.json": b'{"mine": 1}', "x.ipynb": b"{}"}
    assert tree.refused == []
    assert tree.last_change >= (folder / "x.ipynb").stat().st_ctime


@pytest.mark.parametrize("target", ["/etc/passwd", "../elsewhere", "/dev/zero", "/nonexistent"])
def test_a_link_is_refused_and_never_followed(folder, target):
    (folder / "answers" / "y.json").symlink_to(target)
    tree = read_tree(folder)
    assert "answers/y.json" not in tree.files
    assert tree.problem("answers/y.json") == f"is a link (to {target}), not a file"


def test_a_linked_folder_is_refused_and_its_files_never_read(folder, tmp_path):
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "key.json").write_text("key")
    (folder / "notes").symlink_to(tmp_path / "secret")
    tree = read_tree(folder)
    assert not any(name.startswith("notes") for name in tree.files)
    assert tree.problem("notes").startswith("is a link")


def test_the_submission_folder_itself_may_not_be_a_link(folder, tmp_path):
    (tmp_path / "link").symlink_to(folder)
    with pytest.raises(OSError):
        read_tree(tmp_path / "link")


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(folder):
    os.mkfifo(folder / "answers" / "pipe.json")
    assert read_tree(folder).problem("answers/pipe.json") == "is a named pipe, not a file"


def test_a_file_past_the_limit_is_refused_unread(folder):
    with open(folder / "big.bin", "wb") as stream:
        stream.truncate(2_000)
    tree = read_tree(folder, max_file_bytes=1_000)
    assert "big.bin" not in tree.files
    assert tree.problem("big.bin") == "is 0.0 MB, more than the 0.001 MB a submitted file may be"


def test_files_past_the_total_limit_are_refused(folder, monkeypatch):
    monkeypatch.setattr(submission, "MAX_TOTAL_BYTES", 15)
    (folder / "z.txt").write_text("0123456789")
    tree = read_tree(folder)
    assert "takes the submission past" in tree.problem("z.txt")


def test_folders_nested_too_deep_are_refused(folder):
    deep = folder
    for level in range(MAX_DEPTH + 2):
        deep = deep / f"d{level}"
    deep.mkdir(parents=True)
    tree = read_tree(folder)
    assert any("nested deeper than" in (e.problem or "") for e in tree.refused)


def test_too_many_files_are_refused(folder, monkeypatch):
    monkeypatch.setattr(submission, "MAX_ENTRIES", 3)
    for n in range(5):
        (folder / f"f{n}.txt").write_text("x")
    tree = read_tree(folder)
    assert any("past the limit of 3 files" in (e.problem or "") for e in tree.refused)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another user")
def test_a_file_of_another_user_is_refused(folder):
    os.chown(folder / "answers" / "x.json", 65534, 65534)
    tree = read_tree(folder, owner=os.getuid())
    assert tree.problem("answers/x.json").startswith("belongs to ")
    assert "answers/x.json" not in tree.files


def test_only_reads_just_the_names_asked_for(folder):
    tree = read_tree(folder, only=("answers",))
    assert set(tree.files) == {"answers/x.json"}


def test_write_tree_leaves_exactly_the_plain_files(folder, tmp_path):
    (folder / "key.html").symlink_to("/etc/passwd")
    tree = read_tree(folder)
    out = tmp_path / "out"
    (out / "old").mkdir(parents=True)
    (out / "old" / "stale.txt").write_text("stale")
    (out / "key.html").write_text("the target, as a copy that followed the link would be")
    (out / "gone").symlink_to(tmp_path)
    write_tree(tree, out)
    found = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    assert found == ["answers", "answers/x.json", "x.ipynb"]
    assert tmp_path.exists()  # the link was removed, not what it pointed to
