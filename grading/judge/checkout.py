"""A student's git repository at a deadline: a temporary clone at the last commit before it.

Batch grading with ``--before`` grades what a student had committed by the deadline, and says
which commit and how many came later; without it, which commit the folder graded was at. The
student's repository is only read: git runs without prompts, hooks or fsmonitor, and whoever
owns the repository, into a clone of its own. Only a real ``.git`` folder inside the student's
folder is read (:func:`git_dir_problem`), named to git explicitly (``GIT_DIR``, the work tree):
a ``.git`` file pointing at a classmate's repository, or a link or borrowed objects leading out,
is refused with a note.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from grading.judge.submissions import leads_out
from grading.judge.walk import Walk

GIT_ENV = {  # no prompt, no system config, no replaced objects
    "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1", "GIT_NO_REPLACE_OBJECTS": "1", "GIT_OPTIONAL_LOCKS": "0",
}
GIT_SAFE = ["-c", "safe.directory=*", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
            "-c", "protocol.file.allow=always"]


def git(*args: str, git_dir: Path | None, work_tree: Path | None = None, cwd: Path | None = None) -> str:
    """Run git on the repository ``git_dir`` (its work tree, if any, given too: git looks for nothing
    itself; none for ``clone``, which would make ``GIT_DIR`` its new repository), without prompts,
    hooks, fsmonitor or the student's ownership mattering; return its output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_ENV)
    if git_dir is not None:
        env["GIT_DIR"] = str(git_dir)
    if work_tree is not None:
        env["GIT_WORK_TREE"] = str(work_tree)
    where = cwd or work_tree or git_dir
    env["GIT_CEILING_DIRECTORIES"] = str(Path(where).resolve().parent)
    command = ["git", *GIT_SAFE, *args]
    return subprocess.run(command, cwd=where, env=env, capture_output=True, text=True, check=True,
                          timeout=300).stdout


def git_dir_problem(home: Path) -> str | None:
    """Why the judge will not read ``home/.git``, or ``None``: only a real folder inside ``home``,
    nothing in it leading out (a link, objects borrowed from another repository, a worktree's
    ``commondir``). A ``.git`` file (``gitdir: ../alice/.git``) or link is refused."""
    git_dir = home / ".git"
    if not stat.S_ISDIR(os.lstat(git_dir).st_mode):
        return ".git is not a folder (a file or a link pointing elsewhere): not graded"
    for name in ("commondir", "objects/info/alternates", "objects/info/http-alternates"):
        if os.path.lexists(git_dir / name):
            return f".git/{name} uses another repository: not graded"
    home_real = os.path.realpath(home)
    walk = Walk(git_dir, max_depth=12, max_entries=200_000)
    for entry, rel, _ in walk:
        if entry.is_symlink() and leads_out(Path(entry.path), home_real):
            return f".git/{rel} is a link out of the student's folder: not graded"
    if walk.cut:
        return f".git holds {walk.cut}: not graded"
    return None


def checkout_before(home: Path, before: str, target: Path) -> tuple[Path | None, dict]:
    """A temporary clone of ``home`` at its last commit before ``before``; the repository is only read.

    What was learnt says which commit was graded (``commit``, ``committed``), the ``deadline``
    applied and how many commits came after it (``later_commits``: work past the deadline).
    """
    if not os.path.lexists(home / ".git"):
        return home, {"note": "not a git repository: graded as it is"}
    problem = git_dir_problem(home)
    if problem:
        return None, {"note": problem}
    git_dir = home / ".git"
    try:
        commit = git("rev-list", "-1", f"--before={before}", "HEAD", git_dir=git_dir, work_tree=home).strip()
        later = git("rev-list", "--count", f"{commit}..HEAD" if commit else "HEAD", git_dir=git_dir,
                    work_tree=home).strip()
    except (subprocess.SubprocessError, OSError) as exc:
        return None, {"note": f"git could not read the repository ({first_line(exc)})"}
    audit = {"deadline": before, "later_commits": later}
    if not commit:
        return None, {**audit, "note": f"no commit before {before}"}
    clone = target / "clone"
    git("clone", "--quiet", "--no-checkout", "--no-hardlinks", str(git_dir.resolve()), str(clone),
        git_dir=None, cwd=target)
    git("checkout", "--quiet", "--detach", commit, git_dir=clone / ".git", work_tree=clone)
    committed = git("show", "-s", "--format=%cI", commit, git_dir=clone / ".git").strip()
    return clone, {"commit": commit, "committed": committed, **audit}


def head_of(home: Path) -> dict:
    """The commit a git repository's folder is at (``commit``, ``committed``); nothing otherwise.

    Only refs and the commit are read (no ``git status``: a repository's own configuration
    could make it run a command); the folder is graded as it is, uncommitted changes included.
    """
    if not os.path.lexists(home / ".git") or git_dir_problem(home):
        return {}
    try:  # plumbing only: a porcelain such as log could run a program the repository names (gpg)
        commit, committed = git("rev-list", "-1", "--format=%H%n%cI", "HEAD", git_dir=home / ".git",
                                work_tree=home).split()[-2:]
    except (subprocess.SubprocessError, OSError, ValueError):
        return {}
    return {"commit": commit, "committed": committed}


def first_line(exc: BaseException) -> str:
    """The first line of what a failed command said (its stderr), or of the exception."""
    text = getattr(exc, "stderr", None) or str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
