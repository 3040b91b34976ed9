"""The only language the judge and a sandbox share: length-prefixed JSON over a socket.

Nothing the sandbox sends is ever unpickled or executed: a message is JSON (bytes travel as
``{"$b": base64}``), at most :data:`MAX_MESSAGE` bytes, and the judge reads it as data, a claim
about the student's app. Both sides import this module; it imports nothing of either.
"""

from __future__ import annotations

import base64
import json
import socket
import struct

MAX_MESSAGE = 32 * 1024 * 1024  # a body of megabytes is fine; a gigabyte is an attack
_HEADER = struct.Struct("!I")


class WireError(Exception):
    """The other side went away, or sent something that is not a message."""


def encode(value):
    """``value`` with bytes, tuples and odd keys made JSON-safe."""
    if isinstance(value, (bytes, bytearray)):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


def decode(value):
    if isinstance(value, dict):
        if len(value) == 1 and "$b" in value and isinstance(value["$b"], str):
            return base64.b64decode(value["$b"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def send(sock: socket.socket, message) -> None:
    data = json.dumps(encode(message), default=repr).encode("utf-8")
    if len(data) > MAX_MESSAGE:
        data = json.dumps({"error": {"kind": "too_big", "message": f"an answer of {len(data)} bytes"}}).encode()
    sock.sendall(_HEADER.pack(len(data)) + data)


def _read(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise WireError("the other side closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(sock: socket.socket):
    (size,) = _HEADER.unpack(_read(sock, _HEADER.size))
    if size > MAX_MESSAGE:
        raise WireError(f"a message of {size} bytes, more than {MAX_MESSAGE}")
    try:
        return decode(json.loads(_read(sock, size)))
    except (ValueError, RecursionError) as exc:
        raise WireError(f"not a message: {type(exc).__name__}") from None
