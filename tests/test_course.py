"""The whole course: every solution, starter and alternative, and the metadata that ties them."""

from __future__ import annotations

import ast
import re
import shutil

import pytest
from conftest import ALTERNATIVES, EXERCISES, Graded

from grading.judge.course import COURSE_DIR
from grading.judge.worker import grade as run_grading

IDS = sorted(EXERCISES)
STYLES = sorted(
    (p.parent.name, p.name) for p in ALTERNATIVES.glob("*/*") if p.is_dir() and p.parent.name in EXERCISES
)


def _grade_all(tmp_path_factory, folder: str) -> dict[str, Graded]:
    root = tmp_path_factory.mktemp(folder)
    for ex in IDS:
        source = COURSE_DIR / folder / ex
        if source.is_dir():
            shutil.copytree(source, root / ex)
    results = run_grading([EXERCISES[i] for i in IDS], root)
    return {r.id: Graded(r) for r in results}


@pytest.fixture(scope="module")
def solutions(tmp_path_factory):
    return _grade_all(tmp_path_factory, "solutions")


@pytest.fixture(scope="module")
def starters(tmp_path_factory):
    return _grade_all(tmp_path_factory, "exercises")


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_gets_full_marks(solutions, exercise_id):
    result = solutions[exercise_id]
    assert result.full, result.explain()


@pytest.mark.parametrize("exercise_id", IDS)
def test_starter_is_well_below_full_marks(starters, exercise_id):
    result = starters[exercise_id]
    assert result.result.status in ("failed", "error"), result.explain()
    assert result.score <= result.result.max_score / 2, result.explain()


@pytest.mark.parametrize(("exercise_id", "style"), STYLES, ids=[f"{e}/{s}" for e, s in STYLES])
def test_alternative_solution_gets_full_marks(grade, exercise_id, style):
    result = grade.alternative(exercise_id, style)
    assert result.full, result.explain()


def _check_names(exercise_id: str) -> set[str]:
    tree = ast.parse(EXERCISES[exercise_id].grader.read_text(encoding="utf-8"))
    return {
        node.name.removeprefix("test_")
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        and not any("fixture" in ast.unparse(d) for d in node.decorator_list)  # e.g. test_config
    }


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_check_has_exactly_one_hint(exercise_id):
    checks = _check_names(exercise_id)
    hints = set(EXERCISES[exercise_id].hints)
    assert checks, f"graders/{EXERCISES[exercise_id].grader.name} has no checks"
    assert checks - hints == set(), "checks without a hint in exercise.yaml"
    assert hints - checks == set(), "hints in exercise.yaml for checks that do not exist"


@pytest.mark.parametrize("exercise_id", IDS)
def test_hints_by_cause_name_known_causes_after_the_checks_own(exercise_id):
    """A hint keyed by cause starts with the check's own steps (any:), then causes the expect helpers report."""
    from grading.judge.expect import CAUSES

    for check, hint in EXERCISES[exercise_id].hints.items():
        if isinstance(hint, dict):
            assert next(iter(hint)) == "any", f"{check}: the check's own steps (any:) come first"
            assert set(hint) - {"any"} <= set(CAUSES), f"{check}: unknown causes {set(hint) - {'any'} - set(CAUSES)}"
            assert all(isinstance(steps, list) and steps for steps in hint.values()), f"{check}: steps are a list"


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_is_complete(exercise_id):
    exercise = EXERCISES[exercise_id]
    assert (exercise.meta_dir / "README.md").is_file()
    assert (COURSE_DIR / "solutions" / exercise_id).is_dir()
    assert exercise.grader.is_file()
    assert exercise.idea, "exercise.yaml should say which Flask idea the exercise teaches"


def _pinned() -> set[str]:
    lock = (COURSE_DIR / "requirements" / "grading.txt").read_text(encoding="utf-8")
    return {m.group(1).lower().replace("_", "-") for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", lock, re.M)}


@pytest.mark.parametrize("exercise_id", IDS)
def test_requirements_are_pinned(exercise_id):
    pinned = _pinned()
    for requirement in EXERCISES[exercise_id].requirements:
        name = re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in pinned, f"{requirement} is not pinned in requirements/grading.txt: run `nox -s lock`"
