"""kubectl apply, replace, create, run and expose against the real kubectl v1.32: the outputs below
were printed by the real binary (against the same objects), byte for byte.

Covers: Go struct field order of the objects the generators build (``-o json``), the namespace an
explicit ``-n`` puts in a client dry run, ``create service --tcp`` port names and errors, ``run
--expose`` (the Service first, ``---`` twice), ``expose`` flags and ports copied from the object,
``replace --force`` (delete, wait, create), ``replace --dry-run=client`` and ``--save-config``
without the live resourceVersion, ``apply --dry-run=client`` of an existing object, the deprecated
bare ``--dry-run``, and ``diff`` of a new object.
"""

import json
import re

import pytest
import yaml

from k8slearn import Cluster

CFG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  app.conf: |
    x=1
  mode: prod
"""
CFG_FULL = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: default
data:
  mode: replaced
"""
CFG_APPLY = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  labels:
    tier: x
data:
  mode: dev
  extra: "yes"
"""
NEW_CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: newcm
data:
  a: "1"
  b: two
"""
MULTI = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: m1
data:
  k: v
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  mode: prod
  app.conf: |
    x=1
---
apiVersion: v1
kind: Service
metadata:
  name: s1
spec:
  selector:
    app: web
  ports:
  - port: 80
"""
WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80, protocol: TCP}]
"""
WEB_SVC = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, protocol: TCP, port: 80, targetPort: 8080}
  - {name: metrics, protocol: TCP, port: 9090, targetPort: metrics, nodePort: 30090}
"""
CRASH = """\
apiVersion: v1
kind: Pod
metadata:
  name: crash
  labels: {app: web, pod-template-hash: 7c4b4cb947}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{containerPort: 80, protocol: TCP}]
"""
POD_NO_PORT = """\
apiVersion: v1
kind: Pod
metadata:
  name: np
  labels: {app: np}
spec:
  containers:
  - name: c
    image: busybox
"""
POD_MULTI = """\
apiVersion: v1
kind: Pod
metadata:
  name: mp
  labels: {app: mp}
spec:
  containers:
  - name: c
    image: busybox
    ports:
    - containerPort: 53
      protocol: UDP
    - containerPort: 53
      protocol: TCP
    - containerPort: 8080
