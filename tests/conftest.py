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
