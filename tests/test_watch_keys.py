"""`nox -s watch` a student can steer: the keys h, n, l, q and a number, without a terminal."""

import pytest

from grading.commands import watch
from grading.judge.course import COURSE_DIR, load_course
from grading.judge.results import CheckResult, ExerciseResult

EXERCISES = load_course(COURSE_DIR)


def result(exercise, full: bool) -> ExerciseResult:
    check = CheckResult("index_says_hello", 1.0 if full else 0.0, 1.0, "passed" if full else "failed",
                        None if full else "GET / returned 404, expected 200.")
    return ExerciseResult(exercise.id, exercise.title, "passed" if full else "failed", checks=[check])


@pytest.fixture
def watcher(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADING_CACHE_DIR", str(tmp_path / "cache"))
    results = {e.id: result(e, full=e.number < 3) for e in EXERCISES}
    one = watch.Watcher(EXERCISES, COURSE_DIR / "exercises", results, course_dir=COURSE_DIR)
    one.current = EXERCISES[0]
    return one


def test_n_watches_the_next_exercise_finished_or_not(watcher):
    assert watcher.on_key("n") == "show" and watcher.current.id == "02-routing"
    assert watcher.on_key("n") == "show" and watcher.current.id == "03-request-data"
    watcher.current = EXERCISES[-1]
    assert watcher.on_key("N") == "show" and watcher.current == EXERCISES[0], "after the last comes the first"


def test_l_lists_every_exercise_with_its_score_and_two_digits_pick_one(watcher, capsys):
    assert watcher.on_key("l") == "keep"
    listing = capsys.readouterr().out
    assert all(e.id in listing for e in EXERCISES)
    assert "✓ 01-hello" in listing and "1/1" in listing and "0/1" in listing and "<- watching" in listing
    assert watcher.on_key("0") == "keep" and watcher.current.id == "01-hello"
    assert watcher.on_key("5") == "show" and watcher.current.id == "05-templates"
    assert watcher.on_key("9") == "keep" and watcher.on_key("9") == "keep" and watcher.current.id == "05-templates"
    assert "There is no exercise 99" in capsys.readouterr().out


def test_h_shows_the_next_step_of_the_hint_of_the_watched_exercise(watcher, capsys):
    watcher.current = EXERCISES[2]
    watcher.results[watcher.current.id].checks[0].name = "search_echoes_any_query"
    steps = watcher.current.hint_steps("search_echoes_any_query")
    assert watcher.on_key("h") == "keep"
    out = " ".join(capsys.readouterr().out.split())
    assert f"Hint 2/{len(steps)}: {' '.join(steps[1].split())}" in out and "h again shows the next step" in out, out


def test_q_quits_and_other_keys_do_nothing(watcher):
    assert watcher.on_key("x") == "keep" and watcher.current == EXERCISES[0]
    assert watcher.on_key("q") == "quit"


def test_the_footer_shows_the_keys_when_there_is_a_keyboard(watcher):
    assert "h hint, n next exercise, l list of exercises, q quit" in watcher.footer(keys=True)
    assert "01-hello has full marks" in watcher.footer(keys=True), "a finished exercise can be watched"
    assert "Ctrl-C stops" in watcher.footer(keys=False) and "q quit" not in watcher.footer(keys=False)


def test_a_key_ends_the_wait_for_a_save(tmp_path):
    class Typed:
        shown = True

        def read(self, timeout):
            return "n"

    (tmp_path / "app.py").write_text("x = 1\n")
    before = watch.snapshot(tmp_path)
    assert watch.wait_for_a_save(tmp_path, before, 0.01, Typed()) == ("n", before)
    assert isinstance(watch.keyboard().__enter__(), watch.NoKeys), "tests have no terminal: no keys are read"
