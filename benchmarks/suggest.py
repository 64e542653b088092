"""Speed of framelab suggest, against a plain regex word-tokenising pass in the same run.

    .venv/bin/python benchmarks/suggest.py [--megabytes 1] [--repeat 3]

The text is every article of the kit, repeated to about --megabytes MB. Reported:
MB/s of a regex word pass (the baseline), of pysbd alone, of framelab's segmentation,
of the kind and device rules alone on already segmented text, and of suggest end to
end (segmentation and rules); each the best of --repeat runs, with its ratio to the
baseline.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from framelab.machine.suggest import load_lexicon, suggest
from framelab.texts.corpus import _segmenter, document_from_text, segment

ROOT = Path(__file__).resolve().parents[1]


def best(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = [p.read_text() for p in sorted((ROOT / "datasets" / "articles").glob("*/article.txt"))]
    corpus = "\n\n".join(texts) + "\n\n"
    text = corpus * max(1, round(args.megabytes * 1e6 / len(corpus.encode())))
    size = len(text.encode()) / 1e6
    lexicon = load_lexicon()
    document = document_from_text(text, "bench")
    pysbd = _segmenter()
    paragraphs = [p for p in text.split("\n") if p.strip()]
    runs = {
        "regex word pass (baseline)": lambda: re.findall(r"\w+", text),
        "pysbd alone, per paragraph": lambda: [pysbd.segment(p) for p in paragraphs],
        "framelab segmentation": lambda: segment(text),
        "kind and device rules on segmented text": lambda: suggest(document, lexicon),
        "suggest end to end": lambda: suggest(document_from_text(text, "bench"), lexicon),
    }
    print(f"{size:.2f} MB of text ({len(texts)} articles repeated), best of {args.repeat}")
    base = None
    for name, action in runs.items():
        rate = size / best(action, args.repeat)
        base = base or rate
        print(f"  {name:42} {rate:8.2f} MB/s   {base / rate:7.1f} times slower than the baseline")


if __name__ == "__main__":
    main()
