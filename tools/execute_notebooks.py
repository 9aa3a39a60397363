"""Re-execute every course notebook in place, the way `make notebooks` does.

Usage: ``python tools/execute_notebooks.py [NOTEBOOK ...]`` (default: every notebook in
``$K8SLEARN_NOTEBOOKS`` or ``notebooks/``).

Each notebook is run top to bottom with nbconvert's ExecutePreprocessor in a fresh ``python3``
kernel whose working directory is the notebook's directory (as nbval and JupyterLab do).
The saved file is made as reproducible as the model allows:

- widget state is stored (``store_widget_state``), so widgets render in slides and static HTML;
- no execution timestamps are recorded (``record_timing=False``);
- the kernelspec is set to ``python3``;
- widget model ids, random uuid4s in ipywidgets, are renamed to ids derived from the notebook
  name and their order, so running twice gives the same bytes when the model is deterministic;
- consecutive outputs of one stream are joined into one (``coalesce_streams``): the kernel sends
  what a cell prints in pieces as time passes, so how the text was cut depended on the machine's
  speed, not on the notebook.

Afterwards every output is checked for what would make a second run differ or leak this
machine: error outputs, ``/tmp/ipykernel_<pid>`` paths (warnings), absolute paths of this
checkout or home directory, and memory addresses. Errors fail (exit 1); the rest are reported.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course_files import REPO, notebook_paths  # noqa: E402

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

# (pattern, problem, fatal)
_LEAKS = [
    (re.compile(r"/tmp/ipykernel_\d+/"), "ipykernel temp path (a warning printed to stderr?)", False),
    (re.compile(re.escape(str(REPO)) + r"|/work/|/root/|/home/\w+"), "absolute path of this machine", True),
    (re.compile(r"\b0x[0-9a-fA-F]{6,}\b"), "memory address (nbval sanitizes it, but it is noise)", False),
]


def execute(nb, directory: Path, timeout: int = 600):
    """Run all cells of ``nb`` (in place) with the kernel's cwd set to ``directory``."""
    client = ExecutePreprocessor(kernel_name="python3", timeout=timeout, record_timing=False,
                                 store_widget_state=True)
    client.preprocess(nb, {"metadata": {"path": str(directory)}})
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    return nb


def stable_widget_ids(nb, stem: str):
    """Rename widget model ids to ones derived from ``stem`` and their order of appearance."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    ids = list(state)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            model_id = output.get("data", {}).get(WIDGET_VIEW, {}).get("model_id")
            if model_id and model_id not in ids:
                ids.append(model_id)
    if not ids:
        return nb
    text = json.dumps(nb)
    for i, old in enumerate(ids):
        new = hashlib.sha256(f"{stem}:{i}".encode()).hexdigest()[:32]
        text = text.replace(old, new)
    return nbformat.from_dict(json.loads(text))


def coalesce_streams(nb):
    """Join each run of stdout (or stderr) outputs of a cell into one output, text unchanged."""
    for cell in nb.cells:
        joined: list = []
        for output in cell.get("outputs", []):
            last = joined[-1] if joined else None
            if (output.get("output_type") == "stream" and last is not None
                    and last.get("output_type") == "stream" and last.get("name") == output.get("name")):
                last["text"] = "".join(last["text"]) + "".join(output["text"])
            else:
                joined.append(output)
        if "outputs" in cell:
            cell["outputs"] = joined
    return nb


def problems(nb) -> list[tuple[bool, str]]:
    """(fatal, message) for each error output or leaked machine detail in the outputs."""
    found = []
    for index, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and "raises-exception" not in tags:
                found.append((True, f"cell {index}: error output {output.get('ename')}: "
                                    f"{output.get('evalue')}"))
            text = json.dumps({k: v for k, v in output.items() if k != "traceback"})
            text = re.sub(r'"image/(png|jpeg)": "[^"]*"', "", text)
            for pattern, what, fatal in _LEAKS:
                match = pattern.search(text)
                if match:
                    found.append((fatal, f"cell {index}: {what}: {match.group(0)!r}"))
    return found


def run(path: Path) -> bool:
    started = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    execute(nb, path.parent)
    nb = coalesce_streams(stable_widget_ids(nb, path.stem))
    nbformat.validate(nb)
    nbformat.write(nb, path)
    found = problems(nb)
    for fatal, message in found:
        print(f"  {'ERROR' if fatal else 'warning'}: {path.name}: {message}")
    print(f"executed {path.name} in {time.perf_counter() - started:.1f} s")
    return not any(fatal for fatal, _ in found)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a).resolve() for a in args] or notebook_paths()
    if not paths:
        print("execute_notebooks: no notebooks to execute")
        return 0
    ok = True
    for path in paths:
        try:
            ok &= run(path)
        except Exception as err:  # a failing cell: report it, keep the file unchanged, go on
            print(f"  ERROR: {path.name}: {type(err).__name__}: {str(err)[-2000:]}")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
