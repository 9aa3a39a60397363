"""Pod validation: the pod spec (also inside every template), create, and the strict update rules.

A running pod can change only a few fields; anything else fails with the API server's
``spec: Forbidden: pod updates may not change fields other than ...`` and a diff.

>>> from k8slearn.api.defaults import apply_defaults
>>> pod = {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": []}}
>>> apply_defaults(pod)
>>> [e.error() for e in validate_pod(pod)]
['spec.containers: Required value']

Of the pod-specific annotations only ``controller.kubernetes.io/pod-deletion-cost`` is checked:
it must be a 32bit integer, as Go reads one (``+10``, ``008`` and ``1_000`` are refused), unless
an update's old pod already had an invalid value.

Simplifies: no securityContext, sysctl, DNS config, OS or AppArmor/seccomp checks (nor the
mirror-pod and tolerations annotations); the diff after a forbidden update lists changed
top-level fields as JSON instead of go-cmp's struct dump. (Volumes: see ``volumes``.)

Upstream: pkg/apis/core/validation/validation.go (ValidatePodSpec, ValidatePodCreate,
ValidatePodUpdate, ValidatePodTemplateSpec, ValidatePodBinding, ValidatePodSpecificAnnotations),
pkg/apis/core/helper/helpers.go (GetDeletionCostFromPodAnnotations), pkg/api/pod/util.go
(AllowInvalidPodDeletionCost)
"""

from __future__ import annotations

import json
from typing import Any

from k8slearn.api import field
from k8slearn.api.field import FieldError, Path
from k8slearn.api.names import inclusive_range_error, is_dns1123_label, name_is_dns_subdomain
from k8slearn.api.validation.common import (
    as_dict,
    as_list,
    remember_valid,
    validate_annotations,
    validate_labels,
    validate_object_meta,
    validate_object_meta_update,
)
from k8slearn.api.validation.containers import (
    validate_containers,
    validate_ephemeral_containers,
    validate_init_containers,
    validate_resource_requirements,
)
from k8slearn.api.validation.scheduling import (
    affinity_errors,
    scheduling_gate_errors,
    topology_spread_errors,
    validate_tolerations,
)
from k8slearn.api.validation.volumes import validate_volume_sources

SPEC = Path("spec")
MAX_INT32 = 2147483647
ANNOTATIONS = Path("metadata").child("annotations")
POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
RESTART_POLICIES = ["Always", "OnFailure", "Never"]
DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
UPDATABLE_POD_SPEC_FIELDS = [
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
]


@remember_valid
def validate_pod_spec(spec: Any, path: Path) -> list[FieldError]:
    """ValidatePodSpec, in upstream order (a spec found valid before is not checked again)."""
    spec = as_dict(spec)
    errs = []
    if spec.get("terminationGracePeriodSeconds") is None:
        errs.append(field.required(path.child("terminationGracePeriodSeconds")))
    volumes, verrs = _volumes(spec.get("volumes"), path.child("volumes"))
    errs += verrs
    grace = spec.get("terminationGracePeriodSeconds")
    errs += validate_containers(spec.get("containers"), volumes, path.child("containers"), grace)
    errs += validate_init_containers(spec.get("initContainers"), spec.get("containers"), volumes,
                                     path.child("initContainers"), grace)
    errs += validate_ephemeral_containers(spec.get("ephemeralContainers"), spec.get("containers"),
                                          spec.get("initContainers"), volumes, path.child("ephemeralContainers"))
    errs += _host_network_ports(spec, path)
    errs += _one_of(spec.get("restartPolicy") or "", RESTART_POLICIES, path.child("restartPolicy"))
    errs += _one_of(spec.get("dnsPolicy") or "", DNS_POLICIES, path.child("dnsPolicy"))
    errs += validate_labels(spec.get("nodeSelector"), path.child("nodeSelector"))
    errs += affinity_errors(spec.get("affinity"), path.child("affinity"))
    errs += scheduling_gate_errors(spec.get("schedulingGates"), path.child("schedulingGates"))
    errs += topology_spread_errors(spec.get("topologySpreadConstraints"),
                                   path.child("topologySpreadConstraints"))
    for key in ("serviceAccountName", "nodeName"):
        if spec.get(key):
            errs += [field.invalid(path.child(key), spec[key], m) for m in name_is_dns_subdomain(spec[key])]
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and not 1 <= deadline <= MAX_INT32:
        errs.append(field.invalid(path.child("activeDeadlineSeconds"), deadline,
                                  inclusive_range_error(1, MAX_INT32)))
    for key in ("hostname", "subdomain"):
        if spec.get(key):
            errs += [field.invalid(path.child(key), spec[key], m) for m in is_dns1123_label(spec[key])]
    errs += validate_tolerations(spec.get("tolerations"), path.child("tolerations"))
    if spec.get("priorityClassName"):
        name = spec["priorityClassName"]
        errs += [field.invalid(path.child("priorityClassName"), name, m) for m in name_is_dns_subdomain(name)]
    if spec.get("preemptionPolicy") is not None:
        errs += _one_of(spec["preemptionPolicy"], ["PreemptLowerPriority", "Never"],
                        path.child("preemptionPolicy"))
    if spec.get("overhead") is not None:
        errs += validate_resource_requirements({"limits": spec["overhead"]}, path.child("overhead"))
    return errs


