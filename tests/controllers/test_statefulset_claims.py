"""A StatefulSet's claims: created from volumeClaimTemplates before each pod, bound by the PV
controller, owned as persistentVolumeClaimRetentionPolicy says."""

from __future__ import annotations

import pytest

from k8slearn import Cluster

# The StatefulSet of the Kubernetes docs (concepts/workloads/controllers/statefulset).
DOCS_EXAMPLE = """apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: nginx
  serviceName: "nginx"
  replicas: 3
  minReadySeconds: 10
  template:
    metadata:
      labels:
        app: nginx
    spec:
      terminationGracePeriodSeconds: 10
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ "ReadWriteOnce" ]
      storageClassName: "my-storage-class"
      resources:
        requests:
          storage: 1Gi
"""

HOSTPATH_PV = """apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-{i}
spec:
  storageClassName: my-storage-class
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  hostPath:
    path: /mnt/data-{i}
"""


def sts_events(c):
    return [(e["reason"], e["message"]) for e in c.api.list("events", "default")
            if e["involvedObject"]["kind"] == "StatefulSet"]


def test_the_docs_example_creates_web_0s_claim_before_web_0_and_waits_for_a_volume():
    c = Cluster(workers=3, seed=0)
    c.kubectl("apply -f -", stdin=DOCS_EXAMPLE)
    c.settle()
    [claim] = c.api.list("persistentvolumeclaims", "default")
    assert claim["metadata"]["name"] == "www-web-0"
    assert claim["metadata"]["labels"] == {"app": "nginx"}
    assert "ownerReferences" not in claim["metadata"]  # Retain / Retain, the default policy
    assert claim["status"]["phase"] == "Pending"
    assert sts_events(c) == [
        ("SuccessfulCreate", "create Claim www-web-0 Pod web-0 in StatefulSet web success"),
        ("SuccessfulCreate", "create Pod web-0 in StatefulSet web successful")]
    assert "pod has unbound immediate PersistentVolumeClaims" in c.kubectl("describe pod web-0").stdout
    assert [(e["reason"], e["message"]) for e in c.api.list("events", "default")
            if e["involvedObject"]["name"] == "www-web-0"] == [
        ("ProvisioningFailed", 'storageclass.storage.k8s.io "my-storage-class" not found')]


def test_the_docs_example_runs_once_an_administrator_makes_hostpath_volumes():
    c = Cluster(workers=3, seed=0)
    c.kubectl("apply -f -", stdin=DOCS_EXAMPLE)
    c.settle()
    c.kubectl("apply -f -", stdin="---\n".join(HOSTPATH_PV.format(i=i) for i in range(3)))
    c.run(seconds=180)
    c.settle()
    claims = {p["metadata"]["name"]: (p["status"]["phase"], p["spec"]["volumeName"])
              for p in c.api.list("persistentvolumeclaims", "default")}
    assert claims == {"www-web-0": ("Bound", "pv-0"), "www-web-1": ("Bound", "pv-1"), "www-web-2": ("Bound", "pv-2")}
    assert c.api.get("statefulsets", "web")["status"].get("readyReplicas") == 3


POLICY_CASES = [
    ("Retain on deletion and scaling leaves the claims unowned", "Retain", "Retain", []),
    ("Delete on deletion makes the StatefulSet the claims' controller", "Delete", "Retain",
     [("StatefulSet", "web", True)]),
    ("Delete on scaling alone leaves claims of pods in range unowned", "Retain", "Delete", []),
]


def parallel_set(when_deleted, when_scaled, replicas=2):
    import yaml
    docs = list(yaml.safe_load_all(DOCS_EXAMPLE))
    sts = docs[1]
    sts["spec"].update({"replicas": replicas, "podManagementPolicy": "Parallel", "minReadySeconds": 0,
                        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": when_deleted,
                                                                 "whenScaled": when_scaled}})
    return sts


@pytest.mark.parametrize("when_deleted, when_scaled, owners", [c[1:] for c in POLICY_CASES],
                         ids=[c[0] for c in POLICY_CASES])
def test_the_retention_policy_decides_who_owns_the_claims(when_deleted, when_scaled, owners):
    c = Cluster(workers=2, seed=0)
    c.api.create(parallel_set(when_deleted, when_scaled))
    c.settle()
    for claim in c.api.list("persistentvolumeclaims", "default"):
        refs = claim["metadata"].get("ownerReferences") or []
        assert [(r["kind"], r["name"], r["controller"]) for r in refs] == owners


def test_deleting_a_set_whose_policy_is_delete_deletes_its_claims():
    c = Cluster(workers=2, seed=0)
    c.api.create(parallel_set("Delete", "Retain"))
    c.settle()
    assert len(c.api.list("persistentvolumeclaims", "default")) == 2
    c.api.delete("statefulsets", "web")
    c.settle()
    assert c.api.list("persistentvolumeclaims", "default") == []


def test_scaling_down_a_set_whose_policy_is_delete_on_scaling_deletes_the_removed_pods_claim():
    c = Cluster(workers=2, seed=0)
    c.api.create(parallel_set("Retain", "Delete"))
    c.settle()
    c.api.patch("statefulsets", "web", {"spec": {"replicas": 1}})
    c.settle()
    assert [p["metadata"]["name"] for p in c.api.list("persistentvolumeclaims", "default")] == ["www-web-0"]


def test_a_pending_pods_claim_deleted_by_hand_is_made_again_so_the_pod_can_still_be_scheduled():
    c = Cluster(workers=3, seed=0)
    c.kubectl("apply -f -", stdin=DOCS_EXAMPLE)
    c.settle()
    first_uid = c.api.get("persistentvolumeclaims", "www-web-0")["metadata"]["uid"]
    c.kubectl("delete pvc www-web-0")
    c.settle()
    claim = c.api.get("persistentvolumeclaims", "www-web-0")
    assert claim["metadata"]["uid"] != first_uid
    assert claim["spec"]["storageClassName"] == "my-storage-class"
    [event] = [e for e in c.api.list("events", "default")
               if e["message"] == "create Claim www-web-0 Pod web-0 in StatefulSet web success"]
    assert (event["involvedObject"]["kind"], event["reason"], event["count"]) == (
        "StatefulSet", "SuccessfulCreate", 2)
    c.kubectl("apply -f -", stdin="---\n".join(HOSTPATH_PV.format(i=i) for i in range(3)))
    c.run(seconds=180)
    c.settle()
    assert c.api.get("statefulsets", "web")["status"].get("readyReplicas") == 3


def test_an_ordered_set_whose_policy_is_delete_owns_its_claims_while_its_pods_are_pending_without_warnings():
    c = Cluster(workers=3, seed=0)
    c.kubectl("apply -f -", stdin="---\n".join(HOSTPATH_PV.format(i=i) for i in range(2)))
    sts = parallel_set("Delete", "Retain")
    sts["spec"]["podManagementPolicy"] = "OrderedReady"
    c.api.create(sts)
    c.settle()
    assert sts_events(c) == [
        ("SuccessfulCreate", "create Claim www-web-0 Pod web-0 in StatefulSet web success"),
        ("SuccessfulCreate", "create Pod web-0 in StatefulSet web successful"),
        ("SuccessfulCreate", "create Claim www-web-1 Pod web-1 in StatefulSet web success"),
        ("SuccessfulCreate", "create Pod web-1 in StatefulSet web successful")]
    for claim in c.api.list("persistentvolumeclaims", "default"):
        owners = [(r["kind"], r["name"]) for r in claim["metadata"]["ownerReferences"]]
        assert owners == [("StatefulSet", "web")]
