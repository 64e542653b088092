r"""How a text reads, measured: the figures lesson 06 sets beside device density.

Each metric is one small function of a text's **body**: its units that the segmenter does
not take for structure (headlines, datelines, credits, page leftovers), so that a short
headline or a "Share" line does not move the figures. Readability comes from textstat
(pinned in ``pyproject.toml``, since its formulas and syllable counts change between
releases); sentence and word lengths use the kit's own units and words.

>>> from framelab.texts.corpus import document_from_text
>>> doc = document_from_text("Cats\n\nThe cat sat on the mat. The dog ran far away.\n")
>>> [unit.structure for unit in doc.sentences]  # the headline is not body
[True, False, False]
>>> sentence_length(doc), word_length(doc)  # (6 + 5) / 2 words; 33 letters / 11 words
(5.5, 3.0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from framelab.texts.model import Annotation, Document, Sentence

__all__ = [
    "Style",
    "body",
    "device_density",
    "grade_level",
    "measured",
    "reading_ease",
    "sentence_length",
    "style_of",
    "syllables_per_word",
    "word_length",
    "words",
]

_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


@dataclass(frozen=True)
class Style:
    """One text's figures, each rounded for a table (lesson 06)."""

    document: str
    sentences: int
    words: int
    reading_ease: float  # Flesch reading ease: higher is easier (about 60-70 is plain)
    grade_level: float  # Flesch-Kincaid grade: years of school a reader needs
    sentence_length: float  # words a sentence
    word_length: float  # letters a word
    syllables: float  # syllables a word, as textstat counts them (what reading ease uses)
    density: float | None  # framing devices the key marks, per 100 words (None: no key)


def body(document: Document) -> list[Sentence]:
    """The units that carry the text's prose: every unit the segmenter does not take for
    structure."""
    return [unit for unit in document.sentences if not unit.structure]


def words(text: str) -> list[str]:
    """The words of ``text``: runs of letters or digits, with inner apostrophes and
    hyphens ("Assad's", "al-Safira"); punctuation is not a word.

    >>> words("Assad's troops left al-Safira, 30 km away.")
    ["Assad's", 'troops', 'left', 'al-Safira', '30', 'km', 'away']
    """
    return _WORD.findall(text)


def _body_text(document: Document) -> str:
    return " ".join(unit.text for unit in body(document))


def sentence_length(document: Document) -> float:
    """Mean words a sentence in the body (0 for a text with no body)."""
    units = body(document)
    return round(sum(len(words(u.text)) for u in units) / len(units), 1) if units else 0.0


def word_length(document: Document) -> float:
    """Mean letters a word in the body (digits count as letters)."""
    found = words(_body_text(document))
    letters = sum(sum(c.isalnum() for c in word) for word in found)
    return round(letters / len(found), 1) if found else 0.0


def syllables_per_word(document: Document) -> float:
    """Mean syllables a word in the body, as textstat counts them: the measure that
    reading ease and grade level use, where letters a word is only a rough guide.
    textstat guesses syllables from spelling, so names ("Aleppo") and numbers can be
    off by one."""
    import textstat

    found = words(_body_text(document))
    if not found:
        return 0.0
    return round(textstat.syllable_count(_body_text(document)) / len(found), 2)


def reading_ease(document: Document) -> float:
    """Flesch reading ease of the body, by textstat: 206.835 - 1.015 * words a sentence -
    84.6 * syllables a word. Higher is easier; plain English is about 60 to 70."""
    import textstat

    return round(float(textstat.flesch_reading_ease(_body_text(document))), 1)


def grade_level(document: Document) -> float:
    """Flesch-Kincaid grade level of the body, by textstat: roughly the years of school a
    reader needs (0.39 * words a sentence + 11.8 * syllables a word - 15.59)."""
    import textstat

    return round(float(textstat.flesch_kincaid_grade(_body_text(document))), 1)


def device_density(document: Document, key: Annotation) -> float:
    """Framing devices per 100 words of the body: the spans ``key`` marks in body units.
    A phrase marked with two devices counts twice, as the key counts it."""
    units = body(document)
    inside = [span for span in key.spans if any(u.start <= span.start < u.end for u in units)]
    total = sum(len(words(u.text)) for u in units)
    return round(100 * len(inside) / total, 1) if total else 0.0


def style_of(document: Document, key: Annotation | None = None) -> Style:
    """Every figure for one text; ``density`` only when its key is given."""
    units = body(document)
    return Style(
        document=document.id,
        sentences=len(units),
        words=len(words(_body_text(document))),
        reading_ease=reading_ease(document),
        grade_level=grade_level(document),
        sentence_length=sentence_length(document),
        word_length=word_length(document),
        syllables=syllables_per_word(document),
        density=None if key is None else device_density(document, key),
    )


def measured(text: Style | str) -> Style:
    """A Style as it is, or a text's id measured with its key (for the lesson helpers)."""
    if isinstance(text, Style):
        return text
    from framelab.texts.corpus import load_document, load_key

    return style_of(load_document(text), load_key(text))
