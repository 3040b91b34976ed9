"""The grading engine of flask-exercises: four rooms, and a wall between the first and the rest.

- ``grading/sandbox/``: everything that ever runs next to student code, and decides nothing: the
  wall (:mod:`~grading.sandbox.confine`), the zygote that forks a fresh sandbox per check
  (:mod:`~grading.sandbox.zygote`), the host that imports the student's app and answers
  (:mod:`~grading.sandbox.host`), 14-production's real servers (:mod:`~grading.sandbox.servers`)
  and 15-testing's run of a student's suite (:mod:`~grading.sandbox.suite`).
- ``grading/judge/``: what decides the score, and never imports a student's module: the course
  (:mod:`~grading.judge.course`, reading ``exercises/*/exercise.yaml``), the workers and the pytest
  plugin that run the graders, the stand-ins for the student's app built from the sandbox's
  plain-data answers (:mod:`~grading.judge.remote`), :mod:`~grading.judge.expect`, the sandbox
  client, the cache, the integrity manifest, submissions and their private copies.
- ``grading/outputs/``: every format the judge writes, after every student process has ended: the
  terminal and JSON report, JUnit, GitHub Classroom's results, Gradescope's ``results.json``, a
  class's gradebook.
- ``grading/commands/``: what people type (``nox -s grade``, ``batch``, ``watch``, ``hint``,
  ``run``/``flask``/``pytest``, ``verify``, ``template``, ``classroom``, ``gradescope``).

Both sides of the wall speak :mod:`grading.wire`: length-prefixed JSON, never pickle. The
layering (commands → outputs → judge → wire; the sandbox apart) is checked by import-linter's
contracts in ``pyproject.toml``, run by ``nox -s tests``.

Graders import what they need from here: ``from grading import expect``.
"""

__version__ = "1.0.0"


def __getattr__(name: str):
    """``from grading import expect``: the graders' short, stable import of :mod:`grading.judge.expect`."""
    if name == "expect":
        from grading.judge import expect

        return expect
    raise AttributeError(f"module 'grading' has no attribute {name!r}")
