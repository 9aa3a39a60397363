"""Benchmarks for the event loop and the package import (issue: the core).

Run: python bench/bench_sim.py   (or `make bench` for every benchmark)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from k8slearn.sim import Loop

GOAL_EVENTS_PER_S = 500_000
GOAL_IMPORT_S = 0.3


def events_per_second(n_processes: int = 1_000, steps: int = 500) -> float:
    """SimPy-style: many generator processes, each sleeping ``steps`` times."""
    loop = Loop(seed=0, trace=False)

    def proc():
        for _ in range(steps):
            yield 1.0

    for _ in range(n_processes):
        loop.spawn(proc())
    start = time.perf_counter()
    loop.settle(max_seconds=steps + 10)
    elapsed = time.perf_counter() - start
    return loop.events_run / elapsed


def callbacks_per_second(n: int = 500_000) -> float:
    """Plain timers: each callback schedules its successor."""
    loop = Loop(seed=0, trace=False)
    remaining = [n]

    def tick():
        remaining[0] -= 1
        if remaining[0] > 0:
            loop.call_later(0.001, tick)

    for _ in range(100):
        loop.call_later(0.0, tick)
    start = time.perf_counter()
    loop.settle()
    return loop.events_run / (time.perf_counter() - start)


def import_seconds(repeats: int = 5) -> tuple[float, list[str]]:
    """Cold `import k8slearn` in a fresh interpreter, and which heavy modules it pulled in."""
    code = (
        "import time, sys; t = time.perf_counter(); import k8slearn; d = time.perf_counter() - t; "
        "print(d); print(','.join(m for m in ('matplotlib', 'ipywidgets', 'numpy') if m in sys.modules))"
    )
    times, heavy = [], []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        first, second = (out.splitlines() + [""])[:2]
        times.append(float(first))
        heavy = [m for m in second.split(",") if m]
    return statistics.median(times), heavy


def main() -> dict:
    eps = events_per_second()
    cps = callbacks_per_second()
    imp, heavy = import_seconds()
    print(f"event loop, generator processes: {eps:,.0f} events/s (goal >= {GOAL_EVENTS_PER_S:,})")
    print(f"event loop, plain timers: {cps:,.0f} events/s")
    print(
        f"import k8slearn: {imp:.3f} s median of 5 cold starts (goal <= {GOAL_IMPORT_S} s); "
        f"heavy modules imported: {heavy or 'none'}"
    )
    return {"events_per_s": eps, "timer_events_per_s": cps, "import_s": imp, "import_heavy": heavy}


if __name__ == "__main__":
    main()
