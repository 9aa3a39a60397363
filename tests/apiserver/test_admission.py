"""Admission plugins: NamespaceLifecycle, ServiceAccount, Priority, DefaultTolerationSeconds."""

import pytest
from apiserver_builders import expect_error, pod

from k8slearn.apiserver.admission import (
    CREATE,
    PLUGINS,
    UPDATE,
    Attributes,
    Lister,
    default_toleration_seconds,
    priority,
)


def test_the_chain_runs_in_kube_apiserver_order():
    assert [name for name, _ in PLUGINS] == [
        "NamespaceLifecycle", "ServiceAccount", "TaintNodesByCondition", "Priority", "DefaultTolerationSeconds",
        "DefaultStorageClass", "StorageObjectInUseProtection"]


NOT_READY = {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 300}
UNREACHABLE = {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
               "tolerationSeconds": 300}


@pytest.mark.parametrize(
    "tolerations, expected",
    [
        (None, [NOT_READY, UNREACHABLE]),
        ([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
           "tolerationSeconds": 10}],
         [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
           "tolerationSeconds": 10}, UNREACHABLE]),
        ([{"operator": "Exists"}], [{"operator": "Exists"}]),
        ([{"key": "node.kubernetes.io/unreachable", "operator": "Exists"}],
         [{"key": "node.kubernetes.io/unreachable", "operator": "Exists"}, NOT_READY]),
        ([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoSchedule"}],
         [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoSchedule"},
          NOT_READY, UNREACHABLE]),
    ],
    ids=[
        "a pod without tolerations tolerates not-ready and unreachable nodes for 300 s",
        "a pod's own not-ready toleration is kept and only unreachable is added",
        "a toleration of every taint needs nothing more",
        "a toleration without effect covers NoExecute",
        "a NoSchedule toleration does not cover NoExecute",
    ],
)
def test_default_toleration_seconds(tolerations, expected):
    body = pod("web") if tolerations is None else pod("web", tolerations=tolerations)
    default_toleration_seconds(Attributes(CREATE, "pods", "default", body), Lister())
    assert body["spec"]["tolerations"] == expected


def test_created_pods_carry_the_default_tolerations(api):
    assert api.create(pod("web"))["spec"]["tolerations"] == [NOT_READY, UNREACHABLE]


@pytest.mark.parametrize(
    "class_name, objects, expected",
    [
        ("", {}, ("", 0, "PreemptLowerPriority")),
        ("system-node-critical", {}, ("system-node-critical", 2000001000, "PreemptLowerPriority")),
        ("system-cluster-critical", {}, ("system-cluster-critical", 2000000000, "PreemptLowerPriority")),
        ("high", {"priorityclasses": [{"metadata": {"name": "high"}, "value": 1000,
                                       "preemptionPolicy": "Never"}]}, ("high", 1000, "Never")),
        ("", {"priorityclasses": [{"metadata": {"name": "base"}, "value": 7, "globalDefault": True}]},
         ("base", 7, "PreemptLowerPriority")),
        ("", {"priorityclasses": [{"metadata": {"name": "a"}, "value": 7, "globalDefault": True},
                                  {"metadata": {"name": "b"}, "value": 3, "globalDefault": True}]},
         ("b", 3, "PreemptLowerPriority")),
    ],
    ids=[
        "without a class a pod gets priority 0",
        "system-node-critical is built in at 2000001000",
        "system-cluster-critical is built in at 2000000000",
        "a PriorityClass object gives its value and preemption policy",
        "the globalDefault class applies to pods that name none",
        "of two globalDefault classes (a race) the one with the lowest value applies",
    ],
)
def test_priority_resolves_the_class(class_name, objects, expected):
    body = pod("web", priorityClassName=class_name) if class_name else pod("web")
    priority(Attributes(CREATE, "pods", "default", body), Lister(objects))
    spec = body["spec"]
    assert (spec.get("priorityClassName", ""), spec["priority"], spec["preemptionPolicy"]) == expected


def test_a_pod_may_not_bring_its_own_priority_integer(server, api):
    expect_error(server, lambda: api.create(pod("web", priorityClassName="system-node-critical", priority=5)),
                 403, "Forbidden",
                 'pods "web" is forbidden: the integer value of priority (5) must not be provided in pod '
                 "spec; priority admission controller computed 2000001000 from the given PriorityClass name")


