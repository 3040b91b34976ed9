"""The adversarial suite's helpers: hostile submissions, the commands they attack, what must hold.

A hostile submission is an exercise's reference solution or starter (or a small mutant of one) with
an attack appended to a file: ``submissions/_kit.py`` (shared helpers) and ``submissions/<attack>.py``,
after a line ``ATTACK = {...}`` that tells the attack where things are (``marker``: a word unique to
the test, ``evidence``: a folder outside the submission, ``protected``: the test runner and its
ancestors, which an attack never signals). Its *honest* grade is the grade of the same folder
without the attack, graded in-process by the trusted engine. The attacks themselves always go
through the real commands (``python -m grading``, ``python -m grading.commands.batch``, ``run_autograder``),
in subprocesses of their own session, with a timeout, so a hung engine fails a test instead of CI.

After each test, whatever is left of the processes it started (their command line names the test's
temporary folder or its marker) is killed.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import types
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import unpack_autograder

from grading.judge.course import COURSE_DIR, load_course
from grading.judge.worker import grade as trusted_grade

SUBMISSIONS = Path(__file__).resolve().parent / "submissions"
EXERCISES = {e.id: e for e in load_course(COURSE_DIR)}
EXIT_USAGE = 2  # batch and Gradescope refusing to grade
ALLOW_PROCESS = "--allow-process-level"
UNTRUSTED = "untrusted"  # what every output says of grades made at the `process` level
TIMEOUT = 90  # seconds for a whole grading command; a hang fails the test
HANG_TIMEOUT = 30  # for attacks whose success is a hang (a normal run takes a few seconds)
ATTACK_SUCCEEDED = "ATTACK-SUCCEEDED"
COPY_IGNORED = shutil.ignore_patterns(
    ".nox", ".git", "tests", "solutions", "dist", "gradebook", ".grading-cache", "__pycache__", "*.pyc"
)


def _parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def protected_pids() -> list[int]:
    """This test process and every ancestor of it: no attack may signal them."""
    pids, pid = [], os.getpid()
    while pid > 0:
        pids.append(pid)
        try:
            pid = _parent_of(pid)
        except (OSError, ValueError):
            break
    return pids


def protected_groups() -> list[int]:
    groups = set()
    for pid in protected_pids():
        try:
            groups.add(os.getpgid(pid))
        except OSError:
            pass
    return sorted(groups)


# -- what a grading run gave --------------------------------------------------------------------


@dataclass
class Outcome:
    """A finished (or stopped) command: exit code, output, whether it hit its timeout."""

    code: int | None
    out: str
    err: str
    out_bytes: int
    seconds: float
    timed_out: bool

    def explain(self) -> str:
        return f"exit {self.code}, {self.seconds:.1f} s, timed out: {self.timed_out}\n{self.out[-3000:]}\n{self.err[-3000:]}"


def run_command(cmd: list[str], *, cwd: Path, env: dict, timeout: float, logs: Path) -> Outcome:
    """Run ``cmd`` in a session of its own; on timeout, kill that whole session."""
    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path = logs / "stdout.txt", logs / "stderr.txt"
    start = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
        )
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    seconds = time.monotonic() - start

    def head(path: Path) -> str:
        with open(path, "rb") as f:
            return f.read(1 << 20).decode("utf-8", "replace")

    return Outcome(
        proc.returncode, head(out_path), head(err_path), out_path.stat().st_size, seconds, timed_out
    )


def base_env(**extra: str) -> dict:
    """Our environment without what Classroom, CI or the cache switches would change."""
    dropped = (
        "GITHUB_OUTPUT",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_ACTIONS",
        "CI",
        "GRADING_CACHE_DIR",
        "AUTOGRADER_ROOT",
    )
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(extra)
    return env


@dataclass
class GradeRun:
    """``python -m grading --json`` (or a nox-like run of it): its outcome and report."""

    outcome: Outcome
    report: dict | None

    def exercise(self, exercise_id: str) -> dict:
        assert self.report is not None, f"no JSON report was written: {self.outcome.explain()}"
        return next(e for e in self.report["exercises"] if e["id"] == exercise_id)


@dataclass
class BatchRun:
    """``python -m grading.commands.batch``: its outcome, grades.csv rows and the students' reports."""

    outcome: Outcome
    out: Path
    rows: dict[str, list[str]] = field(default_factory=dict)
    refused: bool = False  # at the `process` level: batch refused to grade, as it must (see Attack.batch)

    def report(self, student: str) -> dict:
        path = self.out / f"{student}.json"
        assert path.is_file(), f"no report for {student}: {self.outcome.explain()}"
        return json.loads(path.read_text(encoding="utf-8"))

    def exercise(self, student: str, exercise_id: str) -> dict:
        return next(e for e in self.report(student)["exercises"] if e["id"] == exercise_id)


