"""Pod volumes end to end: the kubelet's volume manager mounts them before the sandbox, a missing
ConfigMap keeps the pod in ContainerCreating with FailedMount events, and the containers see the
files (kubectl exec), share an emptyDir, and cannot write under a read-only mount."""

import base64
import itertools

import pytest
import yaml

from k8slearn import Cluster
from k8slearn.kubelet.container_fs import DIR, Mount, MountedFiles
from k8slearn.kubelet.pod_volumes import expected_volumes
from k8slearn.kubelet.volume_manager import retry_delays
from k8slearn.kubelet.volume_plugins import MountError, set_up


def pod(name, volumes, mounts, command=("sleep", "3600"), image="busybox:1.36", second=None, node_name="",
        **meta):
    containers = [{"name": "app", "image": image, "volumeMounts": mounts}]
    if command:
        containers[0]["command"] = list(command)
    if second is not None:
        containers.append(second)
    spec = {"containers": containers, "volumes": volumes}
    if node_name:  # bound at creation, bypassing the scheduler (which does not place a pod whose claim is missing)
        spec["nodeName"] = node_name
    return yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, **meta}, "spec": spec})


def events(c, name, reason="FailedMount"):
    return [(e["message"], e.get("count", 1)) for e in c.api.list("events", "default")
            if e["involvedObject"]["name"] == name and e["reason"] == reason]


def waiting_reason(c, name):
    statuses = c.api.get("pods", name)["status"].get("containerStatuses") or [{}]
    return (statuses[0].get("state") or {}).get("waiting", {}).get("reason")


def phase(c, name):
    return c.api.get("pods", name)["status"].get("phase")


def out(c, command):
    result = c.kubectl(command)
    return result.stdout, result.stderr, result.code


CFG = [{"name": "cfg", "configMap": {"name": "game"}}]
AT_ETC_CONFIG = [{"name": "cfg", "mountPath": "/etc/config"}]
NOT_FOUND = 'MountVolume.SetUp failed for volume "cfg" : configmap "game" not found'


# -- a ConfigMap that does not exist yet -------------------------------------------------------
@pytest.fixture(scope="module")
def waiting():
    """A pod whose ConfigMap is missing, 130 s after it was created (one wait timed out)."""
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=pod("web", CFG, AT_ETC_CONFIG))
    c.settle()
    c.run(130)
    return c


def test_the_pod_stays_pending_with_its_container_creating(waiting):
    assert (phase(waiting, "web"), waiting_reason(waiting, "web")) == ("Pending", "ContainerCreating")
    assert waiting.kubectl("get pod web").stdout.split("\n")[1].split()[1:3] == ["0/1", "ContainerCreating"]


def test_every_failed_mount_is_a_failed_mount_event_counted_with_the_retry_back_off(waiting):
    # tries at 0.1, 0.7, 1.8, 3.9, 8.0, 16.1, 32.2, 64.3 and 128.4 s: nine in 130 s
    assert events(waiting, "web") == [(NOT_FOUND, 9)]
    assert f"kubelet            {NOT_FOUND}" in waiting.kubectl("describe pod web").stdout
    assert "(x9 over 2m10s)" in waiting.kubectl("describe pod web").stdout


def test_a_wait_that_times_out_writes_no_event_of_its_own_in_v1_32(waiting):
    assert not [m for m, _ in events(waiting, "web") if m.startswith("Unable to attach or mount volumes")]


def test_no_sandbox_is_created_before_the_volumes_are_mounted(waiting):
    assert not [s for s in waiting.trace if s.action == "RunPodSandbox" and s.object == "pod/default/web"]


def test_the_kubelet_reads_the_configmap_through_the_api_server(waiting):
    gets = [(s.action, s.detail) for s in waiting.trace
            if s.component == "kubelet/node-1" and s.object == "configmap/default/game"]
    assert gets == [("get", '404 NotFound: configmaps "game" not found')] * 9  # one GET per try


def test_once_the_configmap_exists_the_next_retry_mounts_it_and_the_pod_starts():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=pod("web", CFG, AT_ETC_CONFIG))
    c.settle()
    c.run(10)
    c.kubectl("create configmap game --from-literal=game.properties=lives=3")
    c.run(10)  # tries at 0.1, 0.7, 1.8, 3.9 and 8.0 s failed; the next one, at 16.1 s, mounts it
    assert phase(c, "web") == "Running"
    assert events(c, "web") == [(NOT_FOUND, 5)]
    assert out(c, "exec web -- cat /etc/config/game.properties") == ("lives=3", "", 0)


