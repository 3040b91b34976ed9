"""What other tools read, from one real grading run: Classroom's outputs, the job summary, JUnit XML.

The tree graded holds a full-marks 01-hello, the starter of 02-routing and no 03-request-data,
so every status appears once.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from conftest import grading_command

from grading.judge.course import COURSE_DIR
from grading.outputs.classroom import runner_id

GRADED = ("01-hello", "02-routing", "03-request-data")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """``python -m grading`` as GitHub Actions runs it: GITHUB_OUTPUT and GITHUB_STEP_SUMMARY set."""
    work = tmp_path_factory.mktemp("reports")
    root = work / "student"
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", root / "01-hello")
    shutil.copytree(COURSE_DIR / "exercises" / "02-routing", root / "02-routing")
    env = {"GITHUB_OUTPUT": str(work / "output"), "GITHUB_STEP_SUMMARY": str(work / "summary.md")}
    done = grading_command(root, *GRADED, "--junit", str(work / "junit.xml"), workdir=work, env=env)
    assert done.report is not None, done.err
    done.files = work
    return done


@pytest.fixture(scope="module")
def outputs(run) -> dict[str, dict]:
    """Each step output written to $GITHUB_OUTPUT, base64-decoded."""
    lines = (run.files / "output").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1) for line in lines]
    return {name: json.loads(base64.b64decode(value, validate=True)) for name, value in pairs}


def test_one_output_per_exercise_named_as_a_valid_runner_id(outputs):
    """Runner ids name env vars, and the reporter's own check of its input allows letters and digits only."""
    assert list(outputs) == ["ex01hello", "ex02routing", "ex03requestdata"]
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name) for name in outputs)


def test_outputs_have_the_reporters_format(outputs):
    for results in outputs.values():
        assert set(results) == {"version", "status", "max_score", "tests"}
        assert results["version"] == 1
        assert results["status"] in {"pass", "fail", "error"}
        for test in results["tests"]:
            assert {"name", "status", "score", "message"} <= set(test)
            assert test["status"] in {"pass", "fail", "error"}
            assert isinstance(test["score"], (int, float)) and isinstance(test["message"], str)


def test_every_check_is_its_own_test_with_the_points_it_earned(run, outputs):
    for exercise in run.report["exercises"]:
        results = outputs[runner_id(exercise["id"])]
        assert [t["score"] for t in results["tests"]] == [c["points"] for c in exercise["checks"]]
        assert results["max_score"] == exercise["max_score"]


def test_classroom_grade_is_the_report_total(run, outputs):
    """Classroom's grade: the sum of test scores over the sum of every runner's max_score."""
    earned = sum(t["score"] for r in outputs.values() for t in r["tests"])
    assert earned == run.report["score"] > 0
    assert sum(r["max_score"] for r in outputs.values()) == run.report["max_score"]


def test_statuses_say_passed_failed_and_missing(outputs):
    assert outputs["ex01hello"]["status"] == "pass"
    assert outputs["ex02routing"]["status"] == "fail"
    assert outputs["ex03requestdata"]["status"] == "fail"
    assert {t["score"] for t in outputs["ex03requestdata"]["tests"]} == {0}


def test_failed_test_message_carries_the_hint(outputs):
    failed = [t for t in outputs["ex02routing"]["tests"] if t["status"] != "pass"]
    assert failed and all("Hint: " in t["message"] for t in failed)


def test_step_summary_is_a_markdown_table_of_scores(run):
    summary = (run.files / "summary.md").read_text(encoding="utf-8")
    rows = [line for line in summary.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| Exercise | Score |")
    for exercise in run.report["exercises"]:
        row = next(r for r in rows if r.startswith(f"| {exercise['id']}: "))
        assert f"| {exercise['score']:g}/{exercise['max_score']:g} |" in row
    assert f"**{run.report['score']:g}/{run.report['max_score']:g}**" in rows[-1]


def test_junit_has_a_testcase_per_check_and_a_failure_per_lost_one(run):
    suites = ET.parse(run.files / "junit.xml").getroot()
    assert suites.tag == "testsuites"
    for exercise in run.report["exercises"]:
        suite = suites.find(f"testsuite[@name='{exercise['id']}']")
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == [c["name"] for c in exercise["checks"]]
        for case, check in zip(cases, exercise["checks"]):
            lost = case.find("failure") if case.find("failure") is not None else case.find("error")
            assert (lost is None) == (check["status"] == "passed")
            points = case.find("properties/property[@name='points']").get("value")
            assert float(points) == check["points"]
        failures = sum(c["status"] == "failed" for c in exercise["checks"])
        assert int(suite.get("failures")) == failures


def test_a_check_not_run_is_zero_points_and_one_line_of_why_in_every_output():
    from grading.judge.results import CheckResult, ExerciseResult
    from grading.outputs.classroom import reporter_results
    from grading.outputs.gradescope import results_json
    from grading.outputs.junit import junit_tree

    cause = "create_app() raised RuntimeError: boom (app.py, line 3, in create_app)."
    checks = [
        CheckResult("first", 0.0, 2.0, "failed", cause, hint="Is the factory finished?"),
        CheckResult("second", 0.0, 1.0, "not_run", f"Not run: {cause}"),
    ]
    result = ExerciseResult("09-database", "DB", "failed", checks=checks)
    [_, classroom] = reporter_results(result)["tests"]
    assert classroom["status"] == "fail" and classroom["score"] == 0 and classroom["message"] == f"Not run: {cause}"
    [_, gradescope] = results_json([result], 1.0)["tests"]
    assert gradescope["score"] == 0 and gradescope["status"] == "failed" and gradescope["output"] == f"Not run: {cause}"
    suite = junit_tree([result]).getroot().find("testsuite")
    assert suite.get("skipped") == "1" and suite.get("failures") == "1"
    skipped = suite.find("testcase[@name='second']/skipped")
    assert skipped is not None and skipped.get("message") == f"Not run: {cause}"


def test_check_names_are_the_whole_first_paragraph_of_the_docstring(tmp_path):
    """A docstring's sentence that runs over two lines is named whole, in every output."""
    from grading.judge.course import COURSE_DIR, load_course
    from grading.judge.worker import grade
    from grading.outputs.classroom import reporter_results
    from grading.outputs.gradescope import results_json
    from grading.outputs.report import Painter, render_exercise

    [debug_config] = [e for e in load_course(COURSE_DIR) if e.id == "06-debug-config"]
    [result] = grade([debug_config], tmp_path)  # no folder: every check planned, none run
    whole = ('create_app("development") has debug on and reloads templates when they change, by its own '
             "setting (TEMPLATES_AUTO_RELOAD), not only because debug is on: also with FLASK_DEBUG=0.")
    check = next(c for c in result.checks if c.name == "development_has_debug_and_template_reloading")
    assert check.doc == whole
    assert f"06-debug-config: {whole}" in [t["name"] for t in reporter_results(result)["tests"]]
    assert f"06-debug-config: {whole}" in [t["name"] for t in results_json([result], 1.0)["tests"]]
    result.status = "failed"  # shown as a failed exercise, the check's name is wrapped, never cut
    assert whole in " ".join(render_exercise(result, Painter(False), columns=200).split())
