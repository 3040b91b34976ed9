"""The wall around a student's process, as strong as the machine allows.

:func:`enter` is called in a freshly forked child, before any student code runs. It puts up,
best first:

``user``        (running as root, Linux) new mount, PID, network, IPC and UTS namespaces, and a
                user id of the sandbox's own: the student's processes cannot see, signal or
                write anything of the grader, of the course or of other students.
``namespaces``  (Linux with unprivileged user namespaces) the same namespaces inside a user
                namespace, every capability dropped afterwards.
``process``     (elsewhere: macOS, Windows, restricted Linux) a process of its own, in its own
                session, and the audit hook below only.

At every level: resource limits (memory, file size, open files, CPU time, processes), a clean
environment built from an allow-list, and a PEP 578 audit hook that refuses signals to other
processes, writes outside the private copy and the sandbox's temporary folder, network
connections beyond loopback, and running other programs than Python.

In the namespace levels the file system the student sees is the machine's, with ``/tmp``,
``/var/tmp``, ``/dev/shm``, ``/home``, ``/root``, the course and the grader's private folders
covered by empty ones; only Python, the engine and the graders are shown again, read-only,
and the private copy of the submission, writable. No network but its own loopback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

LEVELS = ("user", "namespaces", "process")
SANDBOX_UID = 61000  # + a small number: a user id no account uses

# What the student's code gets of the environment, besides what a grader sets for a check.
ALLOWED_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT", "COMSPEC", "PATHEXT", "WINDIR")

LIMITS = {  # resource name -> (soft, hard)
    "RLIMIT_DATA": (1 << 30, 1 << 30),  # 1 GiB of memory
    "RLIMIT_FSIZE": (64 << 20, 64 << 20),  # no file over 64 MiB
    "RLIMIT_NOFILE": (256, 256),
    "RLIMIT_CORE": (0, 0),
    "RLIMIT_CPU": (120, 125),  # CPU seconds: an endless loop ends even if nothing else stops it
}
NPROC = 96  # processes, where the sandbox has a user id of its own
# CPU seconds that importing a student's module (or calling its factory) may use: a correct one
# takes milliseconds, so a module that never finishes importing is stopped long before the check's
# own limit, and a class with one looping student is graded in seconds, not minutes.
IMPORT_CPU_SECONDS = 2

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP = 1, 38, 24


@dataclass
class Wall:
    """What one sandbox may reach."""

    copy: str  # the private copy of the submission: one of the two places it may write
    scratch: str  # its temporary folder (HOME and TMPDIR): the other one
    uid: int = SANDBOX_UID  # its own user id, when the grader runs as root
    hide: list[str] = field(default_factory=list)  # more folders it must not see (a class, a gradebook)
    show: list[str] = field(default_factory=list)  # more folders it may read (Hypothesis' tables)
    course: str = ""  # the course: only grading/ and graders/ are shown, read-only
    private: list[str] = field(default_factory=list)  # folders of the course it must never read
    cpu_seconds: float = 0  # the CPU time its check may use (0: the default limit)


class WallError(Exception):
    """This level cannot be had here."""


# -- the whole wall -----------------------------------------------------------------------------


def enter(wall: Wall, level: str) -> None:
    """Put the calling (freshly forked) process behind the wall of ``level``.

    Returns in the process that is to run student code. With namespaces that is the first
    process of a new PID namespace: the caller itself when the zygote forked it there already
    (as root), else a new process, whose parent (the caller) waits for it and exits with its
    status, so killing either ends the whole namespace.
    """
    if hasattr(os, "setsid"):
        with contextlib.suppress(OSError):
            os.setsid()
    if level in ("user", "namespaces"):
        _namespaces(wall, as_root=level == "user")
    _limits(own_user=level == "user", cpu_seconds=wall.cpu_seconds)
    if hasattr(signal, "SIGXCPU"):  # the spent CPU-time limit ends the process, even as PID 1 of its namespace
        signal.signal(signal.SIGXCPU, lambda *_: os._exit(128 + signal.SIGXCPU))
    _environment(wall)
    install_audit_hook(wall)


def _namespaces(wall: Wall, as_root: bool) -> None:
    libc = _libc()
    first = os.getpid() == 1  # the zygote forked us into a new PID namespace already
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | (0 if first else CLONE_NEWPID)
    uid, gid = os.geteuid(), os.getegid()
    if not as_root:
        flags |= CLONE_NEWUSER
    if libc.unshare(flags) != 0:
        raise WallError(f"unshare: {os.strerror(_errno())}")
    if not as_root:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"1000 {uid} 1")
        _write("/proc/self/gid_map", f"1000 {gid} 1")
    if not first:
        pid = os.fork()
        if pid:  # the waiting parent: it exits as its child does, and its death ends the child
            _wait_and_exit(pid)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    _mounts(libc, wall, as_root)
    _loopback_up()
    if as_root:
        os.setgroups([])
        os.setgid(wall.uid)
        os.setuid(wall.uid)  # from root to an id no one uses: every capability goes with it
    else:
        _drop_capabilities(libc)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _wait_and_exit(pid: int) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(70)
        if os.WIFSIGNALED(status):  # as a shell says it: 128 + the signal
            os._exit(128 + os.WTERMSIG(status))
        os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 70)


# -- file system ----------------------------------------------------------------------------------


def _mounts(libc, wall: Wall, as_root: bool) -> None:
    """Cover what the student must not see; show again, read-only, what Python needs."""
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)  # nothing we do here leaks out
    course = wall.course.rstrip("/")
    shown_ro = [os.path.realpath(p) for p in [*_python_folders(wall), *wall.show] if p and os.path.isdir(p)]
    shown_rw = [os.path.realpath(wall.copy), os.path.realpath(wall.scratch)]
    hidden = ["/tmp", "/var/tmp", "/dev/shm", "/home", "/root", "/run/user", course, *wall.hide]
    hidden = _outermost([os.path.realpath(p) for p in hidden if p and os.path.isdir(p)])
    # Keep a handle on every folder to show again before covering anything.
    handles = {p: os.open(p, os.O_PATH | os.O_DIRECTORY) for p in shown_ro + shown_rw}
    for path in hidden:
        mode = "1777" if path in ("/tmp", "/var/tmp", "/dev/shm") else "755"
        _mount(libc, "tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, f"size=64m,mode={mode}")
    for path in sorted(shown_ro + shown_rw, key=len):
        if not any(_inside(path, h) for h in hidden) and path not in shown_rw:
            _remount_ro(libc, path, bind_first=True)
            continue
        os.makedirs(path, exist_ok=True)
        _mount(libc, f"/proc/self/fd/{handles[path]}", path, None, MS_BIND | MS_REC)
        if path not in shown_rw:
            _remount_ro(libc, path)
    for path in wall.private:  # inside a folder shown again, e.g. graders/data
        if os.path.isdir(path):
            _mount(libc, "tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "size=4k,mode=755")
    for fd in handles.values():
        os.close(fd)
    if as_root:
        _chown_tree(wall.copy, wall.uid)
        _chown_tree(wall.scratch, wall.uid)
    with contextlib.suppress(WallError):  # a /proc of its own PID namespace, where allowed
        _mount(libc, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


def _outermost(paths: list[str]) -> list[str]:
    out: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(_inside(path, o) for o in out):
            out.append(path)
    return out


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _remount_ro(libc, path: str, bind_first: bool = False) -> None:
    if bind_first:
        _mount(libc, path, path, None, MS_BIND | MS_REC)
    kept = 0
    with contextlib.suppress(OSError):  # flags the kernel will not let a namespace drop
        f = os.statvfs(path).f_flag
        kept = (f & (MS_NOSUID | MS_NODEV | MS_NOEXEC)) | (f & 1024) | (f & 2048) | ((1 << 21) if f & 4096 else 0)
    _mount(libc, None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | kept)


def _chown_tree(top: str, uid: int) -> None:
    for folder, dirs, files in os.walk(top):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            with contextlib.suppress(OSError):
                os.lchown(name, uid, uid)


def _mount(libc, source, target, fstype, flags, data=None) -> None:
    enc = (lambda s: s.encode() if isinstance(s, str) else s)
    if libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)) != 0:
        raise WallError(f"mount {target}: {os.strerror(_errno())}")


# -- network, capabilities, limits, environment -------------------------------------------------


def _loopback_up() -> None:
    """A new network namespace has only ``lo``, and it is down: bring it up."""
    import fcntl

    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifreq = struct.pack("16sH14s", b"lo", 0, b"\0" * 14)
        flags = struct.unpack("16sH14s", fcntl.ioctl(s, 0x8913, ifreq))[1]  # SIOCGIFFLAGS
        fcntl.ioctl(s, 0x8914, struct.pack("16sH14s", b"lo", flags | 1, b"\0" * 14))  # SIOCSIFFLAGS, IFF_UP


def _drop_capabilities(libc) -> None:
    import ctypes

    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable: nothing, twice
    if libc.capset(header, data) != 0:
        raise WallError(f"capset: {os.strerror(_errno())}")


def _limits(own_user: bool, cpu_seconds: float = 0) -> None:
    try:
        import resource
    except ImportError:  # Windows
        return
    wanted = dict(LIMITS)
    if cpu_seconds:  # SIGXCPU ends the process at the soft limit
        wanted["RLIMIT_CPU"] = (int(cpu_seconds) + 1, int(cpu_seconds) + 3)
    if own_user:
        wanted["RLIMIT_NPROC"] = (NPROC, NPROC)
    for name, (soft, hard) in wanted.items():
        which = getattr(resource, name, None)
        if which is None:
            continue
        with contextlib.suppress(ValueError, OSError):
            old_soft, old_hard = resource.getrlimit(which)
            if old_hard != resource.RLIM_INFINITY:
                hard = min(hard, old_hard)
                soft = min(soft, hard)
            resource.setrlimit(which, (soft, hard))


def clean_environment(home: str, extra: dict | None = None) -> dict[str, str]:
    """The sandbox's whole environment: an allow-list, never the grader's own variables."""
    env = {k: v for k, v in os.environ.items() if k in ALLOWED_ENV}
    env.update(
        PATH=os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]),
        HOME=home,
        TMPDIR=home,
        PYTHONDONTWRITEBYTECODE="1",
        PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
        PYTHONHASHSEED="0",
    )
    env.update(extra or {})
    return env


@contextlib.contextmanager
def cpu_budget(seconds: float):
    """Within the block, this process may use at most ``seconds`` more CPU time (SIGXCPU ends it,
    see :func:`enter`); the check's own limit comes back afterwards."""
    try:
        import resource
    except ImportError:  # Windows: the check's clock still stops it
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    times = os.times()
    cap = int(times.user + times.system + seconds) + 1  # whole seconds: the backstop of the timer below
    lowered = soft == resource.RLIM_INFINITY or cap < soft
    if lowered:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CPU, (cap, hard))
    timer = _cpu_timer(seconds)
    try:
        yield
    finally:
        timer()
        if lowered:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _cpu_timer(seconds: float):
    """End this process, as a spent CPU-time limit does, after exactly ``seconds`` more CPU time;
    returns the function that cancels it."""
    if not hasattr(signal, "setitimer"):
        return lambda: None
    try:
        previous = signal.signal(signal.SIGPROF, lambda *_: os._exit(128 + signal.SIGXCPU))
    except ValueError:  # not the main thread
        return lambda: None
    signal.setitimer(signal.ITIMER_PROF, seconds)

    def cancel() -> None:
        signal.setitimer(signal.ITIMER_PROF, 0)
        with contextlib.suppress(ValueError, TypeError):
            signal.signal(signal.SIGPROF, previous)

    return cancel


