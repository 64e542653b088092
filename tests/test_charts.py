"""The lessons' charts draw what they claim: the data, the labels, the title, and a text
description for those who cannot see the picture (device_bars in lessons 02-04,
style_chart for lesson 06)."""

from __future__ import annotations

import pytest

from framelab import device_bars
from framelab.teach.plots import style_chart
from framelab.texts.corpus import load_document, load_key
from framelab.texts.model import FramelabError
from framelab.texts.style import style_of

from .conftest import DATASETS, SEED

SM = "aleppo-state-media"


def test_device_bars_count_each_keys_phrases_device_by_device():
    keys = {
        "central article": load_key(SEED, DATASETS),
        "state-media version": load_key(SM, DATASETS),
    }
    devices = ["loaded", "vague-source"]
    chart = device_bars(keys, devices, title="Loaded words and vague sources")
    (ax,) = chart.figure.axes
    expected = {
        name: [sum(s.device == d for s in key.spans) for d in devices] for name, key in keys.items()
    }
    drawn = {
        container.get_label(): [round(bar.get_width()) for bar in container]
        for container in ax.containers
    }
    assert drawn == expected
    assert [t.get_text() for t in ax.get_yticklabels()] == devices
    assert ax.get_title() == "Loaded words and vague sources"
    assert ax.get_xlabel() == "phrases marked"
    loaded, vague = expected["central article"]
    assert f"loaded: central article {loaded}, state-media version" in chart.description
    assert f"vague-source: central article {vague}" in chart.description
    assert chart._repr_mimebundle_()["image/png"].startswith(b"\x89PNG")


def test_device_bars_refuse_what_they_cannot_draw():
    with pytest.raises(FramelabError, match="at least one annotation"):
        device_bars({})
    with pytest.raises(FramelabError, match="'spin' is not a device"):
        device_bars({"seed": load_key(SEED, DATASETS)}, ["spin"])


def test_the_style_chart_puts_each_text_at_its_reading_ease_and_density():
    texts = {"central article": SEED, "wire report": "aleppo-wire", "state-media version": SM}
    styles = {
        name: style_of(load_document(text, DATASETS), load_key(text, DATASETS))
        for name, text in texts.items()
    }
    chart = style_chart(styles)
    (ax,) = chart.figure.axes
    points = [tuple(c.get_offsets()[0]) for c in ax.collections]
    assert points == [(s.reading_ease, s.density) for s in styles.values()]
    assert [c.get_label() for c in ax.collections] == list(styles)
    assert [t.get_text() for t in ax.texts] == list(styles)  # a name beside every point
    markers = {c.get_paths()[0].vertices.tobytes() for c in ax.collections}
    assert len(markers) == len(styles)  # told apart by shape, not colour alone
    assert ax.get_xlabel().startswith("Flesch reading ease")
    assert ax.get_ylabel() == "framing devices per 100 words"
    wire = styles["wire report"]
    assert f"wire report: reading ease {wire.reading_ease}, {wire.density} devices" in (
        chart.description
    )


def test_a_text_with_no_devices_is_drawn_whole_above_the_axis_that_starts_at_none():
    """The selective report has no framing phrases: its marker once sat half under the
    axis line (second review of lesson 06)."""
    chart = style_chart({"selective report": "aleppo-selective", "central article": SEED})
    (ax,) = chart.figure.axes
    bottom, top = ax.get_ylim()
    assert bottom < 0 < top
    assert min(ax.get_yticks()) == 0  # no tick for fewer than no devices


def test_the_style_chart_needs_each_texts_key():
    with pytest.raises(FramelabError, match="no device density"):
        style_chart({"seed": style_of(load_document(SEED, DATASETS))})
    with pytest.raises(FramelabError, match="at least one text"):
        style_chart({})


def test_lessons_name_texts_by_id_and_the_table_gives_every_figure():
    from framelab import show_style

    wire = style_of(load_document("aleppo-wire", DATASETS), load_key("aleppo-wire", DATASETS))
    by_id = style_chart({"wire report": "aleppo-wire"})
    assert tuple(by_id.figure.axes[0].collections[0].get_offsets()[0]) == (
        wire.reading_ease,
        wire.density,
    )
    table = show_style({"wire report": "aleppo-wire"})
    row = repr(table).splitlines()[1]
    assert row == (
        f"wire report | {wire.sentences} | {wire.words} | {wire.sentence_length:.1f} | "
        f"{wire.word_length:.1f} | {wire.syllables:.2f} | {wire.reading_ease:.1f} | "
        f"{wire.grade_level:.1f} | "
        f"{wire.density:.1f}"
    )
    assert "<th" in table._repr_html_() and "devices per 100 words" in table._repr_html_()
