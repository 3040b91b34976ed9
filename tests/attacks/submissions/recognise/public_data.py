"""A 15-testing "suite" that tests no behaviour: it recognises the correct apps by their source.

ATTACK["known"] holds the hashes of the correct apps the course publishes in
graders/data/15-testing/ (app.py; the rewrite is held back); any other app fails.
"""

import hashlib
from pathlib import Path

import app


def test_the_app_is_one_of_the_correct_ones():
    source = Path(app.__file__).read_bytes()
    assert hashlib.sha256(source).hexdigest() in ATTACK["known"]
