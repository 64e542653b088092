"""The whole classroom cycle on a real JupyterHub with real unix users (needs root),
and every attack of the red-team review (shared/reviews/classroom-red-team.md), each
made as a student would make it.

    .venv/bin/python -m pytest classroom/test_classroom.py     (.ci/run runs it)

An instructor, two honest students (ana, ben) and two attackers (cai, dan). The
instructor releases exercise 01; ana, ben and cai fetch it, tag it through a kernel of
their own server and submit; cai's notebook also carries a code cell that would, as
the grader, steal the keys, rewrite the gradebook and plant code; cai submits as ana;
dan hands in folders made by hand: answers linked to the key, extra files linked to
the gradebook and solutions, names that do not parse, dates in the future and before
the release, ana's feedback secret, and one renamed to ana's name while collect runs.
The instructor collects, autogrades, makes and releases feedback as the guide says;
everyone fetches feedback. Then root runs setup.sh again, with a link planted by the
instructor's account. Users, folders and processes are removed afterwards.

Each step of the cycle is a module fixture that asks for the steps before it, so any
one test runs alone and sets up what it needs, e.g.
    .venv/bin/python -m pytest classroom/test_classroom.py -k test_6b

CLASSROOM_UNHARDENED=1 runs the scenario on the default setup (0755 homes, nbgrader's
0777 exchange root) and asserts that the probes of those two get through; the attack
tests, which framelab's own grading and collect close, are then skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EX, DOC = "01-fact-or-frame", "transfer-heatwave-spain"
PREFIX = Path("/opt/framelab-classroom-test")
HUB_DIR = Path("/srv/framelab-hub-test")
EXCHANGE = Path("/srv/framelab-exchange-test")
ROOT_ONLY = Path("/srv/framelab-root-only-test")  # where a planted link would send root
COURSE_ID = "framelab"
INSTRUCTOR = "fltutor"
HONEST = ["flana", "flben"]
STUDENTS = ["flana", "flben", "flcai", "fldan"]
COURSE = Path(f"/home/{INSTRUCTOR}/course")
INBOUND = EXCHANGE / COURSE_ID / "inbound"
HARDENED = os.environ.get("CLASSROOM_UNHARDENED") != "1"
TOKEN = secrets.token_hex(24)
TIMINGS: dict[str, float] = {}
MEMORY: dict[str, list[float]] = {}  # resident MB of each user's server and kernel
STOLEN = Path("/dev/shm") / f"framelab-stolen-{uuid.uuid4().hex[:8]}"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root: it creates users")
attack = pytest.mark.skipif(not HARDENED, reason="the attacks are made on the hardened setup")

KEY = json.loads((REPO / "datasets" / "keys" / f"{DOC}.json").read_text())
TEXT = (REPO / "datasets" / "articles" / DOC / "article.txt").read_text()
PERFECT_KINDS = {s["id"]: s["kind"] for s in KEY["sentences"]}
PERFECT_SPANS = []
for span in KEY["spans"]:
    unit = next(s for s in KEY["sentences"] if s["start"] <= span["start"] < s["end"])
    PERFECT_SPANS.append((unit["id"], span["text"], span["device"]))
PARTLY = json.loads((REPO / "tests/fixtures/students/01-fact-or-frame-partly.json").read_text())
PARTLY_KINDS = PARTLY["kinds"]
PARTLY_SPANS = [tuple(span) for span in PARTLY["spans"]]
ALL_FACT = {s["id"]: "fact" for s in KEY["sentences"]}
REASONS = [item["why"][:40] for item in KEY["sentences"] + KEY["spans"]]
# what other keys also say (a heading's, a dateline's reason) gives nothing away
SHARED = {
    item["why"][:40]
    for path in (REPO / "datasets" / "keys").glob("*.json")
    if path.stem != DOC
    for item in [*json.loads(path.read_text())["sentences"], *json.loads(path.read_text())["spans"]]
}
OWN_REASONS = [reason for reason in REASONS if reason not in SHARED]
# Exercise 01 autogrades sentence kinds only, 8 points (8 x accepted / 12: the headline s02
# is not scored, rule K6): ana: perfect (8.0); ben: 7 of 12 kinds (4.67; his 2 marks are not
# graded); cai: every sentence "fact" (2.0); dan: nothing accepted.
EXPECTED = {"flana": (8.0,), "flben": (4.67,), "flcai": (2.0,)}

# cai's code cell: what a student's code did when nbgrader ran it as the instructor.
ATTACK_CELL = f"""import os, shutil, sqlite3, subprocess, sys
course = os.path.expanduser("~/course")
if os.path.isdir(course):
    os.makedirs({str(STOLEN)!r}, exist_ok=True)
    shutil.copytree(course + "/datasets/keys", {str(STOLEN)!r} + "/keys", dirs_exist_ok=True)
    shutil.copy(course + "/gradebook.db", {str(STOLEN)!r})
    with open(course + "/nbgrader_config.py", "a") as config:
        config.write("\\nopen({str(STOLEN)!r} + '/persisted', 'w')\\n")
    startup = os.path.expanduser("~/.ipython/profile_default/startup")
    os.makedirs(startup, exist_ok=True)
    open(startup + "/00-planted.py", "w").write("print('planted')")
    later = ("import time, sqlite3; time.sleep(3); "
             "db = sqlite3.connect({str(COURSE / "gradebook.db")!r}); "
             "db.execute('update grade set manual_score = 99'); db.commit()")
    subprocess.Popen([sys.executable, "-c", later], start_new_session=True)
