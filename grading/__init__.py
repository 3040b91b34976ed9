"""The grading engine of flask-exercises.

Every grader in ``graders/`` is a pytest module that uses this package:

- :mod:`grading.course` reads ``exercises/*/exercise.yaml`` (the only list of exercises);
- :mod:`grading.student` imports a student's code by path, isolated and with ``Flask.run`` replaced;
- :mod:`grading.plugin` gives graders their fixtures (``app``, ``client``, ``runner``,
  ``templates``, ``student``) and turns each check into a scored, explained result;
- :mod:`grading.expect` raises the failures a stuck student can read;
- :mod:`grading.worker` runs one exercise in its own process, with time limits;
- :mod:`grading.cli` (``python -m grading``) grades a tree and prints or writes the report.
"""

__version__ = "1.0.0"
