"""``kubectl get -w``: print the objects, then one more line for every change the API server reports.

``-w`` (``--watch``) prints the current list as ``get`` does, then opens a watch from the list's
resourceVersion and prints each changed object as it comes; ``--watch-only`` skips the list;
``--output-watch-events`` adds an EVENT column (``ADDED``, ``MODIFIED``, ``DELETED``). Watching one
named object starts from "now", so the API server first repeats the object as ``ADDED``; kubectl
swallows that first event.

The table keeps one tabwriter for the whole watch, with remembered column widths: a later row
widens a column for itself and every row after it, but never re-aligns the lines above (a real
terminal shows the same staircase):

>>> w = RememberingTabwriter()
>>> print(w.render(["NAME\\tSTATUS\\tAGE", "web\\tPending\\t0s"]), end="")
NAME   STATUS    AGE
web    Pending   0s
>>> print(w.render(["web\\tContainerCreating\\t1s"]) + w.render(["web\\tRunning\\t2s"]), end="")
web    ContainerCreating   1s
web    Running             2s

In the simulation the watch ends when the cluster is quiet (only heartbeats and back-off timers
left, as for ``Cluster.settle()``: the moment you would press Ctrl-C), at the latest after
``WATCH_LIMIT`` simulated seconds, or after ``--request-timeout`` (to follow a crash-looping pod
through its back-offs, say ``--request-timeout=2m``); without a simulated cluster (the
recorded-output tests) it prints what the watch delivered at once.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/get/get.go (watch), github.com/liggitt/tabwriter
(RememberWidths), staging/src/k8s.io/cli-runtime/pkg/printers/tableprinter.go
"""

from __future__ import annotations

import json
from typing import Any

from k8slearn.kubectl import tabwriter
from k8slearn.kubectl.cli import Context
from k8slearn.kubectl.errors import KubectlError
from k8slearn.kubectl.output import to_json, to_yaml
from k8slearn.kubectl.printers import print_table
from k8slearn.kubectl.table import kind_prefix, table_cells

WATCH_LIMIT = 300.0  # simulated seconds a -w runs at most when the cluster never gets quiet


class RememberingTabwriter:
    """A tabwriter (min width 6, padding 3) that remembers each column's width across flushes."""

    def __init__(self) -> None:
        self.widths: list[int] = []

    def render(self, lines: list[str]) -> str:
        rows = [line.split("\t") for line in lines]
        for cells in rows:
            for j, cell in enumerate(cells[:-1]):  # the last cell of a line is never padded
                width = max(tabwriter.TABLE["minwidth"], len(cell) + tabwriter.TABLE["padding"])
                if j == len(self.widths):
                    self.widths.append(width)
                elif width > self.widths[j]:
                    self.widths[j] = width
        return "".join("".join(cell.ljust(self.widths[j]) for j, cell in enumerate(cells[:-1])) + cells[-1] + "\n"
                       for cells in rows)


