"""The flow player: a pod's journey read from the trace."""

import pytest

from k8slearn import Cluster
from k8slearn.viz.flow import graph_ids, lane_of, pod_journey
from k8slearn.viz.flow_view import FlowPlayer


@pytest.fixture(scope="module")
def journey():
    cluster = Cluster(workers=3, seed=0)
    cluster.kubectl("run web --image=nginx")
    cluster.settle()
    return cluster, pod_journey(cluster.trace, "web")


@pytest.mark.parametrize(
    "component, lane",
    [
        ("kubelet/node-1", "kubelet"),
        ("containerd/node-2", "container runtime"),
        ("cni/node-1", "CNI"),
        ("kube-scheduler", "kube-scheduler"),
        ("etcd", "etcd"),
    ],
    ids=[
        "a kubelet's steps go to the kubelet lane",
        "containerd is the container runtime lane",
        "CNI plugin runs have their own lane",
        "the scheduler is its own lane",
        "etcd is its own lane",
    ],
)
def test_lane_of(component, lane):
    assert lane_of(component) == lane


def test_the_journey_visits_the_components_in_the_order_of_the_pod_creation_flow(journey):
    _, hops = journey
    order = []
    for hop in hops:
        for lane in (hop.source, hop.target):
            if not order or order[-1] != lane:
                order.append(lane)
    wanted = [
        "kubectl",
        "kube-apiserver",
        "etcd",
        "kube-scheduler",
        "kube-apiserver",
        "kubelet",
        "container runtime",
        "CNI",
        "kube-apiserver",
    ]
    it = iter(order)
    assert all(lane in it for lane in wanted), order


def test_every_hop_has_a_sentence_and_times_never_go_back(journey):
    _, hops = journey
    assert all(h.sentence.endswith(".") for h in hops)
    assert [h.time for h in hops] == sorted(h.time for h in hops)


def test_the_binding_hop_names_the_chosen_node(journey):
    cluster, hops = journey
    node = cluster.api.get("pods", "web")["spec"]["nodeName"]
    bind = next(h for h in hops if h.label == "bind")
    assert f"spec.nodeName={node}" in bind.sentence
    assert "PodScheduled=True" in bind.sentence  # BindingREST.setPodNodeAndMetadata sets both
    assert graph_ids(bind, "pod/default/web") == [
        "component/kube-apiserver",
        "component/kube-scheduler",
        "pod/default/web",
    ]


def test_the_player_steps_and_redraws(journey):
    cluster, hops = journey
    player = FlowPlayer(cluster, "web")
    assert len(player) == len(hops)
    player.widget()
    before = player._diagram.value
    player._move(+3)
    assert player.current == 3 and player._diagram.value != before
    player._move(-10)
    assert player.current == 0
    assert str(player).splitlines()[1].startswith(" 1. t=")
    assert player._repr_png_().startswith(b"\x89PNG")


def test_a_name_used_again_starts_a_new_journey_but_a_refused_create_does_not():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx")
    c.settle()
    first = pod_journey(c.trace, "web")
    c.kubectl("run web --image=nginx")  # AlreadyExists: still the first pod's journey
    assert pod_journey(c.trace, "web")[0] == first[0]
    c.kubectl("delete pod web")
    c.kubectl("run web --image=nginx")
    c.settle()
    again = pod_journey(c.trace, "web")
    assert (again[0].index, again[0].label, again[0].time > first[-1].time) == (0, "create", True)
    assert not any(h.label.startswith("delete") for h in again)


def test_the_etcd_hop_of_a_delete_says_the_key_is_deleted_not_written_as_json():
    from k8slearn.sim import Step

    hops = pod_journey([Step(0.0, "kubectl", "create", "pod/default/web"),
                        Step(0.0, "etcd", "put", "/registry/pods/default/web", "revision 56"),
                        Step(9.0, "etcd", "delete", "/registry/pods/default/web", "revision 70")], "web")
    assert [h.sentence for h in hops[1:]] == [
        "The API server writes the Pod as JSON in etcd at /registry/pods/default/web (etcd revision 56).",
        "The API server deletes the Pod's key /registry/pods/default/web from etcd (etcd revision 70).",
    ]
