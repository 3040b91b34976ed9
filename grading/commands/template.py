"""``nox -s template -- DIR``: write the repository students receive (the Classroom template).

It holds what a student needs to work and to grade their work, and nothing that gives answers
away: the exercises (starters, READMEs, ``exercise.yaml``), the graders and the engine, the
pinned requirements, the Classroom workflow, the noxfile without the instructors' sessions, a
README without the instructors' sections, and a graders' manifest of its own. Left out: the
reference solutions, our tests (with their alternative and wrong solutions), the benchmarks, and
every ``private/`` folder of ``graders/data/`` (15-testing's rewrite and held-back broken apps:
the course's own graders use them in batch grading and on Gradescope).

``DIR`` must be empty, or hold an earlier template (then its ``.git`` is kept and the rest is
written again): build, commit, push. ``--repository ORG/NAME`` (where the template will live) makes
its Classroom workflow grade with the graders checked out from there, never the student's copies.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import re
import shutil
import sys
from pathlib import Path

import yaml

from grading.commands.local import invoked_from
from grading.judge.course import COURSE_DIR, load_course
from grading.judge.integrity import MANIFEST, _read, read_manifest, write_manifest

COPIED = ("exercises", "graders", "grading", "requirements", ".github/workflows/classroom.yml", ".gitignore")
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", "private", "instance")
INSTRUCTOR_SESSIONS = ("batch", "verify", "classroom", "gradescope", "template", "tests", "lock", "bench", "class_for_bench")
INSTRUCTOR_SECTIONS = ("For instructors", "Adding an exercise")
INSTRUCTOR_LAYOUT = ("solutions/", "tests/", "bench/")
STUDENT_LAYOUT = {  # lines of the README's Layout that say something else in the template
    "requirements/": "requirements/        grading.txt pins what graders run against",
    "noxfile.py ": "noxfile.py           the sessions you use (nox --list shows them)",
    ".github/workflows/": ".github/workflows/   classroom.yml: GitHub Classroom grades every push with it",
}
ONLY_HERE = re.compile(r"<!-- instructors -->.*?<!-- /instructors -->\n?", re.S)


def student_noxfile(text: str) -> str:
    """The noxfile without the instructors' sessions (and their lines in its docstring)."""
    lines = text.splitlines(keepends=True)
    cut: set[int] = set()
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and node.name in INSTRUCTOR_SESSIONS and node.decorator_list:
            cut.update(range(node.decorator_list[0].lineno - 1, node.end_lineno))
    listed = re.compile(r"^\s+nox -s (%s)\b|.*\bsolutions\b" % "|".join(INSTRUCTOR_SESSIONS))
    kept = "".join(line for i, line in enumerate(lines) if i not in cut and not listed.match(line))
    kept = re.sub(r'^"""[^\n]*', '"""The sessions you use (`nox --list` shows them).', kept, count=1)
    return re.sub(r"\n{4,}", "\n\n\n", kept).rstrip("\n") + "\n"


def student_readme(text: str) -> str:
    """The README without the instructors' sections, and without what the template leaves out."""
    text = ONLY_HERE.sub("", text)
    sections = re.split(r"(?m)^(?=## )", text)
    kept = [s for s in sections if not s.startswith(tuple(f"## {title}" for title in INSTRUCTOR_SECTIONS))]
    lines = [line for line in "".join(kept).splitlines() if not line.startswith(INSTRUCTOR_LAYOUT)]
    lines = [next((new for old, new in STUDENT_LAYOUT.items() if line.startswith(old)), line) for line in lines]
    return "\n".join(lines).rstrip("\n") + "\n"


def rewritten_files(course_dir: Path = COURSE_DIR) -> dict[str, str]:
    """The files the template writes differently from the course: relative path -> text."""
    read = lambda name: (course_dir / name).read_text(encoding="utf-8")  # noqa: E731
    return {"noxfile.py": student_noxfile(read("noxfile.py")), "README.md": student_readme(read("README.md"))}


def course_manifest(course_dir: Path) -> dict[str, set[str]]:
    """What a student's checkout may hold: the course's manifest, and the files that the students'
    template (``nox -s template``) writes differently, such as its ``noxfile.py``."""
    accepted = {rel: {digest} for rel, digest in (read_manifest(course_dir) or {}).items()}
    noxfile = course_dir / "noxfile.py"
    if noxfile.is_file():
        text = student_noxfile(noxfile.read_text(encoding="utf-8"))
        accepted.setdefault("noxfile.py", set()).add(hashlib.sha256(text.encode("utf-8")).hexdigest())
    return accepted


