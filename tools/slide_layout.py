"""Make a chapter notebook presentable as a slide deck (used by build_slides.py on a copy).

A notebook is written for a student who scrolls; a deck is shown to a room, one screen at a time.
So, on the copy that becomes the deck (the notebook itself is not changed):

* a slide taller than a screen continues on a new sub-slide (↓) where the next cell would not fit
  (but a cell taller than a screen by itself stays with a lead-in of up to a quarter screen, as
  long as the two still fit at the deck's smallest scale, ``FLOOR``), and a fragment that would
  appear below the bottom of the screen starts a sub-slide instead;
* a quiz cell shows its question widget, not its source (the source holds the answers), and the
  code cells just before it that only define what it runs are skipped;
* an exercise check that fails on the unsolved notebook (its output starts ``✘ 0/5 checks pass``)
  shows its call but not the red table, which looks like a broken demo on a projector; a check is
  any call of ``check(``, ``check_<word>(`` or ``<helper>.check_<word>(`` (``pod_flow.check_order(``).
  A cell tagged ``show-failure`` keeps its red table: the one check whose failure the text explains;
* the set-up is skipped: a code cell with a ``%load_ext`` line (the imports), a markdown cell
  that is only a "Set-up" heading, and the code under that heading that prints nothing; the
  heading's slide start passes to the next cell shown when that is prose;
* the navigation links (the cell tagged ``nav``, skipped in the deck) follow the title slide's
  first cell, so every deck links back to the course map;
* a speaker-notes cell stays on the slide it was written on when pagination moves the content
  before it to a new sub-slide.

Heights are estimated in lines of code-sized text (24 px): a markdown line wraps at about 100
characters on the 1280-pixel canvas, a blank line between paragraphs counts two, and each cell two
more for its margins; a picture counts as its height in lines at the width it is shown; a widget
panel as 24 lines, and an HTML output by its table rows or its text's lines. These are estimates:
the deck's template measures each slide when it is shown and scales it down to fit
(templates/reveal_local/index.html.j2), so a single cell taller than a screen stays whole.
"""

from __future__ import annotations

import base64
import re
import struct

SCREEN_LINES = 30  # lines of code-sized text on the 1280×800 canvas (the rest is the heading and margins)
LINE_PX = 24  # one such line, in canvas pixels
SHOWN_WIDTH = 1100  # a picture is shown at most this wide
WRAP = 100  # characters of prose per line
WIDGET_LINES = 24  # real panels are 600-1,500 px: the template scales the slide to fit
CELL_LINES = 2  # a cell's own margins and padding, in lines
FLOOR = 0.55  # the smallest scale the deck's script shrinks a slide to (templates/reveal_local: var FLOOR)
CHECK_CALL = re.compile(r"\bcheck(?:_\w+)?\(")  # check(, check_cluster(, pod_flow.check_order(
FAILED = "✘"  # a failing check's output starts with it
SHOW_FAILURE = "show-failure"  # tag: keep this check's red table in the deck
NAV_TAG = "nav"  # tools/make_nav.py's navigation cell
SETUP_HEADING = re.compile(r"#+\s*set[- ]?up\s*", re.I)
LOAD_EXT = re.compile(r"^\s*%load_ext\b", re.M)


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
        rows = 2 * html.count("<tr") + html.count("<br") + html.count("<div") // 2 + 2  # a row: about two
        return max(rows, len(_text(data.get("text/plain", "")).splitlines()))  # (a listing: its lines)
    for kind in ("text/markdown", "text/plain"):
        if kind in data:
            return len(_text(data[kind]).splitlines())
    return 0


