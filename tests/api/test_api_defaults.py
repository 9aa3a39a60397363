"""Defaulting: manifests printed by ``kubectl create ... --dry-run=client -o yaml`` get exactly the
values a v1.32 API server fills in."""

from pathlib import Path

import pytest
import yaml

from k8slearn.api.defaults import apply_defaults, generate_job_selector, image_pull_policy, pod_qos_class

MANIFESTS = Path(__file__).parent.parent / "fixtures" / "manifests"


def load(name: str) -> dict:
    obj = yaml.safe_load((MANIFESTS / name).read_text())
    apply_defaults(obj)
    return obj


DEFAULT_CONTAINER = {"imagePullPolicy": "Always", "resources": {},
                     "terminationMessagePath": "/dev/termination-log",
                     "terminationMessagePolicy": "File"}
TEMPLATE_SPEC = {"dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                 "securityContext": {}, "terminationGracePeriodSeconds": 30}


def test_kubectl_create_deployment_gets_the_upstream_defaults():
    assert load("deployment-web.yaml")["spec"] == {
        "progressDeadlineSeconds": 600,
        "replicas": 1,
        "revisionHistoryLimit": 10,
        "selector": {"matchLabels": {"app": "web"}},
        "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
        "template": {
            "metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
            "spec": {"containers": [{"image": "nginx", "name": "nginx", **DEFAULT_CONTAINER}],
                     **TEMPLATE_SPEC},
        },
    }


def test_kubectl_run_pod_gets_pod_defaults_and_admission_defaults():
    assert load("pod-web.yaml")["spec"] == {
        "containers": [{"image": "nginx", "name": "web", **DEFAULT_CONTAINER}],
        "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority", "priority": 0,
        "serviceAccount": "default", "serviceAccountName": "default", **TEMPLATE_SPEC,
    }


def test_kubectl_create_job_gets_job_defaults():
    spec = load("job-j.yaml")["spec"]
    assert {k: v for k, v in spec.items() if k != "template"} == {
        "backoffLimit": 6, "completionMode": "NonIndexed", "completions": 1, "parallelism": 1,
        "podReplacementPolicy": "TerminatingOrFailed", "suspend": False}
    assert spec["template"]["spec"]["restartPolicy"] == "Never"
    assert spec["template"]["spec"]["containers"][0]["imagePullPolicy"] == "Always"


def test_kubectl_create_service_gets_service_defaults():
    spec = load("service-s.yaml")["spec"]
    assert spec == {"internalTrafficPolicy": "Cluster",
                    "ports": [{"name": "80-8080", "port": 80, "protocol": "TCP", "targetPort": 8080}],
                    "selector": {"app": "s"}, "sessionAffinity": "None", "type": "ClusterIP"}


def test_a_nodeport_service_also_gets_an_external_traffic_policy():
    assert load("service-np.yaml")["spec"]["externalTrafficPolicy"] == "Cluster"


def test_kubectl_create_namespace_gets_its_label_finalizer_and_phase():
    ns = load("namespace-dev.yaml")
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "dev"}
    assert (ns["spec"], ns["status"]) == ({"finalizers": ["kubernetes"]}, {"phase": "Active"})


def test_kubectl_create_cronjob_gets_cronjob_defaults():
    spec = load("cronjob-cj.yaml")["spec"]
    assert (spec["concurrencyPolicy"], spec["suspend"], spec["successfulJobsHistoryLimit"],
            spec["failedJobsHistoryLimit"]) == ("Allow", False, 3, 1)
    assert spec["jobTemplate"]["spec"]["template"]["spec"]["schedulerName"] == "default-scheduler"


def test_a_daemonset_gets_one_unavailable_and_no_surge():
    spec = load("daemonset-flannel.yaml")["spec"]
    assert spec["updateStrategy"] == {"type": "RollingUpdate",
                                      "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    assert spec["revisionHistoryLimit"] == 10
    assert spec["template"]["spec"]["volumes"][0]["hostPath"] == {"path": "/run/flannel", "type": ""}


def test_a_secret_defaults_to_opaque():
    assert load("secret-s.yaml")["type"] == "Opaque"


def test_a_statefulset_gets_ordered_ready_rolling_updates_and_retention():
    sts = {"kind": "StatefulSet", "metadata": {"name": "db"},
           "spec": {"template": {"spec": {"containers": []}}}}
    apply_defaults(sts)
    spec = sts["spec"]
    assert (spec["podManagementPolicy"], spec["updateStrategy"], spec["replicas"],
            spec["revisionHistoryLimit"]) == (
        "OrderedReady", {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}, 1, 10)
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}


