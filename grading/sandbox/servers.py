"""A real server for a check: started on a free loopback port, always stopped.

    with serving([sys.executable, "-m", "gunicorn", "--bind", "{address}", "wsgi:app"],
                 cwd=folder, env=env, ready="/healthz") as server:
        status, headers, body = server.get("/healthz")

A server runs student code, so graders use this module *inside a sandbox*, from a probe (see
``graders/test_14_production.py``): the server is then one of the sandbox's processes, reachable
only from there, and ends with the sandbox at the end of the check if not before. This module
imports nothing of the judge.

The server listens on 127.0.0.1 only, on a port the system says is free (``{address}`` and
``{port}`` in the command are filled in). When it does not come up, :class:`ServerFailed`
carries the last lines it printed, for the student.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"


class ServerFailed(Exception):
    """The server did not answer in time, or ended; the message quotes its output."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def output(self, lines: int = 12) -> str:
        """The last lines the server printed."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def get(self, path: str, headers: dict | None = None, timeout: float = 5) -> tuple[int, dict, bytes]:
        """``(status, headers, body)`` of a GET; HTTP errors are answers too."""
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our own loopback server
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def _wait_until_ready(server: Server, ready: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerFailed(f"The server stopped (exit code {server.process.returncode}) before answering:\n"
                               + server.output())
        with contextlib.suppress(OSError):
            server.get(ready, timeout=1)
            return
        time.sleep(0.1)
    raise ServerFailed(f"The server did not answer {ready} within {timeout:g} s:\n" + server.output())


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(timeout=5)


@contextlib.contextmanager
def serving(command: list[str], cwd: Path, env: dict, ready: str = "/", timeout: float = 20):
    """Run ``command`` until the block ends; yield a :class:`Server` once ``ready`` answers."""
    port = free_port()
    filled = [part.replace("{address}", f"{HOST}:{port}").replace("{port}", str(port)) for part in command]
    with tempfile.TemporaryDirectory(prefix="server-") as tmp:
        log = Path(tmp) / "output.log"
        with log.open("wb") as out:
            process = subprocess.Popen(filled, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                       stderr=subprocess.STDOUT)
        server = Server(process, port, log)
        try:
            _wait_until_ready(server, ready, timeout)
            yield server
        finally:
            _stop(process)

