"""Security contexts as the documentation's task 'Configure a Security Context for a Pod or Container'
teaches them: who ``id`` says the process is, the kubelet's runAsNonRoot refusals, and a read-only
root file system."""

import pytest

from k8slearn import Cluster
from k8slearn.kubelet.security_context import process_identity, verify_run_as_non_root

PODS = """
apiVersion: v1
kind: Pod
metadata: {name: security-context-demo}
spec:
  securityContext: {runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000}
  volumes: [{name: sec-ctx-vol, emptyDir: {}}]
  containers:
  - name: sec-ctx-demo
    image: busybox:1.28
    command: ["sh", "-c", "sleep 1h"]
    volumeMounts: [{name: sec-ctx-vol, mountPath: /data/demo}]
    securityContext: {allowPrivilegeEscalation: false}
---
apiVersion: v1
kind: Pod
metadata: {name: security-context-demo-2}
spec:
  securityContext: {runAsUser: 1000}
  containers:
  - {name: sec-ctx-demo-2, image: busybox, command: ["sleep", "3600"],
     securityContext: {runAsUser: 2000, allowPrivilegeEscalation: false}}
---
apiVersion: v1
kind: Pod
metadata: {name: groups}
spec:
  securityContext: {runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000], fsGroup: 2000}
  containers:
  - {name: web, image: "nginx:1.27"}
---
apiVersion: v1
kind: Pod
metadata: {name: root-box}
spec:
  containers:
  - {name: box, image: busybox, command: ["sleep", "3600"]}
---
apiVersion: v1
kind: Pod
metadata: {name: root-web}
spec:
  containers:
  - {name: web, image: "nginx:1.27"}
---
apiVersion: v1
kind: Pod
metadata: {name: nonroot-image}
spec:
  containers:
  - {name: web, image: "nginx:1.27", securityContext: {runAsNonRoot: true}}
---
apiVersion: v1
kind: Pod
metadata: {name: nonroot-uid0}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
  - {name: web, image: "nginx:1.27", securityContext: {runAsUser: 0}}
---
apiVersion: v1
kind: Pod
metadata: {name: nonroot-ok}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 1000}
  containers:
  - {name: box, image: busybox, command: ["sleep", "3600"]}
---
apiVersion: v1
kind: Pod
metadata: {name: read-only}
spec:
  volumes: [{name: cache, emptyDir: {}}]
  containers:
  - name: box
    image: busybox
    command: ["sleep", "3600"]
    volumeMounts: [{name: cache, mountPath: /cache}]
    securityContext: {readOnlyRootFilesystem: true}
  - {name: web, image: "nginx:1.27", securityContext: {readOnlyRootFilesystem: true}}
"""


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=2, seed=0)
    c.settle()
    assert c.kubectl("apply -f -", stdin=PODS).code == 0
    c.settle()
    c.run(20)
    c.settle()
    return c


def _exec(cluster, pod, command, container=""):
    return cluster.kubectl(f"exec {pod} {'-c ' + container if container else ''} -- {command}")


@pytest.mark.parametrize("pod, command, stdout, stderr", [
    ("security-context-demo", "id", "uid=1000 gid=3000 groups=2000,3000\n", ""),
    ("security-context-demo", "id -u", "1000\n", ""),
    ("security-context-demo", "id -G", "3000 2000\n", ""),
    ("security-context-demo", "whoami", "", "whoami: unknown uid 1000\ncommand terminated with exit code 1\n"),
    ("security-context-demo-2", "id", "uid=2000 gid=0(root) groups=0(root)\n", ""),
    ("groups", "id", "uid=1000 gid=3000 groups=3000,2000,4000\n", ""),
    ("groups", "whoami", "", "whoami: cannot find name for user ID 1000\ncommand terminated with exit code 1\n"),
    ("root-box", "id", "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n", ""),
    ("root-box", "whoami", "root\n", ""),
    ("root-web", "id", "uid=0(root) gid=0(root) groups=0(root)\n", ""),
    ("nonroot-ok", "sh -c 'id -un; id -gn'", "1000\nroot\n", "id: unknown ID 1000\n"),
], ids=[
    "the documentation's pod runs as uid 1000 in group 3000 with fsGroup 2000 as a supplementary group",
    "id -u prints the uid alone",
    "BusyBox's id -G prints the primary group first",
    "BusyBox's whoami cannot name a uid the image does not list",
    "a container's runAsUser overrides the pod's and without runAsGroup the group is root's",
    "GNU id lists the primary group first, then fsGroup and supplementalGroups",
    "GNU whoami cannot name a uid the image does not list",
    "BusyBox's root is in the wheel group too",
    "whoami names root",
    "nginx runs as root by default",
    "id -n prints the number and complains for a user the image does not name",
])
def test_id_and_whoami_show_the_user_the_security_context_gives(cluster, pod, command, stdout, stderr):
    result = _exec(cluster, pod, command)
    assert (result.stdout, result.stderr) == (stdout, stderr)


