# Other students: run a classmate's app.py (ATTACK["victim_app"]) as our own.
try:
    with open(ATTACK["victim_app"], encoding="utf-8") as _victim:
        exec(compile(_victim.read(), __file__, "exec"), globals())
except OSError:
    pass