PULL = [
    ("nginx", "Always", "no tag means latest and Always"),
    ("nginx:latest", "Always", "the latest tag is Always"),
    ("nginx:1.27", "IfNotPresent", "a pinned tag is IfNotPresent"),
    ("localhost:5000/app", "Always", "a registry port is not a tag"),
    ("nginx@sha256:" + "a" * 64, "IfNotPresent", "a digest is IfNotPresent"),
    ("", "IfNotPresent", "an unparseable image is IfNotPresent"),
]


@pytest.mark.parametrize("image,policy", [p[:2] for p in PULL], ids=[p[2] for p in PULL])
def test_image_pull_policy_follows_the_tag(image, policy):
    assert image_pull_policy(image) == policy


def _pod(resources: dict) -> dict:
    return {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [
        {"name": "c", "image": "x", "resources": resources, "ports": [{"containerPort": 80}],
         "readinessProbe": {"httpGet": {"port": 80}}}]}}


def test_limits_without_requests_become_requests_and_quantities_become_canonical():
    pod = _pod({"limits": {"cpu": "0.5", "memory": "1024Mi"}})
    apply_defaults(pod)
    container = pod["spec"]["containers"][0]
    assert container["resources"] == {"limits": {"cpu": "500m", "memory": "1Gi"},
                                      "requests": {"cpu": "500m", "memory": "1Gi"}}
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert container["readinessProbe"] == {"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
                                           "timeoutSeconds": 1,
                                           "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}


def test_templates_do_not_copy_limits_into_requests():
    d = {"kind": "Deployment", "metadata": {"name": "d"},
         "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x",
                                                        "resources": {"limits": {"cpu": "1"}}}]}}}}
    apply_defaults(d)
    assert d["spec"]["template"]["spec"]["containers"][0]["resources"] == {"limits": {"cpu": "1"}}


def test_a_pod_with_a_priority_class_leaves_priority_to_admission():
    pod = {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"priorityClassName": "high", "containers": []}}
    apply_defaults(pod)
    assert "priority" not in pod["spec"] and "preemptionPolicy" not in pod["spec"]


def test_generate_job_selector_labels_the_template_with_the_uid():
    job = load("job-j.yaml")
    job["metadata"]["uid"] = "u-1"
    generate_job_selector(job)
    assert job["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": "u-1"}}
    assert job["spec"]["template"]["metadata"]["labels"] == {
        "batch.kubernetes.io/controller-uid": "u-1", "batch.kubernetes.io/job-name": "j",
        "controller-uid": "u-1", "job-name": "j"}


QOS = [
    ({}, "BestEffort", "no requests or limits is BestEffort"),
    ({"requests": {"cpu": "100m"}}, "Burstable", "a request without a limit is Burstable"),
    ({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}, "Guaranteed",
     "equal cpu and memory requests and limits are Guaranteed"),
    ({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}, "Burstable",
     "a request below its limit is Burstable"),
]


@pytest.mark.parametrize("resources,qos", [q[:2] for q in QOS], ids=[q[2] for q in QOS])
def test_pod_qos_class(resources, qos):
    assert pod_qos_class(_pod(resources)) == qos


def test_unknown_kinds_are_left_alone():
    obj = {"kind": "Widget", "spec": {}}
    apply_defaults(obj)
    assert obj == {"kind": "Widget", "spec": {}}


