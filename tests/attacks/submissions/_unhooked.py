# --- A second interpreter without the audit hook (kit for the attacks on the walls). ---
# _posixsubprocess.fork_exec starts a program without raising the "subprocess.Popen" audit event,
# and the new Python has no hook: what it does is bounded only by the OS (user, namespaces, mounts).
import _posixsubprocess as _ps
import os as _os
import sys as _sys


def unhooked(code, timeout=20, cwd=None):
    """Run Python ``code`` in a new interpreter with no audit hook; its stdout as text (None if it
    could not start). Bounded: killed after ``timeout`` seconds."""
    import time as _time

    out_r, out_w = _os.pipe()
    err_r, err_w = _os.pipe()
    args = [_os.fsencode(_sys.executable), b"-I", b"-c", code.encode()]
    env = [_os.fsencode(k) + b"=" + _os.fsencode(v) for k, v in _os.environ.items()]
    common = [args, [args[0]], True, tuple(sorted((out_w, err_w))), cwd, env,
              -1, -1, -1, out_w, -1, -1, err_r, err_w, False, False]
    tails = ([-1, None, None, None, -1, None, False],  # 3.11-3.12: pgid, gid, groups, uid, umask, preexec, vfork
             [None, None, None, -1, None, False],  # older: no process group
             [-1, None, None, None, -1, None])  # newer: no vfork flag
    pid = None
    for tail in tails:
        try:
            pid = _ps.fork_exec(*common, *tail)
            break
        except TypeError:
            continue
        except OSError:
            break
    _os.close(out_w)
    _os.close(err_w)
    _os.close(err_r)
    if pid is None:
        _os.close(out_r)
        return None
    chunks, deadline = [], _time.monotonic() + timeout
    _os.set_blocking(out_r, False)
    while _time.monotonic() < deadline:
        try:
            chunk = _os.read(out_r, 65536)
        except BlockingIOError:
            _time.sleep(0.02)
            continue
        if not chunk:
            break
        chunks.append(chunk)
    _os.close(out_r)
    try:
        _os.kill(pid, 9)
    except OSError:
        pass
    try:
        _os.waitpid(pid, 0)
    except OSError:
        pass
    return b"".join(chunks).decode("utf-8", "replace")
