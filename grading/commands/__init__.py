"""What people type: each module is one command (a nox session, or ``python -m grading...``).

Students: :mod:`.grade` (``nox -s grade``), :mod:`.watch`, :mod:`.hints`, :mod:`.serve` (``run``,
``flask``, ``pytest``). Instructors: :mod:`.batch` (and :mod:`.shards`, :mod:`.merge`), :mod:`.verify`,
:mod:`.template`, :mod:`.classroom`, :mod:`.gradescope`. :mod:`.processes` is standard library only: the noxfile
imports it before any environment exists; so is :mod:`.shards`, for the class-grading workflow.
"""