# -- what the containers see ---------------------------------------------------------------------
SECRET = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"},
          "data": {"user": base64.b64encode(b"admin").decode(), "password": base64.b64encode(b"s3cr3t").decode()}}
VOLUMES = [
    {"name": "cfg", "configMap": {"name": "game"}},
    {"name": "items", "configMap": {"name": "game", "items": [{"key": "ui.properties", "path": "conf/ui"}]}},
    {"name": "creds", "secret": {"secretName": "creds"}},
    {"name": "info", "downwardAPI": {"items": [
        {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
        {"path": "name", "fieldRef": {"fieldPath": "metadata.name"}},
        {"path": "tier", "fieldRef": {"fieldPath": "metadata.labels['tier']"}}]}},
    {"name": "all", "projected": {"sources": [
        {"configMap": {"name": "game", "items": [{"key": "game.properties", "path": "game"}]}},
        {"secret": {"name": "creds", "items": [{"key": "user", "path": "user"}]}},
        {"downwardAPI": {"items": [{"path": "ns", "fieldRef": {"fieldPath": "metadata.namespace"}}]}}]}},
    {"name": "maybe", "configMap": {"name": "nope", "optional": True}},
    {"name": "data", "emptyDir": {}},
    {"name": "ram", "emptyDir": {"medium": "Memory"}},
    {"name": "nginx-conf", "configMap": {"name": "game"}},
]
MOUNTS = [
    {"name": "cfg", "mountPath": "/etc/config"},
    {"name": "items", "mountPath": "/etc/items"},
    {"name": "creds", "mountPath": "/etc/creds"},
    {"name": "info", "mountPath": "/etc/podinfo"},
    {"name": "all", "mountPath": "/etc/all"},
    {"name": "maybe", "mountPath": "/etc/maybe"},
    {"name": "data", "mountPath": "/data"},
    {"name": "ram", "mountPath": "/ram"},
    {"name": "nginx-conf", "mountPath": "/etc/one.properties", "subPath": "game.properties"},
]
READER = {"name": "reader", "image": "busybox:1.36", "command": ["sleep", "3600"],
          "volumeMounts": [{"name": "data", "mountPath": "/shared"}, {"name": "data", "mountPath": "/ro", "readOnly": True}]}


@pytest.fixture(scope="module")
def mounted():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create configmap game --from-literal=game.properties=lives=3 --from-literal=ui.properties=color=blue")
    c.api.create(SECRET)
    c.kubectl("apply -f -", stdin=pod("web", VOLUMES, MOUNTS, command=["sh", "-c", "echo hi > /data/x; sleep 3600"],
                                      second=READER, labels={"tier": "front", "app": "web"}))
    c.kubectl("apply -f -", stdin=pod("nginx", CFG, AT_ETC_CONFIG, command=None, image="nginx:1.27"))
    c.settle()
    return c


@pytest.mark.parametrize("command, stdout", [
    ("exec web -c app -- cat /etc/config/game.properties", "lives=3"),
    ("exec web -c app -- ls /etc/config", "game.properties\nui.properties\n"),
    ("exec web -c app -- cat /etc/config/..data/ui.properties", "color=blue"),
    ("exec web -c app -- ls /etc/items", "conf\n"),
    ("exec web -c app -- cat /etc/items/conf/ui", "color=blue"),
    ("exec web -c app -- cat /etc/creds/password", "s3cr3t"),
    ("exec web -c app -- ls /etc/creds", "password\nuser\n"),
    ("exec web -c app -- cat /etc/podinfo/labels", 'app="web"\ntier="front"'),
    ("exec web -c app -- cat /etc/podinfo/name /etc/podinfo/tier", "webfront"),
    ("exec web -c app -- ls /etc/all", "game\nns\nuser\n"),
    ("exec web -c app -- cat /etc/all/user /etc/all/ns", "admindefault"),
    ("exec web -c app -- ls /etc/maybe", ""),
    ("exec web -c app -- cat /etc/one.properties", "lives=3"),
    ("exec web -c reader -- cat /shared/x", "hi\n"),
    ("exec web -c reader -- sh -c 'echo from-reader > /shared/y; cat /ro/y'", "from-reader\n"),
    ("exec nginx -- cat /etc/config/game.properties", "lives=3"),
], ids=[
    "a configMap volume has a file per key with the key's value",
    "ls lists the keys and not the ..data entries",
    "the files are reached through ..data as AtomicWriter lays them out",
    "items put only the listed keys, at their paths",
    "an item's path may name a directory",
    "a secret volume's files hold the decoded values",
    "a secret volume has a file per key",
    "the downward API writes the labels as key=\"value\" lines",
    "the downward API writes the name and one label's value",
    "a projected volume gathers its sources' files",
    "a projected volume's secret and downward API files",
    "an optional configMap that does not exist is an empty directory",
    "a subPath mount puts one key of the volume at the mount path",
    "an emptyDir written by one container's program is read by the other container",
    "an exec's write to the emptyDir is seen through the other mount of it",
    "an nginx container sees the same configMap files",
])
def test_the_containers_see_the_volumes_files(mounted, command, stdout):
    assert out(mounted, command) == (stdout, "", 0)


@pytest.mark.parametrize("command, stderr, code", [
    ("exec web -c app -- touch /etc/config/new", "touch: /etc/config/new: Read-only file system\n", 1),
    ("exec web -c app -- rm /etc/config/game.properties",
     "rm: can't remove '/etc/config/game.properties': Read-only file system\n", 1),
    ("exec web -c app -- mkdir /etc/creds/d", "mkdir: can't create directory '/etc/creds/d': Read-only file system\n", 1),
    ("exec web -c app -- sh -c 'echo x > /etc/podinfo/name'", "sh: can't create /etc/podinfo/name: Read-only file system\n", 2),
    ("exec web -c reader -- touch /ro/z", "touch: /ro/z: Read-only file system\n", 1),
    ("exec nginx -- touch /etc/config/new", "touch: cannot touch '/etc/config/new': Read-only file system\n", 1),
    ("exec nginx -- sh -c 'echo x >> /etc/config/game.properties'",
     "sh: 1: cannot create /etc/config/game.properties: Read-only file system\n", 2),
], ids=[
    "BusyBox touch cannot create a file in a configMap volume",
    "BusyBox rm cannot remove a configMap's file",
    "mkdir cannot create a directory in a secret volume",
    "ash cannot redirect into a downward API file",
    "a readOnly mount of an emptyDir is read-only too",
    "GNU touch in nginx says it its own way",
    "dash cannot append to a configMap's file",
])
def test_writes_under_a_read_only_mount_fail(mounted, command, stderr, code):
    assert out(mounted, command) == ("", stderr + f"command terminated with exit code {code}\n", code)


def test_wget_cannot_save_a_page_under_a_read_only_mount():
    c = Cluster(workers=1, seed=0)
    box = {"name": "box", "image": "busybox:1.36", "command": ["sleep", "3600"],
           "volumeMounts": [{"name": "d", "mountPath": "/ro", "readOnly": True}]}
    c.kubectl("apply -f -", stdin=pod("web", [{"name": "d", "emptyDir": {}}], [{"name": "d", "mountPath": "/d"}],
                                      command=None, image="nginx:1.27", second=box))
    c.settle()
    assert out(c, "exec web -c box -- wget -q -O /ro/page http://localhost/") == (
        "", "wget: can't open '/ro/page': Read-only file system\ncommand terminated with exit code 1\n", 1)


def test_a_write_under_a_read_only_mount_changes_nothing(mounted):
    mounted.kubectl("exec web -c app -- touch /etc/config/new")
    assert out(mounted, "exec web -c app -- ls /etc/config") == ("game.properties\nui.properties\n", "", 0)


def test_a_mount_hides_what_the_image_has_at_its_path():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=pod("web", [{"name": "html", "emptyDir": {}}],
                                      [{"name": "html", "mountPath": "/usr/share/nginx/html"}], command=None,
                                      image="nginx:1.27"))
    c.settle()
    assert out(c, "exec web -- ls /usr/share/nginx/html") == ("", "", 0)
    assert out(c, "exec web -- cat /usr/share/nginx/html/index.html")[2] == 1


