"""Dump objects from a simulated cluster as a kubectl golden world (run by hand).

    .venv/bin/python tests/kubectl/dump_world.py sidecars

writes tests/fixtures/kubectl/<name>_world.json: the namespaced objects the scenario leaves
(pods, events, workloads...) with every timestamp replaced by ``"@@<seconds before the end>@@"``
(``m`` after the number for microsecond ones), which kubectl_worlds turns back into times relative
to the capture's instant ``T``.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from k8slearn import Cluster
from k8slearn.api.meta import parse_timestamp

HERE = os.path.dirname(os.path.abspath(__file__))
STAMP = re.compile(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z)"')

SIDECAR_POD = """
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  initContainers:
  - name: logshipper
    image: busybox:1.36
    restartPolicy: Always
    command: ["sh", "-c", "while true; do echo shipped; sleep 10; done"]
    startupProbe:
      exec: {command: ["true"]}
      periodSeconds: 5
  containers:
  - name: app
    image: nginx:1.27
"""


def applied(manifest: str, seconds: float, before: tuple = (), wait: float = 0.0) -> Cluster:
    """A one-worker cluster that settled, waited ``wait`` s, ran the ``before`` kubectl commands,
    applied ``manifest``, settled again and ran on for ``seconds``: the scenarios below."""
    c = Cluster(workers=1, seed=0)
    c.settle()
    if wait:
        c.run(wait)
    for command in before:
        c.kubectl(command)
    c.kubectl("apply -f -", stdin=manifest)
    c.settle()
    c.run(seconds)
    return c


def sidecars() -> Cluster:
    return applied(SIDECAR_POD, 30, wait=10)


BUSY_POD = """
apiVersion: v1
kind: Pod
metadata:
  name: busy
spec:
  initContainers:
  - {name: fetch, image: "busybox:1.36", command: ["sh", "-c", "sleep 1"]}
  - {name: migrate, image: "busybox:1.36", command: ["sh", "-c", "sleep 1"]}
  - {name: proxy, image: "nginx:1.27", restartPolicy: Always}
  containers:
  - {name: app, image: "nginx:1.27"}
  - {name: worker, image: "busybox:1.36", command: ["sh", "-c", "sleep 3600"]}
  - {name: metrics, image: "busybox:1.36", command: ["sh", "-c", "sleep 3600"]}
