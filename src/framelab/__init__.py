"""framelab: a kit for telling reported fact from editorial framing.

Importing framelab changes no global state (no plotting style, no seeds, no
downloads); everything happens through explicit calls.
"""

from framelab.model import Annotation, Document, FramelabError, Key, Label, Sentence, Span
from framelab.taxonomy import DEVICES, KINDS, TAXONOMY

__all__ = [
    "DEVICES",
    "KINDS",
    "TAXONOMY",
    "Annotation",
    "Document",
    "FramelabError",
    "Key",
    "Label",
    "Sentence",
    "Span",
]

__version__ = "0.1.0"