class WatchPrinter:
    """Prints objects (and watch events) in the chosen output format, one flush per event."""

    def __init__(self, ctx: Context, resource: Any, kind: str, all_namespaces: bool) -> None:
        self.ctx, self.resource, self.kind = ctx, resource, kind
        self.with_namespace = all_namespaces and resource.namespaced
        self.events = ctx.flags["output-watch-events"]
        self.tabwriter = RememberingTabwriter()
        self.header_done = ctx.flags["no-headers"]
        self.printed = 0  # objects printed so far in YAML/JSON/name form (YAML separates them by ---)

    def print(self, objects: list[dict], event_type: str = "ADDED") -> None:
        if not objects:
            return
        if self.kind in ("", "wide"):
            self._table(objects, event_type)
            return
        for obj in objects:
            self._generic(obj, event_type)
            self.printed += 1

    def _table(self, objects: list[dict], event_type: str) -> None:
        flags = self.ctx.flags
        table = print_table(self.resource.plural, objects, self.ctx.now())
        header, rows = table_cells(table, objects, wide=self.kind == "wide", with_namespace=self.with_namespace,
                                   kind_prefix="", label_columns=flags["label-columns"],
                                   show_labels=flags["show-labels"])
        # kubectl writes the event type padded to the longest one, MODIFIED, so the column is as wide
        # from the first line on
        lines = ["\t".join(([event_type.ljust(8)] if self.events else []) + row) for row in rows]
        if not self.header_done:
            lines.insert(0, "\t".join((["EVENT"] if self.events else []) + header))
            self.header_done = True
        self.ctx.print(self.tabwriter.render(lines), end="")

    def _generic(self, obj: dict, event_type: str) -> None:
        if self.kind == "name":
            self.ctx.print(f"{kind_prefix(self.resource)}/{obj.get('metadata', {}).get('name', '')}")
        elif self.events and self.kind == "json":  # a metav1.WatchEvent (type, then object), printed compact
            compact = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            self.ctx.print(f'{{"type":{json.dumps(event_type)},"object":{compact}}}')
        elif self.events:
            raise KubectlError("--output-watch-events is available here with table, name and json output only")
        elif self.kind == "yaml":
            self.ctx.print(("---\n" if self.printed else "") + to_yaml(obj), end="")
        elif self.kind == "json":
            self.ctx.print(to_json(obj), end="")
        else:
            raise KubectlError(f"the output format {self.kind} is not available with --watch in this simulated "
                               "cluster")


def run_watch(ctx: Context, groups: list, errors: list, kind: str, all_namespaces: bool) -> None:
    """The watch part of ``kubectl get``: ``groups`` is what ``fetch`` found for the arguments."""
    if len({id(target.resource) for target, _ in groups}) > 1:
        raise KubectlError("you may only specify a single resource type")
    if errors and not groups:
        from k8slearn.kubectl.errors import Aggregate

        raise Aggregate(errors)
    target, objects = groups[0]
    named = [t for t, _ in groups if t.name is not None]
    printer = WatchPrinter(ctx, target.resource, kind, all_namespaces)
    if not ctx.flags["watch-only"]:
        printer.print(objects)
    if target.name is not None and len(objects) > 1:
        raise KubectlError("you may only watch a single resource or type of resource at a time")
    flags = ctx.flags
    resource = target.resource
    namespace = None if all_namespaces or not resource.namespaced else ctx.namespace
    single = bool(named)
    skip = [single]  # a watch on one object starts with its synthetic ADDED, which kubectl swallows

    def on_event(event_type: str, obj: dict) -> None:
        if skip[0]:
            skip[0] = False
            return
        printer.print([obj], event_type)

    version = None
    if not single and hasattr(ctx.client, "list_with_version"):
        _, version = ctx.client.list_with_version(resource.plural, namespace=namespace,
                                                  label_selector=flags["selector"] or None,
                                                  field_selector=flags["field-selector"] or None)
    selector = f"metadata.name={target.name}" if single else (flags["field-selector"] or None)
    watch = ctx.client.watch(resource.plural, namespace, resource_version=version,
                             label_selector=None if single else flags["selector"] or None,
                             field_selector=selector, handler=on_event)
    try:
        _run_cluster(ctx)
    finally:
        watch.stop()


def _run_cluster(ctx: Context) -> None:
    """Let the simulated cluster run while the watch prints: until quiet, or for --request-timeout."""
    cluster = ctx.cluster
    if cluster is None or not hasattr(cluster, "loop"):
        return
    timeout = _request_timeout(ctx.flags.get("request-timeout"))
    if timeout:
        cluster.run(seconds=timeout)
        return
    from k8slearn.sim.loop import SettleTimeout

    try:
        cluster.settle(max_seconds=WATCH_LIMIT)  # the clock stops at the last change, as settle() does
    except SettleTimeout:
        pass


def _request_timeout(value: Any) -> float:
    """--request-timeout: a duration (``5s``, ``1m``) or plain seconds; 0 or empty means none."""
    from k8slearn.kubectl.flags import parse_duration

    if not value or value == "0":
        return 0.0
    text = str(value)
    try:
        return parse_duration(text if not text.isdigit() else text + "s")
    except ValueError:
        raise KubectlError(f'invalid timeout value "{text}"') from None
