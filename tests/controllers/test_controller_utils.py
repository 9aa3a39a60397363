"""controller_utils: template hash, pod deletion ranking, expectations, slow start, tolerations."""

import pytest

from k8slearn.api.errors import ApiError
from k8slearn.controllers.active_pods_with_ranks import deletion_less, get_pods_to_delete
from k8slearn.controllers.controller_utils import (
    ControllerExpectations,
    UIDTrackingControllerExpectations,
    compute_hash,
    find_matching_untolerated_taint,
    safe_encode_string,
    slow_start_batch,
    tolerates_taint,
)


def pod(name, node="node-1", phase="Running", ready=True, ready_at="2026-01-05T09:00:00Z", created="2026-01-05T09:00:00Z",
        restarts=0, cost=None, uid=None):
    meta = {"name": name, "uid": uid or name, "creationTimestamp": created}
    if cost is not None:
        meta["annotations"] = {"controller.kubernetes.io/pod-deletion-cost": str(cost)}
    status = {"phase": phase, "containerStatuses": [{"restartCount": restarts}]}
    if ready is not None:
        status["conditions"] = [{"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": ready_at}]
    return {"metadata": meta, "spec": {"nodeName": node}, "status": status}


@pytest.mark.parametrize("digits, expected", [
    ("0123456789", "456789bcdf"),
    ("3021820412", "7465d64856"),
], ids=["each digit maps to one letter of the vowel-free alphabet",
        "a real FNV value encodes digit by digit"])
def test_safe_encode_string(digits, expected):
    assert safe_encode_string(digits) == expected


