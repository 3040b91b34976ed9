# Forging the plan in-process: rewrite the results file with a plan of one bonus check worth 100
# points, its "passed" result and "done", then end Python (100/100 and exit status 0 today).
def _forge_plan():
    for path in open_files():
        if not path.endswith(".jsonl"):
            continue
        events = [
            {"event": "plan", "checks": [{"name": "bonus", "doc": "A bonus check.", "points": 100}]},
            {"event": "start", "name": "bonus"},
            {"event": "result", "name": "bonus", "status": "passed", "points": 100, "message": None},
            {"event": "done", "exit": 0},
        ]
        with open(path, "w", encoding="utf-8") as results:
            results.write("".join(_json.dumps(e) + "\n" for e in events))
        evidence("forged", path)
        _os._exit(0)


attack_once("forge_plan", _forge_plan)
