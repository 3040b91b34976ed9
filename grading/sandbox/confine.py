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

LEVELS = ("user", "namespaces", "uid", "process")
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
NPROC = 32  # processes, where the sandbox has a user id of its own (each sandbox has its own)
# CPU seconds that importing a student's module (or calling its factory) may use: a correct one
# takes milliseconds, so a module that never finishes importing is stopped long before the check's
# own limit, and a class with one looping student is graded in seconds, not minutes.
IMPORT_CPU_SECONDS = 2
# CPU seconds one request may use, for the same reason: a correct view answers in milliseconds, so
# a view that loops is reported (with its line) after 2 s, not after the check's whole limit.
REQUEST_CPU_SECONDS = 2

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
    _grader_home()
    if level in ("user", "namespaces"):
        _namespaces(wall, as_root=level == "user")
    elif level == "uid":
        _own_uid(wall)
    elif level != "process":
        raise WallError(f"unknown isolation level {level!r}")
    _limits(own_user=level in ("user", "uid"), cpu_seconds=wall.cpu_seconds)
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


# What the student's process may see of the machine, read-only: nothing else is in its root.
SYSTEM_FOLDERS = ("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin")
ETC_FILES = (  # what the C library, Python and Flask read from /etc
    "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "hosts", "host.conf",
    "nsswitch.conf", "gai.conf", "passwd", "group", "mime.types", "protocols", "services",
)
DEVICES = ("null", "zero", "full", "random", "urandom")
NEW_ROOT = "/tmp"  # where the new root is assembled (a fresh tmpfs, in this mount namespace only)
MNT_DETACH = 2
PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "s390x": 217}  # syscall numbers


