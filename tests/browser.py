"""The browser-test harness: one scenario in JupyterLab 4 and in Jupyter Notebook 7,
in the light and the dark theme, with axe-core run on what is rendered.

Tests import it relatively (``from .browser import ...``). The pieces:

- ``jupyter_server(app, folder, tmp)``: JupyterLab (``app="lab"``) or Notebook 7
  (``app="notebook"``) over ``folder`` on 127.0.0.1, a free port and a token, with
  notifications and autosave off and every settings, config, runtime and workspace folder
  under ``tmp``. It yields a ``JupyterServer``; the server is stopped on exit.
- ``browser_page(profile)``: Debian's Chromium driven by Playwright, one page of
  1300x1000 with a default timeout of 30 s.
- ``open_notebook``, ``run_cell``, ``cell_count``, ``dialog_open``: the same calls in both
  apps (they rely on the app the server exposes as ``window.jupyterapp``).
- ``set_theme(page, "light" | "dark")``: switches theme at run time, in either app, and
  checks that it applied.
- ``axe_violations(page, include)``: axe-core (``tests/browser/node_modules``, from npm)
  on a part of the page; ``assert_contrast_evaluated`` checks that colour contrast was
  really judged.
- ``keep_screenshot(target, name)`` and ``screenshot_if_failed(page, request)``: PNGs in
  ``test-artifacts/``.

The fixtures a test module uses, to run each test in both apps with one server per app
for the whole module (pytest orders module-scoped parameters so that each starts once)::

    from .browser import APPS, BROWSER_MARKS, app_server

    pytestmark = BROWSER_MARKS

    @pytest.fixture(scope="module", params=APPS)
    def server(request, tmp_path_factory):
        with app_server(request, tmp_path_factory, write_my_notebooks) as running:
            yield running

``page`` (one browser page for the module) and ``screenshot_on_failure`` (which
BROWSER_MARKS applies: a PNG of what the browser showed when a test failed) are fixtures
of tests/conftest.py.

A test then takes ``server`` and ``page``, calls ``open_notebook(page, server, name)``
and ``run_cell(page)``, and may branch on ``server.app``. For the themes, parametrize the
test over ``THEMES`` and call ``set_theme(page, theme)`` after opening the notebook: one
server serves both themes. (Alternatively ``jupyter_server(..., theme="dark")`` writes the
theme into the user settings before the server starts.)
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
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import CHROMIUM, CHROMIUM_FLAGS, ROOT

ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT = 30_000  # ms: a busy 2-core machine needs more than Playwright's default
VIEWPORT = {"width": 1300, "height": 1000}
APPS = ("lab", "notebook")
THEMES = ("light", "dark")
THEME_NAMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}

# The marks of every browser test module: slow, and skipped where Chromium is missing
# (outside CI; in CI a missing Chromium fails, since .ci/run installs it).
BROWSER_MARKS = [
    pytest.mark.slow,
    # tests/conftest.py: a PNG of what the browser showed when a test failed
    pytest.mark.usefixtures("screenshot_on_failure"),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (.ci/run installs it)",
    ),
]

# What each app is started with. Notebook 7 is a JupyterLab-based app with its own
# application class (JupyterNotebookApp); it has no news or update checks to turn off.
_APP = {
    "lab": {
        "module": "jupyterlab",
        "cls": "LabApp",
        "extra": [
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
    },
    "notebook": {"module": "notebook", "cls": "JupyterNotebookApp", "extra": []},
}

# User settings written before the server starts: no notifications (news, updates, toasts)
# and no autosave, so that the notebook on disk changes only when a test says so.
_SETTINGS = {
    "apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
    "docmanager-extension/plugin": {"autosave": False},
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, message: str):
    """Poll ``condition`` until it returns something true (returned) or fail after
    ``timeout`` seconds with ``message``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(message)


