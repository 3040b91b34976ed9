"""Remember results of exercises whose code has not changed since they were last graded.

The key covers everything a score depends on: the student's files, the grader, the engine,
the exercise's metadata, the pinned requirements and the Python version. Grading is
deterministic (Hypothesis runs derandomized), so a cached result is the result a new run would
give. Results with an error or a timeout are never cached: they may be passing trouble.

A cache entry is only believed if this machine wrote it: each is signed (HMAC-SHA256) with a key
kept outside the repository, in the user's cache folder, so an entry committed to a repository
counts for nothing in a fresh clone. In CI (``CI`` or ``GITHUB_ACTIONS`` set) the cache is not
used at all; batch grading and Gradescope never use it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import sys
from pathlib import Path

from grading.judge.course import Exercise
from grading.judge.results import ExerciseResult
from grading.judge.walk import Walk

SKIPPED_PARTS = {"__pycache__", ".git", ".venv", "venv", "node_modules", ".pytest_cache", ".hypothesis", "instance"}
ENGINE_DIR = Path(__file__).resolve().parents[1]  # grading/: every room of the engine


def _hash_tree(h, folder: Path) -> None:
    """Every file of ``folder`` into ``h``: iteratively, within :mod:`~grading.judge.walk`'s budgets
    (a tree too deep or too full is hashed as far as they go, and said so: its result is not kept)."""
    if not folder.exists():
        h.update(b"<absent>")
        return
    walk = Walk(folder, skip=SKIPPED_PARTS)
    for entry, rel, _ in walk:
        if rel.endswith(".pyc") or not entry.is_file():
            continue
        h.update(rel.encode() + b"\0")
        with contextlib.suppress(OSError), open(entry.path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    if walk.cut:
        h.update(secrets.token_bytes(16))  # never the same key twice: such a folder is not cached


def key(exercise: Exercise, root: Path) -> str:
    h = hashlib.sha256()
    h.update(sys.version.encode())
    for path in sorted(ENGINE_DIR.rglob("*.py")):
        h.update(path.read_bytes())
    course = exercise.course_dir
    for path in (exercise.grader, exercise.grader.parent / "pytest.ini", exercise.meta_dir / "exercise.yaml",
                 course / "requirements" / "grading.txt"):
        h.update(path.read_bytes() if path.exists() else b"<absent>")
    _hash_tree(h, exercise.grader.parent / "data" / exercise.id)  # apps a grader runs tests against
    _hash_tree(h, root / exercise.id)
    return h.hexdigest()


def in_ci() -> bool:
    return any(os.environ.get(name, "").lower() not in ("", "0", "false") for name in ("CI", "GITHUB_ACTIONS"))


def signing_key() -> bytes:
    """This machine's key for cache entries (made on first use), outside any repository."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "flask-exercises"
    path = base / "cache-key"
    try:
        return bytes.fromhex(path.read_text())
    except (OSError, ValueError):
        base.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key.hex())
        return key


def _mac(key: bytes, data: dict) -> str:
    body = json.dumps({k: data[k] for k in ("key", "result", "docs")}, sort_keys=True).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


class ResultCache:
    def __init__(self, folder: Path, key: bytes | None = None):
        self.folder = Path(folder)
        self.secret = key if key is not None else signing_key()

    def _slot(self, exercise: Exercise, root: Path) -> Path:
        name = hashlib.sha256(f"{root.resolve()}\0{exercise.id}".encode()).hexdigest()[:24]
        return self.folder / f"{exercise.id}-{name}.json"

    def get(self, exercise: Exercise, root: Path) -> ExerciseResult | None:
        try:
            data = json.loads(self._slot(exercise, root).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        try:
            if data.get("key") != key(exercise, root) or not hmac.compare_digest(str(data.get("mac")), _mac(self.secret, data)):
                return None
        except (KeyError, TypeError):
            return None
        result = ExerciseResult.from_json(data["result"], data.get("docs"), data.get("causes"))
        result.cached = True
        return result

    def put(self, exercise: Exercise, root: Path, result: ExerciseResult) -> None:
        if result.status not in ("passed", "failed") or any(c.status in ("error", "timeout") for c in result.checks):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        gitignore = self.folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n")
        data = {"key": key(exercise, root), "result": result.to_json(), "docs": {c.name: c.doc for c in result.checks},
                "causes": {c.name: c.cause for c in result.checks if c.cause}}
        data["mac"] = _mac(self.secret, data)
        tmp = self._slot(exercise, root).with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self._slot(exercise, root))
