"""The wire between the judge and a sandbox: a budget per answer, read without extra copies."""

from __future__ import annotations

import re
import socket
import struct
import threading
import tracemalloc

import pytest

from grading import wire
from grading.judge import remote
from grading.judge.sandboxes import Sandbox


def test_a_message_round_trips_with_bytes_and_odd_keys():
    judge, sandbox = socket.socketpair()
    with judge, sandbox:
        wire.send(sandbox, {"ok": {"body": b"\x00\xff", 1: ("a", None)}})
        assert wire.receive(judge) == {"ok": {"body": b"\x00\xff", "1": ["a", None]}}


def test_an_answer_too_big_to_send_fails_its_check_with_the_reason():
    """A view answering 2 MB: the sandbox sends an error instead, and the check says why."""
    judge, sandbox = socket.socketpair()
    with judge, sandbox:
        threading.Thread(target=wire.send, args=(sandbox, {"ok": "x" * (2 * wire.MAX_MESSAGE)})).start()
        reply = wire.receive(judge)
    with pytest.raises(remote.StudentCodeError) as caught:
        remote.answer(reply)
    assert caught.value.kind == "too_big"
    assert re.search(r"was 20971\d\d bytes, more than the judge reads \(1024 KiB\)", str(caught.value))


def test_a_sandbox_announcing_a_huge_answer_is_not_read_and_the_check_says_why(tmp_path):
    """A forged header of 32 MiB: the judge reads none of it, keeps its memory, and the check
    fails saying the answer was too big (not that the sandbox vanished)."""
    judge, sandbox = socket.socketpair()
    forged = struct.pack("!I", 32 * 1024 * 1024) + b"[" * (1 << 16)  # made before memory is measured

    def hostile():
        wire.receive(sandbox)
        sandbox.sendall(forged)

    threading.Thread(target=hostile, daemon=True).start()
    session = remote.Session(lambda: Sandbox(judge, lambda: None, str(tmp_path / "scratch"), "test"), tmp_path)
    tracemalloc.start()
    try:
        with pytest.raises(remote.StudentCodeError) as caught:
            session.ask("request", method="GET", path="/")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        sandbox.close()
    assert caught.value.kind == "too_big" and "33554432 bytes" in str(caught.value)
    assert str(caught.value).startswith("Your app's answer")
    assert peak < wire.MAX_MESSAGE  # the announced 32 MiB were never allocated


def test_a_message_is_read_into_one_buffer(monkeypatch):
    """No list of chunks joined: the body is received straight into a buffer of its size."""
    judge, sandbox = socket.socketpair()
    with judge, sandbox:
        threading.Thread(target=wire.send, args=(sandbox, {"ok": "y" * 500_000})).start()
        tracemalloc.start()
        try:
            assert wire.receive(judge) == {"ok": "y" * 500_000}
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 3 * 500_000  # the buffer and the parsed string, nothing more
