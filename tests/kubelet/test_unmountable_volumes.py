"""Volume kinds a simulated node cannot mount: the events a v1.32 kubeadm node (containerd, no CSI
driver, no NFS or Ceph client tools, not on a cloud) writes for each, and the pod left waiting in
ContainerCreating."""

import pytest
import yaml

from k8slearn import Cluster
from k8slearn.kubelet.unmountable_volumes import nfs_mount_error, populator_error, set_up_error

POD_META = {"name": "web", "namespace": "default", "uid": "u1"}
NO_PLUGIN = ("Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to "
             'process volumes=[data]: failed to get Plugin from volumeSpec for volume "data" '
             "err=no volume plugin matched")


def pod(volumes, mounts=("data",)):
    return yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {
        "nodeName": "node-1",  # bound at creation: the scheduler keeps a pod with a missing claim Pending
        "containers": [{"name": "app", "image": "nginx:1.27",
                        "volumeMounts": [{"name": n, "mountPath": f"/{n}"} for n in mounts]}],
        "volumes": volumes}})


def failed_mounts(c):
    return [(e["message"], e.get("count", 1)) for e in c.api.list("events", "default")
            if e["involvedObject"]["name"] == "web" and e["reason"] == "FailedMount"]


def run(volumes, seconds=1, mounts=("data",)):
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=pod(volumes, mounts))
    c.settle()
    c.run(seconds)
    return c


@pytest.mark.parametrize("source, message", [
    ({"csi": {"driver": "secrets-store.csi.k8s.io", "readOnly": True}},
     'MountVolume.SetUp failed for volume "data" : kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: '
     "driver name secrets-store.csi.k8s.io not found in the list of registered CSI drivers"),
    ({"persistentVolumeClaim": {"claimName": "pgdata"}},
     "Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process "
     "volumes=[data]: error processing PVC default/pgdata: failed to fetch PVC from API server: "
     'persistentvolumeclaims "pgdata" not found'),
    ({"ephemeral": {"volumeClaimTemplate": {"spec": {"accessModes": ["ReadWriteOnce"],
                                                     "resources": {"requests": {"storage": "1Gi"}}}}}},
     "Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process "
     "volumes=[data]: error processing PVC default/web-data: failed to fetch PVC from API server: "
     'persistentvolumeclaims "web-data" not found'),
    ({"cephfs": {"monitors": ["10.0.0.5:6789"]}}, NO_PLUGIN),
    ({"rbd": {"monitors": ["10.0.0.5:6789"], "image": "foo"}}, NO_PLUGIN),
    ({"glusterfs": {"endpoints": "glusterfs-cluster", "path": "vol"}}, NO_PLUGIN),
    ({"flexVolume": {"driver": "example.com/lvm"}}, NO_PLUGIN),
    ({"awsElasticBlockStore": {"volumeID": "vol-0123"}},
     'MountVolume.SetUp failed for volume "data" : k8slearn: awsElasticBlockStore volumes are not simulated (v1.32 '
     "hands them to the ebs.csi.aws.com CSI driver, which the attach/detach controller waits for)"),
    ({"gitRepo": {"repository": "https://github.com/kubernetes/examples"}},
     'MountVolume.SetUp failed for volume "data" : k8slearn: gitRepo volumes are not simulated (a real node clones '
     "the repository with its own git)"),
], ids=[
    "an inline csi volume fails its SetUp: no CSI driver of that name is registered with the kubelet",
    "a claim that is not found fails in the populator, with SyncPod's event",
    "a generic ephemeral volume's claim is the pod's name, a dash and the volume's name",
    "cephfs has had no in-tree plugin since v1.31: no volume plugin matched",
    "rbd has had no in-tree plugin since v1.31: no volume plugin matched",
    "glusterfs has had no in-tree plugin since v1.26: no volume plugin matched",
    "a flexVolume whose driver the node does not have matches no plugin",
    "an in-tree cloud disk is not simulated and names the CSI driver v1.32 hands it to",
    "a gitRepo volume is not simulated and says why",
])
def test_a_volume_the_node_cannot_mount_keeps_the_pod_creating_with_upstreams_event(source, message):
    c = run([{"name": "data", **source}])
    assert c.kubectl("get pod web").stdout.split("\n")[1].split()[1:3] == ["0/1", "ContainerCreating"]
    assert [m for m, _ in failed_mounts(c)] == [message]


