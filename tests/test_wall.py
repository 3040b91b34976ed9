"""The wall, default-deny: what a sandbox can see, write and keep, at every level this machine offers.

Each test starts a real zygote and a sandbox on a small "submission" whose ``probe.py`` reports
what it finds, called through the same wire the graders use. At ``user``, ``namespaces`` and
``uid`` the sandbox sees only the allow-list (the system's libraries, Python, the engine and the
graders, read-only; its own copy and temporary folder, writable); nothing it writes outside them
is there for the next sandbox. ``namespaces`` is also tried as a normal user (one made for the
test), which is what a Linux desktop gives. Controls beside each: the same probe run outside any
sandbox finds what the sandbox must not, so a broken probe cannot pass for a wall.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grading.judge import sandboxes
from grading.judge.course import COURSE_DIR
from grading.sandbox.confine import DEVICES, landlock_abi

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the walls are Linux's")

PROBE = textwrap.dedent('''
    import json, os, tempfile

    def look(secret, marker):
        """What this process can reach: each answer is True when it got through."""
        found = {}
        def tried(name, action):
            try:
                action()
                found[name] = True
            except OSError:
                found[name] = False
        tried("read_secret", lambda: open(secret).read())
        tried("list_secret_folder", lambda: os.listdir(os.path.dirname(secret)))
        tried("list_course_solutions", lambda: os.listdir(os.path.join(COURSE, "solutions")))
        for shared in ("/dev/shm", "/var/tmp", "/run/lock", "/tmp"):
            path = os.path.join(shared, marker)
            tried("saw_earlier:" + shared, lambda: open(path).read())
            tried("wrote:" + shared, lambda: open(path, "w").write("remember me"))
        tried("write_own_copy", lambda: open(os.path.join(os.path.dirname(__file__), "mine.txt"), "w").write("ok"))
        try:
            found["root"] = sorted(os.listdir("/"))
        except OSError:  # the uid level (Landlock) does not even list it
            found["root"] = None
        try:
            with open("/proc/self/mountinfo") as f:  # each mount's own options: ro or rw
                found["writable_mounts"] = sorted(l.split()[4] for l in f if "rw" in l.split()[5].split(","))
        except OSError:
            found["writable_mounts"] = None
        found["own"] = [os.path.dirname(os.path.realpath(__file__)), os.path.realpath(tempfile.gettempdir())]
        return found
''')


def levels_here() -> list[str]:
    found = []
    if os.geteuid() == 0:
        found += ["user", "namespaces"]
        if landlock_abi() >= 1:
            found.append("uid")
    return found


@pytest.fixture
def secret(tmp_path_factory):
    """A file of the instructor's in a private (0700) folder outside the course and /tmp, like /media/x."""
    folder = Path("/media" if os.access("/media", os.W_OK) else tmp_path_factory.mktemp("home")) / "instructor-private"
    folder.mkdir(mode=0o700, exist_ok=True)
    (folder / "grades.txt").write_text("the answer key")
    yield folder / "grades.txt"
    shutil.rmtree(folder, ignore_errors=True)


def sandboxed_look(level: str, tmp_path: Path, secret: Path, marker: str, env: dict | None = None) -> dict:
    """Run probe.look in a fresh sandbox of ``level``, through a zygote, as a grading run does."""
    copy = tmp_path / f"copy-{level}-{len(list(tmp_path.iterdir()))}"
    copy.mkdir()
    (copy / "probe.py").write_text(f"COURSE = {str(COURSE_DIR)!r}\n" + PROBE)
    os.environ["GRADING_ISOLATION"] = level
    zygote = sandboxes.Zygote(COURSE_DIR, [])
    try:
        sandbox = zygote.sandbox(str(copy))
        assert sandbox.level == level, f"asked for {level}, got {sandbox.level}"
        reply = sandbox.ask("call", spec="probe:look", args=[str(secret), marker], kwargs={})
        sandbox.close()
    finally:
        zygote.close()
        os.environ.pop("GRADING_ISOLATION", None)
    assert "ok" in reply, reply
    return reply["ok"]["value"]


@pytest.mark.parametrize("level", levels_here())
def test_a_sandbox_sees_only_the_allow_list_and_keeps_nothing(level, tmp_path, secret):
    """Nothing outside the allow-list can be read, and nothing written is there for the next sandbox."""
    marker = f"wall-{level}-{os.getpid()}"
    first = sandboxed_look(level, tmp_path, secret, marker)
    second = sandboxed_look(level, tmp_path, secret, marker)
    for found in (first, second):
        assert found["write_own_copy"] is True  # the honest control: the wall lets a correct app work
        assert found["read_secret"] is False and found["list_secret_folder"] is False
        assert found["list_course_solutions"] is False
    assert not any(v for k, v in second.items() if k.startswith("saw_earlier:")), second
    if first["root"] is not None:
        assert set(first["root"]) <= {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "dev",
                                      "proc", "tmp", *(p.strip("/").split("/")[0] for p in (sys.prefix, sys.base_prefix, str(COURSE_DIR)))}
    for shared in ("/dev/shm", "/var/tmp", "/run/lock", "/tmp"):
        assert not (Path(shared) / marker).exists(), f"a sandbox left {shared}/{marker} on the machine"


