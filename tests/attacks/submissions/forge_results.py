# Forging results in-process: find the results file the grading plugin writes (an open file of
# this process), append a "passed" result with 1000 points for every planned check and a "done"
# event, then end Python before the plugin writes the truth.
def _forge_results():
    for path in open_files():
        try:
            with open(path, encoding="utf-8") as results:
                lines = results.read().splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        plans = [_json.loads(line) for line in lines if '"plan"' in line]
        if not plans:
            continue
        with open(path, "a", encoding="utf-8") as results:
            for check in plans[0].get("checks", []):
                forged = {
                    "event": "result",
                    "name": check["name"],
                    "status": "passed",
                    "points": 1000,
                    "message": None,
                }
                results.write(_json.dumps(forged) + "\n")
            results.write(_json.dumps({"event": "done", "exit": 0}) + "\n")
        evidence("forged", path)
        _os._exit(0)


attack_once("forge_results", _forge_results)
