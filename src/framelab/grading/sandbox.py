"""Run a student's notebook where it cannot reach the grader's files.

framelab's own exercises never need this: every graded answer is data, scored by
the grader in its own process (:mod:`framelab.grading.autograde`). An exercise with a grade
cell that tests a student's code (``assert add(1, 2) == 3``) does need the code to
run, and nbgrader would run it as the account that grades. Here the notebook's
kernel runs under bubblewrap (Debian's ``bubblewrap``), which gives it:

- a copy of that one submission as its working folder and home, and nothing else
  of the grader's: no course folder, no gradebook, no keys, no other submission;
- the system's and this environment's program files, read-only;
- a private, empty /tmp, its own process, network (no route out), IPC and host
  namespaces, and an unprivileged user id (65534, "nobody") with no capabilities.

The grader drives the kernel from outside (nbclient over a unix socket), so the
kernel's outputs are the only thing that comes back. They are the student's own
cells' results, as in any nbgrader exercise that grades code: a student's code can
still change what its own code-graded cells show, never anyone else's score, and
never a framelab grade cell, which the grader scores from the answers file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from framelab.grading.submission import Tree, write_tree
from framelab.texts.model import FramelabError

__all__ = ["CELL_TIMEOUT", "bwrap_command", "run_in_sandbox"]

CELL_TIMEOUT = 20  # seconds a cell may run before it is interrupted
SANDBOX_UID = 65534
INSIDE = "/submission"


def _bwrap() -> str:
    found = shutil.which("bwrap")
    if found is None:
        raise FramelabError(
            "this exercise has a grade cell that runs the student's code, and framelab runs "
            "it only in a sandbox: install bubblewrap (sudo apt install bubblewrap) and "
            "autograde again. The instructor guide explains why."
        )
    return found


def bwrap_command(work: Path, sockets: Path, command: list[str]) -> list[str]:
    """``command`` wrapped in bubblewrap: ``work`` (a copy of the submission) is its
    folder and home, ``sockets`` (the kernel's connection) the only other folder it
    may write, and nothing of the grader's is visible."""
    import framelab

    package = Path(framelab.__file__).resolve().parent
    read_only = {"/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc"}
    read_only |= {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
    read_only.add(str(package))  # an editable install imports framelab from its checkout
    args = [
        _bwrap(),
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
    ]
    # the private /tmp first: a bind below /tmp (a venv in /tmp, say) must land on top of it
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in sorted(read_only):
        args += ["--ro-bind-try", path, path]
    args += [
        "--bind",
        str(work),
        INSIDE,
        "--bind",
        str(sockets),
        str(sockets),
        "--chdir",
        INSIDE,
        "--clearenv",
        "--setenv",
        "HOME",
        INSIDE,
        "--setenv",
        "PATH",
        f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "--setenv",
        "IPYTHONDIR",
        "/tmp/ipython",
        "--setenv",
        "MPLCONFIGDIR",
        "/tmp/matplotlib",
        "--setenv",
        "PYTHONNOUSERSITE",
        "1",
        "--setenv",
        "NBGRADER_EXECUTION",
        "autograde",
        "--",
        *command,
    ]
    return args


def run_in_sandbox(nb: Any, tree: Tree, *, log: Any = None, timeout: int = CELL_TIMEOUT) -> Any:
    """Run every code cell of ``nb`` in a sandboxed kernel whose folder holds a copy of
    the submission ``tree``; returns ``nb`` with the cells' outputs. Nothing the
    kernel writes outlives it."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    scratch = Path(tempfile.mkdtemp(prefix="framelab-sandbox-"))
    try:
        work = scratch / "submission"
        sockets = scratch / "kernel"
        sockets.mkdir(mode=0o700)
        write_tree(tree, work)

        class SandboxedKernel(KernelManager):
            def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
                kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", self.connection_file]
                return bwrap_command(work, sockets, kernel)

        manager = SandboxedKernel(
            transport="ipc",
            ip=str(sockets / "channel"),
            connection_file=str(sockets / "connection.json"),
        )
        client = NotebookClient(
            nb,
            km=manager,
            timeout=timeout,
            interrupt_on_timeout=True,
            allow_errors=True,
            resources={"metadata": {"path": str(work)}},
        )
        errors = scratch / "kernel.log"
        with open(errors, "wb") as stream:
            try:
                client.execute(stdout=subprocess.DEVNULL, stderr=stream)
            except RuntimeError as error:  # the kernel never started: say why, not where
                said = errors.read_text(errors="replace").strip()[-500:]
                raise FramelabError(
                    f"the sandbox could not start a kernel ({error}); bubblewrap said: "
                    f"{said or 'nothing'}. Check that `bwrap --ro-bind / / true` works for "
                    "the account that grades."
                ) from None
        if log is not None:
            log.info("ran the notebook's code in the sandbox (%s)", work)
        return nb
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
