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

Simplified: no ``--watch``.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/events/events.go (Run, SortableEvents,
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


@command("events")
def run_events(ctx: Context, args: list[str]) -> int:
    # Words after "events" are ignored: the command declares no Args, and cobra's legacyArgs lets a
    # command without subcommands take any (``kubectl events pod/web`` lists every event).
    if ctx.flags["watch"]:
        raise KubectlError("events --watch is not available in this simulated cluster")
    types = ctx.flags["types"] or []
    for value in types:
        if value.lower() not in ("normal", "warning"):
            raise KubectlError("valid --types are Normal or Warning")
    try:
        selector = _for_selector(ctx.flags["for"]) if ctx.flags["for"] else None
    except LookupError as err:  # the RESTMapper's NoMatch: checkErr prints it with no "error: "
        ctx.eprint(str(err))
        return 1
    everywhere = ctx.flags["all-namespaces"]
    events = ctx.client.list("events", None if everywhere else ctx.namespace, field_selector=selector)
    wanted = {t.lower() for t in types}
    events = [e for e in events if not wanted or (e.get("type") or "").lower() in wanted]
    if not events:
        ctx.eprint("No events found." if everywhere else f"No events found in {ctx.namespace} namespace.")
        return 0
    events = sort_interface(events, lambda a, b: _event_time(a) < _event_time(b))
    output, template = print_flags_format(ctx)
    if output:
        items = [{"apiVersion": "v1", "kind": "Event", **e} for e in events]
        listed = {"apiVersion": "v1", "items": items, "kind": "EventList", "metadata": {}}
        if output == "name":
            for item in items:
                ctx.print(f"event/{item['metadata']['name']}")
        elif output in ("json", "yaml"):
            # (a typed EventList: -o json in Go's field order)
            ctx.print(to_json_typed(listed) if output == "json" else to_yaml(listed), end="")
        elif output in GO_TEMPLATE_FORMATS:
            print_with_template(ctx, template, listed, typed=True)  # (a typed EventList)
        else:
            try:
                as_json = output == "jsonpath-as-json"
                allow = ctx.flags.get("allow-missing-template-keys", True)
                ctx.print(jsonpath(template, listed, as_json=as_json, allow_missing_keys=allow),
                          end="\n" if as_json else "")
            except JSONPathError as exc:
                raise KubectlError(str(exc)) from None
        return 0
    now = ctx.now()
    rows = [] if ctx.flags["no-headers"] else [
        (["NAMESPACE"] if everywhere else []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]]
    for e in events:
        involved = e.get("involvedObject") or {}
        rows.append(([e["metadata"].get("namespace", "")] if everywhere else []) + [
            event_interval(e, now), e.get("type", ""), e.get("reason", ""),
            f"{involved.get('kind', '')}/{involved.get('name', '')}", (e.get("message") or "").strip()])
    ctx.print(tabwriter.render("\n".join("\t".join(r) for r in rows) + "\n", **tabwriter.TABLE), end="")
    return 0


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