@dataclass
class JupyterServer:
    """A running JupyterLab or Notebook 7 server (what ``jupyter_server`` yields)."""

    app: str  # "lab" or "notebook"
    url: str  # http://127.0.0.1:PORT, no trailing slash
    token: str
    folder: Path  # the server's root folder
    settings: Path  # its user settings folder
    log: Path  # its stdout and stderr
    process: subprocess.Popen | None = None

    def notebook_url(self, name: str) -> str:
        """The URL that opens notebook ``name`` (relative to ``folder``), token included:
        ``/lab/tree/NAME?reset`` in JupyterLab (a fresh workspace: no other tabs) and
        ``/notebooks/NAME`` in Notebook 7."""
        if self.app == "lab":
            return f"{self.url}/lab/tree/{name}?reset&token={self.token}"
        return f"{self.url}/notebooks/{name}?token={self.token}"

    def answering(self) -> bool:
        """Whether the server answers its status API."""
        try:
            with urllib.request.urlopen(
                f"{self.url}/api/status?token={self.token}", timeout=2
            ) as response:
                return response.status == 200
        except OSError:
            return False


def write_settings(settings: Path, theme: str | None = None) -> None:
    """Write the harness's user settings (and optionally a theme) into ``settings``."""
    values = dict(_SETTINGS)
    if theme is not None:
        values["apputils-extension/themes"] = {"theme": THEME_NAMES[theme]}
    for plugin, content in values.items():
        target = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content))


def kernel_pythonpath() -> str:
    """PYTHONPATH for the server and its kernels: this checkout's ``src`` first, then the
    test process's own entries made absolute. Kernels start in the notebook's folder, where
    a relative entry (``PYTHONPATH=src``) finds nothing, and the kernel would then import
    whatever framelab the virtualenv holds (an editable install of another checkout)
    instead of the one under test."""
    entries = [str(ROOT / "src")]
    for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        if entry and str(Path(entry).resolve()) not in entries:
            entries.append(str(Path(entry).resolve()))
    return os.pathsep.join(entries)


@contextlib.contextmanager
def jupyter_server(
    app: str, folder: Path, tmp: Path, theme: str | None = None, timeout: float = 60
) -> Iterator[JupyterServer]:
    """Start ``app`` ("lab": ``python -m jupyterlab``; "notebook": ``python -m notebook``,
    Notebook 7) over ``folder`` and yield a ``JupyterServer``; terminate it on exit.

    It listens on 127.0.0.1 on a free port with a random token, allows root (CI runs as
    root), checks no news or updates, has notifications on do-not-disturb and autosave off,
    and exposes its application object as ``window.jupyterapp`` (what ``open_notebook``
    and ``set_theme`` use). Its config, runtime, user settings and workspaces folders are
    under ``tmp``, so nothing of the user's own Jupyter setup is read or changed. ``theme``
    ("light" or "dark") is written into the user settings first; ``set_theme`` switches at
    run time instead. Its kernels import framelab from this checkout (``kernel_pythonpath``).
    The server's output goes to ``tmp/server.log``.
    """
    if app not in _APP:
        raise ValueError(f"app must be one of {sorted(_APP)}, not {app!r}")
    spec = _APP[app]
    tmp.mkdir(parents=True, exist_ok=True)
    settings = tmp / "settings"
    write_settings(settings, theme)
    port, token = free_port(), secrets.token_hex(16)
    cls = spec["cls"]
    command = [
        sys.executable,
        "-m",
        spec["module"],
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.allow_root=True",
        f"--ServerApp.root_dir={folder}",
        f"--{cls}.user_settings_dir={settings}",
        f"--{cls}.workspaces_dir={tmp / 'workspaces'}",
        f"--{cls}.expose_app_in_browser=True",
        *spec["extra"],
    ]
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        PYTHONPATH=kernel_pythonpath(),
    )
    log = tmp / "server.log"
    server = JupyterServer(
        app=app,
        url=f"http://127.0.0.1:{port}",
        token=token,
        folder=folder,
        settings=settings,
        log=log,
    )
    with log.open("wb") as output:
        server.process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=tmp
        )
        try:
            deadline = time.monotonic() + timeout
            while not server.answering():
                if server.process.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-3000:]
                    raise AssertionError(f"{app} server did not start; its log ends:\n{tail}")
                time.sleep(0.05)
            yield server
        finally:
            server.process.terminate()
            try:
                server.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=10)


