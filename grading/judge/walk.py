"""Walking and removing folders a student filled: iteratively, within budgets, never following links.

A submission, or what a student's code left behind, may hold a tree thousands of folders deep
(Python 3.11's ``os.walk``, ``shutil.rmtree`` and ``Path.rglob`` recurse: ``RecursionError``, and
paths longer than the system allows), links forming a graph, or millions of entries. The judge
walks such folders only with :class:`Walk` and removes them only with :func:`remove_tree`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator

MAX_DEPTH = 40  # folders below the top: no exercise needs more
MAX_ENTRIES = 100_000  # entries looked at in one walk


class Walk:
    """Every entry below ``top`` (files, links, folders; links are not followed), depth first,
    each folder's entries by name; at most ``max_entries`` entries and ``max_depth`` folders down.

    Iterating yields ``(entry, rel, depth)``: the :class:`os.DirEntry`, its path relative to
    ``top`` with ``/`` and how many folders down it is (0 at the top). Folders named in ``skip``
    are left out with what they hold. After the walk, ``cut`` says why it stopped early, if it did.
    """

    def __init__(self, top, skip=(), max_depth: int = MAX_DEPTH, max_entries: int = MAX_ENTRIES):
        self.top, self.skip = os.fspath(top), set(skip)
        self.max_depth, self.max_entries = max_depth, max_entries
        self.cut: str | None = None

    def __iter__(self) -> Iterator[tuple[os.DirEntry, str, int]]:
        seen = 0
        stack = [(self.top, "", 0)]
        while stack:
            folder, rel, depth = stack.pop()
            try:
                with os.scandir(folder) as found:
                    entries = []
                    for entry in found:
                        seen += 1
                        if seen > self.max_entries:
                            self.cut = f"more than {self.max_entries} files and folders"
                            break
                        entries.append(entry)
            except OSError:
                continue
            below = []
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name in self.skip:
                    continue
                path = f"{rel}{entry.name}"
                yield entry, path, depth
                if entry.is_dir(follow_symlinks=False):
                    if depth + 1 > self.max_depth:
                        self.cut = f"folders more than {self.max_depth} deep"
                    else:
                        below.append((entry.path, path + "/", depth + 1))
            if self.cut and seen > self.max_entries:
                return
            stack.extend(reversed(below))


def files(top, skip=(), max_depth: int = MAX_DEPTH, max_entries: int = MAX_ENTRIES) -> list[tuple[str, str]]:
    """``(path, rel)`` of every entry of ``top`` that is not a folder (regular files, links,
    odd files), sorted by ``rel``: what :class:`Walk` finds within its budgets."""
    return sorted(((e.path, rel) for e, rel, _ in Walk(top, skip, max_depth, max_entries)
                   if not e.is_dir(follow_symlinks=False)), key=lambda found: found[1])


_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)


def remove_tree(top) -> None:
    """Remove ``top`` and everything in it, however deep, whatever the permissions; never raises.

    Every folder found is first moved up into one folder of the top, so no path ever gets long
    and no more than three folders are open at once; links are removed, never followed.
    """
    top = os.fspath(top)
    if not (os.rename in os.supports_dir_fd and os.open in os.supports_dir_fd):
        shutil.rmtree(top, ignore_errors=True)  # Windows: no paths relative to a folder
        return
    with contextlib.suppress(OSError):
        if os.path.islink(top) or not os.path.isdir(top):
            os.unlink(top)
            return
    try:
        top_fd = _open_dir(top, None)
    except OSError:
        return
    try:
        pending = f".removing-{uuid.uuid4().hex}"
        os.mkdir(pending, 0o700, dir_fd=top_fd)
        pending_fd = os.open(pending, _FLAGS, dir_fd=top_fd)
        try:
            count = _empty(top_fd, pending_fd, skip=pending)
            while True:
                with os.scandir(pending_fd) as found:
                    names = [e.name for e in found]
                if not names:
                    break
                for name in names:
                    try:
                        fd = _open_dir(name, pending_fd)
                    except OSError:
                        with contextlib.suppress(OSError):
                            os.unlink(name, dir_fd=pending_fd)
                        continue
                    try:
                        count = _empty(fd, pending_fd, count=count)
                    finally:
                        os.close(fd)
                    with contextlib.suppress(OSError):
                        os.rmdir(name, dir_fd=pending_fd)
        finally:
            os.close(pending_fd)
        with contextlib.suppress(OSError):
            os.rmdir(pending, dir_fd=top_fd)
    except OSError:
        pass
    finally:
        os.close(top_fd)
    with contextlib.suppress(OSError):
        os.rmdir(top)


def _open_dir(name: str, dir_fd: int | None) -> int:
    try:
        return os.open(name, _FLAGS, dir_fd=dir_fd)
    except PermissionError:
        os.chmod(name, 0o700, dir_fd=dir_fd)  # not a link: O_NOFOLLOW would have said ELOOP
        return os.open(name, _FLAGS, dir_fd=dir_fd)


def _empty(fd: int, pending_fd: int, skip: str = "", count: int = 0) -> int:
    """Unlink the files of the folder ``fd``; move its folders into ``pending_fd``, numbered from ``count``."""
    with contextlib.suppress(OSError):
        os.chmod(fd, 0o700)
    with os.scandir(fd) as found:
        entries = [(e.name, e.is_dir(follow_symlinks=False)) for e in found]
    for name, is_dir in entries:
        if name == skip:
            continue
        with contextlib.suppress(OSError):
            if is_dir:
                os.rename(name, str(count), src_dir_fd=fd, dst_dir_fd=pending_fd)
                count += 1
            else:
                os.unlink(name, dir_fd=fd)
    return count
