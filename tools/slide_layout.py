"""Make a chapter notebook presentable as a slide deck (used by build_slides.py on a copy).

A notebook is written for a student who scrolls; a deck is shown to a room, one screen at a time.
So, on the copy that becomes the deck (the notebook itself is not changed):

* a slide taller than a screen continues on a new sub-slide (↓) where the next cell would not fit,
  and a fragment that would appear below the bottom of the screen starts a sub-slide instead;
* a quiz cell shows its question widget, not its source (the source holds the answers), and the
  code cells just before it that only define what it runs are skipped;
* an exercise check that fails on the unsolved notebook (``✘ 0/5 checks pass``) shows its call but
  not the red table, which looks like a broken demo on a projector;
* the set-up cell that loads the extension (``%load_ext k8slearn``) is skipped.

Heights are estimated in lines of code-sized text: a markdown line wraps at about 100 characters
on the 1280-pixel canvas; a picture counts as its height in lines at the width it is shown; a
widget panel as a picture. A single cell taller than a screen stays whole (the deck scrolls it).
"""

from __future__ import annotations

import base64
import re
import struct

SCREEN_LINES = 30  # lines of code-sized text on the 1280×800 canvas (the rest is the heading and margins)
LINE_PX = 24  # one such line, in canvas pixels
SHOWN_WIDTH = 1100  # a picture is shown at most this wide
WRAP = 100  # characters of prose per line
WIDGET_LINES = 24
CHECK_CALL = re.compile(r"\bcheck(_manifest|_cluster)?\(")


def _png_lines(data: str) -> int:
    """A PNG's height in lines at the width it is shown (its IHDR chunk has width and height)."""
    try:
        head = base64.b64decode(data[:64] + "=" * (-len(data[:64]) % 4))
        width, height = struct.unpack(">II", head[16:24])
    except (ValueError, struct.error):
        return 20
    scale = min(1.0, SHOWN_WIDTH / width) if width else 1.0
    return max(1, round(height * scale / LINE_PX))


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def output_lines(output) -> int:
    if output.get("output_type") == "stream":
        return len(_text(output.get("text", "")).splitlines())
    data = output.get("data", {})
    if "image/png" in data:
        return _png_lines(_text(data["image/png"]))
    if "application/vnd.jupyter.widget-view+json" in data:
        return WIDGET_LINES
    if "text/html" in data:
        html = _text(data["text/html"])
        return 2 * html.count("<tr") + html.count("<br") + html.count("<div") // 2 + 2  # a row: about two
    for kind in ("text/markdown", "text/plain"):
        if kind in data:
            return len(_text(data[kind]).splitlines())
    return 0


def cell_lines(cell) -> int:
    """How many lines of the screen a cell takes on a slide."""
    tags = cell.get("metadata", {}).get("tags", [])
    if cell.cell_type == "markdown":
        prose = re.sub(r"<details>.*?</details>", "", cell.source, flags=re.S)  # a closed box: one line
        return sum(1 + len(line) // WRAP for line in prose.splitlines()) + 1
    lines = 0 if "remove-input" in tags else len(cell.source.splitlines()) + 1
    return lines + sum(output_lines(o) for o in cell.get("outputs", []))


def _slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def _set_slide_type(cell, slide_type: str) -> None:
    cell.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = slide_type


def _failed_check(cell) -> bool:
    if cell.cell_type != "code" or not CHECK_CALL.search(cell.source):
        return False
    return any("✘" in _text(o.get("text", "")) or any("✘" in _text(v) for v in o.get("data", {}).values())
               for o in cell.get("outputs", []))


def for_the_room(nb) -> None:
    """Quizzes without their answers, unsolved checks without their red tables, no set-up cell."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if cell.source.lstrip().startswith("%load_ext"):
            _set_slide_type(cell, "skip")
        elif "Quiz(" in cell.source and "remove-input" not in tags:
            tags.append("remove-input")
            _skip_quiz_helpers(nb.cells, i)
        elif _failed_check(cell):
            cell.outputs = []


def _skip_quiz_helpers(cells, quiz: int) -> None:
    """The code cells just before a quiz that only define what it runs (they print nothing)."""
    for cell in reversed(cells[:quiz]):
        if cell.cell_type != "code" or cell.get("outputs") or _slide_type(cell) in ("slide", "subslide"):
            return
        _set_slide_type(cell, "skip")


def paginate(nb, screen: int = SCREEN_LINES) -> list[int]:
    """Start a sub-slide at each cell that would not fit on the current screen; returns their indices."""
    height, moved = 0, []
    for i, cell in enumerate(nb.cells):
        kind = _slide_type(cell)
        if kind in ("skip", "notes"):
            continue
        lines = cell_lines(cell)
        if kind in ("slide", "subslide") or not height:
            height = lines
            continue
        if height + lines > screen:
            _set_slide_type(cell, "subslide")
            moved.append(i)
            height = lines
        else:
            height += lines
    return moved


def prepare(nb) -> list[int]:
    """Everything above, in order; returns the cells that now start a sub-slide."""
    for_the_room(nb)
    return paginate(nb)
