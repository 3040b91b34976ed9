"""``python -m grading.commands.batch DIR``: grade a whole class and write a gradebook (``nox -s batch``).

``DIR`` holds one folder per student: a clone of the course (or of the students' template), or
a folder holding the exercise folders, at its top or a folder or two down. Exercises are graded
side by side (``--jobs``, default: one more than the CPUs this process may really use, as a
judge mostly waits for its sandboxes; a student gets a second
slot only when no other student waits for one), each from a private copy of the student's
exercise folders that the judge makes (links out of the student's folder are not followed; an
exercise folder that is a link counts as missing); an exercise folder equal to one already
graded in the run (an untouched starter, say) takes that result. Always with the course's own
graders and ``exercise.yaml`` files, never the student's copies. ``--before DATE`` grades each
student who is a git repository at their last commit before DATE, from a temporary clone (the
student's repository is only read); ``--extensions FILE`` gives some students a DATE of their
own. ``grades.csv`` keeps, per student, the commit graded, the deadline applied and how many
commits came after it. Each student has a time limit of their own (the time their
exercises take, added up): past it, what was graded counts and the rest is marked as stopped.

The gradebook (``--out``, default ``gradebook/``; see :mod:`grading.outputs.gradebook`) is written again
each time a student is done, so a crash late in a run loses nothing already graded, and a later
run (``--student NAME``, or some exercises only) updates its cells and keeps everyone else's.
A run of the whole class also compares the students' code (:mod:`grading.outputs.similarity`):
``similarity.html`` and ``.csv`` name the pairs whose code is unusually alike.

Every exercise of every student runs in the engine's own time-limited process
(:func:`grading.judge.worker.grade`); :mod:`grading.judge.schedule` shares the slots, as it does
for ``grading.commands.verify``; :mod:`grading.judge.checkout` makes the clones at a deadline.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import functools
import os
import sys
import time
from pathlib import Path

from grading.commands.shards import parse as parse_shard
from grading.commands.shards import shard_of
from grading.commands.classroom import WORKFLOW
from grading.commands.template import course_manifest, is_template_workflow, repository_name
from grading.judge import sandboxes
from grading.judge.course import COURSE_DIR, ID_PATTERN, Exercise, UsageError, load_course, select
from grading.judge.integrity import changed_files
from grading.judge.results import ExerciseResult
from grading.judge.schedule import Task, grade_roots, plans
from grading.judge.submissions import checkout_of
from grading.judge.worker import default_jobs
from grading.outputs import lms, safe, similarity
from grading.outputs.gradebook import AUDIT, NO_REPOSITORY, Gradebook, load, match_roster, read_roster
from grading.outputs.progress import Progress
from grading.outputs.report import fmt_points

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130

# -- a class ------------------------------------------------------------------------------------


def find_students(class_dir: Path, skip: Path | None = None) -> list[tuple[str, Path]]:
    """``(student, folder)`` for each student folder of ``class_dir``, by name.

    ``class_dir`` holds one folder per student, and a folder's name never changes that: a student
    folder named like an exercise, or ``exercises``, is one more student. Only a ``class_dir``
    that is plainly one checkout is one student: it has a real ``exercises/`` folder holding
    exercise folders, and none of its other folders is a student's (holds exercise folders).
    Links and hidden folders are no students; nor is ``skip`` (the output folder, if it is inside
    ``class_dir``).
    """
    folders = [
        folder for folder in sorted(class_dir.iterdir(), key=lambda p: p.name)
        if folder.is_dir() and not folder.is_symlink() and not folder.name.startswith((".", "_"))
        and (skip is None or folder.resolve() != skip.resolve())
    ]
    exercises = class_dir / "exercises"
    if exercises in folders and _holds_exercises(exercises) and not any(
        _holds_exercises(f) or _holds_exercises(f / "exercises") for f in folders if f != exercises
    ):
        return [(class_dir.resolve().name, class_dir)]
    return [(folder.name, folder) for folder in folders]


def _holds_exercises(folder: Path) -> bool:
    """Whether ``folder`` (not a link) has exercise folders (``01-hello``...) at its top."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        return any(ID_PATTERN.match(e.name) and e.is_dir(follow_symlinks=False) for e in entries)
    return False


