"""Why did my pod land on node-2? Why is it Pending? The scheduler's last attempt, explained.

Every scheduling attempt leaves an :class:`Attempt`: the filter verdict for each node it looked at
(the first plugin that rejected it, with the upstream reason), the raw, normalised and weighted
score of each score plugin for each feasible node, and the choice. Recording costs almost
nothing: the attempt keeps references to lists the cycle built anyway. ``scheduler.explain(name)``
wraps it in an :class:`Explanation`, which prints as prose, renders as an HTML table in Jupyter,
and gives ``as_rows()`` for widgets.

>>> a = Attempt("default/web", time=2.0, number=1, profile="default-scheduler", num_all_nodes=2,
...             filter_plugins=["TaintToleration", "NodeResourcesFit"])
>>> a.node_to_status = {"node-2": Status(Code.UnschedulableAndUnresolvable,
...                                      "node(s) had untolerated taint {dedicated: gpu}", "TaintToleration")}
>>> a.feasible, a.host = ["node-1"], "node-1"
>>> print(Explanation(a))
Pod default/web (attempt 1 at 2.000 s, profile default-scheduler): scheduled to node-1.
Filter: 2 of 2 nodes evaluated, 1 feasible.
  node-2 was filtered out by TaintToleration: node(s) had untolerated taint {dedicated: gpu}
  node-1 passed every filter (TaintToleration, NodeResourcesFit)
Score: node-1 was the only feasible node, so it was picked without scoring.

Upstream: none (kube-scheduler logs this at -v=10, and `kubectl describe pod` shows only the message);
the numbers are those of pkg/scheduler/schedule_one.go (prioritizeNodes, selectHost).
"""

from __future__ import annotations

import html
from typing import Any

from k8slearn.scheduler.framework import Code, Status  # noqa: F401  (both are used by the doctest above)

MAX_SCORE_LINES = 20  # prose lists at most this many scored nodes (the rest are counted)
MAX_HTML_ROWS = 100


class Attempt:
    """The record of one scheduling attempt for one pod (the last one is kept per pod)."""

    __slots__ = (
        "feasible",
        "filter_matrix",
        "filter_plugins",
        "host",
        "left_out",
        "message",
        "node_to_status",
        "nominating",
        "num_all_nodes",
        "num_to_find",
        "number",
        "pod_key",
        "pre_filter_message",
        "profile",
        "reason",
        "scores",
        "skipped_filter_plugins",
        "ties",
        "time",
        "totals",
        "victims",
        "what_if",
    )

    def __init__(
        self,
        pod_key: str,
        time: float,
        number: int,
        profile: str,
        num_all_nodes: int = 0,
        filter_plugins: list | None = None,
    ) -> None:
        self.pod_key, self.time, self.number, self.profile = pod_key, time, number, profile
        self.num_all_nodes = num_all_nodes
        self.filter_plugins: list[str] = filter_plugins or []
        self.skipped_filter_plugins: list[str] = []
        self.pre_filter_message = ""
        self.node_to_status: dict = {}  # node name -> Status (rejected nodes only)
        self.feasible: list = []  # node names, or NodeInfos (anything with .name)
        self.scores: list = []  # [PluginScores], aligned with feasible
        self.totals: list = []
        self.host = ""
        self.ties = 1
        self.message = ""  # the FailedScheduling message (or error) if the attempt failed
        self.reason = ""  # Unschedulable / SchedulerError
        self.num_to_find = 0
        self.left_out = ""  # why nodes outside a PreFilterResult were not tried
        self.nominating: str | None = None  # PostFilter's nomination: None keeps, "" clears, a node sets
        self.victims: list[str] = []  # pods preemption evicted (or, in a what-if, would evict)
        self.what_if = ""  # for a what-if: the changes tried, in words
        self.filter_matrix: dict = {}  # what-if only: node -> {filter plugin -> Status, or None if skipped}


# What a summary's dropped details are set to: one empty list and one empty dict shared by every
# summary (a memory saving: a summary is only read, never changed; see drop_details).
NO_DETAILS: list = []
NO_DETAIL_MAP: dict = {}


