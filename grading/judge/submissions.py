"""A student's submission as the judge sees it: where its exercises are, and a private copy of them.

Batch grading and Gradescope never grade a student's folder in place. They find the exercise
folders wherever the submission put them (:func:`find_exercise_root`), then copy them into a
folder of their own (:func:`private_copy`): only regular files and folders, and symbolic links
only when they point to another file of the same submission. An exercise folder that is itself
a link (to a classmate's, say) counts as missing. Results are written with :func:`write_atomic`,
so a crash never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

from grading.judge.course import ID_PATTERN

SKIPPED_NAMES = {"__pycache__", ".git", ".pytest_cache", ".hypothesis", ".grading-cache", "__MACOSX", ".nox"}
MAX_FILE_BYTES = 20 * 1024 * 1024  # a bigger file in an exercise folder is left out of the copy
MAX_DEPTH = 3  # how deep below the submission exercise folders are looked for


# -- where the exercises are ----------------------------------------------------------------------


def _exercise_dirs(folder: Path, wanted: set[str] | None) -> set[str]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return set()
    return {
        e.name
        for e in entries
        if ID_PATTERN.match(e.name) and e.is_dir(follow_symlinks=False) and (wanted is None or e.name in wanted)
    }


def _subfolders(folder: Path) -> list[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    return [
        Path(e.path)
        for e in entries
        if e.is_dir(follow_symlinks=False) and e.name not in SKIPPED_NAMES and not e.name.startswith(".")
    ]


def find_exercise_root(submission: Path, wanted: list[str] | None = None) -> Path:
    """The folder of ``submission`` holding the most exercise folders (``01-hello`` ...).

    That is ``exercises/`` of a clone, the submission itself when it holds the exercise folders,
    or either of those one or two folders down (``flask-exercises-main/exercises/``, how GitHub's
    *Download ZIP* unpacks). The shallowest wins a tie. With no exercise folder anywhere it is
    ``exercises/`` when there is one, else the submission itself.
    """
    ids = set(wanted) if wanted else None
    best, best_count = None, 0
    level = [submission]
    for _ in range(MAX_DEPTH + 1):
        for folder in level:
            count = len(_exercise_dirs(folder, ids))
            if count > best_count:
                best, best_count = folder, count
        level = [sub for folder in level for sub in _subfolders(folder)]
    if best is not None:
        return best
    return submission / "exercises" if (submission / "exercises").is_dir() else submission


def checkout_of(root: Path) -> Path:
    """The clone an exercise root belongs to: the folder holding ``exercises/``, else the root."""
    return root.parent if root.name == "exercises" else root


# -- a private copy ---------------------------------------------------------------------------------


def _inside(path: str, home: str) -> bool:
    return path == home or path.startswith(home + os.sep)


def _copy_tree(source: str, target: str, home: str, seen: set[str]) -> None:
    os.makedirs(target, exist_ok=True)
    try:
        entries = list(os.scandir(source))
    except OSError:
        return
    for entry in entries:
        if entry.name in SKIPPED_NAMES or entry.name.endswith(".pyc"):
            continue
        path, dest = entry.path, os.path.join(target, entry.name)
        if entry.is_symlink():
            path = os.path.realpath(path)
            if not _inside(path, home):
                continue  # a link out of the student's folder: not their work
        try:
            info = os.stat(path, follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            if path not in seen:
                _copy_tree(path, dest, home, seen | {path})
        elif stat.S_ISREG(info.st_mode) and info.st_size <= MAX_FILE_BYTES:
            _copy_file(path, dest)


def _copy_file(source: str, dest: str) -> None:
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return
    with os.fdopen(fd, "rb") as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out, 1024 * 1024)


def private_copy(root: Path, exercise_ids: list[str], target: Path, home: Path | None = None) -> Path:
    """Copy the exercise folders of ``root`` into ``target/exercises/``; return that folder.

    ``home`` is the student's whole folder (default: the clone ``root`` belongs to): links may
    point anywhere inside it, never out of it. An exercise folder that is a link, or is absent,
    is left out, so grading reports it missing.
    """
    home_real = os.path.realpath(home or checkout_of(root))
    out = target / "exercises"
    out.mkdir(parents=True, exist_ok=True)
    for exercise_id in exercise_ids:
        folder = root / exercise_id
        if folder.is_dir() and not folder.is_symlink():
            real = os.path.realpath(folder)
            _copy_tree(real, str(out / exercise_id), home_real, {real})
    return out


# -- writing results ------------------------------------------------------------------------------


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in one step: a temporary file beside it, then ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