def _one_of(value: str, allowed: list[str], path: Path) -> list[FieldError]:
    if not value:
        return [field.required(path)]
    return [] if value in allowed else [field.not_supported(path, value, allowed)]


def _volumes(volumes: Any, path: Path) -> tuple[dict, list[FieldError]]:
    found, errs = {}, []
    for i, vol in enumerate(as_list(volumes)):
        vol, p = as_dict(vol), path.index(i)
        el = validate_volume_sources(vol, p)
        name = vol.get("name") or ""
        if not name:
            el.append(field.required(p.child("name")))
        else:
            el += [field.invalid(p.child("name"), name, m) for m in is_dns1123_label(name)]
        if name in found:
            el.append(field.duplicate(p.child("name"), name))
        if el:
            errs += el
        else:
            found[name] = vol
    return found, errs


def _host_network_ports(spec: dict, path: Path) -> list[FieldError]:
    if not spec.get("hostNetwork"):
        return []
    errs = []
    for i, c in enumerate(as_list(spec.get("containers"))):
        for j, port in enumerate(as_list(as_dict(c).get("ports"))):
            port = as_dict(port)
            host, cport = port.get("hostPort", 0), port.get("containerPort", 0)
            if host and host != cport:
                hp = path.child("containers").index(i).child("ports").index(j).child("hostPort")
                errs.append(field.invalid(hp, host, "must match `containerPort` when `hostNetwork` is true"))
    return errs


def get_deletion_cost_from_pod_annotations(annotations: Any) -> int:
    """GetDeletionCostFromPodAnnotations: the pod-deletion-cost, 0 when the annotation is absent.

    Raises ValueError unless the value is what Go's ``strconv.ParseInt(value, 10, 32)`` reads,
    with no leading ``+`` or ``0`` (validFirstDigit): ``-5``, ``0`` and ``2147483647`` are
    costs; ``+10``, ``008``, ``1_000`` and ``3000000000`` are not (Python's ``int()`` would
    take the first three).

    >>> get_deletion_cost_from_pod_annotations({POD_DELETION_COST: "-100"})
    -100
    """
    value = as_dict(annotations).get(POD_DELETION_COST)
    if value is None:
        return 0
    quoted = field.go_quote(value)
    if not value or (value != "0" and value[0] not in "-123456789"):
        raise ValueError(f"invalid value {quoted}")
    digits = value[1:] if value[0] == "-" else value
    if not digits or any(c not in "0123456789" for c in digits):
        raise ValueError(f"strconv.ParseInt: parsing {quoted}: invalid syntax")
    cost = int(value)
    if not -MAX_INT32 - 1 <= cost <= MAX_INT32:
        raise ValueError(f"strconv.ParseInt: parsing {quoted}: value out of range")
    return cost