def test_an_nfs_volume_fails_as_mount_does_without_the_nfs_helper_and_describe_prints_every_line():
    c = run([{"name": "data", "nfs": {"server": "10.0.0.5", "path": "/exports"}}])
    uid = c.api.get("pods", "web")["metadata"]["uid"]
    target = f"/var/lib/kubelet/pods/{uid}/volumes/kubernetes.io~nfs/data"
    message = ('MountVolume.SetUp failed for volume "data" : mount failed: exit status 32\n'
               "Mounting command: mount\n"
               f"Mounting arguments: -t nfs 10.0.0.5:/exports {target}\n"
               f"Output: mount: {target}: bad option; for several filesystems (e.g. nfs, cifs) you might need a "
               "/sbin/mount.<type> helper program.\n")
    assert [m for m, _ in failed_mounts(c)] == [message]
    assert message.strip() in c.kubectl("describe pod web").stdout


def test_a_setup_failure_is_retried_with_the_back_off_and_counted_on_one_event():
    c = run([{"name": "data", "csi": {"driver": "hostpath.csi.k8s.io"}}], seconds=130)
    # tries at 0.1, 0.7, 1.8, 3.9, 8.0, 16.1, 32.2, 64.3 and 128.4 s: nine in 130 s
    assert [count for _, count in failed_mounts(c)] == [9]


def test_two_volumes_the_populator_fails_are_reported_together_sorted():
    c = run([{"name": "data", "persistentVolumeClaim": {"claimName": "pgdata"}},
             {"name": "cache", "cephfs": {"monitors": ["10.0.0.5:6789"]}}], mounts=("data", "cache"))
    assert [m for m, _ in failed_mounts(c)] == [
        "Unable to attach or mount volumes: unmounted volumes=[cache data], unattached volumes=[], failed to "
        'process volumes=[cache data]: error processing PVC default/pgdata: failed to fetch PVC from API server: '
        'persistentvolumeclaims "pgdata" not found; failed to get Plugin from volumeSpec for volume "cache" '
        "err=no volume plugin matched"]


@pytest.mark.parametrize("source, arguments", [
    ({"server": "10.0.0.5", "path": "/exports", "readOnly": True}, "-t nfs -o ro 10.0.0.5:/exports"),
    ({"server": "fd00::5", "path": "/exports"}, "-t nfs [fd00::5]:/exports"),
    ({"server": "nfs.example.com", "path": "/"}, "-t nfs nfs.example.com:/"),
], ids=["a read-only source mounts with -o ro", "an IPv6 server is in brackets", "a host name is as it is"])
def test_the_nfs_mount_arguments_are_the_plugins(source, arguments):
    assert f"Mounting arguments: {arguments} /var/lib/kubelet/pods/u1/volumes/kubernetes.io~nfs/data\n" in \
        nfs_mount_error({"metadata": POD_META}, "data", source)


@pytest.mark.parametrize("volume", [
    {"name": "data", "emptyDir": {}}, {"name": "data", "configMap": {"name": "x"}},
    {"name": "data", "nfs": {"server": "a", "path": "/"}}, {"name": "data", "csi": {"driver": "d"}},
], ids=["emptyDir", "configMap", "nfs", "csi"])
def test_kinds_with_a_plugin_pass_the_populator(volume):
    assert populator_error({"metadata": POD_META}, volume) == ""


def test_an_unknown_kind_says_it_is_not_simulated():
    message = set_up_error({"metadata": POD_META}, {"name": "data"})
    assert message == "k8slearn: this kind of volume is not simulated"