"""


def _cluster():
    """The objects of the golden "cluster" world these commands look at: ConfigMap cfg (no
    last-applied annotation), Deployment web, NodePort Service web with two ports, pod crash."""
    c = Cluster(workers=2, seed=0)
    for manifest in (CFG, WEB, WEB_SVC, CRASH):
        assert c.kubectl("create -f -", stdin=manifest).code == 0
    return c


@pytest.fixture(scope="module")
def cluster():
    return _cluster()


GENERATED = [
    ('create deployment -o json prints Go struct order: kind, apiVersion, name first, strategy after template',
     'create deployment api --image=busybox --dry-run=client -o json', None,
     """\
{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "api",
        "creationTimestamp": null,
        "labels": {
            "app": "api"
        }
    },
    "spec": {
        "replicas": 1,
        "selector": {
            "matchLabels": {
                "app": "api"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "api"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "busybox",
                        "image": "busybox",
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}
""",
     "", 0),
    ('create deployment -n kube-system --dry-run=client carries the namespace it was given',
     'create deployment api --image=busybox -n kube-system --dry-run=client -o yaml', None,
     """\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: api
  name: api
  namespace: kube-system
spec:
  replicas: 1
  selector:
    matchLabels:
      app: api
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: api
    spec:
      containers:
      - image: busybox
        name: busybox
        resources: {}
status: {}
""",
     "", 0),
    ('create configmap -n puts the namespace between name and creationTimestamp',
     'create configmap c1 --from-literal=a=b -n kube-system --dry-run=client -o json', None,
     """\
{
    "kind": "ConfigMap",
    "apiVersion": "v1",
    "metadata": {
        "name": "c1",
        "namespace": "kube-system",
        "creationTimestamp": null
    },
    "data": {
        "a": "b"
    }
}
""",
     "", 0),
    ('create secret generic prints data after metadata',
     'create secret generic s1 --from-literal=a=b --dry-run=client -o json', None,
     """\
{
    "kind": "Secret",
    "apiVersion": "v1",
    "metadata": {
        "name": "s1",
        "creationTimestamp": null
    },
    "data": {
        "a": "Yg=="
    }
}
""",
     "", 0),
    ('create namespace is cluster-scoped: -n adds no namespace',
     'create namespace foo -n kube-system --dry-run=client -o json', None,
     """\
{
    "kind": "Namespace",
    "apiVersion": "v1",
    "metadata": {
        "name": "foo",
        "creationTimestamp": null
    },
    "spec": {},
    "status": {}
}
""",
     "", 0),
    ('create serviceaccount -n has the namespace and nothing else',
     'create serviceaccount robot -n kube-system --dry-run=client -o json', None,
     """\
{
    "kind": "ServiceAccount",
    "apiVersion": "v1",
    "metadata": {
        "name": "robot",
        "namespace": "kube-system",
        "creationTimestamp": null
    }
}
""",
     "", 0),
    ('create priorityclass prints value, globalDefault, description, preemptionPolicy in that order',
     'create priorityclass pc --value=5 --description=x --global-default --dry-run=client -o json', None,
     """\
{
    "kind": "PriorityClass",
    "apiVersion": "scheduling.k8s.io/v1",
    "metadata": {
        "name": "pc",
        "creationTimestamp": null
    },
    "value": 5,
    "globalDefault": true,
    "description": "x",
    "preemptionPolicy": "PreemptLowerPriority"
}
""",
     "", 0),
    ('create poddisruptionbudget keeps the status fields in struct order',
     'create poddisruptionbudget p --selector=app=web --min-available=1 --dry-run=client -o json', None,
     """\
{
    "kind": "PodDisruptionBudget",
    "apiVersion": "policy/v1",
    "metadata": {
        "name": "p",
        "creationTimestamp": null
    },
    "spec": {
        "minAvailable": 1,
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        }
    },
    "status": {
        "disruptionsAllowed": 0,
        "currentHealthy": 0,
        "desiredHealthy": 0,
        "expectedPods": 0
    }
}
""",
     "", 0),
    ('create cronjob prints schedule before jobTemplate',
     "create cronjob cj --image=busybox '--schedule=*/1 * * * *' -n kube-system --dry-run=client -o json", None,
     """\
{
    "kind": "CronJob",
    "apiVersion": "batch/v1",
    "metadata": {
        "name": "cj",
        "namespace": "kube-system",
        "creationTimestamp": null
    },
    "spec": {
        "schedule": "*/1 * * * *",
        "jobTemplate": {
            "metadata": {
                "name": "cj",
                "creationTimestamp": null
            },
            "spec": {
                "template": {
                    "metadata": {
                        "creationTimestamp": null
                    },
                    "spec": {
                        "containers": [
                            {
                                "name": "cj",
                                "image": "busybox",
                                "resources": {}
                            }
                        ],
                        "restartPolicy": "OnFailure"
                    }
                }
            }
        }
    },
    "status": {}
}
""",
     "", 0),
    ('create job -n puts the namespace in the job only',
     'create job j --image=busybox -n kube-system --dry-run=client -o json', None,
     """\
{
    "kind": "Job",
    "apiVersion": "batch/v1",
    "metadata": {
        "name": "j",
        "namespace": "kube-system",
        "creationTimestamp": null
    },
    "spec": {
        "template": {
            "metadata": {
                "creationTimestamp": null
            },
            "spec": {
                "containers": [
                    {
                        "name": "j",
                        "image": "busybox",
                        "resources": {}
                    }
                ],
                "restartPolicy": "Never"
            }
        }
    },
    "status": {}
}
""",
     "", 0),
    ('create service --tcp=80 names the port 80, --tcp=443:8443 names it 443-8443',
     'create service clusterip api --tcp=80 --tcp=443:8443 --dry-run=client -o json', None,
     """\
{
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {
        "name": "api",
        "creationTimestamp": null,
        "labels": {
            "app": "api"
        }
    },
    "spec": {
        "ports": [
            {
                "name": "80",
                "protocol": "TCP",
                "port": 80,
                "targetPort": 80
            },
            {
                "name": "443-8443",
                "protocol": "TCP",
                "port": 443,
                "targetPort": 8443
            }
        ],
        "selector": {
            "app": "api"
        },
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
""",
     "", 0),
    ('create service nodeport with a named target port and a node port',
     'create service nodeport api --tcp=80:http --node-port=30001 -n kube-system --dry-run=client -o json', None,
     """\
{
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {
        "name": "api",
        "namespace": "kube-system",
        "creationTimestamp": null,
        "labels": {
            "app": "api"
        }
    },
    "spec": {
        "ports": [
            {
                "name": "80-http",
                "protocol": "TCP",
                "port": 80,
                "targetPort": "http",
                "nodePort": 30001
            }
        ],
        "selector": {
            "app": "api"
        },
        "type": "NodePort"
    },
    "status": {
        "loadBalancer": {}
    }
}
""",
     "", 0),
    ('create service --tcp=1:2:3 ignores the third part but keeps it in the name',
     'create service clusterip api --tcp=1:2:3 --dry-run=client -o yaml', None,
     """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: api
  name: api
spec:
  ports:
  - name: 1-2-3
    port: 1
    protocol: TCP
    targetPort: 2
  selector:
    app: api
  type: ClusterIP
status:
  loadBalancer: {}
""",
     "", 0),
    ('run -n kube-system --dry-run=client -o json: the pod in struct order with its namespace',
     'run p1 --image=busybox -n kube-system --dry-run=client -o json', None,
     """\
{
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "p1",
        "namespace": "kube-system",
        "creationTimestamp": null,
        "labels": {
            "run": "p1"
        }
    },
    "spec": {
        "containers": [
            {
                "name": "p1",
                "image": "busybox",
                "resources": {}
            }
        ],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst"
    },
    "status": {}
}
""",
     "", 0),
    ('run --expose -o yaml: the Service has no labels and two --- come before the pod',
     'run p1 --image=busybox --expose --port=80 --dry-run=client -o yaml', None,
     """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  name: p1
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    run: p1
status:
  loadBalancer: {}
---
---
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: p1
  name: p1
spec:
  containers:
  - image: busybox
    name: p1
    ports:
    - containerPort: 80
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
""",
     "", 0),
    ('run --expose -o json: the Service, then the pod, no separator',
     'run p1 --image=busybox --expose --port=80 --dry-run=client -o json', None,
     """\
{
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {
        "name": "p1",
        "creationTimestamp": null
    },
    "spec": {
        "ports": [
            {
                "protocol": "TCP",
                "port": 80,
                "targetPort": 80
            }
        ],
        "selector": {
            "run": "p1"
        }
    },
    "status": {
        "loadBalancer": {}
    }
}
{
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "p1",
        "creationTimestamp": null,
        "labels": {
            "run": "p1"
        }
    },
    "spec": {
        "containers": [
            {
                "name": "p1",
                "image": "busybox",
                "ports": [
                    {
                        "containerPort": 80
                    }
                ],
                "resources": {}
            }
        ],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst"
    },
    "status": {}
}
""",
     "", 0),
    ('run --expose -l: the Service carries the labels and selects them',
     'run p1 --image=busybox --expose --port=80 -l a=b,c=d --dry-run=client -o yaml', None,
     """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    a: b
    c: d
  name: p1
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    a: b
    c: d
status:
  loadBalancer: {}
---
---
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    a: b
    c: d
  name: p1
spec:
  containers:
  - image: busybox
    name: p1
    ports:
    - containerPort: 80
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
""",
     "", 0),
    ('run --expose -o name: the Service is printed before the pod',
     'run p1 --image=busybox --expose --port=80 --dry-run=client -o name', None,
     """\
service/p1
pod/p1
""",
     "", 0),
    ('create deployment --save-config annotates even a client dry run, the annotation in struct order',
     'create deployment x --image=nginx --save-config --dry-run=client -o yaml', None,
     """\
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"x","creationTimestamp":null,"labels":{"app":"x"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"x"}},"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},"strategy":{}},"status":{}}
  creationTimestamp: null
  labels:
    app: x
  name: x
