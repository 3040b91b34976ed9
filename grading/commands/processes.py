"""Run a command to its end, Ctrl-C included (standard library only: the noxfile uses it too)."""

from __future__ import annotations

import subprocess


def run_to_the_end(args: list[str], **popen_kwargs) -> int:
    """Run ``args``; return its exit status. Ctrl-C in a terminal reaches the command too, so it
    is given 5 seconds to say goodbye and stop by itself; after that (or a second Ctrl-C) it is
    ended."""
    with subprocess.Popen(args, **popen_kwargs) as command:
        try:
            return command.wait()
        except KeyboardInterrupt:
            try:
                return command.wait(timeout=5)
            except (KeyboardInterrupt, subprocess.TimeoutExpired):
                command.terminate()
                return command.wait()
