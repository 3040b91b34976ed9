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
student's repository is only read). Each student has a time limit of their own (the time their
exercises take, added up): past it, what was graded counts and the rest is marked as stopped.

The gradebook (``--out``, default ``gradebook/``; see :mod:`grading.outputs.gradebook`) is written again
each time a student is done, so a crash late in a run loses nothing already graded, and a later
run (``--student NAME``, or some exercises only) updates its cells and keeps everyone else's.

Every exercise of every student runs in the engine's own time-limited process
(:func:`grading.judge.worker.grade`). :func:`grade_roots` is the parallel part, shared with
``grading.commands.verify``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grading.commands.template import course_manifest
from grading.judge import sandboxes
from grading.judge.course import (
    COURSE_DIR,
    ID_PATTERN,
    Exercise,
    UsageError,
    load_course,
    requirement_modules,
    select,
)
from grading.judge.integrity import changed_files
from grading.judge.results import CheckResult, ExerciseResult
from grading.judge.submissions import checkout_of, find_exercise_root, private_copy
from grading.judge.worker import default_jobs, grade, preload
from grading.outputs.gradebook import NO_REPOSITORY, Gradebook, load, match_roster, read_roster
from grading.outputs import safe
from grading.outputs.report import fmt_points

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130
GRACE = 5.0  # seconds a stopped student's grading gets to end its own processes

_context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")


@dataclass
class Task:
    """Some exercises to grade in one folder.

    With ``private`` set, ``root`` is a student's folder: the task grades a private copy of its
    exercise folders (at the last commit before ``before``, if given) instead of ``root`` itself.
    """

    name: str
    root: Path
    exercises: list[Exercise]
    private: bool = False
    before: str | None = None
    time_limit: float | None = None
    info: dict = field(default_factory=dict)  # what the task learnt: commit, files changed, a note


# -- one student's files, as the judge sees them ---------------------------------------------------


def _git(*args: str, cwd: Path | None = None) -> str:
    """Run git without prompts, hooks or the student's ownership mattering; return its output."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1"}
    command = ["git", "-c", "safe.directory=*", "-c", "core.hooksPath=/dev/null", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=True, timeout=300).stdout


def checkout_before(home: Path, before: str, target: Path) -> tuple[Path | None, dict]:
    """A temporary clone of ``home`` at its last commit before ``before``; the repository is only read."""
    if not (home / ".git").exists():
        return home, {"note": "not a git repository: graded as it is"}
    try:
        commit = _git("rev-list", "-1", f"--before={before}", "HEAD", cwd=home).strip()
    except (subprocess.SubprocessError, OSError) as exc:
        return None, {"note": f"git could not read the repository ({_first_line(exc)})"}
    if not commit:
        return None, {"note": f"no commit before {before}"}
    clone = target / "clone"
    _git("clone", "--quiet", "--no-checkout", "--no-hardlinks", str(home.resolve()), str(clone))
    _git("checkout", "--quiet", "--detach", commit, cwd=clone)
    committed = _git("show", "-s", "--format=%cI", commit, cwd=clone).strip()
    return clone, {"commit": commit, "committed": committed}


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "stderr", None) or str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def prepare(task: Task, target: Path) -> tuple[Path, dict]:
    """The folder to grade for ``task`` (a private copy for a student), and what was learnt."""
    if not task.private:
        return task.root, {}
    home, info = task.root, {}
    if task.before:
        home, info = checkout_before(task.root, task.before, target)
    if home is None:
        return (target / "exercises"), info  # nothing to grade: every exercise is missing
    root = find_exercise_root(home, [e.id for e in task.exercises])
    info["graders_changed"] = graders_changed(root, COURSE_DIR)
    return private_copy(root, [e.id for e in task.exercises], target / "copy", home=home), info


# -- grading many folders at once ---------------------------------------------------------------


def digest(folder: Path) -> str:
    """A hash of everything in a private copy's exercise folder (its folders, file names and
    contents): two equal folders get the same grade, as grading is deterministic."""
    h = hashlib.sha256()
    for here, folders, files in os.walk(folder):
        folders.sort()
        h.update(f"d {os.path.relpath(here, folder)}\0".encode())
        for name in sorted(files):
            with open(os.path.join(here, name), "rb") as f:
                h.update(f"f {name}\0".encode() + hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def _prepared(task: Task, target: Path) -> tuple:
    """A student's folder to grade (see :func:`prepare`), what was learnt, and each exercise's digest."""
    try:
        root, info = prepare(task, target)
    except (OSError, subprocess.SubprocessError) as exc:
        root, info = target / "nothing", {"note": f"could not be read: {_first_line(exc)}"}
        root.mkdir()
    return "prepared", (str(root), info, {e.id: digest(root / e.id) for e in task.exercises}), 0.0


def _graded(exercise: Exercise, root: Path) -> tuple:
    result = grade([exercise], root, jobs=1)[0]
    return "result", result.to_json(), result.seconds


def _child(conn, work, *args) -> None:
    """Runs in its own process (forked after Flask, pytest and the extensions are imported):
    ``work(*args)``, whose answer goes back over ``conn``."""
    try:
        conn.send(work(*args))
    except KeyboardInterrupt:
        pass
    finally:
        conn.close()


def _lost(exercise: Exercise, why: str, plan: ExerciseResult | None = None) -> ExerciseResult:
    """An exercise that could not be graded: every planned check, with no points and why."""
    checks = [
        CheckResult(name=c.name, points=0.0, max_points=c.max_points, status="error", message=why, doc=c.doc)
        for c in (plan.checks if plan else [])
    ]
    return ExerciseResult(id=exercise.id, title=exercise.title, status="error", error=why, checks=checks)


def _shareable(result: ExerciseResult) -> bool:
    """A result that an equal folder may take: no error and no timeout, which may be passing trouble."""
    return result.status in ("passed", "failed") and not any(c.status in ("error", "timeout") for c in result.checks)


def plans(exercises: list[Exercise]) -> dict[str, ExerciseResult]:
    """Each exercise's checks and their points (collected, not run): what a lost exercise misses."""
    with tempfile.TemporaryDirectory(prefix="plans-") as nothing:
        return {r.id: r for r in grade(exercises, Path(nothing))}