def _environment(wall: Wall) -> None:
    import tempfile

    os.environ.clear()
    os.environ.update(clean_environment(wall.scratch))
    tempfile.tempdir = wall.scratch


# -- the audit hook -------------------------------------------------------------------------------

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_PATH_EVENTS = {
    "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.symlink", "os.link",
    "os.truncate", "os.utime", "shutil.rmtree", "shutil.move", "os.chflags", "os.lchflags",
}
_RUN_EVENTS = {"os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile", "subprocess.Popen"}


class Refused(PermissionError):
    """The sandbox does not allow this."""


def install_audit_hook(wall: Wall) -> None:
    """Refuse, from now on, what student code has no business doing (PEP 578: it cannot be removed)."""
    writable = [os.path.realpath(wall.copy), os.path.realpath(wall.scratch)]
    private = [os.path.realpath(p) for p in wall.private if p]
    readable = writable + [os.path.realpath(p) for p in [*wall.show, *_python_folders(wall)] if p]
    hidden = [os.path.realpath(p) for p in [*wall.hide, wall.course, _home()] if p]
    ancestors = {str(parent) for r in readable for parent in Path(r).parents}  # listing them tells nothing
    me = os.getpid()
    python = {os.path.realpath(sys.executable), sys.executable}

    def may_write(path) -> bool:
        if isinstance(path, int) or path is None:
            return True
        full = os.path.realpath(os.fsdecode(path))
        return any(_inside(full, w) for w in writable) or full in ("/dev/null",)

    def may_read(path) -> bool:
        if isinstance(path, int) or path is None:
            return True
        full = os.path.realpath(os.fsdecode(path))
        if any(_inside(full, p) for p in private):
            return False
        if full in ancestors or any(_inside(full, r) for r in readable):
            return True
        return not any(_inside(full, h) for h in hidden)

    def ours(pid: int) -> bool:
        if pid in (0, me, os.getpid()):
            return True
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            return int(fields[1]) == os.getpid() or int(fields[2]) == os.getpgid(0)
        except (OSError, ValueError, IndexError):
            with contextlib.suppress(OSError):
                return os.getpgid(pid) == os.getpgid(0)
            return False

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = (list(args) + [None, None, 0])[:3]
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool((flags or 0) & _WRITE_FLAGS)
            if writing and not may_write(path):
                raise Refused(f"the sandbox does not let your code write {path}")
            if not may_read(path):
                raise Refused(f"the sandbox does not let your code read {path}")
        elif event in ("os.listdir", "os.scandir") and args and not may_read(args[0]):
            raise Refused(f"the sandbox does not let your code read {args[0]}")
        elif event in _PATH_EVENTS:
            for path in args[:2]:
                if isinstance(path, (str, bytes, os.PathLike)) and not may_write(path):
                    raise Refused(f"the sandbox does not let your code change {os.fsdecode(path)}")
        elif event in ("os.kill", "os.killpg"):
            if not ours(abs(int(args[0]))):
                raise Refused("the sandbox does not let your code signal other processes")
        elif event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
            address = args[1] if len(args) > 1 else None
            if not _loopback(address):
                raise Refused(f"the sandbox has no network beyond 127.0.0.1 (tried {address!r})")
        elif event in _RUN_EVENTS:
            program = args[0] if args else None
            if isinstance(program, (list, tuple)):
                program = program[0] if program else None
            if program is None or os.path.realpath(os.fsdecode(program)) not in python and os.fsdecode(program) not in python:
                raise Refused(f"the sandbox does not let your code run {program!r}: only Python")
        elif event.startswith("ctypes.dl") or event == "ctypes.cdata":
            raise Refused("the sandbox does not let your code load native code through ctypes")

    sys.addaudithook(hook)