def _mounts(libc, wall: Wall, as_root: bool) -> None:
    """A new root built from an allow-list, then ``pivot_root`` into it.

    It holds, read-only, the system folders shared libraries live in, a few files of ``/etc``,
    Python's installation and the grading environment, the engine and the graders (never their
    private data) and whatever ``wall.show`` names; writable, only the private copy and the
    sandbox's temporary folder; its own ``/proc``, a minimal ``/dev`` and an empty ``/dev/shm``.
    Nothing in it is shared and writable between sandboxes: the rest of the machine is not there.
    Where the zygote built that read-only part once (see :func:`prepare`), each piece of it is
    bound whole, read-only as it is, instead of file by file.
    """
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)  # nothing we do here leaks out
    writable = [os.path.realpath(wall.copy), os.path.realpath(wall.scratch)]
    if as_root:
        for top in writable:
            _chown_tree(top, wall.uid)
    shown = _shown(wall)
    template = _TEMPLATES.get(shown.key) if as_root else None
    if template and any(_inside(p, w) or _inside(w, p) for p in shown.pieces for w in writable):
        template = None  # a writable folder inside one shown (or around it): bound in order, below
    # A handle on everything to show before the new root covers NEW_ROOT.
    handles = {p: os.open(p, os.O_PATH) for p in writable}
    root = NEW_ROOT
    if template:
        pieces = {p: os.open(template + p, os.O_PATH) for p in shown.pieces}
        _mount(libc, "tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=755")
        for path, fd in sorted(pieces.items(), key=lambda item: len(item[0])):
            os.makedirs(root + path, exist_ok=True)
            _mount(libc, f"/proc/self/fd/{fd}", root + path, None, MS_BIND | MS_REC)  # read-only stays so
            os.close(fd)
        for path, where in shown.links.items():
            if os.path.dirname(path) == "/":
                os.symlink(where, root + path)
        os.mkdir(root + "/proc")
        for path in writable:
            os.makedirs(root + path, exist_ok=True)
            _mount(libc, f"/proc/self/fd/{handles[path]}", root + path, None, MS_BIND)
    else:
        _readonly_root(libc, root, shown, writable=handles)
    _mount(libc, "tmpfs", root + "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777")
    for path in wall.private:  # inside a folder shown, e.g. graders/data/15-testing/private
        if os.path.isdir(root + os.path.realpath(path)):
            _mount(libc, "tmpfs", root + os.path.realpath(path), "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY,
                   "size=4k,mode=755")
    for fd in handles.values():
        os.close(fd)
    with contextlib.suppress(WallError):  # a /proc of its own PID namespace, where allowed
        _mount(libc, "proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.chdir(root)
    if libc.syscall(PIVOT_ROOT.get(os.uname().machine, 155), b".", b".") != 0:  # pivot_root(".", "."): the old root is stacked under the new
        raise WallError(f"pivot_root: {os.strerror(_errno())}")
    if libc.umount2(b".", MNT_DETACH) != 0:  # and now it is gone
        raise WallError(f"umount the old root: {os.strerror(_errno())}")
    os.chdir("/")
    _mount(libc, None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)  # the root itself: read-only


def _readonly_root(libc, root: str, shown: _Shown, writable: dict[str, int] | None = None) -> None:
    """A fresh tmpfs at ``root`` holding, read-only, the allow-list, the links to it, a minimal
    ``/dev``, the folders ``/proc`` and ``/dev/shm`` are mounted on, and ``writable`` (path: handle)
    bound writable."""
    writable = writable or {}
    handles = {p: os.open(p, os.O_PATH) for p in [*shown.folders, *shown.files] if p not in writable}
    handles.update(writable)  # all opened before root covers any of them
    try:
        _mount(libc, "tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=755")
        for path in sorted({*shown.folders, *writable}, key=len):
            target = root + path
            os.makedirs(target, exist_ok=True)
            _mount(libc, f"/proc/self/fd/{handles[path]}", target, None, MS_BIND)
            if path not in writable:
                _remount_ro(libc, target)
        for path in shown.files:
            target = root + path
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.isdir(path):
                os.makedirs(target, exist_ok=True)
            elif not os.path.islink(path) or path not in shown.links:
                open(target, "a").close()
            else:
                continue
            _mount(libc, f"/proc/self/fd/{handles[path]}", target, None, MS_BIND)
            if path.startswith("/etc/"):
                _remount_ro(libc, target)
    finally:
        for path, fd in handles.items():
            if path not in writable:
                os.close(fd)
    for path, where in shown.links.items():
        os.makedirs(os.path.dirname(root + path), exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.symlink(where, root + path)
    for name, where in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                        ("stderr", "/proc/self/fd/2")):
        os.makedirs(root + "/dev", exist_ok=True)
        os.symlink(where, f"{root}/dev/{name}")
    os.makedirs(root + "/dev/shm")
    os.makedirs(root + "/proc")


@dataclass
class _Shown:
    """The allow-list as found on this machine: the same for every sandbox of a zygote."""

    key: tuple
    folders: list[str]  # read-only: the system's libraries, Python, the engine, the graders, wall.show
    files: list[str]  # of /etc and /dev
    links: dict[str, str]  # system folders that are links (/lib -> usr/lib), /etc/localtime
    readable: list[str]  # what the audit hook lets code read, besides the copy and scratch
    ancestors: set[str]  # the folders above those: listing them tells nothing

    @property
    def pieces(self) -> list[str]:
        """What a root built from a template binds whole: every folder shown, /etc and /dev."""
        return [*self.folders, "/etc", "/dev"]


_SHOWN: dict[tuple, _Shown] = {}
_TEMPLATES: dict[tuple, str] = {}  # the allow-list's key -> a read-only root built from it by the zygote
_GRADER: dict[str, str] = {}


def _shown(wall: Wall) -> _Shown:
    """The allow-list of ``wall``: looked up once per zygote (see :func:`prepare`), not per sandbox."""
    key = (wall.course, tuple(wall.show))
    if key not in _SHOWN:
        files = [f"/etc/{name}" for name in ETC_FILES if os.path.exists(f"/etc/{name}")]
        files += [f"/dev/{name}" for name in DEVICES if os.path.exists(f"/dev/{name}")]
        readable = [os.path.realpath(p) for p in [*wall.show, *_python_folders(wall)] if p]
        _SHOWN[key] = _Shown(
            key=key, folders=_allowed_readonly(wall), files=files,
            links={p: os.readlink(p) for p in [*SYSTEM_FOLDERS, "/etc/localtime"] if os.path.islink(p)},
            readable=readable, ancestors={str(parent) for r in readable for parent in Path(r).parents},
        )
    return _SHOWN[key]


def prepare(wall: Wall, level: str) -> None:
    """In the zygote, before any sandbox: look up the allow-list and the grader's home once, and
    at the ``user`` level build the read-only part of every sandbox's root once, in the zygote's own
    mount namespace (each sandbox then binds its pieces whole, and only adds its own folders)."""
    _grader_home()
    shown = _shown(wall)
    if level != "user" or os.geteuid() != 0 or shown.key in _TEMPLATES:
        return
    import tempfile

    libc = _libc()
    where = tempfile.mkdtemp(prefix="sandbox-root-")  # the zygote's TMPDIR: a folder only the judge reaches
    try:
        if libc.unshare(CLONE_NEWNS) != 0:
            raise WallError(f"unshare: {os.strerror(_errno())}")
        _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)  # the judge never sees it
        _readonly_root(libc, where, shown)
        _mount(libc, None, where, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    except (WallError, OSError):  # each sandbox builds its root whole, as without a zygote
        return
    _TEMPLATES[shown.key] = where


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


# -- root without namespaces: a user id of its own, and Landlock -----------------------------------

LANDLOCK_READ = (1 << 0) | (1 << 2) | (1 << 3)  # execute, read files, read folders
LANDLOCK_FILE_RIGHTS = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 14) | (1 << 15)  # what a rule on a file may allow
SYS_LANDLOCK = {"create": 444, "add": 445, "restrict": 446}  # the same on every architecture


