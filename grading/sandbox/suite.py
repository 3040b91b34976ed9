"""In a sandbox: one run of a student's pytest suite (15-testing) on one folder, reported as plain data."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import tempfile
import warnings
from pathlib import Path

PYTEST_INI = "[pytest]\ntestpaths = tests\n"


def run_here(folder: str, test_timeout: float = 5.0, unicode_tables: dict | None = None) -> dict:
    """pytest on the suite in ``folder``, whose ``app.py`` is the app under test; runs in a sandbox.

    Returns plain data: ``{"status": "done", "exit_code", "tests": [{"nodeid", "outcome",
    "message"}], "errors": [{"nodeid", "message"}]}``, or ``{"status": "error", "message"}`` when
    the app under test cannot even be imported. ``unicode_tables`` are Hypothesis' tables, from
    the judge (see :func:`_unicode_tables`).
    """
    _prepare(unicode_tables or {})
    gc.freeze()  # what is loaded now stays: pytest's gc.collect() calls skip it
    os.chdir(folder)
    sys.dont_write_bytecode = True
    if folder not in sys.path:
        sys.path.insert(0, folder)
    try:
        import app  # noqa: F401 - the grader's app, whatever path the suite sets up
    except BaseException as exc:  # noqa: BLE001
        return {"status": "error",
                "message": f"the app under test could not be imported ({type(exc).__name__}: {exc})"}
    import pytest

    ini = os.path.join(tempfile.gettempdir(), "pytest.ini")  # the sandbox's own temporary folder
    with open(ini, "w", encoding="utf-8") as f:
        f.write(PYTEST_INI)
    plugins = [_Recorder()]  # and the plugins below as objects: "-p name" would search every package for it
    args = [
        "tests", "-c", ini, "--rootdir", folder, "-x", "-q", "-p", "no:cacheprovider",
        "--basetemp", os.path.join(folder, ".pytest-tmp"), "-W", "ignore::DeprecationWarning",
        "--tb=line",  # only the first line of a failure is kept: no source read to format the rest
    ]
    with contextlib.suppress(ImportError):
        import pytest_timeout

        plugins.append(pytest_timeout)
        args += ["-o", f"timeout={test_timeout}", "-o", "timeout_method=signal"]
    with contextlib.suppress(ImportError):
        import _hypothesis_pytestplugin

        plugins.append(_hypothesis_pytestplugin)
    recorder = plugins[0]
    code = pytest.main(args, plugins=plugins)
    return {"status": "done", "exit_code": int(code), "errors": recorder.errors,
            "tests": [{"nodeid": nodeid, **test} for nodeid, test in recorder.tests.items()]}


def preload() -> None:
    """pytest's plugins imported: done once by the zygote, while it is idle, so no run pays for it."""
    import importlib

    from _pytest.config import default_plugins

    for name in default_plugins:  # pytest imports these on every start otherwise
        with contextlib.suppress(ImportError):
            importlib.import_module(f"_pytest.{name}")
    with contextlib.suppress(ImportError):
        import pytest_timeout  # noqa: F401
    with contextlib.suppress(ImportError):
        import _hypothesis_pytestplugin  # noqa: F401


def _prepare(unicode_tables: dict[str, bytes]) -> None:
    """pytest's plugins imported, Hypothesis set up for graded suites (see the module's notes),
    with a home folder of its own in the sandbox's temporary folder, holding the Unicode tables."""
    preload()
    with contextlib.suppress(ImportError):
        import _hypothesis_pytestplugin  # noqa: F401
        from hypothesis import HealthCheck, Phase, settings
        from hypothesis.configuration import set_hypothesis_home_dir

        home = Path(tempfile.gettempdir()) / "hypothesis"
        for name, content in unicode_tables.items():
            (home / name).parent.mkdir(parents=True, exist_ok=True)
            (home / name).write_bytes(content)
        set_hypothesis_home_dir(home)
        settings.register_profile(
            "graded-suite",
            database=None,
            derandomize=True,
            deadline=None,
            max_examples=50,
            print_blob=False,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        settings.load_profile("graded-suite")
        sys.modules["hypothesis.extra._patching"] = None  # its plugin then skips writing patches
        from hypothesis.internal import charmap

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "slow code in plugin": exactly why it happens here, once
            charmap.charmap()  # st.text() needs it: read from the home folder, not built per test


class _Recorder:
    """A pytest plugin that notes every test's outcome and every collection error."""

    def __init__(self):
        self.tests: dict[str, dict] = {}
        self.errors: list[dict] = []

    def pytest_runtest_logreport(self, report):
        entry = self.tests.setdefault(report.nodeid, {"outcome": "passed", "message": None})
        if report.failed and entry["outcome"] != "failed":
            entry.update(outcome="failed", message=_short(report))
        elif report.skipped and report.when in ("setup", "call"):
            entry["outcome"] = "skipped"

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append({"nodeid": report.nodeid, "message": _short(report)})


def _short(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()] or [""]
    text = lines[0] if crash is not None else lines[-1]  # a collection error ends with its cause
    return text if len(text) <= 300 else text[:295] + " […]"
