"""How long grading takes, the ways a student and a CI grade.

    python bench/grade.py            (or: nox -s bench)

Prints four figures, each the wall time of real commands, and the peak memory of the third:

1. first ``nox -s grade``: a new virtualenv is created and the pinned requirements installed,
   then every starter in exercises/ is graded with an empty result cache;
2. warm ``nox -s grade -R``: the same again, as a student's next run (nothing changed);
   the warm run after a student edits one exercise (only that one is graded again);
   and the warm run with ``--no-cache`` (every check of every exercise really runs);
3. the engine alone, ``python -m grading --no-cache --root solutions`` (all checks, all solutions),
   and its peak memory: the summed PSS of it and every process it starts (see bench/memory.py),
   beside the goal of a whole grading run under 768 MB (Gradescope's default container);
4. the same checks, one ``pytest`` process per check, as GitHub Classroom's command-per-test
   workflow runs them.

Options: ``--skip-nox`` (only 3 and 4), ``--sample N`` (time only N per-check processes and
scale up, to keep the bench short).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COURSE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(COURSE))

from bench.memory import describe, measure  # noqa: E402
from grading.judge.course import load_course  # noqa: E402

GOAL_MB = 768  # Gradescope's default container


def timed(cmd: list[str], env: dict[str, str] | None = None, ok=(0, 1)) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=COURSE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return seconds


def per_check_commands() -> list[list[str]]:
    """One pytest command per check of every exercise, graded against solutions/."""
    commands = []
    for exercise in load_course(COURSE):
        out = subprocess.run(
            [sys.executable, "-m", "pytest", "-c", "graders/pytest.ini", "--rootdir", ".",
             "-p", "no:cacheprovider", "--collect-only", "-q", str(exercise.grader.relative_to(COURSE))],
            cwd=COURSE, capture_output=True, text=True,
        ).stdout
        for line in out.splitlines():
            if "::test_" in line:
                commands.append([
                    sys.executable, "-m", "pytest", "-c", "graders/pytest.ini", "--rootdir", ".",
                    "-p", "no:cacheprovider", "-q", "--exercise-root", "solutions", line.strip(),
                ])
    return commands


def edited_one(nox: list[str], env: dict[str, str], tmp: Path, exercises) -> tuple[str, float]:
    """A student's usual run: one exercise changed since the last grade, the others cached."""
    checkout = tmp / "checkout"
    shutil.copytree(COURSE / "exercises", checkout)
    edited = next(e for e in exercises if (checkout / e.id / "app.py").is_file())
    grade_checkout = [*nox, "-R", "-s", "grade", "--", "--root", str(checkout)]
    timed(grade_checkout, env)  # warms the cache for this checkout
    with open(checkout / edited.id / "app.py", "a", encoding="utf-8") as app:
        app.write("\n# edited by the bench\n")
    return (f"warm `nox -s grade -R`, {edited.id} edited", timed(grade_checkout, env))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-nox", action="store_true", help="skip the nox figures (1 and 2)")
    parser.add_argument("--sample", type=int, default=0, help="time only N per-check processes, scale up")
    args = parser.parse_args()

    exercises = load_course(COURSE)
    print(f"{len(exercises)} exercises, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        env = {**os.environ, "GRADING_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("GRADING_NO_CACHE", None)
        if not args.skip_nox:
            nox = [shutil.which("nox") or "nox", "--envdir", str(Path(tmp) / "nox")]
            rows.append(("first `nox -s grade` (new venv, starters)", timed([*nox, "-s", "grade"], env)))
            rows.append(("warm `nox -s grade -R` (cached results)", timed([*nox, "-R", "-s", "grade"], env)))
            rows.append(edited_one(nox, env, Path(tmp), exercises))
            rows.append(("warm `nox -s grade -R -- --no-cache`",
                         timed([*nox, "-R", "-s", "grade", "--", "--no-cache"], env)))
        run = measure([sys.executable, "-m", "grading", "--no-cache", "--root", "solutions"], cwd=COURSE, env=env)
        if run.returncode:
            sys.exit(f"python -m grading exited {run.returncode}:\n{run.stderr[-2000:]}")
        engine = run.seconds
        rows.append(("engine alone, all solutions (--no-cache)", engine))

        commands = per_check_commands()
        sample = commands[: args.sample] if args.sample else commands
        spent = sum(timed(cmd, env, ok=(0,)) for cmd in sample)
        per_check = spent * len(commands) / len(sample)
        label = f"one process per check ({len(commands)} checks"
        label += f", {len(sample)} timed and scaled)" if args.sample else ")"
        rows.append((label, per_check))

    width = max(len(label) for label, _ in rows)
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds:7.2f} s")
    print(f"{'per-check / engine':<{width}}  {per_check / engine:7.1f} x")
    print(f"engine alone: {describe(run)} (goal: under {GOAL_MB} MB)")


if __name__ == "__main__":
    main()