def validate_pod_specific_annotations(annotations: Any, path: Path,
                                      allow_invalid_pod_deletion_cost: bool = False) -> list[FieldError]:
    """ValidatePodSpecificAnnotations, the pod-deletion-cost check only: a 32bit integer."""
    if allow_invalid_pod_deletion_cost:
        return []
    try:
        get_deletion_cost_from_pod_annotations(annotations)
    except ValueError:
        value = as_dict(annotations)[POD_DELETION_COST]
        return [field.invalid(path.key(POD_DELETION_COST), value, "must be a 32bit integer")]
    return []


def _allow_invalid_pod_deletion_cost(old: dict | None) -> bool:
    """AllowInvalidPodDeletionCost: an update may keep the invalid value its old pod already had."""
    if old is None:
        return False
    try:
        get_deletion_cost_from_pod_annotations(as_dict(old.get("metadata")).get("annotations"))
    except ValueError:
        return True
    return False


def validate_pod_template_spec(template: Any, path: Path) -> list[FieldError]:
    """ValidatePodTemplateSpec: labels (at ``<path>.labels``), annotations and the pod spec."""
    template = as_dict(template)
    meta = as_dict(template.get("metadata"))
    errs = validate_labels(meta.get("labels"), path.child("labels"))
    errs += validate_annotations(meta.get("annotations"), path.child("annotations"))
    errs += validate_pod_specific_annotations(meta.get("annotations"), path.child("annotations"))
    errs += validate_pod_spec(template.get("spec"), path.child("spec"))
    if as_list(as_dict(template.get("spec")).get("ephemeralContainers")):
        errs.append(field.forbidden(path.child("spec", "ephemeralContainers"),
                                    "ephemeral containers not allowed in pod template"))
    return errs


def _metadata_and_spec(pod: dict, old: dict | None = None) -> list[FieldError]:
    """validatePodMetadataAndSpec: the metadata, the pod-specific annotations, the spec."""
    spec = as_dict(pod.get("spec"))
    errs = validate_object_meta(pod.get("metadata"), name_is_dns_subdomain)
    errs += validate_pod_specific_annotations(as_dict(pod.get("metadata")).get("annotations"), ANNOTATIONS,
                                              _allow_invalid_pod_deletion_cost(old))
    errs += validate_pod_spec(spec, SPEC)
    for key in ("containers", "initContainers"):
        for i, c in enumerate(as_list(spec.get(key))):
            image = as_dict(c).get("image") or ""
            if image != image.strip():
                errs.append(field.invalid(SPEC.child(key).index(i).child("image"), image,
                                          "must not have leading or trailing whitespace"))
    return errs


def validate_pod(pod: dict) -> list[FieldError]:
    """ValidatePodCreate."""
    spec = as_dict(pod.get("spec"))
    errs = _metadata_and_spec(pod)
    if as_list(spec.get("ephemeralContainers")):
        errs.append(field.forbidden(SPEC.child("ephemeralContainers"), "cannot be set on create"))
    if spec.get("nodeName") and as_list(spec.get("schedulingGates")):
        errs.append(field.forbidden(SPEC.child("nodeName"),
                                    "cannot be set until all schedulingGates have been cleared"))
    return errs


