"""``kubectl describe``'s Volumes section against kubectl v1.32's describeVolumes and its
print*VolumeSource functions (staging/src/k8s.io/kubectl/pkg/describe/describe.go).

The table compares the text *before* the tabwriter aligns it (``PrefixWriter.plain``): each case is
upstream's format string filled in with Go's ``%v`` of the values, tabs and indentation included.
"""

import pytest

from k8slearn import Cluster
from k8slearn.kubectl.describe import PrefixWriter
from k8slearn.kubectl.describe_volumes import describe_volumes

T = "    Type:\t"

CASES = [
    ("an nfs volume prints its server, path and read-only flag",
     {"nfs": {"server": "10.0.0.5", "path": "/exports"}},
     T + "NFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t10.0.0.5\n    Path:\t/exports\n"
         "    ReadOnly:\tfalse\n"),
    ("a hostPath volume whose type the API server defaulted to empty prints an empty HostPathType",
     {"hostPath": {"path": "/var/log", "type": ""}},
     T + "HostPath (bare host directory volume)\n    Path:\t/var/log\n    HostPathType:\t\n"),
    ("a hostPath volume without any type prints <none>",
     {"hostPath": {"path": "/var/log"}},
     T + "HostPath (bare host directory volume)\n    Path:\t/var/log\n    HostPathType:\t<none>\n"),
    ("an emptyDir size limit prints as a canonical quantity",
     {"emptyDir": {"medium": "Memory", "sizeLimit": "1024Mi"}},
     T + "EmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\tMemory\n"
         "    SizeLimit:\t1Gi\n"),
    ("an emptyDir size limit of zero prints <unset>",
     {"emptyDir": {"sizeLimit": "0"}},
     T + "EmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t\n    SizeLimit:\t<unset>\n"),
    ("a gcePersistentDisk prints its zero partition and false read-only flag",
     {"gcePersistentDisk": {"pdName": "disk-1", "fsType": "ext4"}},
     T + "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)\n    PDName:\tdisk-1\n"
         "    FSType:\text4\n    Partition:\t0\n    ReadOnly:\tfalse\n"),
    ("an awsElasticBlockStore prints its volume ID, partition and flag",
     {"awsElasticBlockStore": {"volumeID": "vol-1", "partition": 2, "readOnly": True}},
     T + "AWSElasticBlockStore (a Persistent Disk resource in AWS)\n    VolumeID:\tvol-1\n    FSType:\t\n"
         "    Partition:\t2\n    ReadOnly:\ttrue\n"),
    ("a gitRepo prints its repository and an empty revision",
     {"gitRepo": {"repository": "https://example.com/app.git"}},
     T + "GitRepo (a volume that is pulled from git when the pod is created)\n"
         "    Repository:\thttps://example.com/app.git\n    Revision:\t\n"),
    ("an iscsi volume keeps upstream's label without a colon and prints Go's empty list and nil reference",
     {"iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.2001-04.com.example:storage", "lun": 0,
                "iscsiInterface": "default"}},
     T + "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the "
         "pod)\n    TargetPortal:\t10.0.0.1:3260\n    IQN:\tiqn.2001-04.com.example:storage\n    Lun:\t0\n"
         "    ISCSIInterface\tdefault\n    FSType:\t\n    ReadOnly:\tfalse\n    Portals:\t[]\n"
         "    DiscoveryCHAPAuth:\tfalse\n    SessionCHAPAuth:\tfalse\n    SecretRef:\t<nil>\n"
         "    InitiatorName:\t<none>\n"),
    ("a glusterfs volume prints its endpoints as EndpointsName",
     {"glusterfs": {"endpoints": "gluster", "path": "vol1"}},
     T + "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)\n    EndpointsName:\tgluster\n"
         "    Path:\tvol1\n    ReadOnly:\tfalse\n"),
    ("an rbd volume prints its monitors as a Go list and its secret reference as a pointer",
     {"rbd": {"monitors": ["10.0.0.1:6789", "10.0.0.2:6789"], "image": "foo", "pool": "rbd", "user": "admin",
              "keyring": "/etc/ceph/keyring", "secretRef": {"name": "ceph"}}},
     T + "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)\n"
         "    CephMonitors:\t[10.0.0.1:6789 10.0.0.2:6789]\n    RBDImage:\tfoo\n    FSType:\t\n    RBDPool:\trbd\n"
         "    RadosUser:\tadmin\n    Keyring:\t/etc/ceph/keyring\n    SecretRef:\t&{ceph}\n    ReadOnly:\tfalse\n"),
    ("a quobyte volume prints its registry and volume",
     {"quobyte": {"registry": "reg:7861", "volume": "v"}},
     T + "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)\n    Registry:\treg:7861\n"
         "    Volume:\tv\n    ReadOnly:\tfalse\n"),
    ("an azureDisk keeps upstream's space after Kind",
     {"azureDisk": {"diskName": "d", "diskURI": "u", "kind": "Shared", "fsType": "ext4",
                    "cachingMode": "ReadWrite", "readOnly": False}},
     T + "AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)\n    DiskName:\td\n"
         "    DiskURI:\tu\n    Kind: \tShared\n    FSType:\text4\n    CachingMode:\tReadWrite\n    ReadOnly:\tfalse\n"),
    ("a vsphereVolume prints its path, file system and storage policy",
     {"vsphereVolume": {"volumePath": "[ds] vols/a.vmdk"}},
     T + "vSphereVolume (a Persistent Disk resource in vSphere)\n    VolumePath:\t[ds] vols/a.vmdk\n"
         "    FSType:\t\n    StoragePolicyName:\t\n"),
    ("a cinder volume prints its secret reference last",
     {"cinder": {"volumeID": "abc"}},
     T + "Cinder (a Persistent Disk resource in OpenStack)\n    VolumeID:\tabc\n    FSType:\t\n"
         "    ReadOnly:\tfalse\n    SecretRef:\t<nil>\n"),
    ("a photonPersistentDisk prints its PdID",
     {"photonPersistentDisk": {"pdID": "p1", "fsType": "ext4"}},
     T + "PhotonPersistentDisk (a Persistent Disk resource in photon platform)\n    PdID:\tp1\n    FSType:\text4\n"),
    ("a portworxVolume prints only its volume ID",
     {"portworxVolume": {"volumeID": "pxvol", "fsType": "ext4"}},
     T + "PortworxVolume (a Portworx Volume resource)\n    VolumeID:\tpxvol\n"),
    ("a scaleIO volume prints its labels with spaces",
     {"scaleIO": {"gateway": "https://gw", "system": "sys", "secretRef": {"name": "s"},
                  "storageMode": "ThinProvisioned", "fsType": "xfs"}},
     T + "ScaleIO (a persistent volume backed by a block device in ScaleIO)\n    Gateway:\thttps://gw\n"
         "    System:\tsys\n    Protection Domain:\t\n    Storage Pool:\t\n    Storage Mode:\tThinProvisioned\n"
         "    VolumeName:\t\n    FSType:\txfs\n    ReadOnly:\tfalse\n"),
    ("a cephfs volume prints its monitors, user and secret",
     {"cephfs": {"monitors": ["10.0.0.1:6789"], "user": "admin"}},
     T + "CephFS (a CephFS mount on the host that shares a pod's lifetime)\n    Monitors:\t[10.0.0.1:6789]\n"
         "    Path:\t\n    User:\tadmin\n    SecretFile:\t\n    SecretRef:\t<nil>\n    ReadOnly:\tfalse\n"),
    ("a storageos volume prints its name and namespace",
     {"storageos": {"volumeName": "v", "volumeNamespace": "ns"}},
     T + "StorageOS (a StorageOS Persistent Disk resource)\n    VolumeName:\tv\n    VolumeNamespace:\tns\n"
         "    FSType:\t\n    ReadOnly:\tfalse\n"),
    ("an fc volume joins its WWNs with commas",
     {"fc": {"targetWWNs": ["500a0982991b8dc5", "500a0982891b8dc5"], "lun": 2, "fsType": "ext4"}},
     T + "FC (a Fibre Channel disk)\n    TargetWWNs:\t500a0982991b8dc5, 500a0982891b8dc5\n    LUN:\t2\n"
         "    FSType:\text4\n    ReadOnly:\tfalse\n"),
    ("an fc volume without a LUN prints <none>",
     {"fc": {"wwids": ["w"]}},
     T + "FC (a Fibre Channel disk)\n    TargetWWNs:\t\n    LUN:\t<none>\n    FSType:\t\n    ReadOnly:\tfalse\n"),
    ("an azureFile volume prints its secret and share",
     {"azureFile": {"secretName": "az", "shareName": "share"}},
     T + "AzureFile (an Azure File Service mount on the host and bind mount to the pod)\n    SecretName:\taz\n"
         "    ShareName:\tshare\n    ReadOnly:\tfalse\n"),
    ("a flexVolume prints its options as a Go map with sorted keys",
     {"flexVolume": {"driver": "example/lvm", "options": {"volumeID": "v", "size": "1G"}}},
     T + "FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)\n"
         "    Driver:\texample/lvm\n    FSType:\t\n    SecretRef:\t<nil>\n    ReadOnly:\tfalse\n"
         "    Options:\tmap[size:1G volumeID:v]\n"),
    ("a flocker volume prints its dataset",
     {"flocker": {"datasetName": "ds"}},
     T + "Flocker (a Flocker volume mounted by the Flocker agent)\n    DatasetName:\tds\n    DatasetUUID:\t\n"),
    ("a csi volume without attributes prints <none> after the tab",
     {"csi": {"driver": "inline.storage.k8s.io"}},
     T + "CSI (a Container Storage Interface (CSI) volume source)\n    Driver:\tinline.storage.k8s.io\n"
         "    FSType:\t\n    ReadOnly:\tfalse\n    VolumeAttributes:\t<none>\n"),
    ("a csi volume's attributes are sorted and each written at level two",
     {"csi": {"driver": "d", "fsType": "ext4", "readOnly": True, "volumeAttributes": {"z": "1", "a": "2"}}},
     T + "CSI (a Container Storage Interface (CSI) volume source)\n    Driver:\td\n    FSType:\text4\n"
         "    ReadOnly:\ttrue\n    VolumeAttributes:\t    a=2\n        \t    z=1\n"),
    ("an image volume prints its reference and pull policy",
     {"image": {"reference": "quay.io/crio/artifact:v1", "pullPolicy": "IfNotPresent"}},
     T + "Image (a container image or OCI artifact)\n    Reference:\tquay.io/crio/artifact:v1\n"
         "    PullPolicy:\tIfNotPresent\n"),
    ("a downwardAPI volume prints field and resource items",
     {"downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
                                {"path": "cpu", "resourceFieldRef": {"resource": "limits.cpu"}}]}},
     T + "DownwardAPI (a volume populated by information about the pod)\n    Items:\n"
         "      metadata.labels -> labels\n      limits.cpu -> cpu\n"),
    ("a persistentVolumeClaim prints its claim name",
     {"persistentVolumeClaim": {"claimName": "data"}},
     T + "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
         "    ClaimName:\tdata\n    ReadOnly:\tfalse\n"),
    ("an ephemeral volume without a claim template prints only its type",
     {"ephemeral": {}},
     T + "EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n"),
    ("an ephemeral volume's claim template is printed two levels in, its labels' values four spaces further",
     {"ephemeral": {"volumeClaimTemplate": {
         "metadata": {"labels": {"type": "scratch", "app": "web"}},
         "spec": {"storageClassName": "standard", "volumeMode": "Filesystem",
                  "dataSource": {"kind": "VolumeSnapshot", "name": "snap", "apiGroup": "snapshot.storage.k8s.io"}}}}},
     T + "EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n"
         "    StorageClass:\tstandard\n    Volume:\t\n    Labels:\t    app=web\n        \t    type=scratch\n"
         "    Annotations:\t    <none>\n    Capacity:\t\n    Access Modes:\t\n    VolumeMode:\tFilesystem\n"
         "    DataSource:\n      APIGroup:\tsnapshot.storage.k8s.io\n      Kind:\tVolumeSnapshot\n"
         "      Name:\tsnap\n"),
    ("an ephemeral claim's storage class comes from the beta annotation first",
     {"ephemeral": {"volumeClaimTemplate": {
         "metadata": {"annotations": {"volume.beta.kubernetes.io/storage-class": "old"}},
         "spec": {"storageClassName": "new", "volumeName": "pv-1"}}}},
     T + "EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n"
         "    StorageClass:\told\n    Volume:\tpv-1\n    Labels:\t    <none>\n"
         "    Annotations:\t    volume.beta.kubernetes.io/storage-class: old\n    Capacity:\t0\n"
         "    Access Modes:\t\n"),
    ("a volume with no source kubectl knows prints <unknown> one level in",
     {"clusterTrustBundle": {}},
     "  <unknown>\n"),
]


