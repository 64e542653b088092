"""Score the suggester against the keys, beside a baseline a user might reach for.

Splits come from ``datasets/lexicons/splits.json``: the held-out texts were written
and keyed after the lexicons, by people who had not seen them, and the lexicons'
author had not read them before the evaluation; every other keyed text is in the
development split.
The baseline is TextBlob's subjectivity score: a sentence scoring above 0.5 is
called opinion, any other fact; it suggests no spans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from framelab.grading.scoring import score
from framelab.machine.suggest import suggest
from framelab.texts.corpus import article_ids, datasets_dir, key_path, load_document, load_key
from framelab.texts.model import (
    Annotation,
    Document,
    FramelabError,
    Label,
    read_json,
    schema_problem,
)
from framelab.texts.taxonomy import DEVICES, KINDS

__all__ = ["Evaluation", "Measure", "baseline", "evaluate", "splits", "suggester"]

Predictor = Callable[[Document], Annotation]


@dataclass(frozen=True)
class Measure:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Evaluation:
    """One predictor on one split."""

    texts: int
    sentences: int
    kinds_accuracy: float  # the share of sentences whose kind the key accepts
    kinds: dict[str, Measure]
    devices: dict[str, Measure]
    spans: Measure

    def to_dict(self) -> dict[str, object]:
        def measure(m: Measure) -> dict[str, float]:
            return {
                "precision": round(m.precision, 3),
                "recall": round(m.recall, 3),
                "f1": round(m.f1, 3),
            }

        return {
            "texts": self.texts,
            "sentences": self.sentences,
            "kinds_accuracy": round(self.kinds_accuracy, 3),
            "kinds": {k: measure(m) for k, m in self.kinds.items()},
            "devices": {d: measure(m) for d, m in self.devices.items()},
            "spans": measure(self.spans),
        }


def splits() -> dict[str, list[str]]:
    """The development and held-out article ids."""
    path = datasets_dir() / "lexicons" / "splits.json"
    data = read_json(path)
    problem = schema_problem(data, "splits")
    if problem:
        raise FramelabError(
            f"{path}: not a list of held-out texts: {problem}; see datasets/lexicons/README.md"
        )
    heldout = data["heldout"]
    keyed = [a for a in article_ids() if key_path(a).is_file()]
    missing = [a for a in heldout if a not in keyed]
    if missing:
        raise FramelabError(f"{path}: held-out texts without article or key: {', '.join(missing)}")
    return {"dev": [a for a in keyed if a not in heldout], "heldout": list(heldout)}


def suggester(document: Document) -> Annotation:
    """framelab's rule- and lexicon-based suggester."""
    return suggest(document).annotation()


def baseline(document: Document) -> Annotation:
    """TextBlob subjectivity: above 0.5 is opinion, otherwise fact; no spans."""
    from textblob import TextBlob  # a test and evaluation dependency only

    return Annotation(
        document=document.id,
        labels=tuple(
            Label(
                unit.id, "opinion" if TextBlob(unit.text).sentiment.subjectivity > 0.5 else "fact"
            )
            for unit in document.sentences
        ),
        annotator="textblob-subjectivity",
    )


def evaluate(ids: Iterable[str], predictor: Predictor) -> Evaluation:
    """Pooled figures of ``predictor`` over the texts ``ids``, scored with the kit's scorer."""
    predicted = {k: 0 for k in KINDS}
    correct = {k: 0 for k in KINDS}
    gold = {k: 0 for k in KINDS}
    recalled = {k: 0 for k in KINDS}
    credit = {d: [0.0, 0, 0.0, 0] for d in (*DEVICES, "all")}  # P sum, marks, R sum, key spans
    texts = sentences = accepted = 0
    for article in ids:
        document = load_document(article)
        key = load_key(article)
        guess = predictor(document)
        texts += 1
        for label in key.labels:
            kind = guess.kinds.get(label.id)
            sentences += 1
            gold[label.kind] += 1
            if label.accepts(kind):
                accepted += 1
                recalled[label.kind] += 1
            if kind is not None:
                predicted[kind] += 1
                correct[kind] += label.accepts(kind)
        result = score(guess, key, document.text)
        for device, figures in [*result.devices.items(), ("all", result.spans)]:
            pooled = credit[device]
            pooled[0] += figures.precision * figures.total_marked
            pooled[1] += figures.total_marked
            pooled[2] += figures.recall * figures.total_key
            pooled[3] += figures.total_key

    def ratio(a: float, b: float) -> float:
        return a / b if b else 0.0

    measures = {d: Measure(ratio(p, n), ratio(r, m)) for d, (p, n, r, m) in credit.items()}
    return Evaluation(
        texts=texts,
        sentences=sentences,
        kinds_accuracy=ratio(accepted, sentences),
        kinds={
            k: Measure(ratio(correct[k], predicted[k]), ratio(recalled[k], gold[k])) for k in KINDS
        },
        devices={d: measures[d] for d in DEVICES},
        spans=measures["all"],
    )


def report(results: dict[str, dict[str, Evaluation]]) -> str:
    """A readable table: for each split, each predictor's figures."""
    lines = []
    for split, by_predictor in results.items():
        first = next(iter(by_predictor.values()))
        lines.append(f"{split}: {first.texts} texts, {first.sentences} sentences")
        lines.append(
            f"  {'':22}{'kinds':>7}"
            + "".join(f"{k[:10]:>11}" for k in KINDS)
            + f"{'spans':>8}"
            + "".join(f"{d[:10]:>11}" for d in DEVICES)
        )
        for name, f in by_predictor.items():
            lines.append(
                f"  {name:22}{f.kinds_accuracy:7.2f}"
                + "".join(f"{f.kinds[k].f1:11.2f}" for k in KINDS)
                + f"{f.spans.f1:8.2f}"
                + "".join(f"{f.devices[d].f1:11.2f}" for d in DEVICES)
            )
        for name, f in by_predictor.items():
            if f.spans.precision or f.spans.recall:
                loaded = f.devices["loaded"]
                lines.append(
                    f"  {name}: spans precision {f.spans.precision:.2f}, recall "
                    f"{f.spans.recall:.2f}; loaded precision {loaded.precision:.2f}, recall "
                    f"{loaded.recall:.2f}"
                )
    lines.append("kinds: share of sentences whose kind the key accepts; other columns: F1")
    return "\n".join(lines)