def _stop(process) -> None:
    """End a task's process: it may be stopped (SIGSTOP); given a moment, it ends its own children."""
    with contextlib.suppress(OSError):
        os.kill(process.pid, signal.SIGCONT)
        os.kill(process.pid, signal.SIGINT)
    process.join(GRACE)
    if process.is_alive():
        process.kill()
        process.join(1)


def _limit(task: Task) -> float:
    return task.time_limit or sum(e.time_limit for e in task.exercises) + 60


@dataclass(eq=False)
class _Open:
    """A task being graded: its folder to grade once prepared, what is left, and its clock."""

    task: Task
    todo: list[Exercise]
    folder: Path | None = None  # its own folder in the run's workdir: its private copy
    root: Path | None = None
    digests: dict[str, str] = field(default_factory=dict)
    running: int = 0
    used: float = 0.0  # seconds of slots held: two exercises at once count twice
    since: float = 0.0

    def tick(self) -> None:
        now = time.monotonic()
        self.used += self.running * (now - self.since)
        self.since = now

    def key(self, exercise: Exercise) -> tuple[str, str] | None:
        return (exercise.id, self.digests[exercise.id]) if exercise.id in self.digests else None


def grade_roots(  # noqa: PLR0913
    tasks: list[Task], jobs: int | None = None, on_result=None, on_finished=None, planned=None,
    hide: list[Path] = (),
) -> dict[str, list[ExerciseResult]]:
    """Grade every task, ``jobs`` exercises at a time; ``on_result(task, result)`` as each exercise
    ends, ``on_finished(task, results)`` as each task does.

    Each exercise is graded in a process of its own (forked after Flask, pytest and the extensions
    are imported) with :func:`grading.judge.worker.grade`, and a student's private copy is made by one
    more such process. A free slot goes to a task that has nothing running, else to the next task,
    and only when no task waits for one to a task that already runs an exercise: a slow or hostile
    folder holds one slot while others wait, and the end of the run, when nobody waits, is shared.
    A task's exercises start longest first (by their time limits), so that none starts last alone.
    An exercise folder equal to one already graded in this run (same digest) takes its result
    rather than being graded again, unless that result had an error or a timeout.

    A task that held slots for longer than its ``time_limit`` (two exercises at once count
    twice) is stopped: its exercises not graded by then are marked as stopped, with the checks of
    ``planned`` (see :func:`plans`; or a function returning them, called only if an exercise is
    lost, as collecting every plan takes a second) at zero points. Returns each task's results, in
    the order of its exercises. The private copies of the students' folders are made in one folder
    of the run, ``workdir``, each removed as its student is done, and ``workdir`` at the end.

    Every sandbox of the run comes from one zygote, which hides from student code every student's
    folder, ``workdir`` and the folders in ``hide`` (the class, the gradebook): a student's code
    sees only the private copy of the exercise it is graded on.
    """
    jobs = max(1, jobs or default_jobs())
    workdir = tempfile.mkdtemp(prefix="batch-")
    exercises = sorted({e for t in tasks for e in t.exercises}, key=lambda e: e.id)
    preload(exercises)
    if exercises:
        sandboxes.start(exercises[0].course_dir, requirement_modules(exercises),
                        hide=[str(p) for p in [*hide, workdir, *(t.root for t in tasks)]])
    results: dict[str, dict[str, ExerciseResult]] = {t.name: {} for t in tasks}
    pending = list(tasks)
    opened: list[_Open] = []
    running: dict[object, tuple[_Open, object, Exercise | None]] = {}  # connection -> (task, process, exercise)
    in_flight: set[tuple[str, str]] = set()
    shared: dict[tuple[str, str], ExerciseResult] = {}

    def record(task: Task, result: ExerciseResult) -> None:
        results[task.name][result.id] = result
        if on_result:
            on_result(task, result)

    def start(one: _Open, work, *args, exercise: Exercise | None = None) -> None:
        one.tick()
        parent_end, child_end = _context.Pipe(duplex=False)
        process = _context.Process(target=_child, args=(child_end, work, *args))
        process.start()
        child_end.close()
        one.running += 1
        running[parent_end] = (one, process, exercise)
        if exercise and one.key(exercise):
            in_flight.add(one.key(exercise))

    def ended(conn, stop: bool = False) -> None:
        one, process, exercise = running.pop(conn)
        conn.close()
        _stop(process) if stop else process.join()
        one.tick()
        one.running -= 1
        in_flight.discard(exercise and one.key(exercise))

    def plan(exercise: Exercise) -> ExerciseResult | None:
        nonlocal planned
        planned = planned() if callable(planned) else planned
        return (planned or {}).get(exercise.id)

    def finish(one: _Open, why: str | None) -> None:
        opened.remove(one)
        if one.folder:
            shutil.rmtree(one.folder, ignore_errors=True)
        task = one.task
        for exercise in task.exercises:
            if exercise.id not in results[task.name]:
                why = why or "The grading process stopped: tell your instructor."
                record(task, _lost(exercise, why, plan(exercise)))
        if on_finished:
            on_finished(task, [results[task.name][e.id] for e in task.exercises])

    def settle() -> None:
        """Give equal folders the results already shared; finish the tasks with nothing left."""
        for one in list(opened):
            for exercise in [e for e in one.todo if one.key(e) in shared]:
                one.todo.remove(exercise)
                result = copy.deepcopy(shared[one.key(exercise)])
                result.seconds = 0.0
                record(one.task, result)
            if one.root is not None and not one.todo and not one.running:
                finish(one, None)

    def start_next() -> bool:
        """Give a free slot its work (see above); False when no work can start now."""
        def startable(one):
            return next((e for e in one.todo if one.key(e) is None or one.key(e) not in in_flight), None)

        ready = [one for one in opened if one.root is not None and startable(one)]
        idle = [one for one in ready if not one.running]
        if not idle and pending:
            task = pending.pop(0)
            one = _Open(task, sorted(task.exercises, key=lambda e: -e.time_limit))  # longest first
            opened.append(one)
            if not task.private:
                one.root = task.root
                return True
            one.folder = Path(tempfile.mkdtemp(prefix="student-", dir=workdir))
            start(one, _prepared, task, one.folder)
            return True
        if not ready:
            return False
        one = min(idle or ready, key=lambda o: o.running)
        exercise = startable(one)
        one.todo.remove(exercise)
        start(one, _graded, exercise, one.root, exercise=exercise)
        return True

    try:
        while pending or opened:
            settle()
            while len(running) < jobs and start_next():
                settle()
            if not running:
                continue
            for one, _, _ in running.values():
                one.tick()
            left = min((_limit(one.task) - one.used) / one.running for one, _, _ in running.values())
            for conn in multiprocessing.connection.wait(list(running), timeout=max(0.0, left)):
                one = running[conn][0]
                try:
                    kind, data, seconds = conn.recv()
                except EOFError:
                    kind = None
                if kind == "prepared":
                    root, one.task.info, one.digests = data
                    one.root = Path(root)
                elif kind == "result":
                    result = ExerciseResult.from_json(data)
                    result.seconds = seconds
                    record(one.task, result)
                    key = one.key(next(e for e in one.task.exercises if e.id == result.id))
                    if key and _shareable(result):
                        shared[key] = result
                ended(conn)
                if kind is None and one.root is None:  # no private copy: nothing can be graded
                    one.todo.clear()
                    if not one.running:
                        finish(one, None)
            for one, _, _ in running.values():
                one.tick()
            for one in {one for one, _, _ in running.values() if one.used > _limit(one.task)}:
                for conn in [c for c, (o, _, _) in running.items() if o is one]:
                    ended(conn, stop=True)
                one.todo.clear()
                finish(one, f"Stopped: grading this student took longer than {_limit(one.task):g} s.")
    finally:
        for _, process, _ in list(running.values()):
            process.join(1)  # after a Ctrl-C, the terminal has already interrupted it
            if process.is_alive():
                _stop(process)
        sandboxes.stop()  # every sandbox of every student, and all they started, ends here
        shutil.rmtree(workdir, ignore_errors=True)
    return {t.name: [results[t.name][e.id] for e in t.exercises] for t in tasks}