"""


def busy() -> Cluster:
    """A pod with many events, several in the same second (for kubectl's unstable event sort)."""
    return applied(BUSY_POD, 20)


ENV_POD = """
apiVersion: v1
kind: Pod
metadata:
  name: needs-config
  labels: {app: shop}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    resources:
      limits: {memory: 64Mi}
    envFrom:
    - configMapRef: {name: web-settings}
      prefix: WEB_
    - secretRef: {name: creds, optional: true}
    env:
    - name: MY_POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: MY_NODE
      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
    - name: APP
      valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}
    - name: CPU_LIMIT
      valueFrom: {resourceFieldRef: {resource: limits.cpu}}
    - name: MEM_LIMIT_MI
      valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
    - name: COLOUR
      valueFrom: {configMapKeyRef: {name: web-settings, key: colour}}
    - name: PASSWORD
      valueFrom: {secretKeyRef: {name: creds, key: password, optional: true}}
"""


def envs() -> Cluster:
    """A pod whose environment names a ConfigMap that does not exist (CreateContainerConfigError)."""
    return applied(ENV_POD, 40)


VOLUME_PODS = """
apiVersion: v1
kind: Pod
metadata:
  name: mounts
  labels: {app: shop}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    volumeMounts:
    - {name: cache, mountPath: /cache}
    - {name: config, mountPath: /etc/config, readOnly: true}
    - {name: creds, mountPath: /etc/creds}
    - {name: podinfo, mountPath: /etc/podinfo}
    - {name: all-in-one, mountPath: /projected}
    - {name: host, mountPath: /host-logs}
    - {name: config, mountPath: /etc/app.conf, subPath: app.conf}
  volumes:
  - name: cache
    emptyDir: {medium: Memory, sizeLimit: 64Mi}
  - name: config
    configMap:
      name: app-config
      items:
      - {key: app.conf, path: app.conf}
  - name: creds
    secret: {secretName: db-creds, optional: true}
  - name: podinfo
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
  - name: all-in-one
    projected:
      sources:
      - configMap: {name: app-config}
      - secret: {name: db-creds}
      - downwardAPI:
          items:
          - {path: namespace, fieldRef: {fieldPath: metadata.namespace}}
  - name: host
    hostPath: {path: /var/log, type: Directory}
---
apiVersion: v1
kind: Pod
metadata:
  name: waits-for-config
spec:
  containers:
  - name: app
    image: nginx:1.27
    volumeMounts:
    - {name: site, mountPath: /usr/share/nginx/html}
  volumes:
  - name: site
    configMap: {name: site-content}
"""


def volumes() -> Cluster:
    """A running pod with one volume of each kind, and a pod waiting for a missing ConfigMap."""
    return applied(VOLUME_PODS, 40, before=("create configmap app-config --from-literal=app.conf=debug=true",
                                            "create secret generic db-creds --from-literal=password=s3cr3t"))


def debugged() -> Cluster:
    """A pod after two ``kubectl debug``s: one ephemeral container that ran a command and exited,
    one still running beside nginx."""
    c = applied("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n"
                "    image: nginx:1.27\n", 5)
    c.kubectl("debug web --image=busybox:1.36 -c probe --profile=general --target=app -- wget -qO- localhost")
    c.run(5)
    c.kubectl("debug web --image=busybox:1.36 -c shell --profile=general -- sleep 3600")
    c.run(5)
    return c


ROLLOUT_WEB = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
  annotations: {kubernetes.io/change-cause: IMAGE}
spec:
  replicas: 3
  progressDeadlineSeconds: 30
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: IMAGE}
"""
ROLLOUT_OTHERS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  replicas: 1
  strategy: {type: Recreate}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - {name: postgres, image: postgres:16}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  progressDeadlineSeconds: 20
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: robot
      containers:
      - {name: api, image: "busybox:1.36", command: [sleep, "3600"]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, labels: {app: agent}}
spec:
  updateStrategy:
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
      - {name: agent, image: "prom/node-exporter:v1.8.2", ports: [{containerPort: 9100, hostPort: 9100}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: picky}
spec:
  selector: {matchLabels: {app: picky}}
  template:
    metadata: {labels: {app: picky}}
    spec:
      nodeSelector: {disk: ssd}
      containers:
      - {name: picky, image: "busybox:1.36", command: [sleep, "3600"]}
"""


def rollouts() -> Cluster:
    """Deployments and DaemonSets mid-story: web rolled 1.26 -> 1.27 then stuck on a bad image past
    its progress deadline; db (Recreate) paused with a template change waiting; api unable to
    create pods (ReplicaFailure); agent surging onto a bad image; picky matching no node."""
    c = Cluster(workers=2, seed=0)
    c.settle()
    for image in ("nginx:1.26", "nginx:1.27"):
        c.kubectl("apply -f -", stdin=ROLLOUT_WEB.replace("IMAGE", image))
        c.settle()
    c.kubectl("apply -f -", stdin=ROLLOUT_OTHERS)
    c.settle()
    c.kubectl("rollout pause deploy/db")
    c.kubectl("set image deploy/db postgres=postgres:17")
    c.kubectl("set image ds/agent agent=prom/node-exporter:v9.9.9")
    c.kubectl("apply -f -", stdin=ROLLOUT_WEB.replace("IMAGE", "nginx:1.28-typo"))
    c.run(45)
    return c


SCENARIOS = {"sidecars": sidecars, "busy": busy, "envs": envs, "volumes": volumes, "debugged": debugged,
             "rollouts": rollouts}
KINDS = {"rollouts": ("deployments", "replicasets", "daemonsets", "controllerrevisions", "pods", "events")}


def dump(cluster: Cluster, kinds=("pods", "events")) -> str:
    end = cluster.now
    objects = [obj for kind in kinds for obj in cluster.api.list(kind, "default")]
    text = json.dumps(objects, indent=1, sort_keys=True)

    def offset(match):  # parse_timestamp: seconds of simulated time, as cluster.now
        seconds = round(parse_timestamp(match.group(1)) - end)
        return f'"@@{seconds}{"m" if match.group(2) else ""}@@"'

    return STAMP.sub(offset, text) + "\n"


if __name__ == "__main__":
    name = sys.argv[1]
    path = os.path.join(HERE, "..", "fixtures", "kubectl", f"{name}_world.json")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(dump(SCENARIOS[name](), KINDS.get(name, ("pods", "events"))))
    print("wrote", os.path.normpath(path))
