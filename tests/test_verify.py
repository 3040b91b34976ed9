"""`python -m grading.commands.verify` (nox -s verify) on a subset of the course, and on a broken copy of it."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys

from grading.commands.verify import main as verify
from grading.judge.course import COURSE_DIR, module_name_for

ALTERNATIVES = COURSE_DIR / "tests" / "alternatives"


def _table(stdout: str) -> dict[tuple[str, str], list[str]]:
    """(exercise, what) -> [expected, got, ok], read by the columns of the printed header."""
    lines = stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("exercise "))
    starts = [lines[header].index(word) for word in ("exercise", "what", "expected", "got", "ok")]
    rows = {}
    for line in lines[header + 1:]:
        if not line.strip():
            break
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None])]
        rows[(cells[0], cells[1])] = cells[2:]
    return rows


def test_solutions_alternatives_starters_and_tests_of_01_02(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "grading.commands.verify", "01", "02"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    table = _table(proc.stdout)
    for ex in ("01-hello", "02-routing"):
        assert table[(ex, "solution")][0::2] == ["full marks", "✓"]
        assert table[(ex, "starter")][0::2] == ["not full", "✓"]
        styles = sorted(p.name for p in (ALTERNATIVES / ex).iterdir() if p.is_dir() and p.name[0] not in "._")
        assert styles
        for style in styles:
            assert table[(ex, f"alternative {style}")] == ["full marks", table[(ex, "solution")][1], "✓"]
        module = COURSE_DIR / "tests" / module_name_for(ex)
        tests = [n.name for n in ast.parse(module.read_text()).body if isinstance(n, ast.FunctionDef)
                 and n.name.startswith("test_")]
        for name in tests:
            assert table[(ex, name)] == ["pass", "pass", "✓"]
    assert not any(ex not in ("01-hello", "02-routing") for ex, _ in table)
    assert proc.stdout.rstrip().endswith(f"All {len(table)} expectations met.")


def _broken_course(tmp_path):
    """A course of 01-hello whose starter is solved, with a wrong alternative and a failing test."""
    course = tmp_path / "course"
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", course / "solutions" / "01-hello")
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", course / "exercises" / "01-hello")  # solved starter
    shutil.copy(COURSE_DIR / "exercises" / "01-hello" / "exercise.yaml", course / "exercises" / "01-hello")
    (course / "graders").mkdir()
    for name in ("pytest.ini", "test_01_hello.py"):
        shutil.copy(COURSE_DIR / "graders" / name, course / "graders" / name)
    alternatives = course / "tests" / "alternatives"
    shutil.copytree(ALTERNATIVES / "01-hello", alternatives / "01-hello")
    wrong = alternatives / "01-hello" / "wrong_greeting"
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", wrong)
    app = wrong / "app.py"
    app.write_text(app.read_text().replace("Hello, Flask!", "Hello, Django!"))
    (alternatives / "99-renamed" / "style").mkdir(parents=True)
    (course / "tests" / "test_01_hello.py").write_text(
        "def test_mutant_still_caught():\n    pass\n\n\ndef test_mutant_now_passes():\n    assert 1 == 2, 'lost nothing'\n"
    )
    return course


def test_every_kind_of_mismatch_is_reported_and_exits_1(tmp_path, capsys):
    code = verify([], course_dir=_broken_course(tmp_path))
    out = capsys.readouterr().out
    assert code == 1
    table = _table(out)
    assert table[("01-hello", "solution")][2] == "✓"
    assert table[("01-hello", "alternative factory")][2] == "✓"
    assert table[("01-hello", "starter")] == ["not full", "5/5", "✗"]
    assert table[("01-hello", "alternative wrong_greeting")][2] == "✗"
    assert table[("01-hello", "test_mutant_still_caught")] == ["pass", "pass", "✓"]
    assert table[("01-hello", "test_mutant_now_passes")] == ["pass", "fail", "✗"]
    assert table[("99-renamed", "tests/alternatives/99-renamed")][2] == "✗"
    assert "4 of " in out and "expectations not met" in out
    mismatches = out[out.index("Mismatches:"):]
    assert "index_says_hello" in mismatches  # the check the wrong alternative lost, with its message
    assert "lost nothing" in mismatches


def test_no_tests_skips_the_test_modules(tmp_path, capsys):
    code = verify(["01", "--no-tests"], course_dir=_broken_course(tmp_path))
    out = capsys.readouterr().out
    assert code == 1
    whats = {what for _, what in _table(out)}
    assert not any(w.startswith("test_") for w in whats)
    assert "99-renamed" not in out  # a selection reports only the chosen exercises


def test_unknown_exercise_is_a_usage_error(capsys):
    assert verify(["nope"]) == 2
    assert "unknown exercise" in capsys.readouterr().err