# -- honest grades --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Honest:
    """What the same folder gets without the attack, from the trusted engine."""

    score: float
    max_score: float
    status: str
    plan: tuple[tuple[str, float], ...]  # (check, max points), in the course's order
    points: tuple[float, ...]


_honest_cache: dict[tuple, Honest] = {}


def copy_exercise(exercise_id: str, base: str, target: Path, edits=()) -> Path:
    """``base`` ("solutions" or "exercises") of an exercise, copied to ``target``, ``edits`` applied to app.py."""
    shutil.copytree(
        COURSE_DIR / base / exercise_id, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    app = target / "app.py"
    for old, new in edits:
        text = app.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {base}/{exercise_id}/app.py"
        app.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def honest(exercise_id: str, base: str, tmp_factory, edits=()) -> Honest:
    key = (exercise_id, base, tuple(edits))
    if key not in _honest_cache:
        root = tmp_factory.mktemp("honest")
        copy_exercise(exercise_id, base, root / exercise_id, edits)
        [result] = trusted_grade([EXERCISES[exercise_id]], root, jobs=1)
        _honest_cache[key] = Honest(
            result.score,
            result.max_score,
            result.status,
            tuple((c.name, c.max_points) for c in result.checks),
            tuple(c.points for c in result.checks),
        )
    return _honest_cache[key]


# -- what must hold -------------------------------------------------------------------------------


def assert_no_better_than(exercise: dict, fair: Honest) -> None:
    """The report shows exactly the course's checks, each within its points, in total at most ``fair``."""
    plan = tuple((c["name"], c["max_points"]) for c in exercise["checks"])
    assert plan == fair.plan, f"the report's checks are not the course's: {plan}"
    for check in exercise["checks"]:
        assert 0 <= check["points"] <= check["max_points"], check
    assert exercise["max_score"] == fair.max_score
    assert 0 <= exercise["score"] <= fair.score, (
        f"{exercise['id']} got {exercise['score']}, honestly {fair.score}"
    )
    assert ATTACK_SUCCEEDED not in json.dumps(exercise), f"the attack worked: {_successes(exercise)}"


def assert_same_as(exercise: dict, fair: Honest) -> None:
    """A bystander's grade: exactly what the trusted engine gives the same work."""
    assert tuple((c["name"], c["max_points"]) for c in exercise["checks"]) == fair.plan
    assert tuple(c["points"] for c in exercise["checks"]) == fair.points, exercise
    assert exercise["score"] == fair.score and exercise["status"] == fair.status


def assert_attack_failed(exercise: dict) -> None:
    """The attack could not do what it tried (else GET / answered ATTACK-SUCCEEDED, and the grade shows it)."""
    assert ATTACK_SUCCEEDED not in json.dumps(exercise), f"the attack worked: {_successes(exercise)}"


def _successes(exercise: dict) -> list[str]:
    return [c["message"] for c in exercise["checks"] if ATTACK_SUCCEEDED in (c["message"] or "")]


def assert_finished(outcome: Outcome, codes=(0, 1)) -> None:
    assert not outcome.timed_out, f"the run hung: {outcome.explain()}"
    assert outcome.code in codes, f"the run did not end normally: {outcome.explain()}"


def tree_digest(root: Path, parts=None) -> dict[str, str]:
    """``{relative path: sha256}`` of every file under ``root`` (or of ``parts`` of it)."""
    digests = {}
    for top in [root / p for p in parts] if parts else [root]:
        paths = [top] if top.is_file() else sorted(top.rglob("*"))
        for path in paths:
            rel = path.relative_to(root)
            if path.is_file() and "__pycache__" not in rel.parts and path.suffix != ".pyc":
                digests[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def copy_course(target: Path) -> Path:
    """A student's clone of the course (without our tests, solutions, venvs or caches)."""
    shutil.copytree(COURSE_DIR, target, ignore=COPY_IGNORED)
    return target


# -- the fixture ----------------------------------------------------------------------------------


class Attack:
    """One attack test's workspace: builds hostile submissions, runs the commands, finds leftovers."""

    def __init__(self, tmp_path: Path, tmp_factory, level: "Level | None" = None):
        self.tmp = tmp_path
        self.level = level  # None: as the suite always ran (this process's user, GRADING_ISOLATION as set)
        self.tmp_factory = tmp_factory
        self.marker = f"attack-{uuid.uuid4().hex[:12]}"
        self.comm = f"atk{self.marker[-12:]}"  # a process name (15 characters at most)
        self.evidence = tmp_path / "evidence"
        self._runs = 0

    def settings(self, **extra) -> dict:
        return {
            "marker": self.marker,
            "comm": self.comm,
            "evidence": str(self.evidence),
            "protected": protected_pids(),
            "protected_groups": protected_groups(),
            **extra,
        }

    def source(self, attack: str, kit: bool = True, kits: tuple[str, ...] = (), **extra) -> str:
        """The text appended to a submission: ATTACK settings, the kit (and ``kits``), then the attack."""
        parts = [f"ATTACK = {self.settings(**extra)!r}\n"]
        if kit:
            parts.append((SUBMISSIONS / "_kit.py").read_text(encoding="utf-8"))
        parts += [(SUBMISSIONS / f"{name}.py").read_text(encoding="utf-8") for name in kits]
        parts.append((SUBMISSIONS / f"{attack}.py").read_text(encoding="utf-8"))
        return "\n".join(parts)

    def submission(
        self,
        exercise_id: str,
        base: str,
        attack: str | None = None,
        *,
        edits=(),
        root: Path | None = None,
        file: str = "app.py",
        replace: bool = False,
        **extra,
    ) -> Path:
        """A root holding ``exercise_id``: ``base`` with ``attack`` appended to (or replacing) ``file``."""
        root = root or self.tmp / "student"
        folder = copy_exercise(exercise_id, base, root / exercise_id, edits)
        if attack:
            target = folder / file
            kept = "" if replace else target.read_text(encoding="utf-8") + "\n\n"
            target.write_text(kept + self.source(attack, kit=not replace, **extra), encoding="utf-8")
        return root

    def honest(self, exercise_id: str, base: str, edits=()) -> Honest:
        return honest(exercise_id, base, self.tmp_factory, edits)

    def _logs(self) -> Path:
        self._runs += 1
        return self.tmp / f"run{self._runs}"

    def grade(
        self,
        root: Path,
        *ids: str,
        env: dict | None = None,
        timeout: float = TIMEOUT,
        cache: bool = False,
        report: Path | None = None,
    ) -> GradeRun:
        """``python -m grading --root ROOT --json REPORT IDS`` from the course, as a student runs it."""
        report = report or self.tmp / "report.json"
        report.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "grading", "--root", str(root), "--json", str(report), *ids]
        if not cache:
            cmd.insert(3, "--no-cache")
        outcome = self._run(cmd, cwd=COURSE_DIR, env=env or base_env(), timeout=timeout)
        return GradeRun(outcome, json.loads(report.read_text(encoding="utf-8")) if report.is_file() else None)

    def batch(
        self,
        class_dir: Path,
        *ids: str,
        out: Path | None = None,
        timeout: float = TIMEOUT,
        env: dict | None = None,
        extra: list[str] = (),
    ) -> BatchRun:
        """``python -m grading.commands.batch CLASS IDS --out OUT --jobs 2 EXTRA`` from the course."""
        out = out or self.tmp / "gradebook"
        cmd = [sys.executable, "-m", "grading.commands.batch", str(class_dir), *ids, "--out", str(out), "--jobs", "2",
               *extra]
        if self.level and self.level.name == "process":
            return self._refused_batch(cmd, class_dir, out, env, timeout)
        if not self.level and os.environ.get("GRADING_ISOLATION") == "process":  # refused there unless allowed
            cmd.append(ALLOW_PROCESS)
        outcome = self._run(cmd, cwd=COURSE_DIR, env=env or base_env(), timeout=timeout)
        run = self._batch_run(outcome, out)
        self.assert_level([run.report(s) for s in run.rows if (out / f"{s}.json").is_file()])
        return run

    def _batch_run(self, outcome: Outcome, out: Path) -> BatchRun:
        run = BatchRun(outcome, out)
        csv_path = out / "grades.csv"
        if csv_path.is_file():
            with csv_path.open(newline="", encoding="utf-8") as f:
                run.rows = {row[0]: row[1:] for row in list(csv.reader(f))[1:]}
        return run

    def _refused_batch(self, cmd: list[str], class_dir: Path, out: Path, env, timeout: float) -> BatchRun:
        """At the `process` level batch must refuse (exit 2, saying why and what to use), grade no
        one; with --allow-process-level it grades, and every output says the grades are untrusted."""
        refused = self._run(cmd, cwd=COURSE_DIR, env=env or base_env(), timeout=timeout)
        assert not refused.timed_out and refused.code == EXIT_USAGE, (
            f"batch graded at the process level instead of refusing: {refused.explain()}")
        assert ALLOW_PROCESS in refused.out + refused.err, f"the refusal does not say how to go on: {refused.explain()}"
        assert not list(out.glob("*.json")), "batch refused, yet wrote students' reports"
        allowed = self._run([*cmd, ALLOW_PROCESS], cwd=COURSE_DIR, env=env or base_env(), timeout=timeout)
        run = self._batch_run(allowed, out)
        assert_finished(allowed)
        students = [name for name in run.rows if name != "Points Possible"]
        assert students, f"--allow-process-level graded no one: {allowed.explain()}"
        for name in students:
            assert UNTRUSTED in " ".join(run.rows[name]).lower(), f"grades.csv does not say {name}'s grade is untrusted"
            assert UNTRUSTED in (out / f"{name}.json").read_text(encoding="utf-8").lower(), (
                f"{name}.json does not say the grade is untrusted")
        assert UNTRUSTED in (out / "report.html").read_text(encoding="utf-8").lower()
        run.refused = True
        return run

    def assert_level(self, reports: list[dict]) -> None:
        """Every exercise graded in ``reports`` was graded at this workspace's level, not a weaker one."""
        if not self.level:
            return
        for report in reports:
            for exercise in report["exercises"]:
                if exercise.get("isolation") is not None:
                    assert exercise["isolation"] == self.level.name, (
                        f"{exercise['id']} was graded at {exercise['isolation']!r}, not at {self.level.name!r}")

    def _run(self, cmd: list[str], *, cwd: Path, env: dict, timeout: float) -> Outcome:
        """``run_command``, at this workspace's level: GRADING_ISOLATION set, and for `namespaces` as
        the grader's account, from its copy of the course, with its Python."""
        if self.level:
            cmd, cwd, env = self.level.apply(cmd, cwd, env, self.tmp)
        return run_command(cmd, cwd=cwd, env=env, timeout=timeout, logs=self._logs())

    def like_nox(
        self, course: Path, session: str, *posargs: str, env: dict | None = None, timeout: float = TIMEOUT
    ) -> Outcome:
        """Run ``nox -s SESSION -- POSARGS`` in a clone at ``course`` the way nox would, in this venv.

        The clone's own noxfile is loaded with a stand-in ``nox`` module; ``session.run`` runs the
        command from the clone's folder with this venv's ``bin`` first on PATH (nox's reused venv),
        ``session.install`` does nothing (the venv already holds the pinned requirements).
        """
        outcomes: list[Outcome] = []
        logs = self._logs()
        venv = self.tmp / "nox-venv"
        venv.mkdir(exist_ok=True)

        class CommandFailed(Exception):
            def __init__(self, reason=None, return_code=None):
                super().__init__(reason)
                self.return_code = return_code

        class Session:
            def __init__(self):
                self.posargs = list(posargs)
                self.env: dict = {}
                self.virtualenv = types.SimpleNamespace(location=str(venv))
                self.python = sys.executable
                self.invoked_from = str(course)
                self.bin = str(Path(sys.executable).parent)
                self.venv_backend = "uv"  # the session's own environment (grade's), not "none"
                self.cache_dir = venv.parent / "nox-envdir" / ".cache"  # its parent: nox's --envdir
                self.cache_dir.mkdir(parents=True, exist_ok=True)

            def run(self, *args, env=None, external=False, success_codes=(0,), silent=False, **_):
                path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
                full = {
                    **(env_base),
                    "PATH": path,
                    "VIRTUAL_ENV": str(Path(sys.executable).parent.parent),
                    **self.env,
                    **(env or {}),
                }
                outcome = run_command(
                    [str(a) for a in args], cwd=course, env=full, timeout=timeout, logs=logs
                )
                outcomes.append(outcome)
                if outcome.code not in success_codes:
                    raise CommandFailed(f"exit {outcome.code}", return_code=outcome.code)
                return outcome.out

            def install(self, *args, **kwargs):
                pass

            def log(self, *args, **kwargs):
                pass

            def chdir(self, path):
                pass

            def notify(self, *args, **kwargs):
                pass

        env_base = env or base_env()

        def session_decorator(*args, **kwargs):
            if args and callable(args[0]):
                return args[0]
            return lambda func: func

        def run_to_the_end(args, cwd=None, env=None, **_):
            """The noxfile's own runner (student sessions): the same command, in the test's environment."""
            told = {k: v for k, v in (env or {}).items() if k in ("GRADING_INVOKED_FROM", "VIRTUAL_ENV", "PATH")}
            args = [str(a) for a in args]
            if args and (args[0] == "python" or args[0].startswith(str(venv))):  # the session's python: ours
                args[0] = sys.executable
            outcome = run_command(args, cwd=cwd or course, env={**env_base, **told},
                                  timeout=timeout, logs=logs)
            outcomes.append(outcome)
            return outcome.code

        import grading.commands.processes as processes

        fake = types.ModuleType("nox")
        fake.__getattr__ = lambda name: session_decorator  # nox.parametrize and the like: no-ops
        fake.session = session_decorator
        fake.options = types.SimpleNamespace()
        fake.command = types.SimpleNamespace(CommandFailed=CommandFailed)
        fake.Session = Session
        saved = sys.modules.get("nox")
        sys.modules["nox"] = fake
        saved_runner, processes.run_to_the_end = processes.run_to_the_end, run_to_the_end
        try:
            noxfile = runpy.run_path(str(course / "noxfile.py"), run_name="noxfile")
            try:
                noxfile[session](Session())
            except (CommandFailed, SystemExit):
                pass
        finally:
            processes.run_to_the_end = saved_runner
            if saved is None:
                sys.modules.pop("nox", None)
            else:
                sys.modules["nox"] = saved
        assert outcomes, f"nox -s {session} ran no command"
        return outcomes[-1]

    def autograder(self, bundle: Path) -> Path:
        """``/autograder`` in this test's folder: source/ unpacked from the bundle, an empty submission/."""
        return unpack_autograder(bundle, self.tmp / "autograder")

    def run_autograder(self, root: Path, timeout: float = TIMEOUT, env: dict | None = None) -> tuple[Outcome, dict | None]:
        """Gradescope's ``run_autograder`` for the submission in ``root``: its outcome and results.json.
        At the `process` level it must refuse (exit 2, no points): then the results are None."""
        python = self.level.python if self.level else sys.executable
        env = base_env(AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=python, **(env or {}))
        allow = [ALLOW_PROCESS] if not self.level and os.environ.get("GRADING_ISOLATION") == "process" else []
        outcome = self._run([str(root / "run_autograder"), *allow], cwd=root, env=env, timeout=timeout)
        results = root / "results" / "results.json"
        found = json.loads(results.read_text(encoding="utf-8")) if results.is_file() else None
        if self.level and self.level.name == "process":
            assert not outcome.timed_out and outcome.code == EXIT_USAGE, (
                f"Gradescope graded at the process level instead of refusing: {outcome.explain()}")
            assert found is None or not any(t["score"] for t in found.get("tests", [])), (
                "Gradescope refused, yet gave points")
            return outcome, None
        return outcome, found

    # -- processes ---------------------------------------------------------------------------

    def leftovers(self) -> list[tuple[int, str]]:
        """Live processes whose command line names this test's folder or marker, or whose name is the
        one the attack kit gives student processes (never this process or its ancestors)."""
        mine = set(protected_pids())
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) in mine:
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
                state = stat.rsplit(")", 1)[1].split()[0]
                name = stat[stat.index("(") + 1 : stat.rindex(")")]
            except (OSError, IndexError, ValueError):
                continue
            if state in ("Z", "X"):
                continue
            if str(self.tmp) in cmdline or self.marker in cmdline or name == self.comm:
                found.append((int(entry), cmdline[:200]))
        return found

    def assert_no_leftovers(self, grace: float = 1.0) -> None:
        """No process the student started is still alive once the command has ended."""
        deadline = time.monotonic() + grace
        left = self.leftovers()
        while left and time.monotonic() < deadline:
            time.sleep(0.1)
            left = self.leftovers()
        assert not left, f"{len(left)} process(es) of the student outlived the run, e.g. {left[:3]}"

    def cleanup(self) -> None:
        for _ in range(5):
            left = self.leftovers()
            if not left:
                return
            for pid, _cmd in left:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.2)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    """The Gradescope autograder zip of the course, built once."""
    from grading.commands.gradescope import build

    return build(COURSE_DIR, tmp_path_factory.mktemp("dist") / "gradescope-autograder.zip")


