"""Generate the navigation cells of every course notebook from k8slearn/course/chapters.py.

Usage: ``python tools/make_nav.py [--check] [NOTEBOOK_DIR]``

Each notebook gets two generated markdown cells, replaced in place when present and inserted
when absent:

- tagged ``nav`` (first cell, slide type ``skip``):
  ``[Course map](00_welcome.ipynb#The-course-map) · [← previous](…) · [next →](…)`` (no "previous"
  link when that is the welcome itself; in the welcome, the map link is ``#The-course-map``)
- tagged ``nav-next`` (last cell, slide type ``slide``): ``**Next:** [title](file)``

A markdown cell tagged ``course-map`` (in the welcome notebook) gets the table from
``course_map_markdown()``. Previous and next skip chapters whose notebook does not exist yet,
so no link is ever broken; adding a notebook means running this script (``make notebooks``)
again, and tests/test_notebook_hygiene.py fails until one does.

Running it twice changes nothing the second time. ``--check`` writes nothing and exits 1 when
some notebook's navigation is out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course_files import load_chapters, notebook_paths, notebooks_dir  # noqa: E402

NAV_TAG = "nav"
NEXT_TAG = "nav-next"
MAP_TAG = "course-map"
WELCOME = "00_welcome"
# The id JupyterLab and nbconvert give the welcome's "## The course map" heading: links to it open
# the welcome at the map (and, in a slide deck, the slide that holds it).
MAP_ANCHOR = "The-course-map"
# Generated cells get fixed ids so that regenerating them never changes the file.
_CELL_IDS = {NAV_TAG: "k8slearn-nav", NEXT_TAG: "k8slearn-nav-next"}
_SLIDE_TYPES = {NAV_TAG: "skip", NEXT_TAG: "slide", MAP_TAG: None}


def _ready_neighbours(stem: str, notebook_dir: Path):
    chapters = load_chapters().chapters(notebook_dir)
    ready = [c for c in chapters if c.status == "ready" or c.stem == stem]
    stems = [c.stem for c in ready]
    if stem not in stems:
        raise KeyError(f"{stem}.ipynb is not a chapter: add it to CHAPTERS in k8slearn/course/chapters.py")
    i = stems.index(stem)
    welcome = next((c for c in ready if c.stem == WELCOME), None)
    previous = ready[i - 1] if i > 0 else None
    following = ready[i + 1] if i + 1 < len(ready) else None
    return welcome, previous, following


def expected_cells(stem: str, notebook_dir: Path) -> dict[str, str]:
    """The generated markdown source for each tag, for notebook ``<stem>.ipynb`` of ``notebook_dir``."""
    welcome, previous, following = _ready_neighbours(stem, notebook_dir)
    parts = []
    course_map = ""
    if welcome is not None:
        course_map = f"#{MAP_ANCHOR}" if stem == WELCOME else f"{welcome.filename}#{MAP_ANCHOR}"
        parts.append(f"[Course map]({course_map})")
    if previous is not None and previous is not welcome:  # (the course map link goes there already)
        parts.append(f"[← {previous.title}]({previous.filename})")
    if following is not None:
        parts.append(f"[{following.title} →]({following.filename})")
    if following is not None:
        bottom = f"**Next:** [{following.title}]({following.filename})"
    elif welcome is not None and stem != WELCOME:
        bottom = f"**Next:** this is the last chapter so far; back to the [course map]({course_map})"
    else:
        bottom = "**Next:** this is the last chapter so far."
    return {
        NAV_TAG: " · ".join(parts) or "k8slearn course",
        NEXT_TAG: bottom,
        MAP_TAG: load_chapters().course_map_markdown(notebook_dir),
    }


def _tagged(nb, tag: str):
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def _set_cell(cell, source: str, tag: str) -> bool:
    changed = False
    if cell.cell_type != "markdown" or cell.source != source:
        cell.cell_type, cell.source = "markdown", source
        for key in ("outputs", "execution_count"):
            cell.pop(key, None)
        changed = True
    slide_type = _SLIDE_TYPES[tag]
    if slide_type is not None and cell.metadata.get("slideshow", {}).get("slide_type") != slide_type:
        cell.metadata.setdefault("slideshow", {})["slide_type"] = slide_type
        changed = True
    return changed


def _new_cell(nb, tag: str):
    cell = nbformat.v4.new_markdown_cell(metadata={"tags": [tag]})
    taken = {c.get("id") for c in nb.cells}
    if nb.nbformat_minor >= 5 and _CELL_IDS[tag] not in taken:
        cell.id = _CELL_IDS[tag]
    elif nb.nbformat_minor < 5:
        cell.pop("id", None)
    return cell


def apply_nav(nb, stem: str, notebook_dir: Path) -> bool:
    """Update ``nb`` in place; True when anything changed."""
    wanted = expected_cells(stem, notebook_dir)
    changed = False
    for tag, position in ((NAV_TAG, 0), (NEXT_TAG, None)):
        cells = _tagged(nb, tag)
        if not cells:
            cells = [_new_cell(nb, tag)]
            nb.cells.insert(len(nb.cells) if position is None else position, cells[0])
            changed = True
        for cell in cells:
            changed |= _set_cell(cell, wanted[tag], tag)
    for cell in _tagged(nb, MAP_TAG):
        changed |= _set_cell(cell, wanted[MAP_TAG], MAP_TAG)
    return changed


def update_notebook(path: Path, write: bool = True) -> bool:
    """Regenerate one notebook's navigation; returns True when it was (or would be) changed."""
    nb = nbformat.read(path, as_version=4)
    changed = apply_nav(nb, path.stem, path.parent)
    if changed and write:
        nbformat.validate(nb)
        nbformat.write(nb, path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook_dir", nargs="?", type=Path, default=None)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of date")
    args = parser.parse_args(argv)
    directory = (args.notebook_dir or notebooks_dir()).resolve()
    paths = notebook_paths(directory)
    if not paths:
        print(f"make_nav: no notebooks in {directory}")
        return 0
    stale = []
    for path in paths:
        try:
            changed = update_notebook(path, write=not args.check)
        except KeyError as err:
            print(f"make_nav: {err.args[0]}", file=sys.stderr)
            return 2
        if changed:
            stale.append(path.name)
        print(f"make_nav: {path.name}: {'updated' if changed else 'up to date'}"
              + (" (check only)" if changed and args.check else ""))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
