"""``python -m grading.batch DIR``: grade a whole class and write a gradebook (``nox -s batch``).

``DIR`` holds one folder per student. Each is a clone of this repository (its exercises in
``DIR/<student>/exercises/``) or a folder that holds the exercise folders directly. Students are
graded in parallel (``--jobs``, default: CPU cores) with the course's own graders and
``exercise.yaml`` files, never the student's copies. The output folder (``--out``, default
``gradebook/``) gets ``grades.csv`` (student, one column per exercise, total, and the grading
files the student changed, compared with ``graders/MANIFEST.sha256``) and
``<student>.json`` for each student, the same report ``nox -s grade -- --json`` writes.

Every exercise of every student runs in the engine's own forked, time-limited process
(:func:`grading.worker.grade`), so a student whose code loops forever, exits at import or
crashes Python only loses their own points. :func:`grade_roots` is the parallel part, shared
with ``grading.verify``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from grading import sandboxes
from grading.course import COURSE_DIR, ID_PATTERN, Exercise, UsageError, load_course, requirement_modules, select
from grading.integrity import changed_files, read_manifest
from grading.report import ExerciseResult, fmt_points, report_json
from grading.worker import grade, preload

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130

_context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")


@dataclass
class Task:
    """Some exercises to grade in one folder (laid out like ``exercises/``)."""

    name: str
    root: Path
    exercises: list[Exercise]


# -- grading many folders at once ---------------------------------------------------------------


def _manage(task: Task, conn) -> None:
    """Runs in its own process: grade one task, one exercise at a time, reporting each result."""

    def send(result: ExerciseResult) -> None:
        conn.send(("result", result.to_json(), result.seconds))

    try:
        grade(task.exercises, task.root, jobs=1, on_result=send)
        conn.send(("done", None, 0.0))
    except KeyboardInterrupt:
        pass
    finally:
        conn.close()


def _lost(exercise: Exercise, why: str) -> ExerciseResult:
    return ExerciseResult(id=exercise.id, title=exercise.title, status="error", error=why)


def grade_roots(
    tasks: list[Task], jobs: int | None = None, on_result=None, hide: list[Path] = ()
) -> dict[str, list[ExerciseResult]]:
    """Grade every task, ``jobs`` exercises at a time; ``on_result(task, result)`` as each ends.

    Each task gets a process of its own (forked after Flask, pytest and the extensions are
    imported), which grades its exercises one after another with :func:`grading.worker.grade`:
    ``jobs`` tasks run side by side, so a slow or hostile folder holds one slot, never the others.
    Returns each task's results, in the order of its exercises.

    Every sandbox of the run comes from one zygote, which hides from student code every task's
    folder and the folders in ``hide`` (the class, the gradebook): a student sees only the private
    copy of their own exercise.
    """
    jobs = max(1, jobs or os.cpu_count() or 1)
    exercises = sorted({e for t in tasks for e in t.exercises}, key=lambda e: e.id)
    preload(exercises)
    if exercises:
        sandboxes.start(exercises[0].course_dir, requirement_modules(exercises),
                        hide=[str(p) for p in [*hide, *(t.root for t in tasks)]])
    results: dict[str, dict[str, ExerciseResult]] = {t.name: {} for t in tasks}
    pending = list(tasks)
    running: dict[object, tuple[Task, object]] = {}  # connection -> (task, process)

    def finish(conn, task: Task, process, why: str | None) -> None:
        del running[conn]
        conn.close()
        process.join()
        for exercise in task.exercises:
            if exercise.id not in results[task.name]:
                lost = _lost(exercise, why or "The grading process stopped: tell your instructor.")
                results[task.name][exercise.id] = lost
                if on_result:
                    on_result(task, lost)

    try:
        while pending or running:
            while pending and len(running) < jobs:
                task = pending.pop(0)
                parent_end, child_end = _context.Pipe(duplex=False)
                process = _context.Process(target=_manage, args=(task, child_end))
                process.start()
                child_end.close()
                running[parent_end] = (task, process)
            for conn in multiprocessing.connection.wait(list(running)):
                task, process = running[conn]
                try:
                    kind, data, seconds = conn.recv()
                except EOFError:
                    finish(conn, task, process, None)
                    continue
                if kind == "done":
                    finish(conn, task, process, None)
                    continue
                result = ExerciseResult.from_json(data)
                result.seconds = seconds
                results[task.name][result.id] = result
                if on_result:
                    on_result(task, result)
    finally:
        for _, process in list(running.values()):
            process.join(1)  # after a Ctrl-C, the terminal has already interrupted it
            if process.is_alive():
                with contextlib.suppress(Exception):
                    os.kill(process.pid, signal.SIGINT)  # grade() ends its own children on the way out
                process.join(5)
            if process.is_alive():
                process.kill()
        sandboxes.stop()  # every sandbox of every student, and all they started, ends here
    return {t.name: [results[t.name][e.id] for e in t.exercises] for t in tasks}


# -- a class ------------------------------------------------------------------------------------


def exercise_root(folder: Path) -> Path:
    """Where a student's exercise folders are: ``exercises/`` of a clone, or the folder itself."""
    return folder / "exercises" if (folder / "exercises").is_dir() else folder


