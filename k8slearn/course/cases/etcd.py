"""Cases for the etcd key layout: where the API server stores each object.

Every object lives under one key: ``/registry/<resource>/<namespace>/<name>`` for namespaced
kinds and ``/registry/<resource>/<name>`` for cluster-scoped ones, with the plural resource
name and no API group for built-in kinds. A few keys keep names from Kubernetes' early days:
nodes are stored as *minions*, and Services and Endpoints share a ``services`` folder.

>>> KEY_FOR["a node is stored under its historical name minions"].args
('Node', None, 'node-1')

Cluster-scoped kinds (Node, Namespace) take ``None`` as the namespace.

Simplified: built-in kinds only; custom resources add their API group
(``/registry/<group>/<plural>/...``) and are not in this table.

Upstream: staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
(NamespaceKeyFunc, NoNamespaceKeyFunc); the storage prefix is kube-apiserver's --etcd-prefix
"""

from __future__ import annotations

from k8slearn.course.cases.table import Case, CaseTable

KEY_FOR = CaseTable(
    name="etcd.key_for",
    signature="key_for(kind: str, namespace: str | None, name: str) -> str",
    description="The etcd key under which the API server stores an object of that kind.",
    cases=[
        Case(
            "a pod is stored under its namespace and name",
            ("Pod", "default", "web"),
            "/registry/pods/default/web",
        ),
        Case(
            "the key uses the plural resource name without the API group",
            ("Deployment", "default", "web"),
            "/registry/deployments/default/web",
        ),
        Case(
            "a replica set in kube-system is stored under that namespace",
            ("ReplicaSet", "kube-system", "coredns-7c4b4cb947"),
            "/registry/replicasets/kube-system/coredns-7c4b4cb947",
        ),
        Case(
            "a daemon set is stored under daemonsets",
            ("DaemonSet", "kube-flannel", "kube-flannel-ds"),
            "/registry/daemonsets/kube-flannel/kube-flannel-ds",
        ),
        Case(
            "a node is stored under its historical name minions",
            ("Node", None, "node-1"),
            "/registry/minions/node-1",
        ),
        Case("a namespace has no namespace segment", ("Namespace", None, "dev"), "/registry/namespaces/dev"),
        Case(
            "a service is stored under services/specs",
            ("Service", "default", "web"),
            "/registry/services/specs/default/web",
        ),
        Case(
            "the endpoints of a service are stored under services/endpoints",
            ("Endpoints", "default", "web"),
            "/registry/services/endpoints/default/web",
        ),
        Case(
            "a config map is stored under configmaps",
            ("ConfigMap", "default", "app-config"),
            "/registry/configmaps/default/app-config",
        ),
        Case(
            "a node's heartbeat lease is stored in kube-node-lease",
            ("Lease", "kube-node-lease", "node-1"),
            "/registry/leases/kube-node-lease/node-1",
        ),
    ],
)
