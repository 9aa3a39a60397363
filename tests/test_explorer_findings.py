"""Behaviour a student-explorer pass found wrong, as upstream has it (one test per finding)."""

import pytest

from k8slearn import Cluster


def test_a_node_smaller_than_the_eviction_reserve_joins_with_zero_allocatable_memory():
    c = Cluster(workers=1, seed=0)
    c.add_node(name="tiny", cpu="100m", memory="64Mi")
    c.settle()
    node = c.api.get("nodes", "tiny")
    assert node["status"]["allocatable"]["memory"] == "0"
    assert any(cond["type"] == "Ready" and cond["status"] == "True" for cond in node["status"]["conditions"])


def test_a_tolerated_noexecute_taint_schedules_one_eviction_without_a_cancelling_event():
    c = Cluster(workers=1, seed=0)
    node = next(n for n in c.node_names() if n != "control-plane")
    c.kubectl(f"taint nodes {node} dedicated=gpu:NoExecute")
    c.kubectl("apply -f -", stdin=f"""apiVersion: v1
kind: Pod
metadata: {{name: tol}}
spec:
  nodeName: {node}
  tolerations: [{{key: dedicated, operator: Equal, value: gpu, effect: NoExecute, tolerationSeconds: 20}}]
  containers: [{{name: app, image: nginx:1.27}}]
""")
    c.run(30)
    messages = [e["message"] for e in c.api.list("events", "default") if "Pod default/tol" in e["message"]]
    assert messages == ["Marking for deletion Pod default/tol"]


@pytest.mark.parametrize("constraint, errors", [
    ("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, minDomains: 2}",
     [("spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if "
       "whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway")]),
    ("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, minDomains: 0}",
     ["spec.topologySpreadConstraints[0].minDomains: Invalid value: 0: must be greater than zero"]),
    ("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Maybe}",
     [('spec.topologySpreadConstraints[0].nodeTaintsPolicy: Unsupported value: "Maybe": supported values: '
       '"Honor", "Ignore"')]),
], ids=["minDomains only with DoNotSchedule", "minDomains must be positive", "a node inclusion policy is Honor or Ignore"])
def test_topology_spread_constraints_validate_min_domains_and_policies(constraint, errors):
    c = Cluster(workers=1, seed=0)
    result = c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                                          f"  topologySpreadConstraints: [{constraint}]\n"
                                          "  containers: [{name: a, image: nginx}]\n")
    assert result.code == 1
    assert result.stderr == f'The Pod "p" is invalid: {errors[0]}\n'


@pytest.mark.parametrize("seconds, error", [
    (float("inf"), ValueError), (float("nan"), ValueError), (-5, ValueError), ("10", TypeError),
], ids=["forever would never return", "not a number", "time does not run backwards", "a string is not seconds"])
def test_run_refuses_a_duration_it_cannot_advance_by(seconds, error):
    c = Cluster(workers=1, seed=0)
    with pytest.raises(error, match="seconds"):
        c.run(seconds)


def test_record_rollout_refuses_a_step_that_would_never_end():
    from k8slearn.viz.controllers_view import record_rollout

    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment d --image=nginx:1.27 --replicas=2")
    c.settle()
    with pytest.raises(ValueError, match="step must be a number of seconds greater than 0"):
        record_rollout(c, "d", image="nginx:1.28", step=0)


def test_replace_with_a_stale_resource_version_is_the_server_s_conflict():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create configmap cm --from-literal=a=1")
    stale = c.kubectl("replace -f -", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, resourceVersion: '2'}\n"
                                          "data: {a: '2'}")
    assert (stale.stdout, stale.code) == ("", 1)
    assert stale.stderr == ('Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled '
                            'on configmaps "cm": the object has been modified; please apply your changes to the latest '
                            'version and try again\n')
    assert c.api.get("configmaps", "cm")["data"] == {"a": "1"}
    fresh = c.kubectl("replace -f -", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: '3'}")
    assert fresh.stdout == "configmap/cm replaced\n"