def _own_uid(wall: Wall) -> None:
    """Root where namespaces are refused (Docker's default seccomp profile): become a user id that
    owns nothing but the private copy and the temporary folder, with ``no_new_privs``, and (where the
    kernel has Landlock, 5.13+, and no seccomp filter refuses it) restrict the file system to the same allow-list as the namespace
    levels' root, and signals and abstract sockets to the sandbox's own processes."""
    if os.geteuid() != 0:
        raise WallError("the uid level needs root")
    libc = _libc()
    for top in (wall.copy, wall.scratch):
        _chown_tree(top, wall.uid)
    for top in (wall.copy, wall.scratch, *_shown(wall).folders):  # e.g. Python under /root (pyenv)
        _traversable(top)
    with contextlib.suppress(OSError):  # the copy's own folder holds nothing else of anyone's
        os.chmod(os.path.dirname(os.path.realpath(wall.copy)), 0o705)
    os.setgroups([])
    os.setgid(wall.uid)
    os.setuid(wall.uid)
    os.umask(0o077)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    _landlock(libc, wall)


def _traversable(path: str) -> None:
    """Let the sandbox's user pass through (not list) the folders above one it may use (Landlock
    still decides what it may open there)."""
    for parent in Path(os.path.realpath(path)).parents:
        with contextlib.suppress(OSError):
            mode = os.stat(parent).st_mode
            if not mode & 0o001:
                os.chmod(parent, (mode & 0o7777) | 0o001)


def landlock_abi() -> int:
    """The Landlock ABI version this kernel offers (0: none, or refused by a seccomp filter)."""
    try:
        return max(0, int(_libc().syscall(SYS_LANDLOCK["create"], None, 0, 1)))
    except (AttributeError, OSError):
        return 0