spec:
  replicas: 1
  selector:
    matchLabels:
      app: x
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: x
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
""",
     "", 0),
    ('create configmap -n --save-config: the namespace is in the annotation too',
     'create configmap c --from-literal=a=b --save-config -n kube-system --dry-run=client -o yaml', None,
     """\
apiVersion: v1
data:
  a: b
kind: ConfigMap
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","namespace":"kube-system","creationTimestamp":null},"data":{"a":"b"}}
  creationTimestamp: null
  name: c
  namespace: kube-system
""",
     "", 0),
    ('create namespace --save-config -o json: the annotation after creationTimestamp',
     'create namespace z --save-config --dry-run=client -o json', None,
     """\
{
    "kind": "Namespace",
    "apiVersion": "v1",
    "metadata": {
        "name": "z",
        "creationTimestamp": null,
        "annotations": {
            "kubectl.kubernetes.io/last-applied-configuration": "{\\"kind\\":\\"Namespace\\",\\"apiVersion\\":\\"v1\\",\\"metadata\\":{\\"name\\":\\"z\\",\\"creationTimestamp\\":null},\\"spec\\":{},\\"status\\":{}}\\n"
        }
    },
    "spec": {},
    "status": {}
}
""",
     "", 0),
    ('run --save-config --dry-run=client adds no annotation (only what is sent is annotated)',
     'run p2 --image=busybox --save-config --dry-run=client -o yaml', None,
     """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: p2
  name: p2
