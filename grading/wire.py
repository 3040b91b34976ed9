"""The only language the judge and a sandbox share: length-prefixed JSON over a socket.

Nothing the sandbox sends is ever unpickled or executed: a message is JSON (bytes travel as
``{"$b": base64}``), at most :data:`MAX_MESSAGE` bytes, and the judge reads it as data, a claim
about the student's app. Both sides import this module; it imports nothing of either.

The budget is far below what would cost the judge memory: the answers of every reference
solution, 14-production's servers and 15-testing's suite runs included, are at most 5 KiB
(measured 2026-12), and a megabyte of JSON parses into tens of megabytes of objects at worst.
A message is read into one buffer of its announced size, after that size was checked, and
parsed from it. An answer too big to send is replaced by an error the check fails with; a
sandbox announcing a bigger one is not read at all (:class:`TooBig`).
"""

from __future__ import annotations

import base64
import json
import socket
import struct

MAX_MESSAGE = 1024 * 1024  # bytes of one message: 200 times the biggest real answer
_HEADER = struct.Struct("!I")
TOO_BIG = "more than the judge reads"  # in every message about an answer over budget


class WireError(Exception):
    """The other side went away, or sent something that is not a message."""


class TooBig(WireError):
    """The other side announced a message over :data:`MAX_MESSAGE`: it is not read."""


def too_big(size: int) -> str:
    """What a check says of an answer of ``size`` bytes."""
    return (f"Your app's answer to this check was {size} bytes, {TOO_BIG} ({MAX_MESSAGE // 1024} KiB): "
            "does a view return a huge page, or print without end?")


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
        data = json.dumps({"error": {"kind": "too_big", "message": too_big(len(data))}}).encode()
    sock.sendall(_HEADER.pack(len(data)) + data)


def _read(sock: socket.socket, size: int) -> bytearray:
    """Exactly ``size`` bytes, received straight into one buffer."""
    buffer = bytearray(size)
    view, got = memoryview(buffer), 0
    while got < size:
        n = sock.recv_into(view[got:], size - got)
        if not n:
            raise WireError("the other side closed the connection")
        got += n
    return buffer


def receive(sock: socket.socket):
    (size,) = _HEADER.unpack(_read(sock, _HEADER.size))
    if size > MAX_MESSAGE:
        raise TooBig(too_big(size))
    try:
        return decode(json.loads(_read(sock, size)))
    except (ValueError, RecursionError) as exc:
        raise WireError(f"not a message: {type(exc).__name__}") from None
