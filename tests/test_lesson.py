"""What lessons show: the text and the key, step by step."""

from __future__ import annotations

from framelab.teach.lesson import show_key, show_text

from .conftest import SEED


def test_show_text_numbers_every_unit_and_has_a_plain_twin():
    shown = show_text(SEED)
    lines = repr(shown).splitlines()
    assert lines[1] == "s01  date 2024-11-30" and len(lines) == 25
    assert "<i>Photo: open sources</i>" in shown._repr_html_()


def test_show_key_reveals_only_the_chosen_sentences_and_their_spans():
    shown = repr(show_key(SEED, sentences=["s02", "s03"], devices=["loaded", "speculation"]))
    assert shown.startswith("s02 [fact (also defensible: attributed)]")
    assert "s04" not in shown
    assert '"liberated" [loaded]' in shown and '"panicked" [speculation]' in shown
    assert "dictatorial regime" not in shown  # a loaded span of s11 stays hidden


def test_show_key_shows_no_spans_unless_asked_and_aligns_left():
    shown = show_key(SEED, sentences=["s20"])
    assert "lied" in repr(shown) and "verb-bias" not in repr(shown)
    assert "text-align:left" in shown._repr_html_()
