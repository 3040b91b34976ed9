"""The 15-testing grader: a suite scores by the broken apps it catches, never by the app it ships.

Also tests grading/judge/suites.py directly (time limits, crashes, isolation), with tiny suites, in
sandboxes like the grader's.
"""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grading.judge import sandboxes
from grading.judge.course import COURSE_DIR
from grading.judge.remote import Session
from grading.judge.suites import run_suites
from grading.sandbox.suite import run_here

EXERCISE = "15-testing"
DATA = COURSE_DIR / "graders" / "data" / EXERCISE
VARIANTS = set(yaml.safe_load((DATA / "variants.yaml").read_text(encoding="utf-8")))
ALL_CHECKS = {f"catches_{name}" for name in VARIANTS}
GIVEN = (DATA / "app.py").read_text(encoding="utf-8")


def grade_suite(grade, tmp_path, files: dict[str, str]):
    """Grade an exercise folder holding only the given files (e.g. tests/test_app.py)."""
    folder = tmp_path / "suite"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return grade.folder(EXERCISE, folder)


# -- the course's own files ---------------------------------------------------------------


def test_the_grader_keeps_a_pristine_copy_of_the_given_app():
    given = DATA / "app.py"
    assert filecmp.cmp(given, COURSE_DIR / "exercises" / EXERCISE / "app.py", shallow=False)
    assert filecmp.cmp(given, COURSE_DIR / "solutions" / EXERCISE / "app.py", shallow=False)


def test_every_variant_has_its_check_and_hint():
    grader = (COURSE_DIR / "graders" / "test_15_testing.py").read_text(encoding="utf-8")
    hints = yaml.safe_load((COURSE_DIR / "exercises" / EXERCISE / "exercise.yaml").read_text())["hints"]
    assert set(hints) == ALL_CHECKS
    for name in VARIANTS:
        assert f'def test_catches_{name}(runs):\n    """' in grader
        assert f'expect_caught(runs, "{name}")' in grader


# -- correct suites -----------------------------------------------------------------------


def test_reference_suite_gets_full_marks(grade):
    result = grade.solution(EXERCISE)
    assert result.full, result.explain()
    assert result.score == len(VARIANTS)


def test_starter_runs_no_test_and_scores_zero(grade):
    result = grade.starter(EXERCISE)
    assert result.score == 0
    assert result.lost == ALL_CHECKS
    assert "no test ran" in result.check("catches_create_answering_200").message
    assert result.check("catches_create_answering_200").hint.startswith("Does any test look at the status code")


@pytest.mark.parametrize("style", ["classes", "conftest_fixtures", "unittest_style", "hypothesis"])
def test_suites_in_other_styles_get_full_marks(grade, style):
    result = grade.alternative(EXERCISE, style)
    assert result.full, result.explain()


# -- wrong suites -------------------------------------------------------------------------


def test_suite_that_asserts_nothing_scores_zero(grade, tmp_path):
    result = grade_suite(grade, tmp_path, {"tests/test_app.py": (
        "from app import create_app\n\n\n"
        "def test_every_request():\n"
        "    client = create_app({'TESTING': True}).test_client()\n"
        "    client.post('/notes', json={'text': ' x '})\n"
        "    client.post('/notes', json={'text': 42})\n"
        "    client.get('/notes/1'), client.get('/notes/9'), client.get('/notes?q=X')\n"
        "    client.delete('/notes/1'), client.delete('/notes/1')\n"
    )})
    assert result.score == 0
    assert result.lost == ALL_CHECKS
    message = result.check("catches_create_answering_200").message
    assert message.startswith("Every test passed on an app where POST /notes answers 200 instead of 201"), message


