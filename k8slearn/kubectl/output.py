"""``-o yaml`` and ``-o json``: objects printed byte for byte as kubectl prints them.

kubectl marshals an object to JSON, then sigs.k8s.io/yaml turns the JSON into YAML with
go-yaml v2. So the YAML has every mapping's keys in go-yaml's "natural" order (``a9`` before
``a10``, punctuation before letters), two-space indents, ``- `` items level with their parent
key, ``{}``/``[]`` for empty collections, long plain strings folded at 80 columns, and strings
that would read back as something else (``"true"``, ``"80"``, ``""``, timestamps) in double
quotes. JSON is Go's ``MarshalIndent`` with four spaces, keys sorted, ``<>&`` escaped.

>>> print(to_yaml({"metadata": {"name": "web", "resourceVersion": ""}, "data": {"a10": "1", "a9": "on"},
...                "kind": "ConfigMap", "apiVersion": "v1"}), end="")
apiVersion: v1
data:
  a9: "on"
  a10: "1"
kind: ConfigMap
metadata:
  name: web
  resourceVersion: ""
>>> print(to_json({"kind": "List", "items": []}), end="")
{
    "items": [],
    "kind": "List"
}

An object kubectl holds as a Go struct (what ``create deployment``, ``run`` or ``expose`` build, and
what their typed clients read back) is printed by ``-o json`` in the struct's field order, as
encoding/json writes it: ``kind``, ``apiVersion``, ``metadata`` (``name`` first), ``spec``,
``status``; maps (labels, data) keep sorted keys. Objects read as unstructured (``get``, ``apply``,
``replace``) print every key sorted. :func:`to_json_typed` knows the field order of the types
kubectl's generators build:

>>> print(to_json_typed({"apiVersion": "v1", "kind": "ConfigMap", "data": {"b": "2", "a": "1"},
...                      "metadata": {"namespace": "dev", "name": "c", "creationTimestamp": None}}), end="")
{
    "kind": "ConfigMap",
    "apiVersion": "v1",
    "metadata": {
        "name": "c",
        "namespace": "dev",
        "creationTimestamp": null
    },
    "data": {
        "a": "1",
        "b": "2"
    }
}

Simplified: the emitter is PyYAML's, itself a port of the libyaml emitter go-yaml was ported
from; a field of a kind :data:`GO_FIELDS` does not know is printed after the known ones, sorted.

Upstream: sigs.k8s.io/yaml (JSONToYAML), gopkg.in/yaml.v2 (encode.go, resolve.go, sorter.go,
emitterc.go), k8s.io/cli-runtime/pkg/printers (json.go, yaml.go), the Go types of
staging/src/k8s.io/api (core/v1, apps/v1, batch/v1, policy/v1, scheduling/v1) and
apimachinery/pkg/apis/meta/v1 (types.go) at v1.32
"""

from __future__ import annotations

import functools
import json
import math
import re
from typing import Any

import yaml

from k8slearn.api.meta import FrozenDict, FrozenList

__all__ = ["to_yaml", "to_json", "to_json_typed", "natural_key", "GO_FIELDS"]


def to_yaml(obj: Any) -> str:
    """The object as ``kubectl ... -o yaml`` prints it."""
    return yaml.dump(obj, Dumper=_GoYamlDumper, default_flow_style=False, allow_unicode=True,
                     width=80, indent=2, sort_keys=False)


def to_json(obj: Any) -> str:
    """The object as ``kubectl get ... -o json`` prints it (with the final newline)."""
    text = json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=False, separators=(",", ": "))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def to_json_typed(obj: Any) -> str:
    """The object as ``-o json`` prints it when kubectl holds it as a Go struct: its fields in the
    struct's order (:data:`GO_FIELDS`, the type named by ``kind``), maps sorted. A kind the table
    does not know prints as :func:`to_json` does."""
    kind = obj.get("kind") if isinstance(obj, dict) else None
    ordered = go_struct_order(obj, kind if kind in GO_FIELDS else None)
    text = json.dumps(ordered, indent=4, ensure_ascii=False, separators=(",", ": "))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def go_struct_order(value: Any, go_type: str | None) -> Any:
    """``value`` with the keys of each struct in the field order of ``go_type`` (:data:`GO_FIELDS`);
    maps and values of unknown type get sorted keys, as encoding/json writes a map."""
    if isinstance(value, (list, tuple)):
        return [go_struct_order(item, go_type) for item in value]
    if not isinstance(value, dict):
        return value
    fields = _FIELD_TYPES.get(go_type) if go_type else None
    if fields is None:
        return {key: go_struct_order(value[key], None) for key in sorted(value)}
    out = {name: go_struct_order(value[name], child) for name, child in fields if name in value}
    for key in sorted(set(value) - set(out)):
        out[key] = go_struct_order(value[key], None)
    return out


