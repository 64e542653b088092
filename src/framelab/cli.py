"""The ``framelab`` command.

    framelab validate [PATH ...]      check datasets (default: the whole datasets/ folder)
    framelab units ARTICLE            list an article's sentences with their ids
    framelab key-from-quotes FILE     make a key from an authoring file that quotes words
    framelab release [ID ...]         regenerate exercises/ from solutions/ (maintainers)
    framelab navigation [--check]     rewrite the lessons' links from lessons/README.md
    framelab suggest PATH [--json]    machine guesses for a plain-text article, with reasons
    framelab evaluate [--json]        score the suggester and a baseline against the keys
    framelab new-exercise ARTICLE.txt --id ID [--capstone]   an exercise on your own article
    framelab report --course DIR --assignment ID [--out DIR]   the class view of an exercise
                                      (of a check: the class's starting and finishing point)
    framelab simulate-class --course DIR (--assignment ID | --checks [--gain G]) --students N
    framelab model-answers ID [--course DIR] [--out DIR] [--force]   a full-mark submission
    framelab collect ID [--course DIR]   collect from the exchange, refusing impersonation
    framelab handout ARTICLE [--key] [--out FILE] [--force]   a printable page to tag on paper
    framelab mark ID [--course DIR] [--student S] [--again]   mark written answers in a terminal
    framelab student-kit [--out FILE.zip] [--force]   a kit for students' machines, no graded key

Every command works on the course you stand in: the nearest folder above the current
one (itself included) that holds nbgrader_config.py or datasets/. Its datasets/ is used,
else $FRAMELAB_DATASETS, else the copy framelab was installed from; --course, where a
command takes it, wins over the folder you stand in. --verbose says which was used.

Bad input ends in one line naming what is wrong, never a traceback. Exit status: 0 done,
1 problems found (validate) or submissions refused (collect), 2 bad input, 3 a bug in
framelab (the line says so; --verbose shows the details to report).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from framelab.texts.corpus import DATASETS_VARIABLE, CourseLookup, find_course
from framelab.texts.model import FramelabError, os_problem

__all__ = ["main"]

COURSE_HELP = (
    "the course folder (default: the nearest folder above the current one, itself "
    "included, that holds nbgrader_config.py or datasets/); --course wins over the folder "
    "you stand in, and its datasets/ is used (else $FRAMELAB_DATASETS, else the installed copy)"
)
VERBOSE_HELP = "say which course and datasets folder are used; show the details of a bug"
BUG = 3  # the exit status of an error that is framelab's, not the input's


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    verbose = bool(getattr(args, "verbose", False))
    try:
        with _course_in_use(args) as found:
            if verbose:
                print(
                    f"framelab: {found.how}"
                    if args.reads_datasets
                    else f"framelab: the course folder is {args.course}",
                    file=sys.stderr,
                )
            return args.run(args)
    except FramelabError as error:
        print(f"framelab: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"framelab: {os_problem(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("framelab: stopped before it finished (interrupted)", file=sys.stderr)
        return 130
    except Exception as error:  # a bug in framelab: say so in one line, show it on request
        if verbose:
            raise
        detail = (str(error).strip().splitlines() or [""])[0][:200]
        print(
            f"framelab: unexpected error ({type(error).__name__}: {detail}). This is a bug in "
            "framelab, not a problem with your files: run the command again with --verbose "
            "and send what it prints to framelab's maintainers.",
            file=sys.stderr,
        )
        return BUG


@contextlib.contextmanager
def _course_in_use(args: argparse.Namespace) -> Iterator[CourseLookup]:
    """Find the course (from --course if given, else from the current folder), fill in
    --course, and point $FRAMELAB_DATASETS at its datasets while the command runs, so
    that the library and the nbgrader commands it starts all read the same folder."""
    given = getattr(args, "course", None)
    found = find_course(given if given is not None else Path("."))
    if hasattr(args, "course") and given is None:
        args.course = found.course or Path(".")
    before = os.environ.get(DATASETS_VARIABLE)
    if found.from_course:
        os.environ[DATASETS_VARIABLE] = str(found.datasets)
    try:
        yield found
    finally:
        if before is None:
            os.environ.pop(DATASETS_VARIABLE, None)
        else:
            os.environ[DATASETS_VARIABLE] = before


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="framelab",
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[2:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--verbose", "-v", action="store_true", help=VERBOSE_HELP)
    parser.set_defaults(reads_datasets=True)
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: given after the command it sets the flag, and never resets one given before
    common.add_argument(
        "--verbose", "-v", action="store_true", default=argparse.SUPPRESS, help=VERBOSE_HELP
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, **options: object) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], **options)  # type: ignore[arg-type]

    def file_out(sub: argparse.ArgumentParser, where: str) -> None:
        """--out FILE (``where`` says the default) and --force, for a command that writes
        one file and never replaces it unasked."""
        sub.add_argument("--out", type=Path, metavar="FILE", help=where)
        sub.add_argument("--force", action="store_true", help="replace FILE if it already exists")

    def exercise_command(name: str, **options: object) -> argparse.ArgumentParser:
        """A command on one exercise of a course: ID, then --course."""
        sub = command(name, **options)
        sub.add_argument("assignment", metavar="ID")
        sub.add_argument("--course", type=Path, help=COURSE_HELP)
        return sub

    check = command(
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
    check.set_defaults(run=lambda a: _validate(a.paths))
    units = command(
        "units",
        help="list an article's sentences with their ids",
        description="Print each unit of the article's segmentation: id, [structure], text.",
    )
    units.add_argument("article", metavar="ARTICLE", help="an article id under datasets/articles/")
    units.set_defaults(run=lambda a: _units(a.article))
    build = command(
        "key-from-quotes",
        help="make a key from an authoring file that quotes words instead of offsets",
        description="Read an authoring file (see framelab.texts.authoring), place every quoted "
        "span in its sentence, write datasets/keys/<document>.json (or --out), then validate it.",
    )
    build.add_argument("authoring", type=Path, metavar="FILE")
    build.add_argument("--out", type=Path, help="where to write the key")
    build.set_defaults(run=lambda a: _key_from_quotes(a.authoring, a.out))
    rel = command(
        "release",
        help="regenerate exercises/ from solutions/ with nbgrader (maintainers)",
        description="Run nbgrader generate_assignment for each exercise (default: all) in the "
        "course folder, leaving instructors' answers/ out, and store the notebooks clean.",
    )
    rel.add_argument("exercises", nargs="*", metavar="ID")
    rel.add_argument("--course", type=Path, help=COURSE_HELP)
    rel.set_defaults(run=lambda a: _release(a.course, a.exercises))
    nav = command(
        "navigation",
        help="rewrite the links between lessons from the plan in lessons/README.md (maintainers)",
        description="Rewrite the navigation line at the start and the end of every lesson "
        "notebook (previous, this one, next; 'coming soon' for a lesson not written yet) from "
        "the table in lessons/README.md. With --check, only list the notebooks out of step "
        "(exit 1 if any).",
    )
    nav.add_argument("--check", action="store_true", help="change nothing; exit 1 if out of step")
    nav.add_argument("--course", type=Path, help=COURSE_HELP)
    nav.set_defaults(run=lambda a: _navigation(a.course, a.check))
    sug = command(
        "suggest",
        help="guess each sentence's kind and the framing devices in a plain-text article",
        description="Segment a plain-text (UTF-8) article and propose a kind for every sentence "
        "and framing-device spans, each with a short reason. These are a machine's guesses from "
        "word lists and simple rules, and they are often wrong: read them as prompts.",
    )
    sug.add_argument("path", type=Path, metavar="PATH")
    sug.add_argument("--json", action="store_true", help="print one JSON object instead")
    sug.set_defaults(run=lambda a: _suggest(a.path, a.json))
    ev = command(
        "evaluate",
        help="score the suggester and TextBlob's subjectivity against every key",
        description="Per-kind and per-device precision, recall and F1 of the suggester and of a "
        "baseline (TextBlob subjectivity), on the development and held-out splits.",
    )
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    ev.set_defaults(run=lambda a: _evaluate(a.json))
    new = command(
        "new-exercise",
        help="start an exercise on your own article: folder, draft key, nbgrader source",
        description="Create datasets/articles/ID/ (the text, and metadata and a data card to "
        "fill in), a draft key from the machine's suggestions, and solutions/ID/. Review the key "
        '(and set "status": "reviewed") before `framelab release ID`: a draft is never released.',
    )
    new.add_argument("article", type=Path, metavar="ARTICLE.txt")
    new.add_argument("--id", required=True, dest="exercise", metavar="ID")
    new.add_argument("--course", type=Path, help=COURSE_HELP)
    new.add_argument(
        "--capstone",
        action="store_true",
        help="the capstone's route (lesson 08) on your article: tagging, a neutral rewrite, "
        "and where the machine is wrong",
    )
    new.set_defaults(run=lambda a: _new_exercise(a.article, a.exercise, a.course, a.capstone))
    rep = command(
        "report",
        help="the class view: what the class got wrong, and what to discuss next time",
        description="Read every student's answers (submitted/) and points (gradebook.db) for an "
        "exercise and write report.html (self-contained, printable), students.csv and items.csv. "
        "For either check (00-starting-point, 08-finishing-point): both are read, and the report "
        "shows each student's start and end, the class's change with its confidence interval and "
        "effect size, and slips.html, one slip a student with only their own scores.",
    )
    rep.add_argument("--course", type=Path, help=COURSE_HELP)
    rep.add_argument("--assignment", required=True, metavar="ID")
    rep.add_argument(
        "--out", type=Path, help="where to write (default: reports/<ID> in the course)"
    )
    rep.set_defaults(run=lambda a: _report(a.course, a.assignment, a.out))
    sim = command(
        "simulate-class",
        help="make a believable simulated class to try the grading and the report on",
        description="Fill submitted/ and the gradebook with N simulated students of varied skill "
        "(a few who did not hand in, or handed in untouched or broken files). With --checks: "
        "both checks (starting point and finishing point), with a true mean change of G points.",
    )
    sim.add_argument("--course", type=Path, help=COURSE_HELP)
    what = sim.add_mutually_exclusive_group(required=True)
    what.add_argument("--assignment", metavar="ID")
    what.add_argument(
        "--checks", action="store_true", help="simulate both checks instead of one exercise"
    )
    sim.add_argument(
        "--gain",
        type=float,
        metavar="G",
        help="with --checks: the class's true mean change, in points of 10 (default 1.5)",
    )
    sim.add_argument("--students", required=True, type=int, metavar="N")
    sim.add_argument("--seed", type=int, default=0, metavar="S")
    sim.set_defaults(run=_simulate)
    model = exercise_command(
        "model-answers",
        help="write what a full-mark student would hand in for an exercise (instructors only)",
        description="Write the released notebooks of exercise ID with, beside them, the "
        "answers file a full-mark student would hand in, made from the exercise's keys: "
        "the key's kind for every unit and every phrase it marks. It holds the key: keep it "
        "from students. Written answers are marked by hand with the rubric in docs/rubrics/.",
    )
    model.add_argument(
        "--out", type=Path, help="the folder to write into (default: model-answers/ in the course)"
    )
    model.add_argument("--force", action="store_true", help="replace an earlier copy")
    model.set_defaults(run=lambda a: _model_answers(a.course, a.assignment, a.out, a.force))
    col = exercise_command(
        "collect",
        help="collect submissions from nbgrader's exchange, refusing what is not the student's",
        description="Run nbgrader collect --update with framelab's checks: a submission is "
        "refused when it was made by another user than the student it names, names no "
        "student of the gradebook, holds a link, a special file or a file past the size "
        "limit, is dated in the future, before the release or before its files last "
        "changed, or carries another student's feedback secret. Prints nbgrader's warnings "
        "and every refusal (also kept in refused-submissions/ in the course); exits 1 when "
        "it refused any.",
    )
    col.add_argument(
        "--exchange", type=Path, help="the exchange root (default: nbgrader's configured one)"
    )
    col.add_argument("--course-id", help="the course id (default: nbgrader's configured one)")
    col.set_defaults(
        run=lambda a: _collect(a.assignment, a.course, a.exchange, a.course_id),
        reads_datasets=False,
    )
    hand = command(
        "handout",
        help="a printable page of a text to tag on paper (with --key, the teacher's copy)",
        description="Write a self-contained HTML page to print on A4 (open it in a browser and "
        "print): the text's title, source and date, whether it is constructed, how to use the "
        "sheet, then every numbered unit with four tick boxes (fact, attributed, opinion, "
        "structure) and lines for notes. With --key, the teacher's copy: the key's kind, "
        "reason and framing phrases under each unit. Never replaces a file unless --force.",
    )
    hand.add_argument("article", metavar="ARTICLE", help="an article id under datasets/articles/")
    hand.add_argument(
        "--key",
        action="store_true",
        help="the teacher's copy, with the answer key (keep it away from students)",
    )
    file_out(
        hand,
        "where to write (default: handouts/ARTICLE.html, or handouts/ARTICLE-key.html with "
        "--key, in the current folder; a folder gets that file name inside it)",
    )
    hand.set_defaults(run=lambda a: _handout(a.article, a.key, a.out, a.force))
    mark = exercise_command(
        "mark",
        help="mark the written answers of an exercise in a terminal (where Formgrader is off)",
        description="For each submission of exercise ID that autograde has recorded, show the "
        "student's written answer and ask for its points; each mark is saved in the gradebook "
        "at once, as Formgrader saves it, so stopping loses nothing. It runs no student code. "
        "Then run nbgrader generate_feedback ID. The rubrics are in docs/rubrics/.",
    )
    mark.add_argument("--student", help="mark only this student's answer")
    mark.add_argument("--again", action="store_true", help="also show answers already marked")
    mark.set_defaults(
        run=lambda a: _mark(a.course, a.assignment, a.student, a.again), reads_datasets=False
    )
    kit = command(
        "student-kit",
        help="a zip of the kit for students' own machines, with no graded key in it",
        description="Write a zip that students unpack and set up with make lab, for a class "
        "with no shared server: the package, the lessons, the released exercises, the "
        "glossary, 'an article of your own' and 'what happened next', and the datasets "
        "without the keys of graded texts and graded items. Solutions, answer notes, rubrics, "
        "lesson notes, tests and everything else in the course stay out. It refuses an "
        "exercise that was not released, and checks the kit for anything of a graded key "
        "before writing it.",
    )
    kit.add_argument("--course", type=Path, help=COURSE_HELP)
    file_out(
        kit,
        "the zip to write (default: framelab-students.zip in the current folder; a folder gets "
        "that name inside it)",
    )
    kit.set_defaults(run=lambda a: _student_kit(a.course, a.out, a.force), reads_datasets=False)
    return parser


def _mark(course: Path, assignment: str, student: str | None, again: bool) -> int:
    from framelab.instructor.marking import mark_written_answers

    done = mark_written_answers(course, assignment, again=again, student=student)
    print(
        f"\nmarked {done.marked}, skipped {done.skipped}; {done.left} answer(s) of "
        f"{assignment} still to mark or review."
        + (
            f" Next: nbgrader generate_feedback {assignment}."
            if not done.left
            else " Run framelab mark again to go on."
        )
    )
    return 0


def _student_kit(course: Path, out: Path | None, force: bool) -> int:
    from framelab.instructor.student_kit import KIT_ZIP, write_student_kit

    made = write_student_kit(course, out or Path(KIT_ZIP), force=force)
    print(
        f"wrote {made.path}: {made.files} files, without the keys of "
        f"{len(made.left_out)} graded texts. Students unpack it and run make lab in the "
        "framelab folder it holds."
    )
    return 0


def _handout(article: str, key: bool, out: Path | None, force: bool) -> int:
    from framelab.instructor.handouts import make_handout, write_handout

    page = make_handout(article, key=key)
    path = write_handout(page, out, force=force)
    for warning in page.warnings:
        print(f"framelab handout: warning: {warning}", file=sys.stderr)
    what = (
        f"the teacher's copy, with the key's kinds and {page.spans} framing "
        + ("phrase" if page.spans == 1 else "phrases")
        if key
        else "for students"
    )
    print(f"wrote {path}: {page.units} units, {what}. Open it in a browser and print it on A4.")
    return 0


def _validate(paths: list[Path]) -> int:
    from framelab.texts.corpus import datasets_dir
    from framelab.texts.validate import validate_datasets, validate_paths

    problems = validate_paths(paths) if paths else validate_datasets()
    where = "" if paths else f" in {datasets_dir()}"
    for problem in problems:
        print(problem)
    if problems:
        files = len({p.path for p in problems})
        print(
            f"framelab validate: {len(problems)} problem(s) in {files} file(s){where}",
            file=sys.stderr,
        )
        return 1
    print(f"framelab validate: no problems found{where}")
    return 0


def _units(article: str) -> int:
    from framelab.texts.authoring import units_table
    from framelab.texts.corpus import load_document

    print(units_table(load_document(article)))
    return 0


def _key_from_quotes(authoring: Path, out: Path | None) -> int:
    from framelab.texts.authoring import key_from_quotes
    from framelab.texts.corpus import key_path
    from framelab.texts.model import read_json
    from framelab.texts.validate import check_key

    key = key_from_quotes(read_json(authoring))
    path = out or key_path(key.document)
    problems = check_key(key.to_dict(), path)
    blocking = [p for p in problems if p.item != "status"]  # a draft may be written
    if blocking:  # a key with problems never replaces the one on disk
        for problem in blocking:
            print(problem)
        print(
            f"framelab key-from-quotes: {path} not written: {len(blocking)} problem(s)",
            file=sys.stderr,
        )
        return 1
    try:
        key.save(path)
    except OSError as error:
        raise FramelabError(f"cannot write {path}: {error.strerror}") from None
    print(f"wrote {path}: {len(key.labels)} sentences, {len(key.spans)} spans")
    for problem in problems:  # the draft, if it is one
        print(problem)
    return 0


def _release(course: Path, exercises: list[str]) -> int:
    from framelab.instructor.course import release

    for notebook in release(course, exercises or None):
        print(f"released {notebook}")
    return 0


def _navigation(course: Path, check: bool) -> int:
    from framelab.teach.navigation import write_navigation

    changed = write_navigation(Path(course) / "lessons", check=check)
    for path in changed:
        print(f"{'out of step' if check else 'rewrote'}: {path}")
    if not changed:
        print("every lesson's links are in step with lessons/README.md")
    return 1 if check and changed else 0


def _suggest(path: Path, as_json: bool) -> int:
    import json

    from framelab.machine.suggest import read_article, suggest_text

    found = suggest_text(read_article(path), path.stem)
    if as_json:
        print(json.dumps(found.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(f"Machine suggestions for {path} (guesses from word lists and rules: check each one)")
    for sentence in found.sentences:
        print(f"\n{sentence.id} [{sentence.kind}] {sentence.text}")
        for reason in sentence.reasons:
            print(f"    - {reason}")
        for span in found.spans:
            if sentence.start <= span.start < sentence.end:
                print(f"    * {span.device}: {span.reason}")
    print(f"\n{len(found.sentences)} sentences, {len(found.spans)} suggested spans")
    return 0


def _new_exercise(article: Path, exercise: str, course: Path, capstone: bool = False) -> int:
    from framelab.instructor.new_exercise import new_exercise

    for path in new_exercise(article, exercise, course, capstone=capstone):
        print(f"wrote {path}")
    print(
        f"\nNext: fill in every FILL IN in datasets/articles/{exercise}/; review the draft key "
        f"datasets/keys/{exercise}.json sentence by sentence (framelab units {exercise} lists the "
        'ids) and set "status": "reviewed"; run framelab validate; then framelab release '
        f"{exercise}."
    )
    return 0


def _report(course: Path, assignment: str, out: Path | None) -> int:
    from framelab.instructor.classreport import figures, load_class, progress_bar, write_report
    from framelab.teach.checks import is_check

    if is_check(assignment):
        return _check_report(course, out)
    data = load_class(course, assignment, progress_bar())
    for path in write_report(data, out or course / "reports" / assignment):
        print(f"wrote {path}")
    counts = figures(data).counts
    print(", ".join(f"{n} {status}" for status, n in counts.items()))
    return 0


def _check_report(course: Path, out: Path | None) -> int:
    from framelab.instructor.checkreport import load_progress, write_progress

    progress = load_progress(course)
    for path in write_progress(progress, out or course / "reports" / "checks"):
        print(f"wrote {path}")
    gain = progress.gain
    if gain is None:
        print(progress.why_no_gain)
    else:
        print(
            f"{gain.students} students did both checks: mean change {gain.mean_change:+.2f} "
            f"points of 10 ({gain.confidence:.0%} interval {gain.low:+.2f} to {gain.high:+.2f})"
        )
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from framelab.instructor.course import check_gradebook
    from framelab.instructor.simulate import simulate_checks, simulate_class
    from framelab.teach.checks import is_check

    course = args.course
    check_gradebook(course)
    if args.checks:
        made = simulate_checks(
            course, args.students, 1.5 if args.gain is None else args.gain, args.seed
        )
        for assignment, counts in made.made.items():
            print(
                f"simulated {args.students} students for {assignment} in {course}: "
                + ", ".join(f"{n} {status}" for status, n in counts.items())
            )
        print(f"their true mean change: {made.true_gain:+.2f} points of 10")
        return 0
    if args.gain is not None:
        raise FramelabError("--gain goes with --checks: an exercise is simulated without one")
    if is_check(args.assignment):
        raise FramelabError(
            f"{args.assignment} is a check: give --checks to simulate both checks together"
        )
    made = simulate_class(course, args.assignment, args.students, args.seed)
    print(
        f"simulated {args.students} students for {args.assignment} in {course}: "
        + ", ".join(f"{n} {status}" for status, n in made.items())
    )
    return 0


def _model_answers(course: Path, assignment: str, out: Path | None, force: bool) -> int:
    from framelab.instructor.model_answers import write_model_answers

    made = write_model_answers(course, assignment, out, force=force)
    for path in (*made.notebooks, *made.answers):
        print(path)
    print(
        f"a full-mark submission of {assignment} is in {made.folder}; it holds the key, so "
        "keep it from students"
    )
    return 0


def _collect(assignment: str, course: Path, exchange: Path | None, course_id: str | None) -> int:
    from framelab.instructor.course import check_collect_folders, nbgrader_failure
    from framelab.instructor.exchange import REFUSED_FOLDER, checked_collect

    check_collect_folders(course, assignment, exchange)
    try:
        refusals, warnings = checked_collect(assignment, course, exchange, course_id)
    except FramelabError as error:  # nbgrader's whole log, cut to the line that says why
        failed, _, log = str(error).partition("\n")
        if failed != "nbgrader collect failed:":
            raise
        raise FramelabError(nbgrader_failure("collect", log)) from None
    if warnings:
        print(warnings, file=sys.stderr)
    for refusal in refusals:
        print(f"{refusal} (made by {refusal.owner})")
    print(
        f"collected {assignment}; {len(refusals)} submission(s) refused"
        + (
            f", listed in {course / REFUSED_FOLDER / (assignment + '.txt')}; each stays in "
            "the exchange"
            if refusals
            else ""
        )
    )
    return 1 if refusals else 0


def _evaluate(as_json: bool) -> int:
    import json

    from framelab.machine.evaluate import baseline, evaluate, report, splits, suggester

    results = {
        split: {
            "framelab suggest": evaluate(ids, suggester),
            "TextBlob subjectivity": evaluate(ids, baseline),
        }
        for split, ids in splits().items()
    }
    if as_json:
        print(
            json.dumps(
                {s: {n: f.to_dict() for n, f in r.items()} for s, r in results.items()}, indent=1
            )
        )
    else:
        print(report(results))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