# -- a class ------------------------------------------------------------------------------------


def find_students(class_dir: Path, skip: Path | None = None) -> list[tuple[str, Path]]:
    """``(student, folder)`` for each student folder of ``class_dir``, by name.

    A ``class_dir`` that is itself one checkout (it has exercise folders at its top or in
    ``exercises/``) is one student. ``skip`` (the output folder, if it is inside ``class_dir``)
    is no student.
    """
    if (class_dir / "exercises").is_dir() or any(ID_PATTERN.match(p.name) and p.is_dir() for p in class_dir.iterdir()):
        return [(class_dir.resolve().name, class_dir)]
    return [
        (folder.name, folder)
        for folder in sorted(class_dir.iterdir(), key=lambda p: p.name)
        if folder.is_dir() and not folder.is_symlink() and not folder.name.startswith((".", "_"))
        and (skip is None or folder.resolve() != skip.resolve())
    ]


class Progress:
    """A bar redrawn in place on a terminal (students done, time left); a line per student otherwise."""

    def __init__(self, students: int, per_student: int, stream=None):
        self.stream = stream or sys.stdout
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty() and not os.environ.get("CI")
        self.students, self.total = students, students * per_student
        self.done_exercises = 0
        self.done_students = 0
        self.start = time.monotonic()

    def exercise_done(self) -> None:
        self.done_exercises += 1
        self.draw()

    def student_done(self, name: str, score: float, max_score: float, note: str = "") -> None:
        self.done_students += 1
        if self.tty:
            self.draw()
            if self.done_students == self.students:
                self.stream.write("\n")
                self.stream.flush()
        else:
            extra = f" ({safe.text(note)})" if note else ""
            print(
                f"[{self.done_students}/{self.students}] {safe.name(name)}: {fmt_points(score)}/{fmt_points(max_score)}{extra}",
                file=self.stream, flush=True,
            )

    def left(self) -> str:
        if not self.done_exercises:
            return "time left: estimating"
        elapsed = time.monotonic() - self.start
        seconds = elapsed / self.done_exercises * (self.total - self.done_exercises)
        return f"about {int(seconds // 60)}:{int(seconds % 60):02d} left"

    def draw(self) -> None:
        if not self.tty:
            return
        width = 30
        filled = int(width * self.done_exercises / max(1, self.total))
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done_students}/{self.students} students, "
            f"{self.left()}   "
        )
        self.stream.flush()