@pytest.mark.parametrize("spec, message", [
    ({"preemptionPolicy": "Never"},
     'pods "web" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; '
     "priority admission controller computed PreemptLowerPriority from the given PriorityClass name"),
    ({"preemptionPolicy": "Never", "priorityClassName": "system-node-critical"},
     'pods "web" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; '
     "priority admission controller computed PreemptLowerPriority from the given PriorityClass name"),
], ids=["without a class, the computed policy is PreemptLowerPriority", "with a class, it is the class's"])
def test_a_pod_may_not_bring_its_own_preemption_policy(server, api, spec, message):
    expect_error(server, lambda: api.create(pod("web", **spec)), 403, "Forbidden", message)


def test_a_pod_may_repeat_the_policy_its_class_gives_it(api):
    api.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "patient"},
                "value": 10, "preemptionPolicy": "Never"})
    first = api.create(pod("a", priorityClassName="patient", preemptionPolicy="Never"))
    again = api.create(pod("b", preemptionPolicy="PreemptLowerPriority"))  # as a copy of a stored pod says
    assert (first["spec"]["preemptionPolicy"], again["spec"]["preemptionPolicy"]) == ("Never", "PreemptLowerPriority")


def test_a_priority_class_object_is_used_through_the_api(api):
    api.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
                "value": 1000})
    created = api.create(pod("web", priorityClassName="high"))
    assert created["spec"]["priority"] == 1000


def test_priority_is_kept_on_update_when_the_client_leaves_it_out():
    old = pod("web")
    old["spec"].update(priority=10, preemptionPolicy="Never")
    new = pod("web")
    priority(Attributes(UPDATE, "pods", "default", new, old), Lister())
    assert (new["spec"]["priority"], new["spec"]["preemptionPolicy"]) == (10, "Never")


def test_pods_run_as_the_default_service_account(api):
    spec = api.create(pod("web"))["spec"]
    assert (spec["serviceAccountName"], spec["serviceAccount"]) == ("default", "default")


@pytest.mark.parametrize("account, accounts, error", [
    ("builder", ["builder"], None),
    ("builder", [], ('pods "web" is forbidden: error looking up service account default/builder: '
                     'serviceaccount "builder" not found')),
    ("", [], None),
], ids=[
    "a pod may run as an account that exists",
    "an account that does not exist is refused with the plugin's message",
    "the default account is taken to exist: upstream waits for its controller to create it",
])
def test_a_pods_service_account_must_exist(server, api, account, accounts, error):
    for name in accounts:
        api.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name, "namespace": "default"}})
    spec = {"serviceAccountName": account} if account else {}
    if error is None:
        assert api.create(pod("web", **spec))["spec"]["serviceAccountName"] == (account or "default")
    else:
        expect_error(server, lambda: api.create(pod("web", **spec)), 403, "Forbidden", error)


def test_a_forbidden_create_names_the_generate_name_prefix(server, api):
    expect_error(server, lambda: api.create(pod("", generateName="web-", priorityClassName="gold")),
                 403, "Forbidden", 'pods "web-" is forbidden: no PriorityClass with name gold was found')


def test_a_terminating_namespace_refusal_carries_its_cause(server, api):
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "old"}})
    api.delete("namespaces", "old")
    err = expect_error(server, lambda: api.create(pod("web", namespace="old")), 403, "Forbidden")
    assert err.details["causes"] == [{"reason": "NamespaceTerminating",
                                      "message": "namespace old is being terminated",
                                      "field": "metadata.namespace"}]


def test_cluster_scoped_objects_need_no_namespace(server):
    bare = server.__class__(server.store.__class__(), server.loop)
    created = bare.client("kubelet").create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}})
    assert created["metadata"]["name"] == "n1"


def _priority_class(name, value, default=False):
    return {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
            "value": value, "globalDefault": default}


def test_the_api_server_creates_the_system_priority_classes_and_keeps_them():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    classes = {pc["metadata"]["name"]: (pc["value"], pc["description"], pc["metadata"]["generation"])
               for pc in c.api.list("priorityclasses")}
    assert classes == {
        "system-node-critical": (2000001000, "Used for system critical pods that must not be moved from their "
                                             "current node.", 1),
        "system-cluster-critical": (2000000000, "Used for system critical pods that must run in the cluster, but "
                                                "can be moved to another node if necessary.", 1)}
    assert c.kubectl("delete pc system-node-critical").stderr == (
        'Error from server (Forbidden): priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: '
        "this is a system priority class and cannot be deleted\n")
    assert len(c.api.list("priorityclasses")) == 2


