"""Judge side: a fresh sandbox for every check, and every process of it gone afterwards.

::

    zygote = Zygote(course_dir, modules=["flask_sqlalchemy"])     # once per grading run
    sandbox = zygote.sandbox(copy="/tmp/.../01-hello")             # once per check
    sandbox.ask("app", spec="app:app")                             # plain data back
    sandbox.close()                                                # it and all it started end

The zygote (:mod:`grading.sandbox.zygote`) is a new interpreter with a clean environment that
forks sandboxes; it listens on a Unix socket in a folder only this user can reach, which the
sandboxes cannot see. Where there is no ``fork`` (Windows) or the zygote cannot start, each
sandbox is a new interpreter instead (:class:`SpawnedSandbox`, slower, same answers).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grading import wire
from grading.judge.walk import remove_tree
from grading.sandbox.confine import SANDBOX_UID, Wall, clean_environment, probe_level

BOOT = str(Path(__file__).resolve().parents[1] / "_boot.py")
START_TIMEOUT = 30.0
LEVEL_NAMES = {
    "user": "its own user and Linux namespaces",
    "namespaces": "Linux user namespaces",
    "uid": "its own user id, and Landlock where the kernel has it (root without namespaces, e.g. in Docker)",
    "process": "a separate process only",
}


class SandboxGone(Exception):
    """The sandbox ended (its code called os._exit, crashed, or was killed) or stopped answering."""


def python_command(target: str, *args: str) -> list[str]:
    """A command running ``module:function`` in a new, isolated interpreter (see ``_boot.py``)."""
    return [sys.executable, "-I", BOOT, target, *args]


class Zygote:
    """The forking server of one grading run; ``None``-safe to share with forked judges."""

    def __init__(self, course_dir: Path, modules: list[str], hide: list[str] | None = None):
        self.course_dir = Path(course_dir).resolve()
        self.hide = [str(Path(h).resolve()) for h in (hide or [])]
        self.owner = os.getpid()
        self.folder = tempfile.mkdtemp(prefix="grading-judge-")  # 0700: ours only
        self.path = os.path.join(self.folder, "zygote.sock")
        self.level: str | None = None
        self.counter = 0
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.path)
        listener.listen(64)
        try:
            self.process = subprocess.Popen(
                python_command("grading.sandbox.zygote:main", str(listener.fileno()), json.dumps(modules),
                               json.dumps(dataclasses.asdict(self.wall("", "")))),
                pass_fds=[listener.fileno()],
                env=clean_environment(self.folder),
                cwd=self.folder,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            listener.close()

    @classmethod
    def possible(cls) -> bool:
        return hasattr(os, "fork") and hasattr(socket, "send_fds") and not os.environ.get("GRADING_NO_FORK")

    def _request(self, message: dict, fds: list[int] = ()) -> dict:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                    conn.connect(self.path)
                    socket.send_fds(conn, [json.dumps(message).encode()], list(fds))
                    conn.shutdown(socket.SHUT_WR)
                    data = b"".join(iter(lambda: conn.recv(65536), b""))
                return json.loads(data)
            except (FileNotFoundError, ConnectionRefusedError, ValueError) as exc:
                if time.monotonic() > deadline or self.process.poll() is not None and os.getpid() == self.owner:
                    raise SandboxGone(f"the sandbox server is not answering ({exc})") from None
                time.sleep(0.02)

    def wall(self, copy: str, scratch: str, private: list[str] = (), cpu_seconds: float = 0) -> Wall:
        self.counter += 1
        return Wall(
            cpu_seconds=cpu_seconds,
            copy=copy, scratch=scratch, uid=SANDBOX_UID + (os.getpid() * 7 + self.counter) % 3000,
            hide=[*self.hide, self.folder, tempfile.gettempdir()], course=str(self.course_dir), private=list(private),
            show=[p for p in [hypothesis_home()] if os.path.isdir(p)],
        )

    def isolation(self, wall: Wall) -> str:
        """The best level this machine allows (``GRADING_ISOLATION`` may ask for a weaker one)."""
        if self.level is None:
            best = self._request({"op": "level", "wall": dataclasses.asdict(wall)}).get("level", "process")
            wanted = os.environ.get("GRADING_ISOLATION", best)
            order = list(LEVEL_NAMES)
            self.level = wanted if wanted in order and order.index(wanted) >= order.index(best) else best
        return self.level

    def sandbox(self, copy: str, shown_as: str = "", private: list[str] = (), cpu_seconds: float = 0) -> Sandbox:
        scratch = tempfile.mkdtemp(prefix="sandbox-tmp-")
        wall = self.wall(copy, scratch, private, cpu_seconds)
        level = self.isolation(wall)
        ours, theirs = socket.socketpair()
        try:
            reply = self._request({"op": "fork", "wall": dataclasses.asdict(wall), "level": level,
                                   "shown_as": shown_as}, [theirs.fileno()])
        finally:
            theirs.close()
        if "pid" not in reply:
            ours.close()
            raise SandboxGone(f"no sandbox could be started: {reply.get('fault')}")
        sandbox = Sandbox(ours, lambda: self._request({"op": "kill", "pid": reply["pid"], "level": level}), scratch, level)
        sandbox.ended = lambda: self._request({"op": "status", "pid": reply["pid"]}).get("ended")
        WATCHDOG.watch(sandbox, reply["pid"], cpu_seconds, reply.get("uid") if level == "uid" else None)
        return sandbox

    def close(self) -> None:
        """End every sandbox (and all they started), then the zygote."""
        if os.getpid() != self.owner:
            return
        if self.process.poll() is None:
            with contextlib.suppress(Exception):
                self._request({"op": "shutdown"})
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.process.wait(5)
        shutil.rmtree(self.folder, ignore_errors=True)


class Sandbox:
    """One sandbox: ask it questions, then close it (which kills it and all it started)."""

    def __init__(self, sock: socket.socket, kill, scratch: str, level: str):
        self.sock = sock
        self._kill = kill
        self.scratch = scratch
        self.level = level
        self.broken: str | None = None
        self.ended = lambda: None  # how it ended, once it has: its exit status, 128 + a signal

    def ask(self, op: str, **params) -> dict:
        """Send one request; the raw reply (``ok``, ``error``, ``raised`` or ``fault``)."""
        if self.broken:
            raise SandboxGone(self.broken)
        try:
            wire.send(self.sock, {"op": op, "params": params})
            return wire.receive(self.sock)
        except (wire.WireError, OSError) as exc:
            self.broken = f"the sandbox stopped answering ({exc})"
            raise SandboxGone(self.broken) from None
        except BaseException:  # a timeout in the middle of an answer: nothing more can be read
            self.broken = "the sandbox was still busy with an earlier request"
            raise

    def close(self) -> None:
        WATCHDOG.forget(self)
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(Exception):
            self._kill()
        _remove(self.scratch)


class SpawnedSandbox(Sandbox):
    """A sandbox that is a new interpreter (no ``fork`` here): it connects back over loopback."""

    def __init__(self, copy: str, course_dir: Path, shown_as: str = "", private: list[str] = (), cpu_seconds: float = 0):
        scratch = tempfile.mkdtemp(prefix="sandbox-tmp-")
        wall = Wall(copy=copy, scratch=scratch, course=str(course_dir), hide=[tempfile.gettempdir()],
                    cpu_seconds=cpu_seconds,
                    private=list(private), show=[p for p in [hypothesis_home()] if os.path.isdir(p)])
        token = secrets.token_hex(16)
        with socket.create_server(("127.0.0.1", 0)) as server:
            server.settimeout(START_TIMEOUT)
            process = subprocess.Popen(
                python_command("grading.sandbox.host:spawned", str(server.getsockname()[1]), token,
                               json.dumps(dataclasses.asdict(wall)), shown_as),
                env=clean_environment(scratch), cwd=scratch, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=hasattr(os, "setsid"),
            )
            while True:
                try:
                    sock, _ = server.accept()
                except OSError:
                    process.kill()
                    raise SandboxGone("the sandbox did not start in time") from None
                sock.settimeout(START_TIMEOUT)
                with contextlib.suppress(OSError, wire.WireError):
                    if wire.receive(sock) == token:
                        sock.settimeout(None)
                        break
                sock.close()

        def kill():
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL) if hasattr(os, "killpg") else process.kill()
            process.wait(5)

        super().__init__(sock, kill, scratch, "process")
        self.ended = lambda: None if process.poll() is None else (
            128 - process.returncode if process.returncode < 0 else process.returncode)


class Watchdog:
    """Resources per sandbox, not per process, and a clock that a busy machine does not run down.

    A thread of the judge looks at every live sandbox of this process four times a second, through
    ``/proc``: the CPU time and memory of all its processes together (its processes: the tree below
    its first one, and at the ``uid`` level, where orphans leave that tree, every process of its
    user id). Past its check's CPU budget, the first process gets SIGXCPU, as a spent limit sends (the
    check fails with the CPU-time message), and every other one SIGKILL, which cannot be ignored;
    past the memory budget, all of them SIGKILL. It also measures how long its
    processes waited for a CPU they were ready to use (``/proc/PID/schedstat``). That waiting is the
    machine's load, not the student's code: it is added to the check's wall-clock deadline (the
    timer pytest-timeout set), so another student's load never costs a check its points. Code that
    sleeps or blocks waits for no CPU, and still meets the clock.
    """

    PERIOD = 0.25
    MOST_ADDED = 120.0  # seconds one check's deadline may move, in all
    WARN = 1.5  # seconds before the clock runs out that a sandbox is asked where its code is (SIGALRM)

    def __init__(self):
        self.live: dict[Sandbox, tuple[int, float, int | None]] = {}
        self.over: dict[Sandbox, float] = {}  # when a sandbox went past its budget
        self.warned: set[Sandbox] = set()
        self.waited: dict[Sandbox, float] = {}
        self.added = 0.0
        self.thread = None
        self.lock = __import__("threading").Lock()

    def watch(self, sandbox: Sandbox, pid: int, cpu_seconds: float, uid: int | None = None) -> None:
        if not sys.platform.startswith("linux"):
            return
        with self.lock:
            if not self.live:
                self.added = 0.0
            self.live[sandbox] = (pid, cpu_seconds, uid)
            self.waited[sandbox] = 0.0
            if self.thread is None or not self.thread.is_alive():
                import threading

                self.thread = threading.Thread(target=self._run, name="sandbox-watchdog", daemon=True)
                self.thread.start()

    def forget(self, sandbox: Sandbox) -> None:
        with self.lock:
            self.live.pop(sandbox, None)
            self.waited.pop(sandbox, None)
            self.over.pop(sandbox, None)
            self.warned.discard(sandbox)

    def _run(self) -> None:
        while True:
            time.sleep(self.PERIOD)
            with self.lock:
                watched = list(self.live.items())
            starved = 0.0
            by_uid = _processes_by_uid() if any(uid for _, _, uid in (w for _, w in watched)) else {}
            for sandbox, (pid, budget, uid) in watched:
                tree = list(dict.fromkeys(_process_tree(pid) + by_uid.get(uid, [])))
                cpu, waited, memory = _usage(tree)
                if budget and cpu > budget + 0.5:
                    self._stop(sandbox, pid, tree)
                if memory > SANDBOX_MEMORY:  # every process under its own limit, together over the sandbox's
                    _signal_all(tree, signal.SIGKILL)
                with self.lock:
                    if sandbox in self.waited:
                        starved = max(starved, waited - self.waited[sandbox])
                        self.waited[sandbox] = max(waited, self.waited[sandbox])
            if starved > 0.05 and self.added < self.MOST_ADDED:
                self._push_deadline(min(starved, self.MOST_ADDED - self.added))
            left = signal.getitimer(signal.ITIMER_REAL)[0]
            if 0 < left < self.WARN:  # the check's clock is nearly out: its sandboxes say where they are
                for sandbox, (pid, _, _) in watched:
                    if sandbox not in self.warned:
                        self.warned.add(sandbox)
                        _signal_all([pid], signal.SIGALRM)

    def _stop(self, sandbox: Sandbox, pid: int, tree: list[int]) -> None:
        """Past its CPU budget: the first process told as a spent limit tells it, the rest killed; the
        first one killed too if it is still there a second later (student code can ignore SIGXCPU)."""
        first = self.over.setdefault(sandbox, time.monotonic())
        _signal_all([pid], signal.SIGXCPU if time.monotonic() - first < 1.0 else signal.SIGKILL)
        _signal_all([p for p in tree if p != pid], signal.SIGKILL)

    def _push_deadline(self, seconds: float) -> None:
        with self.lock:  # never re-armed after the check cancelled it (see cancel_deadline)
            left, interval = signal.getitimer(signal.ITIMER_REAL)
            if left > 0:  # a check's wall-clock timer is running: it did not get these seconds
                signal.setitimer(signal.ITIMER_REAL, left + seconds, interval)
                self.added += seconds

    def cancel_deadline(self) -> None:
        """The check is over: its wall-clock timer stops, and the thread cannot move it any more."""
        with self.lock:
            signal.setitimer(signal.ITIMER_REAL, 0)


WATCHDOG = Watchdog()
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
SANDBOX_MEMORY = 1536 << 20  # resident bytes of all a sandbox's processes together (each has 1 GiB of data)


def _process_tree(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux keeps each task's children)."""
    found, todo = [], [pid]
    while todo and len(found) < 4096:
        one = todo.pop()
        found.append(one)
        with contextlib.suppress(OSError, ValueError):
            for task in os.listdir(f"/proc/{one}/task"):
                with open(f"/proc/{one}/task/{task}/children") as f:
                    todo.extend(int(child) for child in f.read().split())
    return found


