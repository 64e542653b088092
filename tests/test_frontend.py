"""The tagger's front-end logic (tagger.mjs), tested by node's own runner in tests/js/.

The menus, clicks, drags and keys are plain exported functions; tests/js/ checks them
with ``node --test``, no bundler, no npm packages and no browser. This test runs them so
that ``make test`` does wherever node is installed (.ci/run installs Debian's nodejs).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .conftest import ROOT

NODE = shutil.which("node")
JS_TESTS = ROOT / "tests" / "js"


@pytest.mark.skipif(NODE is None, reason="node is not on PATH (.ci/run installs Debian's nodejs)")
def test_the_front_end_logic_passes_its_node_tests():
    result = subprocess.run(
        [NODE, "--test", "--test-reporter=tap", str(JS_TESTS)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    counts = {name: int(n) for name, n in re.findall(r"^# (tests|pass|fail) (\d+)$", report, re.M)}
    # A runner that found no test files also exits 0: insist that every test in every
    # file ran (each is a top-level test(...) call) and passed.
    written = sum(
        len(re.findall(r"^test\(", path.read_text(), re.M)) for path in JS_TESTS.glob("*.test.mjs")
    )
    assert written > 0
    assert counts == {"tests": written, "pass": written, "fail": 0}, report