spec:
  containers:
  - image: busybox
    name: p2
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
""",
     "", 0),
]


REFUSED = [
    ("create service --tcp=foo is strconv.ParseUint's error",
     'create service clusterip api --tcp=foo --dry-run=client -o yaml', None,
     "",
     """\
error: strconv.ParseUint: parsing "foo": invalid syntax
""", 1),
    ('create service --tcp=70000 is out of range',
     'create service clusterip api --tcp=70000 --dry-run=client', None,
     "",
     """\
error: strconv.ParseUint: parsing "70000": value out of range
""", 1),
    ('create service --tcp=-1 is invalid syntax for an unsigned number',
     'create service clusterip api --tcp=-1 --dry-run=client', None,
     "",
     """\
error: strconv.ParseUint: parsing "-1": invalid syntax
""", 1),
    ('create service --tcp=80:0 has a target port out of range',
     'create service clusterip api --tcp=80:0 --dry-run=client', None,
     "",
     """\
error: must be between 1 and 65535, inclusive
""", 1),
    ('create service --tcp=80:Bad_Name has an invalid port name',
     'create service clusterip api --tcp=80:Bad_Name --dry-run=client', None,
     "",
     """\
error: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)
""", 1),
    ('replace without -f asks for -f or -k',
     'replace', None,
     "",
     """\
error: must specify one of -f and -k
""", 1),
    ('replace --force refuses --dry-run',
     'replace -f - --force --dry-run=client', CFG_FULL,
     "",
     """\
error: --dry-run can not be used when --force is set
""", 1),
    ('replace --grace-period needs --force',
     'replace -f - --grace-period=0', CFG_FULL,
     "",
     """\
error: --grace-period must have --force specified
""", 1),
    ('replace --timeout needs --force',
     'replace -f - --timeout=5s', CFG_FULL,
     "",
     """\
error: --timeout must have --force specified
""", 1),
    ('apply --server-side refuses a client dry run',
     'apply -f - --server-side --dry-run=client', NEW_CM,
     "",
     """\
error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)
""", 1),
    ('apply --force-conflicts needs --server-side',
     'apply -f - --force-conflicts', CFG_APPLY,
     "",
     """\
error: --force-conflicts only works with --server-side
""", 1),
    ('apply --server-side refuses --force',
     'apply -f - --server-side --force', CFG_APPLY,
     "",
     """\
