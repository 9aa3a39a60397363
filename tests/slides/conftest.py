"""Fixtures for the slide-deck tests: the decks built by tools/build_slides.py, and chromium."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import build_slides  # noqa: E402
import headless  # noqa: E402
from course_files import notebook_paths, slides_dir  # noqa: E402


@pytest.fixture(scope="session")
def decks() -> dict[str, Path]:
    """Every notebook exported to ``slides/`` (or ``$K8SLEARN_SLIDES``), keyed by notebook stem."""
    headless.skip_or_fail_without_browser()
    try:
        built = build_slides.build(notebook_paths(), slides_dir(), verbose=False)
    except build_slides.VendorError as err:
        if headless.in_ci():
            pytest.fail(f"slides: {err}", pytrace=False)
        pytest.skip(f"slides: {err}")
    return {path.name[: -len(".slides.html")]: path for path in built}


@pytest.fixture(scope="session")
def browser():
    headless.skip_or_fail_without_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = headless.launch(playwright)
        yield chromium
        chromium.close()