def volumes_text(volume, space=""):
    w = PrefixWriter()
    describe_volumes([{"name": "v", **volume}], w, space)
    return w.plain()


@pytest.mark.parametrize("volume, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_volume_source_prints_as_kubectl_1_32_does(volume, expected):
    assert volumes_text(volume) == "Volumes:\n  v:\n" + expected


def test_a_pod_template_indents_the_volume_name_by_one_more_space():
    assert volumes_text({"nfs": {"server": "s", "path": "/p"}}, "  ").startswith("  Volumes:\n   v:\n    Type:\t")


def test_a_pod_without_volumes_prints_none():
    w = PrefixWriter()
    describe_volumes([], w)
    assert w.plain() == "Volumes:\t<none>\n"


EPHEMERAL_POD = """
apiVersion: v1
kind: Pod
metadata: {name: scratch}
spec:
  containers: [{name: app, image: nginx:1.27}]
  volumes:
  - name: logs
    hostPath: {path: /var/log}
  - name: scratch
    ephemeral:
      volumeClaimTemplate:
        metadata: {labels: {type: scratch}}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: standard
          resources: {requests: {storage: 1Gi}}
"""


def test_describe_pod_aligns_an_ephemeral_claim_template_and_an_empty_host_path_type_as_kubectl_does():
    c = Cluster(workers=1, seed=0)
    c.settle()
    assert c.kubectl("apply -f -", stdin=EPHEMERAL_POD).code == 0
    out = c.kubectl("describe pod scratch").stdout
    volumes = out[out.index("Volumes:"):out.index("  kube-api-access")]
    assert volumes == (
        "Volumes:\n"
        "  logs:\n"
        "    Type:          HostPath (bare host directory volume)\n"
        "    Path:          /var/log\n"
        "    HostPathType:  \n"
        "  scratch:\n"
        "    Type:          EphemeralVolume (an inline specification for a volume that gets created and deleted "
        "with the pod)\n"
        "    StorageClass:  standard\n"
        "    Volume:        \n"
        "    Labels:            type=scratch\n"
        "    Annotations:       <none>\n"
        "    Capacity:      \n"
        "    Access Modes:  \n"
        "    VolumeMode:    Filesystem\n")


@pytest.mark.parametrize("source, defaulted", [
    ({"azureDisk": {"diskName": "d", "diskURI": "https://acct.blob.core.windows.net/vhds/d.vhd"}},
     {"diskName": "d", "diskURI": "https://acct.blob.core.windows.net/vhds/d.vhd", "cachingMode": "ReadWrite", "fsType": "ext4", "readOnly": False,
      "kind": "Shared"}),
    ({"iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.2001-04.com.example:s", "lun": 0}},
     {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.2001-04.com.example:s", "lun": 0, "iscsiInterface": "default"}),
    ({"rbd": {"monitors": ["m"], "image": "i"}},
     {"monitors": ["m"], "image": "i", "pool": "rbd", "user": "admin", "keyring": "/etc/ceph/keyring"}),
    ({"emptyDir": {"sizeLimit": "1024Mi"}}, {"sizeLimit": "1Gi"}),
], ids=["an azureDisk gets its declarative defaults", "an iscsi volume gets the default interface",
        "an rbd volume gets its pool, user and keyring", "an emptyDir size limit is stored in canonical form"])
def test_the_api_server_defaults_volume_sources_as_upstream(source, defaulted):
    c = Cluster(workers=1, seed=0)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}], "volumes": [{"name": "v", **source}]}}
    stored = c.api.create(pod)
    kind = next(iter(source))
    assert stored["spec"]["volumes"][0][kind] == defaulted


DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: nginx:1.27}]
      volumes:
      - name: scratch
        ephemeral:
          volumeClaimTemplate:
            metadata: {labels: {type: ephemeral}}
            spec: {accessModes: [ReadWriteOnce], storageClassName: premium-rwo, resources: {requests: {storage: 1Gi}}}
"""


def test_describe_deployment_prints_the_template_s_ephemeral_volume_one_space_further_in():
    c = Cluster(workers=1, seed=0)
    assert c.kubectl("apply -f -", stdin=DEPLOYMENT).code == 0
    out = c.kubectl("describe deployment web").stdout
    assert out[out.index("  Volumes:"):out.index("  Node-Selectors:")] == (
        "  Volumes:\n"
        "   scratch:\n"
        "    Type:          EphemeralVolume (an inline specification for a volume that gets created and deleted "
        "with the pod)\n"
        "    StorageClass:  premium-rwo\n"
        "    Volume:        \n"
        "    Labels:            type=ephemeral\n"
        "    Annotations:       <none>\n"
        "    Capacity:      \n"
        "    Access Modes:  \n"
        "    VolumeMode:    Filesystem\n")