error: --force cannot be used with --server-side
""", 1),
    ('apply --dry-run=server refuses --force',
     'apply -f - --dry-run=server --force', CFG_APPLY,
     "",
     """\
error: --dry-run=server cannot be used with --force
""", 1),
    ('run --restart=Bogus is a usage error with the help line',
     'run p1 --image=busybox --restart=Bogus', None,
     "",
     """\
error: invalid restart policy: Bogus
See 'kubectl run -h' for help and examples
""", 1),
    ('run -i refuses a dry run',
     'run p1 --image=busybox -i --dry-run=client', None,
     "",
     """\
error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)
See 'kubectl run -h' for help and examples
""", 1),
    ('expose --session-affinity accepts only None and ClientIP',
     'expose deploy web --port=80 --session-affinity=Foo --dry-run=client -o yaml', None,
     "",
     """\
error: unknown session affinity: Foo
""", 1),
    ('expose of a type without a name',
     'expose deploy', None,
     "",
     """\
error: resource(s) were provided, but no name was specified
""", 1),
    ('expose of a ConfigMap',
     'expose cm cfg --port=80', None,
     "",
     """\
error: cannot expose a ConfigMap
""", 1),
    ('expose --port must be a number',
     'expose deploy web --port=abc --dry-run=client', None,
     "",
     """\
error: strconv.Atoi: parsing "abc": invalid syntax
""", 1),
    ('expose of a pod without ports and without --port',
     'expose -f - --dry-run=client -o yaml', POD_NO_PORT,
     "",
     """\
error: couldn't find port via --port flag or introspection
""", 1),
]


EXPOSED = [
    ("expose svc without --port copies the service's ports as port-1 and port-2",
     'expose svc web --name=web3 --dry-run=client -o yaml', None,
     """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web3
spec:
  ports:
  - name: port-1
    port: 80
    protocol: TCP
    targetPort: 80
  - name: port-2
    port: 9090
    protocol: TCP
    targetPort: 9090
  selector:
    app: web
status:
  loadBalancer: {}
""",
     "", 0),
    ('expose --selector replaces the selector of the object exposed',
     'expose deploy web --port=80 --name=web2 --selector=app=other --dry-run=client -o yaml', None,
     """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web2
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: other
status:
  loadBalancer: {}
""",
     "", 0),
    ('expose -l labels the Service',
     'expose deploy web --port=80 --name=web2 -l x=y --dry-run=client -o yaml', None,
     """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    x: "y"
  name: web2
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
status:
  loadBalancer: {}
""",
     "", 0),
    ('expose --external-ip',
     'expose deploy web --port=80 --name=web2 --external-ip=1.2.3.4 --dry-run=client -o yaml', None,
     """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web2
spec:
  externalIPs:
  - 1.2.3.4
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
status:
  loadBalancer: {}
""",
     "", 0),
    ('expose --session-affinity=ClientIP',
     'expose deploy web --port=80 --name=web2 --session-affinity=ClientIP --dry-run=client -o yaml', None,
     """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web2
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
  sessionAffinity: ClientIP
status:
  loadBalancer: {}
""",
     "", 0),
    ('expose with a named target port, a LoadBalancer IP and a cluster IP, as JSON in struct order',
     'expose deploy web --port=80 --target-port=http --type=LoadBalancer --load-balancer-ip=1.1.1.1 '
     '--cluster-ip=10.0.0.5 --dry-run=client -o json', None,
     """\
{
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "ports": [
            {
                "protocol": "TCP",
                "port": 80,
                "targetPort": "http"
            }
        ],
        "selector": {
            "app": "web"
        },
        "clusterIP": "10.0.0.5",
        "type": "LoadBalancer",
        "loadBalancerIP": "1.1.1.1"
    },
    "status": {
        "loadBalancer": {}
    }
}
""",
     "", 0),
    ('expose of a pod using port 53 for UDP and TCP: one Service port per protocol',
     'expose -f - --dry-run=client -o yaml', POD_MULTI,
     """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: mp
  name: mp
