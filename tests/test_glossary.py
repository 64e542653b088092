"""The glossary of actors and sources covers the actors and outlets the Aleppo texts name,
lists every side's words in the same table format, and names its sources."""

from __future__ import annotations

from pathlib import Path

import pytest

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"


@pytest.mark.parametrize(
    "entry",
    [
        "Hayat Tahrir al-Sham (HTS)",
        "Syrian National Army (SNA)",
        "Syrian Democratic Forces (SDF)",
        "Syrian Arab Army",
        "**Russia.**",
        "**Iran.**",
        "**Turkey.**",
        "**The United States.**",
        "OCHA (UN Office for the Coordination of Humanitarian Affairs)",
        "SOHR (Syrian Observatory for Human Rights)",
        "| Anadolu, TRT |",
        "| SANA |",
        "| ANSA |",
        "| Al Jazeera |",
    ],
)
def test_the_glossary_has_an_entry_for(entry):
    assert entry in GLOSSARY.read_text("utf-8")


def test_every_naming_table_has_the_same_columns_for_every_side():
    text = GLOSSARY.read_text("utf-8")
    naming = text.split("## What each side called each actor", 1)[1].split("\n## ", 1)[0]
    headers = [line for line in naming.splitlines() if line.startswith("| word |")]
    assert len(headers) == 3
    assert len(set(headers)) == 1
    words = [
        line.split("|")[1].lower()
        for line in naming.splitlines()
        if line.startswith("| ") and not line.startswith(("| word", "|---"))
    ]
    for word in ("rebels", "terrorists", "militants", "jihadists", "regime", "government"):
        assert any(word in cell for cell in words), word


def test_designations_are_in_the_past_tense_and_sources_are_named():
    text = GLOSSARY.read_text("utf-8")
    assert "had been designated" in text
    assert " is designated" not in text and " list it as" not in text
    assert "\n## Sources\n" in text
    assert "## What happened next" in text
