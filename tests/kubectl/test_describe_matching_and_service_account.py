"""``kubectl describe`` of a ServiceAccount's secrets and the name-prefix fallback, against kubectl
v1.32: the expected texts were recorded from the kubectl 1.32 binary serving ``WORLD`` through
kubectl_realserver.py; k8slearn runs on the same objects (kubectl_kit.FakeClient).

Upstream: staging/src/k8s.io/kubectl/pkg/describe/describe.go (ServiceAccountDescriber.Describe,
describeServiceAccount), staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go
(DescribeOptions.Run, DescribeMatchingResources).
"""

import shlex

import pytest
from kubectl_kit import kubectl_at

NOW = "2026-01-05T09:10:00Z"
CREATED = "2026-01-05T09:00:00Z"


def _meta(name, uid, **fields):
    return {"name": name, "namespace": "default", "uid": uid, "creationTimestamp": CREATED, **fields}


def _secret(name, kind="Opaque", account=None, account_uid=None):
    annotations = {"kubernetes.io/service-account.name": account,
                   "kubernetes.io/service-account.uid": account_uid} if account else None
    meta = _meta(name, f"uid-{name}", **({"annotations": annotations} if annotations else {}))
    return {"apiVersion": "v1", "kind": "Secret", "type": kind, "metadata": meta, "data": {}}


TOKEN = "kubernetes.io/service-account-token"
WORLD = [
    {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta("builder", "uid-builder"),
     "secrets": [{"name": "s1"}, {"name": "s2"}], "imagePullSecrets": [{"name": "regcred"}]},
    _secret("s2"),
    _secret("builder-token-b", TOKEN, "builder", "uid-builder"),
    _secret("builder-token-a", TOKEN, "builder", "uid-builder"),
    _secret("old-builder-token", TOKEN, "builder", "uid-of-an-older-builder"),
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": _meta("web", "uid-web", generation=1),
     "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
              "strategy": {"type": "Recreate"},
              "template": {"metadata": {"labels": {"app": "web"}},
                           "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}},
     "status": {"replicas": 1, "updatedReplicas": 1, "availableReplicas": 1, "readyReplicas": 1}},
]

WEB = """\
Name:               web
Namespace:          default
CreationTimestamp:  Mon, 05 Jan 2026 09:00:00 +0000
Labels:             <none>
Annotations:        <none>
Selector:           app=web
Replicas:           1 desired | 1 updated | 1 total | 1 available | 0 unavailable
StrategyType:       Recreate
MinReadySeconds:    0
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:         nginx:1.27
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
"""

CASES = [
    pytest.param("describe sa builder", """\
Name:                builder
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  regcred (not found)
Mountable secrets:   s1 (not found)
                     s2
Tokens:              builder-token-a
                     builder-token-b
Events:              <none>
""", "", 0, id="describe serviceaccount marks the secrets that do not exist and lists its own token secrets"),
    pytest.param("describe deploy we", WEB + "\n", "", 0,
                 id="describe TYPE PREFIX describes each object whose name starts with the prefix"),
    pytest.param("describe deploy/web deploy/nope", "",
                 'Error from server (NotFound): deployments.apps "nope" not found\n', 1,
                 id="describe of two TYPE/NAME arguments, one missing, describes neither"),
    pytest.param("describe deploy/web deploy/we", "",
                 'Error from server (NotFound): deployments.apps "we" not found\n', 1,
                 id="describe TYPE/NAME TYPE/PREFIX takes the whole second argument as the prefix"),
    pytest.param("describe deploy,rs web", "", "error: you may only specify a single resource type\n", 1,
                 id="describe of two types and a name missing in one of them needs a single type"),
    pytest.param("describe deploy/nope1 deploy/nope2", "",
                 'Error from server (NotFound): deployments.apps "nope1" not found\n'
                 'Error from server (NotFound): deployments.apps "nope2" not found\n', 1,
                 id="describe of two missing objects reports both, with no prefix search"),
]


@pytest.mark.parametrize("command, stdout, stderr, code", CASES)
def test_output_matches_real_kubectl(command, stdout, stderr, code):
    result = kubectl_at(WORLD, NOW).run(shlex.split(command))
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)


@pytest.mark.parametrize("secrets, tokens, missing", [
    pytest.param(None, [], set(), id="secrets that could not be listed mark nothing as not found"),
    pytest.param([], [], {"s1", "s2", "regcred"}, id="with no secret at all every listed name is not found"),
    pytest.param(WORLD[1:5], ["builder-token-b", "builder-token-a"], {"s1", "regcred"},
                 id="a token counts only when both the account's name and uid match"),
])
def test_service_account_secrets_finds_tokens_and_missing_names(secrets, tokens, missing):
    from k8slearn.kubectl.describe_more import service_account_secrets

    assert service_account_secrets(WORLD[0], secrets) == (tokens, missing)