spec:
  ports:
  - name: port-1-udp
    port: 53
    protocol: UDP
    targetPort: 53
  - name: port-1-tcp
    port: 53
    protocol: TCP
    targetPort: 53
  - name: port-2
    port: 8080
    protocol: TCP
    targetPort: 8080
  selector:
    app: mp
status:
  loadBalancer: {}
""",
     "", 0),
    ("expose --protocol overrides the protocols of the pod's ports",
     'expose -f - --dry-run=client -o yaml --protocol=SCTP', POD_MULTI,
     """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: mp
  name: mp
spec:
  ports:
  - name: port-1
    port: 53
    protocol: SCTP
    targetPort: 53
  - name: port-2
    port: 8080
    protocol: SCTP
    targetPort: 8080
  selector:
    app: mp
status:
  loadBalancer: {}
""",
     "", 0),
    ('expose of two objects: the second reuses the selector and labels of the first, --- between them',
     'expose deploy/web pod/crash --port=80 --dry-run=client -o yaml', None,
     """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
status:
  loadBalancer: {}
---
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: crash
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
status:
  loadBalancer: {}
""",
     "", 0),
    ("replace --dry-run=client prints the file's object without the live resourceVersion",
     'replace -f - --dry-run=client -o yaml', CFG_FULL,
     """\
apiVersion: v1
data:
  mode: replaced
kind: ConfigMap
metadata:
  name: cfg
  namespace: default
""",
     "", 0),
    ('replace of several objects prints --- between them',
     'replace -f - --dry-run=client -o yaml', MULTI,
     """\
apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  name: m1
  namespace: default
---
apiVersion: v1
data:
  app.conf: |
    x=1
  mode: prod
kind: ConfigMap
metadata:
  name: cfg
  namespace: default
---
apiVersion: v1
kind: Service
metadata:
  name: s1
  namespace: default
spec:
  ports:
  - port: 80
  selector:
    app: web
""",
     "", 0),
    ('create -f of several objects prints --- between them',
     'create -f - --dry-run=client -o yaml', MULTI,
     """\
apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  name: m1
  namespace: default
---
apiVersion: v1
data:
  app.conf: |
    x=1
  mode: prod
kind: ConfigMap
metadata:
  name: cfg
  namespace: default
---
apiVersion: v1
kind: Service
metadata:
  name: s1
  namespace: default
spec:
  ports:
  - port: 80
  selector:
    app: web
