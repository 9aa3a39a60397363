"""``kubectl events``: the events of a namespace (or of one object), oldest first.

Unlike ``kubectl get events`` (a server-side table in the API server's order), ``kubectl events``
prints its own table, sorted by the time each event was last seen, and names the object as
``Kind/name``; a repeated event shows how often and over how long::

    LAST SEEN           TYPE      REASON      OBJECT    MESSAGE
    5m                  Normal    Scheduled   Pod/web   Successfully assigned default/web to node-1
    40s (x4 over 2m)    Warning   BackOff     Pod/web   Back-off restarting failed container ...

``--for kind/name`` keeps one object's events (a field selector on involvedObject), ``--types``
keeps Normal or Warning ones, ``-A`` adds a NAMESPACE column. The sort is Go's ``sort.Sort``,
which is not stable, so events seen in the same second come out in the order Go leaves them
(:mod:`k8slearn.kubectl.go_sort`).

``-w`` (``--watch``) opens a watch on the events with no resourceVersion, so the API server first
sends every event there is as ADDED (in its own order, not sorted), then each new or updated one;
a deleted event (the TTL's end) is not printed. The header comes with the first event printed, and
the one tabwriter remembers its column widths from line to line, as ``get -w``'s does. The watch
ends as ``get -w`` ends in the simulation (:func:`k8slearn.kubectl.watch.run_cluster_while_watching`).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/events/events.go (Run, runWatch, SortableEvents,
decodeResourceTypeName), event_printer.go (EventPrinter, getInterval)
"""

from __future__ import annotations

from k8slearn.api.meta import parse_timestamp
from k8slearn.api.resources import lookup
from k8slearn.kubectl import tabwriter
from k8slearn.kubectl.apply import print_flags_format
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import KubectlError
from k8slearn.kubectl.go_sort import sort_interface
from k8slearn.kubectl.gotemplate import GO_TEMPLATE_FORMATS, print_with_template
from k8slearn.kubectl.jsonpath import JSONPathError, jsonpath
from k8slearn.kubectl.output import to_json_typed, to_yaml
from k8slearn.kubectl.printers import event_interval
from k8slearn.kubectl.watch import RememberingTabwriter, run_cluster_while_watching


@command("events")
def run_events(ctx: Context, args: list[str]) -> int:
    # Words after "events" are ignored: the command declares no Args, and cobra's legacyArgs lets a
    # command without subcommands take any (``kubectl events pod/web`` lists every event).
    types = ctx.flags["types"] or []
    for value in types:
        if value.lower() not in ("normal", "warning"):
            raise KubectlError("valid --types are Normal or Warning")
    try:
        selector = _for_selector(ctx.flags["for"]) if ctx.flags["for"] else None
    except LookupError as err:  # the RESTMapper's NoMatch: checkErr prints it with no "error: "
        ctx.eprint(str(err))
        return 1
    everywhere, wanted = ctx.flags["all-namespaces"], {t.lower() for t in types}
    output, template = print_flags_format(ctx)
    if ctx.flags["watch"]:
        _run_watch(ctx, selector, everywhere, wanted, output, template)
        return 0
    events = ctx.client.list("events", None if everywhere else ctx.namespace, field_selector=selector)
    events = [e for e in events if not wanted or (e.get("type") or "").lower() in wanted]
    if not events:
        ctx.eprint("No events found." if everywhere else f"No events found in {ctx.namespace} namespace.")
        return 0
    events = sort_interface(events, lambda a, b: _event_time(a) < _event_time(b))
    if output:
        items = [_typed(e) for e in events]
        _print_formatted(ctx, output, template, {"apiVersion": "v1", "items": items, "kind": "EventList",
                                                 "metadata": {}})
        return 0
    rows = [] if ctx.flags["no-headers"] else [_heading(everywhere)]
    rows += [_event_cells(e, ctx.now(), everywhere) for e in events]
    ctx.print(tabwriter.render("\n".join("\t".join(r) for r in rows) + "\n", **tabwriter.TABLE), end="")
    return 0