def test_a_programs_write_under_a_read_only_mount_is_the_shells_error_in_its_log():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create configmap game --from-literal=a=1")
    c.kubectl("apply -f -", stdin=pod("web", CFG, AT_ETC_CONFIG, command=["sh", "-c", "echo x > /etc/config/a; sleep 3600"]))
    c.settle()
    assert c.kubectl("logs web").stdout == "sh: can't create /etc/config/a: Read-only file system\n"
    assert out(c, "exec web -- cat /etc/config/a") == ("1", "", 0)


# -- lifetimes -----------------------------------------------------------------------------------
def test_an_emptydir_outlives_a_container_restart_but_not_the_pod():
    c = Cluster(workers=1, seed=0)
    manifest = pod("web", [{"name": "data", "emptyDir": {}}], [{"name": "data", "mountPath": "/data"}],
                   command=["sh", "-c", "echo run >> /data/log; sleep 5; exit 1"])
    c.kubectl("apply -f -", stdin=manifest)
    c.settle()
    c.run(8)  # exits after 5 s and, the first time, is started again at once
    assert c.api.get("pods", "web")["status"]["containerStatuses"][0]["restartCount"] == 1
    assert out(c, "exec web -- cat /data/log") == ("run\nrun\n", "", 0)
    c.kubectl("delete pod web")
    c.settle()
    c.kubectl("apply -f -", stdin=manifest)
    c.settle()
    assert out(c, "exec web -- cat /data/log") == ("run\n", "", 0)


