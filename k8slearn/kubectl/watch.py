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

In the simulation the watch ends when nothing more is going to change, the moment you would press
Ctrl-C: the cluster is quiet (only heartbeats and back-off timers left, as for
``Cluster.settle()``), and no node is waiting for the node lifecycle controller's next check. That
controller's checks are heartbeats too, so after ``stop_node`` the cluster is quiet at once; the
watch keeps going through the silence, as a terminal would: after ~55 s the node goes NotReady
and its pods' Ready condition False (a MODIFIED line each: READY still says ``1/1``, which counts
the containers' own ready flags, and only the kubelet writes those), 5 s later the
``NoExecute`` taint, 300 s after that the evictions (``Terminating``) and the replacements from
Pending to Running on the other nodes; after ``start_node``, until the taints are gone. The clock
stops at the last change, as ``settle()``'s does. It ends at the latest after ``WATCH_LIMIT``
simulated seconds (10 min, more than a node failure takes), or after ``--request-timeout`` (to
follow a crash-looping pod through its back-offs, say ``--request-timeout=2m``); without a
simulated cluster (the recorded-output tests) it prints what the watch delivered at once.

Every ``-o`` of plain ``get`` works under ``-w`` too (table, ``wide``, ``name``, ``yaml``, ``json``,
``jsonpath``, ``custom-columns``, ``go-template``: :class:`WatchPrinter`), each object printed on its own.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/get/get.go (watch), github.com/liggitt/tabwriter
(RememberWidths), staging/src/k8s.io/cli-runtime/pkg/printers/ (tableprinter.go, yaml.go, json.go,
jsonpath.go, template.go), staging/src/k8s.io/kubectl/pkg/cmd/get/customcolumn.go; when to stop:
``Cluster.node_changes_pending`` (pkg/controller/nodelifecycle/node_lifecycle_controller.go's checks)
"""

from __future__ import annotations

import json
from typing import Any

from k8slearn.api.conversion import to_internal_version
from k8slearn.kubectl import tabwriter
from k8slearn.kubectl.cli import Context
from k8slearn.kubectl.errors import KubectlError
from k8slearn.kubectl.gotemplate import GO_TEMPLATE_FORMATS, print_with_template, template_of
from k8slearn.kubectl.jsonpath import JSONPathError, custom_column_row, custom_column_spec, jsonpath
from k8slearn.kubectl.output import to_json, to_yaml
from k8slearn.kubectl.printers import print_table
from k8slearn.kubectl.table import kind_prefix, table_cells

WATCH_LIMIT = 600.0  # simulated seconds a -w runs at most: a node failure takes ~6 min to unfold
_WATCH_FORMATS = ("", "wide", "name", "yaml", "json", "custom-columns", "jsonpath", "jsonpath-as-json",
                  *GO_TEMPLATE_FORMATS)


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
    """The printer of ``(*GetOptions).watch``: ``o.ToPrinter`` for the one resource type, writing into
    one tabwriter (``printers.GetNewTabWriter``) that is flushed after each object. Each object is
    printed on its own (the list's items one by one); with ``--output-watch-events`` each is a
    ``metav1.WatchEvent``, which every printer has its own case for: JSON prints it compact on one
    line, YAML as ``object:`` then ``type:`` (sigs.k8s.io/yaml sorts the keys), and JSONPath and
    custom columns look into ``{"type": ..., "object": ...}``. Custom columns print their header
    once (CustomColumnsPrinter.lastType); YAML separates the documents by ``---``."""

    def __init__(self, ctx: Context, resource: Any, kind: str, all_namespaces: bool) -> None:
        self.ctx, self.resource, self.kind = ctx, resource, kind
        self.with_namespace = all_namespaces and resource.namespaced
        self.events = ctx.flags["output-watch-events"]
        self.tabwriter = RememberingTabwriter()
        self.header_done = ctx.flags["no-headers"]
        self.printed = 0  # objects printed so far in YAML/JSON/name form (YAML separates them by ---)
        output = ctx.flags.get("output") or ""
        self.template = output.split("=", 1)[1] if "=" in output else ""
        if kind == "custom-columns":
            try:
                self.columns = custom_column_spec(self.template)
            except JSONPathError as exc:
                raise KubectlError(str(exc)) from None
        elif kind in ("jsonpath", "jsonpath-as-json") and not self.template:
            raise KubectlError("template format specified but no template given")
        elif kind in GO_TEMPLATE_FORMATS:  # (get checked it already: read and parsed again here)
            self.template = template_of(ctx, kind, output)
        elif kind not in _WATCH_FORMATS:
            raise KubectlError(f"the output format {kind} is not available in this simulated cluster")

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
        internal = [to_internal_version(self.resource, o) for o in objects]  # (the server's table: get.py)
        table = print_table(self.resource.plural, internal, self.ctx.now())
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
        """PrintObj of the chosen printer for one object (or its WatchEvent)."""
        event = {"type": event_type, "object": obj}  # a metav1.WatchEvent as JSON has it
        if self.kind == "name":
            self._write(f"{kind_prefix(self.resource)}/{obj.get('metadata', {}).get('name', '')}\n")
        elif self.kind == "json" and self.events:  # printed compact, type first (the struct's order)
            compact = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            self._write(f'{{"type":{json.dumps(event_type)},"object":{compact}}}\n')
        elif self.kind == "json":
            self._write(to_json(obj))
        elif self.kind == "yaml":
            document = {"object": obj, "type": event_type} if self.events else obj
            self._write(("---\n" if self.printed else "") + to_yaml(document))
        elif self.kind == "custom-columns":
            lines = [] if self.header_done else ["\t".join(header for header, _ in self.columns)]
            self.header_done = True
            try:
                lines.append(custom_column_row(self.columns, event if self.events else obj))
            except JSONPathError as exc:
                raise KubectlError(str(exc)) from None
            self.ctx.print(self.tabwriter.render(lines), end="")
        elif self.kind in GO_TEMPLATE_FORMATS:
            print_with_template(self.ctx, self.template, event if self.events else obj)
        else:  # jsonpath, jsonpath-as-json
            as_json = self.kind == "jsonpath-as-json"
            allow = self.ctx.flags.get("allow-missing-template-keys", True)
            try:
                text = jsonpath(self.template, event if self.events else obj, as_json=as_json,
                                allow_missing_keys=allow)
            except JSONPathError as exc:
                raise KubectlError(str(exc)) from None
            self._write(text + ("\n" if as_json else ""))

    def _write(self, text: str) -> None:
        """Text written into the watch's tabwriter and flushed: a tab still separates cells there
        (with the widths the table's columns had), a line without one goes out as it is."""
        if "\t" not in text:
            self.ctx.print(text, end="")
            return
        lines = text.split("\n")
        tail = lines.pop()  # the unterminated last line ("" after a final newline)
        rendered = self.tabwriter.render(lines + ([tail] if tail else []))
        self.ctx.print(rendered[:-1] if tail else rendered, end="")


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
        try:
            printer.print(objects)
        except KubectlError as exc:
            raise KubectlError(f"unable to output the provided object: {exc.message}") from None
    if target.name is not None and len(objects) > 1:
        raise KubectlError("you may only watch a single resource or type of resource at a time")
    flags = ctx.flags
    resource = target.resource
    namespace = None if all_namespaces or not resource.namespaced else ctx.namespace
    single = bool(named)
    skip = [single]  # a watch on one object starts with its synthetic ADDED, which kubectl swallows
    failed = [False]

    def on_event(event_type: str, obj: dict) -> None:
        if skip[0]:
            skip[0] = False
            return
        if failed[0]:
            return
        try:
            printer.print([obj], event_type)
        except KubectlError:  # UntilWithoutRetry stops; watch() ignores intr.Run's error (exit code 0)
            failed[0] = True

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
        run_cluster_while_watching(ctx)
    finally:
        watch.stop()


def run_cluster_while_watching(ctx: Context) -> None:
    """Let the simulated cluster run while the watch prints: until nothing more is going to change
    (``_until_nothing_more_changes``), or for --request-timeout."""
    cluster = ctx.cluster
    if cluster is None or not hasattr(cluster, "loop"):
        return
    timeout = _request_timeout(ctx.flags.get("request-timeout"))
    if timeout:
        cluster.run(seconds=timeout)
        return
    from k8slearn.sim.loop import SettleTimeout

    try:
        _until_nothing_more_changes(cluster, cluster.now + WATCH_LIMIT)
    except SettleTimeout:
        pass


def _until_nothing_more_changes(cluster: Any, deadline: float) -> None:
    """Run the cluster as ``settle()`` does (the clock stops at the last change), and on through the
    quiet stretches of a node failure still unfolding (``Cluster.node_changes_pending``): heartbeat
    by heartbeat, until one of them leads to work again."""
    pending = getattr(cluster, "node_changes_pending", None)
    while True:
        cluster.settle(max_seconds=max(deadline - cluster.now, 0.0))
        if pending is None or not pending():
            return
        while cluster.loop.pending == 0:
            if cluster.now >= deadline or cluster.step() is None:
                return


def _request_timeout(value: Any) -> float:
    """--request-timeout as clientcmd.ParseTimeout reads it (plain seconds or a duration); 0, empty
    or negative means none (http.Client only sets a deadline for a positive Timeout). A bad value
    was refused already, when the command started (cli.py)."""
    from k8slearn.kubectl.flags import parse_timeout

    if not value:
        return 0.0
    try:
        return max(parse_timeout(str(value)), 0.0)
    except ValueError as exc:
        raise KubectlError(str(exc)) from None
