# --- The attack kit: prepended (after the ATTACK settings) to every hostile submission. ---
# ATTACK holds what the test told the attack: "marker" (a unique word), "comm" (a process name
# unique to the test), "evidence" (a folder outside the submission), "protected" (the test runner
# and its ancestors: never signalled) and the attack's own settings. Every loop, fork and
# allocation below is bounded.
import json as _json
import os as _os
import signal as _signal
import sys as _sys


def tag_process():
    """Name this process (and the children it forks) ATTACK["comm"], so the test can find survivors."""
    try:
        with open("/proc/self/comm", "w") as comm:
            comm.write(ATTACK["comm"])
    except OSError:
        pass


tag_process()


def attack_once(name, action):
    """Run ``action`` once per process (and its forks); later imports get the same result."""
    done = _sys.__dict__.setdefault("_attack_results", {})
    if name not in done:
        done[name] = None  # an action that raises is not tried again
        done[name] = action()
    return done[name]


def ancestors():
    """Our parent, its parent... up to (not including) the test runner or pid 1: at most 10."""
    found, pid = [], _os.getppid()
    while pid > 1 and pid not in ATTACK["protected"] and len(found) < 10:
        found.append(pid)
        try:
            with open(f"/proc/{pid}/stat") as stat:
                pid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return found


def kill_ancestors(sig=_signal.SIGKILL, how_many=10):
    """Send ``sig`` to our ancestors, the farthest first, never to a protected one."""
    for pid in reversed(ancestors()[:how_many]):
        try:
            _os.kill(pid, sig)
        except OSError:
            pass


def open_files():
    """Paths of the regular files this process has open (the grading results file, today)."""
    paths = []
    try:
        fds = _os.listdir("/proc/self/fd")
    except OSError:
        return paths
    for fd in fds:
        try:
            path = _os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if path.startswith("/") and _os.path.isfile(path):
            paths.append(path)
    return paths


def evidence(name, text):
    """Leave a note outside the submission; False where a sandbox forbids it."""
    try:
        _os.makedirs(ATTACK["evidence"], exist_ok=True)
        with open(_os.path.join(ATTACK["evidence"], name), "a", encoding="utf-8") as note:
            note.write(text + "\n")
        return True
    except OSError:
        return False


def answer(text):
    """When the attack worked, GET / answers ``ATTACK-SUCCEEDED text``: the grade's messages show it."""
    application = globals().get("app")
    if text and application is not None and hasattr(application, "view_functions"):
        application.view_functions["index"] = lambda: f"ATTACK-SUCCEEDED {text}"


# --- The attack itself. ---
