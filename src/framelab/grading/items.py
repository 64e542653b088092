"""Scoring a short item (a choice, an ordering, a one-line answer, a neutral rewrite)
against its key, with partial credit and the lines that explain it.

One function, :func:`score_item`, serves the grader (``reveal=False``: counts only,
nothing of the key) and the lessons' practice items (``reveal=True``: the key's
answer and why).

>>> from framelab.texts.items import Item, ItemAnswer
>>> verbs = Item("scale", "order", "From neutral to judging", (("a", "said"), ("b", "claimed"),
...              ("c", "lied")), ends=("neutral", "judging"))
>>> result = score_item(verbs, ItemAnswer("Lied judges most.", ["a", "b", "c"]), ["b", "a", "c"])
>>> result.fraction, result.lines[0]
(0.67, '2 of the 3 pairs are in the order of the key.')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from framelab.texts.items import Item, ItemAnswer, Value, answered, value_problem
from framelab.texts.model import Annotation, Document

__all__ = ["ItemScore", "loaded_in", "normalise_answer", "present", "score_in_text", "score_item"]


@dataclass(frozen=True)
class ItemScore:
    """The share of the item's credit earned (0 to 1), and why."""

    fraction: float
    lines: tuple[str, ...]


def normalise_answer(text: str) -> str:
    """A one-line answer as it is compared: lower case, typographic quotes and
    apostrophes made plain, spaces collapsed, punctuation and quotes trimmed at the ends.

    >>> normalise_answer('  “Took  Control”. ')
    'took control'
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    text = " ".join(text.lower().split())
    return text.strip(" .,;:!?\"'()[]")


def present(term: str, text: str) -> bool:
    """Whether ``term`` occurs in ``text`` as whole words, ignoring case, spacing and
    the kind of quotes and apostrophes.

    >>> present("regime", "The Regime's troops"), present("regime", "regimented")
    (True, False)
    """
    term, text = normalise_answer(term), normalise_answer(text)
    if not term:
        return False
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, term.split())) + r"(?!\w)"
    return re.search(pattern, text) is not None


def loaded_in(key: Annotation | None, document: Document, sentence_id: str) -> list[str]:
    """The words of the loaded spans that ``key`` marks in one sentence (with
    ``sentence_id`` empty: in the whole text): what a neutral rewrite must leave out."""
    if key is None:
        return []
    start, end = (0, len(document.text))
    if sentence_id:
        unit = document.sentence(sentence_id)
        start, end = unit.start, unit.end
    return [
        document.text[s.start : s.end]
        for s in key.spans
        if s.device == "loaded" and start <= s.start and s.end <= end
    ]


def score_item(
    item: Item,
    answer: ItemAnswer,
    value: Value | None,
    *,
    original: str = "",
    loaded: Sequence[str] = (),
    elsewhere: Sequence[str] = (),
    reveal: bool = False,
) -> ItemScore:
    """Score a student's ``value`` for ``item``. For a rewrite, ``original`` is the
    sentence as the text has it, ``loaded`` the loaded phrases the text's key marks in
    it, and ``elsewhere`` those it marks in the rest of the text (a rewrite that brings
    one in is not neutral). ``reveal`` adds the key's answer and why (practice only)."""
    if not answered(value):
        return ItemScore(0.0, ("Not answered yet.",))
    problem = value_problem(item, value)
    if problem:
        return ItemScore(0.0, (f"Your answer {problem}, so it was not scored.",))
    if item.type == "choice":
        fraction, lines = _choice(item, answer, value, reveal)
    elif item.type == "order":
        fraction, lines = _order(item, answer, value, reveal)
    elif item.type == "line":
        fraction, lines = _line(answer, str(value), reveal)
    else:
        fraction, lines = _rewrite(answer, str(value), original, loaded, elsewhere, reveal)
    if reveal:
        lines.append(answer.why)
    return ItemScore(round(fraction, 2), tuple(lines))


def score_in_text(
    item: Item,
    answer: ItemAnswer,
    value: Value | None,
    document: Document,
    text_key: Annotation | None,
    *,
    reveal: bool = False,
) -> ItemScore:
    """:func:`score_item` for an item of a set about ``document``: a rewrite is scored
    against its sentence as the text has it and the loaded spans ``text_key`` (the
    text's whole key) marks in it."""
    return score_item(
        item,
        answer,
        value,
        original=document.sentence(item.sentence).text if item.sentence else "",
        loaded=loaded_in(text_key, document, item.sentence),
        elsewhere=loaded_in(text_key, document, ""),
        reveal=reveal,
    )