# Go struct field order (json names) of the types kubectl's generators build and their typed
# clients decode, v1.32. "field:Type" names a nested struct (or a list of them); a bare field is a
# scalar, a map or a list of scalars. Embedded structs (TypeMeta, ProbeHandler, VolumeSource,
# LocalObjectReference...) are spelled out in place.
_TYPE_META = "kind apiVersion metadata:ObjectMeta"
_CONTAINER = ("name image command args workingDir ports:ContainerPort envFrom:EnvFromSource env:EnvVar "
              "resources:ResourceRequirements resizePolicy:ContainerResizePolicy restartPolicy "
              "volumeMounts:VolumeMount volumeDevices:VolumeDevice livenessProbe:Probe readinessProbe:Probe "
              "startupProbe:Probe lifecycle:Lifecycle terminationMessagePath terminationMessagePolicy "
              "imagePullPolicy securityContext:SecurityContext stdin stdinOnce tty")
_VOLUME_SOURCES = ("hostPath:HostPathVolumeSource emptyDir:EmptyDirVolumeSource gcePersistentDisk awsElasticBlockStore "
                   "gitRepo secret:SecretVolumeSource nfs:NFSVolumeSource iscsi glusterfs "
                   "persistentVolumeClaim:PersistentVolumeClaimVolumeSource rbd flexVolume cinder cephfs flocker "
                   "downwardAPI:DownwardAPIVolumeSource fc azureFile configMap:ConfigMapVolumeSource vsphereVolume "
                   "quobyte azureDisk photonPersistentDisk projected:ProjectedVolumeSource portworxVolume scaleIO "
                   "storageos csi:CSIVolumeSource ephemeral:EphemeralVolumeSource image:ImageVolumeSource")
