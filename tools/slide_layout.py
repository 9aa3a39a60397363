"""Make a chapter notebook presentable as a slide deck (used by build_slides.py on a copy).

A notebook is written for a student who scrolls; a deck is shown to a room, one screen at a time.
So, on the copy that becomes the deck (the notebook itself is not changed):

* a slide taller than a screen continues on a new sub-slide (↓) where the next cell would not fit
  (but a cell taller than a screen by itself stays with a lead-in of up to a quarter screen, as
  long as the two still fit at the deck's smallest scale, ``FLOOR``), and a fragment that would
  appear below the bottom of the screen starts a sub-slide instead; a lead-in that ends with ":"
  moves on with what it introduces, and a heading with its lead-in, or a short closing remark, may
  run a few lines past the screen (``SLACK_LINES``) rather than be left alone on a slide;
* a code cell whose picture and the outputs after it are together taller than a screen shows those
  outputs (a table under a chart) on a sub-slide of their own;
* a code cell still taller than a screen whose last output is one long text (a ``describe``, a
  trace) or one table (a ``get_table`` of cases) continues that output on sub-slides, in pieces of
  about equal height: a text cut where a section starts, a table between rows, its header repeated;
* a markdown cell tagged ``split-table`` (a wide table whose rows wrap to many lines: the estimate
  cannot see that) shows the second half of its table, header repeated, and the prose after it on
  a sub-slide of its own;
* a quiz shows one question per sub-slide, cut from its saved HTML, with the answer in a closed
  "Answer" box the instructor opens with a click; not its source (which holds the answers) nor its
  widget (whose buttons do nothing in a deck); the code cells just before it that only define what
  it runs are skipped;
* an exercise check that fails on the unsolved notebook (its output starts ``✘ 0/5 checks pass``)
  shows its call but not the red table, which looks like a broken demo on a projector; a check is
  any call of ``check(``, ``check_<word>(`` or ``<helper>.check_<word>(`` (``pod_flow.check_order(``).
  A cell tagged ``show-failure`` keeps its red table: the one check whose failure the text explains;
* the set-up is skipped: a code cell with a ``%load_ext`` line (the imports), a markdown cell
  that is only a "Set-up" heading, and the code under that heading that prints nothing; the
  heading's slide start passes to the next cell shown when that is prose;
* the navigation links (the cell tagged ``nav``, skipped in the deck) follow the title slide's
  first cell, so every deck links back to the course map;
* a speaker-notes cell stays with the cell just before it, as nbconvert places it: when
  pagination moves that cell to a new sub-slide, its note goes along.

Heights are estimated in lines of code-sized text (24 px): a markdown line wraps at about 100
characters on the 1280-pixel canvas, a blank line between paragraphs counts two, and each cell two
more for its margins; a picture counts as its height in lines at the width it is shown; a widget
panel as 24 lines, and an HTML output by its table rows (a row's text wraps at about 57 characters
a line, as its cells share the width) or its text's lines. (A line of output counts one; cutting a
long output into pieces, a line longer than about 110 characters counts as the lines it wraps to.)
These are estimates: the deck's template measures each slide when it is shown and scales it down to fit
(templates/reveal_local/index.html.j2), so a single cell taller than a screen stays whole.
"""

from __future__ import annotations

import base64
import re
import struct

from nbformat.v4 import new_code_cell, new_markdown_cell