def graders_changed(root: Path, course_dir: Path) -> list[str]:
    """Grading files of a student's checkout that differ from the course's manifest.

    They change no score here (the course's own graders grade everyone), but an instructor
    wants to know. A folder holding only exercise folders has none to compare.
    """
    checkout = checkout_of(root)
    if not (checkout / "graders").is_dir():
        return []
    return changed_files(checkout, expected=course_manifest(course_dir))


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
    parser.add_argument("--roster", metavar="CSV", help="GitHub Classroom's roster export, to name the students")
    parser.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                        help="per student (default: the exercises' time limits added up, plus a minute)")
    return parser


def _check_date(text: str) -> str:
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--before {text!r}: give a date like 2026-12-01 or 2026-12-01T23:59") from None
    return text


def _students(args, out: Path) -> list[tuple[str, Path]]:
    class_dir = Path(args.class_dir)
    if not class_dir.is_dir():
        raise UsageError(f"{class_dir} is not a folder")
    students = find_students(class_dir, skip=out)
    if args.student:
        known = {name for name, _ in students}
        unknown = [name for name in args.student if name not in known]
        if unknown:
            raise UsageError(f"no student folder named {', '.join(unknown)} in {class_dir}")
        students = [(name, folder) for name, folder in students if name in args.student]
    if not students:
        raise UsageError(f"{class_dir} holds no student folder")
    return students


