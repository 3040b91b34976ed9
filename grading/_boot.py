"""Start grading code in a new interpreter without the repository on ``sys.path``.

    python -I grading/_boot.py grading.commands.grade:main ARGS...

``-I`` keeps the current folder, ``PYTHONPATH`` and the user's site-packages out of
``sys.path``; this file then loads the ``grading`` package from where it lies, and only that
package, so a ``yaml.py`` or ``flask.py`` a student leaves at the repository root is never
imported by the grader. (``python -m grading`` would put the repository first on ``sys.path``.)
"""

import importlib
import importlib.util
import sys
from pathlib import Path


def load_package() -> None:
    here = Path(__file__).resolve().parent
    if "grading" in sys.modules:
        return
    spec = importlib.util.spec_from_file_location("grading", here / "__init__.py", submodule_search_locations=[str(here)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["grading"] = module
    spec.loader.exec_module(module)


if __name__ == "__main__":
    load_package()
    module_name, _, function = sys.argv[1].partition(":")
    try:
        sys.exit(getattr(importlib.import_module(module_name), function)(sys.argv[2:]))
    except BrokenPipeError:  # `... | head`: the reader has gone, which is fine
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