SCREEN_LINES = 30  # lines of code-sized text on the 1280×800 canvas (the rest is the heading and margins)
SLACK_LINES = 35  # a lone heading, or a short closing remark, may take a slide this far: measured, an
# estimated line is about 22 px, so 35 lines are about 770 px and the template scales by 0.93 or more
SHORT_REMARK = 5  # lines: a markdown cell this short that ends its authored slide is a closing remark
LINE_PX = 24  # one such line, in canvas pixels
SHOWN_WIDTH = 1100  # a picture is shown at most this wide
WRAP = 100  # characters of prose per line
CODE_WRAP = 110  # characters of output per line: 19-px monospace, 11 px a character, on the slide's
# 1,237-px output area (the template widens a slide for longer lines, then wraps them)
ROW_WRAP = 57  # characters of a table row's text per line: measured, a row takes 0.42 px a character
ROW = re.compile(r"<tr\b.*?</tr>", re.S)
TAG = re.compile(r"<[^>]*>")
WIDGET_LINES = 24  # real panels are 600-1,500 px: the template scales the slide to fit
CELL_LINES = 2  # a cell's own margins and padding, in lines
FLOOR = 0.55  # the smallest scale the deck's script shrinks a slide to (templates/reveal_local: var FLOOR)
CHECK_CALL = re.compile(r"\bcheck(?:_\w+)?\(")  # check(, check_cluster(, pod_flow.check_order(
FAILED = "✘"  # a failing check's output starts with it
SHOW_FAILURE = "show-failure"  # tag: keep this check's red table in the deck
SPLIT_TABLE = "split-table"  # tag: show this markdown cell's table in two halves
NAV_TAG = "nav"  # tools/make_nav.py's navigation cell
SETUP_HEADING = re.compile(r"#+\s*set[- ]?up\s*", re.I)
LOAD_EXT = re.compile(r"^\s*%load_ext\b", re.M)
QUIZ_CLASS = "quiz-question"  # the deck's CSS sets a question's size (templates/reveal_local)
LIST_ITEM = re.compile(r"<(/?)li\b[^>]*>")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


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


