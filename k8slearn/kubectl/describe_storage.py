"""``kubectl describe`` for PersistentVolumes, PersistentVolumeClaims and StorageClasses.

>>> pv = {"metadata": {"name": "pv0", "finalizers": ["kubernetes.io/pv-protection"]},
...       "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "storageClassName": "manual",
...                "persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem",
...                "claimRef": {"namespace": "default", "name": "data"}, "hostPath": {"path": "/mnt/data", "type": ""}},
...       "status": {"phase": "Bound"}}
>>> print(describe_persistent_volume(pv, [], 0.0), end="")
Name:            pv0
Labels:          <none>
Annotations:     <none>
Finalizers:      [kubernetes.io/pv-protection]
StorageClass:    manual
Status:          Bound
Claim:           default/data
Reclaim Policy:  Retain
Access Modes:    RWO
VolumeMode:      Filesystem
Capacity:        1Gi
Node Affinity:   <none>
Message:         
Source:
    Type:          HostPath (bare host directory volume)
    Path:          /mnt/data
    HostPathType:  
Events:            <none>

A claim's CAPACITY and ACCESS MODES are the bound volume's (from the claim's status), and empty
until the claim names a volume; ``Used By`` lists the pods whose volumes name the claim.

Simplified: a volume source that kubectl prints with a PersistentVolume-only printer (iscsi, rbd,
cephfs, cinder... with a secret's namespace) is printed with the pod volume's printer.

Upstream: staging/src/k8s.io/kubectl/pkg/describe/describe.go (describePersistentVolume,
printVolumeNodeAffinity, printLocalVolumeSource, describePersistentVolumeClaim, getPodsForPVC,
printPersistentVolumeClaim, printPodsMultilineWithIndent, describeStorageClass, printAllowedTopologies)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.storage_class import access_modes_as_string, is_default_annotation, persistent_volume_class
from k8slearn.kubectl.describe import (PrefixWriter, describe_events, print_annotations_multiline,
                                       print_labels_multiline, since, time_text)
from k8slearn.kubectl.describe_volumes import (FIELD_PRINTERS, VOLUME_PRINTERS, VOLUME_SOURCES, go_strings, go_text,
                                               print_fields, print_persistent_volume_claim)
from k8slearn.kubectl.printers import format_labels

__all__ = ["describe_persistent_volume", "describe_persistent_volume_claim", "describe_storage_class",
           "pods_for_claim"]


def _phase(obj: dict, now: float) -> str:
    """What ``Status:`` says: the phase, or ``Terminating (lasts 5s)`` once the object is being deleted."""
    deleting = obj["metadata"].get("deletionTimestamp")
    return f"Terminating (lasts {since(deleting, now)})" if deleting else go_text(obj.get("status", {}).get("phase"))


def _events(w: PrefixWriter, events: list | None, now: float) -> None:
    if events is not None:
        describe_events(events, w, now)


# --- PersistentVolume ---------------------------------------------------------------------------

def print_volume_node_affinity(w: PrefixWriter, affinity: dict | None) -> None:
    """printVolumeNodeAffinity: each required term's expressions, ``key op [v1, v2]``."""
    w.write(0, "Node Affinity:\t")
    required = (affinity or {}).get("required")
    if required is None:
        w.write_line("<none>")
        return
    w.write_line("")
    w.write(1, "Required Terms:\t")
    terms = required.get("nodeSelectorTerms") or []
    if not terms:
        w.write_line("<none>")
        return
    w.write_line("")
    for i, term in enumerate(terms):
        w.write(2, f"Term {i}:\t")
        expressions = term.get("matchExpressions") or []
        if not expressions:
            w.write_line("<none>")
        for j, req in enumerate(expressions):
            if j:
                w.write(2, "\t")
            text = f"{req.get('key', '')} {str(req.get('operator', '')).lower()}"
            if req.get("values"):
                text += f" [{', '.join(req['values'])}]"
            w.write(0, f"{text}\n")


def print_local_volume_source(local: dict, w: PrefixWriter) -> None:
    """printLocalVolumeSource."""
    w.write(2, f"Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n"
               f"    Path:\t{go_text(local.get('path'))}\n")


# describePersistentVolume's switch, in its order (a volume sets one source).
PERSISTENT_VOLUME_SOURCES = [
    "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "nfs", "iscsi", "glusterfs", "rbd", "quobyte",
    "vsphereVolume", "cinder", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "local",
    "cephfs", "storageos", "fc", "azureFile", "flexVolume", "flocker", "csi",
]


def print_persistent_volume_source(spec: dict, w: PrefixWriter) -> None:
    """The ``Source:`` lines of the first source the volume sets; ``<unknown>`` if none."""
    kind = next((k for k in PERSISTENT_VOLUME_SOURCES if spec.get(k) is not None), None)
    if kind is None:
        w.write(1, "<unknown>\n")
    elif kind == "local":
        print_local_volume_source(spec["local"], w)
    elif kind in FIELD_PRINTERS:
        print_fields(spec[kind], w, *FIELD_PRINTERS[kind])
    elif kind in VOLUME_PRINTERS and kind in VOLUME_SOURCES:
        VOLUME_PRINTERS[kind](spec[kind], w)