def _holds_exercises(folder: Path) -> bool:
    return (folder / "exercises").is_dir() or any(
        p.is_dir() and ID_PATTERN.match(p.name) for p in folder.iterdir()
    )


def find_students(class_dir: Path, skip: Path | None = None) -> list[tuple[str, Path]]:
    """``(student, exercise root)`` for each student folder of ``class_dir``, by name.

    A ``class_dir`` that is itself one checkout (or holds exercise folders) is one student.
    ``skip`` (the output folder, if it is inside ``class_dir``) is no student.
    """
    if _holds_exercises(class_dir):
        return [(class_dir.resolve().name, exercise_root(class_dir))]
    return [
        (folder.name, exercise_root(folder))
        for folder in sorted(class_dir.iterdir(), key=lambda p: p.name)
        if folder.is_dir() and not folder.name.startswith((".", "_"))
        and (skip is None or folder.resolve() != skip.resolve())
    ]


class Progress:
    """A bar redrawn in place on a terminal; one plain line per finished student otherwise."""

    def __init__(self, students: int, per_student: int, stream=None):
        self.stream = stream or sys.stdout
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty() and not os.environ.get("CI")
        self.students, self.total = students, students * per_student
        self.per_student = per_student
        self.done_exercises = 0
        self.done_students = 0
        self.counts: dict[str, int] = {}
        self.start = time.monotonic()

    def update(self, task: Task, result: ExerciseResult, student_score: tuple[float, float] | None) -> None:
        self.done_exercises += 1
        self.counts[task.name] = self.counts.get(task.name, 0) + 1
        finished = self.counts[task.name] == len(task.exercises)
        self.done_students += finished
        if self.tty:
            width = 30
            filled = int(width * self.done_exercises / max(1, self.total))
            elapsed = time.monotonic() - self.start
            line = (
                f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done_students}/{self.students} students"
                f"  {self.done_exercises}/{self.total} exercises  {elapsed:4.0f} s"
            )
            self.stream.write(line)
            if self.done_exercises == self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif finished and student_score:
            score, max_score = student_score
            print(
                f"[{self.done_students}/{self.students}] {task.name}: {fmt_points(score)}/{fmt_points(max_score)}",
                file=self.stream, flush=True,
            )


def graders_changed(root: Path, course_dir: Path) -> list[str]:
    """Grading files of a student's checkout that differ from the course's manifest.

    They change no score here (the course's own graders grade everyone), but an instructor
    wants to know. A folder holding only exercise folders has none to compare.
    """
    checkout = root.parent if root.name == "exercises" else root
    if not (checkout / "graders").is_dir():
        return []
    return changed_files(checkout, expected=read_manifest(course_dir) or {})