def graders_changed(root: Path, course_dir: Path, repository: str | None = None) -> list[str]:
    """Grading files of a student's checkout that differ from the course's manifest.

    They change no score here (the course's own graders grade everyone), but an instructor
    wants to know. A folder holding only exercise folders has none to compare. The Classroom
    workflow ``nox -s template --repository`` writes is the course's, if it names ``repository``
    (when given: a workflow naming another grades with someone else's graders).
    """
    checkout = checkout_of(root)
    if not (checkout / "graders").is_dir():
        return []
    changed = changed_files(checkout, expected=course_manifest(course_dir))
    return [rel for rel in changed
            if rel != WORKFLOW.as_posix() or not is_template_workflow(checkout, course_dir, repository)]


def learn(root: Path, copy: Path, repository: str | None = None) -> dict:
    """What batch learns of a student's exercise folders as their private copy is made: the grading
    files changed, and the copy's code (as text, for :mod:`grading.outputs.similarity`)."""
    return {"graders_changed": graders_changed(root, COURSE_DIR, repository), "code": similarity.read_code(copy)}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nox -s batch --",
        description="Grade every student folder of a class; write grades.csv, checks.csv, report.html "
        "and one JSON report per student.",
    )
    parser.add_argument("class_dir", metavar="DIR", help="one folder per student (each a clone of the course)")
    parser.add_argument("exercises", nargs="*", metavar="EXERCISE", help="ids or numbers to grade (default: all)")
    parser.add_argument("--out", default="gradebook", help="where the gradebook goes (default: gradebook/)")
    parser.add_argument("--jobs", type=int, default=None, help="exercises graded at once (default: CPUs available + 1)")
    parser.add_argument("--student", action="append", default=[], metavar="NAME",
                        help="grade only this student folder (repeatable); the gradebook keeps the others")
    parser.add_argument("--before", metavar="DATE",
                        help="grade each git repository at its last commit before DATE (e.g. 2026-12-01T23:59)")
    parser.add_argument("--extensions", metavar="CSV",
                        help="student,deadline rows: a student's own deadline, in place of --before "
                        "(a student is a folder name, or with --roster a GitHub username or identifier)")
    parser.add_argument("--roster", metavar="CSV", help="GitHub Classroom's roster export, to name the students")
    parser.add_argument("--repository", metavar="ORG/NAME", type=repository_name,
                        help="the Classroom template's repository (its --repository): a student's workflow that "
                        "grades with another repository's graders is flagged")
    parser.add_argument("--shard", metavar="K/N", type=parse_shard,
                        help="grade only the K-th of N shares of the class (by a hash of each folder's name); "
                        "nox -s merge joins the shards' gradebooks")
    parser.add_argument("--allow-process-level", action="store_true",
                        help="grade even where student code can only be put in a process of its own (grades marked untrusted)")
    parser.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                        help="per student (default: the exercises' time limits added up, plus a minute)")
    return parser


def _check_date(text: str, where: str = "--before") -> str:
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{where} {text!r}: give a date like 2026-12-01 or 2026-12-01T23:59") from None
    return text


def read_extensions(path: Path) -> dict[str, str]:
    """``--extensions``: ``student,deadline`` rows (a header row is optional) -> {student: deadline}."""
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = [[cell.strip() for cell in r] for r in csv.reader(f) if any(cell.strip() for cell in r)]
    if rows and [c.lower() for c in rows[0][:2]] == ["student", "deadline"]:
        rows = rows[1:]
    found = {}
    for number, row in enumerate(rows, 1):
        if len(row) < 2 or not row[0]:
            raise UsageError(f"--extensions {path}: row {number} is not student,deadline")
        found[row[0].lower()] = _check_date(row[1], f"--extensions {path}, {row[0]}:")
    return found


def deadlines(book: Gradebook, students: list[str], before: str | None, extensions: dict[str, str]) -> tuple[dict, set]:
    """Each student's deadline: their extension (by folder name, GitHub username or identifier), else
    ``before``; and the extensions that were nobody's."""
    found, unused = {}, set(extensions)
    for name in students:
        identity = book.rows[name].identity if name in book.rows else {}
        keys = [k.lower() for k in (name, identity.get("github_username"), identity.get("identifier")) if k]
        key = next((k for k in keys if k in extensions), None)
        found[name] = extensions[key] if key else before
        unused.discard(key)
    return found, unused