@pytest.mark.parametrize("a, b, equal", [
    ({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}},
     {"spec": {"containers": [{"image": "nginx:1.27", "name": "c"}]}, "metadata": {"labels": {"app": "web"}}}, True),
    ({"spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}},
     {"spec": {"containers": [{"name": "c", "image": "nginx:1.28"}]}}, False),
    ({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}},
     {"metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
      "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}, True),
    ({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}},
     {"metadata": {"creationTimestamp": "2026-01-05T09:00:00Z", "labels": {"app": "web"}},
      "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}, False),
], ids=["the same template in another key order hashes the same",
        "a new image gives a new hash",
        "creationTimestamp null (the typed zero value) changes nothing",
        "a creationTimestamp that is set does"])
def test_compute_hash_depends_only_on_the_template(a, b, equal):
    assert (compute_hash(a) == compute_hash(b)) is equal


def test_a_collision_count_changes_the_hash_and_only_uses_safe_letters():
    t = {"spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    hashes = {compute_hash(t), compute_hash(t, 0), compute_hash(t, 1)}
    assert len(hashes) == 3
    assert all(set(h) <= set("456789bcdf") and 1 <= len(h) <= 10 for h in hashes)


RANKING = [
    (pod("a", node=""), pod("b"), "an unscheduled pod goes before a scheduled one"),
    (pod("a", phase="Pending", ready=None), pod("b", phase="Running"), "a Pending pod goes before a Running one"),
    (pod("a", phase="Unknown", ready=None), pod("b", phase="Running", ready=None), "an Unknown pod goes before a Running one"),
    (pod("a", ready=False), pod("b", ready=True), "a not-ready pod goes before a ready one"),
    (pod("a", cost=-5), pod("b", cost=10), "a lower pod-deletion-cost goes first"),
    (pod("a", ready_at="2026-01-05T10:00:00Z"), pod("b", ready_at="2026-01-05T09:00:00Z"),
     "a pod ready for a much shorter time goes first"),
    (pod("a", restarts=5), pod("b", restarts=0), "a pod with more restarts goes first"),
    (pod("a", created="2026-01-05T10:00:00Z"), pod("b", created="2026-01-05T09:00:00Z"), "a newer pod goes first"),
]


@pytest.mark.parametrize("first, second", [r[:2] for r in RANKING], ids=[r[2] for r in RANKING])
def test_deletion_ranking(first, second):
    now = 2 * 3600.0
    assert deletion_less((first, 1), (second, 1), now) is True
    assert deletion_less((second, 1), (first, 1), now) is False


@pytest.mark.parametrize("first, second", [
    ("+10", "5"),
    ("008", "5"),
    ("1_000", "5"),
    ("3000000000", "5"),
    ("-08", "-7"),
    ("-2147483648", "2147483647"),
], ids=["a leading plus makes the cost invalid, read as 0, so it goes before 5",
        "a leading zero makes the cost invalid, read as 0, so it goes before 5",
        "an underscore makes the cost invalid, read as 0, so it goes before 5",
        "a cost beyond 32 bits is invalid, read as 0, so it goes before 5",
        "a minus sign may be followed by a zero: -08 is -8 and goes before -7",
        "the smallest 32bit cost goes before the largest"])
def test_pod_deletion_cost_is_read_as_go_reads_it(first, second):
    a, b = pod("a", cost=first), pod("b", cost=second)
    assert deletion_less((a, 1), (b, 1)) is True
    assert deletion_less((b, 1), (a, 1)) is False


def test_a_doubled_up_pod_goes_before_a_lonely_one():
    assert deletion_less((pod("a"), 3), (pod("b"), 1)) is True


def test_ready_times_in_the_same_power_of_two_bucket_tie_and_the_uid_decides():
    a = pod("a", ready_at="2026-01-05T09:00:10Z", uid="bbb")
    b = pod("b", ready_at="2026-01-05T09:00:12Z", uid="aaa")
    now = 2 * 3600.0  # both ~2 h old: same log2 bucket of nanoseconds
    assert deletion_less((b, 1), (a, 1), now) is True


def test_get_pods_to_delete_picks_the_worst_pods_and_counts_neighbours_on_the_same_node():
    pods = [pod("good-1", node="n1"), pod("good-2", node="n2"), pod("pending", phase="Pending", ready=None, node="n3"),
            pod("crowded", node="n1")]
    victims = get_pods_to_delete(pods, pods, 2, now=3600.0)
    assert victims[0]["metadata"]["name"] == "pending"
    assert victims[1]["spec"]["nodeName"] == "n1"


def test_expectations_wait_for_every_creation_and_expire_after_five_minutes():
    now = [0.0]
    exp = ControllerExpectations(clock=lambda: now[0])
    exp.expect_creations("default/web", 2)
    exp.creation_observed("default/web")
    assert exp.satisfied_expectations("default/web") is False
    now[0] = 301.0
    assert exp.satisfied_expectations("default/web") is True
    assert exp.satisfied_expectations("default/never-seen") is True


def test_uid_tracking_expectations_count_each_deleted_pod_once():
    exp = UIDTrackingControllerExpectations(clock=lambda: 0.0)
    exp.expect_deletions("default/web", ["default/a", "default/b"])
    exp.deletion_observed("default/web", "default/a")
    exp.deletion_observed("default/web", "default/a")
    exp.deletion_observed("default/web", "default/other")
    assert exp.get_expectations("default/web") == (0, 1)
    exp.deletion_observed("default/web", "default/b")
    assert exp.satisfied_expectations("default/web") is True


@pytest.mark.parametrize("count, fail_at, expected_calls, expected_successes", [
    (7, None, 7, 7),
    (10, 2, 3, 2),
    (10, 0, 1, 0),
], ids=["batches of 1, 2, 4 make all 7 calls",
        "a failure in the second batch stops before the third",
        "a failure in the first batch costs one call"])
def test_slow_start_batch(count, fail_at, expected_calls, expected_successes):
    calls = []

    def fn():
        calls.append(1)
        if fail_at is not None and len(calls) > fail_at:
            raise ApiError({"code": 403, "reason": "Forbidden", "message": "exceeded quota"})

    successes, err = slow_start_batch(count, 1, fn)
    assert (len(calls), successes) == (expected_calls, expected_successes)
    assert (err is None) == (fail_at is None)


@pytest.mark.parametrize("toleration, taint, tolerated", [
    ({"key": "k", "operator": "Exists"}, {"key": "k", "value": "v", "effect": "NoSchedule"}, True),
    ({"key": "k", "value": "v", "effect": "NoSchedule"}, {"key": "k", "value": "w", "effect": "NoSchedule"}, False),
    ({"operator": "Exists"}, {"key": "anything", "effect": "NoExecute"}, True),
    ({"key": "k", "operator": "Exists", "effect": "NoExecute"}, {"key": "k", "effect": "NoSchedule"}, False),
], ids=["Exists tolerates any value of its key",
        "Equal needs the same value",
        "an empty key with Exists tolerates every taint",
        "a toleration for another effect does not help"])
def test_tolerates_taint(toleration, taint, tolerated):
    assert tolerates_taint(toleration, taint) is tolerated
    assert (find_matching_untolerated_taint([taint], [toleration]) is None) is tolerated


@pytest.mark.parametrize("required, labels", [
    ({"app": "web"}, {"app": "web"}),
    ({"app": "web"}, {"app": "web", "tier": "front"}),
    ({"app": "web"}, {"app": "api"}),
    ({"app": "web"}, {}),
    ({"app": "web"}, None),
    ({"app": ""}, {"app": ""}),
    ({"app": ""}, {}),
    ({"app": "web", "tier": "front"}, {"app": "web", "tier": "front"}),
    ({"app": "web", "tier": "front"}, {"app": "web"}),
    ({}, {"app": "web"}),
    ({}, None),
], ids=[
    "one required label that is present matches",
    "extra labels do not matter",
    "a different value does not match",
    "no labels do not match a required one",
    "missing labels do not match a required one",
    "an empty required value matches an empty label",
    "an empty required value does not match a missing label",
    "two required labels that are present match",
    "one of two required labels missing does not match",
    "nothing required matches any labels",
    "nothing required matches missing labels",
])
def test_set_matcher_answers_as_the_label_selector(required, labels):
    from k8slearn.api.labels import selector_from_set
    from k8slearn.controllers.controller_utils import set_matcher
    assert set_matcher(required)(labels) == selector_from_set(required).matches(labels)