@contextlib.contextmanager
def browser_page(profile: Path, timeout: int = TIMEOUT):
    """Debian's Chromium (headless, with ``CHROMIUM_FLAGS``) and one page of 1300x1000
    whose default timeout is ``timeout`` ms; closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            viewport=VIEWPORT,
            args=list(CHROMIUM_FLAGS),
        )
        context.set_default_timeout(timeout)
        try:
            yield context.new_page()
        finally:
            context.close()


# The notebook panel in view: JupyterLab keeps other tabs' panels hidden in the DOM.
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# the kernel every test notebook names
KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

# In both apps: the main area's current widget, if it is the notebook at `path`, and
# whether its kernel is idle (the session context is the same object in both apps; the
# status bar that shows it is not).
_KERNEL_IDLE = """(path) => {
    const app = window.jupyterapp;
    const widget = app && app.shell && app.shell.currentWidget;
    if (!widget || !widget.sessionContext || !widget.context) return false;
    if (widget.context.path !== path || !widget.context.isReady) return false;
    const session = widget.sessionContext;
    if (!session.isReady || session.pendingInput) return false;
    const kernel = session.session && session.session.kernel;
    return !!kernel && kernel.status === "idle" && kernel.connectionStatus === "connected";
}"""


def wait_for_idle_kernel(page, name: str | None = None, timeout: int = TIMEOUT) -> None:
    """Wait until the notebook in view (``name``, if given) has an idle, connected
    kernel; then fail if a dialog is open (a kernel chooser, an error)."""
    if name is None:
        name = page.evaluate(
            "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return w && w.context ? w.context.path : null; }"
        )
        if name is None:
            page.wait_for_function(
                "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                " return !!(w && w.context); }",
                timeout=timeout,
            )
            name = page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")
    page.wait_for_function(_KERNEL_IDLE, arg=name, timeout=timeout, polling=50)
    page.locator(NOTEBOOK).locator(".jp-Cell").first.wait_for(timeout=timeout)
    assert not dialog_open(page), f"a dialog is open: {page.locator('.jp-Dialog').inner_text()}"


def open_notebook(page, server: JupyterServer, name: str) -> None:
    """Go to notebook ``name`` of ``server`` (either app) and wait until its kernel is
    idle and no dialog is open."""
    page.goto(server.notebook_url(name))
    wait_for_idle_kernel(page, name)


def dialog_open(page) -> bool:
    """Whether a Jupyter dialog (``.jp-Dialog``) is open."""
    return page.locator(".jp-Dialog").count() > 0


def cell_count(page) -> int:
    """The number of cells of the notebook in view."""
    return page.locator(NOTEBOOK).locator(".jp-Notebook .jp-Cell").count()


def run_cell(page, index: int = 0, selector: str | None = None) -> float:
    """Run code cell ``index`` of the notebook in view by Shift+Enter from its editor;
    return the seconds until its output appears: an element matching ``selector`` in
    the cell that was not there before, or without one, the cell's execution finished
    (its prompt shows a number) with at least one output."""
    cell = page.locator(NOTEBOOK).locator(".jp-CodeCell").nth(index)
    cell.scroll_into_view_if_needed()
    # Mark what is already there, so that an earlier run's output does not count (a run
    # clears the cell's outputs and draws new elements).
    stale = "data-harness-stale"
    mark = selector if selector is not None else ".jp-OutputArea-output"
    cell.locator(mark).evaluate_all(
        f"(nodes) => nodes.forEach((n) => n.setAttribute('{stale}', ''))"
    )
    cell.locator(".jp-InputArea-editor").click()
    started = time.monotonic()
    page.keyboard.press("Shift+Enter")
    if selector is not None:
        cell.locator(f"{selector}:not([{stale}])").first.wait_for()
    else:
        page.wait_for_function(
            """([cell, stale]) => {
                const prompt = cell.querySelector('.jp-InputArea-prompt');
                const done = prompt && /\\[\\d+\\]/.test(prompt.textContent);
                const fresh = cell.querySelectorAll(`.jp-OutputArea-output:not([${stale}])`);
                return done && fresh.length > 0;
            }""",
            arg=[cell.element_handle(), stale],
            polling=20,
        )
    return time.monotonic() - started


def theme_state(page) -> dict:
    """The theme the page shows: ``name`` and ``light`` from ``document.body``'s data
    attributes (what JupyterLab's theme manager sets once a theme is loaded), the value
    of ``--jp-layout-color0`` and its luminance (0 black to 1 white) as the browser
    computes it, which tells that the theme's CSS applied."""
    return page.evaluate(
        """() => {
            const probe = document.createElement('div');
            probe.style.background = 'var(--jp-layout-color0)';
            document.body.append(probe);
            const rgb = getComputedStyle(probe).backgroundColor.match(/[\\d.]+/g).map(Number);
            probe.remove();
            const lin = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
            return {
                name: document.body.dataset.jpThemeName,
                light: document.body.dataset.jpThemeLight,
                layout0: getComputedStyle(document.body)
                    .getPropertyValue('--jp-layout-color0').trim(),
                luminance: 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]),
            };
        }"""
    )


def set_theme(page, theme: str, timeout: int = TIMEOUT) -> None:
    """Switch the page's app (either app) to the light or the dark theme at run time, by
    the ``apputils:change-theme`` command of ``window.jupyterapp``, and wait until it
    applied: ``document.body.dataset.jpThemeLight`` is "true" or "false" and the theme's
    name is set. The theme is saved in the server's user settings, so it stays on for
    the pages opened after."""
    name = THEME_NAMES[theme]
    light = "true" if theme == "light" else "false"
    page.evaluate(
        "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})",
        name,
    )
    page.wait_for_function(
        """([name, light]) => document.body.dataset.jpThemeName === name
            && document.body.dataset.jpThemeLight === light""",
        arg=[name, light],
        timeout=timeout,
    )
    # JupyterLab covers the page with its splash screen while a theme loads: axe would
    # find every element overlapped and leave colour contrast undecided
    page.wait_for_function(
        "() => !document.querySelector('#jupyterlab-splash')", timeout=timeout, polling=50
    )
    assert_theme(page, theme)


def assert_theme(page, theme: str) -> None:
    """Fail unless the page shows ``theme`` ("light" or "dark"): its name and
    ``data-jp-theme-light`` on the body, and a main background of that lightness."""
    state = theme_state(page)
    assert state["name"] == THEME_NAMES[theme], state
    assert state["light"] == ("true" if theme == "light" else "false"), state
    # and its colours: the main background is light (white) or dark (#111)
    assert (state["luminance"] > 0.5) == (theme == "light"), state


class AxeViolations(list):
    """axe-core's violations of the chosen impacts (a list of dicts: ``id``, ``impact``,
    ``help``, ``nodes``: up to five of ``target``, ``html``, ``failureSummary``), with the
    ids of the rules that ``passed``, were ``incomplete`` (axe could not decide) or were
    ``inapplicable``, and ``all_violations``: every violated rule's id, whatever its
    impact."""

    def __init__(self, violations, passed, incomplete, inapplicable, all_violations):
        super().__init__(violations)
        self.passed = list(passed)
        self.incomplete = list(incomplete)
        self.inapplicable = list(inapplicable)
        self.all_violations = list(all_violations)

    def evaluated(self, rule: str) -> bool:
        """Whether axe judged ``rule`` on some element (passed or violated)."""
        return rule in self.passed or rule in self.all_violations


def _axe_missing() -> None:
    message = (
        f"axe-core is not installed ({AXE.relative_to(ROOT)} is missing): "
        "run make setup, or npm ci --prefix tests/browser"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


_RUN_AXE = """async ([include, rules]) => {
    const html = document.documentElement, body = document.body;
    const saved = [html.style.height, body.style.height];
    // JupyterLab's body is 0 px tall with overflow hidden: axe then finds every element
    // hidden and calls colour contrast inapplicable. A full-height body, for the run.
    html.style.height = '100vh';
    body.style.height = '100vh';
    try {
        const options = {resultTypes: ['violations']};
        if (rules) options.runOnly = {type: 'rule', values: rules};
        const results = await axe.run({include: [include]}, options);
        const ids = (list) => list.map((rule) => rule.id);
        return {
            violations: results.violations.map((rule) => ({
                id: rule.id,
                impact: rule.impact,
                help: rule.help,
                nodes: rule.nodes.slice(0, 5).map((node) => ({
                    target: node.target,
                    html: node.html,
                    failureSummary: node.failureSummary,
                })),
            })),
            passed: ids(results.passes),
            incomplete: ids(results.incomplete),
            inapplicable: ids(results.inapplicable),
        };
    } finally {
        html.style.height = saved[0];
        body.style.height = saved[1];
    }
}"""


def axe_violations(
    page,
    include: str = ".fl-root",
    impacts: Sequence[str] = ("critical", "serious"),
    rules: Sequence[str] | None = None,
) -> AxeViolations:
    """Run axe-core on the elements matching ``include`` and return its violations of
    the given ``impacts`` (an ``AxeViolations``: a list, with the ids of the rules that
    passed, were incomplete or inapplicable). ``rules`` limits the run to those rule ids.

    axe-core comes from npm (tests/browser/package.json; ``make setup`` installs it).
    Without it the test is skipped, or fails in CI (``CI`` set)."""
    if not AXE.exists():
        _axe_missing()
    if page.locator(include).count() == 0:
        raise AssertionError(f"axe: nothing on the page matches {include!r}")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    raw = page.evaluate(_RUN_AXE, [include, list(rules) if rules else None])
    return AxeViolations(
        [v for v in raw["violations"] if v["impact"] in impacts],
        raw["passed"],
        raw["incomplete"],
        raw["inapplicable"],
        [v["id"] for v in raw["violations"]],
    )


def assert_contrast_evaluated(result: AxeViolations, allow_incomplete: bool = False) -> None:
    """Fail unless axe judged colour contrast (rule ``color-contrast``) on some element:
    it passed or was violated, not inapplicable (nothing visible with text) and, unless
    ``allow_incomplete``, not left undecided (e.g. text over an image)."""
    if result.evaluated("color-contrast"):
        return
    if allow_incomplete and "color-contrast" in result.incomplete:
        return
    where = (
        "inapplicable"
        if "color-contrast" in result.inapplicable
        else "incomplete"
        if "color-contrast" in result.incomplete
        else "not run"
    )
    raise AssertionError(f"axe did not evaluate colour contrast: {where}")


@contextlib.contextmanager
def app_server(request, tmp_path_factory, setup=None) -> Iterator[JupyterServer]:
    """For a module-scoped ``server`` fixture parametrized over APPS: a fresh folder,
    ``setup(folder)`` to fill it (optional), and the app of ``request.param`` over it."""
    folder = tmp_path_factory.mktemp(f"{request.param}-work")
    if setup is not None:
        setup(folder)
    with jupyter_server(request.param, folder, tmp_path_factory.mktemp("jupyter")) as running:
        yield running


@contextlib.contextmanager
def exercise_lab(tmp_path_factory, exercise: str) -> Iterator[JupyterServer]:
    """JupyterLab on 127.0.0.1 over a fresh folder holding the released notebook of
    ``exercise``, as a student who fetched it has it."""
    home = tmp_path_factory.mktemp("lab")
    work = home / "work"
    work.mkdir()
    shutil.copy(ROOT / "exercises" / exercise / f"{exercise}.ipynb", work)
    with jupyter_server("lab", work, home / "jupyter") as server:
        yield server


def drag(page, first, last) -> None:
    """Drag the mouse from the start of locator ``first`` to the end of ``last``, as a
    student selects words."""
    first.scroll_into_view_if_needed()
    a, b = first.bounding_box(), last.bounding_box()
    page.mouse.move(a["x"] + 1, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] - 1, b["y"] + b["height"] / 2, steps=8)
    page.mouse.up()


def keep_screenshot(target, name: str) -> Path:
    """Save a PNG of ``target`` (a Playwright page, whole, or a locator) as
    ``test-artifacts/NAME.png`` and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (name if name.endswith(".png") else f"{name}.png")
    if hasattr(target, "goto"):  # a page
        target.screenshot(path=str(path), full_page=True)
    else:
        target.screenshot(path=str(path))
    return path


def screenshot_if_failed(page, request) -> Path | None:
    """In a fixture, after its ``yield``: keep what the browser showed if the test failed
    (``test-artifacts/TESTNAME-failure.png``; tests/conftest.py records the outcome)."""
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        return keep_screenshot(page, f"{request.node.name}-failure")
    return None