def test_a_hostpath_directory_is_shared_by_the_pods_on_its_node():
    c = Cluster(workers=1, seed=0)
    host = [{"name": "host", "hostPath": {"path": "/var/log/app", "type": "DirectoryOrCreate"}}]
    for name in ("a", "b"):
        c.kubectl("apply -f -", stdin=pod(name, host, [{"name": "host", "mountPath": "/logs"}]))
    c.settle()
    c.kubectl("exec a -- sh -c 'echo from-a > /logs/a.log'")
    assert out(c, "exec b -- cat /logs/a.log") == ("from-a\n", "", 0)


def test_a_pod_deleted_while_it_waits_for_its_volumes_goes_at_once():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=pod("web", CFG, AT_ETC_CONFIG))
    c.settle()
    c.kubectl("delete pod web --wait=false")
    c.settle()
    assert c.now < 40 and not c.api.list("pods", "default")


def test_pods_without_volume_mounts_never_reach_the_volume_manager():
    c = Cluster(workers=1, seed=0)
    no_token = """--overrides={"spec":{"automountServiceAccountToken":false}}"""  # (no kube-api-access volume)
    c.kubectl(f"run plain --image=busybox:1.36 '{no_token}' -- sleep 3600")
    unused = yaml.safe_load(pod("unused", CFG, []))  # declared, mounted by no container: ignored
    unused["spec"]["automountServiceAccountToken"] = False
    c.kubectl("apply -f -", stdin=yaml.safe_dump(unused))
    c.settle()
    assert (phase(c, "plain"), phase(c, "unused")) == ("Running", "Running")
    assert c.kubelets["node-1"].volume_manager.pods == {}
    assert not [s for s in c.trace if s.action == "MountVolume"]


@pytest.mark.parametrize("volume, message", [
    ({"name": "cfg", "configMap": {"name": "game", "items": [{"key": "nope", "path": "x"}]}},
     'MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: nope'),
    ({"name": "cfg", "secret": {"secretName": "creds", "items": [{"key": "nope", "path": "x"}]}},
     'MountVolume.SetUp failed for volume "cfg" : references non-existent secret key: nope'),
    ({"name": "cfg", "secret": {"secretName": "missing"}},
     'MountVolume.SetUp failed for volume "cfg" : secret "missing" not found'),
    ({"name": "cfg", "projected": {"sources": [{"clusterTrustBundle": {"name": "b", "path": "ca.pem"}}]}},
     ('MountVolume.SetUp failed for volume "cfg" : k8slearn: the projected clusterTrustBundle source is not '
      'simulated (the simulated cluster has no token or certificate machinery)')),
    ({"name": "cfg", "persistentVolumeClaim": {"claimName": "data"}},
     ("Unable to attach or mount volumes: unmounted volumes=[cfg], unattached volumes=[], failed to process "
      "volumes=[cfg]: error processing PVC default/data: failed to fetch PVC from API server: "
      'persistentvolumeclaims "data" not found')),
], ids=[
    "an item whose key the ConfigMap lacks fails the mount",
    "an item whose key the Secret lacks fails the mount",
    "a missing Secret fails the mount",
    "a cluster trust bundle projection is not simulated and says so",
    "a claim fails before any mount is tried, with SyncPod's event",
])
def test_a_volume_that_cannot_be_set_up_keeps_the_pod_creating(volume, message):
    c = Cluster(workers=1, seed=0)
    c.kubectl("create configmap game --from-literal=a=1")
    c.api.create(SECRET)
    c.kubectl("apply -f -", stdin=pod("web", [volume], AT_ETC_CONFIG, node_name="node-1"))
    c.settle()
    c.run(1)
    assert waiting_reason(c, "web") == "ContainerCreating"
    assert [m for m, _ in events(c, "web")] == [message]