@pytest.fixture
def attack(tmp_path, tmp_path_factory):
    """An :class:`Attack` workspace; kills what is left of the processes it started, afterwards."""
    workspace = Attack(tmp_path, tmp_path_factory)
    yield workspace
    workspace.cleanup()


@pytest.fixture(autouse=True, params=["best", "process"])
def isolation(request, monkeypatch):
    """Every attack twice: at the best level this machine allows (namespaces here), and at the
    ``process`` level (a process and the audit hook) that macOS, Windows and restricted Linux get."""
    if request.param == "process":
        monkeypatch.setenv("GRADING_ISOLATION", "process")
    else:
        monkeypatch.delenv("GRADING_ISOLATION", raising=False)
    return request.param


# -- levels: the same attack at every wall the engine can put up ---------------------------------

LEVELS = ("user", "namespaces", "uid", "process")
GRADER = "flaskgrader"  # an instructor who is not root, made for the `namespaces` level


@dataclass(frozen=True)
class Level:
    """How a grading command is run for one level of ``LEVELS``.

    ``user``: as root (this machine's best). ``namespaces``: as ``account``, a user who is not root,
    from its own copy of the course, with a Python it can read. ``uid``: as root, forced to the
    level for root without namespaces (Docker's default seccomp). ``process``: batch and Gradescope
    must refuse. Every level sets ``GRADING_ISOLATION``, and the reports must name the level.
    """

    name: str
    course: Path = COURSE_DIR
    python: str = sys.executable
    account: str | None = None
    home: Path | None = None

    def apply(self, cmd: list[str], cwd: Path, env: dict, workspace: Path) -> tuple[list[str], Path, dict]:
        env = {**env, "GRADING_ISOLATION": self.name}
        cmd = [self.python if part == sys.executable else part for part in cmd]
        if cwd == COURSE_DIR:
            cwd = self.course
        if self.account:
            subprocess.run(["chown", "-R", f"{self.account}:{self.account}", str(workspace)], check=True)
            env.update(HOME=str(self.home), USER=self.account, LOGNAME=self.account,
                       PATH=f"{Path(self.python).parent}{os.pathsep}/usr/local/bin:/usr/bin:/bin")
            cmd = ["setpriv", f"--reuid={self.account}", f"--regid={self.account}", "--init-groups", "--", *cmd]
        return cmd, cwd, env


