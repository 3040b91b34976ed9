"""Grading many folders at once: which exercise of which student gets the next free slot.

Batch grading (a class) and ``verify`` (the course's own folders) both hand :func:`grade_roots`
a list of :class:`Task`. Each exercise is graded in a process of its own, forked after Flask,
pytest and the extensions are imported, with :func:`grading.judge.worker.grade`; a student's
private copy is made by one more such process. :class:`Scheduler` decides what runs next, and
when a student has had their time.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grading.judge import sandboxes
from grading.judge.checkout import checkout_before, first_line, head_of
from grading.judge.course import Exercise, requirement_modules
from grading.judge.results import CheckResult, ExerciseResult
from grading.judge.submissions import find_exercise_root, private_copy
from grading.judge.walk import Walk, remove_tree
from grading.judge.worker import default_jobs, grade, preload

GRACE = 5.0  # seconds a stopped student's grading gets to end its own processes
STOPPED = "The grading process stopped: tell your instructor."

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


def prepare(task: Task, target: Path, inspect: Callable[[Path, Path], dict] | None = None) -> tuple[Path, dict]:
    """The folder to grade for ``task`` (a private copy for a student), and what was learnt.

    ``inspect(root, copy)``, given the student's exercise folders and the private copy just made
    of them, adds what else they tell (batch: the grading files the student changed, the code).
    """
    if not task.private:
        return task.root, {}
    home, info = task.root, {}
    if task.before:
        home, info = checkout_before(task.root, task.before, target)
    else:
        info = head_of(home)
    if home is None:
        return (target / "exercises"), info  # nothing to grade: every exercise is missing
    root = find_exercise_root(home, [e.id for e in task.exercises])
    notes = []
    copy = private_copy(root, [e.id for e in task.exercises], target / "copy", home=home, notes=notes)
    if notes:
        info["note"] = "; ".join([info.get("note", ""), *notes]).strip("; ")
    if inspect:
        info.update(inspect(root, copy))
    return copy, info


def digest(folder: Path) -> str:
    """A hash of everything in a private copy's exercise folder (its folders, file names and
    contents): two equal folders get the same grade, as grading is deterministic."""
    h = hashlib.sha256()
    for entry, rel, _ in Walk(folder):  # the copy is bounded already; the walk is, too
        if entry.is_dir(follow_symlinks=False):
            h.update(f"d {rel}\0".encode())
        elif entry.is_file(follow_symlinks=False):
            content = hashlib.sha256()
            with open(entry.path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    content.update(chunk)
            h.update(f"f {rel}\0".encode() + content.digest())
    return h.hexdigest()


def plans(exercises: list[Exercise]) -> dict[str, ExerciseResult]:
    """Each exercise's checks and their points (collected, not run): what a lost exercise misses."""
    with tempfile.TemporaryDirectory(prefix="plans-") as nothing:
        return {r.id: r for r in grade(exercises, Path(nothing))}


# -- what runs in a process of its own -----------------------------------------------------------


def _prepared(task: Task, target: Path, inspect) -> tuple:
    """A student's folder to grade (see :func:`prepare`), what was learnt, and each exercise's digest."""
    try:
        root, info = prepare(task, target, inspect)
    except (OSError, subprocess.SubprocessError) as exc:
        root, info = target / "nothing", {"note": f"could not be read: {first_line(exc)}"}
        root.mkdir()
    return "prepared", (str(root), info, {e.id: digest(root / e.id) for e in task.exercises}), 0.0


def _graded(exercise: Exercise, root: Path) -> tuple:
    result = grade([exercise], root, jobs=1)[0]
    data = result.to_json()
    data["docs"] = {c.name: c.doc for c in result.checks}  # what each check checks, for the gradebook's pages
    return "result", data, result.seconds


def _child(conn, work, *args) -> None:
    """Runs in its own process (forked after Flask, pytest and the extensions are imported):
    ``work(*args)``, whose answer goes back over ``conn``."""
    try:
        conn.send(work(*args))
    except KeyboardInterrupt:
        pass
    finally:
        conn.close()


def _stop(process) -> None:
    """End a task's process: it may be stopped (SIGSTOP); given a moment, it ends its own children."""
    with contextlib.suppress(OSError):
        os.kill(process.pid, signal.SIGCONT)
        os.kill(process.pid, signal.SIGINT)
    process.join(GRACE)
    if process.is_alive():
        process.kill()
        process.join(1)


# -- results -----------------------------------------------------------------------------------------


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