_PROBE_HANDLER = "exec:ExecAction httpGet:HTTPGetAction tcpSocket:TCPSocketAction grpc:GRPCAction"
GO_FIELDS: dict[str, str] = {
    # apimachinery meta/v1
    "ObjectMeta": ("name generateName namespace selfLink uid resourceVersion generation creationTimestamp "
                   "deletionTimestamp deletionGracePeriodSeconds labels annotations ownerReferences:OwnerReference "
                   "finalizers managedFields:ManagedFieldsEntry"),
    "OwnerReference": "apiVersion kind name uid controller blockOwnerDeletion",
    "ManagedFieldsEntry": "manager operation apiVersion time fieldsType fieldsV1 subresource",
    "LabelSelector": "matchLabels matchExpressions:LabelSelectorRequirement",
    "LabelSelectorRequirement": "key operator values",
    "Condition": "type status observedGeneration lastTransitionTime reason message",
    "List": "kind apiVersion metadata items",
    "EventList": "kind apiVersion metadata items:Event",
    "Event": (f"{_TYPE_META} involvedObject:ObjectReference reason message source:EventSource firstTimestamp "
              "lastTimestamp count type eventTime series:EventSeries action related:ObjectReference "
              "reportingComponent reportingInstance"),
    "EventSource": "component host",
    "EventSeries": "count lastObservedTime",
    # core/v1 objects
    "Pod": f"{_TYPE_META} spec:PodSpec status:PodStatus",
    "Service": f"{_TYPE_META} spec:ServiceSpec status:ServiceStatus",
    "ConfigMap": f"{_TYPE_META} immutable data binaryData",
    "Secret": f"{_TYPE_META} immutable data stringData type",
    "Namespace": f"{_TYPE_META} spec:NamespaceSpec status:NamespaceStatus",
    "ServiceAccount": f"{_TYPE_META} secrets:ObjectReference imagePullSecrets:LocalObjectReference "
                      "automountServiceAccountToken",
    # apps/v1, batch/v1, policy/v1, scheduling/v1 objects
    "Deployment": f"{_TYPE_META} spec:DeploymentSpec status:DeploymentStatus",
    "ReplicaSet": f"{_TYPE_META} spec:ReplicaSetSpec status:ReplicaSetStatus",
    "Job": f"{_TYPE_META} spec:JobSpec status:JobStatus",
    "CronJob": f"{_TYPE_META} spec:CronJobSpec status:CronJobStatus",
    "PodDisruptionBudget": f"{_TYPE_META} spec:PodDisruptionBudgetSpec status:PodDisruptionBudgetStatus",
    "PriorityClass": f"{_TYPE_META} value globalDefault description preemptionPolicy",
    # core/v1: pods
    "PodTemplateSpec": "metadata:ObjectMeta spec:PodSpec",
    "PodSpec": ("volumes:Volume initContainers:Container containers:Container ephemeralContainers:EphemeralContainer "
                "restartPolicy terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector "
                "serviceAccountName serviceAccount automountServiceAccountToken nodeName hostNetwork hostPID hostIPC "
                "shareProcessNamespace securityContext:PodSecurityContext imagePullSecrets:LocalObjectReference "
                "hostname subdomain affinity:Affinity schedulerName tolerations:Toleration hostAliases:HostAlias "
                "priorityClassName priority dnsConfig:PodDNSConfig readinessGates:PodReadinessGate runtimeClassName "
                "enableServiceLinks preemptionPolicy overhead topologySpreadConstraints:TopologySpreadConstraint "
                "setHostnameAsFQDN os:PodOS hostUsers schedulingGates:PodSchedulingGate "
                "resourceClaims:PodResourceClaim resources:ResourceRequirements"),
    "Container": _CONTAINER,
    "EphemeralContainer": _CONTAINER + " targetContainerName",
    "ContainerPort": "name hostPort containerPort protocol hostIP",
    "EnvFromSource": "prefix configMapRef:ConfigMapEnvSource secretRef:SecretEnvSource",
    "ConfigMapEnvSource": "name optional",
    "SecretEnvSource": "name optional",
    "EnvVar": "name value valueFrom:EnvVarSource",
    "EnvVarSource": ("fieldRef:ObjectFieldSelector resourceFieldRef:ResourceFieldSelector "
                     "configMapKeyRef:ConfigMapKeySelector secretKeyRef:SecretKeySelector"),
    "ObjectFieldSelector": "apiVersion fieldPath",
    "ResourceFieldSelector": "containerName resource divisor",
    "ConfigMapKeySelector": "name key optional",
    "SecretKeySelector": "name key optional",
    "ResourceRequirements": "limits requests claims:ResourceClaim",
    "ResourceClaim": "name request",
    "ContainerResizePolicy": "resourceName restartPolicy",
    "VolumeMount": "name readOnly recursiveReadOnly mountPath subPath mountPropagation subPathExpr",
    "VolumeDevice": "name devicePath",
    "Probe": (f"{_PROBE_HANDLER} initialDelaySeconds timeoutSeconds periodSeconds successThreshold "
              "failureThreshold terminationGracePeriodSeconds"),
    "ExecAction": "command",
    "HTTPGetAction": "path port host scheme httpHeaders:HTTPHeader",
    "HTTPHeader": "name value",
    "TCPSocketAction": "port host",
    "GRPCAction": "port service",
    "Lifecycle": "postStart:LifecycleHandler preStop:LifecycleHandler",
    "LifecycleHandler": "exec:ExecAction httpGet:HTTPGetAction tcpSocket:TCPSocketAction sleep:SleepAction",
    "SleepAction": "seconds",
    "SecurityContext": ("capabilities:Capabilities privileged seLinuxOptions:SELinuxOptions "
                        "windowsOptions:WindowsSecurityContextOptions runAsUser runAsGroup runAsNonRoot "
                        "readOnlyRootFilesystem allowPrivilegeEscalation procMount seccompProfile:SeccompProfile "
                        "appArmorProfile:AppArmorProfile"),
    "Capabilities": "add drop",
    "SELinuxOptions": "user role type level",
    "WindowsSecurityContextOptions": "gmsaCredentialSpecName gmsaCredentialSpec runAsUserName hostProcess",
    "SeccompProfile": "type localhostProfile",
    "AppArmorProfile": "type localhostProfile",
    "PodSecurityContext": ("seLinuxOptions:SELinuxOptions windowsOptions:WindowsSecurityContextOptions runAsUser "
                           "runAsGroup runAsNonRoot supplementalGroups supplementalGroupsPolicy fsGroup "
                           "sysctls:Sysctl fsGroupChangePolicy seccompProfile:SeccompProfile "
                           "appArmorProfile:AppArmorProfile seLinuxChangePolicy"),
    "Sysctl": "name value",
    "LocalObjectReference": "name",
    "ObjectReference": "kind namespace name uid apiVersion resourceVersion fieldPath",
    "Affinity": "nodeAffinity:NodeAffinity podAffinity:PodAffinity podAntiAffinity:PodAffinity",
    "NodeAffinity": ("requiredDuringSchedulingIgnoredDuringExecution:NodeSelector "
                     "preferredDuringSchedulingIgnoredDuringExecution:PreferredSchedulingTerm"),
    "NodeSelector": "nodeSelectorTerms:NodeSelectorTerm",
    "NodeSelectorTerm": "matchExpressions:NodeSelectorRequirement matchFields:NodeSelectorRequirement",
    "NodeSelectorRequirement": "key operator values",
    "PreferredSchedulingTerm": "weight preference:NodeSelectorTerm",
    "PodAffinity": ("requiredDuringSchedulingIgnoredDuringExecution:PodAffinityTerm "
                    "preferredDuringSchedulingIgnoredDuringExecution:WeightedPodAffinityTerm"),
    "PodAffinityTerm": ("labelSelector:LabelSelector namespaces topologyKey namespaceSelector:LabelSelector "
                        "matchLabelKeys mismatchLabelKeys"),
    "WeightedPodAffinityTerm": "weight podAffinityTerm:PodAffinityTerm",
    "Toleration": "key operator value effect tolerationSeconds",
    "HostAlias": "ip hostnames",
    "PodDNSConfig": "nameservers searches options:PodDNSConfigOption",
    "PodDNSConfigOption": "name value",
    "PodReadinessGate": "conditionType",
    "TopologySpreadConstraint": ("maxSkew topologyKey whenUnsatisfiable labelSelector:LabelSelector minDomains "
                                 "nodeAffinityPolicy nodeTaintsPolicy matchLabelKeys"),
    "PodOS": "name",
    "PodSchedulingGate": "name",
    "PodResourceClaim": "name resourceClaimName resourceClaimTemplateName",
    "Volume": f"name {_VOLUME_SOURCES}",
    "HostPathVolumeSource": "path type",
    "EmptyDirVolumeSource": "medium sizeLimit",
    "SecretVolumeSource": "secretName items:KeyToPath defaultMode optional",
    "KeyToPath": "key path mode",
    "NFSVolumeSource": "server path readOnly",
    "PersistentVolumeClaimVolumeSource": "claimName readOnly",
    "DownwardAPIVolumeSource": "items:DownwardAPIVolumeFile defaultMode",
    "DownwardAPIVolumeFile": "path fieldRef:ObjectFieldSelector resourceFieldRef:ResourceFieldSelector mode",
    "ConfigMapVolumeSource": "name items:KeyToPath defaultMode optional",
    "ProjectedVolumeSource": "sources:VolumeProjection defaultMode",
    "VolumeProjection": ("secret:SecretProjection downwardAPI:DownwardAPIProjection configMap:ConfigMapProjection "
                         "serviceAccountToken:ServiceAccountTokenProjection clusterTrustBundle"),
    "SecretProjection": "name items:KeyToPath optional",
    "ConfigMapProjection": "name items:KeyToPath optional",
    "DownwardAPIProjection": "items:DownwardAPIVolumeFile",
    "ServiceAccountTokenProjection": "audience expirationSeconds path",
    "CSIVolumeSource": "driver readOnly fsType volumeAttributes nodePublishSecretRef:LocalObjectReference",
    "EphemeralVolumeSource": "volumeClaimTemplate",
    "ImageVolumeSource": "reference pullPolicy",
    "PodStatus": ("phase conditions:PodCondition message reason nominatedNodeName hostIP hostIPs:HostIP podIP "
                  "podIPs:PodIP startTime initContainerStatuses:ContainerStatus containerStatuses:ContainerStatus "
                  "qosClass ephemeralContainerStatuses:ContainerStatus resize resourceClaimStatuses:PodResourceClaimStatus"),
    "PodResourceClaimStatus": "name resourceClaimName",
    "PodCondition": "type status lastProbeTime lastTransitionTime reason message",
    "HostIP": "ip",
    "PodIP": "ip",
    "ContainerStatus": ("name state:ContainerState lastState:ContainerState ready restartCount image imageID "
                        "containerID started allocatedResources resources:ResourceRequirements "
                        "volumeMounts:VolumeMountStatus user:ContainerUser allocatedResourcesStatus:ResourceStatus"),
    "ContainerUser": "linux:LinuxContainerUser",
    "LinuxContainerUser": "uid gid supplementalGroups",
    "ResourceStatus": "name resources:ResourceHealth",
    "ResourceHealth": "resourceID health",
    "ContainerState": ("waiting:ContainerStateWaiting running:ContainerStateRunning "
                       "terminated:ContainerStateTerminated"),
    "ContainerStateWaiting": "reason message",
    "ContainerStateRunning": "startedAt",
    "ContainerStateTerminated": "exitCode signal reason message startedAt finishedAt containerID",
    "VolumeMountStatus": "name mountPath readOnly recursiveReadOnly",
    # core/v1: services, namespaces
    "ServiceSpec": ("ports:ServicePort selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP "
                    "loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort "
                    "publishNotReadyAddresses sessionAffinityConfig:SessionAffinityConfig ipFamilies ipFamilyPolicy "
                    "allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution"),
    "ServicePort": "name protocol appProtocol port targetPort nodePort",
    "SessionAffinityConfig": "clientIP:ClientIPConfig",
    "ClientIPConfig": "timeoutSeconds",
    "ServiceStatus": "loadBalancer:LoadBalancerStatus conditions:Condition",
    "LoadBalancerStatus": "ingress:LoadBalancerIngress",
    "LoadBalancerIngress": "ip hostname ipMode ports:PortStatus",
    "PortStatus": "port protocol error",
    "NamespaceSpec": "finalizers",
    "NamespaceStatus": "phase conditions:NamespaceCondition",
    "NamespaceCondition": "type status lastTransitionTime reason message",
    # apps/v1
    "DeploymentSpec": ("replicas selector:LabelSelector template:PodTemplateSpec strategy:DeploymentStrategy "
                       "minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds"),
    "DeploymentStrategy": "type rollingUpdate:RollingUpdateDeployment",
    "RollingUpdateDeployment": "maxUnavailable maxSurge",
    "DeploymentStatus": ("observedGeneration replicas updatedReplicas readyReplicas availableReplicas "
                         "unavailableReplicas conditions:DeploymentCondition collisionCount"),
    "DeploymentCondition": "type status lastUpdateTime lastTransitionTime reason message",
    "ReplicaSetSpec": "replicas minReadySeconds selector:LabelSelector template:PodTemplateSpec",
    "ReplicaSetStatus": ("replicas fullyLabeledReplicas readyReplicas availableReplicas observedGeneration "
                         "conditions:ReplicaSetCondition"),
    "ReplicaSetCondition": "type status lastTransitionTime reason message",
    # batch/v1
    "JobSpec": ("parallelism completions activeDeadlineSeconds podFailurePolicy:PodFailurePolicy "
                "successPolicy:SuccessPolicy backoffLimit backoffLimitPerIndex maxFailedIndexes "
                "selector:LabelSelector manualSelector template:PodTemplateSpec ttlSecondsAfterFinished "
                "completionMode suspend podReplacementPolicy managedBy"),
    "PodFailurePolicy": "rules:PodFailurePolicyRule",
    "PodFailurePolicyRule": ("action onExitCodes:PodFailurePolicyOnExitCodesRequirement "
                             "onPodConditions:PodFailurePolicyOnPodConditionsPattern"),
    "PodFailurePolicyOnExitCodesRequirement": "containerName operator values",
    "PodFailurePolicyOnPodConditionsPattern": "type status",
    "SuccessPolicy": "rules:SuccessPolicyRule",
    "SuccessPolicyRule": "succeededIndexes succeededCount",
    "JobStatus": ("conditions:JobCondition startTime completionTime active succeeded failed terminating "
                  "completedIndexes failedIndexes uncountedTerminatedPods:UncountedTerminatedPods ready"),
    "JobCondition": "type status lastProbeTime lastTransitionTime reason message",
    "UncountedTerminatedPods": "succeeded failed",
    "CronJobSpec": ("schedule timeZone startingDeadlineSeconds concurrencyPolicy suspend jobTemplate:JobTemplateSpec "
                    "successfulJobsHistoryLimit failedJobsHistoryLimit"),
    "JobTemplateSpec": "metadata:ObjectMeta spec:JobSpec",
    "CronJobStatus": "active:ObjectReference lastScheduleTime lastSuccessfulTime",
    # policy/v1
    "PodDisruptionBudgetSpec": "minAvailable selector:LabelSelector maxUnavailable unhealthyPodEvictionPolicy",
    "PodDisruptionBudgetStatus": ("observedGeneration disruptedPods disruptionsAllowed currentHealthy desiredHealthy "
                                  "expectedPods conditions:Condition"),
}
_FIELD_TYPES: dict[str, tuple[tuple[str, str | None], ...]] = {
    name: tuple((f.partition(":")[0], f.partition(":")[2] or None) for f in spec.split())
    for name, spec in GO_FIELDS.items()}


