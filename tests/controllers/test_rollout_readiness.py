"""Readiness probes and Deployments: a rollout only moves on when the new pods are Ready.

A new template whose readiness probe never passes stalls the rollout: maxUnavailable keeps the old
pods serving (and in the Service's endpoints), `kubectl rollout status` keeps waiting, and after
progressDeadlineSeconds the Deployment says ProgressDeadlineExceeded. Fixing the probe lets it finish.
"""

from k8slearn import Cluster


def web(path: str, image: str = "nginx:1.27") -> dict:
    probe = {"httpGet": {"path": path, "port": 80}, "periodSeconds": 2}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": 4, "progressDeadlineSeconds": 60, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "app", "image": image, "readinessProbe": probe}]}}}}


def ready_pods(c) -> list[dict]:
    return [p for p in c.api.list("pods", "default") if not p["metadata"].get("deletionTimestamp")
            and any(x["type"] == "Ready" and x["status"] == "True" for x in p["status"].get("conditions") or ())]


def change_template(c, path: str, image: str) -> None:
    d = c.api.get("deployments", "web")
    container = d["spec"]["template"]["spec"]["containers"][0]
    container["image"], container["readinessProbe"]["httpGet"]["path"] = image, path
    c.api.update(d)


def test_a_new_template_that_never_gets_ready_stalls_the_rollout_and_the_old_pods_keep_serving():
    c = Cluster(workers=3, seed=0)
    c.settle()
    c.api.create(web("/"))
    c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                  "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})
    c.settle()
    c.run(10)
    assert len(ready_pods(c)) == 4
    old_hash = ready_pods(c)[0]["metadata"]["labels"]["pod-template-hash"]

    change_template(c, "/healthz", "nginx:1.28")  # nginx has no /healthz: never Ready
    for _ in range(40):  # at every step: at least 3 ready (maxUnavailable 1), at most 5 pods (maxSurge 1)
        c.run(2)
        pods = [p for p in c.api.list("pods", "default") if not p["metadata"].get("deletionTimestamp")]
        assert len(ready_pods(c)) >= 3 and len(pods) <= 5
    assert {p["metadata"]["labels"]["pod-template-hash"] for p in ready_pods(c)} == {old_hash}
    endpoints = c.api.get("endpoints", "web")["subsets"][0]
    assert len(endpoints["addresses"]) == 3 and len(endpoints["notReadyAddresses"]) == 2
    progressing = next(x for x in c.api.get("deployments", "web")["status"]["conditions"] if x["type"] == "Progressing")
    assert (progressing["status"], progressing["reason"]) == ("False", "ProgressDeadlineExceeded")
    status = c.kubectl("rollout status deployment/web --timeout=1s")
    assert status.code == 1
    assert 'error: deployment "web" exceeded its progress deadline' in status.stderr

    change_template(c, "/", "nginx:1.28")  # fixed: the rollout completes
    c.settle()
    c.run(30)
    assert len(ready_pods(c)) == 4
    assert {p["spec"]["containers"][0]["image"] for p in ready_pods(c)} == {"nginx:1.28"}
    assert c.kubectl("rollout status deployment/web").stdout.endswith('deployment "web" successfully rolled out\n')
