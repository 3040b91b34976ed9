"""Every format the judge writes, from results only, after every student process has ended.

The terminal and JSON report (:mod:`.report`), JUnit XML (:mod:`.junit`), GitHub Classroom's
reporter outputs and job summary (:mod:`.classroom`), Gradescope's ``results.json``
(:mod:`.gradescope`) and a class's gradebook (:mod:`.gradebook`).
"""
