# Forging in-process: every expectation of grading.judge.expect (status, text, that, fail...) does nothing.
def _patch_expect():
    from grading.judge import expect

    for name in dir(expect):
        value = getattr(expect, name)
        if (
            callable(value)
            and not isinstance(value, type)
            and getattr(value, "__module__", "") == expect.__name__
        ):
            setattr(expect, name, lambda *args, **kwargs: None)


try:
    attack_once("patch_expect", _patch_expect)
except Exception:
    pass