""",
     "", 0),
]


@pytest.mark.parametrize("command, stdin, stdout, stderr, code", [row[1:] for row in GENERATED],
                         ids=[row[0] for row in GENERATED])
def test_generated_objects_print_as_kubectl_prints_them(cluster, command, stdin, stdout, stderr, code):
    result = cluster.kubectl(command, stdin=stdin or "")
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)


@pytest.mark.parametrize("command, stdin, stdout, stderr, code", [row[1:] for row in REFUSED],
                         ids=[row[0] for row in REFUSED])
def test_refused_as_kubectl_refuses(cluster, command, stdin, stdout, stderr, code):
    result = cluster.kubectl(command, stdin=stdin or "")
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)


@pytest.mark.parametrize("command, stdin, stdout, stderr, code", [row[1:] for row in EXPOSED],
                         ids=[row[0] for row in EXPOSED])
def test_expose_replace_and_create_print_as_kubectl_prints_them(cluster, command, stdin, stdout, stderr, code):
    result = cluster.kubectl(command, stdin=stdin or "")
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)


def test_nothing_was_changed_by_the_dry_runs_and_refusals(cluster):
    names = cluster.kubectl("get cm,svc,pods,deploy,jobs,cronjobs -o name").stdout.split()
    assert not [n for n in names if n.split("/")[1] in ("api", "c1", "p1", "web2", "web3", "mp", "np", "j", "cj")]
    assert cluster.kubectl("get cm cfg -o jsonpath={.data.mode}").stdout == "prod"


# --- replace --force: DELETE, wait until gone, POST ---------------------------------------------

@pytest.mark.parametrize("flags, stdin, stdout", [
    ("", CFG_FULL, 'configmap "cfg" deleted\nconfigmap/cfg replaced\n'),
    ("-o name", CFG_FULL, "configmap/cfg\nconfigmap/cfg\n"),
    ("--grace-period=0", CFG_FULL, 'configmap "cfg" deleted\nconfigmap/cfg replaced\n'),
    ("", NEW_CM, "configmap/newcm replaced\n"),
    ("", MULTI, 'configmap "cfg" deleted\nconfigmap/m1 replaced\nconfigmap/cfg replaced\nservice/s1 replaced\n'),
], ids=["deletes the object, then creates it again",
        "-o name names it once for the delete and once for the create",
        "--grace-period=0 is allowed with --force",
        "a missing object is not an error: it is just created",
        "only the objects that exist are deleted; all are created"])
def test_replace_force_deletes_and_creates_again(flags, stdin, stdout):
    c = _cluster()
    uid = c.kubectl("get cm cfg -o jsonpath={.metadata.uid}").stdout
    result = c.kubectl(f"replace --force -f - {flags}", stdin=stdin)
    assert (result.stdout, result.stderr, result.code) == (stdout, "", 0)
    obj = yaml.safe_load(stdin.split("---")[0])
    live = json.loads(c.kubectl(f"get cm {obj['metadata']['name']} -o json").stdout)
    assert live["data"] == obj["data"] and "resourceVersion" not in CFG_FULL
    if obj["metadata"]["name"] == "cfg" and stdin is CFG_FULL:
        assert live["metadata"]["uid"] != uid  # a new object, not an update


def test_replace_force_of_a_pod_waits_until_the_old_pod_is_gone():
    c = Cluster(workers=2, seed=0)
    pod = POD_NO_PORT.replace("image: busybox", "image: busybox\n    command: [sleep, '3600']")
    c.kubectl("create -f -", stdin=pod)
    c.settle()
    uid = c.kubectl("get pod np -o jsonpath={.metadata.uid}").stdout
    start = c.now
    result = c.kubectl("replace --force -f -", stdin=pod.replace("3600", "7200"))
    assert (result.stdout, result.code) == ('pod "np" deleted\npod/np replaced\n', 0)
    assert c.now - start >= 30  # the pod's grace period ran out before the new one was created
    new = json.loads(c.kubectl("get pod np -o json").stdout)
    assert new["metadata"]["uid"] != uid and new["spec"]["containers"][0]["command"] == ["sleep", "7200"]


# --- replace without --force --------------------------------------------------------------------

def test_replace_save_config_annotation_has_no_resource_version():
    c = _cluster()
    assert c.kubectl("replace -f - --save-config", stdin=CFG_FULL).stdout == "configmap/cfg replaced\n"
    annotations = json.loads(c.kubectl("get cm cfg -o json").stdout)["metadata"]["annotations"]
    annotation = annotations["kubectl.kubernetes.io/last-applied-configuration"]
    assert annotation == ('{"apiVersion":"v1","data":{"mode":"replaced"},"kind":"ConfigMap","metadata":'
                          '{"annotations":{},"name":"cfg","namespace":"default"}}\n')


def test_run_and_expose_save_config_annotate_what_they_send():
    c = _cluster()
    c.kubectl("run p2 --image=busybox --save-config")
    c.kubectl("expose deploy web --port=80 --name=w --save-config")
    key = "kubectl.kubernetes.io/last-applied-configuration"
    pod = json.loads(c.kubectl("get pod p2 -o json").stdout)["metadata"]["annotations"][key]
    svc = json.loads(c.kubectl("get svc w -o json").stdout)["metadata"]["annotations"][key]
    assert pod == ('{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p2","creationTimestamp":null,"labels":'
                   '{"run":"p2"}},"spec":{"containers":[{"name":"p2","image":"busybox","resources":{}}],'
                   '"restartPolicy":"Always","dnsPolicy":"ClusterFirst"},"status":{}}\n')
    assert svc == ('{"kind":"Service","apiVersion":"v1","metadata":{"name":"w","creationTimestamp":null,"labels":'
                   '{"app":"web"}},"spec":{"ports":[{"protocol":"TCP","port":80,"targetPort":80}],"selector":'
                   '{"app":"web"}},"status":{"loadBalancer":{}}}\n')


# --- apply --------------------------------------------------------------------------------------

def test_apply_client_dry_run_of_an_existing_object_prints_the_live_object():
    c = _cluster()
    result = c.kubectl("apply -f - --dry-run=client -o yaml", stdin=CFG_APPLY)
    assert (result.stdout, result.stderr) == (c.kubectl("get cm cfg -o yaml").stdout, "")
    assert c.kubectl("apply -f - --dry-run=client", stdin=CFG_APPLY).stdout == "configmap/cfg configured (dry run)\n"


def test_apply_with_o_json_prints_all_objects_at_the_end_as_a_list():
    c = _cluster()
    result = c.kubectl("apply -f - --dry-run=client -o json", stdin=MULTI)
    assert result.stdout.startswith('{\n    "kind": "List",\n    "apiVersion": "v1",\n    "metadata": {},\n'
                                    '    "items": [\n        {\n            "apiVersion": "v1",\n')
    listed = json.loads(result.stdout)
    assert [i["metadata"]["name"] for i in listed["items"]] == ["m1", "cfg", "s1"]
    assert listed["items"][1] == json.loads(c.kubectl("get cm cfg -o json").stdout)  # the live one
    as_yaml = yaml.safe_load(c.kubectl("apply -f - --dry-run=client -o yaml", stdin=MULTI).stdout)
    assert (as_yaml["kind"], as_yaml["metadata"], len(as_yaml["items"])) == ("List", {}, 3)


# --- the deprecated --dry-run forms -------------------------------------------------------------

@pytest.mark.parametrize("flag, stdout, line, message", [
    ("--dry-run", "deployment.apps/api created (dry run)\n", 702,
     "--dry-run is deprecated and can be replaced with --dry-run=client."),
    ("--dry-run=true", "deployment.apps/api created (dry run)\n", 716,
     "--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client."),
    ("--dry-run=0", "deployment.apps/api created\n", 719,
     "--dry-run=0 is deprecated (boolean value) and can be replaced with --dry-run=none."),
], ids=["a bare --dry-run is a client dry run, with klog's warning",
        "--dry-run=true too", "--dry-run=0 is no dry run: the deployment is created"])
def test_deprecated_dry_run_values_work_with_a_warning(flag, stdout, line, message):
    c = Cluster(workers=2, seed=0)
    result = c.kubectl(f"create deployment api --image=busybox {flag}")
    assert (result.stdout, result.code) == (stdout, 0)
    assert re.fullmatch(rf"W\d{{4}} \d\d:\d\d:\d\d\.\d{{6}} +\d+ helpers\.go:{line}\] {re.escape(message)}\n",
                        result.stderr)
    assert (c.kubectl("get deploy api").code == 0) == (flag == "--dry-run=0")


def test_the_dry_run_warning_is_printed_once_per_command():
    c = Cluster(workers=2, seed=0)
    result = c.kubectl("create -f - --dry-run", stdin=MULTI)
    assert result.stdout == ("configmap/m1 created (dry run)\nconfigmap/cfg created (dry run)\n"
                             "service/s1 created (dry run)\n")
    assert result.stderr.count("\n") == 1 and "helpers.go:702]" in result.stderr


# --- diff and get -----------------------------------------------------------------------------

def test_diff_of_a_new_object_adds_no_annotations():
    c = _cluster()
    result = c.kubectl("diff -f -", stdin=NEW_CM)
    assert result.code == 1 and "+  name: newcm\n" in result.stdout and "annotations" not in result.stdout


def test_get_o_json_still_prints_sorted_keys(cluster):
    text = cluster.kubectl("get cm cfg -o json").stdout
    assert text.startswith('{\n    "apiVersion": "v1",\n    "data": {\n        "app.conf": "x=1\\n",\n')
    assert list(json.loads(text)["metadata"]) == sorted(json.loads(text)["metadata"])