# --- go-yaml's key order ----------------------------------------------------------------------

def _less(a: str, b: str) -> bool:
    """yaml.v2 sorter.go keyList.Less for two string keys."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        al, bl = a[i].isalpha(), b[i].isalpha()
        if al and bl:
            return a[i] < b[i]
        if al or bl:
            return bl
        an = bn = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            an, ai = an * 10 + int(a[ai]), ai + 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            bn, bi = bn * 10 + int(b[bi]), bi + 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


natural_key = functools.cmp_to_key(lambda a, b: -1 if _less(a, b) else (1 if _less(b, a) else 0))


# --- which strings go-yaml quotes ------------------------------------------------------------

_BOOL_OR_NULL = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
                 "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
                 "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
                 "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<"}
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_GO_INT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}"
                        r"([Tt ]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[-+]\d{2}:\d{2})?)?$")


def _resolves_to_non_string(s: str) -> bool:
    """True when yaml.v2's resolve() would read ``s`` unquoted as null, bool, number or time."""
    if s in _BOOL_OR_NULL:
        return True
    if not s or s[0] not in "+-.0123456789":
        return False
    if s[0] == ".":
        return bool(_FLOAT.match(s))
    if _TIMESTAMP.match(s):
        return True
    plain = s.replace("_", "")
    return bool(_GO_INT.match(s) and plain.strip("+-")) or bool(_FLOAT.match(plain)) or bool(_BASE60.match(s))


