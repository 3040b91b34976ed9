"""The process every sandbox is forked from: Flask and the exercises' extensions imported once.

The judge starts it as a new interpreter (``python -I``, a clean environment), so nothing of the
judge's memory, environment or open files is there to inherit. It listens on a Unix socket in a
folder only the judge can reach and serves three requests, one connection each::

    {"op": "level", "wall": {...}}           the best isolation level this machine allows
    {"op": "fork", "wall": {...}, ...} + fd  a new sandbox serving the judge on the passed socket
    {"op": "kill", "pid": n}                 end a sandbox and everything it started
    {"op": "status", "pid": n}               how a sandbox ended: its exit status, 128 + a signal
    {"op": "shutdown"}                       end every sandbox, then itself

It never imports student code: a forked child enters the wall first (:mod:`.confine`), then
hands over to :class:`grading.sandbox.host.Host`. Where Linux allows, it is the *subreaper* of
the sandboxes, so a student's double-forked daemon still ends up its child, and is killed.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import json
import os
import signal
import socket
import sys
from pathlib import Path

from grading.sandbox.confine import CLONE_NEWPID, SANDBOX_UID, Wall, _libc, clean_uid, enter, prepare, probe_level

PR_SET_CHILD_SUBREAPER = 36


# Imported while the zygote waits for requests (graders' probes and 15-testing's suites need them):
# the first sandbox need not wait for them.
WHEN_IDLE = ["grading.judge.expect", "pytest", "hypothesis", "_hypothesis_pytestplugin", "pytest_timeout",
             "grading.sandbox.suite", "graders"]
COURSE: dict[str, str] = {}  # "dir": the course whose graders are loaded while idle


def preload(modules: list[str]) -> None:
    """Import what sandboxes need, once: a fork then starts with all of it in memory."""
    import flask  # noqa: F401
    import flask.testing  # noqa: F401

    from grading.sandbox import host

    for name in modules:
        _import(name)
    with contextlib.suppress(Exception):
        host.warm_up()


def settle() -> None:
    """Once everything is loaded: what a sandbox inherits is never scanned by its garbage
    collector, so it copies fewer of the zygote's pages (a sandbox's cost is mostly those)."""
    gc.collect()
    gc.freeze()


def _import(name: str) -> None:
    with contextlib.suppress(Exception):
        importlib.import_module(name)


def _idle(step: str) -> None:
    """One step of the work done while no sandbox is asked for."""
    if step == "graders":  # what probes run in: the course's graders, with their imports
        from grading.sandbox.host import load_grader

        for grader in sorted(Path(COURSE["dir"], "graders").glob("test_*.py")) if COURSE.get("dir") else []:
            with contextlib.suppress(Exception):
                load_grader(str(grader.resolve()))
        return
    _import(step)
    if step == "grading.sandbox.suite":  # what each run of a student's suite would otherwise do again
        with contextlib.suppress(Exception):
            from grading.sandbox import suite

            suite.preload()


def serve(listener: socket.socket) -> None:
    sandboxes: set[int] = set()
    judge = os.getppid()
    with contextlib.suppress(Exception):
        _libc().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    later = list(WHEN_IDLE)
    while True:
        _reap(sandboxes)
        listener.settimeout(0.01 if later else 0.5)
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            if later:
                _idle(later.pop(0))
                if not later:
                    settle()
            if os.getppid() != judge:  # the judge is gone
                _kill_all(sandboxes)
                return
            continue
        except OSError:
            return
        with conn:
            try:
                data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 4)
                request = json.loads(data or b"{}")
                reply = _handle(request, fds, listener, conn, sandboxes)
            except Exception as exc:  # noqa: BLE001 - a bad request must not end the zygote
                reply = {"fault": f"{type(exc).__name__}: {exc}"}
            except SystemExit:
                with contextlib.suppress(OSError):
                    conn.sendall(b'{"stopped": true}')
                return
            with contextlib.suppress(OSError):
                conn.sendall(json.dumps(reply).encode())


def _handle(request: dict, fds: list[int], listener, conn, sandboxes: set[int]) -> dict:
    op = request.get("op")
    if op == "level":  # found once, as the zygote started (see main)
        if LEVEL.get("level") is None:
            LEVEL["level"] = probe_level(Wall(**request["wall"]))
        return {"level": LEVEL["level"]}
    if op == "kill":
        pid = int(request["pid"])
        if pid in sandboxes:
            _kill(pid)
            sandboxes.discard(pid)
        uid, level = UIDS.pop(pid, (None, None))
        if level == "uid":  # every process of its user, wherever it went, and its files in shared folders
            clean_uid(uid)
        if request.get("level") == "process":  # in a PID namespace, everything died with its first process
            _kill_orphans(sandboxes)
        return {"killed": pid}
    if op == "status":  # how a sandbox ended (None while it runs)
        _reap(sandboxes)
        return {"ended": ENDED.get(int(request["pid"]))}
    if op == "shutdown":
        _kill_all(sandboxes)
        raise SystemExit(0)
    if op == "fork":
        if len(fds) != 1:
            return {"fault": "fork needs exactly one socket"}
        if request.get("level") in ("user", "uid"):  # a user id no live sandbox has
            request["wall"]["uid"] = _free_uid()
        first_of_namespace = request.get("level") == "user" and PID_NAMESPACE.enter_new()
        pid = None
        try:
            pid = os.fork()
        finally:  # even when fork fails: the next sandbox must not land in this one's namespace
            if first_of_namespace and pid != 0:
                PID_NAMESPACE.leave()
        if pid == 0:
            _become_sandbox(fds[0], request, keep=(listener, conn))
        os.close(fds[0])
        sandboxes.add(pid)
        UIDS[pid] = (request["wall"]["uid"], request.get("level"))
        return {"pid": pid, "uid": request["wall"]["uid"]}
    return {"fault": f"unknown op {op!r}"}


def _become_sandbox(fd: int, request: dict, keep) -> None:
    """In the forked child: close everything of the zygote, enter the wall, serve the judge."""
    code = 0
    try:
        for s in keep:
            s.close()
        null = os.open(os.devnull, os.O_RDWR)
        for std in (0, 1, 2):
            os.dup2(null, std)
        os.closerange(3, fd)
        os.closerange(fd + 1, 65536)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        wall = Wall(**request["wall"])
        enter(wall, request["level"])
        from grading.sandbox.host import Host

        sock = socket.socket(fileno=fd)
        Host(wall.copy, request.get("shown_as", "")).serve(sock)
    except BaseException:  # noqa: BLE001
        code = 70
    finally:
        os._exit(code)


class _PidNamespaces:
    """As root, the zygote forks each sandbox straight into a new PID namespace, as its first
    process: one fork per sandbox instead of two (each fork and exit of a process the zygote's
    size costs milliseconds). ``unshare(CLONE_NEWPID)`` puts only the *next* child there;
    ``setns`` to our own namespace afterwards makes later children ours again. Tried once:
    where it does not work, :func:`grading.sandbox.confine.enter` makes the namespace itself."""

    def __init__(self):
        self.own: int | None = None
        self.works: bool | None = None

    def enter_new(self) -> bool:
        if self.works is None:
            self.works = self._try()
        return bool(self.works) and _libc().unshare(CLONE_NEWPID) == 0

    def leave(self) -> None:
        if _libc().setns(self.own, CLONE_NEWPID) != 0:  # never expected: then no sandbox could be forked
            raise SystemExit(70)

    def _try(self) -> bool:
        if not sys.platform.startswith("linux") or os.geteuid() != 0:
            return False
        try:
            self.own = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
            return _libc().unshare(CLONE_NEWPID) == 0 and _libc().setns(self.own, CLONE_NEWPID) == 0
        except (OSError, AttributeError):
            return False


PID_NAMESPACE = _PidNamespaces()
UIDS: dict[int, tuple] = {}  # sandbox pid -> (its user id, its level), until it is killed
UID_RANGE = 3000


def _free_uid() -> int:
    """The next user id of the sandboxes' range that no live sandbox holds and no account of the
    machine has (a sandbox must never be someone)."""
    taken = {uid for uid, _ in UIDS.values()} | _accounts()
    for _ in range(UID_RANGE):
        UID_NEXT[0] = (UID_NEXT[0] + 1) % UID_RANGE
        if SANDBOX_UID + UID_NEXT[0] not in taken:
            return SANDBOX_UID + UID_NEXT[0]
    raise RuntimeError("every sandbox user id is in use")


@functools.cache
def _accounts() -> frozenset[int]:
    """The user ids of the machine's accounts in the sandboxes' range (read once)."""
    try:
        import pwd

        return frozenset(e.pw_uid for e in pwd.getpwall() if SANDBOX_UID <= e.pw_uid < SANDBOX_UID + UID_RANGE)
    except (ImportError, OSError):
        return frozenset()


UID_NEXT = [os.getpid() % UID_RANGE]
ENDED: dict[int, int] = {}  # pid -> how it ended, as a shell says it (128 + signal)


def _reap(sandboxes: set[int]) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid in sandboxes:
            ENDED[pid] = 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            if len(ENDED) > 10_000:
                ENDED.pop(next(iter(ENDED)))
        sandboxes.discard(pid)


def _kill(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        with contextlib.suppress(OSError):
            target()


def _children() -> list[int]:
    """Our children (orphans of sandboxes come to us, the subreaper), from /proc."""
    me, found = os.getpid(), []
    with contextlib.suppress(OSError, ValueError):  # Linux keeps the list: no need to read every process
        with open(f"/proc/{me}/task/{me}/children") as f:
            return [int(pid) for pid in f.read().split()]
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError), open(f"/proc/{entry}/stat", "rb") as f:
                if int(f.read().rsplit(b")", 1)[1].split()[1]) == me:
                    found.append(int(entry))
    return found


def _kill_orphans(sandboxes: set[int]) -> None:
    for _ in range(20):  # a process forking as fast as it can is caught within a few rounds
        orphans = [pid for pid in _children() if pid not in sandboxes]
        if not orphans:
            return
        for pid in orphans:
            _kill(pid)
        _reap(sandboxes)


def _kill_all(sandboxes: set[int]) -> None:
    for pid in list(sandboxes):
        _kill(pid)
    _kill_orphans(set())
    for pid in list(UIDS):
        uid, level = UIDS.pop(pid)
        if level == "uid":
            with contextlib.suppress(OSError):
                clean_uid(uid)


LEVEL: dict[str, str | None] = {}


def main(argv: list[str]) -> None:
    """``main([listening fd, modules as JSON, a wall as JSON])``: preload, find the level, serve."""
    listener = socket.socket(fileno=int(argv[0]))
    preload(json.loads(argv[1]) if len(argv) > 1 else [])
    if len(argv) > 2:  # while the judge still starts up
        wall = Wall(**json.loads(argv[2]))
        COURSE["dir"] = wall.course
        LEVEL["level"] = probe_level(wall)
        prepare(wall, LEVEL["level"])  # what every sandbox's wall is built from, once
    settle()
    sys.stdout.flush()
    serve(listener)