# -- the pieces ------------------------------------------------------------------------------------
def test_the_retry_back_off_doubles_from_500ms_to_2m2s():
    assert retry_delays(10) == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 122.0, 122.0]


@pytest.mark.parametrize("spec, expected", [
    ({"containers": [{"name": "a", "volumeMounts": [{"name": "y"}, {"name": "x"}]}],
      "volumes": [{"name": "x"}, {"name": "y"}, {"name": "z"}]}, ["x", "y"]),
    ({"initContainers": [{"name": "i", "volumeMounts": [{"name": "z"}]}], "containers": [{"name": "a"}],
      "volumes": [{"name": "z"}]}, ["z"]),
    ({"containers": [{"name": "a"}], "volumes": [{"name": "z"}]}, []),
], ids=["the mounted volumes, sorted", "an init container's mount counts", "a volume no container mounts is not waited for"])
def test_the_volumes_waited_for_are_those_the_containers_mount(spec, expected):
    assert expected_volumes({"spec": spec}) == expected


def test_set_up_leaves_a_missing_optional_object_empty_and_fails_a_required_one():
    p = {"metadata": {"name": "web", "namespace": "default"}}
    files, read_only = set_up({"name": "v", "configMap": {"name": "x", "optional": True}}, p,
                              lambda *a: None, {}, "..ts")
    assert (files, read_only) == ({"..ts": DIR, "..data": DIR}, True)
    with pytest.raises(MountError, match='^configmap "x" not found$'):
        set_up({"name": "v", "configMap": {"name": "x"}}, p, lambda *a: None, {}, "..ts")


def test_two_containers_mounting_one_emptydir_share_one_dict():
    shared = {}
    MountedFiles({}, (Mount("/data", shared),))["/data/a"] = "1"
    assert MountedFiles({}, (Mount("/other", shared),))["/other/a"] == "1"
    assert "/data/missing" in MountedFiles({}, (Mount("/data", shared),))  # under a mount: the volume decides


# -- later edits -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def edited():
    """A running pod whose ConfigMap is edited 1 s after it started, and its labels changed."""
    c = Cluster(workers=1, seed=0)
    c.kubectl("create configmap game --from-literal=lives=3")
    volumes = CFG + [{"name": "one", "configMap": {"name": "game"}},
                     {"name": "info", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}}]
    mounts = AT_ETC_CONFIG + [{"name": "one", "mountPath": "/lives", "subPath": "lives"},
                              {"name": "info", "mountPath": "/etc/podinfo"}]
    c.kubectl("apply -f -", stdin=pod("web", volumes, mounts, labels={"tier": "front"}))
    c.settle()
    c.run(1)
    cm = c.api.get("configmaps", "game")
    cm["data"] = {"lives": "5", "level": "2"}
    c.api.update(cm)
    c.kubectl("label pod web tier=back --overwrite")
    return c


def test_an_edit_is_not_in_the_files_before_the_pods_next_sync(edited):
    assert out(edited, "exec web -- cat /etc/config/lives") == ("3", "", 0)


def test_the_next_sync_within_a_minute_writes_the_new_data(edited):
    edited.run(60)
    assert out(edited, "exec web -- ls /etc/config") == ("level\nlives\n", "", 0)
    assert out(edited, "exec web -- cat /etc/config/lives") == ("5", "", 0)
    assert out(edited, "exec web -- cat /etc/podinfo/labels") == ('tier="back"', "", 0)


def test_a_subpath_mount_keeps_the_value_it_started_with(edited):
    edited.run(60)
    assert out(edited, "exec web -- cat /lives") == ("3", "", 0)


def test_a_configmap_deleted_later_fails_the_remount_and_the_files_stay(edited):
    edited.kubectl("delete configmap game")
    edited.run(61)
    assert out(edited, "exec web -- cat /etc/config/lives") == ("5", "", 0)
    assert [m for m, _ in events(edited, "web")] == [NOT_FOUND, NOT_FOUND.replace('"cfg"', '"one"')]
    assert phase(edited, "web") == "Running"


def test_an_init_container_fills_an_emptydir_that_the_app_serves():
    c = Cluster(workers=1, seed=0)
    manifest = yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {
        "initContainers": [{"name": "fetch", "image": "busybox:1.36",
                            "command": ["sh", "-c", "echo '<h1>hello</h1>' > /work/index.html"],
                            "volumeMounts": [{"name": "site", "mountPath": "/work"}]}],
        "containers": [{"name": "nginx", "image": "nginx:1.27",
                        "volumeMounts": [{"name": "site", "mountPath": "/usr/share/nginx/html"}]}],
        "volumes": [{"name": "site", "emptyDir": {}}]}})
    c.kubectl("apply -f -", stdin=manifest)
    c.settle()
    assert phase(c, "web") == "Running"
    assert out(c, "exec web -c nginx -- ls /usr/share/nginx/html") == ("index.html\n", "", 0)
    assert out(c, "exec web -c nginx -- cat /usr/share/nginx/html/index.html") == ("<h1>hello</h1>\n", "", 0)


