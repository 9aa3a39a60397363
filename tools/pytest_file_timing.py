"""A pytest plugin that prints the wall time spent per test file (per notebook under nbval).

Load it with ``-p pytest_file_timing`` (tools/ on ``sys.path``, as tools/run_tests.py does).
nbval makes each code cell one test item and starts the notebook's kernel in the first item's
setup, so the sum of setup, call and teardown durations of a file's items is the time that
notebook took, kernel start included.
"""

from __future__ import annotations

from collections import defaultdict

_totals: dict[str, float] = defaultdict(float)
_counts: dict[str, int] = defaultdict(int)
_failed: set[str] = set()


def pytest_runtest_logreport(report) -> None:
    path = report.nodeid.split("::", 1)[0]
    _totals[path] += report.duration
    if report.when == "call":
        _counts[path] += 1
    if report.failed:
        _failed.add(path)


def pytest_terminal_summary(terminalreporter) -> None:
    if not _totals:
        return
    terminalreporter.write_sep("=", "time per file")
    for path in sorted(_totals):
        mark = "FAILED" if path in _failed else "ok"
        terminalreporter.write_line(
            f"{_totals[path]:8.2f} s  {path}  ({_counts[path]} items, {mark})")
