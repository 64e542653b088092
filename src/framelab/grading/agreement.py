"""Agreement: Cohen's kappa between an annotator and the key, Krippendorff's alpha
for a class, and a blind second annotation of a text against its key."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from framelab.texts.model import Annotation, FramelabError, Label
from framelab.texts.taxonomy import KINDS

__all__ = ["KeyAgreement", "class_alpha", "cohen_kappa", "key_agreement", "krippendorff_alpha"]


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa between two equally long sequences of labels; 1.0 when both
    use one and the same label throughout.

    >>> cohen_kappa(["F", "F", "O", "O"], ["F", "O", "O", "O"])
    0.5
    """
    if not isinstance(a, Sequence) or not isinstance(b, Sequence) or len(a) != len(b):
        raise FramelabError("cohen_kappa needs two label sequences of the same length")
    if not a:
        raise FramelabError("cohen_kappa needs at least one pair of labels")
    try:
        counts_a, counts_b = Counter(a), Counter(b)
    except TypeError:
        raise FramelabError("cohen_kappa needs hashable labels (strings, say)") from None
    n = len(a)
    agreed = sum(x == y for x, y in zip(a, b, strict=True))
    chance = sum(count * counts_b[label] for label, count in counts_a.items())
    if chance == n * n:  # expected agreement is 1: only one label anywhere
        return 1.0 if agreed == n else 0.0
    return (n * agreed - chance) / (n * n - chance)


def krippendorff_alpha(units: Sequence[Mapping[str, Hashable | None]]) -> float:
    """Nominal Krippendorff's alpha. Each unit maps annotator to value (None or
    absent: missing); units with fewer than two values are skipped.

    >>> krippendorff_alpha([{"ann": "fact", "bo": "fact"}, {"ann": "opinion", "bo": "opinion"}])
    1.0
    >>> krippendorff_alpha([{"ann": "fact", "bo": "opinion"}, {"ann": "opinion", "bo": "fact"}])
    -0.5
    """
    if not isinstance(units, Sequence):
        raise FramelabError("krippendorff_alpha needs a sequence of units")
    totals: Counter[Hashable] = Counter()
    disagreement = Fraction(0)
    for unit in units:
        if not isinstance(unit, Mapping):
            raise FramelabError("each unit must map annotator to value")
        values = [value for value in unit.values() if value is not None]
        if len(values) < 2:
            continue
        try:
            counts = Counter(values)
        except TypeError:
            raise FramelabError("krippendorff_alpha needs hashable values") from None
        m = len(values)
        disagreement += Fraction(m * m - sum(c * c for c in counts.values()), m - 1)
        totals.update(counts)
    n = sum(totals.values())
    if n == 0:
        raise FramelabError("no unit has values from two annotators, so alpha is undefined")
    expected = n * n - sum(c * c for c in totals.values())
    if expected == 0:
        return 1.0
    return float(1 - (n - 1) * disagreement / expected)


def class_alpha(annotations: Sequence[Annotation]) -> float:
    """Krippendorff's alpha of the sentence kinds in several annotations of one
    document; an untagged sentence is a missing value."""
    if not isinstance(annotations, Sequence) or not all(
        isinstance(a, Annotation) for a in annotations
    ):
        raise FramelabError("class_alpha needs a sequence of Annotations")
    if len({a.document for a in annotations}) > 1:
        raise FramelabError("class_alpha needs annotations of one and the same document")
    for index, annotation in enumerate(annotations):
        if not all(
            isinstance(label, Label) and (label.kind is None or label.kind in KINDS)
            for label in annotation.labels
        ):
            raise FramelabError(f"annotation {index} has a label that is not a known kind")
    kinds = [annotation.kinds for annotation in annotations]
    ids = sorted({sentence for k in kinds for sentence in k})
    return krippendorff_alpha([{str(i): k.get(s) for i, k in enumerate(kinds)} for s in ids])


@dataclass(frozen=True)
class KeyAgreement:
    """How a second, blind annotation of a text agrees with its key: kinds (the same
    preferred kind, Cohen's kappa, and a kind the key accepts) and spans both ways
    (the key's spans the second annotator found, and the second annotator's spans the
    key has; a span counts as found when at least half its characters are marked with
    its device)."""

    sentences: int
    same_kind: int
    kappa: float
    within_accept: int
    key_spans: int
    key_spans_found: int
    second_spans: int
    second_spans_found: int

    @property
    def kinds_within_accept(self) -> float:
        return self.within_accept / self.sentences if self.sentences else 1.0

    @property
    def key_spans_share(self) -> float:
        return self.key_spans_found / self.key_spans if self.key_spans else 1.0

    @property
    def second_spans_share(self) -> float:
        return self.second_spans_found / self.second_spans if self.second_spans else 1.0


def key_agreement(key: Annotation, second: Annotation, text: str) -> KeyAgreement:
    """Compare a blind ``second`` annotation of a text with its ``key``."""
    from framelab.grading.scoring import score  # scoring uses this module's kappa

    ids = [label.id for label in key.labels]
    theirs = second.kinds
    ours = [key.label(i).kind or "untagged" for i in ids]
    given = [theirs.get(i, "untagged") for i in ids]
    forward = score(second, key, text)
    backward = score(
        Annotation(key.document, key.labels, key.spans),
        Annotation(second.document, key.labels, second.spans),
        text,
    )
    return KeyAgreement(
        sentences=len(ids),
        same_kind=sum(a == b for a, b in zip(ours, given, strict=True)),
        kappa=cohen_kappa(ours, given) if ids else 1.0,
        within_accept=sum(label.accepts(theirs.get(label.id)) for label in key.labels),
        key_spans=forward.spans.total_key,
        key_spans_found=forward.spans.found,
        second_spans=backward.spans.total_key,
        second_spans_found=backward.spans.found,
    )
