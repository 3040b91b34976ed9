# Forging in-process: wrap pytest's CallInfo.from_call so that a phase that raised is run again
# as a no-op: no check ever fails.
def _patch_callinfo():
    import _pytest.runner

    real = _pytest.runner.CallInfo.from_call.__func__

    def from_call(cls, func, when, reraise=None):
        info = real(cls, func, when, reraise)
        return real(cls, lambda: None, when, reraise) if info.excinfo is not None else info

    _pytest.runner.CallInfo.from_call = classmethod(from_call)


try:
    attack_once("patch_callinfo", _patch_callinfo)
except Exception:
    pass