def _typed(event: dict) -> dict:
    """The event with the GroupVersionKind kubectl sets on it (v1, Event)."""
    return {"apiVersion": "v1", "kind": "Event", **event}


def _heading(everywhere: bool) -> list[str]:
    """EventPrinter.printHeadings."""
    return (["NAMESPACE"] if everywhere else []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]


def _event_cells(event: dict, now: float, everywhere: bool) -> list[str]:
    """EventPrinter.printOneEvent: the cells of one event's line."""
    involved = event.get("involvedObject") or {}
    return ([event["metadata"].get("namespace", "")] if everywhere else []) + [
        event_interval(event, now), event.get("type", ""), event.get("reason", ""),
        f"{involved.get('kind', '')}/{involved.get('name', '')}", (event.get("message") or "").strip()]


def _print_formatted(ctx: Context, output: str, template: str, obj: dict, printed: int = 0) -> None:
    """PrintFlags.ToPrinter's printer for ``-o``, given a typed EventList or (under -w) one Event;
    ``printed`` counts the objects printed before, for the YAML printer's ``---`` separator."""
    if output == "name":
        for item in obj.get("items", [obj]):
            ctx.print(f"event/{item['metadata']['name']}")
    elif output in ("json", "yaml"):
        # (a typed object: -o json in Go's field order)
        text = to_json_typed(obj) if output == "json" else ("---\n" if printed else "") + to_yaml(obj)
        ctx.print(text, end="")
    elif output in GO_TEMPLATE_FORMATS:
        print_with_template(ctx, template, obj, typed=True)
    else:
        try:
            as_json = output == "jsonpath-as-json"
            allow = ctx.flags.get("allow-missing-template-keys", True)
            ctx.print(jsonpath(template, obj, as_json=as_json, allow_missing_keys=allow),
                      end="\n" if as_json else "")
        except JSONPathError as exc:
            raise KubectlError(str(exc)) from None


def _run_watch(ctx: Context, selector: str | None, everywhere: bool, wanted: set[str], output: str,
               template: str) -> None:
    """runWatch: every event the watch delivers, but for DELETED ones and the types not wanted, printed
    as it comes (the list first, as ADDED events in the API server's order: no sorting)."""
    writer, state = RememberingTabwriter(), {"header": ctx.flags["no-headers"], "printed": 0}

    def on_event(event_type: str, event: dict) -> None:
        if event_type == "DELETED":  # events are deleted after 1 hour; don't print that
            return
        if wanted and (event.get("type") or "").lower() not in wanted:
            return
        if output:
            _print_formatted(ctx, output, template, _typed(event), state["printed"])
            state["printed"] += 1
            return
        lines = [] if state["header"] else ["\t".join(_heading(everywhere))]
        state["header"] = True
        lines.append("\t".join(_event_cells(event, ctx.now(), everywhere)))
        ctx.print(writer.render(lines), end="")

    watch = ctx.client.watch("events", None if everywhere else ctx.namespace, resource_version=None,
                             field_selector=selector, handler=on_event)
    try:
        run_cluster_while_watching(ctx)
    finally:
        watch.stop()


def _for_selector(target: str) -> str:
    """decodeResourceTypeName: ``pod/web`` -> a field selector on the event's involvedObject."""
    if "/" not in target:
        raise KubectlError("--for must be in resource/name form")
    parts = target.split("/")
    if len(parts) != 2:
        raise KubectlError("arguments in resource/name form may not have more than one slash")
    info = lookup(parts[0])
    api_version = f"{info.group}/{info.version}" if info.group else info.version
    return (f"involvedObject.kind={info.kind},involvedObject.apiVersion={api_version},"
            f"involvedObject.name={parts[1]}")


def _event_time(event: dict) -> float:
    """eventTime: the series' last observation, else lastTimestamp, else eventTime."""
    series = event.get("series")
    stamp = (series or {}).get("lastObservedTime") if series else None
    stamp = stamp or event.get("lastTimestamp") or event.get("eventTime")
    return parse_timestamp(stamp) if stamp else float("-inf")
