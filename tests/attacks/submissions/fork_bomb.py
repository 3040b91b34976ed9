# Harming the run: a fork bomb, bounded at 200 children; each closes what it inherited (so nobody
# waits for it) and sleeps 30 s, then ends.
def _fork_bomb():
    import time

    made = 0
    for _ in range(200):
        try:
            pid = _os.fork()
        except OSError:
            break
        if pid == 0:
            _os.closerange(3, 4096)
            time.sleep(30)
            _os._exit(0)
        made += 1
    evidence("forks", str(made))
    return made


attack_once("fork_bomb", _fork_bomb)