def validate_pod_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePodUpdate: only images, the deadline, added tolerations and removed gates may change."""
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    errs += _metadata_and_spec(new, old)
    errs += _annotation_updates(new, old)
    ns, os_ = as_dict(new.get("spec")), as_dict(old.get("spec"))
    for key in ("containers", "initContainers"):
        new_c, old_c = as_list(ns.get(key)), as_list(os_.get(key))
        if len(new_c) != len(old_c):
            return errs + [field.forbidden(SPEC.child(key), "pod updates may not add or remove containers")]
        for i, c in enumerate(new_c):
            if not as_dict(c).get("image"):
                errs.append(field.required(SPEC.child(key).index(i).child("image")))
    new_deadline, old_deadline = ns.get("activeDeadlineSeconds"), os_.get("activeDeadlineSeconds")
    if new_deadline is not None:
        if not 0 <= new_deadline <= MAX_INT32:
            return errs + [field.invalid(SPEC.child("activeDeadlineSeconds"), new_deadline,
                                         inclusive_range_error(0, MAX_INT32))]
        if old_deadline is not None and old_deadline < new_deadline:
            return errs + [field.invalid(SPEC.child("activeDeadlineSeconds"), new_deadline,
                                         "must be less than or equal to previous value")]
    elif old_deadline is not None:
        errs.append(field.invalid(SPEC.child("activeDeadlineSeconds"), None,
                                  "must not update from a positive integer to nil value"))
    errs += _only_added_tolerations(as_list(ns.get("tolerations")), as_list(os_.get("tolerations")))
    errs += _only_deleted_gates(as_list(ns.get("schedulingGates")), as_list(os_.get("schedulingGates")))
    if ns == os_:
        return errs
    munged = _munge(ns, os_)
    if munged != os_:
        diff = _spec_diff(os_, munged)
        errs.append(field.forbidden(SPEC, "pod updates may not change fields other than "
                                    + ",".join(UPDATABLE_POD_SPEC_FIELDS) + "\n" + diff))
    return errs


def validate_pod_ephemeral_containers_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePodEphemeralContainersUpdate: the pod stays valid with its new ephemeral containers,
    and the ones it had are neither removed nor changed (a static pod takes none)."""
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    errs += _metadata_and_spec(new, old)
    errs += _annotation_updates(new, old)
    if "kubernetes.io/config.mirror" in (as_dict(old.get("metadata")).get("annotations") or {}):
        return [field.forbidden(Path(""), "static pods do not support ephemeral containers")]
    path = SPEC.child("ephemeralContainers")
    now = {as_dict(c).get("name"): c for c in as_list(as_dict(new.get("spec")).get("ephemeralContainers"))}
    for c in as_list(as_dict(old.get("spec")).get("ephemeralContainers")):
        name = as_dict(c).get("name")
        if name not in now:
            errs.append(field.forbidden(path, f'existing ephemeral containers "{name}" may not be removed\n'))
        elif now[name] != c:
            errs.append(field.forbidden(path.key(name), f'existing ephemeral containers "{name}" may not be changed\n'
                                        + _spec_diff(as_dict(c), as_dict(now[name]), "core.EphemeralContainer")))
    return errs


