"""The ``framelab`` command.

    framelab validate [PATH ...]      check datasets (default: the whole datasets/ folder)
    framelab units ARTICLE            list an article's sentences with their ids
    framelab key-from-quotes FILE     make a key from an authoring file that quotes words
    framelab release [ID ...]         regenerate exercises/ from solutions/ (maintainers)

Bad input ends in one line naming what is wrong, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from framelab.model import FramelabError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="framelab", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "validate",
        help="check articles, keys and annotations",
        description="Check articles (metadata, text), keys (schema, offsets, quoted text, the "
        "sentence list against the segmenter's, labels) and annotation files. Prints one line "
        "per problem; exits 1 if there is any.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders to check (default: every article and key under datasets/)",
    )
    units = commands.add_parser(
        "units",
        help="list an article's sentences with their ids",
        description="Print each unit of the article's segmentation: id, [structure], text.",
    )
    units.add_argument("article", metavar="ARTICLE", help="an article id under datasets/articles/")
    build = commands.add_parser(
        "key-from-quotes",
        help="make a key from an authoring file that quotes words instead of offsets",
        description="Read an authoring file (see framelab.authoring), place every quoted span "
        "in its sentence, and write datasets/keys/<document>.json (or --out), then validate it.",
    )
    build.add_argument("authoring", type=Path, metavar="FILE")
    build.add_argument("--out", type=Path, help="where to write the key")
    rel = commands.add_parser(
        "release",
        help="regenerate exercises/ from solutions/ with nbgrader (maintainers)",
        description="Run nbgrader generate_assignment for each exercise (default: all) in the "
        "course folder, leaving instructors' answers/ out, and store the notebooks clean.",
    )
    rel.add_argument("exercises", nargs="*", metavar="ID")
    rel.add_argument("--course", type=Path, default=Path("."), help="the course folder")
    args = parser.parse_args(argv)
    try:
        if args.command == "units":
            return _units(args.article)
        if args.command == "release":
            return _release(args.course, args.exercises)
        if args.command == "key-from-quotes":
            return _key_from_quotes(args.authoring, args.out)
        return _validate(args.paths)
    except FramelabError as error:
        print(f"framelab: {error}", file=sys.stderr)
        return 2


def _validate(paths: list[Path]) -> int:
    from framelab.validate import validate_datasets, validate_paths

    problems = validate_paths(paths) if paths else validate_datasets()
    for problem in problems:
        print(problem)
    if problems:
        files = len({p.path for p in problems})
        print(f"framelab validate: {len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    print("framelab validate: no problems found")
    return 0


def _units(article: str) -> int:
    from framelab.authoring import units_table
    from framelab.corpus import load_document

    print(units_table(load_document(article)))
    return 0


def _key_from_quotes(authoring: Path, out: Path | None) -> int:
    from framelab.authoring import key_from_quotes
    from framelab.corpus import datasets_dir
    from framelab.model import read_json

    key = key_from_quotes(read_json(authoring))
    path = out or datasets_dir() / "keys" / f"{key.document}.json"
    key.save(path)
    print(f"wrote {path}: {len(key.labels)} sentences, {len(key.spans)} spans")
    return _validate([path])


def _release(course: Path, exercises: list[str]) -> int:
    from framelab.course import release

    for notebook in release(course, exercises or None):
        print(f"released {notebook}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