def main(argv: list[str] | None = None, course_dir: Path = COURSE_DIR) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Path(args.out)
    try:
        chosen = select(load_course(course_dir), args.exercises)
        students = _students(args, out)
        before = _check_date(args.before) if args.before else None
        roster = read_roster(Path(args.roster)) if args.roster else None
    except (UsageError, OSError) as exc:
        parser.print_usage(sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE

    book = load(out, load_course(course_dir))
    if roster is not None:
        name_students(book, roster, [name for name, _ in students])
    tasks = [Task(name, folder, chosen, private=True, before=before, time_limit=args.time_limit) for name, folder in students]
    jobs = min(len(tasks) * len(chosen), max(1, args.jobs or default_jobs()))
    print(
        f"Grading {len(tasks)} student{'s' * (len(tasks) != 1)} x {len(chosen)} exercise{'s' * (len(chosen) != 1)},"
        f" {jobs} at a time" + (f", each at its last commit before {before}" if before else ""),
        flush=True,
    )
    progress = Progress(len(tasks), len(chosen))

    def on_finished(task: Task, results: list[ExerciseResult]) -> None:
        row = book.row(task.name)
        row.results.update((r.id, r) for r in results)
        row.commit, row.committed = task.info.get("commit", ""), task.info.get("committed", "")
        row.changed = task.info.get("graders_changed", [])
        stopped = next((r.error for r in results if r.error and r.error.startswith("Stopped:")), "")
        unknown = "not in the roster" if book.with_identity and not row.identity else ""
        row.note = "; ".join(p for p in (task.info.get("note", ""), stopped, unknown) if p)
        book.write([task.name])  # after every student: a crash later loses nothing graded
        progress.student_done(task.name, sum(r.score for r in results), sum(r.max_score for r in results), row.note)

    start = time.monotonic()
    try:
        graded = grade_roots(tasks, jobs, lambda task, result: progress.exercise_done(), on_finished,
                             lambda: plans(chosen), hide=[Path(args.class_dir), out])
    except KeyboardInterrupt:
        print(f"\nStopped: {out} holds the {progress.done_students} students graded so far.", file=sys.stderr)
        return EXIT_INTERRUPTED
    book.write([])
    summary(book, graded, time.monotonic() - start, out)
    return EXIT_OK


def name_students(book: Gradebook, roster: list[dict[str, str]], folders: list[str]) -> None:
    """Give each row the roster's identity; add a row for each roster student without a folder."""
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
    for entry in roster:
        if id(entry) not in matched:
            row = book.row(entry.get("github_username") or entry.get("identifier") or "?")
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
    print(f"Gradebook: {out / 'grades.csv'}, {out / 'checks.csv'}, {out / 'report.html'}; one report per student: {out / '<student>.json'}")


if __name__ == "__main__":
    sys.exit(main())
