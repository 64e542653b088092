"""What a student's submission may hold, read without following links.

A submission is plain files and folders owned by its student. Everything that
reads one as the instructor (collecting from the exchange, autograding, the class
report) reads it through :func:`read_tree`, which never follows a link, opens every
entry relative to its folder's open descriptor (so a rename while it reads cannot
swap in another folder), checks each entry's owner on what it opened, and reads no
more than a size limit. What it will not read is listed with the reason, so the
caller can refuse it and say why.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "answers").mkdir()
>>> _ = (folder / "answers" / "a.json").write_text("{}")
>>> (folder / "key.html").symlink_to("/etc/passwd")
>>> tree = read_tree(folder)
>>> sorted(tree.files)
['answers/a.json']
>>> [(e.path, e.problem) for e in tree.refused]
[('key.html', 'is a link (to /etc/passwd), not a file')]
"""

from __future__ import annotations

import os
import pwd
import stat
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_TOTAL_BYTES",
    "Entry",
    "Tree",
    "owner_name",
    "read_tree",
    "write_tree",
]

# No file the kit writes comes near this: an answers file is a few KB, an exercise
# notebook with its widgets well under 1 MB. nbgrader_config.py sets nbgrader's own
# CourseDirectory.max_file_size to the same, so `nbgrader submit` leaves such a file out.
MAX_FILE_BYTES = 10_000_000
MAX_TOTAL_BYTES = 50_000_000  # all the files of one submission together
MAX_ENTRIES = 1_000  # files and folders in one submission
MAX_DEPTH = 12

_OPEN_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: should a fifo appear under a name between the look and the open, the
# open returns at once (and fstat says it is no file) instead of waiting for a writer.
_OPEN_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


@dataclass(frozen=True)
class Entry:
    """One file or folder of a submission, as it was opened."""

    path: str  # relative to the submission, "/"-separated ("" for the folder itself)
    is_dir: bool
    size: int
    uid: int
    ctime: float  # last change of the entry (set by the kernel; no user can set it back)
    problem: str | None = None  # why it is not read; None for a plain file or folder


@dataclass
class Tree:
    """A submission as read: every entry, and the content of every plain file."""

    entries: list[Entry] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Bytes read so far."""
        return sum(len(content) for content in self.files.values())

    @property
    def refused(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.problem]

    @property
    def last_change(self) -> float:
        """The latest change time of anything in the submission (0 when empty)."""
        return max((entry.ctime for entry in self.entries), default=0.0)

    def problem(self, path: str) -> str | None:
        """Why ``path`` was not read, or None (read, or not there)."""
        return next((e.problem for e in self.entries if e.path == path and e.problem), None)


def owner_name(uid: int) -> str:
    """The user name of ``uid`` (the number itself when no user has it)."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def read_tree(
    folder: str | os.PathLike[str],
    *,
    dir_fd: int | None = None,
    owner: int | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    only: tuple[str, ...] | None = None,
) -> Tree:
    """Read the submission ``folder`` (a name relative to ``dir_fd`` when given)
    without following links.

    Plain files (regular, owned by ``owner`` when given, at most ``max_file_bytes``)
    are read into ``Tree.files``; a link, device, fifo or socket, a file or folder
    owned by someone else, or a file past the limit is listed in ``Tree.refused``
    with the reason and not read. ``only`` limits the reading to these names at the
    top of the folder. Raises OSError when ``folder`` itself cannot be opened as a
    folder: it is missing, a link, or not a folder.
    """
    tree = Tree()
    top = os.open(folder, _OPEN_DIR, dir_fd=dir_fd)
    try:
        info = os.fstat(top)
        foreign = owner is not None and info.st_uid != owner
        tree.entries.append(_entry("", info, _foreign(info.st_uid, owner) if foreign else None))
        if foreign:
            return tree
        _read_folder(top, "", 0, tree, owner, max_file_bytes, only)
    finally:
        os.close(top)
    return tree


def _read_folder(
    fd: int,
    prefix: str,
    depth: int,
    tree: Tree,
    owner: int | None,
    limit: int,
    only: tuple[str, ...] | None = None,
) -> None:
    for name in sorted(os.listdir(fd)):
        if only is not None and name not in only:
            continue
        path = prefix + name
        if len(tree.entries) >= MAX_ENTRIES:
            tree.entries.append(
                Entry(path, False, 0, -1, 0.0, f"is past the limit of {MAX_ENTRIES} files")
            )
            return
        try:
            seen = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            continue  # removed while we read: not part of the submission
        mode = seen.st_mode
        if stat.S_ISLNK(mode):
            try:
                target = os.readlink(name, dir_fd=fd)
            except OSError:
                target = "?"
            tree.entries.append(_entry(path, seen, f"is a link (to {target}), not a file"))
        elif stat.S_ISDIR(mode):
            _read_child_folder(fd, name, path, seen, depth, tree, owner, limit)
        elif stat.S_ISREG(mode):
            _read_file(fd, name, path, seen, tree, owner, limit)
        else:
            tree.entries.append(_entry(path, seen, f"is {_special(mode)}, not a file"))


