"""The object a traced request names is the same whether its text is made at once or when it is recorded."""

import pytest
from apiserver_builders import new_server, pod

from k8slearn.api.errors import ApiError


def last_request(server):
    return next(s for s in reversed(server.loop.trace) if s.component != "etcd")


BAD_LABEL = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"a": 1}}, "spec": {}}
OTHER_NS = {"kind": "Pod", "metadata": {"name": "web", "namespace": "other"}}
NAMESPACE = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n1"}}
CASES = [
    (lambda api: api.create(pod()), "create", "pod/default/web",
     "a created pod is named by its namespace and name"),
    (lambda api: api.create(pod(name="", generateName="web-")), "create", "pod/default/web-{}",
     "a pod created with generateName is named by the generated name"),
    (lambda api: api.create(BAD_LABEL), "create", "pod/web",
     "a body refused when decoded keeps its rough name"),
    (lambda api: api.create(OTHER_NS, namespace="default"), "create", "pod/other/web",
     "a body refused for its namespace is named as it came"),
    (lambda api: api.create(NAMESPACE), "create", "namespace/n1",
     "a cluster-scoped object has no namespace in its name"),
    (lambda api: api.update({**api.create(pod()), "metadata": {}}), "update", "pod/",
     "an update without a name keeps its rough name"),
    (lambda api: api.update_status(api.create(pod())), "update", "pod/default/web", "a status update"),
    (lambda api: api.get("pods", "missing"), "get", "pod/default/missing", "a get of a missing pod"),
    (lambda api: (api.create(pod()), api.bind("web", "default", "node-1")), "bind", "pod/default/web",
     "a bind"),
]


@pytest.mark.parametrize("request_, verb, ref", [c[:3] for c in CASES], ids=[c[3] for c in CASES])
def test_a_traced_request_names_its_object(request_, verb, ref):
    server = new_server()
    api = server.client("kubectl")
    try:
        request_(api)
    except ApiError:
        pass
    step = last_request(server)
    if "{}" in ref:  # the generated name, as stored
        ref = ref.format(server.client("x").list("pods")[0]["metadata"]["name"][len("web-"):])
    assert (step.action, step.object) == (verb, ref)


def test_an_untraced_cluster_records_no_request():
    server = new_server()
    server.loop.tracing = False
    before = len(server.loop.trace)
    api = server.client("kubectl")
    api.create(pod())
    with pytest.raises(ApiError):
        api.get("pods", "missing")
    assert len(server.loop.trace) == before