def _processes_by_uid() -> dict[int, list[int]]:
    """Every process of the machine by its real user id (the ``uid`` level gives each sandbox its own)."""
    found: dict[int, list[int]] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    with open(f"/proc/{entry.name}/status", "rb") as f:
                        line = next(x for x in f if x.startswith(b"Uid:"))
                    found.setdefault(int(line.split()[1]), []).append(int(entry.name))
    return found


def _usage(pids: list[int]) -> tuple[float, float, int]:
    """CPU seconds used (children that ended included), seconds spent waiting for a CPU, and bytes of
    memory resident, summed over ``pids``."""
    cpu = waited = 0.0
    memory = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            with open(f"/proc/{pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            cpu += sum(int(x) for x in fields[11:15]) / _TICKS  # utime, stime, cutime, cstime
            memory += int(fields[21]) * _PAGE  # rss, in pages
            with open(f"/proc/{pid}/schedstat") as f:
                waited += int(f.read().split()[1]) / 1e9
    return cpu, waited, memory


def _signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, sig)


def hypothesis_home() -> str:
    return str(Path(tempfile.gettempdir()) / "flask-exercises-hypothesis")


def _remove(folder: str) -> None:
    remove_tree(folder)  # however deep a tree the student's code left there


# -- the zygote of this process --------------------------------------------------------------------

