"""``ControllerTimeline(cluster)``: which controller did what, when, and why.

One swimlane per controller, one numbered marker per action (▲ create, ▼ delete, ◆ scale,
■ mark, ⬢ lead, ✕ evict, ↺ cancel an eviction, ● schedule), and a table saying what each
controller saw and did ("ReplicaSet web-7c4b4cb947: 1 of 3 pods → create 2"). Rows come from
``timeline.controller_rows`` (the trace joined with Events). Quiet spells longer than 10 s are
cut out of the time axis, with a break mark.

Upstream: none (a teaching view); it reads what kube-controller-manager's controllers wrote.
"""

from __future__ import annotations

import base64
import html
from typing import Any

from k8slearn.viz import style
from k8slearn.viz.events_written import events_written
from k8slearn.viz.panels import TABLE_STYLE, display_bundles, figure_png, new_figure, picture_metadata
from k8slearn.viz.snapshot import unobserved
from k8slearn.viz.timeline import (
    controller_rows,
    lanes,
    summary_text,
)

MARKERS = {  # kind -> (matplotlib marker, colour, legend label)
    "create": ("^", style.POD_COLORS["running"], "create"),
    "delete": ("v", style.POD_COLORS["failed"], "delete"),
    "scale": ("D", style.OWNER["edge"], "scale"),
    "mark": ("s", style.POD_COLORS["pending"], "mark / register"),
    "lead": ("h", style.ETCD["face"], "lead (took the Lease)"),
    "evict": ("X", style.POD_COLORS["terminating"], "evict"),
    "cancel": ("$\u21ba$", style.POD_COLORS["terminating"], "cancel eviction"),
    "schedule": ("o", style.COMPONENT["face"], "schedule"),
    "write": ("P", style.SERVICE["edge"], "write"),          # the label names what was written
    "retry": ("x", style.MUTED, "conflict, retry"),
    "unknown": ("$?$", style.MUTED, "no longer known (Event gone)"),
    "other": (".", style.MUTED, "other"),
}
GAP_SECONDS = 10.0          # a quiet spell longer than this gets a break mark on the time axis
NUMBER_LIMIT = 70           # above this many rows, markers are not numbered


def slot_positions(times: list[float], gap: float = GAP_SECONDS) -> tuple[list[float], list[tuple]]:
    """x of each row (one slot per row, in order) and the breaks ``(x, seconds skipped)``.

    >>> slot_positions([0.0, 0.1, 60.0, 60.2])
    ([0.0, 1.0, 3.0, 4.0], [(2.0, 59.9)])
    """
    xs, breaks, x = [], [], 0.0
    for i, t in enumerate(times):
        if i and t - times[i - 1] > gap:
            breaks.append((x, round(t - times[i - 1], 1)))
            x += 1.0
        xs.append(x)
        x += 1.0
    return xs, breaks


def _time_ticks(times: list[float], xs: list[float], min_slots: float = 4.0) -> list[tuple]:
    """(x, label) for the first row of each new moment, at least ``min_slots`` apart so labels do
    not collide; the first row after a break is preferred (it may take the place of the label just
    before it).

    >>> _time_ticks([0.0, 0.5, 1.0, 30.0, 30.5, 60.0], [0, 1, 2, 4, 5, 7], min_slots=2)
    [(0, '0.0'), (2, '1.0'), (4, '30.0'), (7, '60.0')]
    """
    ticks: list[tuple] = []       # (x, label, after a break)
    last_t = None
    for i, (t, x) in enumerate(zip(times, xs)):
        if last_t is not None and round(t, 1) == round(last_t, 1):
            continue
        last_t = t
        after_break = i > 0 and x - xs[i - 1] > 1.0
        if ticks and x - ticks[-1][0] < min_slots:
            replace = after_break and len(ticks) > 1 and not ticks[-1][2] and x - ticks[-2][0] >= min_slots
            if not replace:
                continue
            ticks.pop()
        ticks.append((x, f"{t:.1f}", after_break))
    return [(x, label) for x, label, _ in ticks]


BOTTOM_INCHES = 0.95        # below the axes: the time ticks, TIME_LABEL and one row of the legend
TOP_INCHES = 0.35           # above the axes: the title
LEGEND_ROW_INCHES = 0.25    # each further row of the legend, when one row would not fit the width
TIME_LABEL = "simulated time (s), one slot per action; ⋯ marks a quiet spell"   # fits the narrowest axes
LABEL_INCHES = 0.6          # room for one tick or break label ("3273.5", "⋯ 600 s") on the time axis
LANE_INCHES = 2.2           # room for a lane's name ("endpoint-slice-controller") left of the axis


