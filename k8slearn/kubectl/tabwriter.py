"""Go's ``text/tabwriter``: the elastic tab stops behind every kubectl table and describe page.

kubectl never pads columns itself. It writes cells separated by ``\\t`` and lets a tabwriter
align them: a *column block* is a run of consecutive lines that all have a cell in that column,
and every cell of the block is padded to the block's widest cell plus ``padding`` (and at least
``minwidth``). The last cell of a line is never padded. A line without tabs ends every block,
which is why ``kubectl describe`` aligns each section on its own.

>>> print(render("NAME\\tREADY\\tSTATUS\\nweb\\t1/1\\tRunning\\n", minwidth=6, padding=3), end="")
NAME   READY   STATUS
web    1/1     Running
>>> print(render("Name:\\tweb\\nLabels:\\tapp=web\\nContainers:\\n  nginx:\\n", padding=2), end="")
Name:    web
Labels:  app=web
Containers:
  nginx:

Simplified: no escapes, form feeds, right alignment or tab padding (kubectl uses none of them).

Upstream: go/src/text/tabwriter/tabwriter.go (kubectl: cli-runtime/pkg/printers/tabwriter.go
uses minwidth 6, padding 3; pkg/describe/describe.go uses minwidth 0, padding 2)
"""

from __future__ import annotations

__all__ = ["render", "TABLE", "DESCRIBE"]

TABLE = {"minwidth": 6, "padding": 3}  # printers.GetNewTabWriter
DESCRIBE = {"minwidth": 0, "padding": 2}  # describe.tabbedString


def render(text: str, minwidth: int = 0, padding: int = 2) -> str:
    """Align ``text`` (cells split by tabs, lines by newlines) exactly as tabwriter.Flush would."""
    raw_lines = text.split("\n")
    lines = [line.split("\t") for line in raw_lines]
    out: list[str] = []
    _format(lines, 0, len(lines), [], minwidth, padding, out)
    return "\n".join(out)


def _format(lines: list[list[str]], line0: int, line1: int, widths: list[int],
            minwidth: int, padding: int, out: list[str]) -> None:
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        # a block of lines that all have a cell in this column starts here
        _write_lines(lines, line0, this, widths, out)
        line0 = this
        width = minwidth
        while this < line1 and column < len(lines[this]) - 1:
            width = max(width, len(lines[this][column]) + padding)
            this += 1
        _format(lines, line0, this, widths + [width], minwidth, padding, out)
        line0 = this
    _write_lines(lines, line0, line1, widths, out)


def _write_lines(lines: list[list[str]], line0: int, line1: int, widths: list[int],
                 out: list[str]) -> None:
    for cells in lines[line0:line1]:
        parts = []
        for j, cell in enumerate(cells):
            if j < len(widths) and j < len(cells) - 1:
                parts.append(cell + " " * (widths[j] - len(cell)))
            else:
                parts.append(cell)
        out.append("".join(parts))