def _read_child_folder(
    fd: int,
    name: str,
    path: str,
    seen: os.stat_result,
    depth: int,
    tree: Tree,
    owner: int | None,
    limit: int,
) -> None:
    if depth + 1 > MAX_DEPTH:
        tree.entries.append(_entry(path, seen, f"is nested deeper than {MAX_DEPTH} folders"))
        return
    child = _open(fd, name, path, seen, _OPEN_DIR, tree, owner)
    if child is None:
        return
    try:
        tree.entries.append(_entry(path, os.fstat(child), None))
        _read_folder(child, path + "/", depth + 1, tree, owner, limit)
    finally:
        os.close(child)


def _read_file(
    fd: int,
    name: str,
    path: str,
    seen: os.stat_result,
    tree: Tree,
    owner: int | None,
    limit: int,
) -> None:
    if seen.st_size > limit:
        tree.entries.append(_entry(path, seen, _too_large(seen.st_size, limit)))
        return
    handle = _open(fd, name, path, seen, _OPEN_FILE, tree, owner)
    if handle is None:
        return
    try:
        info = os.fstat(handle)
        problem = None
        if tree.size + info.st_size > MAX_TOTAL_BYTES:
            problem = f"takes the submission past the {MAX_TOTAL_BYTES / 1e6:g} MB it may hold"
        else:
            content = _read_at_most(handle, limit + 1)
            if len(content) > limit:
                problem = _too_large(len(content), limit)
            else:
                tree.files[path] = content
        tree.entries.append(_entry(path, info, problem))
    finally:
        os.close(handle)


def _open(
    fd: int,
    name: str,
    path: str,
    seen: os.stat_result,
    flags: int,
    tree: Tree,
    owner: int | None,
) -> int | None:
    """Open ``name`` (in folder ``fd``) without following a link, and check that what
    was opened is what was looked at and belongs to ``owner``; on a problem, record it
    in ``tree`` and return None."""
    try:
        handle = os.open(name, flags, dir_fd=fd)
    except OSError as error:
        tree.entries.append(_entry(path, seen, f"cannot be opened ({error.strerror})"))
        return None
    info = os.fstat(handle)
    problem = None
    if (info.st_ino, info.st_dev, stat.S_IFMT(info.st_mode)) != (
        seen.st_ino,
        seen.st_dev,
        stat.S_IFMT(seen.st_mode),
    ):
        problem = "changed while it was being read"
    elif owner is not None and info.st_uid != owner:
        problem = _foreign(info.st_uid, owner)
    if problem is not None:
        tree.entries.append(_entry(path, info, problem))
        os.close(handle)
        return None
    return handle


def _read_at_most(handle: int, count: int) -> bytes:
    chunks, left = [], count
    while left > 0:
        chunk = os.read(handle, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _entry(path: str, info: os.stat_result, problem: str | None) -> Entry:
    return Entry(
        path, stat.S_ISDIR(info.st_mode), info.st_size, info.st_uid, info.st_ctime, problem
    )


def _foreign(uid: int, owner: int | None) -> str:
    return f"belongs to {owner_name(uid)}, not to {owner_name(owner)}"


def _too_large(size: int, limit: int) -> str:
    return f"is {size / 1e6:.1f} MB, more than the {limit / 1e6:g} MB a submitted file may be"


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def write_tree(tree: Tree, folder: Path) -> None:
    """Make ``folder`` hold exactly the plain files and folders of ``tree``,
    removing anything else in it. Nothing in ``folder`` is followed: a link found
    there is removed, not its target."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted_dirs = {e.path for e in tree.entries if e.is_dir and not e.problem}
    for parent, folders, names in os.walk(folder, topdown=False):
        for name in names + folders:  # deepest first: a folder is empty when its turn comes
            path = Path(parent) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                path.unlink()
            elif path.is_dir():
                if relative not in wanted_dirs:
                    path.rmdir()
            elif relative not in tree.files:
                path.unlink()
    for name in sorted(wanted_dirs - {""}):  # empty folders too
        (folder / name).mkdir(parents=True, exist_ok=True)
    for name, content in tree.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != content:
            target.write_bytes(content)