TEMPLATES = [
    ({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
      "spec": {"template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "a", "image": "x"}]}}}},
     [("spec", "template")]),
    ({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
      "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}}},
     [("spec", "template")]),
    ({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "cj"},
      "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}}}}},
     [("spec", "jobTemplate"), ("spec", "jobTemplate", "spec", "template")]),
    ({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
      "spec": {"template": {"metadata": {"creationTimestamp": "2026-01-05T09:00:00Z"},
                            "spec": {"containers": [{"name": "a", "image": "x"}]}}}},
     [("spec", "template")]),
]


@pytest.mark.parametrize("obj, paths", TEMPLATES, ids=[
    "a deployment's template gets creationTimestamp null next to its labels",
    "a template without metadata gets metadata with creationTimestamp null",
    "a cronjob's job template and its pod template both get it",
    "a timestamp someone set is kept",
])
def test_templates_read_back_with_creation_timestamp_null_as_typed_objects_do(obj, paths):
    given = (obj["spec"].get("template") or {}).get("metadata", {}).get("creationTimestamp")
    apply_defaults(obj)
    for path in paths:
        node = obj
        for key in path:
            node = node[key]
        assert node["metadata"]["creationTimestamp"] == given


def test_a_pod_failure_policy_condition_pattern_defaults_to_status_true():
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
           "spec": {"podFailurePolicy": {"rules": [
               {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]},
               {"action": "FailJob", "onPodConditions": [{"type": "ConfigIssue", "status": "False"}]}]},
                    "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "a", "image": "x"}]}}}}
    apply_defaults(job)
    rules = job["spec"]["podFailurePolicy"]["rules"]
    assert [p["status"] for r in rules for p in r["onPodConditions"]] == ["True", "False"]
    assert job["spec"]["podReplacementPolicy"] == "Failed"


EMPTY_STRINGS = [
    ({"kind": "Pod", "spec": {"dnsPolicy": "", "containers": []}}, ("spec", "dnsPolicy"), "ClusterFirst"),
    ({"kind": "Pod", "spec": {"restartPolicy": "", "containers": []}}, ("spec", "restartPolicy"), "Always"),
    ({"kind": "Pod", "spec": {"schedulerName": "", "containers": []}}, ("spec", "schedulerName"),
     "default-scheduler"),
    ({"kind": "Pod", "spec": {"containers": [{"name": "c", "image": "x", "terminationMessagePath": ""}]}},
     ("spec", "containers", 0, "terminationMessagePath"), "/dev/termination-log"),
    ({"kind": "Pod", "spec": {"containers": [{"name": "c", "image": "x", "terminationMessagePolicy": ""}]}},
     ("spec", "containers", 0, "terminationMessagePolicy"), "File"),
    ({"kind": "Pod", "spec": {"containers": [{"name": "c", "image": "x",
                                              "ports": [{"containerPort": 80, "protocol": ""}]}]}},
     ("spec", "containers", 0, "ports", 0, "protocol"), "TCP"),
    ({"kind": "Deployment", "spec": {"strategy": {"type": ""}}}, ("spec", "strategy", "type"),
     "RollingUpdate"),
    ({"kind": "DaemonSet", "spec": {"updateStrategy": {"type": ""}}}, ("spec", "updateStrategy", "type"),
     "RollingUpdate"),
    ({"kind": "StatefulSet", "spec": {"podManagementPolicy": ""}}, ("spec", "podManagementPolicy"),
     "OrderedReady"),
    ({"kind": "CronJob", "spec": {"concurrencyPolicy": ""}}, ("spec", "concurrencyPolicy"), "Allow"),
    ({"kind": "Service", "spec": {"type": "", "sessionAffinity": "",
                                  "ports": [{"port": 80, "protocol": ""}]}},
     ("spec", "ports", 0, "protocol"), "TCP"),
    ({"kind": "Service", "spec": {"type": "", "sessionAffinity": ""}}, ("spec", "type"), "ClusterIP"),
    ({"kind": "Service", "spec": {"sessionAffinity": ""}}, ("spec", "sessionAffinity"), "None"),
    ({"kind": "Secret", "type": ""}, ("type",), "Opaque"),
    ({"kind": "Namespace", "metadata": {"name": "dev"}, "status": {"phase": ""}}, ("status", "phase"),
     "Active"),
    ({"kind": "Endpoints", "subsets": [{"ports": [{"port": 80, "protocol": ""}]}]},
     ("subsets", 0, "ports", 0, "protocol"), "TCP"),
]


@pytest.mark.parametrize("obj, path, value", EMPTY_STRINGS, ids=[
    "a pod's empty dnsPolicy becomes ClusterFirst",
    "a pod's empty restartPolicy becomes Always",
    "a pod's empty schedulerName becomes default-scheduler, so the scheduler still takes it",
    "an empty terminationMessagePath becomes /dev/termination-log",
    "an empty terminationMessagePolicy becomes File",
    "a container port's empty protocol becomes TCP",
    "a deployment's empty strategy type becomes RollingUpdate",
    "a daemonset's empty update strategy type becomes RollingUpdate",
    "a statefulset's empty podManagementPolicy becomes OrderedReady",
    "a cronjob's empty concurrencyPolicy becomes Allow",
    "a service port's empty protocol becomes TCP",
    "a service's empty type becomes ClusterIP",
    "a service's empty sessionAffinity becomes None",
    "a secret's empty type becomes Opaque",
    "a namespace's empty phase becomes Active",
    "an endpoints port's empty protocol becomes TCP",
])
def test_an_empty_string_is_defaulted_like_a_missing_field_as_go_tests_for_the_zero_value(obj, path, value):
    apply_defaults(obj)
    node = obj
    for key in path:
        node = node[key]
    assert node == value


def test_a_value_someone_chose_is_kept_and_a_pointer_field_keeps_its_empty_string():
    pod = {"kind": "Pod", "spec": {"dnsPolicy": "Default", "restartPolicy": "Never", "containers": []}}
    slice_ = {"kind": "EndpointSlice", "ports": [{"name": "", "protocol": "UDP", "port": 53}]}
    apply_defaults(pod)
    apply_defaults(slice_)
    assert (pod["spec"]["dnsPolicy"], pod["spec"]["restartPolicy"]) == ("Default", "Never")
    assert slice_["ports"] == [{"name": "", "protocol": "UDP", "port": 53}]


def test_a_manifest_with_empty_policies_is_created_defaulted_and_runs():
    from k8slearn import Cluster

    cluster = Cluster(workers=1, seed=0)
    manifest = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
                "  dnsPolicy: ''\n  restartPolicy: ''\n  schedulerName: ''\n  containers:\n  - name: c\n    image: nginx:1.27\n"
                "    terminationMessagePolicy: ''\n")
    result = cluster.kubectl("apply -f -", stdin=manifest)
    cluster.settle()
    pod = cluster.api.get("pods", "p")
    assert (result.stdout, result.stderr) == ("pod/p created\n", "")
    assert (pod["spec"]["schedulerName"], pod["spec"]["nodeName"], pod["status"]["phase"]) == (
        "default-scheduler", "node-1", "Running")


def test_a_projected_service_account_token_without_expiry_lives_one_hour():
    pod = {"kind": "Pod", "spec": {"containers": [], "volumes": [{"name": "token", "projected": {"sources": [
        {"serviceAccountToken": {"path": "token"}},
        {"serviceAccountToken": {"path": "short", "expirationSeconds": 600}}]}}]}}
    apply_defaults(pod)
    projected = pod["spec"]["volumes"][0]["projected"]
    assert projected["defaultMode"] == 420
    assert [s["serviceAccountToken"]["expirationSeconds"] for s in projected["sources"]] == [3600, 600]


def test_a_statefulset_claim_template_reads_back_as_a_typed_pending_file_system_claim_of_canonical_size():
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
           "spec": {"template": {"spec": {"containers": []}},
                    "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
                        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1024Mi"}}}}]}}
    apply_defaults(sts)
    assert sts["spec"]["volumeClaimTemplates"] == [{
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data", "creationTimestamp": None},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                 "volumeMode": "Filesystem"},
        "status": {"phase": "Pending"}}]


@pytest.mark.parametrize("claim_spec, mode", [
    ({"accessModes": ["ReadWriteOnce"]}, "Filesystem"),
    ({"accessModes": ["ReadWriteOnce"], "volumeMode": None}, "Filesystem"),
    ({"accessModes": ["ReadWriteOnce"], "volumeMode": "Block"}, "Block"),
], ids=["a claim without a volume mode is a file system", "a null volume mode is unset, so a file system too",
        "a block claim stays a block claim"])
def test_an_ephemeral_claim_template_gets_its_volume_mode_and_typed_metadata(claim_spec, mode):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [], "volumes": [{"name": "scratch", "ephemeral": {
               "volumeClaimTemplate": {"spec": dict(claim_spec)}}}]}}
    apply_defaults(pod)
    claim = pod["spec"]["volumes"][0]["ephemeral"]["volumeClaimTemplate"]
    assert (claim["spec"]["volumeMode"], claim["metadata"]) == (mode, {"creationTimestamp": None})
