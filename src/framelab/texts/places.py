"""The places the Aleppo texts name, with sourced coordinates (``datasets/places``), and
the distance and compass bearing between two of them.

>>> places = load_places()
>>> aleppo, safira = places["aleppo"], places["al-safira"]
>>> compass_point(bearing_degrees(aleppo, safira))
'south-east'
>>> round(distance_km(aleppo, safira))
25
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from framelab.texts.corpus import datasets_dir
from framelab.texts.model import FramelabError, read_json

__all__ = [
    "COMPASS_POINTS",
    "Place",
    "bearing_degrees",
    "compass_point",
    "distance_km",
    "load_places",
]

EARTH_RADIUS_KM = 6371.0
COMPASS_POINTS = (
    "north",
    "north-east",
    "east",
    "south-east",
    "south",
    "south-west",
    "west",
    "north-west",
)
LABEL_SIDES = ("left", "right", "above", "below")
_FIELDS = ("id", "name", "spelling", "kind", "latitude", "longitude", "label", "texts", "source")


@dataclass(frozen=True)
class Place:
    """One place: its id, the name a map shows, the spelling the texts use, what kind
    of place it is, where it is, which side of its point the label goes, the texts
    that name it and where its coordinates come from."""

    id: str
    name: str
    spelling: str
    kind: str
    latitude: float
    longitude: float
    label: str
    texts: tuple[str, ...]
    source: str


def load_places(path: Path | None = None) -> dict[str, Place]:
    """The places in ``datasets/places/places.json`` (or ``path``), by id, in file order.
    A malformed file raises a FramelabError that names the place and the field."""
    path = path or datasets_dir() / "places" / "places.json"
    data = read_json(path)
    items = data.get("places") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise FramelabError(f"{path}: places: must be a non-empty list of places")
    places: dict[str, Place] = {}
    for index, item in enumerate(items):
        where = f"{path}: places[{index}]"
        if not isinstance(item, dict):
            raise FramelabError(f"{where}: must be an object with the fields {', '.join(_FIELDS)}")
        missing = [field for field in _FIELDS if field not in item]
        if missing:
            raise FramelabError(f"{where}: missing {', '.join(missing)}; add them")
        for field in ("latitude", "longitude"):
            if isinstance(item[field], bool) or not isinstance(item[field], (int, float)):
                raise FramelabError(f"{where} ({item['id']}): {field} must be a number")
        if not -90 <= item["latitude"] <= 90 or not -180 <= item["longitude"] <= 180:
            raise FramelabError(f"{where} ({item['id']}): latitude or longitude out of range")
        if item["label"] not in LABEL_SIDES:
            raise FramelabError(
                f"{where} ({item['id']}): label must be one of {', '.join(LABEL_SIDES)}"
            )
        if not str(item["source"]).strip():
            raise FramelabError(
                f"{where} ({item['id']}): source is empty; name where the "
                "coordinates come from, or leave the place out"
            )
        if item["id"] in places:
            raise FramelabError(f"{where}: the id {item['id']!r} is used twice")
        places[item["id"]] = Place(
            id=item["id"],
            name=item["name"],
            spelling=item["spelling"],
            kind=item["kind"],
            latitude=float(item["latitude"]),
            longitude=float(item["longitude"]),
            label=item["label"],
            texts=tuple(item["texts"]),
            source=item["source"],
        )
    return places


def bearing_degrees(start: Place, end: Place) -> float:
    """The initial great-circle bearing from ``start`` to ``end``, in degrees clockwise
    from north (0 north, 90 east, 180 south, 270 west)."""
    lat1, lat2 = math.radians(start.latitude), math.radians(end.latitude)
    dlon = math.radians(end.longitude - start.longitude)
    x = math.sin(dlon) * math.cos(lat2)
    y = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon)
    return math.degrees(math.atan2(x, y)) % 360


def compass_point(bearing: float) -> str:
    """The nearest of the eight compass points to a bearing in degrees.

    >>> compass_point(130), compass_point(170), compass_point(350)
    ('south-east', 'south', 'north')
    """
    return COMPASS_POINTS[round(bearing % 360 / 45) % 8]


def distance_km(start: Place, end: Place) -> float:
    """The great-circle distance between two places, in kilometres (haversine)."""
    lat1, lat2 = math.radians(start.latitude), math.radians(end.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(end.longitude - start.longitude)
    a = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