# -- the scheduler ---------------------------------------------------------------------------------


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

    def startable(self, in_flight: set) -> Exercise | None:
        """Its next exercise that no equal folder is being graded for right now."""
        return next((e for e in self.todo if self.key(e) is None or self.key(e) not in in_flight), None)


class Scheduler:
    """One run of :func:`grade_roots`: the tasks waiting, those open, and the processes running.

    Each step of the run is a method: :meth:`start_next` gives a free slot its work,
    :meth:`receive` takes what a process sent back, :meth:`settle` hands equal folders a result
    already known and finishes tasks with nothing left, :meth:`stop_overdue` stops a task past
    its time limit. :meth:`run` loops over them until every task is finished.
    """

    def __init__(self, tasks: list[Task], jobs: int, workdir: str, on_result=None, on_finished=None,
                 planned=None, inspect=None):
        self.jobs, self.workdir, self.inspect = jobs, workdir, inspect
        self.on_result, self.on_finished, self.planned = on_result, on_finished, planned
        self.results: dict[str, dict[str, ExerciseResult]] = {t.name: {} for t in tasks}
        self.pending = list(tasks)
        self.opened: list[_Open] = []
        self.running: dict[object, tuple[_Open, object, Exercise | None]] = {}  # connection -> (task, process, exercise)
        self.in_flight: set[tuple[str, str]] = set()  # (exercise, digest) being graded now
        self.shared: dict[tuple[str, str], ExerciseResult] = {}  # (exercise, digest) -> its result

    def run(self) -> None:
        """Grade until every task is finished: fill the free slots, wait for an answer or a time limit."""
        while self.pending or self.opened:
            self.settle()
            while len(self.running) < self.jobs and self.start_next():
                self.settle()
            if not self.running:
                continue
            self.tick()
            for conn in multiprocessing.connection.wait(list(self.running), timeout=self.time_left()):
                self.receive(conn)
            self.tick()
            self.stop_overdue()

    # -- slots --------------------------------------------------------------------------------------

    def start_next(self) -> bool:
        """Give a free slot its work; False when no work can start now.

        A free slot goes to a task that has nothing running, else to the next task waiting (whose
        private copy is made first), and only when no task waits for one to a task that already
        runs an exercise: a slow or hostile folder holds one slot while others wait.
        """
        ready = [one for one in self.opened if one.root is not None and one.startable(self.in_flight)]
        idle = [one for one in ready if not one.running]
        if not idle and self.pending:
            self.open(self.pending.pop(0))
            return True
        if not ready:
            return False
        one = min(idle or ready, key=lambda o: o.running)
        exercise = one.startable(self.in_flight)
        one.todo.remove(exercise)
        self.start(one, _graded, exercise, one.root, exercise=exercise)
        return True

    def open(self, task: Task) -> None:
        """Start on a task: its exercises longest first (so none starts last alone), its copy made."""
        one = _Open(task, sorted(task.exercises, key=lambda e: -e.time_limit))
        self.opened.append(one)
        if not task.private:
            one.root = task.root
            return
        one.folder = Path(tempfile.mkdtemp(prefix="student-", dir=self.workdir))
        self.start(one, _prepared, task, one.folder, self.inspect)

    def start(self, one: _Open, work, *args, exercise: Exercise | None = None) -> None:
        """Run ``work(*args)`` for ``one`` in a process of its own: it holds a slot until it ends."""
        one.tick()
        parent_end, child_end = _context.Pipe(duplex=False)
        process = _context.Process(target=_child, args=(child_end, work, *args))
        process.start()
        child_end.close()
        one.running += 1
        self.running[parent_end] = (one, process, exercise)
        if exercise and one.key(exercise):
            self.in_flight.add(one.key(exercise))

    def ended(self, conn, stop: bool = False) -> None:
        """Free the slot of ``conn``'s process, ending the process first with ``stop``."""
        one, process, exercise = self.running.pop(conn)
        conn.close()
        _stop(process) if stop else process.join()
        one.tick()
        one.running -= 1
        self.in_flight.discard(exercise and one.key(exercise))

    # -- answers --------------------------------------------------------------------------------------

    def receive(self, conn) -> None:
        """Take what a process sent: a task's private copy, or an exercise's result (shared with
        equal folders); a copy that never came means nothing of that task can be graded."""
        one = self.running[conn][0]
        try:
            kind, data, seconds = conn.recv()
        except EOFError:
            kind = None
        if kind == "prepared":
            root, one.task.info, one.digests = data
            one.root = Path(root)
        elif kind == "result":
            result = ExerciseResult.from_json(data, data.get("docs"))
            result.seconds = seconds
            self.record(one.task, result)
            key = one.key(next(e for e in one.task.exercises if e.id == result.id))
            if key and _shareable(result):
                self.shared[key] = result
        self.ended(conn)
        if kind is None and one.root is None:  # no private copy: nothing can be graded
            one.todo.clear()
            if not one.running:
                self.finish(one, None)

    def record(self, task: Task, result: ExerciseResult) -> None:
        self.results[task.name][result.id] = result
        if self.on_result:
            self.on_result(task, result)

    def settle(self) -> None:
        """Give equal folders the results already shared; finish the tasks with nothing left."""
        for one in list(self.opened):
            for exercise in [e for e in one.todo if one.key(e) in self.shared]:
                one.todo.remove(exercise)
                result = copy.deepcopy(self.shared[one.key(exercise)])
                result.seconds = 0.0
                self.record(one.task, result)
            if one.root is not None and not one.todo and not one.running:
                self.finish(one, None)

    def finish(self, one: _Open, why: str | None) -> None:
        """Close a task: its private copy removed, each exercise not graded marked lost, and why."""
        self.opened.remove(one)
        if one.folder:
            remove_tree(one.folder)
        task = one.task
        for exercise in task.exercises:
            if exercise.id not in self.results[task.name]:
                self.record(task, _lost(exercise, why or STOPPED, self.plan(exercise)))
        if self.on_finished:
            self.on_finished(task, [self.results[task.name][e.id] for e in task.exercises])

    def plan(self, exercise: Exercise) -> ExerciseResult | None:
        """The checks ``exercise`` has (collected once, the first time an exercise is lost)."""
        self.planned = self.planned() if callable(self.planned) else self.planned
        return (self.planned or {}).get(exercise.id)

    # -- time limits ------------------------------------------------------------------------------------

    def tick(self) -> None:
        for one, _, _ in self.running.values():
            one.tick()

    def time_left(self) -> float:
        """Seconds until the first running task reaches its time limit, at the slots it holds now."""
        left = min((_limit(one.task) - one.used) / one.running for one, _, _ in self.running.values())
        return max(0.0, left)

    def stop_overdue(self) -> None:
        """Stop each task that held slots longer than its time limit: what was graded counts."""
        for one in {one for one, _, _ in self.running.values() if one.used > _limit(one.task)}:
            for conn in [c for c, (o, _, _) in self.running.items() if o is one]:
                self.ended(conn, stop=True)
            one.todo.clear()
            self.finish(one, f"Stopped: grading this student took longer than {_limit(one.task):g} s.")

    def close(self) -> None:
        """End every process still running (after a Ctrl-C, the terminal has already interrupted it)."""
        for _, process, _ in list(self.running.values()):
            process.join(1)
            if process.is_alive():
                _stop(process)