def cell_lines(cell) -> int:
    """How many lines of the screen a cell takes on a slide."""
    tags = cell.get("metadata", {}).get("tags", [])
    if cell.cell_type == "markdown":
        prose = re.sub(r"<details>.*?</details>", "", cell.source, flags=re.S)  # a closed box: one line
        return sum(1 + len(line) // WRAP if line.strip() else 2 for line in prose.splitlines()) + CELL_LINES
    outputs = cell.get("outputs", [])
    lines = 0 if "remove-input" in tags else len(cell.source.splitlines())
    return lines + CELL_LINES + sum(output_lines(o) for o in outputs) - (not outputs)


def _slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def _set_slide_type(cell, slide_type: str) -> None:
    cell.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = slide_type


def _tags(cell) -> list:
    return cell.get("metadata", {}).get("tags", [])


def _failed(output) -> bool:
    """A check's result that starts with ✘ (its text/plain, or the text of a stream)."""
    text = output.get("text") or output.get("data", {}).get("text/plain", "")
    return _text(text).lstrip().startswith(FAILED)


def _failed_check(cell) -> bool:
    return (cell.cell_type == "code" and bool(CHECK_CALL.search(cell.source))
            and SHOW_FAILURE not in _tags(cell) and any(_failed(o) for o in cell.get("outputs", [])))


def _is_setup(cell) -> bool:
    if cell.cell_type == "markdown":
        return bool(SETUP_HEADING.fullmatch(cell.source.strip()))
    return cell.cell_type == "code" and bool(LOAD_EXT.search(cell.source))


def skip_setup(cells) -> None:
    """Skip the set-up: a cell that loads an extension, a "Set-up" heading cell and, up to the
    next slide, the code under that heading that prints nothing (``cluster = Cluster(...)``)."""
    setup = [_is_setup(cell) for cell in cells]
    for i, cell in enumerate(cells):  # under a Set-up heading, code that prints nothing is set-up too
        if setup[i] and cell.cell_type == "markdown":
            for j in range(i + 1, len(cells)):
                if _slide_type(cells[j]) in ("slide", "subslide"):
                    break
                setup[j] = setup[j] or (cells[j].cell_type == "code" and not cells[j].get("outputs"))
    for i, cell in enumerate(cells):
        if not setup[i]:
            continue
        kind = _slide_type(cell)
        _set_slide_type(cell, "skip")
        if kind not in ("slide", "subslide"):
            continue
        shown = next((c for c, s in zip(cells[i + 1:], setup[i + 1:])
                      if not s and _slide_type(c) not in ("skip", "notes")), None)
        if shown is not None and shown.cell_type == "markdown" and _slide_type(shown) in ("-", "fragment"):
            _set_slide_type(shown, kind)


def nav_on_title(cells) -> None:
    """Show the navigation cell (skipped by make_nav) after the first cell of the first slide."""
    nav = next((i for i, c in enumerate(cells) if NAV_TAG in _tags(c) and _slide_type(c) == "skip"), None)
    if nav is None:
        return
    cell = cells.pop(nav)
    title = next((i for i, c in enumerate(cells) if _slide_type(c) not in ("skip", "notes")), None)
    if title is None:
        cells.insert(nav, cell)
        return
    _set_slide_type(cell, "-")
    cells.insert(title + 1, cell)


def for_the_room(nb) -> None:
    """Quizzes without their answers, unsolved checks without their red tables, no set-up, and
    the navigation links on the title slide."""
    skip_setup(nb.cells)
    nav_on_title(nb.cells)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or _slide_type(cell) == "skip":
            continue
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if "Quiz(" in cell.source and "remove-input" not in tags:
            tags.append("remove-input")
            _skip_quiz_helpers(nb.cells, i)
        elif _failed_check(cell):
            cell.outputs = [o for o in cell.outputs if not _failed(o)]


def _skip_quiz_helpers(cells, quiz: int) -> None:
    """The code cells just before a quiz that only define what it runs (they print nothing)."""
    for cell in reversed(cells[:quiz]):
        if cell.cell_type != "code" or cell.get("outputs") or _slide_type(cell) in ("slide", "subslide"):
            return
        _set_slide_type(cell, "skip")


def paginate(nb, screen: int = SCREEN_LINES) -> list[int]:
    """Start a sub-slide at each cell that would not fit on the current screen; returns the
    indices (after notes are put back, see ``keep_notes``) of the cells that now start one."""
    height, moved = 0, []
    for i, cell in enumerate(nb.cells):
        kind = _slide_type(cell)
        if kind in ("skip", "notes"):
            continue
        lines = cell_lines(cell)
        if kind in ("slide", "subslide") or not height:
            height = lines
            continue
        if height + lines > screen and not _keeps_lead_in(height, lines, screen):
            _set_slide_type(cell, "subslide")
            moved.append(i)
            height = lines
        else:
            height += lines
    return keep_notes(nb, moved)


def _keeps_lead_in(lead_in: int, lines: int, screen: int) -> bool:
    """A cell taller than a screen is scaled down anyway, so it keeps the short lead-in before it
    (up to a quarter screen), unless the two together would not fit even at the smallest scale:
    then the lead-in would push the cell's last lines (a ``describe``'s Events) off the screen."""
    return lines > screen and lead_in <= screen // 4 and lead_in + lines <= screen / FLOOR


def keep_notes(nb, moved: list[int]) -> list[int]:
    """Put each notes cell that ``moved`` (the cells paginate made start a sub-slide) pushed onto a
    continuation back on the part of the slide it was written on: before the first moved cell of
    that slide. Returns the moved cells' new indices."""
    cells, first = [], None  # first: where the current authored slide's first continuation starts
    moved_ids = {id(nb.cells[i]) for i in moved}
    for i, cell in enumerate(nb.cells):
        kind = _slide_type(cell)
        if i in moved:
            first = len(cells) if first is None else first
        elif kind in ("slide", "subslide"):
            first = None
        if kind == "notes" and first is not None:
            cells.insert(first, cell)
            first += 1
        else:
            cells.append(cell)
    nb.cells = cells
    return [i for i, cell in enumerate(cells) if id(cell) in moved_ids]


def prepare(nb) -> list[int]:
    """Everything above, in order; returns the cells that now start a sub-slide."""
    for_the_room(nb)
    return paginate(nb)