@pytest.mark.parametrize("level", [level for level in levels_here() if level != "uid"])
def test_in_its_own_root_only_its_own_folders_are_mounted_writable(level, tmp_path, secret):
    """The kernel's wall, not only the audit hook's: every mount of the sandbox's root is read-only
    but its copy, its temporary folder, its /dev/shm, its /proc and the devices."""
    found = sandboxed_look(level, tmp_path, secret, f"mounts-{level}-{os.getpid()}")
    assert set(found["own"]) <= set(found["writable_mounts"])  # the control: the copy and scratch are
    assert set(found["writable_mounts"]) <= {*found["own"], "/dev/shm", "/proc", *(f"/dev/{d}" for d in DEVICES)}


def test_the_probe_finds_what_the_wall_hides_when_there_is_no_wall(secret):
    """Control: without a sandbox the same probe reads the secret and the solutions."""
    namespace: dict = {"COURSE": str(COURSE_DIR), "__file__": str(secret)}
    exec(PROBE, namespace)  # noqa: S102 - our own probe, run here on purpose
    found = namespace["look"](str(secret), f"control-{os.getpid()}")
    assert found["read_secret"] is True and found["list_course_solutions"] is True
    for shared in ("/dev/shm", "/var/tmp", "/tmp"):
        (Path(shared) / f"control-{os.getpid()}").unlink(missing_ok=True)


@pytest.fixture
def normal_user():
    """A user of its own for the test (a Linux desktop's instructor), made with useradd."""
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("making a user needs root and useradd")
    name = "wall-test"
    subprocess.run(["useradd", "--no-create-home", name], capture_output=True)
    yield pwd.getpwnam(name)
    subprocess.run(["userdel", name], capture_output=True)


def test_namespaces_as_a_normal_user_see_only_the_allow_list(normal_user, tmp_path, secret):
    """As a normal user with user namespaces: the wall holds, and the user's own private files are not seen."""
    os.chown(secret.parent, normal_user.pw_uid, normal_user.pw_gid)
    os.chown(secret, normal_user.pw_uid, normal_user.pw_gid)
    work = tmp_path / "as-user"
    work.mkdir()
    os.chown(work, normal_user.pw_uid, normal_user.pw_gid)
    os.chmod(tmp_path, 0o755)
    script = textwrap.dedent(f'''
        import json, os, sys
        sys.path.insert(0, {str(COURSE_DIR)!r})
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from test_wall import sandboxed_look
        print(json.dumps(sandboxed_look("namespaces", Path({str(work)!r}), Path({str(secret)!r}), "wall-user")))
    ''')
    proc = subprocess.run(
        ["setpriv", f"--reuid={normal_user.pw_uid}", f"--regid={normal_user.pw_gid}", "--clear-groups",
         sys.executable, "-c", script],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(work), "TMPDIR": str(work)},
    )
    if "unshare" in proc.stderr and "Operation not permitted" in proc.stderr:
        pytest.skip("user namespaces are not allowed for normal users here")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    assert found["write_own_copy"] is True
    assert found["read_secret"] is False and found["list_course_solutions"] is False


# -- the process level is not a wall: batch and Gradescope say so ---------------------------------


