"""A failed panel action says what went wrong in the words a student knows from kubectl, never
Python's name for the error."""

import pytest
from vizkit import FakeCluster

from k8slearn import Cluster
from k8slearn.api.errors import ApiError, status_error
from k8slearn.kubectl.errors import KubectlError
from k8slearn.viz.panels import KubectlFailed, Refused, failure_text

pytest.importorskip("ipywidgets")

from k8slearn.viz.daemonset_panel import DaemonSetPanel  # noqa: E402
from k8slearn.viz.widgets import ClusterView  # noqa: E402

CONFLICT = ('Operation cannot be fulfilled on nodes "node-1": the object has been modified; '
            'please apply your changes to the latest version and try again')


@pytest.mark.parametrize("error, expected", [
    (status_error(404, "NotFound", 'nodes "node-9" not found'),
     'Error from server (NotFound): nodes "node-9" not found'),
    (status_error(409, "Conflict", CONFLICT), f"Error from server (Conflict): {CONFLICT}"),
    (ApiError({"status": "Failure", "reason": "Invalid", "code": 422, "message": "x",
               "details": {"name": "web", "kind": "Pod",
                           "causes": [{"field": "spec.containers[0].image", "message": "Required value"}]}}),
     'The Pod "web" is invalid: spec.containers[0].image: Required value'),
    (KubectlError("unknown command \"frobnicate\""), 'error: unknown command "frobnicate"'),
    (KubectlFailed('Error from server (NotFound): nodes "node-9" not found\n'),
     'Error from server (NotFound): nodes "node-9" not found'),
    (Refused("No node is chosen: choose one in the Node list first."),
     "No node is chosen: choose one in the Node list first."),
    (ValueError("node-1 already exists"), "error: node-1 already exists"),
    (KeyError("node-9"), "KeyError: 'node-9'"),
], ids=[
    "an API error reads as kubectl prints it, with the Status reason",
    "a conflict reads as kubectl prints it",
    "an Invalid error reads as kubectl's is-invalid sentence",
    "a kubectl error reads as kubectl prints it",
    "what kubectl printed for a command the panel ran is shown as it is",
    "a refusal of the panel is its own sentence",
    "other bad input reads as a kubectl error",
    "only a fault in the panel's code keeps Python's name for it",
])
def test_a_failure_reads_as_kubectl_would_print_it(error, expected):
    assert failure_text(error) == expected


def test_an_api_error_in_a_cluster_panel_action_shows_kubectls_words_in_red():
    view = ClusterView(FakeCluster())

    def fails():
        raise status_error(404, "NotFound", 'nodes "node-9" not found')
    message = view.perform("Stop node", fails)
    assert message == 'Stop node failed: Error from server (NotFound): nodes "node-9" not found'
    assert "#b71c1c" in view.status.value and "ApiError" not in view.status.value


@pytest.fixture(scope="module")
def daemon_panel():
    cluster = Cluster(workers=2, seed=0)
    cluster.kubectl("apply -f -", stdin="""apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: busybox}]}
""")
    cluster.settle()
    return DaemonSetPanel(cluster, "agent")


@pytest.mark.parametrize("button, action, expected", [
    ("Taint node", lambda p: p.taint_node("node-9"),
     'Taint node failed: Error from server (NotFound): nodes "node-9" not found'),
    ("Untaint node", lambda p: p.untaint_node("node-9"),
     'Untaint node failed: Error from server (NotFound): nodes "node-9" not found'),
], ids=["tainting a node that is gone says what kubectl taint says",
        "untainting a node that is gone says what kubectl taint says"])
def test_the_daemonset_panel_shows_kubectls_own_error(daemon_panel, button, action, expected):
    before = daemon_panel.cluster.etcd.revision
    assert daemon_panel.perform(button, lambda: action(daemon_panel)) == expected
    assert daemon_panel.cluster.etcd.revision == before
