"""Are the graders the course's own? Compare them with the committed manifest of hashes.

``graders/MANIFEST.sha256`` lists, in ``sha256sum`` format, every file that decides a score: the
graders (and their data), the engine, the noxfile and the pinned requirements. ``nox -s
classroom`` writes it; every report checks it, so a grader edited (or a ``conftest.py`` added) in
a student's copy is flagged where the instructor sees the grade. ``sha256sum -c
graders/MANIFEST.sha256`` checks a checkout by hand.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

MANIFEST = Path("graders") / "MANIFEST.sha256"
WATCHED_FOLDERS = ("graders", "grading")
WATCHED_FILES = ("noxfile.py", "requirements/grading.txt")
SKIPPED = {"__pycache__", ".pytest_cache", ".hypothesis"}


def watched_files(course_dir: Path) -> list[str]:
    """The files that decide a score, as paths relative to ``course_dir``, sorted."""
    found = [name for name in WATCHED_FILES if (course_dir / name).is_file()]
    for folder in WATCHED_FOLDERS:
        for path in (course_dir / folder).rglob("*"):
            rel = path.relative_to(course_dir)
            if path.is_file() and not SKIPPED.intersection(rel.parts) and path.suffix != ".pyc":
                found.append(rel.as_posix())
    return sorted(set(found) - {MANIFEST.as_posix()})


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def render_manifest(course_dir: Path) -> str:
    return "".join(f"{_digest(course_dir / rel)}  {rel}\n" for rel in watched_files(course_dir))


def write_manifest(course_dir: Path) -> Path:
    path = course_dir / MANIFEST
    path.write_text(render_manifest(course_dir), encoding="utf-8")
    return path


def read_manifest(course_dir: Path) -> dict[str, str] | None:
    """``{path: sha256}`` from the manifest, or ``None`` when there is none."""
    try:
        text = (course_dir / MANIFEST).read_text(encoding="utf-8")
    except OSError:
        return None
    entries = {}
    for line in text.splitlines():
        digest, _, rel = line.partition("  ")
        if rel:
            entries[rel] = digest
    return entries


def changed_files(course_dir: Path, expected: dict[str, str] | None = None) -> list[str]:
    """Grading files of ``course_dir`` that differ from a manifest: edited, added or removed.

    The manifest is ``course_dir``'s own unless ``expected`` is given: batch grading and
    Gradescope compare a student's checkout with the course's manifest (which the student cannot
    have edited), and there only files present count, as a submission may leave some out. With
    no manifest at all, the manifest itself is reported as missing.
    """
    own = expected is None
    expected = read_manifest(course_dir) if own else expected
    if expected is None:
        return [MANIFEST.as_posix()]
    present = set(watched_files(course_dir))
    changed = [rel for rel in sorted(present) if expected.get(rel) != _digest(course_dir / rel)]
    if own:
        changed += [rel for rel in sorted(set(expected) - present)]
    return sorted(changed)


def warning(changed: list[str]) -> str | None:
    """One sentence for reports, or ``None`` when the graders are the course's own."""
    if not changed:
        return None
    shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return (
        f"Grading files differ from {MANIFEST.as_posix()}: {shown}. "
        "These scores may not be the course's (instructors: run `nox -s classroom` after changing a grader)."
    )
