"""The ``framelab`` command.

    framelab validate [PATH ...]   check datasets (default: the whole datasets/ folder)

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
    args = parser.parse_args(argv)
    try:
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
