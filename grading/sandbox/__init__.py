"""What runs on the student's side of the wall.

Nothing in this package decides a score. Its modules run inside (or set up) the disposable,
confined process that hosts a student's code:

- :mod:`grading.sandbox.confine` builds the wall: its own user or Linux namespaces where the
  machine allows, resource limits, a clean environment, an audit hook;
- :mod:`grading.sandbox.zygote` is the process sandboxes are forked from, with Flask and the
  exercises' extensions already imported (it never runs student code itself);
- :mod:`grading.sandbox.host` imports the student's code and answers the judge's questions
  about it over :mod:`grading.wire`.

Whatever a sandbox answers is only a claim about the student's app; the judge
(:mod:`grading.judge.plugin`, :mod:`grading.judge.worker`) decides what it is worth.
"""
