"""kubectl api-resources and get --raw on the discovery paths, against a whole simulated cluster."""

import json

import pytest

import k8slearn


@pytest.fixture(scope="module")
def cluster():
    return k8slearn.Cluster(workers=1, seed=0)


def _rows(text):
    return [line.split() for line in text.splitlines()[1:]]


def test_api_resources_wide_prints_each_resources_own_verbs(cluster):
    rows = {row[0]: row for row in _rows(str(cluster.kubectl("api-resources -o wide")))}
    assert rows["services"][5:] == ["create,delete,get,list,patch,update,watch", "all"]
    assert rows["namespaces"][5:] == ["create,delete,get,list,patch,update,watch"]
    assert rows["pods"][5:] == ["create,delete,deletecollection,get,list,patch,update,watch", "all"]


@pytest.mark.parametrize("flags, names", [
    pytest.param("--verbs=deletecollection --namespaced=false",
                     ["nodes", "persistentvolumes", "priorityclasses", "storageclasses"],
                 id="--verbs keeps only resources that allow the verb"),
    pytest.param("--verbs=list,watch --api-group=batch", ["cronjobs", "jobs"],
                 id="--verbs with several verbs needs them all"),
    pytest.param("--verbs=proxy", [], id="a verb no resource allows leaves only the header"),
])
def test_api_resources_verbs_filter(cluster, flags, names):
    result = cluster.kubectl(f"api-resources {flags}")
    assert result.code == 0
    assert [row[0] for row in _rows(result.stdout)] == names


def test_get_raw_api_names_the_api_servers_advertised_address(cluster):
    body = json.loads(cluster.kubectl("get --raw /api").stdout)
    node_ip = cluster.api.get("endpoints", "kubernetes", "default")["subsets"][0]["addresses"][0]["ip"]
    assert body == {"kind": "APIVersions", "versions": ["v1"],
                    "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": f"{node_ip}:6443"}]}


@pytest.mark.parametrize("path, kind", [
    pytest.param("/api/v1", "APIResourceList", id="the core resource list"),
    pytest.param("/apis", "APIGroupList", id="the group list"),
    pytest.param("/apis/apps", "APIGroup", id="one group"),
    pytest.param("/apis/apps/v1", "APIResourceList", id="one group version's resource list"),
])
def test_get_raw_serves_the_discovery_documents_compact_with_a_newline(cluster, path, kind):
    stdout = cluster.kubectl(f"get --raw {path}").stdout
    assert stdout.endswith("}\n") and ", " not in stdout[:200]
    assert json.loads(stdout)["kind"] == kind


@pytest.mark.parametrize("path", [
    pytest.param("/apis/extensions", id="a group not served"),
    pytest.param("/apis/apps/v1beta1", id="a version not served"),
])
def test_get_raw_of_an_unserved_discovery_path_is_the_404(cluster, path):
    result = cluster.kubectl(f"get --raw {path}")
    assert result.code == 1
    assert result.stderr == "Error from server (NotFound): the server could not find the requested resource\n"