def test_a_reboot_keeps_an_emptydir_on_disk_and_empties_one_in_memory():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=pod("web", [{"name": "disk", "emptyDir": {}}, {"name": "ram", "emptyDir": {"medium": "Memory"}}],
                                      [{"name": "disk", "mountPath": "/disk"}, {"name": "ram", "mountPath": "/ram"}],
                                      command=["sh", "-c", "sleep 3600"]))
    c.settle()
    c.kubectl("exec web -- sh -c 'echo kept > /disk/f; echo lost > /ram/f'")
    c.stop_node("node-1")
    c.run(30)
    c.start_node("node-1")
    c.settle()
    assert c.api.get("pods", "web")["status"]["containerStatuses"][0]["restartCount"] == 1
    assert out(c, "exec web -- cat /disk/f") == ("kept\n", "", 0)
    assert out(c, "exec web -- ls /ram") == ("", "", 0)


def test_the_downward_api_writes_a_containers_request_and_its_limit_or_the_nodes_allocatable():
    c = Cluster(workers=1, seed=0)
    items = [{"path": "cpu_request", "resourceFieldRef": {"containerName": "app", "resource": "requests.cpu",
                                                          "divisor": "1m"}},
             {"path": "mem_limit", "resourceFieldRef": {"containerName": "app", "resource": "limits.memory",
                                                        "divisor": "1Mi"}},
             {"path": "cpu_limit", "resourceFieldRef": {"containerName": "app", "resource": "limits.cpu"}}]
    manifest = yaml.safe_load(pod("web", [{"name": "res", "downwardAPI": {"items": items}}],
                                  [{"name": "res", "mountPath": "/etc/res"}]))
    manifest["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "250m"}, "limits": {"memory": "64Mi"}}
    c.kubectl("apply -f -", stdin=yaml.safe_dump(manifest))
    c.settle()
    cores = c.api.get("nodes", "node-1")["status"]["allocatable"]["cpu"]
    assert out(c, "exec web -- cat /etc/res/cpu_request /etc/res/mem_limit /etc/res/cpu_limit") == (
        f"25064{cores}", "", 0)


def test_a_subpath_of_an_emptydir_is_a_directory_the_kubelet_makes_inside_the_volume():
    c = Cluster(workers=1, seed=0)
    whole = {"name": "all", "image": "busybox:1.36", "command": ["sleep", "3600"],
             "volumeMounts": [{"name": "data", "mountPath": "/all"}]}
    c.kubectl("apply -f -", stdin=pod("web", [{"name": "data", "emptyDir": {}}],
                                      [{"name": "data", "mountPath": "/mine", "subPath": "app"}], second=whole))
    c.settle()
    c.kubectl("exec web -c app -- sh -c 'echo one > /mine/x'")
    assert out(c, "exec web -c all -- ls /all") == ("app\n", "", 0)
    assert out(c, "exec web -c all -- cat /all/app/x") == ("one\n", "", 0)
    assert out(c, "exec web -c app -- ls /mine") == ("x\n", "", 0)


def test_an_exec_probe_reads_the_mounted_files():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create configmap game --from-literal=ready=yes")
    manifest = yaml.safe_load(pod("web", CFG, AT_ETC_CONFIG))
    manifest["spec"]["containers"][0]["readinessProbe"] = {"exec": {"command": ["cat", "/etc/config/ready"]},
                                                           "periodSeconds": 1}
    manifest["spec"]["containers"].append({"name": "other", "image": "busybox:1.36", "command": ["sleep", "3600"],
                                           "readinessProbe": {"exec": {"command": ["cat", "/etc/config/ready"]},
                                                              "periodSeconds": 1}})
    c.kubectl("apply -f -", stdin=yaml.safe_dump(manifest))
    c.settle()
    c.run(3)
    ready = {s["name"]: s["ready"] for s in c.api.get("pods", "web")["status"]["containerStatuses"]}
    assert ready == {"app": True, "other": False}  # only the container that mounts the volume has the file


def test_a_failed_wait_syncs_again_after_the_pod_workers_back_off_not_on_its_own_status_write():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=pod("web", [{"name": "cfg", "persistentVolumeClaim": {"claimName": "data"}}],
                                      AT_ETC_CONFIG, node_name="node-1"))
    c.settle()
    c.run(60)
    writes = [s.time for s in c.trace if s.object.startswith("event/default/web.") and
              s.action in ("create", "update") and s.component == "kubelet/node-1"]
    assert round(writes[0], 1) == 0.3
    # each sync: a 300 ms poll finds the error, then the pod worker's back-off of 10 to 15 s
    gaps = [b - a for a, b in itertools.pairwise(writes)]
    assert len(gaps) >= 3 and all(10.3 - 1e-6 <= gap < 15.3 + 1e-6 for gap in gaps)


