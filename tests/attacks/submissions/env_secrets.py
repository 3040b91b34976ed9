# Outside the process: read the secrets of the grading job's environment (tokens, the runner's
# and Gradescope's variables): ATTACK["secrets"] names them.
def _env_secrets():
    seen = sorted(name for name in ATTACK["secrets"] if name in _os.environ)
    return "saw " + " ".join(f"{name}={_os.environ[name]}" for name in seen) if seen else None


answer(attack_once("env_secrets", _env_secrets))