"""


def run(
    *command: str, check: bool = True, env: dict[str, str] | None = None, cwd: str | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command, capture_output=True, text=True, errors="replace", env=env, cwd=cwd, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def user_env(user: str, datasets: str | None = None) -> list[str]:
    env = {
        "HOME": f"/home/{user}",
        "USER": user,
        "PATH": f"{PREFIX}/venv/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "FRAMELAB_DATASETS": datasets or str(PREFIX / "datasets"),
    }
    return ["runuser", "-u", user, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()]]


def as_user(
    user: str, script: str, check: bool = True, datasets: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a shell script as ``user`` in their home, with the classroom's PATH."""
    return run(*user_env(user, datasets), "bash", "-c", f"cd ~ && {script}", check=check)


def instructor(script: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return as_user(INSTRUCTOR, f"cd course && {script}", check=check, datasets=f"{COURSE}/datasets")


def hub(method: str, path: str, body: dict | None = None, token: str | None = TOKEN) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{STATE['port']}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"token {token}"} if token else {}),
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        content = response.read()
        return json.loads(content) if content else {}


STATE: dict[str, object] = {}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cleanup() -> None:
    for user in [INSTRUCTOR, *STUDENTS]:
        subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True, check=False)
    time.sleep(0.3)
    for user in [INSTRUCTOR, *STUDENTS]:
        subprocess.run(["userdel", "-r", user], capture_output=True, check=False)
    for folder in (PREFIX, HUB_DIR, EXCHANGE, ROOT_ONLY, STOLEN):
        shutil.rmtree(folder, ignore_errors=True)


def root_only_checkout(into: Path) -> Path:
    """A copy of this checkout that only root can read, as the guide asks."""
    checkout = into / "framelab"
    checkout.mkdir(mode=0o700)
    os.chmod(into, 0o700)
    run(
        "bash",
        "-c",
        f"tar -C {REPO} --exclude=./.venv --exclude=./.git --exclude=./test-artifacts "
        f"--exclude='__pycache__' -cf - . | tar -C {checkout} -xf -",
    )
    return checkout


def setup_command(checkout: Path, class_list: Path) -> list[str]:
    command = [
        "bash",
        str(checkout / "classroom" / "setup.sh"),
        "--class-list",
        str(class_list),
        "--prefix",
        str(PREFIX),
        "--hub-dir",
        str(HUB_DIR),
        "--exchange",
        str(EXCHANGE),
        "--port",
        str(STATE["port"]),
    ]
    return command + ([] if HARDENED else ["--unhardened"])


