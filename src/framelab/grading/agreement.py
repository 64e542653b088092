"""Agreement: Cohen's kappa between an annotator and the key, Krippendorff's alpha
for a class."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction

from framelab.texts.model import Annotation, FramelabError, Label
from framelab.texts.taxonomy import KINDS

__all__ = ["class_alpha", "cohen_kappa", "krippendorff_alpha"]


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