def test_course_checks_report_a_missing_pod_or_a_wrong_answer_as_failing_checks():
    from k8slearn.course import labels_lab, pod_flow

    c = Cluster(workers=1, seed=0)
    for result in (pod_flow.verify(c, "zzz"), labels_lab.verify(c, "zzz"), pod_flow.check_order(None, c.trace),
                   pod_flow.check_order(["x", 5], c.trace)):
        assert str(result).startswith("✘ 0/1 checks pass")


def test_quiz_questions_are_numbered_from_zero_and_answers_must_be_options():
    from k8slearn.course import MultipleChoice, Quiz

    with pytest.raises(ValueError, match="not the index of an option"):
        MultipleChoice("q", ["a", "b"], answer=5)
    quiz = Quiz([MultipleChoice("q", ["a", "b"], answer=0)])
    with pytest.raises(IndexError, match="there is no question -1"):
        quiz.choose(-1, "a")
    with pytest.raises(IndexError, match="numbered 0 to 0"):
        quiz.feedback(7)


def _pod_on(c, node):
    return next(p["metadata"]["name"] for p in c.api.list("pods") if p["spec"].get("nodeName") == node)


GAVE_UP = ("k8slearn: pods/{pod} is still there after 60 simulated seconds (it waits for its node's kubelet to say "
           "its containers have stopped); kubectl would go on waiting, up to a week unless --timeout says less, so "
           "the simulation stops here\n")


@pytest.mark.parametrize("flags, waited, stderr", [
    ("", 60, GAVE_UP), ("--timeout=5s", 5, "error: timed out waiting for the condition on pods/{pod}\n")],
    ids=["unset, the simulation gives up after a minute and says why", "--timeout bounds the wait: kubectl's error"])
def test_delete_of_a_pod_on_a_powered_off_node_waits_for_its_kubelet(flags, waited, stderr):
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.settle()
    c.stop_node("node-1")
    pod = _pod_on(c, "node-1")
    start = c.now
    result = c.kubectl(f"delete pod {pod} {flags}")
    assert (result.stdout, result.stderr, result.code) == (f'pod "{pod}" deleted\n', stderr.format(pod=pod), 1)
    assert round(c.now - start) == waited
    assert c.api.get("pods", pod)["metadata"]["deletionTimestamp"]


def test_delete_waits_out_a_pods_grace_period_longer_than_a_minute():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata: {name: slow}
spec:
  terminationGracePeriodSeconds: 100
  containers: [{name: c, image: busybox:1.36, command: [sh, -c, "trap '' TERM; sleep 1000"]}]