@pytest.fixture(scope="module", autouse=True)
def classroom(tmp_path_factory):
    cleanup()
    started = time.monotonic()
    class_list = tmp_path_factory.mktemp("class") / "class.txt"
    lines = [f"{INSTRUCTOR} instructor {secrets.token_hex(8)}"]
    lines += [f"{s} student {secrets.token_hex(8)}" for s in STUDENTS]
    class_list.write_text("\n".join(lines) + "\n")
    STATE["class_list"] = class_list
    STATE["port"] = free_port()
    STATE["checkout"] = root_only_checkout(Path(tempfile.mkdtemp(prefix="framelab-ci-")))
    run(*setup_command(STATE["checkout"], class_list))
    TIMINGS["setup (install included)"] = time.monotonic() - started
    started = time.monotonic()
    env = dict(os.environ, CLASSROOM_SERVICE_TOKEN=TOKEN)
    log = open(HUB_DIR / "hub.log", "w")  # noqa: SIM115 (closed at teardown)
    process = subprocess.Popen(
        ["bash", str(HERE / "start-hub.sh"), str(HUB_DIR)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    STATE["hub_pid"] = process.pid
    deadline = time.monotonic() + 60
    while True:
        try:
            hub("GET", "/hub/api/")
            break
        except (urllib.error.URLError, ConnectionError, OSError) as error:
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(
                    "the hub did not start:\n" + (HUB_DIR / "hub.log").read_text()[-3000:]
                ) from error
            time.sleep(0.3)
    TIMINGS["hub start"] = time.monotonic() - started
    try:
        yield
    finally:
        for student in STUDENTS:
            with contextlib.suppress(urllib.error.URLError, OSError):
                hub("DELETE", f"/hub/api/users/{student}/server")
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
        log.close()
        cleanup()
        shutil.rmtree(STATE["checkout"].parent, ignore_errors=True)
        print("\n" + "\n".join(f"{name}: {seconds:.1f} s" for name, seconds in TIMINGS.items()))
        for role, sizes in MEMORY.items():
            print(f"memory per user {role}: {min(sizes):.0f}-{max(sizes):.0f} MB resident")


def execute_in_own_kernel(user: str, code: str) -> str:
    """Start the user's server through the hub, open a kernel on it with a token minted
    for that user, and run ``code``; returns what it printed."""
    import websocket

    try:
        hub("POST", f"/hub/api/users/{user}/server")
    except urllib.error.HTTPError as error:
        if error.code != 400:  # 400: already running
            raise
    deadline = time.monotonic() + 60
    while not hub("GET", f"/hub/api/users/{user}").get("servers", {}).get("", {}).get("ready"):
        assert time.monotonic() < deadline, f"{user}'s server did not start"
        time.sleep(0.3)
    user_token = hub("POST", f"/hub/api/users/{user}/tokens", {"note": "classroom test"})["token"]
    base = f"/user/{user}/api"
    kernel = hub("POST", f"{base}/kernels", {"name": "python3"}, token=user_token)
    socket_ = websocket.create_connection(
        f"ws://127.0.0.1:{STATE['port']}{base}/kernels/{kernel['id']}/channels",
        header=[f"Authorization: token {user_token}"],
        timeout=60,
    )
    msg_id = uuid.uuid4().hex
    socket_.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "username": user,
                    "session": uuid.uuid4().hex,
                    "msg_type": "execute_request",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "buffers": [],
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            }
        )
    )
    printed, status, idle = [], None, False
    while status is None or not idle:  # iopub output may arrive after the shell's reply
        message = json.loads(socket_.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        if kind == "stream":
            printed.append(message["content"]["text"])
        elif kind == "error":
            printed.append("\n".join(message["content"]["traceback"]))
        elif kind == "execute_reply":
            status = message["content"]["status"]
        elif kind == "status" and message["content"]["execution_state"] == "idle":
            idle = True
    socket_.close()
    for line in run("ps", "-ww", "-u", user, "-o", "rss=,args=").stdout.splitlines():
        rss, _, args = line.strip().partition(" ")
        role = "kernel" if "ipykernel" in args else "server" if "singleuser" in args else None
        if role:
            MEMORY.setdefault(role, []).append(int(rss) / 1024)
    hub("DELETE", f"{base}/kernels/{kernel['id']}", token=user_token)
    assert status == "ok", "".join(printed)
    return "".join(printed)


def tag_code(kinds: dict[str, str], spans: list[tuple[str, str, str]]) -> str:
    return (
        "import os\n"
        f"os.chdir(os.path.expanduser('~/{EX}'))\n"
        "from framelab import Tagger\n"
        f"tagger = Tagger.exam({EX!r}, {DOC!r})\n"
        f"tagger.type_in({kinds!r}, {spans!r})\n"
        "print(tagger.path.resolve(), tagger.progress)\n"
    )


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


# dan's hand-made inbound folders: each as python, run as dan (files a student controls)
CRAFT = f"""import json, os, sys
inbound, name, when, answers, secret, extras = json.loads(sys.argv[1])
folder = os.path.join(inbound, name)
os.makedirs(os.path.join(folder, "answers"))
home = os.path.expanduser("~/{EX}")
with open(os.path.join(home, "{EX}.ipynb"), "rb") as source:
    open(os.path.join(folder, "{EX}.ipynb"), "wb").write(source.read())
open(os.path.join(folder, "timestamp.txt"), "w").write(when)
open(os.path.join(folder, "submission_secret.txt"), "w").write(secret or os.urandom(32).hex())
if answers.startswith("link:"):
    os.symlink(answers[5:], os.path.join(folder, "answers", "{EX}.json"))
else:
    open(os.path.join(folder, "answers", "{EX}.json"), "w").write(answers)
for extra, target in extras.items():
    os.symlink(target, os.path.join(folder, extra))
os.chmod(folder, 0o777)
"""


def craft(
    name: str,
    when: datetime,
    *,
    answers: str = "{}",
    secret: str = "",
    extras: dict[str, str] | None = None,
) -> str:
    spec = json.dumps([str(INBOUND), name, stamp(when), answers, secret, extras or {}])
    as_user("fldan", f"python3 -c {shlex(CRAFT)} {shlex(spec)}")
    return name


def shlex(text: str) -> str:
    import shlex as _shlex

    return _shlex.quote(text)


# --- the cycle, step by step: each step a module fixture that asks for the steps before
# it, so any test can run alone (pytest -k NAME) and sets up what it needs; each step
# runs once however many tests ask for it, in the order a real class takes.


@pytest.fixture(scope="module")
def released() -> Path:
    """The instructor has generated and released exercise 01; its folder in the exchange."""
    started = time.monotonic()
    instructor(f"nbgrader generate_assignment {EX} --force && nbgrader release_assignment {EX}")
    TIMINGS["generate + release"] = time.monotonic() - started
    return EXCHANGE / COURSE_ID / "outbound" / EX


@pytest.fixture(scope="module")
def submitted(released) -> dict[str, str]:
    """ana, ben and cai have fetched, tagged through a kernel of their own server and
    submitted (cai's notebook carrying the attack cell); dan has fetched. Returns what
    each tagging kernel printed."""
    answers = {
        "flana": (PERFECT_KINDS, PERFECT_SPANS),
        "flben": (PARTLY_KINDS, PARTLY_SPANS),
        "flcai": (ALL_FACT, []),
    }
    printed = {}
    started = time.monotonic()
    for student, (kinds, spans) in answers.items():
        as_user(student, f"nbgrader fetch_assignment {EX}")
        printed[student] = execute_in_own_kernel(student, tag_code(kinds, spans))
        if student == "flcai":  # the attack cell goes into cai's notebook's free code cell
            edit = (
                "import json, sys; path = sys.argv[1]; nb = json.load(open(path)); "
                "cell = next(c for c in nb['cells'] if c['cell_type'] == 'code' "
                "and 'nbgrader' not in c['metadata']); cell['source'] = sys.argv[2]; "
                "json.dump(nb, open(path, 'w'))"
            )
            as_user(student, f"python3 -c {shlex(edit)} ~/{EX}/{EX}.ipynb {shlex(ATTACK_CELL)}")
        as_user(student, f"nbgrader submit {EX}")
        time.sleep(1.1)  # distinct submission timestamps
    as_user("fldan", f"nbgrader fetch_assignment {EX}")
    TIMINGS["3 students: fetch, tag (server spawn included), submit"] = time.monotonic() - started
    return printed


@pytest.fixture(scope="module")
def impersonation(submitted) -> subprocess.CompletedProcess[str]:
    """cai has handed in their own (poor) work under ana's name, after ana."""
    return as_user("flcai", f"nbgrader submit {EX} --student=flana", check=False)


@pytest.fixture(scope="module")
def crafted(impersonation):
    """dan's hand-made inbound folders, each with the reason collect must give, and the
    race: a folder of dan's that a watcher renames to ana's name the moment collect
    starts. Made after every real submission, as in the red team's run."""
    now = datetime.now(timezone.utc)
    key = f"{COURSE}/datasets/keys/{DOC}.json"
    (ana_folder,) = [
        p
        for p in INBOUND.iterdir()
        if p.name.startswith(f"flana+{EX}+")
        and p.stat().st_uid == int(run("id", "-u", "flana").stdout)
    ]
    ana_secret = (ana_folder / "submission_secret.txt").read_text()  # as if it had leaked
    r = os.urandom(4).hex()
    reasons = {
        craft(f"fldan+{EX}+{stamp(now)}+link{r}", now, answers=f"link:{key}"): "is a link (to",
        craft(
            f"fldan+{EX}+{stamp(now + timedelta(seconds=1))}+extras{r}",
            now + timedelta(seconds=1),
            extras={
                "key.html": key,
                "gradebook.html": f"{COURSE}/gradebook.db",
                "solution.html": f"{COURSE}/solutions/{EX}/{EX}.ipynb",
                "passwd.html": "/etc/passwd",
            },
        ): "is a link (to",
        craft(
            f"fldan+{EX}+2099-01-01 00:00:00.000000 UTC+future{r}",
            datetime(2099, 1, 1, tzinfo=timezone.utc),
        ): "in the future",
        craft(
            f"fldan+{EX}+2020-01-01 00:00:00.000000 UTC+early{r}",
            datetime(2020, 1, 1, tzinfo=timezone.utc),
        ): "before the exercise was released",
        craft(
            f"fldan+{EX}+{stamp(now + timedelta(seconds=2))}+secret{r}",
            now + timedelta(seconds=2),
            secret=ana_secret,
        ): "feedback secret of flana",
        craft(f"..+{EX}+{stamp(now)}+{r}", now): "is not a student",
        craft(f"flana+zz+{EX}+{stamp(now)}+{r}", now): "is not a student",
        craft(f"fldan+zz+{EX}+junk{r}", now): "is not <student>+<exercise>",
    }
    race = craft(
        f"fldan+{EX}+{stamp(now + timedelta(seconds=3))}+race{r}",
        now + timedelta(seconds=3),
        answers=json.dumps({"dan": "race"}),
    )
    renamed = f"flana+{EX}+{stamp(now + timedelta(seconds=4))}+race{r}"
    watcher = (
        f"until pgrep -u {INSTRUCTOR} -f 'nbgrader collect' >/dev/null; do sleep 0.02; done; "
        f"mv {shlex(str(INBOUND / race))} {shlex(str(INBOUND / renamed))}; echo renamed"
    )
    process = subprocess.Popen(
        [*user_env("fldan"), "bash", "-c", watcher],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield {"reasons": reasons, "race": race, "renamed": renamed, "watcher": process}
    finally:  # a test run without collect leaves the watcher waiting
        if process.poll() is None:
            os.killpg(process.pid, 9)
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def graded(request, impersonation) -> dict[str, object]:
    """The instructor has collected (framelab collect), autograded, made and released
    feedback as the guide says; on the hardened setup, after dan's folders were made."""
    made = request.getfixturevalue("crafted") if HARDENED else None
    started = time.monotonic()
    # the exchange root and course id given are the ones checked and handed to nbgrader
    collected = instructor(
        f"framelab collect {EX} --exchange {EXCHANGE} --course-id {COURSE_ID}", check=False
    )
    instructor(
        f"nbgrader autograde {EX} && nbgrader generate_feedback {EX} && "
        f"nbgrader release_feedback {EX}"
    )
    finished = time.monotonic()
    TIMINGS["collect + autograde + feedback"] = finished - started
    race_output = made["watcher"].communicate(timeout=60)[0] if made else None
    return {
        "collect": collected.stdout + collected.stderr,
        "collect_rc": collected.returncode,
        "race_output": race_output,
        "finished": finished,
    }


def test_1_instructor_releases_the_exercise(released):
    notebook = (released / f"{EX}.ipynb").read_text()
    assert '"grade_id": "score_kinds"' in notebook
    assert "HIDDEN TESTS" not in notebook and "grade_cell(" not in notebook


def test_2_students_fetch_tag_with_their_own_server_and_submit(submitted):
    for student, printed in submitted.items():
        path = Path(f"/home/{student}/{EX}/answers/{EX}.json")
        assert str(path) in printed
        assert path.stat().st_uid == int(run("id", "-u", student).stdout)  # written by their server
        (mine,) = [
            p
            for p in INBOUND.iterdir()
            if p.name.startswith(f"{student}+{EX}+")
            and p.stat().st_uid == int(run("id", "-u", student).stdout)
        ]
        assert (mine / "answers" / f"{EX}.json").read_bytes() == path.read_bytes()


def test_3_a_student_submits_as_another(impersonation):
    assert impersonation.returncode == 0, impersonation.stderr  # nbgrader lets cai do it
    cai = int(run("id", "-u", "flcai").stdout)
    assert [p for p in INBOUND.iterdir() if p.name.startswith("flana+") and p.stat().st_uid == cai]


@attack
def test_3b_dan_hands_in_folders_made_by_hand(crafted):
    """Every trick of the red team's dan; none may be collected as anyone's work."""
    dan = int(run("id", "-u", "fldan").stdout)
    for name in [*crafted["reasons"], crafted["race"]]:
        folder = INBOUND / name
        assert folder.is_dir() and folder.stat().st_uid == dan, name


def test_4_instructor_collects_grades_and_releases_feedback(graded):
    assert graded["collect_rc"] == 1, graded["collect"]
    for student in ("flana", "flben", "flcai"):
        assert (COURSE / "autograded" / student / EX / f"{EX}.ipynb").is_file(), student
        assert list((COURSE / "feedback" / student / EX).glob("*.html")), student


def test_5_scores_are_as_expected(graded):
    from nbgrader.api import Gradebook

    # cai's child, had it run, would have rewritten the gradebook 3 s after it started
    time.sleep(max(0.0, graded["finished"] + 4 - time.monotonic()))
    with Gradebook(f"sqlite:///{COURSE}/gradebook.db") as gradebook:
        scores = {
            student.id: tuple(
                round(gradebook.find_grade(cell, EX, EX, student.id).auto_score, 2)
                for cell in ("score_kinds",)
            )
            for student in gradebook.students
            if (COURSE / "submitted" / student.id / EX).is_dir()
        }
        manual = [
            g.manual_score
            for s in ("flana", "flben", "flcai")
            for notebook in gradebook.find_submission(EX, s).notebooks
            for g in notebook.grades
        ]
    assert scores == EXPECTED
    assert set(manual) == {None}
    handed_in = COURSE / "submitted" / "flana" / EX / "answers" / f"{EX}.json"
    answers = json.loads(handed_in.read_text())
    assert {s["id"]: s["kind"] for s in answers["sentences"]} == PERFECT_KINDS  # ana's own


def test_5b_the_instructor_marks_the_written_answers_in_a_terminal(graded):
    """Formgrader is off on the server; framelab mark is the guide's way to mark there."""
    from nbgrader.api import Gradebook

    marked = instructor(f"printf '2\\n1\\n0\\n' | framelab mark {EX}")
    assert "3 written answer(s)" in marked.stdout and "marked 3" in marked.stdout, marked.stdout
    with Gradebook(f"sqlite:///{COURSE}/gradebook.db") as gradebook:
        manual = {
            s: gradebook.find_grade("written_answer", EX, EX, s).manual_score
            for s in ("flana", "flben", "flcai")
        }
    assert manual == {"flana": 2.0, "flben": 1.0, "flcai": 0.0}
    assert (COURSE / "gradebook.db").stat().st_uid == int(run("id", "-u", INSTRUCTOR).stdout)


def test_6_the_impersonation_is_refused_and_reported(impersonation, graded):
    assert impersonation.returncode == 0  # nbgrader itself accepts it...
    assert "belongs to flcai, not to flana" in graded["collect"]  # ...framelab does not
    log = (COURSE / "refused-submissions" / f"{EX}.txt").read_text()
    assert "made by flcai" in log


@attack
def test_6b_every_hand_made_folder_is_refused_with_its_reason(crafted, graded):
    report = graded["collect"]
    for name, reason in crafted["reasons"].items():
        line = next((ln for ln in report.splitlines() if f"refused {name}:" in ln), None)
        assert line is not None and reason in line, (name, report[-3000:])
    assert not (COURSE / "submitted" / "fldan").exists()
    assert not [p for p in (COURSE / "submitted").rglob("*") if p.is_symlink()]
    assert "renamed" in graded["race_output"]  # the rename did happen while collect ran
    if crafted["renamed"] in report:
        assert "belongs to fldan, not to flana" in report


def test_7_students_fetch_their_feedback(graded):
    for student in [*HONEST, "flcai"]:
        as_user(student, f"nbgrader fetch_feedback {EX}")
        pages = list(Path(f"/home/{student}/{EX}/feedback").rglob("*.html"))
        assert len(pages) == 1, (student, pages)
        content = pages[0].read_text()
        assert "Sentence kinds:" in content
        assert not any(reason in content for reason in REASONS)
        if student == "flana":
            assert "12 of 12 right" in content  # hers, not a forger's
    if HARDENED:
        as_user("fldan", f"nbgrader fetch_feedback {EX}", check=False)
        assert not list(Path(f"/home/fldan/{EX}").rglob("feedback/*/*.html"))


# each probe: what it aims at (which must be there, or blocking it proves nothing), and
# the command ben runs
PROBES = {
    "read the instructor's solutions": (
        COURSE / "solutions" / EX / f"{EX}.ipynb",
        f"cat {COURSE}/solutions/{EX}/{EX}.ipynb",
    ),
    "read the gradebook": (COURSE / "gradebook.db", f"cat {COURSE}/gradebook.db"),
    "read autograded notebooks": (COURSE / "autograded" / "flana", f"ls {COURSE}/autograded/flana"),
    "read the instructor's keys": (
        COURSE / "datasets" / "keys" / f"{DOC}.json",
        f"cat {COURSE}/datasets/keys/{DOC}.json",
    ),
    "read another student's home": (Path(f"/home/flana/{EX}"), f"ls /home/flana/{EX}"),
    "rename the course's exchange folder": (
        EXCHANGE / COURSE_ID,
        f"mv {EXCHANGE}/{COURSE_ID} {EXCHANGE}/moved",
    ),
}


@pytest.mark.usefixtures("graded")  # the course as it is after a graded exercise
@pytest.mark.parametrize("probe", list(PROBES))
def test_8_probes_as_a_student(probe):
    target, command = PROBES[probe]
    assert target.exists(), f"{probe}: {target} is not there to probe"
    try:
        result = as_user("flben", command, check=False)
    finally:  # a rename that got through (unhardened) is undone for the tests after it
        if (EXCHANGE / "moved").exists() and not (EXCHANGE / COURSE_ID).exists():
            os.rename(EXCHANGE / "moved", EXCHANGE / COURSE_ID)
    if HARDENED:
        assert result.returncode != 0, f"{probe}: got through\n{result.stdout[:300]}"
    else:
        assert result.returncode == 0, f"{probe}: blocked even without hardening"


def test_9_students_cannot_read_the_graded_key_anywhere_they_can_reach():
    result = as_user("flben", f"cat {PREFIX}/datasets/keys/{DOC}.json", check=False)
    assert result.returncode != 0
    assert as_user("flben", f"cat {PREFIX}/datasets/keys/aleppo-2024-11-30.json").returncode == 0
    student_env = as_user(
        "flben", "python -c 'import framelab.texts.corpus as c; print(c.datasets_dir())'"
    )
    assert student_env.stdout.strip() == str(PREFIX / "datasets")


def test_9b_the_students_datasets_and_package_give_away_nothing_of_the_graded_key():
    """The red team built full marks from the graded text's data card alone."""
    everything = as_user(
        "flben",
        f"find {PREFIX}/datasets {PREFIX}/venv/lib/python3*/site-packages/framelab -type f "
        "\\( -name '*.md' -o -name '*.json' -o -name '*.py' -o -name '*.txt' \\) -exec cat {} +",
    ).stdout
    assert OWN_REASONS and not [reason for reason in OWN_REASONS if reason in everything]
    card = as_user(
        "flben",
        f"cat {PREFIX}/datasets/articles/{DOC}/README.md "
        f"{PREFIX}/datasets/articles/{DOC}/meta.json",
    ).stdout
    for span in KEY["spans"]:
        assert f'"{span["text"]}"' not in card
    for sentence in KEY["sentences"]:
        assert sentence["id"] not in card


@attack
@pytest.mark.usefixtures("graded")
def test_10_a_students_code_cell_never_ran_as_the_grader():
    assert not STOLEN.exists()
    config = (COURSE / "nbgrader_config.py").read_text()
    assert str(STOLEN) not in config
    assert not Path(f"/home/{INSTRUCTOR}/.ipython/profile_default/startup/00-planted.py").exists()
    left = run("ps", "-u", INSTRUCTOR, "-o", "args=", check=False).stdout
    assert "sqlite3.connect" not in left


def test_11_the_hub_gives_a_student_nothing():
    listing = as_user("flben", "ps -eo args", check=False).stdout
    assert TOKEN not in listing
    assert as_user("flben", f"cat /proc/{STATE['hub_pid']}/environ", check=False).returncode != 0
    assert as_user("flben", f"ls {HUB_DIR}", check=False).returncode != 0
    with pytest.raises(urllib.error.HTTPError) as refused:
        hub("GET", "/hub/api/users", token=None)
    assert refused.value.code == 403


@attack
def test_12_setup_refuses_a_checkout_others_can_read():
    readable = Path(tempfile.mkdtemp(prefix="framelab-readable-"))
    try:
        os.chmod(readable, 0o755)
        checkout = readable / "framelab"
        shutil.copytree(STATE["checkout"], checkout)
        for path in [checkout, *checkout.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        result = run(*setup_command(checkout, STATE["class_list"]), check=False)
        assert result.returncode == 2
        assert "other users can read" in result.stderr
    finally:
        shutil.rmtree(readable)


@attack
def test_13_setup_run_again_follows_no_link_of_the_instructors_and_keeps_passwords():
    """The red team's instructor account pointed the course at a root-only folder, and
    root's next setup.sh made it the instructor's; a re-run also reset passwords."""
    ROOT_ONLY.mkdir(mode=0o700)
    (ROOT_ONLY / "secret").write_text("root only")
    shadow = {
        line.split(":")[0]: line
        for line in Path("/etc/shadow").read_text().splitlines()
        if line.split(":")[0] in STUDENTS
    }
    # as the instructor: the course folder itself a link (refused before anything)
    as_user(INSTRUCTOR, f"mv course course.real && ln -s {ROOT_ONLY} course")
    plain = [
        line.split()[0] + " " + line.split()[1]
        for line in STATE["class_list"].read_text().splitlines()
    ]  # no passwords given this time
    again = STATE["class_list"].with_name("again.txt")
    again.write_text("\n".join(plain) + "\n")
    refused = run(*setup_command(STATE["checkout"], again), check=False)
    assert refused.returncode == 2 and "is a link" in refused.stderr
    as_user(INSTRUCTOR, "rm course && mv course.real course")
    # and a link inside the course, which root's copy once followed
    instructor(f"rm -rf solutions && ln -s {ROOT_ONLY} solutions")
    started = time.monotonic()
    run(*setup_command(STATE["checkout"], again))
    TIMINGS["setup run again"] = time.monotonic() - started
    assert sorted(p.name for p in ROOT_ONLY.iterdir()) == ["secret"]
    assert (ROOT_ONLY.stat().st_mode & 0o777, ROOT_ONLY.stat().st_uid) == (0o700, 0)
    assert (COURSE / "solutions" / EX).is_dir() and not (COURSE / "solutions").is_symlink()
    assert all(p.stat().st_uid != 0 for p in COURSE.rglob("*"))  # all the instructor's
    after = {
        line.split(":")[0]: line
        for line in Path("/etc/shadow").read_text().splitlines()
        if line.split(":")[0] in STUDENTS
    }
    assert after == shadow  # nobody was locked out


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v", "-s"]))
