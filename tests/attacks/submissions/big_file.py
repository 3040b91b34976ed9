# Harming the run: write a 2 GB file (sparse: the last byte only) in the private copy; removed at once.
def _big_file():
    try:
        _signal.signal(_signal.SIGXFSZ, _signal.SIG_IGN)  # a file size limit then shows as EFBIG
    except (AttributeError, ValueError, OSError):
        pass
    path = _os.path.abspath(f"big-{ATTACK['marker']}.bin")
    size = 0
    try:
        with open(path, "wb") as big:
            big.seek((2 << 30) - 1)
            big.write(b"\0")
        size = _os.path.getsize(path)
    except OSError:
        pass
    finally:
        try:
            _os.remove(path)
        except OSError:
            pass
    return f"wrote a file of {size} bytes" if size >= 2 << 30 else None


answer(attack_once("big_file", _big_file))
