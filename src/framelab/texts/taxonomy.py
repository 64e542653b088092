"""The framelab-1 taxonomy: four sentence kinds and six framing devices.

The names are fixed (see DESIGN.md); lessons may add finer vocabulary on top.
Each label carries its definition and the question a student asks, so the
tagger's legend, the feedback and the docs all read from one place.

>>> KINDS
('fact', 'attributed', 'opinion', 'structure')
>>> "loaded" in DEVICES
True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATEGORIES", "DEVICES", "KINDS", "TAXONOMY", "Category", "describe"]

TAXONOMY = "framelab-1"


@dataclass(frozen=True)
class Category:
    """One label of the taxonomy, with what a student needs to apply it."""

    name: str
    layer: str  # "kind" or "device"
    definition: str
    question: str
    example: str


CATEGORIES: tuple[Category, ...] = (
    Category(
        "fact",
        "kind",
        "The writer, in their own voice, states something that could be checked.",
        "Could a record, witness, photo or number confirm or refute the main claim, as the "
        "writer states it? (Checkable is not the same as true.)",
        "Assad's troops retreated to the city of al-Safira, which is south of the "
        "provincial capital.",
    ),
    Category(
        "attributed",
        "kind",
        "The sentence tells us that someone else says, claims or reports something.",
        "Is the main claim put in someone else's mouth: who says it?",
        'He also added that official Moscow advocates that the "Syrian authorities '
        'quickly restore order" in the region.',
    ),
    Category(
        "opinion",
        "kind",
        "The writer's own judgement, interpretation, guess about motives or feelings, "
        "or prediction.",
        "Is the main claim the writer's judgement, guess or prediction, which no record "
        "could settle?",
        "A remarkable moment of taking control of Aleppo by the rebels was the "
        "reaction of local residents.",
    ),
    Category(
        "structure",
        "kind",
        "No claim at all: a section heading, dateline, caption, credit or page leftover "
        "(a headline that makes a claim gets the kind of its claim).",
        "Is it part of the page rather than a claim?",
        "Photo: open sources",
    ),
    Category(
        "loaded",
        "device",
        "A value-laden word or label where a neutral one exists.",
        "Is there a plainer word that says the same thing without judging?",
        "liberated; dictatorial regime; aggressor country",
    ),
    Category(
        "intensifier",
        "device",
        "Emphasis, certainty or urgency that adds no information.",
        "If I delete it, do I lose any information?",
        "already; In just; What is important to understand is that; actually",
    ),
    Category(
        "speculation",
        "device",
        "What others think, feel, intend or were ready for, or what something "
        '"shows", stated without evidence.',
        "How could the writer know this? Where is the evidence?",
        "was not ready for such a development; Panic immediately began",
    ),
    Category(
        "vague-source",
        "device",
        "A source that no reader can check.",
        "Who exactly said or showed this, and could I look it up?",
        "it became officially known; Photo: open sources; in social networks",
    ),
    Category(
        "verb-bias",
        "device",
        "A reporting verb that judges what it reports.",
        'Would "said" report the same words without a verdict?',
        'lied (for "said"); admitted; claimed',
    ),
    Category(
        "generalization",
        "device",
        "A sweeping statement about a whole group or everyone.",
        "Does it really hold for every member of the group?",
        "Russian military bloggers do not hold back their emotions",
    ),
)

KINDS: tuple[str, ...] = tuple(label.name for label in CATEGORIES if label.layer == "kind")
DEVICES: tuple[str, ...] = tuple(label.name for label in CATEGORIES if label.layer == "device")


def describe(name: str) -> Category:
    """Return the label called ``name``.

    >>> describe("verb-bias").layer
    'device'
    """
    for label in CATEGORIES:
        if label.name == name:
            return label
    raise KeyError(f"{name!r} is not a {TAXONOMY} label; known: {', '.join(KINDS + DEVICES)}")
