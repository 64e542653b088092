"""The general lexicon (datasets/lexicons/general.tsv): made from the published lexicons
it names, with their licences said, and read offline without them."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from framelab.machine.general import SOURCES, build, load_general, write
from framelab.texts.model import FramelabError

from .conftest import DATASETS, ROOT

SHIPPED = DATASETS / "lexicons" / "general.tsv"


def test_the_shipped_file_is_what_the_published_lexicons_make(tmp_path):
    pytest.importorskip("vaderSentiment")
    pytest.importorskip("textblob")
    made = tmp_path / "general.tsv"
    write(build(Path(sysconfig.get_paths()["purelib"])), made)
    assert made.read_bytes() == SHIPPED.read_bytes()


def test_the_versions_read_are_the_versions_named():
    from importlib.metadata import version

    for source in SOURCES:
        assert version(source["package"]) == source["version"], source["package"]


def test_each_source_and_its_licence_is_said_in_the_file_and_the_data_card():
    head = "\n".join(line for line in SHIPPED.read_text().splitlines() if line.startswith("#"))
    card = (DATASETS / "lexicons" / "README.md").read_text()
    for source in SOURCES:
        assert f"{source['package']} {source['version']}" in head
        assert source["copyright"] in head
        assert source["package"] in card and source["version"] in card
    assert "Licence: MIT" in head and "PDDL" in head
    assert "Permission is hereby granted, free of charge" in head  # MIT asks for its notice
    for said in ("MIT", "PDDL", "C.J. Hutto", "De Smedt"):
        assert said in card, said


def test_it_holds_the_words_and_figures_of_both_lexicons():
    words = load_general()
    assert len(words.words) > 8000
    assert words.valence("superb") == 3.1 and words.subjectivity("superb") == 1.0
    assert words.valence("glossy") is None  # in neither
    assert words.lookup("slammed") == "slam" and words.lookup("flurbled") is None
    assert {"extremely", "utterly"} <= words.boosters and "slightly" in words.dampeners


def test_the_suggester_reads_it_offline_with_neither_package_and_fast(tmp_path):
    """In a fresh interpreter with textblob, vaderSentiment and nltk unimportable and no
    network, the lexicons load and suggest runs; loading takes well under a second."""
    script = tmp_path / "offline.py"
    script.write_text(
        "import socket, sys, time\n"
        "for name in ('textblob', 'vaderSentiment', 'nltk'):\n"
        "    sys.modules[name] = None  # an import of any of them fails\n"
        "def no_network(*args, **kwargs):\n"
        "    raise OSError('no network')\n"
        "socket.socket = no_network\n"
        "started = time.perf_counter()\n"
        "from framelab.machine.suggest import load_lexicon, suggest_text\n"
        "load_lexicon()\n"
        "loaded = time.perf_counter() - started\n"
        "found = suggest_text('The council splurged on a glossy, superb and disastrous hall.')\n"
        "print(loaded)\n"
        "print(sorted(s.text for s in found.spans))\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, check=True
    )
    loaded, spans = done.stdout.splitlines()
    assert float(loaded) < 0.5
    assert "superb" in spans and "disastrous" in spans


def test_a_damaged_file_is_refused_with_the_line_and_what_to_do(tmp_path):
    damaged = tmp_path / "general.tsv"
    damaged.write_text("# a header\nword\tsuperb\t3.1\t1.0\t1.0\nword\tbroken\tnot a number\t\t\n")
    with pytest.raises(FramelabError, match=r"general\.tsv, line 3: .*python -m framelab"):
        load_general(damaged)