def _number_size(count: int, slot_pt: float) -> float:
    """The font size of the markers' numbers: ``FONT_SIZE - 2``, or smaller when the widest number
    (``count``) would not fit in one slot (``slot_pt`` points), so two neighbours never touch.

    >>> _number_size(9, 20.0), round(_number_size(70, 9.0), 2)
    (8.5, 6.9)
    """
    return max(style.MIN_FONT_SIZE, min(style.FONT_SIZE - 2, 0.95 * slot_pt / (len(str(count)) * 0.62)))


def draw_timeline(rows: list, title: str = "", figure: Any = None) -> Any:
    """Swimlanes: one lane per controller, one numbered marker per row; returns the Figure."""
    names = lanes(rows)
    times = [r.time for r in rows]
    xs, breaks = slot_positions(times)
    span = (xs[-1] + 1) if xs else 1.0
    width = min(12.0, max(7.5, LANE_INCHES + 0.4 + 0.18 * span))
    height = 1.35 + 0.42 * max(len(names), 1)
    fig = new_figure(figure, width, height)
    left = min(0.32, LANE_INCHES / width)
    ax = fig.add_axes((left, BOTTOM_INCHES / height, 0.98 - left, 1 - (BOTTOM_INCHES + TOP_INCHES) / height))
    y = {lane: len(names) - i for i, lane in enumerate(names)}
    ax.set_xlim(-0.8, span - 0.2)
    ax.set_ylim(0.4, len(names) + (0.95 if breaks else 0.6))   # a strip on top for the break labels
    for ly in y.values():
        ax.axhline(ly, color="#e0e0e0", lw=0.8, zorder=0)
    ax.set_yticks(list(y.values()), list(y.keys()), fontsize=style.FONT_SIZE)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    ax.tick_params(axis="y", length=0)
    room = LABEL_INCHES / (width * (0.98 - left) / (span + 0.6))   # slots one label needs
    ticks = _time_ticks(times, xs, min_slots=max(4.0, room))
    ax.set_xticks([x for x, _ in ticks], [label for _, label in ticks], fontsize=style.FONT_SIZE - 1)
    ax.set_xlabel(TIME_LABEL,
                  fontsize=style.FONT_SIZE, color=style.MUTED)
    labelled = None
    for bx, skipped in breaks:
        ax.axvline(bx, color=style.MUTED, lw=0.8, ls=(0, (1, 2)))
        if labelled is None or bx - labelled >= room:  # a break too close to the last label stays unlabelled
            labelled = bx
            ax.text(bx, len(names) + 0.9, f"⋯ {skipped:g} s", ha="center", va="top", fontsize=style.FONT_SIZE - 1,
                    color=style.MUTED, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    for kind, (marker, colour, _) in MARKERS.items():       # one collection per kind of action
        points = [(x, y[r.controller]) for r, x in zip(rows, xs) if (r.kind if r.kind in MARKERS else "other") == kind]
        if points:
            edge = ({"linewidths": 1.6} if marker == "x" else {"linewidths": 0} if marker.startswith("$")
                    else {"linewidths": 0.5, "edgecolors": "white"})
            ax.scatter(*zip(*points), marker=marker, s=46, color=colour, zorder=3, **edge)
    if len(rows) <= NUMBER_LIMIT:
        size = _number_size(len(rows), width * (0.98 - left) / (span + 0.6) * 72)
        for i, (row, x) in enumerate(zip(rows, xs)):
            ax.text(x, y[row.controller] + 0.2, str(i + 1), ha="center", va="bottom", fontsize=size,
                    color=style.TEXT)
    legend_rows = _marker_legend(ax, sorted({r.kind if r.kind in MARKERS else "other" for r in rows},
                                            key=list(MARKERS).index), written(rows))
    _make_room_below(fig, ax, (legend_rows - 1) * LEGEND_ROW_INCHES)
    if not title and rows:
        span_text = f"{rows[0].time:.1f}" + (f"–{rows[-1].time:.1f}" if rows[-1].time - rows[0].time >= 0.05 else "")
        title = f"{len(rows)} controller action{'s' * (len(rows) != 1)}, t = {span_text} s"
    ax.set_title(title or "No controller actions", fontsize=style.FONT_SIZE + 1, loc="left", color=style.TEXT)
    return fig


def written(rows: list) -> str:
    """What the ``write`` rows wrote, for the legend: ``write ControllerRevision, Endpoints``.

    >>> from k8slearn.viz.timeline import Row
    >>> written([Row(1.0, "endpoint-controller", "update Endpoints", "endpoints/default/web", "", "write"),
    ...          Row(2.0, "node-controller", "update taints", "node/node-1", "", "write")])
    'write Endpoints, taints'
    """
    what = sorted({r.action.split(" ", 1)[-1] for r in rows if r.kind == "write"})
    return "write " + (", ".join(what) if len(what) <= 3 else ", ".join(what[:3]) + ", …")


def _marker_legend(ax: Any, kinds: list, write_label: str = "write") -> int:
    """The marker meanings along the bottom edge of the figure, in as few rows as fit inside its
    width (one row when they can); returns the number of rows (0 without any marker)."""
    from matplotlib.lines import Line2D

    labels = {**{k: m[2] for k, m in MARKERS.items()}, "write": write_label}
    handles = [Line2D([], [], ls="", marker=MARKERS[k][0], ms=6, color=MARKERS[k][1], label=labels[k])
               for k in kinds]
    fig = ax.figure
    for columns in range(len(handles), 0, -1):      # the most columns whose row still fits the width
        legend = fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncol=columns,
                            frameon=False, fontsize=style.FONT_SIZE - 0.5, handletextpad=0.2, columnspacing=1.0)
        if columns == 1 or legend.get_window_extent(fig.canvas.get_renderer()).x1 <= fig.bbox.x1:
            return -(-len(handles) // columns)
        legend.remove()
    return 0


def _make_room_below(fig: Any, ax: Any, inches: float) -> None:
    """Make the figure ``inches`` taller, the new room below the axes (for more legend rows)."""
    if inches <= 0:
        return
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height + inches)
    bottom = BOTTOM_INCHES + inches
    box = ax.get_position()
    ax.set_position((box.x0, bottom / (height + inches), box.width, 1 - (bottom + TOP_INCHES) / (height + inches)))