# --- the dumper --------------------------------------------------------------------------------

class _GoYamlResolver(yaml.resolver.BaseResolver):
    """No implicit types: quoting is decided by _resolves_to_non_string, as go-yaml does."""


class _GoYamlDumper(yaml.emitter.Emitter, yaml.serializer.Serializer,
                    yaml.representer.SafeRepresenter, _GoYamlResolver):
    def __init__(self, stream: Any, **kwargs: Any) -> None:
        yaml.emitter.Emitter.__init__(self, stream, canonical=None, indent=kwargs.get("indent"),
                                      width=kwargs.get("width"), allow_unicode=True, line_break=None)
        yaml.serializer.Serializer.__init__(self, encoding=None, explicit_start=False,
                                            explicit_end=False, version=None, tags=None)
        yaml.representer.SafeRepresenter.__init__(self, default_style=None,
                                                  default_flow_style=False, sort_keys=False)
        _GoYamlResolver.__init__(self)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: Any, value: str) -> Any:
    if "\n" in value:
        style = "|"
    elif _resolves_to_non_string(value):
        style = '"'
    else:
        style = None
    return yaml.ScalarNode("tag:yaml.org,2002:str", value, style=style)


def _represent_dict(dumper: Any, value: dict) -> Any:
    items = sorted(value.items(), key=lambda kv: natural_key(str(kv[0])))
    node = dumper.represent_mapping("tag:yaml.org,2002:map", items)
    node.flow_style = not items
    return node