def _readable_python() -> str | None:
    """A Python of this version that a user who is not root can run (ours may live under /root)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (os.path.join(sys.base_prefix, "bin", version), f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        if os.path.isfile(candidate) and all(os.stat(p).st_mode & 0o001 for p in Path(candidate).parents):
            return candidate
    return None


@pytest.fixture(scope="session")
def grader_account() -> Level:
    """A user who is not root (made here), a venv it can run and its own copy of the course."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("the namespaces level is tested as a user made for it: that needs root on Linux")
    if subprocess.run(["id", GRADER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", GRADER], check=True, capture_output=True)
    as_grader = ["setpriv", f"--reuid={GRADER}", f"--regid={GRADER}", "--init-groups", "--"]
    if subprocess.run([*as_grader, "unshare", "--user", "--map-root-user", "--net", "true"],
                      capture_output=True).returncode != 0:
        pytest.skip("user namespaces are not available to a user who is not root here (e.g. Ubuntu's AppArmor)")
    home = Path(subprocess.run(["sh", "-c", f"getent passwd {GRADER} | cut -d: -f6"], capture_output=True,
                               text=True, check=True).stdout.strip())
    python = _readable_python()
    lock = COURSE_DIR / "requirements" / "grading.txt"
    venv = home / f"venv-{hashlib.sha256(lock.read_bytes()).hexdigest()[:12]}"
    if python is None or not shutil.which("uv"):
        pytest.skip("no Python (or uv) that the grader's account can run")
    if not (venv / ".ready").is_file():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run(["uv", "venv", "-q", "--python", python, str(venv)], check=True)
        subprocess.run(["uv", "pip", "install", "-q", "--compile-bytecode", "--python", str(venv / "bin" / "python"),
                        "-r", str(lock)], check=True)
        (venv / ".ready").write_text("ok")
    course = home / f"course-{uuid.uuid4().hex[:8]}"
    copy_course(course)
    subprocess.run(["chown", "-R", f"{GRADER}:{GRADER}", str(home)], check=True)
    yield Level("namespaces", course=course, python=str(venv / "bin" / "python"), account=GRADER, home=home)
    shutil.rmtree(course, ignore_errors=True)


@pytest.fixture(params=LEVELS)
def level(request) -> Level:
    """Each level of ``LEVELS`` (the `namespaces` one as a user who is not root)."""
    if request.param == "namespaces":
        return request.getfixturevalue("grader_account")
    return Level(request.param)


@pytest.fixture
def at(level, tmp_path, tmp_path_factory):
    """An :class:`Attack` workspace whose commands run at ``level`` (in the grader's home for
    `namespaces`, where that user can reach it); kills what is left afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="attack-", dir=level.home)) if level.account else tmp_path
    workspace = Attack(tmp, tmp_path_factory, level=level)
    yield workspace
    workspace.cleanup()
    if level.account:
        remove_tree(tmp)


def remove_tree(top: Path) -> None:
    """``rm -rf`` without recursion in Python (a submission's tree may be thousands deep)."""
    subprocess.run(["rm", "-rf", "--one-file-system", str(top)], check=False)