def test_a_hostpath_of_type_file_is_a_file_in_the_container():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=pod("web", [{"name": "tz", "hostPath": {"path": "/etc/localtime", "type": "File"}}],
                                      [{"name": "tz", "mountPath": "/etc/localtime", "readOnly": True}]))
    c.settle()
    assert out(c, "exec web -- sh -c 'test -f /etc/localtime && echo file'") == ("file\n", "", 0)
    assert out(c, "exec web -- sh -c 'echo x > /etc/localtime'") == (
        "", "sh: can't create /etc/localtime: Read-only file system\ncommand terminated with exit code 2\n", 2)


KUBE_API_ACCESS = """apiVersion: v1
kind: Pod
metadata:
  name: exported
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts:
    - name: kube-api-access-x7k2p
      mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      readOnly: true
  volumes:
  - name: kube-api-access-x7k2p
    projected:
      defaultMode: 420
      sources:
      - serviceAccountToken:
          expirationSeconds: 3607
          path: token
      - configMap:
          name: kube-root-ca.crt
          items:
          - key: ca.crt
            path: ca.crt
      - downwardAPI:
          items:
          - path: namespace
            fieldRef:
              apiVersion: v1
              fieldPath: metadata.namespace
"""


def test_a_pod_exported_from_a_real_cluster_runs_with_its_kube_api_access_volume():
    from k8slearn.controllers.root_ca_publisher import ROOT_CA

    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=KUBE_API_ACCESS)
    c.settle()
    assert phase(c, "exported") == "Running"
    sa = "/var/run/secrets/kubernetes.io/serviceaccount"
    assert str(c.kubectl(f"exec exported -- ls {sa}")) == "ca.crt\nnamespace\ntoken\n"
    assert str(c.kubectl(f"exec exported -- cat {sa}/namespace")) == "default"
    assert str(c.kubectl(f"exec exported -- cat {sa}/ca.crt")) == ROOT_CA
    token = c.kubectl(f"exec exported -- cat {sa}/token")
    assert (token.code, token.stderr) == (1, (f"k8slearn: the content of {sa}/token is not simulated\n"
                                              "command terminated with exit code 1\n"))


TWO_CONTAINERS = """apiVersion: v1
kind: Pod
metadata:
  name: two-containers
spec:
  restartPolicy: Never
  volumes:
  - name: shared-data
    emptyDir: {}
  containers:
  - name: nginx-container
    image: nginx
    volumeMounts:
    - name: shared-data
      mountPath: /usr/share/nginx/html
  - name: debian-container
    image: debian
    volumeMounts:
    - name: shared-data
      mountPath: /pod-data
    command: ["/bin/sh"]
    args: ["-c", "echo Hello from the debian container > /pod-data/index.html"]
"""


@pytest.mark.parametrize("path, code, out, err", [
    ("/", 0, "Hello from the debian container\n", ""),
    ("/index.html", 0, "Hello from the debian container\n", ""),
    ("/50x.html", 1, "", "wget: server returned error: HTTP/1.1 404 Not Found\n"),
], ids=[
    "nginx serves the index.html another container wrote into the shared emptyDir",
    "by its name too",
    "the image's own pages are hidden under the volume",
])
def test_the_documentations_shared_volume_example(path, code, out, err):
    c = Cluster(workers=2, seed=1)
    c.kubectl("apply -f -", stdin=TWO_CONTAINERS)
    c.kubectl("run client --image=busybox:1.36 -- sleep 3600")
    c.settle()
    ip = c.api.get("pods", "two-containers")["status"]["podIP"]
    got = c.kubectl(f"exec client -- wget -qO- http://{ip}{path}")
    assert (got.code, got.stdout, got.stderr) == (code, out, err + ("command terminated with exit code 1\n" if code else ""))