def drop_details(attempt: Attempt, previous: Attempt | None = None) -> None:
    """Keep only the outcome of ``attempt`` (its per-node details go), in as few bytes as possible:
    empty details are the shared NO_DETAILS/NO_DETAIL_MAP, and plugin name lists equal to those of
    the ``previous`` summary are that summary's list (the same names, one list)."""
    attempt.node_to_status, attempt.feasible = NO_DETAIL_MAP, NO_DETAILS
    attempt.scores, attempt.totals = NO_DETAILS, NO_DETAILS
    if not attempt.victims:
        attempt.victims = NO_DETAILS
    if not attempt.filter_matrix:
        attempt.filter_matrix = NO_DETAIL_MAP
    if not attempt.skipped_filter_plugins:
        attempt.skipped_filter_plugins = NO_DETAILS
    elif previous is not None and attempt.skipped_filter_plugins == previous.skipped_filter_plugins:
        attempt.skipped_filter_plugins = previous.skipped_filter_plugins
    if previous is not None and attempt.filter_plugins == previous.filter_plugins:
        attempt.filter_plugins = previous.filter_plugins


def _name(node: Any) -> str:
    return node if isinstance(node, str) else node.name


def _nodes(n: int, adjective: str = "") -> str:
    """``1 other node``, ``2 other nodes``: a count of nodes in words, singular for one."""
    return " ".join(filter(None, [str(n), adjective, "node" if n == 1 else "nodes"]))


def _was(n: int) -> str:
    return "was" if n == 1 else "were"


