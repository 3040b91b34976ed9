# Forging in-process: replace the plugin's judge so that every check is "passed".
def _patch_judge():
    import grading.judge.plugin

    grading.judge.plugin._judge = lambda item, call, report: ("passed", None)


try:
    attack_once("patch_judge", _patch_judge)
except Exception:
    pass
