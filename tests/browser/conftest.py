"""Fixtures for the real-browser tests: one JupyterLab server for the session, and chromium.

The server runs on 127.0.0.1 on a free port, from a temporary copy of the notebooks (so
nothing the browser does, autosave or checkpoints, touches the checkout), with its own
settings, workspaces, runtime and config directories. It exposes ``window.jupyterapp``,
disables the news toast and the update check, attaches every cell to the DOM (windowing
"none") and never autosaves. It is stopped by its own process id.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import headless  # noqa: E402
from course_files import notebooks_dir  # noqa: E402

SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}
PAGE_CONFIG = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}


@dataclass
class Lab:
    base: str
    token: str
    root: Path
    log: Path

    def url(self, notebook: str) -> str:
        return f"{self.base}/lab/tree/{notebook}?reset&token={self.token}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


@pytest.fixture(scope="session")
def lab(tmp_path_factory) -> Lab:
    headless.skip_or_fail_without_browser()
    tmp = tmp_path_factory.mktemp("jupyterlab")
    root = tmp / "notebooks"
    shutil.copytree(notebooks_dir(), root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name, data in SETTINGS.items():
        _write_json(tmp / "settings" / name, data)
    _write_json(tmp / "config" / "labconfig" / "page_config.json", PAGE_CONFIG)
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp / "server.log"
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", "--allow-root", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}", f"--LabApp.user_settings_dir={tmp / 'settings'}"]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp / "config")}
    with open(log, "w") as out:
        server = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start; log:\n{log.read_text()[-3000:]}", pytrace=False)
                time.sleep(0.1)
        yield Lab(base, token, root, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def browser():
    headless.skip_or_fail_without_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = headless.launch(playwright)
        yield chromium
        chromium.close()
