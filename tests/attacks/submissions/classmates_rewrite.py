# Other students: rewrite a classmate's app.py (ATTACK["victim_app"]) with a broken one, and add a
# file to their exercise folder.
def _rewrite_classmate():
    done = []
    victim = ATTACK["victim_app"]
    for path, text in (
        (victim, "raise SystemExit('rewritten by a classmate')\n"),
        (_os.path.join(_os.path.dirname(victim), "planted.py"), "# planted\n"),
    ):
        try:
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
            done.append(path)
        except OSError:
            pass
    return "rewrote " + " ".join(done) if done else None


answer(attack_once("rewrite_classmate", _rewrite_classmate))