def _code_lines(line: str) -> int:
    """A line of code or output: one line, or more when it is long enough to wrap."""
    return max(1, -(-len(line.rstrip("\n")) // CODE_WRAP))


def _row_lines(row: str) -> int:
    """A table row (``<tr>…</tr>``): about two lines, more when its text is long enough to wrap."""
    text = TAG.sub("", row).replace("&#x27;", "'").replace("&gt;", ">").replace("&lt;", "<")
    return max(2, -(-len(text) // ROW_WRAP))


def output_lines(output) -> int:
    if output.get("output_type") == "stream":
        return len(_text(output.get("text", "")).splitlines())
    data = output.get("data", {})
    if "image/png" in data:
        return _png_lines(_text(data["image/png"]))
    if WIDGET_VIEW in data:
        return WIDGET_LINES
    if "text/html" in data:
        html = _text(data["text/html"])
        rows = sum(_row_lines(row) for row in ROW.findall(html))
        rows += html.count("<br") + html.count("<div") // 2 + 2
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
    """Quizzes one question at a time without their answers showing, unsolved checks without their
    red tables, no set-up, the navigation links on the title slide, panels as the picture of their
    moment, a tall picture's table on a sub-slide of its own, and a long output or a table tagged
    ``split-table`` in pieces, each on a sub-slide."""
    skip_setup(nb.cells)
    nav_on_title(nb.cells)
    pictures_of_the_moment(nb.cells)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or _slide_type(cell) == "skip":
            continue
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if "Quiz(" in cell.source and "remove-input" not in tags:
            tags.append("remove-input")
            _skip_quiz_helpers(nb.cells, i)
        elif _failed_check(cell):
            cell.outputs = [o for o in cell.outputs if not _failed(o)]
    nb.cells = split_long_outputs(split_tall_outputs(split_tables(one_question_per_slide(nb.cells))))


def pictures_of_the_moment(cells) -> None:
    """A panel's output holds its live widget view and a PNG of its picture when the cell ran
    (``k8slearn.viz.panels.picture_bundle``). A deck's widgets come from the widget state saved at
    the end of the run, the panel's *last* state, and their buttons do nothing there; so the deck
    shows the PNG: the widget view goes from every output that also has an image/png."""
    for cell in cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and "image/png" in data:
                del data[WIDGET_VIEW]


def quiz_questions(cell) -> list[str]:
    """The questions of a quiz cell's saved HTML (course.quiz: an ``<ol>`` whose top-level ``<li>``
    each hold a question, its options and a closed ``<details>`` with the answer), as HTML."""
    html = next((_text(o["data"]["text/html"]) for o in cell.get("outputs", [])
                 if "text/html" in o.get("data", {})), "")
    if "<ol>" not in html:
        return []
    body = html[html.index("<ol>") + len("<ol>"): html.rindex("</ol>")]
    questions, depth, start = [], 0, 0
    for tag in LIST_ITEM.finditer(body):  # the options are <li> too, one level down
        if not tag.group(1):
            depth += 1
            start = tag.start() if depth == 1 else start
        else:
            depth -= 1
            if depth == 0:
                questions.append(body[start:tag.end()])
    return questions


def one_question_per_slide(cells) -> list:
    """Each quiz cell (shown, its input removed) becomes one cell per question: the first where the
    quiz was, each next on a sub-slide of its own, so the room reads one question at a time and
    the instructor opens its "Answer" after the vote. Its widget is dropped: it does nothing in a
    deck. A quiz without saved HTML keeps its widget."""
    result = []
    for cell in cells:
        shown_quiz = (cell.cell_type == "code" and "Quiz(" in cell.source
                      and "remove-input" in _tags(cell) and _slide_type(cell) != "skip")
        questions = quiz_questions(cell) if shown_quiz else []
        if not questions:
            result.append(cell)
        for n, question in enumerate(questions, 1):
            html = f"<div class='{QUIZ_CLASS}'><ol start='{n}'>{question}</ol></div>"
            output = {"output_type": "display_data", "metadata": {},
                      "data": {"text/html": html, "text/plain": f"question {n}"}}
            kind = _slide_type(cell) if n == 1 else "subslide"
            result.append(_deck_cell(cell, f"q{n}", [output], kind))
    return result


def split_tall_outputs(cells) -> list:
    """A code cell taller than a screen whose first picture has more output after it (the
    controller timeline: a chart, then its table) keeps the picture; the outputs after it go to a
    copy of the cell, without its input, on a sub-slide of its own. Shown together, both would be
    scaled down to small print, and a long table cut by its scroll box."""
    result = []
    for cell in cells:
        result.append(cell)
        outputs = cell.get("outputs", [])
        first = next((k for k, o in enumerate(outputs) if "image/png" in o.get("data", {})), None)
        if (cell.cell_type != "code" or _slide_type(cell) == "skip" or first is None
                or first == len(outputs) - 1 or cell_lines(cell) <= SCREEN_LINES):
            continue
        rest = outputs[first + 1:]
        cell.outputs = outputs[:first + 1]
        result.append(_deck_cell(cell, "more", rest, "subslide"))
    return result


def split_long_outputs(cells) -> list:
    """A code cell taller than a screen and its slack whose last output is one long text
    (``kubectl describe``, a trace) or one HTML table (``get_table``'s cases) keeps the first piece
    of that output; each next piece goes to a copy of the cell, without its input, on a sub-slide
    of its own. The pieces are about equally tall and each fits a screen and its slack
    (``_cuts``); a text is cut where a section starts (a line that is not indented:
    ``Conditions:``, ``Events:``) when one is near, a table between rows, its header repeated.
    Shown whole, the output would be scaled down to small print (``describe pod``: fit 0.56)."""
    result = []
    for cell in cells:
        result.append(cell)
        outputs = cell.get("outputs", [])
        if cell.cell_type != "code" or _slide_type(cell) == "skip" or cell_lines(cell) <= SLACK_LINES:
            continue
        pieces = _text_pieces(cell, outputs[-1]) or _table_pieces(cell, outputs[-1])
        if len(pieces) < 2:
            continue
        cell.outputs = outputs[:-1] + pieces[:1]
        result.extend(_deck_cell(cell, f"part{n}", [piece], "subslide")
                      for n, piece in enumerate(pieces[1:], 2))
    return result


def _text_pieces(cell, output) -> list:
    """A stream output cut into pieces (``_cuts``): at lines that start a section, if one is near."""
    if output.get("output_type") != "stream":
        return []
    lines = _text(output.get("text", "")).splitlines(keepends=True)
    above = cell_lines(cell) - output_lines(output)
    cuts = _cuts([_code_lines(line) for line in lines], [line[:1].strip() != "" for line in lines],
                 above, CELL_LINES)
    return [{**output, "text": "".join(lines[a:b])} for a, b in zip([0] + cuts, cuts + [len(lines)])]


def _table_pieces(cell, output) -> list:
    """An HTML output with one table (its rows in a ``<tbody>``) cut between rows (``_cuts``): the
    first piece keeps what is around the table (the function's signature above it), each next is
    the table's header and its next rows."""
    html = _text(output.get("data", {}).get("text/html", ""))
    body = re.search(r"<tbody>(.*)</tbody>", html, re.S)
    if not body or html.count("<tbody>") != 1:
        return []
    rows = ROW.findall(body.group(1))
    head = re.search(r"<thead>.*?</thead>", html, re.S)
    head = head.group(0) if head else ""
    if not rows or "font-size" in rows[0]:  # a panel's table in its own small type (the controller
        return []  # timeline's, k8slearn.viz.panels): its rows are a line each, not the two estimated
    costs = [_row_lines(row) for row in rows]
    again = CELL_LINES + output_lines({"data": {"text/html": f"<table>{head}</table>"}})  # + the header
    cuts = _cuts(costs, [True] * len(rows), cell_lines(cell) - sum(costs), again)
    spans = list(zip([0] + cuts, cuts + [len(rows)]))
    first = html[:body.start(1)] + "".join(rows[:spans[0][1]]) + html[body.end(1):]
    pieces = [first] + [f"<table>{head}<tbody>{''.join(rows[a:b])}</tbody></table>" for a, b in spans[1:]]
    plain = _text(output["data"].get("text/plain", ""))
    return [{**output, "data": {"text/html": piece, "text/plain": plain if n == 0 else "(continued)"}}
            for n, piece in enumerate(pieces)]


def split_tables(cells) -> list:
    """A markdown cell tagged ``split-table`` keeps what is above its table, the table's header and
    its first rows, about half its text; a copy of the cell on a sub-slide of its own shows the
    header again, the other rows and what follows the table. For a table whose rows wrap to many
    lines (four or five columns, code paths in them: the chapters' "Background" tables), which the
    estimate in lines cannot see; shown whole, it would be scaled to 0.71."""
    result = []
    for cell in cells:
        result.append(cell)
        if cell.cell_type != "markdown" or SPLIT_TABLE not in _tags(cell) or _slide_type(cell) == "skip":
            continue
        lines = cell.source.splitlines(keepends=True)
        table = _first_table(lines)
        if len(table) < 4:  # a header, its |---| line and two rows at least
            continue
        head, rows = table[:2], table[2:]
        half = sum(len(lines[k]) for k in rows) / 2
        cut = next((k for k in rows[1:] if sum(len(lines[j]) for j in rows if j < k) >= half), rows[-1])
        rest = "".join(lines[k] for k in head) + "".join(lines[cut:])
        cell.source = "".join(lines[:cut]).rstrip("\n")
        made = new_markdown_cell(rest, metadata={"slideshow": {"slide_type": "subslide"}})
        made.id = f"{cell.get('id', 'cell')}-part2"[:64]
        result.append(made)
    return result


def _first_table(lines: list[str]) -> range:
    """The indices of the lines of a markdown text's first table (lines that start with "|")."""
    row = [line.lstrip().startswith("|") for line in lines]
    start = row.index(True) if True in row else len(lines)
    end = row.index(False, start) if False in row[start:] else len(lines)
    return range(start, end)


def _cuts(costs: list[int], starts: list[bool], above: int, again: int) -> list[int]:
    """Where the pieces of an output begin (indices into ``costs``, the lines each line or row
    takes): as few pieces as fit ``SLACK_LINES`` each, of about equal height. The first piece also
    holds the ``above`` lines over the output (its cell's input and margins), each next one
    ``again`` lines of its own (margins, a repeated header). A piece ends before the item whose
    middle would pass that height; but at the next item that ``starts`` a section, if the piece
    still fits the slack up to there, or else at the last such item of its second half."""
    total = above + sum(costs)
    pieces = -(-total // (SLACK_LINES - again))
    target = total / pieces
    cuts, begin, height = [], 0, above
    for k, cost in enumerate(costs):
        if k < begin:
            continue  # (still in the piece before: its end moved on to a section start)
        full = height + cost > SLACK_LINES or (height + cost / 2 > target and len(cuts) < pieces - 1)
        if full and k > begin:
            begin = _section_start(costs, starts, begin, k, height)
            cuts.append(begin)
            height = again + sum(costs[begin:k])
            if begin > k:
                continue
        height += cost
    return cuts


def _section_start(costs, starts, begin: int, k: int, height: int) -> int:
    """Where a piece that began at ``begin`` and is ``height`` lines tall before item ``k`` ends."""
    later = next((j for j in range(k, len(costs)) if starts[j]), None)
    if later is not None and height + sum(costs[k:later]) <= SLACK_LINES:
        return later
    return next((j for j in range(k, begin + (k - begin) // 2, -1) if starts[j]), k)


def _deck_cell(cell, suffix: str, outputs: list, slide_type: str):
    """A code cell of the deck only: ``outputs`` without input, in place of or after ``cell``."""
    metadata = {"slideshow": {"slide_type": slide_type}, "tags": ["remove-input"]}
    made = new_code_cell("", metadata=metadata, outputs=outputs)
    made.id = f"{cell.get('id', 'cell')}-{suffix}"[:64]
    return made


def _skip_quiz_helpers(cells, quiz: int) -> None:
    """The code cells just before a quiz that only define what it runs (they print nothing)."""
    for cell in reversed(cells[:quiz]):
        if cell.cell_type != "code" or cell.get("outputs") or _slide_type(cell) in ("slide", "subslide"):
            return
        _set_slide_type(cell, "skip")


def paginate(nb, screen: int = SCREEN_LINES) -> list[int]:
    """Start a sub-slide at each cell that would not fit on the current screen (or at the lead-in
    just before it, see ``_lead_in``); returns the indices of the cells that now start one."""
    height, part, moved = 0, [], []  # part: the cells shown on the current screen so far
    for i, cell in enumerate(nb.cells):
        kind = _slide_type(cell)
        if kind in ("skip", "notes"):
            continue
        lines = cell_lines(cell)
        if kind in ("slide", "subslide") or not height:
            height, part = lines, [i]
        elif (height + lines <= screen or _keeps_lead_in(height, lines, screen)
              or _has_slack(nb.cells, part, i, height + lines)):
            height, part = height + lines, part + [i]
        else:
            lead = _lead_in(nb.cells, part, lines, screen)
            part = ([lead] if lead is not None else []) + [i]
            _set_slide_type(nb.cells[part[0]], "subslide")
            moved.append(part[0])
            height = sum(cell_lines(nb.cells[k]) for k in part)
    return moved


def _lead_in(cells, part: list[int], lines: int, screen: int):
    """The last cell of ``part`` when it is a markdown lead-in (its text ends with ":"), what it
    would leave behind is more than a heading, and the cell of ``lines`` it introduces still fits
    with it (within ``SLACK_LINES``, or as a tall cell keeps its lead-in): it moves on to the next
    sub-slide with what it introduces rather than end this one. Otherwise None."""
    if len(part) < 2 or _only_a_heading(cells, part[:-1]):  # (a heading alone is an empty slide)
        return None
    last = cells[part[-1]]
    if last.cell_type != "markdown" or not last.source.rstrip().endswith(":"):
        return None
    fits = cell_lines(last) + lines <= SLACK_LINES or _keeps_lead_in(cell_lines(last), lines, screen)
    return part[-1] if fits else None


def _has_slack(cells, part: list[int], i: int, height: int) -> bool:
    """Cell ``i`` may take the screen up to ``SLACK_LINES`` when the screen so far holds only a
    heading and its lead-in (alone, they would make an empty slide), or when it is a short
    markdown remark that closes its authored slide (alone, it would make another). Not a widget:
    its height is a guess (``WIDGET_LINES``)."""
    cell = cells[i]
    if height > SLACK_LINES or _has_widget(cell):
        return False
    alone = _only_a_heading(cells, part)
    after = next((c for c in cells[i + 1:] if _slide_type(c) not in ("skip", "notes")), None)
    closing = (cell.cell_type == "markdown" and cell_lines(cell) <= SHORT_REMARK
               and (after is None or _slide_type(after) in ("slide", "subslide")))
    return alone or closing


def _only_a_heading(cells, part: list[int]) -> bool:
    """The cells of ``part`` are only a heading and its lead-in: markdown, a quarter screen at most
    or ending with ":" (what follows is what they announce)."""
    return all(cells[k].cell_type == "markdown" for k in part) and (
        sum(cell_lines(cells[k]) for k in part) <= SCREEN_LINES // 4
        or cells[part[-1]].source.rstrip().endswith(":"))


def _has_widget(cell) -> bool:
    return any(WIDGET_VIEW in o.get("data", {}) for o in cell.get("outputs", []))


def _keeps_lead_in(lead_in: int, lines: int, screen: int) -> bool:
    """A cell taller than a screen is scaled down anyway, so it keeps the short lead-in before it
    (up to a quarter screen), unless the two together would not fit even at the smallest scale:
    then the lead-in would push the cell's last lines (a ``describe``'s Events) off the screen."""
    return lines > screen and lead_in <= screen // 4 and lead_in + lines <= screen / FLOOR


def prepare(nb) -> list[int]:
    """Everything above, in order; returns the cells that now start a sub-slide."""
    for_the_room(nb)
    return paginate(nb)