def _landlock(libc, wall: Wall) -> None:
    import ctypes

    abi = landlock_abi()
    if abi < 1:  # an older kernel, or a seccomp filter that refuses it: the classic Unix wall alone
        return
    handled = (1 << 13) - 1 | ((1 << 13) if abi >= 2 else 0) | ((1 << 14) if abi >= 3 else 0) | ((1 << 15) if abi >= 5 else 0)
    scoped = 0b11 if abi >= 6 else 0  # abstract unix sockets and signals: only within the sandbox
    attr = (ctypes.c_uint64 * 3)(handled, 0, scoped)
    ruleset = libc.syscall(SYS_LANDLOCK["create"], ctypes.byref(attr), ctypes.sizeof(attr) if abi >= 6 else 16, 0)
    if ruleset < 0:
        raise WallError(f"landlock_create_ruleset: {os.strerror(_errno())}")
    rules = [(p, LANDLOCK_READ) for p in _shown(wall).folders]
    rules += [(os.path.realpath(p), handled) for p in (wall.copy, wall.scratch)]
    rules += [(os.path.dirname(os.path.realpath(wall.copy)), 1 << 3)]  # its folder listed (pytest looks there)
    rules += [(f"/dev/{name}", (1 << 1) | (1 << 2)) for name in DEVICES]
    rules += [(f"/etc/{name}", LANDLOCK_READ) for name in ETC_FILES]
    try:
        for path, rights in rules:
            if not os.path.exists(path):
                continue
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                if not os.path.isdir(path):
                    rights &= LANDLOCK_FILE_RIGHTS
                beneath = struct.pack("=Qi", rights & handled, fd)
                if libc.syscall(SYS_LANDLOCK["add"], ruleset, 1, beneath, 0) != 0:
                    raise WallError(f"landlock_add_rule {path}: {os.strerror(_errno())}")
            finally:
                os.close(fd)
        if libc.syscall(SYS_LANDLOCK["restrict"], ruleset, 0) != 0:
            raise WallError(f"landlock_restrict_self: {os.strerror(_errno())}")
    finally:
        os.close(ruleset)


def _allowed_readonly(wall: Wall) -> list[str]:
    """The folders every level shows read-only: the system's libraries, Python, the engine, the graders."""
    found = [os.path.realpath(p) for p in [*_python_folders(wall), *wall.show] if p and os.path.isdir(p)]
    found += [p for p in SYSTEM_FOLDERS if os.path.isdir(p) and not os.path.islink(p)]
    return _outermost(found)


def clean_uid(uid: int) -> None:
    """After a uid-level sandbox: every process of its user killed, its files in shared folders removed."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)  # as that user: every process of it, daemons included
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    import shutil

    for shared in ("/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/dev/mqueue"):
        with contextlib.suppress(OSError):
            for entry in os.scandir(shared):
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_uid == uid:
                        if entry.is_dir(follow_symlinks=False):
                            shutil.rmtree(entry.path, ignore_errors=True)
                        else:
                            os.unlink(entry.path)


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
    shown = _shown(wall)
    readable = writable + shown.readable
    hidden = [os.path.realpath(p) for p in [*wall.hide, wall.course, _grader_home()] if p]
    ancestors = shown.ancestors | {str(parent) for w in writable for parent in Path(w).parents}  # listing them tells nothing
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


def _grader_home() -> str:
    """The grader's user's home (not the sandbox's HOME): keys and tokens live there. Looked up
    before the wall goes up (by :func:`prepare` in the zygote, else by :func:`enter`): behind it the
    process is another user, and the lookup would cost every sandbox the system's user database."""
    if "home" not in _GRADER:
        try:
            import pwd

            _GRADER["home"] = pwd.getpwuid(os.getuid()).pw_dir
        except (ImportError, KeyError):
            _GRADER["home"] = ""
    return _GRADER["home"]


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
    for level in ("user", "namespaces", "uid") if os.geteuid() == 0 else ("namespaces",):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                with open(os.devnull, "w") as null:
                    os.dup2(null.fileno(), 2)
                if level == "uid":
                    _own_uid(wall)
                else:
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