def write_gradebook(
    out: Path,
    exercises: list[Exercise],
    graded: dict[str, list[ExerciseResult]],
    changed: dict[str, list[str]] | None = None,
) -> Path:
    """``grades.csv`` (student, a column per exercise, total, graders_changed) and ``<student>.json``."""
    out.mkdir(parents=True, exist_ok=True)
    changed = changed or {}
    csv_path = out / "grades.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *(e.id for e in exercises), "total", "graders_changed"])
        for student, results in graded.items():
            scores = [fmt_points(r.score) for r in results]
            flagged = " ".join(changed.get(student, []))
            writer.writerow([student, *scores, fmt_points(sum(r.score for r in results)), flagged])
    for student, results in graded.items():
        report = json.dumps(report_json(results), indent=2) + "\n"
        (out / f"{student}.json").write_text(report, encoding="utf-8")
    return csv_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nox -s batch --",
        description="Grade every student folder of a class; write grades.csv and one JSON report per student.",
    )
    parser.add_argument("class_dir", metavar="DIR", help="one folder per student (each a clone of this repository)")
    parser.add_argument("exercises", nargs="*", metavar="EXERCISE", help="ids or numbers to grade (default: all)")
    parser.add_argument("--out", default="gradebook", help="where grades.csv and the reports go (default: gradebook/)")
    parser.add_argument("--jobs", type=int, default=None, help="exercises graded at once (default: CPU cores)")
    return parser


def main(argv: list[str] | None = None, course_dir: Path = COURSE_DIR) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    class_dir = Path(args.class_dir)
    try:
        chosen = select(load_course(course_dir), args.exercises)
        if not class_dir.is_dir():
            raise UsageError(f"{class_dir} is not a folder")
        students = find_students(class_dir, skip=Path(args.out))
        if not students:
            raise UsageError(f"{class_dir} holds no student folder")
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE

    tasks = [Task(name, root, chosen) for name, root in students]
    jobs = max(1, args.jobs or os.cpu_count() or 1)
    print(
        f"Grading {len(tasks)} student{'s' * (len(tasks) != 1)} x {len(chosen)} exercise{'s' * (len(chosen) != 1)},"
        f" {jobs} at a time",
        flush=True,
    )
    for task in tasks:
        if not any((task.root / e.id).is_dir() for e in chosen):
            print(f"warning: {task.name} has none of the exercise folders; every exercise counts 0", flush=True)

    progress = Progress(len(tasks), len(chosen))
    scores: dict[str, list[ExerciseResult]] = {t.name: [] for t in tasks}

    def on_result(task: Task, result: ExerciseResult) -> None:
        scores[task.name].append(result)
        done = scores[task.name]
        total = (sum(r.score for r in done), sum(r.max_score for r in done))
        progress.update(task, result, total if len(done) == len(task.exercises) else None)

    start = time.monotonic()
    try:
        graded = grade_roots(tasks, jobs, on_result, hide=[class_dir, Path(args.out)])
    except KeyboardInterrupt:
        print("\nStopped: no gradebook written.", file=sys.stderr)
        return EXIT_INTERRUPTED
    seconds = time.monotonic() - start
    changed = {task.name: graders_changed(task.root, course_dir) for task in tasks}
    csv_path = write_gradebook(Path(args.out), chosen, graded, changed)
    for student, files in changed.items():
        if files:
            print(f"warning: {student} changed grading files ({' '.join(files)}); the course's own graded them")

    trouble = [
        f"  {student} {r.id}: {r.error}"
        for student, results in graded.items()
        for r in results
        if r.status == "error"
    ]
    if trouble:
        print("Could not be graded (these count 0):", *trouble, sep="\n")
    rate = len(tasks) / seconds * 60 if seconds else 0.0
    print(f"Graded {len(tasks)} students in {seconds:.1f} s ({rate:.1f} students per minute).")
    print(f"Gradebook: {csv_path}; one report per student: {Path(args.out) / '<student>.json'}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
