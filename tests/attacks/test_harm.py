"""Harming the run: signals at the grading processes, fork bombs, memory, output, disk, network,
and an odd file among a student's graders.

Whatever the student's code does, the run finishes within its time, writes every report, grades
the bystanders as it would without the attacker, and leaves no process of the student behind.
Attacks on a resource report through GET / (ATTACK-SUCCEEDED ...): the grade must not show it.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading

import pytest

from .conftest import (
    HANG_TIMEOUT,
    assert_finished,
    assert_no_better_than,
    assert_same_as,
    copy_course,
    copy_exercise,
)

HELLO, ROUTING = "01-hello", "02-routing"

SIGNALS = [
    ("sigstop-parent", "grade"),
    ("sigstop-parent", "batch"),
    ("sigkill-parent", "grade"),
    ("sigkill-ancestors", "batch"),
    ("sigkill-parent-group", "batch"),
    ("killpg-0", "grade"),
]


@pytest.mark.parametrize(("how", "mode"), SIGNALS, ids=[f"{how}-{mode}" for how, mode in SIGNALS])
def test_signals_at_the_grading_processes(attack, how, mode):
    """Attack: os.kill(os.getppid(), SIGSTOP) (grading hangs forever, batch never writes its gradebook);
    SIGKILL of the parent, of every ancestor (the batch's main process: the whole class is lost), of the
    parent's process group, or os.killpg(0, SIGKILL)."""
    fair = attack.honest(HELLO, "exercises")
    if mode == "grade":
        root = attack.submission(HELLO, "exercises", "signals", how=how)
        copy_exercise(ROUTING, "solutions", root / ROUTING)
        run = attack.grade(root, HELLO, ROUTING, timeout=HANG_TIMEOUT)
        assert_finished(run.outcome)
        assert_no_better_than(run.exercise(HELLO), fair)
        assert_same_as(run.exercise(ROUTING), attack.honest(ROUTING, "solutions"))
    else:
        class_dir = attack.tmp / "class"
        copy_exercise(HELLO, "solutions", class_dir / "alice" / HELLO)
        attack.submission(HELLO, "exercises", "signals", root=class_dir / "mallory", how=how)
        run = attack.batch(class_dir, "01", timeout=HANG_TIMEOUT)
        assert_finished(run.outcome, codes=(0,))
        assert set(run.rows) - {"Points Possible"} == {"alice", "mallory"}
        assert_no_better_than(run.exercise("mallory", HELLO), fair)
        assert_same_as(run.exercise("alice", HELLO), attack.honest(HELLO, "solutions"))
    attack.assert_no_leftovers()


def test_fork_bomb_leaves_no_process(attack):
    """Attack: a fork bomb, bounded at 200 children that close their inherited files and sleep 30 s:
    none may outlive the run."""
    root = attack.submission(HELLO, "solutions", "fork_bomb")
    run = attack.grade(root, HELLO, timeout=HANG_TIMEOUT)
    assert_finished(run.outcome)
    assert_no_better_than(run.exercise(HELLO), attack.honest(HELLO, "solutions"))
    attack.assert_no_leftovers()


@pytest.mark.parametrize(
    "resource",
    ["memory_hog", "big_file", "huge_stdout"],
    ids=["memory-4GB", "file-2GB", "stdout-256MB"],
)
def test_resource_hogs(attack, resource):
    """Attack: allocate 4 GB of memory (untouched); write a 2 GB file; print 256 MB on stdout and on
    stderr. Memory and file size are limited (the attack's answer would show otherwise), and what
    the student prints never floods the grading command's output."""
    root = attack.submission(HELLO, "solutions", resource)
    run = attack.grade(root, HELLO)
    assert_finished(run.outcome)
    assert_no_better_than(run.exercise(HELLO), attack.honest(HELLO, "solutions"))
    assert run.outcome.out_bytes < 1 << 20, f"the grading command printed {run.outcome.out_bytes} bytes"
    attack.assert_no_leftovers()


def _outward_address() -> str:
    """This machine's address on its way out (not loopback): where the test listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))  # UDP: nothing is sent
        address = probe.getsockname()[0]
    assert not address.startswith("127."), "this machine has no non-loopback address to test with"
    return address


@pytest.fixture
def listener():
    """A TCP port on this machine's non-loopback address; yields (address, port, what it received)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind((_outward_address(), 0))
    server.listen(8)
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(1)
                try:
                    received.append(connection.recv(200))
                except OSError:
                    received.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield (*server.getsockname(), received)
    stop.set()
    thread.join(2)
    server.close()


def test_network_is_cut(attack, listener):
    """Attack: connect from the app to a port of this machine on its non-loopback address (and to
    1.1.1.1:53) and send the marker: the sandbox has no network but its own loopback."""
    address, port, received = listener
    root = attack.submission(HELLO, "solutions", "network", listener=[address, port])
    run = attack.grade(root, HELLO)
    assert_finished(run.outcome)
    assert not received, f"the student's code reached {address}:{port}: {received}"
    assert_no_better_than(run.exercise(HELLO), attack.honest(HELLO, "solutions"))


@pytest.mark.parametrize("mode", ["batch", "gradescope"])
def test_proc_self_mem_symlink_in_the_students_graders(attack, bundle, mode):
    """Attack: a clone whose graders/ holds a symlink to /proc/self/mem: the integrity check that
    compares the student's graders with the course's must not crash the report after grading."""
    fair = attack.honest(HELLO, "exercises")
    if mode == "batch":
        clone = copy_course(attack.tmp / "class" / "mallory")
        copy_exercise(HELLO, "solutions", attack.tmp / "class" / "alice" / HELLO)
    else:
        autograder = attack.autograder(bundle)
        autograder.joinpath("submission").rmdir()
        clone = copy_course(autograder / "submission")
    for folder in (clone / "exercises").iterdir():  # the student hands in 01-hello only
        if folder.name != HELLO:
            shutil.rmtree(folder)
    os.symlink("/proc/self/mem", clone / "graders" / "test_zz_mem.py")
    if mode == "batch":
        run = attack.batch(attack.tmp / "class", "01")
        assert_finished(run.outcome, codes=(0,))
        assert set(run.rows) - {"Points Possible"} == {"alice", "mallory"}
        assert_no_better_than(run.exercise("mallory", HELLO), fair)
        assert_same_as(run.exercise("alice", HELLO), attack.honest(HELLO, "solutions"))
    else:
        outcome, results = attack.run_autograder(autograder)
        assert_finished(outcome, codes=(0,))
        assert results is not None, outcome.explain()
        hello = [t for t in results["tests"] if t["tags"] == [HELLO]]
        assert len(hello) == len(fair.plan) and sum(t["score"] for t in hello) <= fair.score