def test_batch_refuses_the_process_level_and_says_what_works(tmp_path):
    """At `process`, batch grades nothing unless allowed, and then every row says the grades are untrusted."""
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", tmp_path / "class" / "ada" / "exercises" / "01-hello")
    env = {**os.environ, "GRADING_ISOLATION": "process"}
    command = [sys.executable, "-m", "grading.commands.batch", str(tmp_path / "class"), "01", "--out", str(tmp_path / "out")]
    refused = subprocess.run(command, cwd=COURSE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2
    assert "--allow-process-level" in refused.stderr and "user namespaces" in refused.stderr
    assert not (tmp_path / "out" / "grades.csv").exists()
    allowed = subprocess.run([*command, "--allow-process-level"], cwd=COURSE_DIR, env=env, capture_output=True,
                             text=True, timeout=300)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    grades = (tmp_path / "out" / "grades.csv").read_text(encoding="utf-8")
    assert "UNTRUSTED" in grades and ",5," in grades  # graded, full marks, and flagged


def test_gradescope_refuses_the_process_level_in_results_json(tmp_path, monkeypatch):
    """At `process`, run_autograder writes a results.json that says why, with no score, and exits 2."""
    from grading.commands import gradescope

    (tmp_path / "submission").mkdir()
    monkeypatch.setenv("GRADING_ISOLATION", "process")
    assert gradescope.main(["--autograder-root", str(tmp_path)]) == 2
    results = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    assert results["score"] == 0 and results["tests"] == [] and "--allow-process-level" in results["output"]


# -- resources per sandbox, and a busy machine costs no points --------------------------------------

SPINNERS = '''import os, time
    for _ in range(8):  # eight busy processes: each under the per-process limit, together far over it
        if os.fork() == 0:
            while True:
                pass
    time.sleep(60)
    return "Hello, Flask!"'''


def test_cpu_time_is_counted_over_every_process_of_a_sandbox(grade):
    """Eight forked busy loops share one CPU budget: the check stops on CPU time, long before its clock."""
    graded = grade.mutant("01-hello", {"app.py": [('return "Hello, Flask!"', SPINNERS)]})
    check = graded.check("index_says_hello")
    assert check.status == "timeout" and "CPU time" in check.message, graded.explain()
    assert graded.lost == {"index_says_hello"}
    assert graded.result.seconds < 90  # not the minute the spinners would hold it otherwise, whatever the load


def test_a_check_starved_of_cpu_by_others_still_passes(tmp_path):
    """A view needing 1.6 s of CPU (under a request's 2 s), on one CPU shared with eight busy processes,
    passes: the time it waited for the CPU does not count against its clock (15 s), which it would
    otherwise overrun."""
    root = tmp_path / "root"
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", root / "01-hello")
    app = root / "01-hello" / "app.py"
    app.write_text(app.read_text().replace(
        'return "Hello, Flask!"',
        'import time\n    end = time.process_time() + 1.6\n    while time.process_time() < end:\n        pass\n'
        '    return "Hello, Flask!"'))
    cpu = sorted(os.sched_getaffinity(0))[0]
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True,  # own autogroups
                            preexec_fn=lambda: os.sched_setaffinity(0, {cpu}))
            for _ in range(8)]
    try:
        report = tmp_path / "report.json"
        proc = subprocess.run(
            [sys.executable, "-m", "grading", "--no-cache", "--root", str(root), "--json", str(report), "01"],
            cwd=COURSE_DIR, capture_output=True, text=True, timeout=300,
            preexec_fn=lambda: os.sched_setaffinity(0, {cpu}),
        )
    finally:
        for hog in hogs:
            hog.kill()
    exercise = json.loads(report.read_text())["exercises"][0]
    check = next(c for c in exercise["checks"] if c["name"] == "index_says_hello")
    assert check["status"] == "passed", (check, proc.stdout[-2000:])


def test_a_report_graded_at_the_process_level_says_it_is_untrusted(grade_cli):
    """`--json` at the process level carries the warning; at a real wall it does not."""
    weak = grade_cli(COURSE_DIR / "solutions", "01", env={"GRADING_ISOLATION": "process"})
    assert weak.report["untrusted"].startswith("UNTRUSTED")
    if levels_here():
        strong = grade_cli(COURSE_DIR / "solutions", "01")
        assert "untrusted" not in strong.report


HOGS = '''import os, time
    for _ in range(6):  # six processes of 400 MB each: under the per-process limit, together over the sandbox's
        if os.fork() == 0:
            block = bytearray(400 << 20)
            for i in range(0, len(block), 4096):
                block[i] = 1
            time.sleep(60)
    time.sleep(60)
    return "Hello, Flask!"'''


def test_memory_is_counted_over_every_process_of_a_sandbox(grade):
    """Six forked processes of 400 MB each: the sandbox is ended as a whole, and the check says so."""
    graded = grade.mutant("01-hello", {"app.py": [('return "Hello, Flask!"', HOGS)]})
    check = graded.check("index_says_hello")
    assert check.status != "passed" and "memory" in check.message, graded.explain()
    assert graded.lost == {"index_says_hello"}
    assert graded.result.seconds < 90  # not the minute the spinners would hold it otherwise, whatever the load


def test_a_sandbox_never_gets_the_user_id_of_an_account(monkeypatch):
    """At the uid level every sandbox has its own user id: never one a person or service of the machine has."""
    import pwd

    from grading.sandbox import zygote

    free = zygote.SANDBOX_UID + 7
    accounts = [pwd.struct_passwd(("someone", "x", uid, uid, "", "/", "/bin/sh"))
                for uid in range(zygote.SANDBOX_UID, zygote.SANDBOX_UID + zygote.UID_RANGE) if uid != free]
    monkeypatch.setattr(pwd, "getpwall", lambda: accounts)
    zygote._accounts.cache_clear()
    try:
        assert {zygote._free_uid() for _ in range(3)} == {free}
    finally:
        zygote._accounts.cache_clear()
