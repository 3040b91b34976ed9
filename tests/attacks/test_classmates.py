"""Other students, in batch grading (`python -m grading.commands.batch CLASS --out OUT`).

The class: alice, a clone holding the reference 01-hello with a secret in a comment, and mallory,
whose 01-hello attacks. The output folder already holds a previous gradebook with a secret of its
own. Alice's grade and files, and the course's files, must come out as if mallory were not there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grading.judge.course import COURSE_DIR

from .conftest import (
    assert_attack_failed,
    assert_finished,
    assert_no_better_than,
    assert_same_as,
    base_env,
    copy_exercise,
    tree_digest,
)

HELLO = "01-hello"


class Klass:
    def __init__(self, attack, alice_edits=()):
        self.attack = attack
        self.alice_edits = tuple(alice_edits)
        self.dir = attack.tmp / "class"
        self.out = attack.tmp / "gradebook"
        self.alice = self.dir / "alice" / "exercises" / HELLO
        self.mallory = self.dir / "mallory" / HELLO
        self.secrets = {
            "alice": f"SECRET-{attack.marker}-alice",
            "gradebook": f"SECRET-{attack.marker}-gradebook",
        }
        copy_exercise(HELLO, "solutions", self.alice, self.alice_edits)
        app = self.alice / "app.py"
        app.write_text(f"# {self.secrets['alice']}\n" + app.read_text(encoding="utf-8"), encoding="utf-8")
        self.out.mkdir()
        (self.out / "grades.csv").write_text(
            f"student,{HELLO},total,graders_changed\n{self.secrets['gradebook']},5,5,\n", encoding="utf-8"
        )
        self.alice_before = tree_digest(self.dir / "alice")

    def mallory_attacks(self, base: str, attack: str, **extra) -> None:
        self.attack.submission(HELLO, base, attack, root=self.dir / "mallory", **extra)

    def grade(self, **kwargs):
        run = self.attack.batch(self.dir, "01", out=self.out, **kwargs)
        assert_finished(run.outcome, codes=(0,))
        # The gradebook keeps the rows of an earlier run (the planted one) and says the points possible.
        assert {"alice", "mallory"} <= set(run.rows) <= {"alice", "mallory", "Points Possible", self.secrets["gradebook"]}
        return run

    def assert_alice_untouched(self, run) -> None:
        assert tree_digest(self.dir / "alice") == self.alice_before, "alice's files changed"
        assert_same_as(run.exercise("alice", HELLO), self.attack.honest(HELLO, "solutions", self.alice_edits))


@pytest.fixture
def klass(attack) -> Klass:
    return Klass(attack)


def test_reading_a_classmates_files_and_the_previous_gradebook(attack, klass):
    """Attack: mallory's app reads alice's app.py and the previous grades.csv, and copies what they
    hold to a file outside her submission, to her own folder in the class, and into her answer."""
    victims = [str(klass.alice / "app.py"), str(klass.out / "grades.csv")]
    klass.mallory_attacks("solutions", "classmates_read", victims=victims, own_folder=str(klass.mallory))
    run = klass.grade()
    places = {
        "a file outside the submission": attack.evidence / "stolen.txt",
        "mallory's own folder": klass.mallory / "stolen.txt",
        "mallory's report": klass.out / "mallory.json",
    }
    for where, path in places.items():
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        for whose, secret in klass.secrets.items():
            assert secret not in text, f"{whose}'s secret reached {where}"
    assert_attack_failed(run.exercise("mallory", HELLO))
    klass.assert_alice_untouched(run)


def test_rewriting_a_classmates_app(klass):
    """Attack: mallory's app overwrites alice's app.py with a broken one and plants a file in her folder."""
    klass.mallory_attacks("solutions", "classmates_rewrite", victim_app=str(klass.alice / "app.py"))
    run = klass.grade()
    assert_attack_failed(run.exercise("mallory", HELLO))
    klass.assert_alice_untouched(run)


def test_running_a_classmates_app_as_ones_own(attack, klass):
    """Attack: mallory's app.py (the starter) executes alice's app.py as its own code."""
    klass.mallory_attacks("exercises", "classmates_exec", victim_app=str(klass.alice / "app.py"))
    run = klass.grade()
    assert_no_better_than(run.exercise("mallory", HELLO), attack.honest(HELLO, "exercises"))
    klass.assert_alice_untouched(run)


SLOW_ALICE = [('    return "Hello, Flask!"', '    __import__("time").sleep(1)\n    return "Hello, Flask!"')]


def test_rewriting_a_classmates_temporary_results(attack):
    """Attack: while alice is graded (her view takes a second), mallory's app finds alice's results
    file in the grading's temporary folder and replaces her plan with one 0-point check."""
    klass = Klass(attack, SLOW_ALICE)
    scan = attack.tmp / "tmpdir"
    scan.mkdir()
    klass.mallory_attacks("solutions", "classmates_results", scan=str(scan))
    run = klass.grade(env=base_env(TMPDIR=str(scan)))
    assert_attack_failed(run.exercise("mallory", HELLO))
    klass.assert_alice_untouched(run)


COURSE_FILES = ["graders", "grading", "noxfile.py", "requirements", f"exercises/{HELLO}/exercise.yaml"]


def _site_packages() -> list[str]:
    import sysconfig

    folder = Path(sysconfig.get_paths()["purelib"])
    return sorted(p.name for p in folder.iterdir())


def test_poisoning_the_course_and_its_python(klass):
    """Attack: mallory's app probes whether it could rewrite the course's graders, manifest, engine,
    noxfile and requirements, or add a sitecustomize.py to the grading venv's site-packages (the
    probes change nothing; whatever was writable shows in her answer)."""
    targets = [
        "graders/test_01_hello.py",
        "graders/MANIFEST.sha256",
        "grading/judge/plugin.py",
        "grading/__init__.py",
        "noxfile.py",
        "requirements/grading.txt",
        f"exercises/{HELLO}/exercise.yaml",
    ]
    before, site_before = tree_digest(COURSE_DIR, COURSE_FILES), _site_packages()
    klass.mallory_attacks("solutions", "poison", course_files=[str(COURSE_DIR / t) for t in targets])
    run = klass.grade()
    assert tree_digest(COURSE_DIR, COURSE_FILES) == before
    assert _site_packages() == site_before
    assert_attack_failed(run.exercise("mallory", HELLO))
    klass.assert_alice_untouched(run)


@pytest.mark.parametrize("link", ["folder", "app.py"])
def test_symlinks_to_a_classmates_work(klass, link):
    """Attack: mallory's 01-hello is a symlink to ../alice/exercises/01-hello (it counts as missing), or
    her 01-hello/app.py is a symlink to alice's app.py (a link out of the submission is not followed)."""
    if link == "folder":
        klass.mallory.parent.mkdir(parents=True)
        os.symlink(os.path.relpath(klass.alice, klass.mallory.parent), klass.mallory)
    else:
        klass.mallory.mkdir(parents=True)
        os.symlink(klass.alice / "app.py", klass.mallory / "app.py")  # absolute: it survives a copy
    run = klass.grade()
    mallory = run.exercise("mallory", HELLO)
    assert mallory["score"] == 0, mallory
    if link == "folder":
        assert mallory["status"] == "missing", mallory
    klass.assert_alice_untouched(run)
