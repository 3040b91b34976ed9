"""The judge: what decides a score. It never imports a student's module.

It reads the course (:mod:`.course`), runs each exercise's grader module with pytest in a judge
process of its own (:mod:`.worker`, :mod:`.plugin`), hands graders stand-ins for the student's app
built from a sandbox's plain-data answers (:mod:`.remote`, :mod:`.sandboxes`, :mod:`.suites`),
and turns each check into a verdict (:mod:`.expect`, :mod:`.results`). Around it: the cache, the
graders' manifest (:mod:`.integrity`), submissions and their private copies, a student's repository at
a deadline (:mod:`.checkout`), many folders graded at once (:mod:`.schedule`), the CPUs it may use.
"""
