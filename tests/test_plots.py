"""The places map: drawn offline from the sourced places file, every place labelled, and
the bearing Aleppo -> al-Safira matching what the sources say (south-east)."""

from __future__ import annotations

import io
import json
import socket

import pytest

from framelab.teach.plots import places_map
from framelab.texts.corpus import datasets_dir
from framelab.texts.model import FramelabError
from framelab.texts.places import (
    bearing_degrees,
    compass_point,
    distance_km,
    load_places,
)
from framelab.texts.validate import validate_datasets


def _labels(chart) -> set[str]:
    return {text.get_text() for text in chart.figure.axes[0].texts}


def test_the_map_draws_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("places_map tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    chart = places_map(bearing=("Aleppo", "al-Safira"))
    buffer = io.BytesIO()
    chart.figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")
    assert "image/png" in chart._repr_mimebundle_()


def test_every_place_in_the_file_is_labelled():
    places = load_places()
    chart = places_map()
    assert {p.name for p in places.values()} <= _labels(chart)
    for place in places.values():
        assert place.spelling in chart.description


def test_the_map_has_a_north_arrow_and_a_scale_bar_in_km():
    labels = _labels(places_map())
    assert "N" in labels
    assert any(label.endswith(" km") for label in labels)


def test_aleppo_to_al_safira_is_south_east_as_the_sources_say():
    # Syria Direct (2013): 25 km south-east; AFP/Daily Star and Reuters: south-east of
    # Aleppo; SOHR via Le Temps: about 20 km south-east.
    places = load_places()
    aleppo, safira = places["aleppo"], places["al-safira"]
    degrees = bearing_degrees(aleppo, safira)
    assert 112.5 <= degrees < 157.5
    assert compass_point(degrees) == "south-east"
    assert 18 <= distance_km(aleppo, safira) <= 30
    chart = places_map(["Aleppo", "al-Safira"], bearing=("Aleppo", "al-Safira"))
    assert "al-Safira is 25 km south-east of Aleppo" in chart.description
    assert "south-east" in chart.figure.axes[0].get_title()


@pytest.mark.parametrize(
    ("start", "end", "point", "low", "high"),
    [
        ("aleppo", "idlib", "south-west", 50, 65),  # Wikipedia: 59 km south-west
        ("aleppo", "damascus", "south", 290, 330),  # about 310 km
        ("aleppo", "maskanah", "east", 75, 105),  # Wikipedia: about 100 km (by road)
    ],
)
def test_the_other_coordinates_agree_with_the_distances_sources_give(start, end, point, low, high):
    places = load_places()
    assert compass_point(bearing_degrees(places[start], places[end])) == point
    assert low <= distance_km(places[start], places[end]) <= high


def test_every_place_is_spelled_as_the_texts_name_it():
    for place in load_places().values():
        for article in place.texts:
            text = (datasets_dir() / "articles" / article / "article.txt").read_text("utf-8")
            assert place.spelling in text, f"{article} does not name {place.spelling}"
        assert place.source.strip()


def test_a_highlighted_place_is_marked_by_shape_and_weight_not_colour_alone():
    chart = places_map(["Aleppo", "Idlib"], highlight="Aleppo")
    bold = [t for t in chart.figure.axes[0].texts if t.get_fontweight() == "bold"]
    assert [t.get_text() for t in bold if t.get_text() != "N"] == ["Aleppo"]
    assert "Highlighted: Aleppo" in chart.description


def test_an_unknown_place_gets_a_clear_message():
    with pytest.raises(FramelabError, match=r"no place called 'Hama'.*al-Safira"):
        places_map(["Aleppo", "Hama"])


def test_validate_passes_with_the_places_folder():
    assert [p for p in validate_datasets() if "places" in p.path] == []


def test_validate_reports_a_place_without_a_source(tmp_path):
    folder = tmp_path / "places"
    folder.mkdir()
    data = json.loads((datasets_dir() / "places" / "places.json").read_text("utf-8"))
    data["places"][0]["source"] = " "
    (folder / "places.json").write_text(json.dumps(data), "utf-8")
    problems = [str(p) for p in validate_datasets(tmp_path)]
    assert any("README.md" in p for p in problems)
    assert any("source is empty" in p for p in problems)


def test_a_bearing_that_is_not_a_pair_gets_a_clear_message():
    with pytest.raises(FramelabError, match="bearing must be two places"):
        places_map(bearing="Aleppo")


def test_a_place_asked_for_twice_is_drawn_once():
    chart = places_map(["Aleppo", "aleppo", "Idlib"])
    assert "Schematic map of 2 places" in chart.description