def test_only_one_priority_class_may_be_the_global_default(server, api):
    api.create(_priority_class("a-default", 10, default=True))
    expect_error(server, lambda: api.create(_priority_class("b-default", 1, default=True)), 403, "Forbidden",
                 'priorityclasses.scheduling.k8s.io "b-default" is forbidden: PriorityClass a-default is already '
                 "marked as default. Only one default can exist")
    api.create(_priority_class("c", 5))
    changed = dict(api.get("priorityclasses", "c"), globalDefault=True)
    expect_error(server, lambda: api.update(changed), 403, "Forbidden",
                 'priorityclasses.scheduling.k8s.io "c" is forbidden: PriorityClass a-default is already '
                 "marked as default. Only one default can exist")
    same = dict(api.get("priorityclasses", "a-default"), description="the default")
    assert api.update(same)["description"] == "the default"  # the default itself may change


TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"


def _token_admitted(spec: dict, account: dict | None = None, annotations: dict | None = None) -> dict:
    from k8slearn.apiserver.admission import service_account

    pod_obj = {"metadata": {"name": "web", "namespace": "default", "annotations": annotations or {}}, "spec": spec}
    accounts = [{"metadata": {"name": "default", "namespace": "default"}, **(account or {})}]
    service_account(Attributes(CREATE, "pods", "default", pod_obj), Lister({"serviceaccounts": accounts}))
    return pod_obj["spec"]


def _mounts(spec: dict) -> list:
    return [[(m["mountPath"], m["name"], m.get("readOnly")) for m in c.get("volumeMounts") or []]
            for key in ("initContainers", "containers") for c in spec.get(key) or []]


def test_a_pod_gets_its_api_credentials_as_a_projected_volume_in_every_container():
    spec = _token_admitted({"initContainers": [{"name": "init", "image": "busybox"}],
                            "containers": [{"name": "app", "image": "nginx"}]})
    [volume] = spec["volumes"]
    assert volume["name"].startswith("kube-api-access-") and len(volume["name"]) == len("kube-api-access-") + 5
    assert volume["projected"] == {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    "path": "namespace"}]}}]}
    assert _mounts(spec) == [[(TOKEN_PATH, volume["name"], True)]] * 2


@pytest.mark.parametrize("spec, account, annotations, volumes, mounts", [
    ({"automountServiceAccountToken": False, "containers": [{"name": "app"}]}, None, None, [], [[]]),
    ({"containers": [{"name": "app"}]}, {"automountServiceAccountToken": False}, None, [], [[]]),
    ({"automountServiceAccountToken": True, "containers": [{"name": "app"}]}, {"automountServiceAccountToken": False},
     None, ["kube-api-access-*"], [[(TOKEN_PATH, "kube-api-access-*", True)]]),
    ({"containers": [{"name": "app", "volumeMounts": [{"name": "mine", "mountPath": TOKEN_PATH}]}],
      "volumes": [{"name": "mine", "emptyDir": {}}]}, None, None, ["mine"], [[(TOKEN_PATH, "mine", None)]]),
    ({"containers": [{"name": "app"}], "volumes": [{"name": "kube-api-access-abcde", "emptyDir": {}}]}, None, None,
     ["kube-api-access-abcde"], [[(TOKEN_PATH, "kube-api-access-abcde", True)]]),
    ({"containers": [{"name": "app"}]}, None, {"kubernetes.io/config.mirror": "abc"}, [], [[]]),
], ids=["a pod that says automountServiceAccountToken: false gets none",
        "so does a pod whose account says false",
        "the pod's own true wins over its account's false",
        "a container that already mounts something at the token path keeps it, and no volume is added",
        "a pod that brings its own kube-api-access- volume has it mounted, under its name",
        "a mirror pod is left as its kubelet wrote it"])
def test_when_the_token_volume_is_added(spec, account, annotations, volumes, mounts):
    given = {v["name"] for v in spec.get("volumes") or []}
    admitted = _token_admitted(spec, account, annotations)
    star = lambda name: name if name in given else "kube-api-access-*"  # a generated name: 5 random letters
    assert [star(v["name"]) for v in admitted.get("volumes") or []] == volumes
    assert [[(path, star(name), read_only) for path, name, read_only in c] for c in _mounts(admitted)] == mounts


def test_the_token_volumes_names_come_from_their_own_random_stream():
    from apiserver_builders import new_server

    def created(automount: bool) -> list:
        api = new_server(seed=7).client("test")
        made = [api.create(pod("", generateName="web-", automountServiceAccountToken=automount))
                for _ in range(3)]
        return [(p["metadata"]["name"], [v["name"] for v in p["spec"].get("volumes") or ()]) for p in made]

    with_volumes, without = created(True), created(False)
    # the same generated pod names either way: the volumes' names moved no draw of the cluster's RNG
    assert [name for name, _ in with_volumes] == [name for name, _ in without]
    names = [volumes[0] for _, volumes in with_volumes]
    assert len(set(names)) == 3 and all(n.startswith("kube-api-access-") for n in names)
    assert [volumes for _, volumes in without] == [[], [], []]
