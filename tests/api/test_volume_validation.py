"""Volume sources are validated as v1.32 validates them: items stay inside the volume, modes are file
modes, downwardAPI files name one known field, projected sources do not collide, hostPath types exist,
each storage plugin's source names what it needs, an ephemeral volume's claim template is a valid claim,
and a volume has exactly one source."""

import pytest

from k8slearn.api.field import Path
from k8slearn.api.validation.volumes import validate_volume_source, validate_volume_sources

P = Path("spec.volumes[0]")


@pytest.mark.parametrize("kind, source, expected", [
    ("configMap", {"name": "c", "items": [{"key": "k", "path": "conf/app.ini", "mode": 0o644}]}, []),
    ("configMap", {"name": "c", "items": [{"key": "k", "path": "../x"}]},
     ['spec.volumes[0].configMap.items[0].path: Invalid value: "../x": must not contain \'..\'']),
    ("configMap", {"name": "c", "items": [{"key": "k", "path": "/etc/x"}]},
     ['spec.volumes[0].configMap.items[0].path: Invalid value: "/etc/x": must be a relative path']),
    ("secret", {"secretName": "s", "items": [{"key": "k", "path": "..data"}]},
     ['spec.volumes[0].secret.items[0].path: Invalid value: "..data": must not start with \'..\'']),
    ("secret", {"secretName": "s", "items": [{"path": "x"}]}, ["spec.volumes[0].secret.items[0].key: Required value"]),
    ("configMap", {"name": "c", "defaultMode": 0o1000},
     [("spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), "
      "both inclusive")]),
    ("downwardAPI", {"items": [{"path": "labels", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"}}]},
     []),
    ("downwardAPI", {"items": [{"path": "node", "fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}]},
     [('spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: '
      '"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"')]),
    ("downwardAPI", {"items": [{"path": "x"}]},
     ["spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required"]),
    ("downwardAPI", {"items": [{"path": "cpu", "resourceFieldRef": {"resource": "limits.cpu"}}]},
     ["spec.volumes[0].downwardAPI.resourceFieldRef.containerName: Required value"]),
    ("projected", {"sources": [{"configMap": {"name": "a", "items": [{"key": "k", "path": "x"}]}},
                               {"secret": {"name": "b", "items": [{"key": "k", "path": "x"}]}}]},
     ['spec.volumes[0].projected: Invalid value: "b": conflicting duplicate paths']),
    ("projected", {"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 60}}]},
     [("spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not "
      "specify a duration less than 10 minutes")]),
    ("projected", {"sources": [{"configMap": {"name": "a"}, "secret": {"name": "b"}}]},
     ["spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type"]),
    ("hostPath", {"path": "/var/log/../etc"},
     ['spec.volumes[0].hostPath.path: Invalid value: "/var/log/../etc": must not contain \'..\'']),
    ("hostPath", {"path": "/var/log", "type": "Folder"},
     [('spec.volumes[0].hostPath.type: Unsupported value: "Folder": supported values: "", "BlockDevice", '
      '"CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"')]),
    ("emptyDir", {"sizeLimit": "-1Gi"},
     ["spec.volumes[0].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity"]),
    ("nfs", {"server": "10.0.0.5", "path": "/exports"}, []),
    ("nfs", {"server": "10.0.0.5"},
     ["spec.volumes[0].nfs.path: Required value",
      'spec.volumes[0].nfs.path: Invalid value: "": must be an absolute path']),
    ("nfs", {"server": "10.0.0.5", "path": "exports"},
     ['spec.volumes[0].nfs.path: Invalid value: "exports": must be an absolute path']),
    ("csi", {"driver": "inline.storage.k8s.io", "volumeAttributes": {"size": "1Gi"}}, []),
], ids=[
    "items with a relative path and a file mode are accepted",
    "an item may not climb out of the volume",
    "an item's path is relative to the volume",
    "an item may not start with .. (AtomicWriter's names)",
    "an item needs its key",
    "a mode is at most 0777",
    "a downwardAPI file of the pod's labels is accepted",
    "a downwardAPI volume knows fewer fields than env does",
    "a downwardAPI file names a field or a resource",
    "a downwardAPI resource names its container",
    "two projected sources may not write the same path",
    "a projected token lives at least 10 minutes",
    "one kind per projected source",
    "a hostPath may not climb with ..",
    "a hostPath type must be one of the known ones",
    "an emptyDir's size limit may not be negative",
    "an nfs volume with a server and an absolute path is accepted",
    "an nfs volume needs a path, and an empty one is not absolute either",
    "an nfs volume's path is absolute",
    "an inline csi volume is accepted",
])
def test_volume_source_validation(kind, source, expected):
    assert [e.error() for e in validate_volume_source(kind, source, P.child(kind))] == expected


def test_a_bad_volume_is_refused_with_the_api_servers_text_and_nothing_is_stored():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    before = c.etcd.revision
    result = c.kubectl("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers: [{name: a, image: busybox, volumeMounts: [{name: v, mountPath: /v}]}]
  volumes: [{name: v, configMap: {name: c, items: [{key: k, path: ../escape}]}}]
""")
    assert result.code == 1
    assert result.stderr == ('The Pod "bad" is invalid: \n'
                             '* spec.volumes[0].configMap.items[0].path: Invalid value: "../escape": must not contain \'..\'\n'
                             '* spec.containers[0].volumeMounts[0].name: Not found: "v"\n')
    assert c.etcd.revision == before


# validateVolumeSource over a whole volume: the sources a storage plugin mounts, an ephemeral volume's
# claim template, and the one-source rule, with upstream's paths (its misspellings included).
CLAIM = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
V = "spec.volumes[0]"
VOLUME_CASES = [
    ("an inline csi volume with a driver is accepted",
     {"csi": {"driver": "hostpath.csi.k8s.io"}}, []),
    ("a csi driver name must be a DNS subdomain once lower-cased",
     {"csi": {"driver": "Hostpath_CSI"}},
     [f'{V}.csi.driver: Invalid value: "Hostpath_CSI": a lowercase RFC 1123 subdomain must consist of lower case '
      "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
      "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]),
    ("a csi driver name is at most 63 bytes",
     {"csi": {"driver": "a" * 64}}, [f"{V}.csi.driver: Too long: may not be more than 63 bytes"]),
    ("a csi volume needs its driver",
     {"csi": {}}, [f"{V}.csi.driver: Required value",
                   f'{V}.csi.driver: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case '
                   "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                   "'example.com', regex used for validation is "
                   "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]),
    ("a csi node-publish secret needs a name",
     {"csi": {"driver": "d.example.com", "nodePublishSecretRef": {}}},
     [f"{V}.csi.nodePublishSecretRef.name: Required value"]),
    ("a gitRepo needs a repository and keeps its directory inside the volume",
     {"gitRepo": {"directory": "/srv/../etc"}},
     [f"{V}.gitRepo.repository: Required value",
      f'{V}.gitRepo.directory: Invalid value: "/srv/../etc": must be a relative path',
      f'{V}.gitRepo.directory: Invalid value: "/srv/../etc": must not contain \'..\'']),
    ("a gitRepo into a subdirectory is accepted",
     {"gitRepo": {"repository": "https://example.com/repo.git", "directory": "src"}}, []),
    ("an iscsi volume needs a portal, an iqn and a lun between 0 and 255",
     {"iscsi": {"lun": 256}},
     [f"{V}.iscsi.targetPortal: Required value", f"{V}.iscsi.iqn: Required value",
      f"{V}.iscsi.lun: Invalid value: 256: must be between 0 and 255, inclusive"]),
    ("an iscsi iqn starts with iqn, eui or naa",
     {"iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "target-1"}},
     [f'{V}.iscsi.iqn: Invalid value: "target-1": must be valid format starting with iqn, eui, or naa']),
    ("an iscsi iqn in the iqn format is accepted",
     {"iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.2001-04.com.example:storage.disk1", "lun": 0}}, []),
    ("an iscsi initiator name is checked at initiatorname, and with the portal fits in 64 characters",
     {"iscsi": {"targetPortal": "x" * 63, "iqn": "iqn.2001-04.com.example:d", "initiatorName": "eui.1"}},
     [f'{V}.iscsi.initiatorname: Invalid value: "eui.1": must be valid format',
      f'{V}.name: Invalid value: "v": Total length of <volume name>:<iscsi.targetPortal> must be under 64 '
      "characters if iscsi.initiatorName is specified."]),
    ("iscsi chap authentication needs a secret",
     {"iscsi": {"targetPortal": "p", "iqn": "iqn.2001-04.com.example:d", "chapAuthSession": True}},
     [f"{V}.iscsi.secretRef: Required value"]),
    ("a glusterfs volume needs endpoints and a path",
     {"glusterfs": {}}, [f"{V}.glusterfs.endpoints: Required value", f"{V}.glusterfs.path: Required value"]),
    ("an rbd volume needs monitors and an image",
     {"rbd": {}}, [f"{V}.rbd.monitors: Required value", f"{V}.rbd.image: Required value"]),
    ("a cephfs volume needs monitors",
     {"cephfs": {}}, [f"{V}.cephfs.monitors: Required value"]),
    ("an fc volume needs target WWNs or WWIDs",
     {"fc": {}}, [f"{V}.fc.targetWWNs: Required value: must specify either targetWWNs or wwids, but not both"]),
    ("an fc volume with target WWNs needs a lun",
     {"fc": {"targetWWNs": ["500a0982991b8dc5"]}},
     [f"{V}.fc.lun: Required value: lun is required if targetWWNs is specified"]),
    ("an fc volume may not name both WWNs and WWIDs",
     {"fc": {"targetWWNs": ["w"], "wwids": ["i"], "lun": 0}},
     [f'{V}.fc.targetWWNs: Invalid value: []string{{"w"}}: targetWWNs and wwids can not be specified '
      "simultaneously"]),
    ("an azureFile volume needs a secret and a share",
     {"azureFile": {}}, [f"{V}.azureFile.secretName: Required value", f"{V}.azureFile.shareName: Required value"]),
    ("a flexVolume needs a driver and keeps out of the kubernetes.io option namespace",
     {"flexVolume": {"options": {"kubernetes.io/secret": "x", "size": "1"}}},
     [f"{V}.flexVolume.driver: Required value",
      f'{V}.flexVolume.options[kubernetes.io/secret]: Invalid value: "kubernetes.io/secret": kubernetes.io and '
      "k8s.io namespaces are reserved"]),
    ("a gcePersistentDisk is checked at persistentDisk, as upstream reports it",
     {"gcePersistentDisk": {"partition": 300}},
     [f"{V}.persistentDisk.pdName: Required value",
      f"{V}.persistentDisk.partition: Invalid value: 300: must be between 1 and 255, inclusive"]),
    ("a volume with no source must name one",
     {}, [f"{V}: Required value: must specify a volume type"]),
    ("every source after the first is refused, at upstream's spellings of downwardAPI and cephfs",
     {"emptyDir": {}, "cephfs": {"monitors": ["m"]}, "downwardAPI": {}, "secret": {"secretName": "s"}},
     [f"{V}.secret: Forbidden: may not specify more than 1 volume type",
      f"{V}.cephFS: Forbidden: may not specify more than 1 volume type",
      f"{V}.downwarAPI: Forbidden: may not specify more than 1 volume type"]),
    ("an ephemeral volume needs a claim template",
     {"ephemeral": {}}, [f"{V}.ephemeral.volumeClaimTemplate: Required value"]),
    ("an ephemeral claim needs an access mode and a storage request",
     {"ephemeral": {"volumeClaimTemplate": {"spec": {}}}},
     [f"{V}.ephemeral.volumeClaimTemplate.spec.accessModes: Required value: at least 1 access mode is required",
      f"{V}.ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value"]),
    ("an ephemeral claim with an access mode and storage is accepted",
     {"ephemeral": {"volumeClaimTemplate": {"metadata": {"labels": {"type": "scratch"}}, "spec": CLAIM}}}, []),
    ("an ephemeral claim template may set labels and annotations only",
     {"ephemeral": {"volumeClaimTemplate": {"metadata": {"name": "scratch", "namespace": "x", "uid": "u"},
                                            "spec": CLAIM}}},
     [f"{V}.ephemeral.volumeClaimTemplate.metadata.name: Forbidden: cannot be set",
      f"{V}.ephemeral.volumeClaimTemplate.metadata.namespace: Forbidden: cannot be set",
      f"{V}.ephemeral.volumeClaimTemplate.metadata.uID: Forbidden: cannot be set"]),
    ("an ephemeral claim's access modes and volume mode are known ones",
     {"ephemeral": {"volumeClaimTemplate": {"spec": {**CLAIM, "accessModes": ["ReadWriteOncePod", "Shared"],
                                                     "volumeMode": "Raw"}}}},
     [f'{V}.ephemeral.volumeClaimTemplate.spec.accessModes: Unsupported value: "Shared": supported values: '
      '"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      f'{V}.ephemeral.volumeClaimTemplate.spec.volumeMode: Unsupported value: "Raw": supported values: '
      '"Block", "Filesystem"']),
    ("ReadWriteOncePod is the only access mode when used",
     {"ephemeral": {"volumeClaimTemplate": {"spec": {**CLAIM, "accessModes": ["ReadWriteOncePod", "ReadWriteOnce"]}}}},
     [f"{V}.ephemeral.volumeClaimTemplate.spec.accessModes: Forbidden: may not use ReadWriteOncePod with other "
      "access modes"]),
    ("an ephemeral claim's storage request is greater than zero",
     {"ephemeral": {"volumeClaimTemplate": {"spec": {**CLAIM, "resources": {"requests": {"storage": "0"}}}}}},
     [f'{V}.ephemeral.volumeClaimTemplate.spec.resources[storage]: Invalid value: "0": must be greater than zero']),
]


@pytest.mark.parametrize("volume, expected", [c[1:] for c in VOLUME_CASES], ids=[c[0] for c in VOLUME_CASES])
def test_a_volume_is_validated_as_validate_volume_source_does(volume, expected):
    assert [e.error() for e in validate_volume_sources({"name": "v", **volume}, Path(V))] == expected


def test_an_ephemeral_volume_without_storage_is_refused_by_kubectl_apply_and_nothing_is_stored():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    before = c.etcd.revision
    result = c.kubectl("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata: {name: scratch}
spec:
  containers: [{name: a, image: busybox, volumeMounts: [{name: data, mountPath: /data}]}]
  volumes: [{name: data, ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce]}}}}]
""")
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == ('The Pod "scratch" is invalid: \n'
                             '* spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value\n'
                             '* spec.containers[0].volumeMounts[0].name: Not found: "data"\n')
    assert c.etcd.revision == before