def grade_roots(
    tasks: list[Task], jobs: int | None = None, on_result=None, on_finished=None, planned=None,
    hide: list[Path] = (), inspect: Callable[[Path, Path], dict] | None = None,
) -> dict[str, list[ExerciseResult]]:
    """Grade every task, ``jobs`` exercises at a time; ``on_result(task, result)`` as each exercise
    ends, ``on_finished(task, results)`` as each task does.

    Slots are shared as :meth:`Scheduler.start_next` says: the end of the run, when nobody waits,
    is shared. An exercise folder equal to one already graded in this run (same digest) takes its
    result rather than being graded again, unless that result had an error or a timeout.

    A task that held slots for longer than its ``time_limit`` (two exercises at once count
    twice) is stopped: its exercises not graded by then are marked as stopped, with the checks of
    ``planned`` (see :func:`plans`; or a function returning them, called only if an exercise is
    lost, as collecting every plan takes a second) at zero points. Returns each task's results, in
    the order of its exercises. The private copies of the students' folders are made in one folder
    of the run, ``workdir``, each removed as its student is done, and ``workdir`` at the end;
    ``inspect`` (see :func:`prepare`) runs as each copy is made.

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
    scheduler = Scheduler(tasks, jobs, workdir, on_result, on_finished, planned, inspect)
    try:
        scheduler.run()
    finally:
        scheduler.close()
        sandboxes.stop()  # every sandbox of every student, and all they started, ends here
        remove_tree(workdir)
    results = scheduler.results
    return {t.name: [results[t.name][e.id] for e in t.exercises] for t in tasks}