@pytest.mark.parametrize("pod, message", [
    ("nonroot-image", 'container has runAsNonRoot and image will run as root (pod: "nonroot-image_default({uid})", '
                      "container: web)"),
    ("nonroot-uid0", "container's runAsUser breaks non-root policy (pod: \"nonroot-uid0_default({uid})\", "
                     "container: web)"),
], ids=["an image that runs as root is refused under runAsNonRoot",
        "a runAsUser of 0 is refused under the pod's runAsNonRoot"])
def test_the_kubelet_refuses_to_create_a_container_that_would_run_as_root(cluster, pod, message):
    obj = cluster.api.get("pods", pod)
    expected = message.format(uid=obj["metadata"]["uid"])
    waiting = obj["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting == {"reason": "CreateContainerConfigError", "message": expected}
    events = [e for e in cluster.api.list("events", namespace="default")
              if e["involvedObject"]["name"] == pod and e["reason"] == "Failed"]
    assert events and events[0]["message"] == f"Error: {expected}"
    assert "CreateContainerConfigError" in cluster.kubectl(f"get pod {pod}").stdout


def test_a_non_root_user_under_run_as_non_root_starts(cluster):
    assert cluster.api.get("pods", "nonroot-ok")["status"]["phase"] == "Running"


@pytest.mark.parametrize("container, command, stdout, stderr", [
    ("box", "sh -c 'echo x > /x'", "", "sh: can't create /x: Read-only file system\n"
                                         "command terminated with exit code 2\n"),
    ("box", "touch /tmp/x", "", "touch: /tmp/x: Read-only file system\ncommand terminated with exit code 1\n"),
    ("box", "sh -c 'echo hello > /cache/f; cat /cache/f'", "hello\n", ""),
    ("box", "sh -c 'echo x > /dev/null; echo ok'", "ok\n", ""),
    ("web", "sh -c 'echo x > /x'", "", "sh: 1: cannot create /x: Read-only file system\n"
                                         "command terminated with exit code 2\n"),
], ids=["a shell's redirection outside the volumes fails",
        "touch under the image's /tmp fails",
        "a volume stays writable",
        "/dev/null takes what it is given",
        "dash says it in its own words"])
def test_a_read_only_root_file_system_refuses_writes_outside_the_volumes(cluster, container, command, stdout,
                                                                         stderr):
    result = _exec(cluster, "read-only", command, container)
    assert (result.stdout, result.stderr) == (stdout, stderr)


@pytest.mark.parametrize("pod_sc, container_sc, image, identity", [
    ({"runAsUser": 1000, "runAsGroup": 3000, "fsGroup": 2000}, {}, "busybox:1.28", (1000, 3000, (2000, 3000))),
    ({"runAsUser": 1000, "fsGroup": 3000}, {"runAsUser": 2000, "runAsGroup": 3000}, "busybox", (2000, 3000, (3000,))),
    ({"runAsGroup": 5000}, {}, "busybox", (0, 5000, (10, 5000))),
    ({}, {"runAsUser": 101}, "nginx", None),
    ({}, {}, "alpine", None),
], ids=["the documentation's pod",
        "fsGroup equal to the primary group is listed once",
        "root keeps its wheel membership in another primary group",
        "a system user's groups are not known",
        "an image whose users are not known"])
def test_process_identity(pod_sc, container_sc, image, identity):
    pod = {"spec": {"securityContext": pod_sc}}
    assert process_identity(pod, {"name": "c", "image": image, "securityContext": container_sc}) == identity


@pytest.mark.parametrize("pod_sc, container_sc, image, refused", [
    ({"runAsNonRoot": True}, {"runAsNonRoot": False}, "nginx", None),
    ({"runAsNonRoot": True}, {}, "registry.k8s.io/pause:3.10", None),
    ({"runAsNonRoot": True}, {}, "prom/prometheus", "container has runAsNonRoot and image has non-numeric user "
                                                    '(nobody), cannot verify user is non-root (pod: "p_ns(u)", '
                                                    "container: c)"),
    ({}, {"runAsNonRoot": True, "runAsUser": 0}, "busybox", "container's runAsUser breaks non-root policy "
                                                            '(pod: "p_ns(u)", container: c)'),
], ids=["the container's runAsNonRoot false overrides the pod's",
        "an image whose user is not root passes",
        "an image with a named user cannot be verified",
        "runAsUser 0 breaks the policy"])
def test_verify_run_as_non_root(pod_sc, container_sc, image, refused):
    pod = {"metadata": {"name": "p", "namespace": "ns", "uid": "u"}, "spec": {"securityContext": pod_sc}}
    assert verify_run_as_non_root(pod, {"name": "c", "image": image, "securityContext": container_sc}) == refused
