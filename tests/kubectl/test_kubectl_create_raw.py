"""kubectl create --raw PATH -f FILE: the file POSTed as it is, the server's answer printed as it comes.

The refusals and the eviction's answer are those kubectl 1.32 prints (checked against the real binary);
the server's texts are those of the simulated API server.
"""

import json

import pytest

import k8slearn

SUCCESS = '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}\n'
CONFIGMAP = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"raw"},"data":{"a":"1"}}'


@pytest.fixture
def cluster():
    c = k8slearn.Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx")
    c.settle()
    return c


def _pod(c):
    return next(p["metadata"]["name"] for p in c.api.list("pods", "default"))


def _eviction(name):
    return json.dumps({"apiVersion": "policy/v1", "kind": "Eviction",
                       "metadata": {"name": name, "namespace": "default"}})


def test_posting_an_eviction_prints_the_success_status_and_the_pod_goes(cluster):
    name = _pod(cluster)
    result = cluster.kubectl(f"create --raw /api/v1/namespaces/default/pods/{name}/eviction -f -",
                             stdin=_eviction(name))
    assert (result.stdout, result.stderr, result.code) == (SUCCESS, "", 0)
    assert "deletionTimestamp" in cluster.api.get("pods", name)["metadata"]
    cluster.settle()
    assert name not in [p["metadata"]["name"] for p in cluster.api.list("pods", "default")]


def test_an_eviction_read_from_a_file_is_the_same_post(cluster, tmp_path):
    name = _pod(cluster)
    (tmp_path / "eviction.json").write_text(_eviction(name))
    result = cluster.kubectl(f"create --raw /api/v1/namespaces/default/pods/{name}/eviction "
                             f"-f {tmp_path / 'eviction.json'}")
    assert (result.stdout, result.code) == (SUCCESS, 0)


def test_posting_to_a_collection_creates_the_object_and_prints_it(cluster):
    result = cluster.kubectl("create --raw /api/v1/namespaces/default/configmaps -f -", stdin=CONFIGMAP)
    assert result.code == 0 and result.stdout.endswith("}\n") and "\n" not in result.stdout[:-1]
    printed = json.loads(result.stdout)
    assert printed["metadata"]["name"] == "raw" and printed["data"] == {"a": "1"}
    assert cluster.api.get("configmaps", "raw")["metadata"]["uid"] == printed["metadata"]["uid"]


@pytest.mark.parametrize("path, body, stderr", [
    pytest.param("/api/v1/namespaces/default/pods/nosuch/eviction", _eviction("nosuch"),
                 'Error from server (NotFound): pods "nosuch" not found\n',
                 id="evicting a pod that does not exist is the server's 404"),
    pytest.param("/api/v1/namespaces/default/pods/nosuch/eviction", _eviction("other"),
                 "Error from server (BadRequest): name in URL does not match name in Eviction object\n",
                 id="an eviction naming another pod than the path is a bad request"),
    pytest.param("/api/v1/nosuch", "{}",
                 "Error from server (NotFound): the server could not find the requested resource\n",
                 id="a path the server does not serve is its 404"),
    pytest.param("/api/v1/pods/web/eviction", "{}",
                 "Error from server (NotFound): the server could not find the requested resource\n",
                 id="a pod's path needs its namespace"),
    pytest.param("/api/v1/namespaces/default/configmaps", "apiVersion: v1\nkind: ConfigMap\n",
                 "Error from server (BadRequest): the object provided is unrecognized (must be of type ConfigMap): "
                 "couldn't get version/kind; json parse error: invalid character 'a' looking for beginning of "
                 "value (61706956657273696f6e3a2076310a6b696e643a20436f6e6669674d6170 ...)\n",
                 id="a YAML body goes as JSON and the server cannot read it"),
    pytest.param("/api/v1/namespaces/default/configmaps", '{"apiVersion":"v1",}',
                 "Error from server (BadRequest): the object provided is unrecognized (must be of type ConfigMap): "
                 "couldn't get version/kind; json parse error: invalid character '}' looking for beginning of "
                 'object key string ({"apiVersion":"v1",})\n',
                 id="a JSON syntax error is the server's bad request with the body summarized"),
    pytest.param("/api/v1/namespaces/default/configmaps", "",
                 "Error from server (BadRequest): the object provided is unrecognized (must be of type ConfigMap): "
                 "couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)\n",
                 id="an empty body is unexpected end of JSON input"),
])
def test_the_servers_refusals_are_printed_and_change_nothing(cluster, path, body, stderr):
    revision = cluster.etcd.revision
    result = cluster.kubectl(f"create --raw {path} -f -", stdin=body)
    assert (result.stdout, result.stderr, result.code) == ("", stderr, 1)
    assert cluster.etcd.revision == revision


@pytest.mark.parametrize("flags, stderr", [
    pytest.param("", "error: must specify one of -f and -k\n", id="without -f there is no body"),
    pytest.param("-f a.json -f b.json", "error: --raw can only use a single local file or stdin\n",
                 id="only one file can be the body"),
    pytest.param("-f http://example.com/e.json", "error: --raw cannot read from a url\n",
                 id="the body cannot come from a url"),
    pytest.param("-f - -o json", "error: --raw and --output are mutually exclusive\n",
                 id="the answer is printed as it comes so no output format"),
    pytest.param("-f - --edit", "error: --raw and --edit are mutually exclusive\n", id="no editing of the body"),
    pytest.param("-f - -R", "error: --raw and --recursive are mutually exclusive\n", id="no recursive directories"),
    pytest.param("-f - -l app=web", "error: --raw and --selector (-l) are mutually exclusive\n",
                 id="no selector"),
    pytest.param("-f /nonexistent/e.json", "error: open /nonexistent/e.json: no such file or directory\n",
                 id="a missing file is os.Open's error"),
])
def test_kubectl_refuses_before_sending_anything(cluster, flags, stderr):
    result = cluster.kubectl(f"create --raw /api/v1/namespaces/default/pods/x/eviction {flags}", stdin="{}")
    assert (result.stdout, result.stderr, result.code) == ("", stderr, 1)


def test_a_raw_path_must_start_with_a_slash(cluster):
    result = cluster.kubectl("create --raw api/v1/namespaces -f -", stdin="{}")
    assert result.stderr == 'error: --raw must be a valid URL path: parse "api/v1/namespaces": invalid URI for request\n'
