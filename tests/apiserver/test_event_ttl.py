"""Events live one hour after their last write (kube-apiserver --event-ttl), through shared etcd leases."""

import pytest

from k8slearn import Cluster
from k8slearn.apiserver.lease_manager import EVENT_TTL, LeaseManager
from k8slearn.etcd import MVCCStore


def event(name: str, message: str = "hello") -> dict:
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"},
            "reason": "Testing", "message": message, "type": "Normal",
            "source": {"component": "test"}}


def lease_of(cluster: Cluster, key: str) -> int:
    return cluster.etcd.get(key).lease


@pytest.fixture
def cluster():
    return Cluster(workers=1, seed=0)


def test_an_event_is_stored_with_a_lease_of_one_hour_and_the_reuse_minute(cluster):
    cluster.api.create(event("a"))
    lease = lease_of(cluster, "/registry/events/default/a")
    assert lease != 0
    assert cluster.etcd.lease_time_to_live(lease).granted_ttl == EVENT_TTL + 60


def test_other_objects_have_no_lease(cluster):
    cluster.kubectl("create deployment web --image=nginx")
    cluster.settle()
    assert {kv.lease for kv in cluster.etcd.range("/registry/") if not kv.key.startswith("/registry/events/")} == {0}


@pytest.mark.parametrize("later, shared", [(30.0, True), (59.0, True), (61.0, False)], ids=[
    "an event written 30 s after another shares its lease",
    "an event written 59 s after another still shares it",
    "an event written a minute later gets a new lease",
])
def test_events_written_close_together_share_a_lease(cluster, later, shared):
    cluster.api.create(event("a"))
    first = cluster.now
    cluster.run(later - (cluster.now - first))
    cluster.api.create(event("b"))
    same = lease_of(cluster, "/registry/events/default/a") == lease_of(cluster, "/registry/events/default/b")
    assert same is shared


def test_an_event_is_deleted_by_etcd_an_hour_after_its_write(cluster):
    cluster.settle()
    cluster.api.create(event("a"))
    created = cluster.now
    lease = lease_of(cluster, "/registry/events/default/a")
    cluster.run(EVENT_TTL - 1)
    assert cluster.api.list("events", "default", field_selector="metadata.name=a")
    cluster.run(61 + 1)
    assert not cluster.api.list("events", "default", field_selector="metadata.name=a")
    revoked = [s for s in cluster.trace if s.action == "revoke" and s.object == f"lease/{lease:016x}"]
    assert len(revoked) == 1 and created + EVENT_TTL < revoked[0].time <= created + EVENT_TTL + 60 + 0.5


def test_an_updated_event_lives_an_hour_after_its_last_write(cluster):
    cluster.settle()
    cluster.api.create(event("a"))
    cluster.run(1800)
    stored = cluster.api.get("events", "a")
    stored["count"] = 2
    cluster.api.update(stored)
    cluster.run(EVENT_TTL - 1800 + 120)  # past the first lease's expiry
    assert cluster.api.get("events", "a")["count"] == 2
    cluster.run(1800)
    assert not cluster.api.list("events", "default", field_selector="metadata.name=a")


def test_kubectl_get_events_is_empty_two_hours_later(cluster):
    cluster.kubectl("run web --image=nginx")
    cluster.settle()
    assert "Scheduled" in cluster.kubectl("get events").stdout
    cluster.run(2 * 3600)
    result = cluster.kubectl("get events")
    assert (result.stdout, result.stderr) == ("", "No resources found in default namespace.\n")


def test_a_lease_holds_at_most_1000_objects():
    now = [0.0]
    manager = LeaseManager(MVCCStore(clock=lambda: now[0]), clock=lambda: now[0], max_object_count=3)
    leases = [manager.get_lease(EVENT_TTL) for _ in range(7)]
    assert [leases.index(x) for x in leases] == [0, 0, 0, 3, 3, 3, 6]
    assert LeaseManager(MVCCStore(), clock=lambda: 0.0).max_object_count == 1000
