"""framelab: a kit for telling reported fact from editorial framing.

The package follows the flow of the kit, one subpackage a step:

- ``framelab.texts``: the taxonomy, the one data model, the corpus, facts, validation, authoring;
- ``framelab.grading``: scoring, the answers file, grade cells, autograde;
- ``framelab.teach``: the tagger and the helpers lessons call;
- ``framelab.instructor``: the course, the exchange, the class report, simulated classes;
- ``framelab.machine``: machine suggestions and their evaluation.

What lessons and exercises call has one short, stable import: ``from framelab import
Tagger, Question, check_answers``. Those names are loaded when first used, so ``import framelab``
stays light. Importing framelab changes no global state (no plotting style, no seeds, no
downloads); everything happens through explicit calls.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from framelab.texts.model import Annotation, Document, FramelabError, Key, Label, Sentence, Span
from framelab.texts.taxonomy import DEVICES, KINDS, TAXONOMY

# The names notebooks use, and the module that holds each.
_FOR_NOTEBOOKS = {
    "Tagger": "framelab.teach.tagger",
    "Question": "framelab.teach.items",
    "FactViewer": "framelab.teach.compare",
    "show_text": "framelab.teach.lesson",
    "show_key": "framelab.teach.lesson",
    "compare_machine": "framelab.teach.lesson",
    "kind_bars": "framelab.teach.plots",
    "device_bars": "framelab.teach.plots",
    "load_key": "framelab.texts.corpus",
    "show_style": "framelab.teach.lesson",
    "style_chart": "framelab.teach.plots",
    "fact_matrix": "framelab.teach.plots",
    "load_facts": "framelab.texts.facts",
    "places_map": "framelab.teach.plots",
    "check_answers": "framelab.grading.cells",
    "grade_cell": "framelab.grading.cells",
}

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
    *_FOR_NOTEBOOKS,
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _FOR_NOTEBOOKS.get(name)
    if module is None:
        raise AttributeError(f"module 'framelab' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
