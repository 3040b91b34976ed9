# Harming the run: signal the grading processes above us (ATTACK["how"] says which way). The
# test runner and its ancestors are never signalled.
def _signals():
    how, parents = ATTACK["how"], ancestors()
    if how == "sigstop-parent" and parents:
        _os.kill(parents[0], _signal.SIGSTOP)
    elif how == "sigkill-parent" and parents:
        _os.kill(parents[0], _signal.SIGKILL)
    elif how == "sigkill-ancestors":
        kill_ancestors(_signal.SIGKILL)
    elif how == "sigkill-parent-group" and parents:
        group = _os.getpgid(parents[0])
        if group not in ATTACK["protected_groups"]:
            _os.killpg(group, _signal.SIGKILL)
    elif how == "killpg-0" and _os.getpgrp() not in ATTACK["protected_groups"]:
        _os.killpg(0, _signal.SIGKILL)


attack_once("signals", _signals)
