"""What the API server checks in a Secret's data.

``data`` (and a ConfigMap's ``binaryData``) are []byte fields: the server reads their values as
base64 (Go's base64.StdEncoding), refuses text that is not base64 with 400 BadRequest (``illegal
base64 data at input byte N``) and stores the bytes encoded again. A Secret of a built-in type
must hold that type's keys (ValidateSecret).

Upstream: encoding/base64/base64.go (decodeQuantum), encoding/json/decode.go (literalStore),
staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go (transformDecodeError),
pkg/apis/core/validation/validation.go (ValidateSecret).
"""

import pytest

from k8slearn import Cluster
from k8slearn.api.go_base64 import corrupt_input_offset, decode_std


@pytest.mark.parametrize("text, offset", [
    pytest.param("YWRtaW4=", None, id="padded base64 is accepted"),
    pytest.param("bill", None, id="four letters that happen to be base64 are accepted"),
    pytest.param("YWJj\nZA==\n", None, id="newlines anywhere are skipped"),
    pytest.param("", None, id="an empty value is accepted"),
    pytest.param("admin", 4, id="five letters stop where the last quantum starts"),
    pytest.param("abc", 0, id="a quantum cut short stops at its first byte"),
    pytest.param("p@ssword", 1, id="a character outside the alphabet stops at itself"),
    pytest.param("notbase64!", 9, id="the bang of notbase64! is byte 9"),
    pytest.param("YQ=", 3, id="one padding character where two are needed stops at the end"),
    pytest.param("YQ==x", 4, id="anything after the padding is trailing garbage"),
    pytest.param("Y===", 1, id="padding after one character is incorrect"),
    pytest.param("ab=c", 2, id="a padding character followed by a letter is incorrect"),
])
def test_where_gos_decoder_stops(text, offset):
    assert corrupt_input_offset(text) == offset


def test_decode_std_gives_the_bytes():
    assert decode_std("YWJj\r\nZA==") == b"abcd"


def kubectl(cluster, cmd, stdin=None):
    result = cluster.kubectl(cmd, stdin=stdin)
    return result.stdout + result.stderr, result.code


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=0)
    c.settle()
    return c


@pytest.mark.parametrize("manifest, message", [
    pytest.param("kind: Secret\nmetadata: {name: plain}\ndata: {user: admin}\n",
                 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4',
                 id="a secret whose data is plain text is a bad request"),
    pytest.param("kind: ConfigMap\nmetadata: {name: plain}\nbinaryData: {blob: abc}\n",
                 'ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 0',
                 id="a configmap whose binaryData is not base64 is a bad request"),
    pytest.param("kind: Secret\nmetadata: {name: number}\ndata: {port: 8080}\n",
                 'Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal number into Go '
                 "struct field Secret.data of type []uint8",
                 id="a secret whose data holds a number is a bad request about a byte slice"),
])
def test_a_value_that_is_not_base64_is_refused_and_changes_nothing(cluster, manifest, message):
    revision = cluster.etcd.revision
    out, code = kubectl(cluster, "apply -f -", "apiVersion: v1\n" + manifest)
    assert (out, code) == (f'Error from server (BadRequest): error when creating "STDIN": {message}\n', 1)
    assert cluster.etcd.revision == revision


def test_base64_written_over_several_lines_is_stored_on_one(cluster):
    manifest = "apiVersion: v1\nkind: Secret\nmetadata: {name: multi}\ndata:\n  a: |\n    YWJj\n    ZA==\n"
    assert kubectl(cluster, "apply -f -", manifest) == ("secret/multi created\n", 0)
    assert kubectl(cluster, "get secret multi -o jsonpath={.data.a}") == ("YWJjZA==", 0)


def secret(secret_type, data=None, annotations=None):
    meta = {"name": "s", "namespace": "default", **({"annotations": annotations} if annotations else {})}
    return {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": secret_type, "data": data or {}}


@pytest.mark.parametrize("obj, expected", [
    pytest.param(secret("kubernetes.io/basic-auth", {"x": "eQ=="}),
                 ["data[username]: Required value", "data[password]: Required value"],
                 id="a basic-auth secret needs a username or a password"),
    pytest.param(secret("kubernetes.io/basic-auth", {"password": ""}), [],
                 id="a basic-auth secret with an empty password is valid"),
    pytest.param(secret("kubernetes.io/ssh-auth", {"ssh-privatekey": ""}),
                 ["data[ssh-privatekey]: Required value"],
                 id="an ssh-auth secret needs a private key that is not empty"),
    pytest.param(secret("kubernetes.io/dockerconfigjson", {"config.json": "e30="}),
                 ["data[.dockerconfigjson]: Required value"],
                 id="a dockerconfigjson secret needs the .dockerconfigjson key"),
    pytest.param(secret("kubernetes.io/dockercfg"), ["data[.dockercfg]: Required value"],
                 id="a dockercfg secret needs the .dockercfg key"),
    pytest.param(secret("kubernetes.io/tls", {"tls.crt": "MQ=="}), ["data[tls.key]: Required value"],
                 id="a tls secret needs its key"),
    pytest.param(secret("kubernetes.io/service-account-token"),
                 ["metadata.annotations[kubernetes.io/service-account.name]: Required value"],
                 id="a service account token secret needs the name of its service account"),
    pytest.param(secret("kubernetes.io/service-account-token",
                        annotations={"kubernetes.io/service-account.name": "default"}), [],
                 id="a service account token secret that names its service account is valid"),
    pytest.param(secret("example.com/anything", {"x": "eQ=="}), [], id="a type of the user's own needs nothing"),
])
def test_a_secret_of_a_built_in_type_holds_its_keys(obj, expected):
    from k8slearn.api.validation.core import validate_secret

    assert [e.error() for e in validate_secret(obj)] == expected


def test_create_secret_generic_of_a_type_without_its_keys_fails_with_the_servers_error(cluster):
    assert kubectl(cluster, "create secret generic t --type=kubernetes.io/basic-auth --from-literal=x=y") == (
        'error: failed to create secret Secret "t" is invalid: '
        "[data[username]: Required value, data[password]: Required value]\n", 1)
