"""A student's git repository at a deadline: a temporary clone at the last commit before it.

Batch grading with ``--before`` grades what a student had committed by the deadline, and says
which commit and how many came later; without it, which commit the folder graded was at. The
student's repository is only read: git runs without prompts or hooks, and whoever owns the
repository, into a clone of its own.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(*args: str, cwd: Path | None = None) -> str:
    """Run git without prompts, hooks or the student's ownership mattering; return its output."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1"}
    command = ["git", "-c", "safe.directory=*", "-c", "core.hooksPath=/dev/null", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=True, timeout=300).stdout


def checkout_before(home: Path, before: str, target: Path) -> tuple[Path | None, dict]:
    """A temporary clone of ``home`` at its last commit before ``before``; the repository is only read.

    What was learnt says which commit was graded (``commit``, ``committed``), the ``deadline``
    applied and how many commits came after it (``later_commits``: work past the deadline).
    """
    if not (home / ".git").exists():
        return home, {"note": "not a git repository: graded as it is"}
    try:
        commit = git("rev-list", "-1", f"--before={before}", "HEAD", cwd=home).strip()
        later = git("rev-list", "--count", f"{commit}..HEAD" if commit else "HEAD", cwd=home).strip()
    except (subprocess.SubprocessError, OSError) as exc:
        return None, {"note": f"git could not read the repository ({first_line(exc)})"}
    audit = {"deadline": before, "later_commits": later}
    if not commit:
        return None, {**audit, "note": f"no commit before {before}"}
    clone = target / "clone"
    git("clone", "--quiet", "--no-checkout", "--no-hardlinks", str(home.resolve()), str(clone))
    git("checkout", "--quiet", "--detach", commit, cwd=clone)
    committed = git("show", "-s", "--format=%cI", commit, cwd=clone).strip()
    return clone, {"commit": commit, "committed": committed, **audit}


def head_of(home: Path) -> dict:
    """The commit a git repository's folder is at (``commit``, ``committed``); nothing otherwise.

    Only refs and the commit are read (no ``git status``: a repository's own configuration
    could make it run a command); the folder is graded as it is, uncommitted changes included.
    """
    if not (home / ".git").exists():
        return {}
    try:  # plumbing only: a porcelain such as log could run a program the repository names (gpg)
        commit, committed = git("rev-list", "-1", "--format=%H%n%cI", "HEAD", cwd=home).split()[-2:]
    except (subprocess.SubprocessError, OSError, ValueError):
        return {}
    return {"commit": commit, "committed": committed}


def first_line(exc: BaseException) -> str:
    """The first line of what a failed command said (its stderr), or of the exception."""
    text = getattr(exc, "stderr", None) or str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
