"""Headless chromium for the slide and JupyterLab tests: find it, launch it, keep it offline.

The tests drive the system chromium (Debian's ``chromium`` package) through Python
Playwright with ``executable_path``; Playwright's own browser download is never used.
Set ``CHROMIUM=/path/to/chrome`` to use another binary.

When chromium (or the playwright package) is missing, ``missing_browser_reason()`` says why;
the tests skip with that message, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

LAUNCH_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Names never resolve, so a request that slipped past the route filter still fails.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LOCAL_SCHEMES = ("file:", "data:", "blob:")


def find_chromium() -> str | None:
    """The chromium binary to use, or None."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def in_ci() -> bool:
    """True under ``CI=true`` (or 1/yes), where browser tests must run rather than skip."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing_browser_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -r requirements.txt)"
    if find_chromium() is None:
        return "chromium not found (Debian: apt-get install -y chromium; or set CHROMIUM=/path/to/chrome)"
    return None


def skip_or_fail_without_browser() -> None:
    """Skip the calling test (or fail it under CI=true) when the browser cannot run."""
    import pytest

    reason = missing_browser_reason()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def launch(playwright):
    """A headless chromium browser from the system binary."""
    return playwright.chromium.launch(executable_path=find_chromium(), headless=True, args=LAUNCH_ARGS)
