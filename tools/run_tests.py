"""Run the test steps of `make test` in order and print how long each took.

Usage: ``python tools/run_tests.py [--steps unit,nbval,slides,browser] [--fail-fast]``

Steps:

1. ``unit``: ``pytest tests k8slearn -m "not browser"`` (unit, property, doctest and
   notebook-hygiene tests);
2. ``nbval``: strict nbval over the notebooks, with the time per notebook;
3. ``slides``: builds the offline decks and checks them in headless chromium;
4. ``browser``: runs every notebook in a real JupyterLab in headless chromium.

Steps 2-4 are skipped, with a message, while there are no notebooks. Every step runs even
after one fails (so one run shows every problem); the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course_files import REPO, notebook_paths, notebooks_dir  # noqa: E402

STEPS = ("unit", "nbval", "slides", "browser")


def command(step: str, notebooks: Path) -> list[str]:
    pytest = [sys.executable, "-m", "pytest"]
    if step == "unit":
        return [*pytest, "tests", "k8slearn", "-m", "not browser", "--durations=10"]
    if step == "nbval":
        return [*pytest, "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
                "tests/nbval_sanitize.cfg", "--nbval-cell-timeout=120", "-p", "tools.pytest_file_timing",
                str(notebooks)]
    return [*pytest, f"tests/{step}", "-m", "browser", "-rs", "--durations=0", "--durations-min=0.5"]


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default=",".join(STEPS),
                        help="comma-separated subset of " + ",".join(STEPS))
    parser.add_argument("--fail-fast", action="store_true", help="stop at the first failing step")
    args = parser.parse_args(argv)
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        parser.error(f"unknown step(s) {unknown}; choose from {', '.join(STEPS)}")

    notebooks = notebooks_dir()
    have_notebooks = bool(notebook_paths(notebooks)) if notebooks.is_dir() else False
    results: list[tuple[str, str, float]] = []
    for step in steps:
        if step != "unit" and not have_notebooks:
            print(f"\n=== {step}: skipped, no notebooks in {_relative(notebooks)}/ yet", flush=True)
            results.append((step, "skipped (no notebooks)", 0.0))
            continue
        cmd = command(step, notebooks)
        print(f"\n=== {step}: {' '.join(cmd[1:])}", flush=True)
        started = time.perf_counter()
        code = subprocess.call(cmd, cwd=REPO)
        elapsed = time.perf_counter() - started
        # pytest exit code 5 means nothing was collected: a step that should test something did not.
        outcome = "passed" if code == 0 else ("no tests collected" if code == 5 else f"FAILED (exit {code})")
        results.append((step, outcome, elapsed))
        if code != 0 and args.fail_fast:
            break

    print("\n=== make test: wall time per step")
    for step, outcome, elapsed in results:
        print(f"  {step:<8} {elapsed:7.1f} s  {outcome}")
    print(f"  {'total':<8} {sum(e for _, _, e in results):7.1f} s")
    failed = [s for s, outcome, _ in results if not outcome.startswith(("passed", "skipped"))]
    if failed:
        print(f"failed steps: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