class Explanation:
    """Prose (``str``), an HTML table (``_repr_html_``) and rows (``as_rows``) for one attempt."""

    def __init__(self, attempt: Attempt | None, pod_key: str = "", note: str = "") -> None:
        self.attempt = attempt
        self.pod_key = attempt.pod_key if attempt else pod_key
        self.note = note

    # -- data --------------------------------------------------------------------------------
    @property
    def picked(self) -> str:
        return self.attempt.host if self.attempt else ""

    @property
    def message(self) -> str:
        return self.attempt.message if self.attempt else self.note

    def as_rows(self) -> list[dict]:
        """One row per evaluated node: outcome, filtering plugin and reason, scores, total."""
        a = self.attempt
        if a is None:
            return []
        rows = []
        for name, status in a.node_to_status.items():
            rows.append(
                {
                    "node": name,
                    "outcome": "filtered",
                    "plugin": status.plugin,
                    "code": status.code.name,
                    "reason": status.message(),
                    "scores": {},
                    "total": None,
                }
            )
        for i, node in enumerate(a.feasible):
            name = _name(node)
            scores = {
                s.name: {
                    "raw": s.raw[i],
                    "normalized": s.normalized[i],
                    "weight": s.weight,
                    "weighted": s.normalized[i] * s.weight,
                }
                for s in a.scores
            }
            rows.append(
                {
                    "node": name,
                    "outcome": "picked" if name == a.host else "feasible",
                    "plugin": "",
                    "code": "Success",
                    "reason": "",
                    "scores": scores,
                    "total": a.totals[i] if a.totals else None,
                }
            )
        return rows

    # -- prose -------------------------------------------------------------------------------
    def __str__(self) -> str:
        a = self.attempt
        if a is None:
            return self.note or f"The scheduler has not tried to schedule pod {self.pod_key} (yet)."
        if a.what_if:
            head = f"What if pod {a.pod_key} ({a.what_if}; profile {a.profile}): "
            lines = [
                head
                + (
                    f"it would be scheduled to {a.host}."
                    if a.host
                    else f"it would not be scheduled ({a.reason})."
                )
            ]
        else:
            head = f"Pod {a.pod_key} (attempt {a.number} at {a.time:.3f} s, profile {a.profile}): "
            lines = [head + (f"scheduled to {a.host}." if a.host else f"not scheduled ({a.reason}).")]
        if a.pre_filter_message:
            lines.append(f"PreFilter rejected the pod before any node was tried: {a.pre_filter_message}")
        elif a.num_all_nodes:
            lines.extend(self._filter_lines(a))
        if a.host:
            lines.extend(self._score_lines(a))
        if a.nominating:
            verb = "would evict" if a.what_if else "evicted"
            victims = ", ".join(a.victims) or "no pods"
            lines.append(
                f"Preemption {verb} {victims} on {a.nominating} and nominated that node "
                f"(status.nominatedNodeName); the pod is tried again once they are gone."
            )
        if a.message:
            lines.append(f"Message: {a.message}")
        if a.what_if:
            lines.append("(A what-if: nothing was bound, no event was written, the cluster is unchanged.)")
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)

    def _filter_lines(self, a: Attempt) -> list[str]:
        evaluated = len(a.node_to_status) + len(a.feasible)
        lines = [f"Filter: {evaluated} of {a.num_all_nodes} nodes evaluated, {len(a.feasible)} feasible."]
        for name, status in a.node_to_status.items():
            lines.append(f"  {name} was filtered out by {status.plugin}: {status.message()}")
        plugins = ", ".join(a.filter_plugins) or "no Filter plugins"
        for node in a.feasible[:MAX_SCORE_LINES]:
            lines.append(f"  {_name(node)} passed every filter ({plugins})")
        if len(a.feasible) > MAX_SCORE_LINES:
            lines.append(f"  ... and {_nodes(len(a.feasible) - MAX_SCORE_LINES, 'more feasible')}")
        rest = a.num_all_nodes - evaluated
        if rest > 0 and a.left_out.startswith("node(s)"):
            lines.append(f"  {_nodes(rest, 'other')} {_was(rest)} left out by PreFilter: {a.left_out}")
        elif rest > 0 and a.left_out:
            lines.append(f"  {_nodes(rest, 'other')} {_was(rest)} not tried: {a.left_out}")
        elif rest > 0 and a.reason == "SchedulerError":
            lines.append(f"  {_nodes(rest)} {'has' if rest == 1 else 'have'} no verdict: a plugin failed "
                         "and the cycle stopped (the Message below says why).")
        elif rest > 0:
            lines.append(
                f"  {_nodes(rest)} {_was(rest)} not evaluated: the search stops once "
                f"{a.num_to_find} feasible nodes are found (percentageOfNodesToScore)."
            )
        return lines

    def _score_lines(self, a: Attempt) -> list[str]:
        if len(a.feasible) == 1:
            return [f"Score: {a.host} was the only feasible node, so it was picked without scoring."]
        if not a.scores:
            return [
                (
                    f"Score: no score plugins; every feasible node scored {a.totals[0] if a.totals else 1}, "
                    f"{a.host} was picked at random."
                )
            ]
        weights = ", ".join(f"{s.name} ×{s.weight}" for s in a.scores)
        lines = [f"Score (weights: {weights}; each plugin gives 0..100 after normalising):"]
        order = sorted(
            range(len(a.feasible)),
            key=lambda i: (-a.totals[i], _name(a.feasible[i]) != a.host, _name(a.feasible[i])),
        )
        best = a.totals[order[0]]
        for i in order[:MAX_SCORE_LINES]:
            name = _name(a.feasible[i])
            parts = []
            for s in a.scores:
                raw = "" if s.raw[i] == s.normalized[i] else f" (raw {s.raw[i]})"
                parts.append(f"{s.name} {s.normalized[i]}×{s.weight}{raw}")
            line = f"  {name} scored {a.totals[i]} ({' + '.join(parts)})"
            if name == a.host:
                line += f", the highest{self._tie_note(a, order, best)}: picked"
            elif a.totals[i] == best:
                line += ", tied for the highest"
            lines.append(line)
        if len(order) > MAX_SCORE_LINES:
            lines.append(f"  ... and {_nodes(len(order) - MAX_SCORE_LINES, 'more scored')}")
        return lines

    @staticmethod
    def _tie_note(a: Attempt, order: list, best: int) -> str:
        others = [_name(a.feasible[i]) for i in order if a.totals[i] == best]
        others = [name for name in others if name != a.host]
        if not others:
            return ""
        who = ", ".join(others) if len(others) <= 3 else f"{len(others)} other nodes"
        return f" (tied with {who}; the tie was broken at random)"

    def __repr__(self) -> str:
        return str(self)

    # -- HTML --------------------------------------------------------------------------------
    def _repr_html_(self) -> str:
        """A nodes × plugins table: filter verdicts (red: rejected), scores (greener: higher), total."""
        a = self.attempt
        esc = html.escape
        if a is None:
            return f"<p>{esc(str(self))}</p>"
        score_plugins = [s.name for s in a.scores]
        filter_plugins, skipped = _filter_columns(a.filter_matrix)
        head = "".join(f"<th>{esc(p)}</th>" for p in filter_plugins) or "<th>filtered by</th><th>reason</th>"
        head += "".join(
            f"<th>{esc(p)}<br><small>×{s.weight}</small></th>" for p, s in zip(score_plugins, a.scores)
        )
        all_rows = self.as_rows()
        body = [self._html_row(a, row, filter_plugins, score_plugins) for row in all_rows[:MAX_HTML_ROWS]]
        if len(all_rows) > MAX_HTML_ROWS:
            span = 3 + max(len(filter_plugins), 2) + len(score_plugins)
            body.append(
                f'<tr><td colspan="{span}">... and {len(all_rows) - MAX_HTML_ROWS} more nodes '
                "(see as_rows())</td></tr>"
            )
        summary = esc(str(self).splitlines()[0])
        message = f"<p><code>{esc(a.message)}</code></p>" if a.message else ""
        skipped_line = (
            f"<p><small>skipped for this pod (PreFilter found nothing to check): {esc(', '.join(skipped))}"
            "</small></p>" if skipped else ""
        )
        return (
            f'<div class="k8slearn-explain"><p>{summary}</p>{message}'
            '<table style="border-collapse:collapse;font-size:12px"><thead><tr><th>node</th>'
            f"<th>outcome</th>{head}<th>total</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"{skipped_line}</div>"
        )

    @staticmethod
    def _html_row(a: Attempt, row: dict, filter_plugins: list, score_plugins: list) -> str:
        esc = html.escape
        cells = []
        if filter_plugins:
            verdicts = a.filter_matrix.get(row["node"], {})
            for plugin in filter_plugins:
                status = verdicts.get(plugin)
                if status is None:
                    cells.append(f'<td style="{_CELL};color:#888">skipped</td>')
                elif status.is_success():
                    cells.append(f'<td style="{_CELL};background:#e8f5e9">✔</td>')
                else:
                    cells.append(
                        f'<td style="{_CELL};background:#ffcdd2" title="{esc(status.message())}">'
                        f"✘ {esc(status.message())}</td>"
                    )
        else:
            cells.append(
                f'<td style="{_CELL}">{esc(row["plugin"])}</td><td style="{_CELL}">{esc(row["reason"])}</td>'
            )
        for plugin in score_plugins:
            s = row["scores"].get(plugin)
            if s is None:
                cells.append(f'<td style="{_CELL}"></td>')
            else:
                green = 255 - int(s["normalized"] * 0.9)
                cells.append(
                    f'<td style="{_CELL};background:rgb({green},255,{green})" '
                    f'title="raw {s["raw"]}">{s["normalized"]}×{s["weight"]}={s["weighted"]}</td>'
                )
        total = "" if row["total"] is None else row["total"]
        colour = {"picked": "#c8e6c9", "filtered": "#fff3f3"}.get(row["outcome"], "#ffffff")
        weight = "bold" if row["outcome"] == "picked" else "normal"
        return (
            f'<tr style="background:{colour};font-weight:{weight}"><td style="{_CELL}">{esc(row["node"])}</td>'
            f'<td style="{_CELL}">{esc(row["outcome"])}</td>{"".join(cells)}<td style="{_CELL}">{total}</td></tr>'
        )


_CELL = "border:1px solid #ddd;padding:2px 6px;text-align:left"


def _filter_columns(filter_matrix: dict) -> tuple[list, list]:
    """The what-if table's filter columns, and the plugins left out of it: those PreFilter skipped on
    every node (a pod without ports, claims or spread constraints gives NodePorts, the volume
    plugins or PodTopologySpread nothing to check), named under the table instead.

    >>> ok = Status(Code.Success)
    >>> _filter_columns({"node-1": {"NodePorts": None, "NodeResourcesFit": ok},
    ...                  "node-2": {"NodePorts": None, "NodeResourcesFit": ok}})
    (['NodeResourcesFit'], ['NodePorts'])
    """
    plugins = list(filter_matrix.get(next(iter(filter_matrix), ""), {})) if filter_matrix else []
    skipped = [p for p in plugins if all(verdicts.get(p) is None for verdicts in filter_matrix.values())]
    return [p for p in plugins if p not in skipped], skipped
