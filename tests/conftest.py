"""Shared fixtures: where things are, and the seed article with its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from framelab.texts.corpus import load_document
from framelab.texts.model import Annotation, Document

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = "aleppo-2024-11-30"
# Debian's Chromium (.ci/run installs it) and the flags every test that starts it uses:
# no sandbox (CI runs as root, where Chromium's sandbox cannot start), no GPU, and nothing
# that would reach the network in the background.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@pytest.fixture(scope="session")
def seed_document() -> Document:
    return load_document(SEED, DATASETS)


@pytest.fixture(scope="session")
def seed_key() -> Annotation:
    return Annotation.load(DATASETS / "keys" / f"{SEED}.json", kind="key")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Let fixtures see whether the test failed (for screenshots on failure)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """One Chromium page for a browser test module (tests/browser.py)."""
    from .browser import browser_page

    with browser_page(tmp_path_factory.mktemp("profile")) as page:
        yield page


@pytest.fixture
def screenshot_on_failure(request):
    """Keep what the browser showed when a test failed, as a test artifact (the browser
    test modules' marks ask for it)."""
    yield
    if "page" in request.fixturenames:
        from .browser import screenshot_if_failed

        screenshot_if_failed(request.getfixturevalue("page"), request)