_current: Zygote | None = None


def start(course_dir: Path, modules: list[str], hide: list[str] = ()) -> Zygote | None:
    """Start this run's zygote (``None`` where sandboxes are spawned instead); checks find it
    with :func:`current`, also in processes forked afterwards."""
    global _current
    _current = Zygote(course_dir, modules, list(hide)) if Zygote.possible() else None
    return _current


def current(course_dir: Path) -> Zygote | None:
    """The zygote sandboxes come from (started here if no run started one)."""
    if _current is None and Zygote.possible():
        from grading.judge.course import load_course, requirement_modules

        start(course_dir, requirement_modules(load_course(course_dir)))
    return _current


def stop() -> None:
    global _current
    if _current is not None:
        _current.close()
        if os.getpid() == _current.owner:
            _current = None


# -- which level, and whether it is a wall ---------------------------------------------------------

UNTRUSTED = (
    "UNTRUSTED: graded at the `process` level, where a determined student's code can escape and forge "
    "its grade. Grade on Linux with user namespaces, as root, or in a container for grades that hold."
)
REFUSAL = (
    "error: this machine only offers the `process` level: student code would run in a process of its "
    "own with Python's audit hook, which is not a wall (a determined student can forge a grade or reach "
    "classmates' work). What works: Linux with user namespaces (most distributions), or as root "
    "(sudo; a Docker container, where the `uid` level uses Landlock). To grade anyway, with every "
    "grade marked untrusted: --allow-process-level."
)


def level_here(course_dir: Path) -> str:
    """The isolation level sandboxes get on this machine (probed once by forking; ``GRADING_ISOLATION``
    may ask for a weaker one), without starting a zygote."""
    best = "process"
    if Zygote.possible():
        best = probe_level(Wall(copy="", scratch="", course=str(Path(course_dir).resolve())))
    wanted, order = os.environ.get("GRADING_ISOLATION", best), list(LEVEL_NAMES)
    return wanted if wanted in order and order.index(wanted) >= order.index(best) else best


def require_wall(course_dir: Path, allowed: bool) -> str | None:
    """For grades that must hold (batch, Gradescope): the level, or ``None`` after saying why grading
    is refused at the ``process`` level (unless ``allowed``: then the level, and grades are untrusted)."""
    level = level_here(course_dir)
    if level == "process" and not allowed:
        print(REFUSAL, file=sys.stderr)
        return None
    return level