def test_suite_failing_on_the_given_app_scores_zero_and_names_the_test(grade):
    result = grade.mutant(EXERCISE, {"tests/test_app.py": [("    assert [add(client, text)[\"id\"] for text in (\"a\", \"b\", \"c\")] == [1, 2, 3]",
                                                           "    assert [add(client, text)[\"id\"] for text in (\"a\", \"b\", \"c\")] == [0, 1, 2]")]})
    assert result.score == 0
    assert result.lost == ALL_CHECKS
    message = result.check("catches_newest_first").message
    assert "given app" in message
    assert "tests/test_app.py::test_ids_start_at_1_and_count_up failed" in message
    assert "[1, 2, 3] == [0, 1, 2]" in message
    said = result.check("catches_create_answering_200")
    assert said.cause == "suite" and said.hint.startswith("A test of yours fails on a correct app"), said.hint
    statuses = [c.status for c in result.result.checks]  # the cause once, the other checks not run
    assert statuses.count("not_run") == len(statuses) - 1 and statuses[0] == "failed", result.explain()
    assert all(c.message.startswith("Not run: Not counted") and c.hint is None
               for c in result.result.checks if c.status == "not_run"), result.explain()


def test_suite_testing_how_app_py_is_written_fails_on_the_rewrite(grade):
    extra = (
        "\n\ndef test_view_names():\n"
        "    assert 'create_note' in create_app().view_functions\n"
    )
    result = grade.mutant(EXERCISE, {"tests/test_app.py": [("import pytest\n", "import pytest\n" + extra)]})
    assert result.score == 0
    message = result.check("catches_store_shared_between_apps").message
    assert "a rewrite of the given app" in message
    assert "test_view_names failed" in message
    assert "Test what the app answers, through its test client" in message


SUITE_USING_A_CONSTANT = (
    "from app import MAX_LENGTH, create_app\n\n\n"
    "def test_longest_text_is_kept():\n"
    "    client = create_app({'TESTING': True}).test_client()\n"
    "    assert client.post('/notes', json={'text': 'x' * MAX_LENGTH}).status_code == 201\n\n\n"
    "def test_longer_text_is_400():\n"
    "    client = create_app({'TESTING': True}).test_client()\n"
    "    assert client.post('/notes', json={'text': 'x' * (MAX_LENGTH + 1)}).status_code == 400\n"
)


def assert_told_to_test_through_the_client(message: str) -> None:
    assert message.startswith("Not counted: your tests must all pass on a rewrite of the given app (same behaviour, "
                              "different code), but tests/test_app.py could not be collected: "), message
    assert "cannot import name 'MAX_LENGTH' from 'app'" in message, message
    assert ("Your tests use MAX_LENGTH from app.py, which the rewrite does not have: import only create_app. "
            "Test what the app answers, through its test client (create_app().test_client()), not how app.py "
            "is written.") in message, message


def test_suite_importing_a_constant_of_app_py_scores_zero_and_is_told_to_use_the_client(grade, tmp_path):
    result = grade_suite(grade, tmp_path, {"tests/test_app.py": SUITE_USING_A_CONSTANT})
    assert result.score == 0 and result.lost == ALL_CHECKS, result.explain()
    assert_told_to_test_through_the_client(result.check("catches_create_answering_200").message)
    assert result.check("catches_create_answering_200").hint.startswith("A test of yours fails on a correct app")