def describe_persistent_volume(pv: dict, events: list | None, now: float) -> str:
    """describePersistentVolume."""
    meta, spec = pv.get("metadata", {}), pv.get("spec", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Finalizers:\t{go_strings(meta.get('finalizers'))}\n")
    w.write(0, f"StorageClass:\t{persistent_volume_class(pv)}\n")
    w.write(0, f"Status:\t{_phase(pv, now)}\n")
    ref = spec.get("claimRef")
    w.write(0, f"Claim:\t{go_text(ref.get('namespace'))}/{go_text(ref.get('name'))}\n" if ref is not None
            else "Claim:\t\n")
    w.write(0, f"Reclaim Policy:\t{go_text(spec.get('persistentVolumeReclaimPolicy'))}\n")
    w.write(0, f"Access Modes:\t{access_modes_as_string(spec.get('accessModes'))}\n")
    if spec.get("volumeMode") is not None:
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    w.write(0, f"Capacity:\t{(spec.get('capacity') or {}).get('storage') or '0'}\n")
    print_volume_node_affinity(w, spec.get("nodeAffinity"))
    w.write(0, f"Message:\t{go_text(pv.get('status', {}).get('message'))}\n")
    w.write(0, "Source:\n")
    print_persistent_volume_source(spec, w)
    _events(w, events, now)
    return w.text()


# --- PersistentVolumeClaim ----------------------------------------------------------------------

def pods_for_claim(pods: list[dict], claim: dict) -> list[dict]:
    """getPodsForPVC: the namespace's pods with a volume naming the claim (once per such volume,
    as upstream appends), then its owner pods not yet listed."""
    name = claim["metadata"].get("name")
    found = [pod for pod in pods for volume in pod.get("spec", {}).get("volumes") or []
             if (volume.get("persistentVolumeClaim") or {}).get("claimName") == name]
    for ref in claim["metadata"].get("ownerReferences") or []:
        owner = next((p for p in pods if ref.get("kind") == "Pod" and p["metadata"].get("uid") == ref.get("uid")), None)
        if owner is not None and all(p["metadata"].get("uid") != owner["metadata"].get("uid") for p in found):
            found.append(owner)
    return found


def print_pods_multiline(w: PrefixWriter, title: str, pods: list[dict]) -> None:
    """printPodsMultilineWithIndent: the pods' names sorted, one a line."""
    w.write(0, f"{title}:\t")
    if not pods:
        w.write_line("<none>")
        return
    for i, name in enumerate(sorted(pod["metadata"].get("name", "") for pod in pods)):
        if i:
            w.write(0, "\t")
        w.write(0, f"{name}\n")


def describe_persistent_volume_claim(pvc: dict, events: list | None, pods: list[dict], now: float) -> str:
    """describePersistentVolumeClaim: printPersistentVolumeClaim (a full claim), Used By, Conditions."""
    w = PrefixWriter()
    print_persistent_volume_claim(w, pvc, _phase(pvc, now))
    print_pods_multiline(w, "Used By", pods)
    _claim_conditions(w, (pvc.get("status") or {}).get("conditions"))
    _events(w, events, now)
    return w.text()


def _claim_conditions(w: PrefixWriter, conditions: list | None) -> None:
    if not conditions:
        return
    w.write(0, "Conditions:\n")
    w.write(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
    for c in conditions:
        w.write(1, f"{go_text(c.get('type'))} \t{go_text(c.get('status'))} \t{time_text(c.get('lastProbeTime'))} "
                   f"\t{time_text(c.get('lastTransitionTime'))} \t{go_text(c.get('reason'))} "
                   f"\t{go_text(c.get('message'))}\n")


# --- StorageClass -------------------------------------------------------------------------------

def _bool_pointer(value: Any) -> str:
    """printBoolPtr: ``<unset>``, ``True`` or ``False``."""
    return "<unset>" if value is None else ("True" if value else "False")


def print_allowed_topologies(w: PrefixWriter, topologies: list) -> None:
    """printAllowedTopologies: ``Term N:  key in [v1, v2]`` per label expression."""
    w.write(0, "AllowedTopologies:\t")
    if not topologies:
        w.write_line("<none>")
        return
    w.write_line("")
    for i, term in enumerate(topologies):
        w.write(1, f"Term {i}:\t")
        expressions = term.get("matchLabelExpressions") or []
        if not expressions:
            w.write_line("<none>")
        for j, req in enumerate(expressions):
            if j:
                w.write(1, "\t")
            text = f"{req.get('key', '')} in"
            if req.get("values"):
                text += f" [{', '.join(req['values'])}]"
            w.write(0, f"{text}\n")


def describe_storage_class(sc: dict, events: list | None, now: float) -> str:
    """describeStorageClass: annotations and parameters printed as FormatLabels prints labels."""
    meta = sc.get("metadata", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"IsDefaultClass:\t{'Yes' if is_default_annotation(sc) else 'No'}\n")
    w.write(0, f"Annotations:\t{format_labels(meta.get('annotations'))}\n")
    w.write(0, f"Provisioner:\t{go_text(sc.get('provisioner'))}\n")
    w.write(0, f"Parameters:\t{format_labels(sc.get('parameters'))}\n")
    w.write(0, f"AllowVolumeExpansion:\t{_bool_pointer(sc.get('allowVolumeExpansion'))}\n")
    if not sc.get("mountOptions"):
        w.write(0, "MountOptions:\t<none>\n")
    else:
        w.write(0, "MountOptions:\n")
        for option in sc["mountOptions"]:
            w.write(1, f"{option}\n")
    if sc.get("reclaimPolicy") is not None:
        w.write(0, f"ReclaimPolicy:\t{sc['reclaimPolicy']}\n")
    if sc.get("volumeBindingMode") is not None:
        w.write(0, f"VolumeBindingMode:\t{sc['volumeBindingMode']}\n")
    if sc.get("allowedTopologies") is not None:
        print_allowed_topologies(w, sc["allowedTopologies"])
    _events(w, events, now)
    return w.text()
