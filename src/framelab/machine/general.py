"""The general lexicon: what two published sentiment lexicons say of English words,
kept in one small file the suggester reads offline.

``datasets/lexicons/general.tsv`` holds, for each word, its valence in VADER's
lexicon (vaderSentiment 3.3.2, MIT licence) and its polarity and subjectivity in the
adjective lexicon TextBlob ships from the Pattern project (textblob 0.20.1,
``en/en-sentiment.xml``, PDDL), with VADER's booster and dampener words. Neither
package is needed to read it: ``build`` makes it from the installed packages (a
maintainer's step, ``python -m framelab.machine.general``), and a test checks that the
file shipped is what ``build`` makes. How the suggester uses the figures (its
thresholds and exceptions) is in ``en.json``, tuned on the development texts only.

>>> words = load_general()
>>> words.valence("superb"), words.subjectivity("superb")
(3.1, 1.0)
>>> words.lookup("slammed")  # an inflected form finds its entry
'slam'
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from framelab.texts.corpus import datasets_dir
from framelab.texts.model import FramelabError, read_text

__all__ = ["General", "build", "general_path", "load_general"]

# Where each source's words come from, and under what terms (said in the data card too).
SOURCES = (
    {
        "name": "VADER sentiment lexicon and booster words",
        "package": "vaderSentiment",
        "version": "3.3.2",
        "files": ["vaderSentiment/vader_lexicon.txt", "vaderSentiment/vaderSentiment.py"],
        "licence": "MIT",
        "copyright": "Copyright (c) 2016 C.J. Hutto",
        "citation": "Hutto, C.J. and Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based "
        "Model for Sentiment Analysis of Social Media Text. ICWSM-14.",
    },
    {
        "name": "Pattern's subjectivity lexicon for English adjectives, as shipped by TextBlob",
        "package": "textblob",
        "version": "0.20.1",
        "files": ["textblob/en/en-sentiment.xml"],
        "licence": "PDDL (the file's own licence attribute); TextBlob itself is MIT",
        "copyright": "Tom De Smedt, Walter Daelemans (CLiPS, University of Antwerp)",
        "citation": "De Smedt, T. and Daelemans, W. (2012). Pattern for Python. Journal of "
        "Machine Learning Research 13: 2063-2067.",
    },
)

MIT_NOTICE = (
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    'software and associated documentation files (the "Software"), to deal in the Software '
    "without restriction, including without limitation the rights to use, copy, modify, merge, "
    "publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons "
    "to whom the Software is furnished to do so, subject to the following conditions: The above "
    "copyright notice and this permission notice shall be included in all copies or substantial "
    'portions of the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.'
)

# Inflections tried, in order, when a word is not an entry itself: (ending, replacement).
_ENDINGS = (
    ("ies", "y"),
    ("ied", "y"),
    ("ily", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("ness", ""),
)


@dataclass(frozen=True)
class General:
    """Word figures: (VADER valence or None, subjectivity or None, polarity or None)."""

    words: dict[str, tuple[float | None, float | None, float | None]]
    boosters: frozenset[str]
    dampeners: frozenset[str]

    def lookup(self, word: str) -> str | None:
        """The entry a word belongs to: itself, or a base form by a regular ending
        (doubled consonants too: "slammed" is "slam")."""
        word = word.lower()
        if word in self.words:
            return word
        for ending, replacement in _ENDINGS:
            stem = word[: -len(ending)]
            if word.endswith(ending) and len(stem) >= 3:
                for base in (stem + replacement, stem[:-1] if stem[-1:] == stem[-2:-1] else ""):
                    if base in self.words:
                        return base
        return None

    def valence(self, word: str) -> float | None:
        entry = self.lookup(word)
        return self.words[entry][0] if entry else None

    def subjectivity(self, word: str) -> float | None:
        entry = self.lookup(word)
        return self.words[entry][1] if entry else None

    def polarity(self, word: str) -> float | None:
        entry = self.lookup(word)
        return self.words[entry][2] if entry else None


MAX_BYTES = 1_000_000  # the file is about 150 kB


def general_path() -> Path:
    return datasets_dir() / "lexicons" / "general.tsv"


def load_general(path: str | Path | None = None) -> General:
    """Read the general lexicon (default datasets/lexicons/general.tsv); read once."""
    return _load(str(path or general_path()))


def _number(field: str) -> float | None:
    return float(field) if field else None


@cache
def _load(where: str) -> General:
    words: dict[str, tuple[float | None, float | None, float | None]] = {}
    boosters: set[str] = set()
    dampeners: set[str] = set()
    for number, line in enumerate(read_text(where, MAX_BYTES, what="lexicons").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        try:
            if fields[0] in ("booster", "dampener") and len(fields) == 2:
                (boosters if fields[0] == "booster" else dampeners).add(fields[1])
            elif fields[0] == "word" and len(fields) == 5:
                words[fields[1]] = (_number(fields[2]), _number(fields[3]), _number(fields[4]))
            else:
                raise ValueError
        except ValueError:
            raise FramelabError(
                f"{where}, line {number}: not a line of framelab's general lexicon (word, "
                "booster or dampener, then tab-separated fields); remake the file with "
                "python -m framelab.machine.general"
            ) from None
    return General(words, frozenset(boosters), frozenset(dampeners))


def _plain(word: str) -> bool:
    return word.replace("-", "").replace("'", "").isalpha() and word == word.lower()


def build(site_packages: str | Path) -> dict[str, Any]:
    """The general lexicon's data, read from vaderSentiment's and textblob's files in
    ``site_packages``: words only (no emoticons or abbreviations with digits)."""
    root = Path(site_packages)
    vader: dict[str, float] = {}
    for line in (root / "vaderSentiment" / "vader_lexicon.txt").read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and _plain(parts[0]):
            vader[parts[0]] = round(float(parts[1]), 2)
    senses: dict[str, list[tuple[float, float]]] = {}
    for entry in ET.parse(root / "textblob" / "en" / "en-sentiment.xml").getroot():
        form = (entry.get("form") or "").lower()
        if _plain(form):
            senses.setdefault(form, []).append(
                (float(entry.get("polarity", 0)), float(entry.get("subjectivity", 0)))
            )
    source = (root / "vaderSentiment" / "vaderSentiment.py").read_text("utf-8")
    tree = ast.parse(source)
    constants = {"B_INCR": 1, "B_DECR": -1}
    boosters: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "BOOSTER_DICT":
            for key, value in zip(node.value.keys, node.value.values, strict=True):  # type: ignore[attr-defined]
                boosters[key.value] = constants[value.id]  # type: ignore[union-attr]
    words = {}
    for word in sorted(set(vader) | set(senses)):
        pattern = senses.get(word)
        words[word] = [
            vader.get(word),
            round(sum(s for _, s in pattern) / len(pattern), 2) if pattern else None,
            round(sum(p for p, _ in pattern) / len(pattern), 2) if pattern else None,
        ]
    return {
        "sources": list(SOURCES),
        "boosters": sorted(w for w, sign in boosters.items() if sign > 0 and _plain(w)),
        "dampeners": sorted(w for w, sign in boosters.items() if sign < 0 and _plain(w)),
        "words": words,
    }


def _field(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write(data: dict[str, Any], path: Path) -> None:
    """The file as shipped: tab-separated, a line a word, its sources and licences in
    the header."""
    head = [
        "# framelab's general lexicon: what two published lexicons say of English words.",
        "# Made by python -m framelab.machine.general; do not edit by hand. See",
        "# datasets/lexicons/README.md for how framelab suggest uses it.",
        "# Lines: word<TAB>w<TAB>VADER valence (-4 to 4)<TAB>subjectivity (0 to 1)<TAB>",
        "# polarity (-1 to 1), a field left empty where a lexicon does not list the word;",
        "# booster<TAB>w and dampener<TAB>w for VADER's booster words.",
        "#",
    ]
    for source in data["sources"]:
        head.append(
            f"# Source: {source['name']} ({source['package']} {source['version']}, "
            f"{', '.join(source['files'])}). Licence: {source['licence']}. {source['copyright']}."
        )
        head.append(f"#   {source['citation']}")
    head += ["#", f"# {SOURCES[0]['copyright']}. {MIT_NOTICE}"]
    lines = [*head]
    lines += [f"booster\t{w}" for w in data["boosters"]]
    lines += [f"dampener\t{w}" for w in data["dampeners"]]
    lines += [
        "word\t" + "\t".join([w, *(_field(v) for v in figures)])
        for w, figures in data["words"].items()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:  # pragma: no cover (a maintainer's step; the test calls build)
    import sysconfig

    where = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(sysconfig.get_paths()["purelib"])
    write(build(where), general_path())
    print(f"wrote {general_path()}")


if __name__ == "__main__":
    main()