def validate_pod_status_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePodStatusUpdate: the metadata rules of an update; the spec is not checked again.

    The status strategy has already put the stored spec on ``new``, and upstream's status
    validation looks at metadata and status only (the simulation does not validate status);
    the errors are those of ``validate_pod_update`` for an unchanged, valid spec, but an invalid
    pod-deletion-cost is listed once (only ValidatePodSpecificAnnotationUpdates looks at it).

    A status update rarely changes the metadata (the strategy keeps the stored one, with the
    request's annotations): then valid metadata needs only ``validate_object_meta`` (see
    ``_unchanged_meta``), a simulation speed-up with the same answer (unchanged annotations hold
    a valid pod-deletion-cost, or an invalid one the old pod had, which is allowed).
    """
    new_meta, old_meta = new.get("metadata"), old.get("metadata")
    if _unchanged_meta(new_meta, old_meta) and not validate_object_meta(new_meta, name_is_dns_subdomain):
        return []
    errs = validate_object_meta_update(new_meta, old_meta)
    errs += _annotation_updates(new, old)
    return errs + validate_object_meta(new_meta, name_is_dns_subdomain)


_STRING_KEYS = ("name", "generateName", "namespace", "uid", "creationTimestamp", "deletionTimestamp")


def _unchanged_meta(new: Any, old: Any) -> bool:
    """``new`` equals ``old`` (``resourceVersion`` aside), with values that make the update rules moot.

    Then ``validate_object_meta_update(new, old)`` reports only what ``validate_object_meta(new)``
    reports too (the labels, annotations, owner references and finalizers of ``new``, by the same
    functions, in the same order): its own rules compare each value with an equal one, and the
    values below are of types whose equal values compare equal (no float NaN) and cannot raise (no
    unhashable finalizer, no generation that cannot be ordered). So when ``validate_object_meta``
    finds nothing, neither check does, and when it fails the plain path runs.
    """
    if not isinstance(new, dict) or not isinstance(old, dict):
        return False
    for key in _STRING_KEYS:
        v = new.get(key)
        if v is not None and v.__class__ is not str:
            return False
    generation = new.get("generation")
    if generation is not None and generation.__class__ is not int:
        return False
    finalizers = new.get("finalizers")
    if finalizers is not None and (finalizers.__class__ is not list
                                   or any(f.__class__ is not str for f in finalizers)):
        return False
    if new.get("resourceVersion") == old.get("resourceVersion"):
        return new == old
    return ({k: v for k, v in new.items() if k != "resourceVersion"}
            == {k: v for k, v in old.items() if k != "resourceVersion"})


def _annotation_updates(new: dict, old: dict) -> list[FieldError]:
    """ValidatePodSpecificAnnotationUpdates, the pod-deletion-cost part: the new annotations are
    checked again (after validatePodMetadataAndSpec did: the message shows the error once, the
    causes list it twice, as upstream's do)."""
    return validate_pod_specific_annotations(as_dict(new.get("metadata")).get("annotations"), ANNOTATIONS,
                                             _allow_invalid_pod_deletion_cost(old))


def _only_added_tolerations(new: list, old: list) -> list[FieldError]:
    """validateOnlyAddedTolerations: every old toleration still present (tolerationSeconds may change)."""
    path = SPEC.child("tolerations")
    new_norm = [_toleration_key(t) for t in new]
    for o in old:
        if _toleration_key(o) not in new_norm:
            return [field.forbidden(path,
                                    "existing toleration can not be modified except its tolerationSeconds")]
    return validate_tolerations(new, path)


def _toleration_key(t: Any) -> dict:
    return {k: v for k, v in as_dict(t).items() if k != "tolerationSeconds" and v not in (None, "")}


def _only_deleted_gates(new: list, old: list) -> list[FieldError]:
    old_names = {as_dict(g).get("name") for g in old}
    errs = []
    for i, g in enumerate(new):
        name = as_dict(g).get("name")
        if name not in old_names:
            errs.append(field.forbidden(SPEC.child("schedulingGates").index(i).child("name"),
                                        f"only deletion is allowed, but found new scheduling gate '{name}'"))
    return errs


def _munge(new: dict, old: dict) -> dict:
    """The new spec with every updatable field set back to its old value."""
    munged = json.loads(json.dumps(new))
    for key in ("containers", "initContainers"):
        for c, o in zip(as_list(munged.get(key)), as_list(old.get(key))):
            if isinstance(c, dict) and isinstance(o, dict):
                if "image" in o:
                    c["image"] = o["image"]
                else:
                    c.pop("image", None)
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        if key in old:
            munged[key] = old[key]
        else:
            munged.pop(key, None)
    old_grace = old.get("terminationGracePeriodSeconds")
    new_grace = munged.get("terminationGracePeriodSeconds")
    if old_grace is not None and old_grace < 0 and new_grace == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    return munged


def _go_field(key: str) -> str:
    special = {"dnsPolicy": "DNSPolicy", "dnsConfig": "DNSConfig", "os": "OS", "hostIPC": "HostIPC",
               "hostPID": "HostPID"}
    return special.get(key, key[:1].upper() + key[1:])


def _spec_diff(old: dict, new: dict, type_name: str = "core.PodSpec") -> str:
    """A short go-cmp-style diff of the changed top-level fields (values as JSON)."""
    keys = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    lines = [f"  {type_name}{{"]
    same = len(set(old) | set(new)) - len(keys)
    if same:
        lines.append(f"  \t... // {same} identical fields")
    for k in keys:
        if k in old:
            lines.append(f"- \t{_go_field(k)}: {json.dumps(old[k], sort_keys=True)},")
        if k in new:
            lines.append(f"+ \t{_go_field(k)}: {json.dumps(new[k], sort_keys=True)},")
    lines.append("  }")
    return "\n".join(lines) + "\n"


def validate_pod_binding(binding: dict) -> list[FieldError]:
    """ValidatePodBinding: the pods/binding subresource only checks its target (not the pod update rules)."""
    target = as_dict(binding.get("target"))
    errs = []
    if target.get("kind") and target["kind"] != "Node":
        errs.append(field.not_supported(Path("target.kind"), target["kind"], ["Node", "<empty>"]))
    if not target.get("name"):
        errs.append(field.required(Path("target.name")))
    return errs
