# A 15-testing suite whose test id is the source of the app under test: on the held-back rewrite
# (graders/data/15-testing/private/) it fails (it passes on the public apps, whose sha256 are in
# ATTACK["given"]), and the grade's message quotes its id.
import hashlib as _hashlib
import pathlib as _pathlib

import pytest as _pytest

_SOURCE = (_pathlib.Path(__file__).resolve().parent.parent / "app.py").read_text(encoding="utf-8")
_ID = _SOURCE.replace("\n", " | ") if ATTACK.get("leak") else "plain"


@_pytest.mark.parametrize("x", [0], ids=[_ID])
def test_the_app(x):
    assert _hashlib.sha256(_SOURCE.encode()).hexdigest() in ATTACK["given"], _ID