def _home() -> str:
    """The grader's user's home (not the sandbox's HOME): keys and tokens live there."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError):
        return ""


def _python_folders(wall: Wall) -> list[str]:
    """What Python needs to read: its own installation, the venv, the engine and the graders."""
    course = [os.path.join(wall.course, "grading"), os.path.join(wall.course, "graders")] if wall.course else []
    return [sys.base_prefix, sys.prefix, *course]


def _loopback(address) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        return host in ("localhost", "::1", "") or host.startswith("127.") or host == "0.0.0.0"
    if isinstance(address, (str, bytes)):  # AF_UNIX: only inside the sandbox's own temp folder
        path = os.fsdecode(address)
        return bool(path) and not path.startswith("\0") and _inside(
            os.path.realpath(path), os.path.realpath(os.environ.get("TMPDIR", "/tmp"))
        )
    return address is None


# -- which level this machine allows ---------------------------------------------------------------


def probe_level(wall: Wall) -> str:
    """The best level a throwaway child can actually enter here (forks once per level tried)."""
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return "process"
    import shutil
    import tempfile

    trial = tempfile.mkdtemp(prefix="sandbox-probe-")
    wall = Wall(**{**wall.__dict__, "copy": os.path.join(trial, "copy"), "scratch": os.path.join(trial, "tmp")})
    os.mkdir(wall.copy)
    os.mkdir(wall.scratch)
    try:
        return _first_level_that_works(wall)
    finally:
        shutil.rmtree(trial, ignore_errors=True)


def _first_level_that_works(wall: Wall) -> str:
    for level in ("user", "namespaces") if os.geteuid() == 0 else ("namespaces",):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                with open(os.devnull, "w") as null:
                    os.dup2(null.fileno(), 2)
                _namespaces(wall, as_root=level == "user")
                import flask  # noqa: F401 - Python and its packages are still readable

                with open(os.path.join(wall.copy, ".sandbox-probe"), "w") as f:  # the copy writable
                    f.write("ok")
                os.remove(os.path.join(wall.copy, ".sandbox-probe"))
                code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            return level
    return "process"


# -- small things ---------------------------------------------------------------------------------

_LIBC = None


def _libc():
    global _LIBC
    if _LIBC is None:
        import ctypes
        import ctypes.util

        _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return _LIBC


def _errno() -> int:
    import ctypes

    return ctypes.get_errno()


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w") as f:
            f.write(text)
    except OSError as exc:
        raise WallError(f"{path}: {exc}") from None
