"""The README's two commands, the Makefile behind them, and CI calling the second."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from .conftest import ROOT


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"^## Quick start\s*\n+```[^\n]*\n(.*?)```", readme, re.M | re.S)
    assert match, "README.md needs a '## Quick start' heading followed by a code block"
    return [line.strip() for line in match.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands():
    assert quick_start_commands() == ["make lab", "make test"]


def test_ci_runs_the_readmes_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    commands = [
        line.strip() for line in script.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert quick_start_commands()[1] in commands
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


@pytest.mark.slow
def test_make_lab_serves_the_lessons_on_localhost():
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab", "LAB_ARGS=--no-browser --ServerApp.port=0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = None
    try:
        deadline = time.monotonic() + 60
        assert process.stdout is not None
        for line in process.stdout:
            found = re.search(r"http://127\.0\.0\.1:\d+/lab\S*\?token=\w+", line)
            if found:
                url = found.group(0)
                break
            assert time.monotonic() < deadline, "no URL printed within 60 s"
        assert url, "make lab ended without printing its URL"
        assert "/lab/tree/lessons?token=" in url
        status, body = _get_when_listening(url, timeout=30)
        assert status == 200
        assert b"JupyterLab" in body
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _get_when_listening(url: str, timeout: float) -> tuple[int, bytes]:
    """GET ``url``, retrying while the server is still starting to accept connections."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=20) as response:
                return response.status, response.read()
        except urllib.error.URLError as error:
            if not isinstance(error.reason, ConnectionRefusedError) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)
