# Harming the run: print 256 MB on stdout and on stderr (1 MB at a time, and no more).
def _huge_stdout():
    block = b"spam " * (1 << 18) + b"\n"
    for fd in (1, 2):
        for _ in range(128):
            try:
                _os.write(fd, block)
            except OSError:
                break


attack_once("huge_stdout", _huge_stdout)