def test_an_http_probe_and_a_page_follow_a_configmap_mounted_as_the_site():
    c = Cluster(workers=1, seed=1)
    c.kubectl("create configmap site --from-literal=index.html=hello --from-literal=healthz=ok")
    c.kubectl("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata:
  name: site
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    readinessProbe:
      httpGet: {path: /healthz, port: 80}
      periodSeconds: 5
    volumeMounts:
    - {name: html, mountPath: /usr/share/nginx/html}
  volumes:
  - name: html
    configMap: {name: site}
""")
    c.settle()
    c.run(6)
    assert c.api.get("pods", "site")["status"]["containerStatuses"][0]["ready"] is True
    from k8slearn.kubelet.container_fs import served_file, web_files
    (container,) = [x for x in c.kubelets["node-1"].runtime.containers.values() if x.pod_name == "site"]
    serve = web_files(container)
    assert serve("/usr/share/nginx/html", "/") == (200, "hello")
    assert serve("/usr/share/nginx/html", "/missing") == (404, None)
    assert served_file("nginx", {"/usr/share/nginx/html/sub": ("dir",)}, "/usr/share/nginx/html", "/sub") == (403, None)
    assert served_file("nginx-slim", {}, "/usr/share/nginx/html", "/") is None  # unknown image: its default site


def test_a_label_change_reaches_a_downward_api_file_within_a_reconciler_pass():
    c = Cluster(workers=1, seed=0)
    info = [{"name": "info", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}}]
    c.kubectl("apply -f -", stdin=pod("web", info, [{"name": "info", "mountPath": "/etc/podinfo"}],
                                       labels={"tier": "front"}))
    c.settle()
    c.run(5)
    c.kubectl("label pod web tier=back --overwrite")
    c.run(0.05)
    assert out(c, "exec web -- cat /etc/podinfo/labels") == ('tier="front"', "", 0)
    c.run(0.2)
    assert out(c, "exec web -- cat /etc/podinfo/labels") == ('tier="back"', "", 0)


@pytest.mark.parametrize("command, log", [
    (["/bin/sh", "-c", "ls /etc/config/"], "SPECIAL_LEVEL\nSPECIAL_TYPE\n"),
    (["sh", "-c", "cat /etc/config/SPECIAL_LEVEL; cat /nope; hostname"],
     "very\ncat: can't open '/nope': No such file or directory\nreader\n"),
    (["ls", "/etc/config"], "SPECIAL_LEVEL\nSPECIAL_TYPE\n"),
    (["sh", "-c", "grep -c . /etc/config/SPECIAL_TYPE | wc -l"], "1\n"),
], ids=[
    "the documentation's ConfigMap example lists the keys in its log",
    "cat prints a mounted file, and an error for a missing one, then hostname the pod's name",
    "ls can be the container's command itself",
    "pipes in a program's script run through the simulated shell",
])
def test_a_programs_file_tools_read_its_volumes(command, log):
    c = reader(command, "--from-literal=SPECIAL_LEVEL=very --from-literal=SPECIAL_TYPE=charm", restart="Never")
    assert (str(c.kubectl("logs reader")), phase(c, "reader")) == (log, "Succeeded")


def reader(command: list, literals: str, restart: str = "Always") -> Cluster:
    """A settled cluster with the ConfigMap special-config and a pod ``reader`` (busybox running
    ``command``) that mounts it at /etc/config."""
    c = Cluster(workers=1, seed=0)
    c.kubectl(f"create configmap special-config {literals}")
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "reader"}, "spec": {
        "restartPolicy": restart,
        "containers": [{"name": "c", "image": "busybox:1.36", "command": command,
                        "volumeMounts": [{"name": "config", "mountPath": "/etc/config"}]}],
        "volumes": [{"name": "config", "configMap": {"name": "special-config"}}]}})
    c.settle()
    return c


def test_ls_a_shows_the_atomic_writers_entries_of_a_configmap_volume():
    c = reader(["sleep", "3600"], "--from-literal=SPECIAL_LEVEL=very")
    listed = str(c.kubectl("exec reader -- ls -a /etc/config")).splitlines()
    assert listed[:2] == [".", ".."] and listed[3:] == ["..data", "SPECIAL_LEVEL"]
    assert listed[2].startswith("..2026_01_05_09_00_0")  # AtomicWriter's timestamped directory
    assert str(c.kubectl("exec reader -- ls -A /etc/config")).splitlines() == listed[2:]
    assert str(c.kubectl("exec reader -- ls /etc/config")) == "SPECIAL_LEVEL\n"
