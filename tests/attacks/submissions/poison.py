# Other students: poison what grades everyone (the course's graders, manifest and engine, its
# noxfile, the Python environment's site-packages, where a sitecustomize.py would run in every
# later process). The probes write nothing: a file is opened for appending and closed, and a
# neutral file is created in site-packages and removed at once. Any probe that succeeds shows.
def _poison():
    import sysconfig

    writable = []
    for path in ATTACK["course_files"]:
        try:
            _os.close(_os.open(path, _os.O_WRONLY | _os.O_APPEND))
            writable.append(path)
        except OSError:
            pass
    for folder in {sysconfig.get_paths()["purelib"], *(p for p in _sys.path if p.endswith("site-packages"))}:
        probe = _os.path.join(folder, f"zz-attack-probe-{ATTACK['marker']}.txt")
        try:
            _os.close(_os.open(probe, _os.O_WRONLY | _os.O_CREAT | _os.O_EXCL))
            _os.remove(probe)
            writable.append(folder)
        except OSError:
            pass
    return "could write " + " ".join(sorted(writable)) if writable else None


answer(attack_once("poison", _poison))