def _represent_list(dumper: Any, value: list) -> Any:
    node = dumper.represent_sequence("tag:yaml.org,2002:seq", value)
    node.flow_style = not value
    return node


def _represent_plain(text: str) -> Any:
    return yaml.ScalarNode("tag:yaml.org,2002:str", text)


def _represent_float(dumper: Any, value: float) -> Any:
    if math.isnan(value):
        return _represent_plain(".nan")
    if math.isinf(value):
        return _represent_plain(".inf" if value > 0 else "-.inf")
    text = repr(value)
    return _represent_plain(text[:-2] if text.endswith(".0") else text)


_GoYamlDumper.add_representer(str, _represent_str)
_GoYamlDumper.add_representer(dict, _represent_dict)
_GoYamlDumper.add_representer(list, _represent_list)
# the watch cache's read-only objects, which a List of several objects holds as they are
_GoYamlDumper.add_representer(FrozenDict, _represent_dict)
_GoYamlDumper.add_representer(FrozenList, _represent_list)
_GoYamlDumper.add_representer(bool, lambda d, v: _represent_plain("true" if v else "false"))
_GoYamlDumper.add_representer(int, lambda d, v: _represent_plain(str(v)))
_GoYamlDumper.add_representer(float, _represent_float)
_GoYamlDumper.add_representer(type(None), lambda d, v: _represent_plain("null"))