def is_template_workflow(checkout: Path, course_dir: Path = COURSE_DIR, repository: str | None = None) -> bool:
    """Whether ``checkout``'s Classroom workflow is, byte for byte, the one ``nox -s template --
    DIR --repository ORG/NAME [--ref REF]`` writes for this course: for ``repository`` if given,
    else for the repository it names."""
    from grading.commands.classroom import WORKFLOW, render_workflow

    data = _read(checkout / WORKFLOW)
    if isinstance(data, str):  # a link, a device, a huge file: never read
        return False
    try:
        text = data.decode("utf-8")
        [job] = yaml.safe_load(text)["jobs"].values()
        [source] = [s["with"] for s in job["steps"] if "repository" in (s.get("with") or {})]
    except (UnicodeDecodeError, yaml.YAMLError, TypeError, KeyError, ValueError, AttributeError):
        return False
    if repository is not None and str(source["repository"]).lower() != repository.lower():
        return False  # grades with another repository's graders (GitHub's names ignore case)
    points = committed_points(course_dir)
    exercises = [e for e in load_course(course_dir) if e.id in points]
    return text == render_workflow(exercises, points, str(source["repository"]), source.get("ref"))


def committed_points(course_dir: Path) -> dict[str, float]:
    """Each exercise's points, as the header of the course's own workflow lists them (a test keeps it current)."""
    from grading.commands.classroom import WORKFLOW

    try:
        text = (course_dir / WORKFLOW).read_text(encoding="utf-8")
    except OSError:
        return {}
    return {m[1]: float(m[2]) for m in re.finditer(r"(?m)^#   (\d\d-[a-z0-9-]+) +([\d.]+) points$", text)}


def _check_target(target: Path, course_dir: Path) -> None:
    if not target.exists() or not any(target.iterdir()):
        return
    if target.resolve() == course_dir.resolve() or (target / "solutions").exists():
        raise SystemExit(f"error: {target} holds the course itself, not a template: give an empty folder")
    if not (target / MANIFEST).is_file():
        raise SystemExit(f"error: {target} is neither empty nor an earlier template")


def build(target: Path, course_dir: Path = COURSE_DIR, repository: str | None = None, ref: str | None = None) -> Path:
    """Write the students' repository into ``target``; return it. With ``repository`` (where the
    template will live, ``ORG/NAME``), its Classroom workflow grades with the graders checked out
    from there (at ``ref``), never with the student's copies."""
    _check_target(target, course_dir)
    target.mkdir(parents=True, exist_ok=True)
    for old in target.iterdir():
        if old.name != ".git":
            shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()
    for name in COPIED:
        source, dest = course_dir / name, target / name
        if source.is_dir():
            shutil.copytree(source, dest, ignore=LEFT_OUT)
        elif source.is_file():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest)
    (target / MANIFEST).unlink(missing_ok=True)
    for name, text in rewritten_files(course_dir).items():
        (target / name).write_text(text, encoding="utf-8")
    if repository:
        from grading.commands.classroom import write_workflow

        write_workflow(target, load_course(course_dir), repository, ref)
    write_manifest(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s template --", description=__doc__.splitlines()[0])
    parser.add_argument("target", metavar="DIR", help="an empty folder, or a clone of an earlier template")
    parser.add_argument("--repository", metavar="ORG/NAME", type=repository_name,
                        help="the template's GitHub repository: Classroom then grades with the graders checked out from it")
    parser.add_argument("--ref", metavar="REF", type=git_ref,
                        help="the branch, tag or commit of --repository to grade with (default: its default branch)")
    args = parser.parse_args(argv)
    if args.ref and not args.repository:
        parser.error("--ref needs --repository")
    target = build(invoked_from() / args.target, repository=args.repository, ref=args.ref)
    print(f"wrote the students' template in {target}")
    if args.repository:
        print(f"its Classroom workflow grades with the graders of {args.repository} ({args.ref or 'its default branch'})")
    print("next: commit it, push it to its own repository, and make that the Classroom template")
    return 0


def repository_name(text: str) -> str:
    """``ORG/NAME`` as GitHub spells a repository."""
    if not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a GitHub repository: give ORG/NAME")
    return text


def git_ref(text: str) -> str:
    """A branch, tag or commit name (no spaces, no characters git refuses)."""
    if not re.fullmatch(r"[A-Za-z0-9._/-]{1,200}", text) or ".." in text or text.startswith(("-", "/")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a branch, tag or commit")
    return text


if __name__ == "__main__":
    sys.exit(main())
