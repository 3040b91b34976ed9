"""A student's submission as the judge sees it: where its exercises are, and a private copy of them.

Batch grading and Gradescope never grade a student's folder in place. They find the exercise
folders wherever the submission put them (:func:`find_exercise_root`), then copy them into a
folder of their own (:func:`private_copy`): only regular files and folders, and symbolic links
only when they resolve to another file of the same submission, each file once, within budgets
of files, bytes and depth. An exercise folder that is itself a link (to a classmate's, say), or
that resolves out of the student's folder, counts as missing. Results are written with :func:`write_atomic`,
so a crash never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grading.judge.course import ID_PATTERN, grader_ids, renamed_folder

SKIPPED_NAMES = {"__pycache__", ".git", ".pytest_cache", ".hypothesis", ".grading-cache", "__MACOSX", ".nox"}
MAX_FILE_BYTES = 20 * 1024 * 1024  # a bigger file in an exercise folder is left out of the copy
MAX_FILES = 20_000  # files copied from one submission (a course's solutions hold a few hundred)
MAX_BYTES = 200 * 1024 * 1024  # bytes copied from one submission
MAX_ENTRIES = 100_000  # files, folders and links looked at in one submission
MAX_COPY_DEPTH = 40  # folders below an exercise folder
MAX_DEPTH = 3  # how deep below the submission exercise folders are looked for
MAX_FOLDERS_LOOKED_AT = 2_000  # at each of those levels


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
        level = level[:MAX_FOLDERS_LOOKED_AT]  # a submission of a million folders is not searched through
        for folder in level:
            count = len(_exercise_dirs(folder, ids))
            if count > best_count:
                best, best_count = folder, count
        level = [sub for folder in level for sub in _subfolders(folder)]
    if best is not None:
        return best
    return submission / "exercises" if os.path.lexists(submission / "exercises") else submission


def checkout_of(root: Path) -> Path:
    """The clone an exercise root belongs to: the folder holding ``exercises/``, else the root."""
    return root.parent if root.name == "exercises" else root


# -- a private copy ---------------------------------------------------------------------------------


@dataclass
class Budget:
    """What one submission's private copy may take; ``notes`` say what was left out, and why."""

    files: int = MAX_FILES
    bytes: int = MAX_BYTES
    entries: int = MAX_ENTRIES
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def _inside(path: str, home: str) -> bool:
    return path == home or path.startswith(home.rstrip(os.sep) + os.sep)


def leads_out(path: Path, home: str) -> bool:
    """Whether ``path``, resolved (every link on its way followed), is outside ``home``."""
    return not _inside(os.path.realpath(path), home)


def _copy_tree(source: str, target: str, home: str, budget: Budget) -> None:
    """Copy the folder ``source`` (resolved) into ``target``, iteratively (see :func:`private_copy`)."""
    files: dict[tuple[int, int], str] = {}  # (device, inode) -> its copy: a file is copied once
    folders: set[tuple[int, int]] = set()  # the same for folders: a graph of links is not unrolled
    with contextlib.suppress(OSError):
        info = os.stat(source)
        folders.add((info.st_dev, info.st_ino))
    stack = [(source, target, 0)]
    while stack:
        folder, into, depth = stack.pop()
        os.makedirs(into, exist_ok=True)
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            budget.entries -= 1
            if budget.entries < 0:
                budget.note(f"it holds more than {MAX_ENTRIES} files and folders: the rest was not graded")
                return
            if entry.name in SKIPPED_NAMES or entry.name.endswith(".pyc"):
                continue
            path, dest = entry.path, os.path.join(into, entry.name)
            if entry.is_symlink():
                path = os.path.realpath(path)
                if not _inside(path, home):
                    budget.note("links to files outside your folder were left out")
                    continue
            try:
                info = os.stat(path, follow_symlinks=False)
            except OSError:
                continue
            key = (info.st_dev, info.st_ino)
            if stat.S_ISDIR(info.st_mode):
                if key in folders:  # reached again through a link (a cycle, a graph): copied once
                    continue
                if depth + 1 > MAX_COPY_DEPTH:
                    budget.note(f"folders more than {MAX_COPY_DEPTH} deep were left out")
                else:
                    folders.add(key)
                    stack.append((path, dest, depth + 1))
            elif stat.S_ISREG(info.st_mode):
                if key in files:
                    with contextlib.suppress(OSError):
                        os.link(files[key], dest)
                    continue
                if info.st_size > MAX_FILE_BYTES:
                    budget.note(f"files over {MAX_FILE_BYTES // 2**20} MiB were left out")
                    continue
                if budget.files <= 0 or budget.bytes < info.st_size:
                    budget.note(f"it holds more than {MAX_FILES} files or {MAX_BYTES // 2**20} MiB: "
                                "the rest was not graded")
                    return
                if _copy_file(path, dest, info.st_size):
                    files[key] = dest
                    budget.files -= 1
                    budget.bytes -= info.st_size


def _copy_file(source: str, dest: str, size: int) -> bool:
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    with os.fdopen(fd, "rb") as src, open(dest, "wb") as out:
        left = size  # never more than it said it holds
        while left > 0:
            chunk = src.read(min(left, 1 << 20))
            if not chunk:
                break
            out.write(chunk)
            left -= len(chunk)
    return True


def private_copy(  # noqa: PLR0913
    root: Path, exercise_ids: list[str], target: Path, home: Path | None = None, notes: list[str] | None = None,
) -> Path:
    """Copy the exercise folders of ``root`` into ``target/exercises/``; return that folder.

    ``home`` is the student's whole folder (default: the clone ``root`` belongs to). Nothing of
    the copy leads out of it: the resolved path of every entry is checked, ``home``, ``root`` and
    each exercise folder included, so an ``exercises`` linked to a classmate's, or a student
    folder that is itself a link, gives nothing (the exercises are then missing). A file or folder
    reached twice through links is copied once (a file is hard-linked inside its exercise, a folder
    left out), the walk is iterative and bounded, and the copy has budgets of files and bytes:
    what was left out is said in ``notes``, one sentence each. A folder that looks like a missing
    exercise's renamed (``02_routing``) is copied under its own name, so the report can name it.
    """
    budget = Budget()
    home = home or checkout_of(root)
    home_real = os.path.realpath(home)
    out = target / "exercises"
    out.mkdir(parents=True, exist_ok=True)
    if os.path.islink(home):
        budget.note("your folder is a link: not graded")
    elif leads_out(root, home_real):
        budget.note(f"{root.name}/ leads out of your folder (a link): not graded")
    else:
        course_ids = grader_ids() | set(exercise_ids)
        for exercise_id in exercise_ids:
            folder = root / exercise_id
            if not folder.is_dir() or folder.is_symlink():  # a folder renamed is copied as it is named, and named
                renamed = renamed_folder(root, exercise_id, course_ids)
                folder = root / renamed if renamed else folder
            if folder.is_dir() and not folder.is_symlink() and not leads_out(folder, home_real):
                _copy_tree(os.path.realpath(folder), str(out / folder.name), home_real, budget)
            if budget.entries < 0 or budget.files <= 0:
                break
    if notes is not None:
        notes.extend(budget.notes)
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