class ControllerTimeline:
    """Which controller did what, when, and why, from ``cluster.trace`` and the Events.

    ``controllers=`` keeps only those lanes; ``scheduler``/``kubelets``/``writes`` choose the
    other sources (see ``timeline.controller_rows``). ``refresh()`` re-reads the trace.
    """

    def __init__(self, cluster: Any, since: float = 0.0, until: float | None = None,
                 controllers: Any = None, scheduler: bool = True, kubelets: bool = False,
                 writes: bool = True, title: str = "") -> None:
        self.cluster, self.since, self.until = cluster, since, until
        self.controllers = None if controllers is None else (
            {controllers} if isinstance(controllers, str) else set(controllers))
        self.options = {"scheduler": scheduler, "kubelets": kubelets, "writes": writes}
        self.title = title
        self._figure = None
        self.rows: list = []
        self.refresh()

    def refresh(self) -> ControllerTimeline:
        """Read the trace again, with each Event as it was written (``events_written``)."""
        with unobserved(self.cluster):
            rows = controller_rows(self.cluster.trace, events_written(self.cluster), since=self.since,
                                   until=self.until, **self.options)
        self.rows = [r for r in rows if self.controllers is None or r.controller in self.controllers]
        return self

    def figure(self) -> Any:
        self._figure = draw_timeline(self.rows, self.title, self._figure)
        return self._figure

    def png(self) -> bytes:
        return figure_png(self.figure())

    _repr_png_ = png

    def summary(self) -> str:
        return summary_text(self.rows)

    def alt_text(self) -> str:
        """The picture in words: ``summary``, as the ``<img alt>`` of the text/html view says."""
        return f"Controller timeline: {self.summary()}"

    def text(self) -> str:
        lines = [self.summary()]
        lines += [f"{i:>3}. {row}" for i, row in enumerate(self.rows, 1)]
        return "\n".join(lines)

    __str__ = text

    def __repr__(self) -> str:
        return f"<ControllerTimeline: {len(self.rows)} actions>"

    def html(self) -> str:
        esc = html.escape
        head = "".join(f"<th style='{TABLE_STYLE}'>{h}</th>" for h in
                       ("#", "t (s)", "controller", "action", "object", "what it saw → what it did"))
        body = "".join(
            f"<tr><td style='{TABLE_STYLE}'>{i}</td><td style='{TABLE_STYLE}'>{r.time:.3f}</td>"
            f"<td style='{TABLE_STYLE}'>{esc(r.controller)}</td><td style='{TABLE_STYLE}'>{esc(r.action)}</td>"
            f"<td style='{TABLE_STYLE}'><code>{esc(r.object)}</code></td><td style='{TABLE_STYLE}'>{esc(r.why)}</td></tr>"
            for i, r in enumerate(self.rows, 1))
        return (f"<div><div style='font-size:12px;color:{style.MUTED}'>{esc(self.summary())}</div>"
                f"<div style='max-height:420px;overflow-y:auto'><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table></div></div>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        image = base64.b64encode(self.png()).decode("ascii")
        picture = f"<img alt='{html.escape(self.alt_text())}' src='data:image/png;base64,{image}'/>"
        return {"text/plain": self.text(), "text/html": picture + self.html()}

    def _ipython_display_(self) -> None:
        """Two outputs: the picture (its alt text as text/plain), then the table."""
        picture = {"image/png": self.png(), "text/plain": self.summary()}
        display_bundles([(picture, picture_metadata(self.alt_text())),
                         {"text/html": self.html(), "text/plain": self.text()}])
