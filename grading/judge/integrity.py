"""Are the graders the course's own? Compare them with the committed manifest of hashes.

``graders/MANIFEST.sha256`` lists, in ``sha256sum`` format, every file that decides a score: the
graders (and their data), the engine, ``.github/``, the noxfile and every Python file at the top
(a ``yaml.py`` there would shadow PyYAML), and the pinned requirements. ``nox -s classroom``
writes it; every report checks it, so a grader edited (or a ``conftest.py`` added) in a
student's copy is flagged where the instructor sees the grade. ``sha256sum -c
graders/MANIFEST.sha256`` checks a checkout by hand.

A student's copy may hold anything where a grader should be: a link (to ``/proc/self/mem``), a
device, a pipe, a file of many gigabytes. Such a file is flagged as changed without being read,
and no link is ever followed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from grading.judge.walk import Walk

MANIFEST = Path("graders") / "MANIFEST.sha256"
WATCHED_FOLDERS = ("graders", "grading", ".github")
WATCHED_FILES = ("noxfile.py", "requirements/grading.txt")  # and every *.py at the top
SKIPPED = {"__pycache__", ".pytest_cache", ".hypothesis"}
MAX_BYTES = 10 * 1024 * 1024  # no grading file is this big: a bigger one is changed, unread
MAX_TOTAL_BYTES = 100 * 1024 * 1024  # read in one comparison (the course's grading files: a few MB)


def _entries(folder: Path):
    """Every file of ``folder`` and below, links and odd files included, without following links;
    iteratively and within :mod:`~grading.judge.walk`'s budgets. A folder too deep or too full to
    walk gives one more entry, ``<folder>/...``, which matches no manifest: it is flagged, not read."""
    walk = Walk(folder, skip=SKIPPED)
    for entry, _, _ in walk:
        if not entry.is_dir(follow_symlinks=False) and not entry.name.endswith(".pyc"):
            yield Path(entry.path)
    if walk.cut:
        yield folder / "..."


def watched_files(course_dir: Path) -> list[str]:
    """The files that decide a score, as paths relative to ``course_dir``, sorted."""
    found = [name for name in WATCHED_FILES if os.path.lexists(course_dir / name)]
    found += [p.name for p in _entries_here(course_dir) if p.suffix == ".py"]
    for folder in WATCHED_FOLDERS:
        if (course_dir / folder).is_dir() and not (course_dir / folder).is_symlink():
            found += [p.relative_to(course_dir).as_posix() for p in _entries(course_dir / folder)]
        elif os.path.lexists(course_dir / folder):
            found.append(folder)  # a link or a file where a folder belongs
    return sorted(set(found) - {MANIFEST.as_posix()})


def _entries_here(folder: Path) -> list[Path]:
    try:
        return [Path(e.path) for e in os.scandir(folder) if not e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _read(path: Path) -> bytes | str:
    """The bytes of a regular file; for a link, a device, a pipe or a huge file, a word saying what it is.

    Never follows a link and never blocks or reads without end: a student's copy may hold a link
    to ``/proc/self/mem`` or ``/dev/zero`` where a grader should be.
    """
    try:
        info = os.lstat(path)
    except OSError:
        return "unreadable"
    if stat.S_ISLNK(info.st_mode):
        return "symlink"
    if not stat.S_ISREG(info.st_mode):
        return "not-a-file"
    if info.st_size > MAX_BYTES:
        return "too-large"
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        with os.fdopen(os.open(path, flags), "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError:
        return "unreadable"
    return "too-large" if len(data) > MAX_BYTES else data


def _digest(path: Path) -> str:
    data = _read(path)
    return data if isinstance(data, str) else hashlib.sha256(data).hexdigest()


def render_manifest(course_dir: Path) -> str:
    return "".join(f"{_digest(course_dir / rel)}  {rel}\n" for rel in watched_files(course_dir))


def write_manifest(course_dir: Path) -> Path:
    path = course_dir / MANIFEST
    path.write_text(render_manifest(course_dir), encoding="utf-8")
    return path


def read_manifest(course_dir: Path) -> dict[str, str] | None:
    """``{path: sha256}`` from the manifest, or ``None`` when there is none."""
    data = _read(course_dir / MANIFEST)
    if isinstance(data, str):
        return None
    text = data.decode("utf-8", errors="replace")
    entries = {}
    for line in text.splitlines():
        digest, _, rel = line.partition("  ")
        if rel:
            entries[rel] = digest
    return entries


def changed_files(course_dir: Path, expected: dict[str, str | set[str]] | None = None) -> list[str]:
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
    changed, left = [], MAX_TOTAL_BYTES  # a submission's graders/ may hold gigabytes: read at most this much
    for rel in sorted(present):
        want = expected.get(rel)
        size = _size(course_dir / rel)
        if want is None or size > left:  # added, or past the budget: changed, and not read
            changed.append(rel)
            continue
        left -= size
        if not _matches(want, _digest(course_dir / rel)):
            changed.append(rel)
    if own:
        changed += [rel for rel in sorted(set(expected) - present)]
    return sorted(changed)


def _size(path: Path) -> int:
    try:
        return os.lstat(path).st_size
    except OSError:
        return 0


def _matches(expected: str | set[str] | None, digest: str) -> bool:
    return digest in expected if isinstance(expected, set) else digest == expected


def warning(changed: list[str]) -> str | None:
    """One sentence for reports, or ``None`` when the graders are the course's own."""
    if not changed:
        return None
    shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return (
        f"Grading files differ from {MANIFEST.as_posix()}: {shown}. "
        "These scores may not be the course's (instructors: run `nox -s classroom` after changing a grader)."
    )
