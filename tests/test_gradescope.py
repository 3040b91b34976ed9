"""The Gradescope autograder, unpacked into a folder laid out like Gradescope's and run for real."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest
from conftest import unpack_autograder

from grading.commands.gradescope import build
from grading.judge.course import COURSE_DIR, load_course

EXERCISE_IDS = [e.id for e in load_course(COURSE_DIR)]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return build(COURSE_DIR, tmp_path_factory.mktemp("dist") / "gradescope-autograder.zip")


@pytest.fixture
def autograder(tmp_path, bundle):
    """``/autograder`` in a temporary folder: source/ unpacked from the zip, run_autograder beside it."""
    return unpack_autograder(bundle, tmp_path / "autograder")


def run_autograder(root, cpus: set[int] | None = None) -> dict:
    """Run the bundle's ``run_autograder``, on the CPUs ``cpus`` only if given."""
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    proc = subprocess.run(
        [str(root / "run_autograder")], env=env, capture_output=True, text=True, timeout=600, preexec_fn=pin
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_zip_has_the_scripts_on_top_executable_and_pinned_requirements(bundle):
    with zipfile.ZipFile(bundle) as z:
        names = set(z.namelist())
        for script in ("setup.sh", "run_autograder"):
            assert stat.S_IMODE(z.getinfo(script).external_attr >> 16) & 0o111
        assert "requirements/grading.txt" in names
        assert {f"exercises/{i}/exercise.yaml" for i in EXERCISE_IDS} <= names
        assert "graders/test_01_hello.py" in names and "grading/judge/worker.py" in names
        assert not any("/solutions/" in n or n.startswith("solutions/") for n in names)


def test_solution_gets_full_marks_in_gradescopes_format(autograder):
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", autograder / "submission" / "01-hello")
    results = run_autograder(autograder)
    assert {"score", "execution_time", "output", "visibility", "tests"} <= set(results)
    hello = [t for t in results["tests"] if t["tags"] == ["01-hello"]]
    assert hello and all(t["score"] == t["max_score"] > 0 and t["status"] == "passed" for t in hello)
    for test in results["tests"]:
        assert {"name", "number", "score", "max_score", "status", "output", "visibility"} <= set(test)
        assert test["status"] in {"passed", "failed"}
    assert results["score"] == sum(t["score"] for t in results["tests"]) == sum(t["max_score"] for t in hello)


def test_starter_in_a_clone_is_graded_with_the_bundles_own_graders(autograder):
    """The submission's graders (here: edited to give free points) are ignored, and flagged."""
    clone = autograder / "submission"
    shutil.copytree(COURSE_DIR / "exercises" / "02-routing", clone / "exercises" / "02-routing")
    shutil.copytree(COURSE_DIR / "graders", clone / "graders", ignore=shutil.ignore_patterns("__pycache__"))
    (clone / "graders" / "test_02_routing.py").write_text("def test_free_points():\n    pass\n")
    results = run_autograder(autograder)
    routing = [t for t in results["tests"] if t["tags"] == ["02-routing"]]
    assert len(routing) > 1
    lost = [t for t in routing if t["status"] == "failed"]
    assert lost and all(t["score"] < t["max_score"] and "Hint: " in t["output"] for t in lost)
    assert "graders/test_02_routing.py" in results["output"]


def test_setup_checks_for_ensurepip_which_venv_needs(bundle):
    """`python3 -m venv --help` works without ensurepip; creating the venv with pip does not."""
    with zipfile.ZipFile(bundle) as z:
        setup = z.read("setup.sh").decode()
    assert "python3 -m ensurepip --version" in setup and "-m venv --help" not in setup


def test_zip_of_the_repository_folder_on_one_cpu_gets_full_marks(autograder, tmp_path):
    """GitHub's Download ZIP: every exercise one folder down. Graded with a single CPU allowed."""
    repo = tmp_path / "flask-exercises-main"
    shutil.copytree(COURSE_DIR / "solutions", repo / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(COURSE_DIR / "graders", repo / "graders", ignore=shutil.ignore_patterns("__pycache__"))
    archive = shutil.make_archive(str(tmp_path / "submission"), "zip", tmp_path, repo.name)
    with zipfile.ZipFile(archive) as z:
        z.extractall(autograder / "submission")
    results = run_autograder(autograder, cpus={0})
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) > 0, results["output"]
    assert {t["tags"][0] for t in results["tests"]} == set(EXERCISE_IDS)
    assert not list((autograder / "results").glob("*.tmp"))  # written whole, then moved into place


def test_missing_exercise_says_so_without_a_hint(autograder):
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", autograder / "submission" / "01-hello")
    results = run_autograder(autograder)
    routing = [t for t in results["tests"] if t["tags"] == ["02-routing"]]
    assert routing and all(t["score"] == 0 for t in routing)
    for test in routing:
        assert test["output"] == (
            "02-routing is not in your submission: upload the exercise folders or your whole repository."
        )


def test_an_exercise_folder_linking_elsewhere_is_not_graded(autograder, tmp_path):
    elsewhere = tmp_path / "someone-else" / "01-hello"
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", elsewhere)
    (autograder / "submission" / "01-hello").symlink_to(elsewhere, target_is_directory=True)
    results = run_autograder(autograder)
    hello = [t for t in results["tests"] if t["tags"] == ["01-hello"]]
    assert hello and all(t["score"] == 0 and "not in your submission" in t["output"] for t in hello)


def test_results_json_is_written_whatever_the_submission_holds(autograder):
    """A tree 1200 folders deep (in an exercise and in graders/), links forming a graph, a huge
    sparse file: results.json is still written, the exercise graded, what was left out said."""
    from grading.judge.walk import remove_tree
    from test_submissions import deep

    submission = autograder / "submission"
    hello = submission / "exercises" / "01-hello"
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", hello)
    try:
        deep(hello / "junk", 1200)
        deep(submission / "graders", 1200)
        for n in range(25):
            (hello / "graph" / f"n{n}").mkdir(parents=True)
            if n:
                for link in ("a", "b"):
                    (hello / "graph" / f"n{n - 1}" / link).symlink_to(f"../n{n}", target_is_directory=True)
        with open(hello / "huge.bin", "wb") as f:
            f.truncate(5 * 2**30)  # 5 GiB, sparse
        results = run_autograder(autograder)
    finally:
        remove_tree(submission)  # pytest's own clean-up would recurse
    tests = [t for t in results["tests"] if t["tags"] == ["01-hello"]]
    assert tests and all(t["status"] == "passed" for t in tests)
    assert "folders more than 40 deep were left out" in results["output"]
    assert "files over 20 MiB were left out" in results["output"]
    assert "graders/..." in results["output"]
