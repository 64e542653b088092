"""Watching files for opens with Linux inotify, to show that the grader never reads
what a student's link points to (tests only; ctypes, no dependency)."""

from __future__ import annotations

import ctypes
import os
import struct
from pathlib import Path

IN_ACCESS = 0x001
IN_OPEN = 0x020


class OpenWatch:
    """Records every open or read of the files in ``folders`` (not in sub-folders)
    by any process, from the moment it is made until :meth:`events`."""

    def __init__(self, *folders: Path) -> None:
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self._names: dict[int, Path] = {}
        for folder in folders:
            wd = self._libc.inotify_add_watch(self._fd, str(folder).encode(), IN_OPEN | IN_ACCESS)
            if wd < 0:
                raise OSError(ctypes.get_errno(), f"inotify_add_watch {folder}")
            self._names[wd] = folder

    def events(self) -> list[str]:
        """What was opened or read since the watch began ("folder/name: open")."""
        found = []
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                break
            offset = 0
            while offset < len(data):
                wd, mask, _, size = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16 : offset + 16 + size].rstrip(b"\0").decode()
                offset += 16 + size
                what = "open" if mask & IN_OPEN else "read"
                found.append(f"{self._names.get(wd)}/{name}: {what}")
        return found

    def close(self) -> None:
        os.close(self._fd)