def _choice(item: Item, answer: ItemAnswer, value: Value, reveal: bool) -> tuple[float, list[str]]:
    if not item.multiple:
        right = value == answer.answer or value in answer.accept
        lines = ["Right." if right else "Not the key's answer."]
        if reveal and not item.quote and answer.notes.get(str(value)):
            lines.append(answer.notes[str(value)])  # a word swap shows it under its sentence
        if reveal and value != answer.answer:
            also = [_bare(item.option_text(o)) for o in answer.accept]
            lines.append(
                f"The key's answer: {_bare(item.option_text(str(answer.answer)))}"
                + (f" (it also accepts: {'; '.join(also)})." if also else ".")
            )
        return float(right), lines
    key, chosen = set(answer.answer), set(value)
    hits, wrong = len(key & chosen), len(chosen - key)
    lines = [
        f"You chose {hits} of the {len(key)} options the key chooses"
        + (f", and {wrong} that it does not." if wrong else ".")
    ]
    if reveal:
        lines += [answer.notes[o] for o in value if answer.notes.get(o)]
    if reveal and (hits < len(key) or wrong):
        lines.append(
            "The key chooses: " + "; ".join(_bare(item.option_text(o)) for o in answer.answer) + "."
        )
    return max(0.0, (hits - wrong) / len(key)), lines


def _order(item: Item, answer: ItemAnswer, value: Value, reveal: bool) -> tuple[float, list[str]]:
    place = {option: n for n, option in enumerate(value)}
    pairs = list(combinations(answer.answer, 2))  # each pair in the key's order
    right = sum(place[a] < place[b] for a, b in pairs)
    lines = [f"{right} of the {len(pairs)} pairs are in the order of the key."]
    if reveal and right < len(pairs):
        lines.append(
            f"The key's order, from {item.ends[0]} to {item.ends[1]}: "
            + ", ".join(_bare(item.option_text(o)) for o in answer.answer)
            + "."
        )
    return right / len(pairs), lines


def _bare(text: str) -> str:
    """An option's text without its closing full stop, for a list that ends in one."""
    return text[:-1] if text.endswith(".") else text


def _line(answer: ItemAnswer, value: str, reveal: bool) -> tuple[float, list[str]]:
    right = normalise_answer(value) in {normalise_answer(a) for a in answer.accept}
    lines = ["Right." if right else "Not one of the answers the key accepts."]
    if reveal and not right:
        lines.append("The key accepts: " + "; ".join(answer.accept) + ".")
    return float(right), lines


def _rewrite(
    answer: ItemAnswer,
    value: str,
    original: str,
    loaded: Sequence[str],
    elsewhere: Sequence[str],
    reveal: bool,
) -> tuple[float, list[str]]:
    if normalise_answer(value) == normalise_answer(original):
        return 0.0, ["This is the sentence as the text has it: rewrite it in neutral words."]
    # a list of the facts' words is not a rewrite: it needs a third of the sentence's words
    shortest = max(3, len(original.split()) // 3)
    if len(value.split()) < shortest:
        return 0.0, [
            f"A rewrite is the whole sentence in other words: yours has {len(value.split())} "
            f"word(s), and a rewrite of this sentence needs at least {shortest}."
        ]
    avoid = [list(forms) for forms in answer.avoid]  # each loaded wording, with its forms
    for term in loaded:  # a key span is one of the key's wordings if a form is part of it
        if not any(_overlaps(term, form) for forms in avoid for form in forms):
            avoid.append([term])
    # a listed wording counts when the sentence has it or the rewrite brings it in: the
    # key may list other loaded words a rewrite might reach for ("kicked out", "a measly")
    avoid = [
        forms
        for forms in avoid
        if any(present(form, original) or present(form, value) for form in forms)
    ]
    brought = [  # loaded wording of the text's key that the rewrite adds to the sentence
        term
        for term in dict.fromkeys(elsewhere)
        if present(term, value)
        and not present(term, original)
        and not any(_overlaps(term, form) for forms in avoid for form in forms)
    ]
    left = [forms[0] for forms in avoid if any(present(form, value) for form in forms)]
    kept = [fact for fact in answer.keep if any(present(form, value) for form in fact)]
    lost = [fact[0] for fact in answer.keep if fact not in kept]
    gone = len(avoid) - len(left)
    lines = [
        f"Framing left out: {gone} of the {len(avoid)} phrases the key lists for this rewrite "
        "are gone.",
        *(
            [f"Your rewrite brings in {len(brought)} loaded phrase(s) from elsewhere in the text."]
            if brought
            else []
        ),
        f"Facts: you kept {len(kept)} of the {len(answer.keep)} names, numbers and facts "
        "the sentence gives.",
    ]
    if reveal:
        if left or brought:
            lines.append("Still loaded: " + "; ".join(f'"{t}"' for t in left + brought) + ".")
        if lost:
            lines.append("Missing: " + "; ".join(f'"{f}"' for f in lost) + ".")
        lines.append(f"One neutral rewrite: {answer.model}")
    total = len(avoid) + len(brought)
    share_gone = gone / total if total else 1.0
    share_kept = len(kept) / len(answer.keep) if answer.keep else 1.0
    # the share of the facts kept times the share of the loaded wording gone: a rewrite
    # that keeps the loaded words earns nothing however well it copies the facts (a
    # comma moved is not a rewrite), and one that drops the facts with the loaded words
    # ("People protested.") earns nothing either
    return share_kept * share_gone, lines


def _overlaps(term: str, form: str) -> bool:
    """Whether two wordings are the same loaded phrase: one holds the other."""
    return present(form, term) or present(term, form)
