"""Volume sources are validated as v1.32 validates them: items stay inside the volume, modes are file
modes, downwardAPI files name one known field, projected sources do not collide, hostPath types exist."""

import pytest

from k8slearn.api.field import Path
from k8slearn.api.validation.volumes import validate_volume_source

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