def test_suite_importing_a_constant_of_app_py_scores_zero_in_the_students_template_too(tmp_path):
    """Without private/ (the students' template), the public rewrite gives the same grade and message."""
    template = tmp_path / "template"
    built = subprocess.run([sys.executable, "-m", "grading.commands.template", str(template)], cwd=COURSE_DIR,
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert not (template / "graders" / "data" / EXERCISE / "private").exists()
    write_suite(tmp_path / "work" / EXERCISE, {"tests/test_app.py": SUITE_USING_A_CONSTANT})
    report = tmp_path / "report.json"
    subprocess.run([sys.executable, "-m", "grading", "--no-cache", "--root", str(tmp_path / "work"), EXERCISE,
                    "--json", str(report)], cwd=template, capture_output=True, text=True, timeout=300)
    [graded] = json.loads(report.read_text(encoding="utf-8"))["exercises"]
    assert graded["score"] == 0, graded
    assert_told_to_test_through_the_client(graded["checks"][0]["message"])


def test_the_public_rewrite_is_another_app_than_the_given_and_the_held_back_one():
    public = (DATA / "equivalent.py").read_text(encoding="utf-8")
    assert public not in (GIVEN, (DATA / "private" / "rewrite.py").read_text(encoding="utf-8"))
    assert "MAX_LENGTH" not in public and "def create_app(test_config=None):" in public


def public_variant_sources() -> list[str]:
    """Every broken app a student can build from the public graders/data/15-testing/."""
    variants = yaml.safe_load((DATA / "variants.yaml").read_text(encoding="utf-8"))
    sources = []
    for variant in variants.values():
        source = GIVEN
        for old, new in variant["edits"]:
            source = source.replace(old, new, 1)
        sources.append(source)
    return sources


def test_suite_that_recognizes_the_public_variants_by_their_source_scores_zero(grade, tmp_path):
    """It catches every public broken app without testing anything; the held-back ones (private/,
    not in the students' template) are broken in code it has never seen, so it catches none."""
    known = public_variant_sources()
    assert len(set(known)) == len(VARIANTS)
    result = grade_suite(grade, tmp_path, {"tests/test_app.py": (
        "import pathlib\n\nimport app\n\n"
        f"KNOWN_BROKEN = {known!r}\n\n\n"
        "def test_not_a_known_broken_app():\n"
        "    assert pathlib.Path(app.__file__).read_text(encoding='utf-8') not in KNOWN_BROKEN\n"
    )})
    assert result.score == 0, result.explain()
    assert result.lost == ALL_CHECKS
    for name in ALL_CHECKS:
        assert result.check(name).message.startswith("Every test passed on an app where"), name  # no count


def test_every_check_has_a_held_back_variant_of_the_rewrite():
    held_back = yaml.safe_load((DATA / "private" / "variants.yaml").read_text(encoding="utf-8"))
    assert set(held_back) == VARIANTS
    rewrite = (DATA / "private" / "rewrite.py").read_text(encoding="utf-8")
    for name, variant in held_back.items():
        source = rewrite
        for old, new in variant["edits"]:
            assert old in source, (name, old)
            source = source.replace(old, new, 1)
        compile(source, f"{name}.py", "exec")


def test_suite_that_cannot_be_imported_scores_zero(grade, tmp_path):
    result = grade_suite(grade, tmp_path, {"tests/test_app.py": "from app import make_app\n\ndef test_x():\n    assert make_app\n"})
    assert result.score == 0
    message = result.check("catches_ids_starting_at_0").message
    assert "tests/test_app.py could not be collected" in message and "make_app" in message


def test_suite_without_the_case_test_loses_only_the_case_check(grade):
    result = grade.mutant(EXERCISE, {"tests/test_app.py": [("def test_search_ignores_case(", "def search_ignores_case(")]})
    assert result.lost == {"catches_search_case_sensitive"}, result.explain()
    message = result.check("catches_search_case_sensitive").message
    assert "matches case-sensitively" in message and "expected at least one test to fail" in message


def test_suite_without_boundary_test_loses_the_off_by_one_check_whatever_app_py_does(grade):
    """The student's app.py is never tested: breaking it changes nothing, only the suite counts."""
    result = grade.mutant(EXERCISE, {
        "tests/test_app.py": [("def test_200_characters_is_not_too_long(", "def _200_characters(")],
        "app.py": [("}, 201", "}, 200"), ("next_id = count(1)", "next_id = count(5)")],
    })
    assert result.lost == {"catches_text_of_200_refused"}, result.explain()


def test_suite_that_never_checks_the_400_of_bad_text_loses_only_that_check(grade):
    # Refusing a bad text is not enough: the README promises 400, and 422 is another answer.
    weaker = ("    assert response.status_code == 400\n", "    assert response.status_code != 201\n")
    result = grade.mutant(EXERCISE, {"tests/test_app.py": [weaker, weaker]})
    assert result.lost == {"catches_bad_text_not_400"}, result.explain()
    assert "with 422 instead of 400" in result.check("catches_bad_text_not_400").message


def test_suite_that_never_checks_the_error_key_of_bad_text_loses_only_that_check(grade):
    no_key = ('    assert response.status_code == 400\n    assert "error" in response.get_json()\n',
              "    assert response.status_code == 400\n")
    result = grade.mutant(EXERCISE, {"tests/test_app.py": [no_key, no_key]})
    assert result.lost == {"catches_bad_text_without_error_key"}, result.explain()


def test_suite_that_never_checks_the_204_of_delete_loses_only_that_check(grade):
    result = grade.mutant(EXERCISE, {"tests/test_app.py": [
        ('    response = client.delete("/notes/1")\n    assert response.status_code == 204\n',
         '    response = client.delete("/notes/1")\n'),
    ]})
    assert result.lost == {"catches_delete_answering_200"}, result.explain()


def test_suite_that_never_checks_the_error_key_of_an_unknown_delete_loses_only_that_check(grade):
    result = grade.mutant(EXERCISE, {"tests/test_app.py": [
        ('    response = client.delete("/notes/1")\n    assert response.status_code == 404\n    assert "error" in response.get_json()\n',
         '    response = client.delete("/notes/1")\n    assert response.status_code == 404\n'),
    ]})
    assert result.lost == {"catches_unknown_delete_not_json"}, result.explain()


def test_suite_sharing_one_app_misses_the_shared_store(grade, tmp_path):
    """Tests that all use one app never see a second one: each check counts on its own."""
    result = grade_suite(grade, tmp_path, {"tests/test_app.py": (
        "import pytest\nfrom app import create_app\n\n"
        "client = create_app({'TESTING': True}).test_client()\n\n\n"
        "@pytest.mark.parametrize('body', [{'text': 42}, {'text': '   '}, {'text': 'x' * 201}])\n"
        "def test_bad_text_is_400(body):\n"
        "    response = client.post('/notes', json=body)\n"
        "    assert response.status_code == 400\n"
        "    assert 'error' in response.get_json()\n\n\n"
        "def test_new_note_is_listed():\n"
        "    response = client.post('/notes', json={'text': 'Buy milk'})\n"
        "    assert response.status_code == 201\n"
        "    assert response.get_json() in client.get('/notes').get_json()\n"
    )})
    caught = {"create_answering_200", "non_string_text_accepted", "blank_text_accepted", "long_text_accepted",
              "bad_text_not_400", "bad_text_without_error_key"}
    assert result.lost == ALL_CHECKS - {f"catches_{name}" for name in caught}, result.explain()


# -- grading/judge/suites.py --------------------------------------------------------------------


@pytest.fixture
def open_session():
    """``open_session(folder)``: a sandbox on a folder, as the plugin's fixture of that name gives graders."""
    own = sandboxes._current is None
    zygote = sandboxes.current(COURSE_DIR)
    opened = []

    def open_(folder):
        if zygote is None:
            start = lambda: sandboxes.SpawnedSandbox(str(folder), COURSE_DIR)  # noqa: E731
        else:
            start = lambda: zygote.sandbox(str(folder), private=[str(DATA.parent)])  # noqa: E731
        opened.append(Session(start, Path(folder)))
        return opened[-1]

    yield open_
    for session in opened:
        session.close()
    if own:
        sandboxes.stop()


def write_suite(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_run_suites_uses_the_graders_app_and_a_clean_env(tmp_path, monkeypatch, open_session):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.setenv("PYTEST_ADDOPTS", "--collect-only")
    student = write_suite(tmp_path, {
        "app.py": "WHO = 'student root'\n",
        "tests/app.py": "WHO = 'student tests'\n",
        "tests/test_x.py": (
            "import os\nfrom app import WHO\n\n"
            "def test_app_is_the_graders():\n    assert WHO == 'grader'\n\n"
            "def test_env_is_clean():\n    assert 'FLASK_DEBUG' not in os.environ\n\n"
            "def test_writes_land_in_the_copy():\n"
            "    open('app.py', 'w').write('WHO = 1')\n"
        ),
    })
    runs = run_suites(open_session, student, probe=run_here, apps={"one": "WHO = 'grader'\n", "two": "WHO = 'grader'\n"}, gate=["one"], time_limit=30)
    assert runs["one"].clean, runs["one"].problem()
    assert runs["two"].clean, runs["two"].problem()
    assert len(runs["two"].passed) == 3
    assert (student / "app.py").read_text() == "WHO = 'student root'\n"


def test_run_suites_skips_the_rest_when_the_gate_fails(tmp_path, open_session):
    student = write_suite(tmp_path, {"tests/test_x.py": "from app import OK\n\ndef test_ok():\n    assert OK\n"})
    runs = run_suites(open_session, student, probe=run_here, apps={"good": "OK = False\n", "other": "OK = True\n"}, gate=["good"])
    assert runs["good"].caught and not runs["good"].clean
    assert runs["good"].problem().startswith("tests/test_x.py::test_ok failed: assert False")
    assert runs["other"].status == "skipped"


def test_run_suites_limits_time_and_survives_crashes(tmp_path, open_session):
    student = write_suite(tmp_path, {"tests/test_x.py": (
        "import os, time\nfrom app import MODE\n\n"
        "def test_mode():\n"
        "    if MODE == 'sleep':\n"
        "        try:\n            time.sleep(60)\n"
        "        except BaseException:  # pytest-timeout's failure, ignored\n            time.sleep(60)\n"
        "    if MODE == 'exit':\n        os._exit(3)\n"
        "    if MODE == 'slow_test':\n        time.sleep(5)\n"
    )})
    apps = {name: f"MODE = {name!r}\n" for name in ("ok", "sleep", "exit", "slow_test")}
    runs = run_suites(open_session, student, probe=run_here, apps=apps, time_limit=30, run_timeout=1.5, test_timeout=0.5)
    assert runs["ok"].clean
    assert runs["sleep"].status == "timeout" and "after 1.5 s" in runs["sleep"].problem()
    assert runs["exit"].status == "crashed" and "os._exit" in runs["exit"].problem()
    assert runs["slow_test"].caught and "Timeout" in runs["slow_test"].problem()
    assert all(run.seconds < 4 for run in runs.values())


def test_run_suites_runs_hypothesis_tests_with_function_scoped_fixtures(tmp_path, open_session):
    """@given with a pytest fixture and st.text() works, deterministically, without deadline."""
    student = write_suite(tmp_path, {"tests/test_x.py": (
        "import time\nimport pytest\nfrom hypothesis import given, strategies as st\nfrom app import shout\n\n"
        "@pytest.fixture\ndef suffix():\n    return '!'\n\n"
        "@given(text=st.text())\n"
        "def test_shout(suffix, text):\n"
        "    time.sleep(0.002)\n"
        "    assert shout(text, suffix) == text.upper() + suffix\n"
    )})
    apps = {"right": "def shout(t, s):\n    return t.upper() + s\n", "wrong": "def shout(t, s):\n    return t + s\n"}
    runs = run_suites(open_session, student, probe=run_here, apps=apps, time_limit=30)
    assert runs["right"].clean, runs["right"].problem()
    assert runs["wrong"].caught


def test_a_private_apps_source_never_reaches_the_student_through_test_ids_or_messages(tmp_path, open_session):
    """Test ids made of the app's source (parametrize), and a failure message quoting it: on a public
    app they are shown, capped; on a private one neither the ids, the messages nor the count of tests."""
    student = write_suite(tmp_path, {"tests/test_x.py": (
        "import pathlib\n\nimport app\nimport pytest\n\n"
        "SOURCE = pathlib.Path(app.__file__).read_text()\n\n"
        "@pytest.mark.parametrize('line', SOURCE.splitlines())\n"
        "def test_line(line):\n    assert 'public' in SOURCE, SOURCE\n\n"
        "def test_fails_quoting_the_source():\n    assert 'public' in SOURCE, SOURCE * 100\n"
    )})
    secret = "SECRET_HELD_BACK = 'rewrite, line by line'"
    apps = {"given": "public = True\n", "held-back": f"{secret}\n" + "x = 1\n" * 50}
    runs = run_suites(open_session, student, probe=run_here, apps=apps, private=["held-back"], time_limit=60)
    assert runs["given"].clean
    said = runs["held-back"].problem()
    assert runs["held-back"].caught and "SECRET" not in said and "x = 1" not in said
    assert said == "a test (its id is not shown for this app) #1 failed: its output is not shown: this app's code is kept from students"
    assert len(runs["held-back"].tests) <= 2  # one per outcome: the number of tests tells nothing either
    assert all(len(nodeid) <= 160 for nodeid in runs["given"].tests)


def test_a_run_claim_is_capped():
    """A sandbox's claim with a megabyte id and message is cut to what a student may read."""
    from grading.judge.suites import SuiteRun

    claim = {"status": "done", "exit_code": 1, "tests": [{"nodeid": "t" * 10**6, "outcome": "failed", "message": "m" * 10**6}]}
    run = SuiteRun.from_claim("given", claim, 1.0)
    assert len(run.problem()) < 600
