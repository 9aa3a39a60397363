"""Converting a stored object to another group-version that serves it: Events read as ``events.k8s.io/v1``.

kube-apiserver keeps each object in etcd in one version and converts it on the way out to the
version the request names. Events are stored as core ``v1`` Events; the ``events.k8s.io/v1`` API
serves the same objects under other field names: the message is the ``note``, the involved object
is what the Event is ``regarding``, the reporting component is the ``reportingController``, and the
fields the newer API keeps only for old writers are ``deprecated...``:

>>> core = {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "web.1", "namespace": "default"},
...         "involvedObject": {"kind": "Pod", "name": "web"}, "reason": "Pulled", "message": "pulled",
...         "source": {"component": "kubelet", "host": "node-1"}, "firstTimestamp": "2026-01-05T09:00:00Z",
...         "lastTimestamp": "2026-01-05T09:00:00Z", "count": 1, "type": "Normal", "eventTime": None,
...         "reportingComponent": "kubelet", "reportingInstance": "node-1"}
>>> v1 = core_event_to_v1(core)
>>> v1["apiVersion"], v1["note"], v1["regarding"], v1["reportingController"], v1["deprecatedCount"]
('events.k8s.io/v1', 'pulled', {'kind': 'Pod', 'name': 'web'}, 'kubelet', 1)
>>> list(v1)[3:10]
['eventTime', 'reportingController', 'reportingInstance', 'reason', 'regarding', 'note', 'type']
>>> list(v1)[10:]
['deprecatedSource', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp', 'deprecatedCount']

The server's table of them is made from its internal (core) object, so ``kubectl get
events.events.k8s.io`` prints the columns of ``kubectl get events``; the conversion back gives it:

>>> v1_event_to_core(v1) == core
True

The keys come in the Go struct's order, and Go's encoding keeps what ``omitempty`` cannot drop:
``eventTime`` (no omitempty), ``regarding`` and ``deprecatedSource`` (structs: ``{}`` when empty),
the two deprecated timestamps (``null`` when unset); empty strings, a zero count and a missing
series or related object are left out.

Simplified: only this one conversion, and only on reads (get, list); writes through
``events.k8s.io/v1`` and watches are not converted.

Upstream: pkg/apis/events/v1/conversion.go (Convert_core_Event_To_v1_Event, Convert_v1_Event_To_core_Event),
staging/src/k8s.io/api/events/v1/types.go (Event), staging/src/k8s.io/apiserver/pkg/endpoints/handlers
(the response is encoded in the request's version)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.resources import ResourceInfo


def core_event_to_v1(event: dict) -> dict:
    """Convert_core_Event_To_v1_Event: a core v1 Event as ``events.k8s.io/v1`` shows it."""
    out: dict[str, Any] = {"kind": "Event", "apiVersion": "events.k8s.io/v1",
                           "metadata": event.get("metadata", {}), "eventTime": event.get("eventTime")}
    for v1_name, core_name in (("series", "series"), ("reportingController", "reportingComponent"),
                               ("reportingInstance", "reportingInstance"), ("action", "action"),
                               ("reason", "reason")):
        if event.get(core_name):
            out[v1_name] = event[core_name]
    out["regarding"] = event.get("involvedObject") or {}
    if event.get("related"):
        out["related"] = event["related"]
    for v1_name, core_name in (("note", "message"), ("type", "type")):
        if event.get(core_name):
            out[v1_name] = event[core_name]
    out["deprecatedSource"] = event.get("source") or {}
    out["deprecatedFirstTimestamp"] = event.get("firstTimestamp")
    out["deprecatedLastTimestamp"] = event.get("lastTimestamp")
    if event.get("count"):
        out["deprecatedCount"] = event["count"]
    return out


def v1_event_to_core(event: dict) -> dict:
    """Convert_v1_Event_To_core_Event: an ``events.k8s.io/v1`` Event in the core v1 shape the
    simulation stores (the fields left out when empty are left out here too)."""
    out: dict[str, Any] = {"apiVersion": "v1", "kind": "Event", "metadata": event.get("metadata", {}),
                           "involvedObject": event.get("regarding") or {}}
    for core_name, v1_name in (("reason", "reason"), ("message", "note"), ("source", "deprecatedSource"),
                               ("firstTimestamp", "deprecatedFirstTimestamp"),
                               ("lastTimestamp", "deprecatedLastTimestamp"), ("count", "deprecatedCount"),
                               ("type", "type"), ("eventTime", "eventTime"), ("series", "series"),
                               ("action", "action"), ("related", "related"),
                               ("reportingComponent", "reportingController"),
                               ("reportingInstance", "reportingInstance")):
        if v1_name in event:
            out[core_name] = event[v1_name]
    return out


# the API version a request names -> (from the stored version, back to it)
CONVERSIONS = {"events.k8s.io/v1": (core_event_to_v1, v1_event_to_core)}


def to_requested_version(info: ResourceInfo, obj: dict) -> dict:
    """The object as the request's resource shows it: converted when that resource is another
    group's view of the storage (``events.events.k8s.io``), else as it is."""
    return CONVERSIONS[info.api_version][0](obj) if info.storage_of else obj


def to_internal_version(info: ResourceInfo, obj: dict) -> dict:
    """The object the server's table printer reads: a view's object converted back to the stored
    shape (one already in that shape, as a watch delivers it, as it is)."""
    if info.storage_of and obj.get("apiVersion") == info.api_version:
        return CONVERSIONS[info.api_version][1](obj)
    return obj
