"""The annotation guide's quoted examples and the mirror-pair file match the texts.

Every `text sNN` "quote" in docs/annotation-guide.md must be words of that unit (a quote may
skip words with "..."); every side of datasets/mirror-pairs.json must name a real unit whose
text contains its words; and the guide never cites the texts it reserves for its blind pilot.
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "annotation-guide.md"
KEYS = ROOT / "datasets" / "keys"
PAIRS = ROOT / "datasets" / "mirror-pairs.json"
# The suggester's held-out passages (datasets/lexicons/splits.json): the guide cites none.
HELDOUT = tuple(json.loads((ROOT / "datasets/lexicons/splits.json").read_text())["heldout"])
RESERVED = (
    "transfer-bus-strike-australia",
    "transfer-school-meals-germany",
    "transfer-startup-funding-nigeria",
    # the starting and finishing checks (lessons 00 and 08) measure reading: never examples
    "check-swimming-pool-ireland",
    "check-library-move-canada",
    # the capstone's text (exercise 08) is new to students: never an example
    "capstone-cruise-cap-norway",
    # the suggester's held-out split measures it on texts no rule was written from
    *HELDOUT,
)
CITE = re.compile(r"`([a-z0-9-]+) (s\d\d)`\s+\"([^\"]+)\"")
CITE_AFTER = re.compile(r"\"([^\"\n]+)\"\s+\(`([a-z0-9-]+)\s+(s\d\d)`")


def _units():
    units = {}
    for path in KEYS.glob("*.json"):
        key = json.loads(path.read_text())
        for s in key["sentences"]:
            units[(key["document"], s["id"])] = " ".join(s["text"].split())
    return units


def _fragments(quote):
    quote = " ".join(quote.split())
    return [f.strip(" .,:;") for f in re.split(r"\.\.\.|…", quote) if f.strip(" .,:;")]


def test_every_quoted_example_in_the_guide_is_in_its_unit():
    units = _units()
    text = GUIDE.read_text()
    checked, wrong = 0, []
    cites = CITE.findall(text) + [(d, u, q) for q, d, u in CITE_AFTER.findall(text)]
    for doc, uid, quote in cites:
        unit = units.get((doc, uid))
        if unit is None:
            wrong.append(f"{doc} {uid}: no such unit")
            continue
        checked += 1
        wrong += [f"{doc} {uid}: {f!r}" for f in _fragments(quote) if f not in unit]
    assert checked >= 60, checked
    assert wrong == []


def test_the_guide_does_not_cite_the_texts_reserved_for_the_pilot():
    front, rules = GUIDE.read_text().split("## The card", 1)
    for doc in RESERVED:
        assert doc in front, doc
        assert doc not in rules, doc


def test_every_mirror_pair_names_real_words_of_real_units():
    units = _units()
    title = json.loads((ROOT / "datasets/articles/aleppo-2024-11-30/meta.json").read_text())[
        "title"
    ]
    pairs = json.loads(PAIRS.read_text())["pairs"]
    assert len(pairs) >= 15
    kinds = {"fact", "attributed", "opinion", "structure"}
    devices = {
        "loaded",
        "intensifier",
        "speculation",
        "vague-source",
        "verb-bias",
        "generalization",
        None,
    }
    for pair in pairs:
        assert pair["rule"] and pair["id"]
        for side in (pair["a"], pair["b"]):
            where = title if side["unit"] == "title" else units[(side["text"], side["unit"])]
            assert side["words"] in where, (pair["id"], side)
            assert side["kind"] in kinds and side["device"] in devices, (pair["id"], side)
            assert side["kind"] not in side["accept"], (pair["id"], side)
            assert side["text"] not in RESERVED, (pair["id"], side)
            graded = json.loads(
                (ROOT / "datasets/articles" / side["text"] / "meta.json").read_text()
            )
            assert not graded.get("graded"), (pair["id"], side)


def _key_side(side):
    """The key's kind, accept and spans (text, device, neutral) for one side of a pair."""
    key = json.loads((KEYS / f"{side['text']}.json").read_text())
    if side["unit"] == "title":
        unit = key["headline"]
        spans = unit["spans"]
    else:
        unit = next(s for s in key["sentences"] if s["id"] == side["unit"])
        spans = [s for s in key["spans"] if unit["start"] <= s["start"] < unit["end"]]
    return unit["kind"], set(unit["accept"]), spans


def test_every_mirror_pair_is_keyed_by_the_same_rule_on_both_sides():
    """Even-handedness by rules, not by counts: each side of every pair has, in its key,
    the kind, accept and device the pair's rule gives (and a neutral where the pair names
    one); where the rule gives no device, no span of the key covers the words."""
    wrong = []
    for pair in json.loads(PAIRS.read_text())["pairs"]:
        for name in ("a", "b"):
            side = pair[name]
            kind, accept, spans = _key_side(side)
            says = f"{pair['id']} {name} ({side['text']} {side['unit']} {side['words']!r})"
            if (kind, accept) != (side["kind"], set(side["accept"])):
                wrong.append(
                    f"{says}: key {kind} {sorted(accept)}, rule {side['kind']} {side['accept']}"
                )
            covering = [
                s for s in spans if side["words"] in s["text"] or s["text"] in side["words"]
            ]
            if side["device"] is None:
                if covering:
                    wrong.append(
                        f"{says}: the rule gives no device, the key has {covering[0]['device']}"
                    )
                continue
            match = [s for s in covering if s["device"] == side["device"]]
            if not match:
                wrong.append(f"{says}: no {side['device']} span over these words in the key")
            elif side.get("neutral") and not any(
                s.get("neutral") == side["neutral"] for s in match
            ):
                wrong.append(
                    f"{says}: neutral {match[0].get('neutral')!r}, rule {side['neutral']!r}"
                )
    assert wrong == []


def _words(text):
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def test_no_wording_of_a_graded_or_reserved_text_shows_through_the_guide():
    """The guide may not quote the graded text or the pilot's reserved texts even without
    their unit ids: no run of five words of their texts, or of their keys' reasons, is in it
    (re-review finding 4). Phrases every key shares are allowed: they are the kit's own. For
    the suggester's held-out passages only their texts count: their keys' reasons quote the
    guide they were keyed by, which is no leak of an answer."""
    guide = _words(GUIDE.read_text().split("## The card", 1)[1])
    runs = {tuple(guide[i : i + 5]) for i in range(len(guide) - 4)}
    others = set()
    for path in KEYS.glob("*.json"):
        if path.stem not in (*RESERVED, "transfer-heatwave-spain"):
            key = json.loads(path.read_text())
            words = _words(" ".join(s["why"] for s in key["sentences"] + key["spans"]))
            words += _words((ROOT / "datasets/articles" / path.stem / "article.txt").read_text())
            others |= {tuple(words[i : i + 5]) for i in range(len(words) - 4)}
    shown = []
    for doc in (*RESERVED, "transfer-heatwave-spain"):
        key = json.loads((KEYS / f"{doc}.json").read_text())
        text = (ROOT / "datasets/articles" / doc / "article.txt").read_text()
        reasons = (
            "" if doc in HELDOUT else " ".join(s["why"] for s in key["sentences"] + key["spans"])
        )
        words = _words(text + " " + reasons)
        mine = {tuple(words[i : i + 5]) for i in range(len(words) - 4)} - others
        shown += [f"{doc}: {' '.join(run)}" for run in sorted(mine & runs)]
    assert shown == []
