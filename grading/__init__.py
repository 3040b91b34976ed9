"""The grading engine of flask-exercises.

Two sides, and a wall between them. Only ``grading/sandbox/`` (and what it calls:
``servers.py``, and ``suites.run_here``) ever runs next to student code; everything else is the
*judge*, and never imports a student's module.

The judge (decides the score):

- :mod:`grading.course` reads ``exercises/*/exercise.yaml`` (the only list of exercises);
- :mod:`grading.cli` (``nox -s grade``) grades a tree; :mod:`grading.worker` runs each exercise's
  grader module with pytest in a judge process of its own, within time limits;
- :mod:`grading.plugin` gives graders their fixtures (``app``, ``client``, ``runner``,
  ``templates``, ``student``, ``environ``) and turns each check into a verdict;
- :mod:`grading.remote` are those fixtures: stand-ins for the student's app, built from the
  sandbox's plain-data answers; :mod:`grading.expect` raises the failures a stuck student can read;
- :mod:`grading.sandboxes` starts the zygote, a fresh sandbox per check, and kills them all;
- :mod:`grading.cache`, :mod:`grading.integrity`, :mod:`grading.verify`, :mod:`grading.cpus`,
  :mod:`grading.submissions` (finding and privately copying a submission's exercises).

For students, around the judge: :mod:`grading.serve` (``nox -s run``, ``flask``, ``pytest``: their
own app, on their own machine), :mod:`grading.watch`, :mod:`grading.hints`, :mod:`grading.local`.

The sandbox (runs student code, decides nothing): :mod:`grading.sandbox.confine` (the wall),
:mod:`grading.sandbox.zygote` (forks sandboxes), :mod:`grading.sandbox.host` (imports the student's
code and answers). Both sides speak :mod:`grading.wire`: length-prefixed JSON, never pickle.

The outputs (written by the judge, after every student process has ended):
:mod:`grading.report` (terminal, ``--json``), :mod:`grading.junit`, :mod:`grading.classroom`
(GitHub Classroom), :mod:`grading.gradescope`, :mod:`grading.batch` and :mod:`grading.gradebook`
(a class's gradebook), :mod:`grading.template` (the students' repository).
"""

__version__ = "1.0.0"