""")
    c.settle()
    start = c.now
    result = c.kubectl("delete pod slow")
    assert (result.stdout, result.stderr, result.code) == ('pod "slow" deleted\n', "", 0)
    assert 100 <= c.now - start <= 102


def test_delete_of_a_statefulset_pod_returns_once_the_old_uid_is_gone_though_the_name_is_back():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="""apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: nginx}]}
""")
    c.settle()
    old = c.api.get("pods", "db-0")["metadata"]["uid"]
    result = c.kubectl("delete pod db-0")
    assert (result.stdout, result.code) == ('pod "db-0" deleted\n', 0)
    assert c.api.get("pods", "db-0")["metadata"]["uid"] != old


def test_delete_in_foreground_blocked_by_a_pod_on_a_dead_node_times_out_on_the_deployment():
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.settle()
    c.stop_node("node-1")
    result = c.kubectl("delete deployment web --cascade=foreground --timeout=90s")
    assert (result.stdout, result.stderr, result.code) == (
        'deployment.apps "web" deleted\n', "error: timed out waiting for the condition on deployments/web\n", 1)


def test_a_powered_off_node_boots_with_a_new_boot_id_a_rebooted_event_and_a_fresh_event_cache():
    c = Cluster(workers=1, seed=0)
    c.settle()
    first = c.api.get("nodes", "node-1")["status"]["nodeInfo"]["bootID"]
    c.stop_node("node-1")
    c.run(60)
    c.start_node("node-1")
    c.run(30)
    second = c.api.get("nodes", "node-1")["status"]["nodeInfo"]["bootID"]
    assert second != first
    kubelet_events = [(e["reason"], e["count"]) for e in c.api.list("events", "default")
                      if e["involvedObject"]["name"] == "node-1" and e["source"]["component"] == "kubelet"]
    assert kubelet_events.count(("Starting", 1)) == 2  # two Event objects, not one counted twice
    rebooted = [e for e in c.api.list("events", "default") if e["reason"] == "Rebooted"]
    assert [(e["type"], e["message"]) for e in rebooted] == [
        ("Warning", f"Node node-1 has been rebooted, boot id: {second}")]


def _holders(c):
    """The hosts holding the leader-election Leases (not the API server's identity Lease)."""
    return {lease["metadata"]["name"]: lease["spec"]["holderIdentity"].rpartition("_")[0]
            for lease in c.api.list("leases", "kube-system")
            if "apiserver.kubernetes.io/identity" not in (lease["metadata"].get("labels") or {})}


def test_powering_off_a_control_plane_machine_hands_its_leases_to_the_standby_and_back_after_a_restart():
    c = Cluster(workers=1, seed=0, control_plane_replicas=2)
    leader_leases = ("kube-controller-manager", "kube-scheduler")
    before = {name: c.api.get("leases", name, "kube-system")["spec"]["holderIdentity"] for name in leader_leases}
    c.stop_node("control-plane")
    c.run(30)
    assert _holders(c) == {"kube-controller-manager": "control-plane-2", "kube-scheduler": "control-plane-2"}
    c.stop_node("control-plane-2")
    c.start_node("control-plane")
    c.run(30)
    after = {name: c.api.get("leases", name, "kube-system")["spec"]["holderIdentity"] for name in leader_leases}
    assert _holders(c) == {"kube-controller-manager": "control-plane", "kube-scheduler": "control-plane"}
    assert all(after[name] != before[name] for name in after)  # a new process has a new identity


def test_a_restarted_controller_manager_syncs_what_changed_while_it_was_down():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.settle()
    c.stop_node("control-plane")
    c.kubectl("scale deployment web --replicas=3")
    c.run(30)
    assert c.api.get("replicasets", next(rs["metadata"]["name"] for rs in c.api.list("replicasets")))["spec"]["replicas"] == 2
    c.start_node("control-plane")
    c.run(60)
    assert c.kubectl("get deployment web -o jsonpath={.status.readyReplicas}").stdout == "3"


@pytest.mark.parametrize("patch, stderr, code", [
    ("""-p '{"spec":{"clusterIP":"10.96.0.12"}}'""",
     'The Service "a" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.12"}: may not change once set\n',
     1),
    ("""--type=json -p '[{"op":"remove","path":"/spec/clusterIP"}]'""", "", 0),
    ("""--type=json -p '[{"op":"remove","path":"/spec/clusterIPs"}]'""", "", 0),
], ids=["a new clusterIP beside the old clusterIPs is refused", "a removed clusterIP comes back",
        "removed clusterIPs come back"])
def test_a_services_cluster_ip_cannot_change_and_is_put_back_when_left_out(patch, stderr, code):
    c = Cluster(workers=1, seed=0)
    c.kubectl("create service clusterip a --tcp=80:80 --clusterip=10.96.0.10")
    result = c.kubectl(f"patch svc a {patch}")
    assert (result.stderr, result.code) == (stderr, code)
    spec = c.api.get("services", "a")["spec"]
    assert (spec["clusterIP"], spec["clusterIPs"]) == ("10.96.0.10", ["10.96.0.10"])


def test_an_endpointslice_keeps_the_pods_whose_named_target_port_it_cannot_resolve():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.settle()
    c.kubectl("expose deployment web --port=80 --target-port=http")
    c.settle()
    (endpoint_slice,) = c.api.list("endpointslices", "default", label_selector="kubernetes.io/service-name=web")
    assert (len(endpoint_slice["endpoints"]), endpoint_slice.get("ports") or []) == (2, [])
    assert c.api.get("endpoints", "web").get("subsets") in (None, [])


@pytest.mark.parametrize("seconds, error", [
    (0, "Invalid value: 0: must be greater than 0 and less than 86400"),
    (86401, "Invalid value: 86401: must be greater than 0 and less than 86400"),
    (86400, None),
], ids=["zero seconds", "more than a day", "a day exactly"])
def test_client_ip_affinity_timeout_is_more_than_zero_and_at_most_a_day(seconds, error):
    c = Cluster(workers=1, seed=0)
    result = c.kubectl("apply -f -", stdin=f"""apiVersion: v1
kind: Service
metadata: {{name: s}}
spec:
  selector: {{app: web}}
  ports: [{{port: 80}}]
  sessionAffinity: ClientIP
  sessionAffinityConfig: {{clientIP: {{timeoutSeconds: {seconds}}}}}
""")
    if error is None:
        assert (result.stdout, result.code) == ("service/s created\n", 0)
    else:
        assert result.stderr == f'The Service "s" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: {error}\n'


def test_a_host_network_pod_has_the_nodes_hostname_and_not_a_kubelet_hosts_file():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata: {name: hn}
spec:
  hostNetwork: true
  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
""")
    c.settle()
    assert c.kubectl("exec hn -- hostname").stdout == "node-1\n"
    hosts = c.kubectl("exec hn -- cat /etc/hosts")
    assert (hosts.stderr, hosts.code) == (
        "k8slearn: the content of /etc/hosts is not simulated\ncommand terminated with exit code 1\n", 1)


def test_an_object_written_straight_into_etcd_without_a_uid_does_not_stop_the_garbage_collector():
    import json

    c = Cluster(workers=1, seed=0)
    c.etcd.put("/registry/configmaps/default/raw", json.dumps(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "raw", "namespace": "default"}}))
    c.run(1)
    c.kubectl("create deployment d --image=nginx")
    c.settle()
    c.kubectl("delete deployment d")
    c.settle()
    c.run(5)
    assert (c.api.list("replicasets", "default"), c.api.list("pods", "default")) == ([], [])


def test_a_restored_cluster_makes_uids_its_snapshot_does_not_already_hold(tmp_path):
    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.settle()
    c.snapshot(str(tmp_path / "snap.db"))
    restored = Cluster.restore(str(tmp_path / "snap.db"))
    held = {o["metadata"]["uid"] for kind in ("deployments", "replicasets", "pods", "events", "configmaps")
            for o in restored.api.list(kind)}
    made = {restored.api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"b{i}"}})
            ["metadata"]["uid"] for i in range(20)}
    assert not made & held
    restored.kubectl("delete configmap b8")
    restored.settle()
    assert len(restored.api.list("replicasets", "default")) == 1
    assert restored.kubectl("get deployment web -o jsonpath={.status.readyReplicas}").stdout == "2"


def test_a_restored_cluster_goes_on_from_the_time_of_its_snapshot_and_its_leases_live_on(tmp_path):
    c = Cluster(workers=1, seed=0)
    c.run(3700)  # past the Events' lease TTL (3660 s) counted from time 0
    c.kubectl("run late --image=nginx")
    c.settle()
    c.snapshot(str(tmp_path / "snap.db"))
    taken = c.now
    restored = Cluster.restore(str(tmp_path / "snap.db"))
    assert taken <= restored.now < taken + 30  # (the new leaders wait out the snapshot's Leases)
    age = restored.kubectl("get pod late").stdout.split("\n")[1].split()[-1]
    assert age.endswith("s") and 0 < int(age[:-1]) < 30
    restored.run(1)  # the Event of the scheduling before the snapshot lives its lease's whole TTL again
    assert [e["reason"] for e in restored.api.list("events", "default")
            if e["involvedObject"]["name"] == "late"][:1] == ["Scheduled"]


@pytest.mark.parametrize("command", ["delete pod -n kube-system kube-scheduler-control-plane",
                                     "delete pod -n kube-system kube-scheduler-control-plane --force --grace-period=0",
                                     "delete pods --all -n kube-system"],
                         ids=["a graceful delete", "a forced delete", "all of them"])
def test_a_deleted_mirror_pod_is_made_again_by_its_kubelet_so_delete_returns(command):
    c = Cluster(workers=1, seed=0)
    before = {p["metadata"]["name"]: p["metadata"]["uid"] for p in c.api.list("pods", "kube-system")}
    result = c.kubectl(command)
    assert result.code == 0
    c.settle()
    after = {p["metadata"]["name"]: p for p in c.api.list("pods", "kube-system")}
    assert sorted(after) == sorted(before)
    assert not any(p["metadata"].get("deletionTimestamp") for p in after.values())
    assert after["kube-scheduler-control-plane"]["metadata"]["uid"] != before["kube-scheduler-control-plane"]
    assert after["kube-scheduler-control-plane"]["status"]["phase"] == "Running"


@pytest.mark.parametrize("value, error", [
    ("5", 'time: missing unit in duration "5"'),
    ("5x", 'time: unknown unit "x" in duration "5x"'),
    ("1h2", 'time: missing unit in duration "1h2"'),
    ("--5s", 'time: invalid duration "--5s"'),
    (".s", 'time: invalid duration ".s"'),
], ids=["a number without a unit", "an unknown unit", "a unit missing after the first",
        "two signs", "a point without digits"])
def test_a_bad_duration_is_refused_in_go_time_parse_durations_words(value, error):
    c = Cluster(workers=1, seed=0)
    result = c.kubectl(["delete", "pod", "nope", f"--timeout={value}"])
    assert result.stderr.startswith(f'error: invalid argument "{value}" for "--timeout" flag: {error}\n')


def test_delete_gives_up_when_a_timeout_under_a_second_runs_out():
    c = Cluster(workers=1, seed=0)
    c.kubectl("run p --image=nginx")
    c.settle()
    start = c.now
    result = c.kubectl("delete pod p --timeout=1ms")
    assert (result.stderr, result.code) == ("error: timed out waiting for the condition on pods/p\n", 1)
    assert c.now - start == pytest.approx(0.001)


def test_powering_on_a_running_control_plane_machine_changes_nothing():
    c = Cluster(workers=1, seed=0)
    holders = {lease["metadata"]["name"]: lease["spec"]["holderIdentity"] for lease in c.api.list("leases", "kube-system")}
    c.start_node("control-plane")
    c.kubectl("run p --image=nginx")
    c.settle()
    assert c.api.get("pods", "p")["spec"].get("nodeName") == "node-1"
    assert {lease["metadata"]["name"]: lease["spec"]["holderIdentity"]
            for lease in c.api.list("leases", "kube-system")} == holders


def test_a_restored_cluster_has_new_machines_new_leaders_and_refuses_to_reshape_them(tmp_path):
    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.settle()
    c.snapshot(str(tmp_path / "snap.db"))
    old = {lease["metadata"]["name"]: lease["spec"]["holderIdentity"] for lease in c.api.list("leases", "kube-system")}
    old_boot = c.api.get("nodes", "node-1")["status"]["nodeInfo"]["bootID"]
    with pytest.raises(TypeError, match="takes no workers"):
        Cluster.restore(str(tmp_path / "snap.db"), workers=5)
    restored = Cluster.restore(str(tmp_path / "snap.db"))
    new = {lease["metadata"]["name"]: lease["spec"]["holderIdentity"] for lease in restored.api.list("leases", "kube-system")}
    assert all(new[name] != old[name] for name in old)
    assert restored.api.get("nodes", "node-1")["status"]["nodeInfo"]["bootID"] != old_boot
    restored.kubectl("scale deployment web --replicas=3")
    restored.settle()
    assert restored.kubectl("get deployment web -o jsonpath={.status.readyReplicas}").stdout == "3"


def test_the_logs_of_a_static_control_plane_pod_say_they_are_not_simulated():
    c = Cluster(workers=1, seed=0)
    result = c.kubectl("logs -n kube-system kube-scheduler-control-plane")
    assert result.code == 1 and "static control-plane pod, are not simulated" in result.stderr


BIG = "apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers: [{name: big, image: nginx, resources: {requests: {cpu: '64'}}}]\n"


def test_the_pod_flow_helpers_tell_an_unfinished_journey_as_it_was():
    from k8slearn.course import pod_flow

    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=BIG)
    c.run(5)
    result = pod_flow.check_order(list(pod_flow.STAGES), c.trace, "big")
    assert not result.passed == len(result.outcomes)
    assert result.failures[0].note == ("cluster.trace has no line for “the scheduler writes the Binding”: "
                                       "the journey of big did not get there")
    assert [pod_flow.who_did(c.trace, task, "big") for task in
            ("decide which node runs the pod", "record the Scheduled event")] == [None, None]
    c.kubectl("run pinned --image=nginx")
    c.settle()
    assert pod_flow.who_did(c.trace, "decide which node runs the pod", "pinned") == "kube-scheduler"
    c.kubectl("delete pod pinned")
    c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: pinned}\nspec:\n  nodeName: node-1\n"
                                  "  containers: [{name: n, image: nginx}]\n")
    c.settle()
    assert pod_flow.who_did(c.trace, "decide which node runs the pod", "pinned") is None  # the newest pod's story
    c.kubectl("run web --image=nginx:nope")
    c.run(30)
    assert "the kubelet reports the pod Running" not in pod_flow.stage_order(c.trace)


def test_pod_revisions_follow_the_newest_pod_of_a_name_and_name_a_failed_condition():
    from k8slearn.course import pod_flow

    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=BIG)
    c.run(1)
    assert "PodScheduled=False" in pod_flow.pod_revisions(c, "big")[-1].changes
    c.kubectl("run web --image=nginx")
    c.settle()
    first = len(pod_flow.pod_revisions(c, "web"))
    c.kubectl("delete pod web")
    c.kubectl("run web --image=nginx")
    c.settle()
    rows = pod_flow.pod_revisions(c, "web")
    assert len(rows) == first and rows[0].changes.startswith("created")


def test_the_journey_of_a_pod_created_on_a_node_says_the_scheduler_only_caches_it():
    from k8slearn.viz.flow import pod_journey

    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: pinned}\nspec:\n  nodeName: node-1\n"
                                  "  containers: [{name: n, image: nginx}]\n")
    c.settle()
    sentences = [h.sentence for h in pod_journey(c.trace, "pinned") if h.component == "kube-scheduler"]
    assert sentences and all("only adds it to its cache" in s for s in sentences)


def test_the_scheduler_and_the_taint_manager_patch_pod_status_as_upstream():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=BIG)
    c.kubectl("run web --image=nginx")
    c.settle()
    c.stop_node("node-1")
    c.run(400)  # NotReady after 50 s, NoExecute taint, eviction 300 s later
    writes = {(s.component, s.object, s.action, s.detail) for s in c.trace if s.action in ("update", "patch")
              and s.object in ("pod/default/big", "pod/default/web") and not s.component.startswith("kubelet/")}
    assert writes == {("kube-scheduler", "pod/default/big", "patch", "strategic, status"),
                      ("kube-controller-manager", "pod/default/web", "update", "status"),  # MarkPodsNotReady: a PUT
                      ("kube-controller-manager", "pod/default/web", "patch", "strategic, status")}  # DisruptionTarget


def test_api_resources_filters_by_category_and_core_group_and_joins_verbs_with_commas():
    c = Cluster(workers=1, seed=0)
    assert c.kubectl("api-resources --categories=all -o name").stdout.split() == [
        "pods", "services", "daemonsets.apps", "deployments.apps", "replicasets.apps", "statefulsets.apps",
        "cronjobs.batch", "jobs.batch"]
    assert "deployments.apps" not in c.kubectl("api-resources --api-group= -o name").stdout.split()
    wide = c.kubectl("api-resources -o wide").stdout.splitlines()
    assert wide[0].split()[-2:] == ["VERBS", "CATEGORIES"]
    configmaps = next(line for line in wide if line.startswith("configmaps"))
    assert "create,delete,deletecollection,get,list,patch,update,watch" in configmaps
    assert wide[1].split()[-1] == "get,list"  # componentstatuses, computed when asked: get and list only


def test_get_sort_by_orders_the_names_of_dash_o_name():
    c = Cluster(workers=1, seed=0)
    for name in ("b", "c", "a"):
        c.kubectl(f"create configmap {name} --from-literal=k=v")
    names = c.kubectl("get cm --sort-by=.metadata.name -o name").stdout.split()
    assert names == sorted(names)
    c.run(1)
    by_age = c.kubectl("get cm --sort-by=.metadata.resourceVersion -o name").stdout.split()
    assert by_age[-3:] == ["configmap/b", "configmap/c", "configmap/a"]


def test_rollout_history_with_an_output_prints_the_objects_that_hold_the_revisions():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx:1.27")
    c.settle()
    c.kubectl("set image deployment/web nginx=nginx:1.28")
    c.settle()
    names = c.kubectl("rollout history deployment/web -o name").stdout.split()
    revisions = {rs["metadata"]["name"]: rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                 for rs in c.api.list("replicasets", "default")}
    assert [revisions[n.split("/")[1]] for n in names] == ["1", "2"] and names[0].startswith("replicaset.apps/")
    one = c.kubectl("rollout history deployment/web --revision=2 -o jsonpath={.spec.template.spec.containers[0].image}")
    assert one.stdout == "nginx:1.28"
    missing = c.kubectl("rollout history deployment/web --revision=9 -o name")
    assert (missing.stderr, missing.code) == ("error: unable to find the specified revision\n", 1)


def test_logs_all_pods_shows_every_pod_of_a_deployment_with_a_prefix():
    c = Cluster(workers=1, seed=0)
    c.kubectl(["create", "deployment", "web", "--image=busybox:1.36", "--replicas=2", "--",
               "sh", "-c", "echo hello; sleep 3600"])
    c.settle()
    pods = sorted(p["metadata"]["name"] for p in c.api.list("pods", "default"))
    result = c.kubectl("logs deploy/web --all-pods")
    assert (result.stdout, result.stderr) == ("".join(f"[pod/{p}/busybox] hello\n" for p in pods), "")
    missing = c.kubectl("logs deploy/nope --all-pods")
    assert missing.stderr == 'error: error from server (NotFound): deployments.apps "nope" not found in namespace "default"\n'


def test_events_come_back_from_the_server_as_the_v1_type_serializes_them():
    # (found comparing kubectl 1.32 on the simulation's objects: reportingComponent and
    # reportingInstance have no omitempty, involvedObject.uid has)
    from k8slearn import Cluster
    from k8slearn.client.record import object_reference

    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=12")  # more than 10 SuccessfulCreate: aggregated
    c.settle()
    (combined,) = [e for e in c.api.list("events") if e["message"].startswith("(combined from similar events)")]
    assert (combined["reportingComponent"], combined["reportingInstance"], combined["eventTime"]) == ("", "", None)
    assert object_reference({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p", "namespace": "d"}}) == {
        "apiVersion": "v1", "kind": "Pod", "namespace": "d", "name": "p"}
