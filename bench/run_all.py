"""Run every benchmark in bench/ and collect the numbers in build/bench.json.

Usage: ``python bench/run_all.py [NAME ...]`` (``make bench``); NAMEs select benchmarks whose
file name contains them (``python bench/run_all.py scheduler``).

Each ``bench/bench_*.py`` that defines ``main()`` is imported and its ``main()`` called with
no arguments. What it prints is shown as it runs and kept; what it returns (usually a dict
of numbers) is stored too, and printed as ``key: value`` lines when ``main()`` printed
nothing. One failing benchmark is reported and the others still run; the exit status is 1
if any failed. Speed goals live here, never in timed unit tests.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import platform
import sys
import time
import traceback
from contextlib import redirect_stdout
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUTPUT = BENCH.parent / "build" / "bench.json"


class _Tee(io.TextIOBase):
    """Writes to the real stdout and keeps a copy."""

    def __init__(self, stream):
        self.stream, self.copy = stream, io.StringIO()

    def write(self, text: str) -> int:
        self.stream.write(text)
        self.stream.flush()
        return self.copy.write(text)


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def run_one(path: Path) -> dict | None:
    """Run one benchmark file; None when it has no ``main()``."""
    print(f"== {path.stem}", flush=True)
    tee = _Tee(sys.stdout)
    started = time.perf_counter()
    record: dict = {"error": None, "result": None}
    try:
        module = _load(path)
        if not callable(getattr(module, "main", None)):
            print("   (no main(); skipped)")
            return None
        with redirect_stdout(tee):
            result = module.main()
        if result is not None and not tee.copy.getvalue().strip():
            items = result.items() if isinstance(result, dict) else [("result", result)]
            with redirect_stdout(tee):
                for key, value in items:
                    print(f"{key}: {value}")
        record["result"] = _jsonable(result)
    except Exception:  # report it, keep going with the other benchmarks
        record["error"] = traceback.format_exc()
        print(record["error"], file=sys.stderr)
    record["seconds"] = round(time.perf_counter() - started, 3)
    record["lines"] = tee.copy.getvalue().splitlines()
    print(f"   ({record['seconds']:.1f} s{', FAILED' if record['error'] else ''})", flush=True)
    return record


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    sys.path.insert(0, str(BENCH))
    paths = [p for p in sorted(BENCH.glob("bench_*.py")) if not names or any(n in p.stem for n in names)]
    results = {}
    for path in paths:
        record = run_one(path)
        if record is not None:
            results[path.stem] = record
    report = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "benchmarks": results,
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
    failed = sorted(name for name, r in results.items() if r["error"])
    names_failed = (": " + ", ".join(failed)) if failed else ""
    print(f"\n{len(results)} benchmark(s) run, {len(failed)} failed{names_failed}; "
          f"results in {OUTPUT.relative_to(BENCH.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