def _students(args, out: Path) -> tuple[list[tuple[str, Path]], list[tuple[str, Path]]]:
    """The students to grade (``--student``, ``--shard``), and every student of the class."""
    class_dir = Path(args.class_dir)
    if not class_dir.is_dir():
        raise UsageError(f"{class_dir} is not a folder")
    students = everyone = find_students(class_dir, skip=out)
    if not everyone:
        raise UsageError(f"{class_dir} holds no student folder")
    if args.student:
        known = {name for name, _ in students}
        unknown = [name for name in args.student if name not in known]
        if unknown:
            raise UsageError(f"no student folder named {', '.join(unknown)} in {class_dir}")
        students = [(name, folder) for name, folder in students if name in args.student]
    if args.shard:  # a shard may hold nobody: its gradebook is then empty
        k, n = args.shard
        students = [(name, folder) for name, folder in students if shard_of(name, n) == k]
    return students, everyone


def main(argv: list[str] | None = None, course_dir: Path = COURSE_DIR) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Path(args.out)
    try:
        chosen = select(load_course(course_dir), args.exercises)
        students, everyone = _students(args, out)
        before = _check_date(args.before) if args.before else None
        extensions = read_extensions(Path(args.extensions)) if args.extensions else {}
        roster = read_roster(Path(args.roster)) if args.roster else None
    except (UsageError, OSError) as exc:
        parser.print_usage(sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE

    level = sandboxes.require_wall(course_dir, args.allow_process_level)
    if level is None:
        return EXIT_USAGE
    book = load(out, load_course(course_dir))
    if roster is not None:
        mine = (lambda name: shard_of(name, args.shard[1]) == args.shard[0]) if args.shard else None
        name_students(book, roster, [name for name, _ in students], [name for name, _ in everyone], mine)
    deadline, unused = deadlines(book, [name for name, _ in students], before, extensions)
    if unused and not args.student:
        print(f"warning: --extensions names no student of {args.class_dir}: {', '.join(sorted(unused))}", file=sys.stderr)
    extended = sum(1 for name, _ in students if deadline[name] != before)
    tasks = [
        Task(name, folder, chosen, private=True, before=deadline[name], time_limit=args.time_limit)
        for name, folder in students
    ]
    jobs = min(len(tasks) * len(chosen), max(1, args.jobs or default_jobs()))
    print(
        f"Grading {len(tasks)} student{'s' * (len(tasks) != 1)} x {len(chosen)} exercise{'s' * (len(chosen) != 1)},"
        f" {jobs} at a time" + (f", each at its last commit before {before}" if before else "")
        + (f", {extended} with an extension" if extended else "")
        + (f" (shard {args.shard[0]}/{args.shard[1]} of a class of {len(everyone)})" if args.shard else ""),
        flush=True,
    )
    progress = Progress(len(tasks), len(chosen))

    codes: dict[str, similarity.Code] = {}

    def on_finished(task: Task, results: list[ExerciseResult]) -> None:
        codes[task.name] = task.info.pop("code", {})
        row = book.row(task.name)
        earlier = [i for i in row.results if i not in {r.id for r in results}]  # kept from an earlier run
        before_commit = row.commit
        row.results.update((r.id, r) for r in results)
        for key in AUDIT:  # what this run graded: its commit, the deadline applied, work after it
            setattr(row, key, task.info.get(key, ""))
        kept = ""
        if earlier and before_commit and before_commit != row.commit:
            kept = f"{', '.join(sorted(earlier))} graded earlier, at {before_commit[:12]}"
        row.changed = task.info.get("graders_changed", [])
        stopped = next((r.error for r in results if r.error and r.error.startswith("Stopped:")), "")
        unknown = "not in the roster" if book.with_identity and not row.identity else ""
        untrusted = sandboxes.UNTRUSTED if level == "process" else ""
        row.note = "; ".join(p for p in (untrusted, task.info.get("note", ""), stopped, kept, unknown) if p)
        book.write([task.name])  # after every student: a crash later loses nothing graded
        progress.student_done(task.name, sum(r.score for r in results), sum(r.max_score for r in results), row.note)

    start = time.monotonic()
    try:
        graded = grade_roots(tasks, jobs, lambda task, result: progress.exercise_done(), on_finished,
                             lambda: plans(chosen), hide=[Path(args.class_dir), out], inspect=functools.partial(learn, repository=args.repository))
    except KeyboardInterrupt:
        print(f"\nStopped: {out} holds the {progress.done_students} students graded so far.", file=sys.stderr)
        return EXIT_INTERRUPTED
    book.write([])
    summary(book, graded, time.monotonic() - start, out)
    if args.shard:
        similarity.save_code(out, codes)
        print(f"Code similarity: compared when the shards are merged (nox -s merge); this shard's code is in "
              f"{out / similarity.CODE}.")
    else:
        print(compare_code(book, codes, chosen, out, whole_class=not args.student, course_dir=course_dir))
    return EXIT_OK


def compare_code(book: Gradebook, codes: dict[str, similarity.Code], exercises: list[Exercise], out: Path,
                 whole_class: bool, course_dir: Path = COURSE_DIR) -> str:
    """Write similarity.html and .csv for a run that graded the whole class (a part would compare a
    part); return what to tell the instructor."""
    if not whole_class:
        return f"Code similarity: not compared (only part of the class was graded); {out / similarity.HTML} is as it was."
    starters = similarity.read_code(course_dir / "exercises")
    starters = {e.id: starters.get(e.id, {}) for e in exercises}
    names = {name: row.identity.get("name", "") for name, row in book.rows.items()}
    started = time.monotonic()
    try:
        pairs = similarity.write(out, codes, starters, names)
    except ImportError as exc:  # run without nox, from requirements/grading.txt alone
        return f"Code similarity: not compared ({exc.name} is not installed: nox -s batch installs requirements/batch.txt)."
    return (f"Code similarity: {len(pairs)} pair{'s' * (len(pairs) != 1)} of students alike past "
            f"{similarity.THRESHOLD:.0%} ({time.monotonic() - started:.1f} s): {out / similarity.HTML}")


def name_students(book: Gradebook, roster: list[dict[str, str]], folders: list[str], everyone: list[str] = (),
                  mine=None) -> None:
    """Give each row the roster's identity; add a row for each roster student without a folder.

    ``everyone`` (the whole class's folders) are not graded now but have a folder; with ``mine``
    (a shard's test of a name), only the shard's roster students without a folder get a row.
    """
    book.with_identity = True
    for name in [n for n, row in book.rows.items() if not row.results and row.note == NO_REPOSITORY]:
        del book.rows[name]  # from an earlier run: the roster decides again
    matched = set()
    for name in set(book.rows) | set(folders):
        entry = match_roster(name, roster)
        row = book.row(name)
        if entry:
            row.identity = entry
            matched.add(id(entry))
        elif not row.note:
            row.note = "not in the roster"
    matched.update(id(entry) for entry in (match_roster(name, roster) for name in everyone) if entry)
    for entry in roster:
        name = entry.get("github_username") or entry.get("identifier") or "?"
        if id(entry) not in matched and (mine is None or mine(name)):
            row = book.row(name)
            row.identity, row.note = entry, NO_REPOSITORY


def summary(book: Gradebook, graded: dict[str, list[ExerciseResult]], seconds: float, out: Path) -> None:
    for student, results in graded.items():
        files = book.rows[student].changed
        if files:
            shown = safe.text(" ".join(map(safe.name, files)))
            print(f"warning: {safe.name(student)} changed grading files ({shown}); the course's own graded them")
    trouble = [f"  {safe.name(s)} {r.id}: {safe.text(r.error)}"
               for s, results in graded.items() for r in results if r.status == "error"]
    if trouble:
        print("Could not be graded (these count 0):", *trouble, sep="\n")
    totals = [sum(r.score for r in results) for results in graded.values()]
    possible = max((sum(r.max_score for r in results) for results in graded.values()), default=0.0)
    full = sum(1 for results in graded.values() if all(r.full_marks for r in results))
    rate = len(graded) / seconds * 60 if seconds else 0.0
    print(f"Graded {len(graded)} student{'s' * (len(graded) != 1)} in {seconds:.1f} s ({rate:.1f} students per minute).")
    if totals:
        print(
            f"Average {sum(totals) / len(totals):.1f} of {fmt_points(possible)} points; "
            f"lowest {fmt_points(min(totals))}, highest {fmt_points(max(totals))}; {full} with full marks."
        )
    if book.with_identity:
        for who, why in lms.left_out(book):
            print(f"note: {safe.name(who)} is not in {lms.CANVAS} and {lms.MOODLE}: {why}")
        print(f"For the LMS: {out / lms.CANVAS} (Canvas: Grades, Import), {out / lms.MOODLE} (Moodle: Import, CSV file)")
    print(f"Gradebook: {out / 'grades.csv'}, {out / 'checks.csv'}, {out / 'report.html'}; "
          f"one report per student: {out / '<student>.html'} and .json")


if __name__ == "__main__":
    sys.exit(main())
