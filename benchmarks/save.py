"""What a save costs the tagger now that it checks for another writer: the seed
article's answers saved many times through AnswersFile (a lock, a read and compare,
an atomic write) against a plain atomic write of the same answers in the same run.

    .venv/bin/python benchmarks/save.py [--saves 300]

Also times a save that has to merge another writer's answers.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from framelab.grading.answers import AnswersFile, answers_path, write
from framelab.texts.corpus import load_document, load_key
from framelab.texts.model import Annotation, Label, Span

SEED = "aleppo-2024-11-30"


def timed(action, count: int) -> list[float]:
    out = []
    for n in range(count):
        started = time.perf_counter()
        action(n)
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=300)
    args = parser.parse_args()
    document, key = load_document(SEED), load_key(SEED)
    full = Annotation(
        SEED,
        tuple(Label(label.id, label.kind) for label in key.labels),
        tuple(Span(s.start, s.end, s.device) for s in key.spans),
    )
    with tempfile.TemporaryDirectory() as scratch:
        plain_path = Path(scratch) / "plain" / "answers" / "x.json"
        handle = AnswersFile(answers_path("x", Path(scratch) / "checked"), document)
        plain = timed(lambda n: write(plain_path, full), args.saves)
        checked = timed(lambda n: handle.save(full), args.saves)
        other = AnswersFile(handle.path, document)
        other.load()

        def merging(n: int) -> None:  # the other writer saves, then this one must merge
            other.save(Annotation(SEED, full.labels, full.spans[: n % len(full.spans)]))
            handle.save(full)

        merged = timed(merging, args.saves // 3)
    a, b, c = (statistics.median(x) * 1000 for x in (plain, checked, merged))
    print(f"{len(full.labels)} kinds and {len(full.spans)} spans, {args.saves} saves each")
    print(f"plain atomic write      {a:6.2f} ms (median)")
    print(f"checked save (framelab) {b:6.2f} ms, {b / a:.2f} x the plain write")
    print(f"other writer + merge    {c:6.2f} ms for both saves, {c / a:.2f} x")


if __name__ == "__main__":
    main()
