"""A container's environment: what the kubelet computes (makeEnvironmentVariables), what happens
when a ConfigMap or Secret it needs is missing (CreateContainerConfigError), and what a process in
the container sees (env, printenv, $NAME in sh -c, $(NAME) in the command)."""

import base64

import pytest

from k8slearn import Cluster
from k8slearn.api.field import Path
from k8slearn.api.validation.env import validate_env, validate_env_from
from k8slearn.kubelet.container_env import (
    CreateContainerConfigError,
    PodEnvSources,
    make_environment_variables,
    service_env_vars,
)

OBJECTS = {
    ("configmaps", "app"): {"data": {"MODE": "fast", "LEVEL": "3"}},
    ("configmaps", "special"): {"data": {"special.how": "very", "1st-key": "x"}},
    ("secrets", "db"): {"data": {"PASSWORD": base64.b64encode(b"s3cr3t").decode()}},
}
KUBERNETES = {"metadata": {"name": "kubernetes", "namespace": "default"},
              "spec": {"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443, "protocol": "TCP"}]}}
K8S_ENV = [("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443"),
           ("KUBERNETES_SERVICE_PORT_HTTPS", "443"), ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
           ("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"), ("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
           ("KUBERNETES_PORT_443_TCP_PORT", "443"), ("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1")]
POD = {"metadata": {"name": "web-1", "namespace": "shop", "uid": "u-1", "labels": {"app": "web"},
                    "annotations": {"team": "blue"}},
       "spec": {"nodeName": "node-2", "serviceAccountName": "default", "enableServiceLinks": True}}


def env_of(container, services=(KUBERNETES,), pod=POD):
    sources = PodEnvSources(lambda kind, name: OBJECTS.get((kind, name)), services, host_ip="192.168.49.3",
                            pod_ip="10.244.2.7", allocatable={"cpu": "2", "memory": "4Gi"})
    return make_environment_variables(pod, {"name": "app", **container}, sources)


@pytest.mark.parametrize("container, expected", [
    ({}, K8S_ENV),
    ({"envFrom": [{"configMapRef": {"name": "app"}, "prefix": "APP_"}]},
     [("APP_MODE", "fast"), ("APP_LEVEL", "3"), *K8S_ENV]),
    ({"envFrom": [{"secretRef": {"name": "db"}}]}, [("PASSWORD", "s3cr3t"), *K8S_ENV]),
    ({"envFrom": [{"configMapRef": {"name": "app"}}], "env": [{"name": "MODE", "value": "slow"}]},
     [("MODE", "slow"), ("LEVEL", "3"), *K8S_ENV]),
    ({"env": [{"name": "A", "value": "x"}, {"name": "B", "value": "$(A)-$(KUBERNETES_SERVICE_HOST)-$$(A)-$(C)"},
              {"name": "C", "value": "late"}]},
     [("A", "x"), ("B", "x-10.96.0.1-$(A)-$(C)"), ("C", "late"), *K8S_ENV]),
    ({"env": [{"name": "KUBERNETES_SERVICE_HOST", "value": "mine"}]},
     [("KUBERNETES_SERVICE_HOST", "mine"), *K8S_ENV[1:]]),
    ({"env": [{"name": "EMPTY"}]}, [("EMPTY", ""), *K8S_ENV]),
    ({"env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "db", "key": "PASSWORD"}}}]},
     [("P", "s3cr3t"), *K8S_ENV]),
    ({"env": [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "gone", "key": "k", "optional": True}}},
              {"name": "Y", "valueFrom": {"configMapKeyRef": {"name": "app", "key": "nope", "optional": True}}}],
      "envFrom": [{"secretRef": {"name": "gone", "optional": True}}]},
     K8S_ENV),
    ({"envFrom": [{"configMapRef": {"name": "special"}}]}, [("special.how", "very"), ("1st-key", "x"), *K8S_ENV]),
], ids=[
    "a container that declares nothing gets the kubernetes Service's variables",
    "envFrom copies every key of the ConfigMap, with the prefix",
    "envFrom of a Secret gives the decoded values",
    "env replaces what envFrom set, in envFrom's place",
    "$(NAME) expands earlier variables and Service variables; $$ escapes; unknown names stay as written",
    "a variable the container sets is not set again by the Service variables",
    "a variable without value or source is set to the empty string",
    "secretKeyRef reads one decoded key",
    "optional references to missing objects or keys are skipped",
    "envFrom keeps keys that are no C identifiers (v1.32 skips none, with no InvalidEnvironmentVariableNames event)",
])
def test_make_environment_variables(container, expected):
    assert env_of(container) == expected


@pytest.mark.parametrize("path, expected", [
    ("metadata.name", "web-1"), ("metadata.namespace", "shop"), ("metadata.uid", "u-1"),
    ("metadata.labels['app']", "web"), ("metadata.annotations['team']", "blue"), ("metadata.labels['nope']", ""),
    ("spec.nodeName", "node-2"), ("spec.serviceAccountName", "default"),
    ("status.hostIP", "192.168.49.3"), ("status.podIP", "10.244.2.7"), ("status.podIPs", "10.244.2.7"),
], ids=lambda v: v if "." in v else None)
def test_a_field_ref_reads_the_pod_node_and_sandbox(path, expected):
    container = {"env": [{"name": "V", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": path}}}]}
    assert env_of(container, services=())[0] == ("V", expected)


@pytest.mark.parametrize("resources, ref, expected", [
    ({"requests": {"cpu": "250m"}}, {"resource": "requests.cpu", "divisor": "0"}, "1"),
    ({"requests": {"cpu": "250m"}}, {"resource": "requests.cpu", "divisor": "1m"}, "250"),
    ({}, {"resource": "requests.cpu"}, "0"),
    ({}, {"resource": "limits.cpu", "divisor": "0"}, "2"),
    ({"limits": {"memory": "64Mi"}}, {"resource": "limits.memory", "divisor": "1Mi"}, "64"),
    ({}, {"resource": "limits.memory"}, "4294967296"),
    ({"limits": {"memory": "100M"}}, {"resource": "limits.memory", "divisor": "1Mi"}, "96"),
], ids=[
    "a CPU request below one core rounds up to 1 with the default divisor",
    "with divisor 1m it is in millicores",
    "no request is 0",
    "no CPU limit is the node's allocatable CPU",
    "a memory limit in Mi with divisor 1Mi",
    "no memory limit is the node's allocatable memory in bytes",
    "the division rounds up",
])
def test_a_resource_field_ref(resources, ref, expected):
    container = {"resources": resources, "env": [{"name": "V", "valueFrom": {"resourceFieldRef": ref}}]}
    assert env_of(container, services=())[0] == ("V", expected)


@pytest.mark.parametrize("container, message", [
    ({"envFrom": [{"configMapRef": {"name": "gone"}}]}, 'configmap "gone" not found'),
    ({"envFrom": [{"secretRef": {"name": "gone"}}]}, 'secret "gone" not found'),
    ({"env": [{"name": "K", "valueFrom": {"configMapKeyRef": {"name": "app", "key": "nope"}}}]},
     "couldn't find key nope in ConfigMap shop/app"),
    ({"env": [{"name": "K", "valueFrom": {"secretKeyRef": {"name": "db", "key": "user"}}}]},
     "couldn't find key user in Secret shop/db"),
], ids=[
    "a missing ConfigMap in envFrom",
    "a missing Secret in envFrom",
    "a missing key of a ConfigMap",
    "a missing key of a Secret",
])
def test_a_missing_reference_is_the_kubelets_error(container, message):
    with pytest.raises(CreateContainerConfigError) as err:
        env_of(container)
    assert str(err.value) == message


def test_service_links_give_every_service_of_the_namespace_with_a_cluster_ip():
    services = [KUBERNETES,
                {"metadata": {"name": "web-db", "namespace": "shop"},
                 "spec": {"clusterIP": "10.96.5.5", "ports": [{"port": 5432}, {"name": "dns", "port": 53,
                                                                                 "protocol": "UDP"}]}},
                {"metadata": {"name": "headless", "namespace": "shop"}, "spec": {"clusterIP": "None",
                                                                                "ports": [{"port": 80}]}},
                {"metadata": {"name": "other", "namespace": "elsewhere"}, "spec": {"clusterIP": "10.96.6.6",
                                                                                  "ports": [{"port": 80}]}}]
    env = service_env_vars(services, "shop", True)
    assert [k for k in env if not k.startswith("KUBERNETES")] == [
        "WEB_DB_SERVICE_HOST", "WEB_DB_SERVICE_PORT", "WEB_DB_SERVICE_PORT_DNS", "WEB_DB_PORT",
        "WEB_DB_PORT_5432_TCP", "WEB_DB_PORT_5432_TCP_PROTO", "WEB_DB_PORT_5432_TCP_PORT", "WEB_DB_PORT_5432_TCP_ADDR",
        "WEB_DB_PORT_53_UDP", "WEB_DB_PORT_53_UDP_PROTO", "WEB_DB_PORT_53_UDP_PORT", "WEB_DB_PORT_53_UDP_ADDR"]
    assert env["WEB_DB_PORT_53_UDP"] == "udp://10.96.5.5:53"
    assert list(service_env_vars(services, "shop", False)) == [k for k, _ in K8S_ENV]


@pytest.mark.parametrize("env, expected", [
    ([{"name": "A", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.phase"}}}],
     [('spec.env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: '
      '"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", '
      '"status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"')]),
    ([{"name": "A", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName['x']"}}}],
     [('spec.env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nodeName[\'x\']": error converting '
      "fieldPath: field label does not support subscript: spec.nodeName['x']")]),
    ([{"name": "A", "valueFrom": {"fieldRef": {"apiVersion": "v2", "fieldPath": "metadata.name"}}}],
     [('spec.env[0].valueFrom.fieldRef.fieldPath: Invalid value: "metadata.name": error converting fieldPath: '
      "unsupported pod version: v2")]),
    ([{"name": "A", "valueFrom": {"resourceFieldRef": {"resource": "limits.gpu"}}}],
     [('spec.env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: '
      '"limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", '
      '"requests.memory"')]),
    ([{"name": "A", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1Mi"}}}],
     [('spec.env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor\'s values 1m '
      "and 1 are supported with the cpu resource")]),
    ([{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "app"}}}],
     ["spec.env[0].valueFrom.configMapKeyRef.key: Required value"]),
    ([{"name": "A", "valueFrom": {"secretKeyRef": {"name": "Bad_Name", "key": "k"}}}],
     [('spec.env[0].valueFrom.secretKeyRef.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must '
      "consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
      "character (e.g. 'example.com', regex used for validation is "
      "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")]),
    ([{"name": "A", "value": "x", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}],
     ['spec.env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty']),
], ids=[
    "a field the downward API knows but env may not use is not supported",
    "only labels and annotations take a subscript",
    "a fieldRef of another API version cannot be converted",
    "a resource that is not a container resource is not supported",
    "a CPU divisor must be 1 or 1m",
    "a key selector needs its key",
    "a key selector's name is a DNS subdomain",
    "a value and a source together are refused",
])
def test_env_validation(env, expected):
    assert [e.error() for e in validate_env(env, Path("spec.env"))] == expected


@pytest.mark.parametrize("name, expected", [
    ("SPECIAL_LEVEL_KEY", []),
    ("1ST", []),
    ("Logging:LogLevel:Default", []),
    ("my var", []),
    ("A=B", ['spec.env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of '
             "printable ASCII characters other than '='"]),
    ("caf\u00e9", ['spec.env[0].name: Invalid value: "caf\u00e9": a valid environment variable name must consist '
                   "only of printable ASCII characters other than '='"]),
], ids=[
    "a C identifier is a valid name",
    "a name may start with a digit",
    "a name may hold colons, as .NET settings do",
    "a name may hold a space",
    "a name may not hold an equals sign",
    "a name may not hold a character outside ASCII",
])
def test_the_api_server_takes_v1_32s_relaxed_variable_names(name, expected):
    assert [e.error() for e in validate_env([{"name": name, "value": "x"}], Path("spec.env"))] == expected


@pytest.mark.parametrize("env_from, expected", [
    ([{"configMapRef": {"name": "app"}, "prefix": "APP_"}], []),
    ([{"prefix": "1X_", "configMapRef": {"name": "app"}}], []),
    ([{"prefix": "X=", "configMapRef": {"name": "app"}}],
     [('spec.envFrom[0].prefix: Invalid value: "X=": a valid environment variable name must consist only of '
       "printable ASCII characters other than '='")]),
    ([{"configMapRef": {}}], ["spec.envFrom[0].configMapRef.name: Required value"]),
    ([{"prefix": "A_"}], ['spec.envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`']),
    ([{"configMapRef": {"name": "a"}, "secretRef": {"name": "b"}}],
     ['spec.envFrom: Invalid value: "": may not have more than one field specified at a time']),
], ids=[
    "a ConfigMap with a valid prefix is accepted",
    "a prefix may start with a digit (v1.32's relaxed names)",
    "a prefix may not hold an equals sign",
    "a reference needs a name",
    "a source is required",
    "only one source per entry",
])
def test_env_from_validation(env_from, expected):
    assert [e.error() for e in validate_env_from(env_from, Path("spec.envFrom"))] == expected


PODS = """apiVersion: v1
kind: Pod
metadata:
  name: needs-config
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "echo mode $(MODE) on $(NODE); sleep 3600"]
    envFrom:
    - configMapRef:
        name: app-config
    env:
    - name: NODE
      valueFrom:
        fieldRef:
          fieldPath: spec.nodeName
"""


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=3)
    c.kubectl("apply -f -", stdin=PODS)
    c.settle()
    c.run(60)
    return c


def test_a_missing_configmap_keeps_the_container_waiting_with_the_kubelets_error(cluster):
    status = cluster.api.get("pods", "needs-config")["status"]
    waiting = status["containerStatuses"][0]["state"]["waiting"]
    assert (status["phase"], waiting) == ("Pending", {"reason": "CreateContainerConfigError",
                                                      "message": 'configmap "app-config" not found'})
    assert str(cluster.kubectl("get pod needs-config --no-headers")).split()[2] == "CreateContainerConfigError"
    failed = [e for e in cluster.api.list("events") if e["reason"] == "Failed"
              and e["involvedObject"]["name"] == "needs-config"]
    assert [(e["type"], e["message"], e["source"]["component"]) for e in failed] == [
        ("Warning", 'Error: configmap "app-config" not found', "kubelet")]
    assert 4 <= failed[0]["count"] <= 7  # the pod worker retries every 10 to 15 s


def test_the_pod_starts_once_the_configmap_exists_and_sees_its_values(cluster):
    cluster.kubectl("create configmap app-config --from-literal=MODE=fast")
    cluster.run(16)
    assert str(cluster.kubectl("get pod needs-config --no-headers")).split()[2] == "Running"
    assert str(cluster.kubectl("logs needs-config")) == "mode fast on node-1\n"
    assert str(cluster.kubectl("exec needs-config -- printenv MODE NODE HOSTNAME")) == "fast\nnode-1\nneeds-config\n"
    env = str(cluster.kubectl("exec needs-config -- env")).splitlines()
    assert env[:4] == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "HOSTNAME=needs-config", "MODE=fast", "NODE=node-1"]
    assert env[4:] == [f"{k}={v}" for k, v in K8S_ENV] + ["HOME=/root"]
    shell = cluster.kubectl(["exec", "needs-config", "--", "sh", "-c", "echo $MODE ${NODE} '$MODE'"])
    assert str(shell) == "fast node-1 $MODE\n"


def test_an_image_whose_own_variables_are_unknown_says_so(cluster):
    cluster.kubectl("run web --image=nginx:1.27")
    cluster.settle()
    result = cluster.kubectl("exec web -- env")
    assert result.stdout.splitlines()[:2] == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                              "HOSTNAME=web"]
    assert result.stderr == ("k8slearn: the nginx image's NGINX_VERSION, NJS_VERSION, NJS_RELEASE, PKG_RELEASE "
                             "are not simulated\n")
    printed = cluster.kubectl("exec web -- printenv NGINX_VERSION")
    assert (printed.code, printed.stderr) == (1, ("k8slearn: the nginx image's own variable NGINX_VERSION is not "
                                                 "simulated\ncommand terminated with exit code 1\n"))
    assert cluster.kubectl("exec web -- printenv NOT_SET").code == 1


def test_the_api_server_defaults_the_selectors():
    c = Cluster(workers=1, seed=3)
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [
        {"name": "a", "image": "busybox", "env": [
            {"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "C", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}}]}]}})
    env = c.api.get("pods", "p")["spec"]["containers"][0]["env"]
    assert [v["valueFrom"] for v in env] == [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}},
                                             {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "0"}}]


def test_a_service_created_later_reaches_only_the_containers_started_after_it():
    c = Cluster(workers=1, seed=3)
    c.kubectl("run before --image=busybox:1.36 -- sleep 3600")
    c.settle()
    c.kubectl("create service clusterip shop --tcp=8080:80")
    c.kubectl("run after --image=busybox:1.36 -- sleep 3600")
    c.settle()
    ip = c.api.get("services", "shop")["spec"]["clusterIP"]
    assert c.kubectl("exec before -- printenv SHOP_SERVICE_HOST").code == 1
    assert str(c.kubectl("exec after -- printenv SHOP_SERVICE_HOST SHOP_PORT_8080_TCP")) == (
        f"{ip}\ntcp://{ip}:8080\n")


@pytest.mark.parametrize("command, args, log", [
    (["sh", "-c", "echo $(MY_POD) on $(NODE)"], None, "p on node-1\n"),
    (["sh", "-c", "echo $MY_POD on ${NODE} [$NOT_SET] '$MY_POD'"], None, "p on node-1 [] $MY_POD\n"),
    (["sh", "-c"], ["echo $HOSTNAME $HOME"], "p /root\n"),
    (["sh", "-c", "echo $$MY_POD"], None, "p\n"),
], ids=[
    "the kubelet expands $(NAME) in the command before the shell runs",
    "the shell expands $NAME and ${NAME} from the environment; an unset one is empty; single quotes keep it",
    "a script in args is expanded the same way",
    "$$ is the kubelet's escape: the shell then sees $NAME",
])
def test_a_container_program_sees_its_variables(command, args, log):
    c = Cluster(workers=1, seed=3)
    container = {"name": "app", "image": "busybox:1.36", "command": command,
                 "env": [{"name": "MY_POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                         {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}]}
    if args:
        container["args"] = args
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                  "spec": {"restartPolicy": "Never", "containers": [container]}})
    c.settle()
    assert str(c.kubectl("logs p")) == log


DAPI = """apiVersion: v1
kind: Pod
metadata:
  name: dapi-envars-fieldref
spec:
  containers:
    - name: test-container
      image: registry.k8s.io/busybox
      command: [ "sh", "-c"]
      args:
      - while true; do
          echo -en '\\n';
          printenv MY_NODE_NAME MY_POD_NAME MY_POD_NAMESPACE;
          printenv MY_POD_IP MY_POD_SERVICE_ACCOUNT;
          sleep 10;
        done;
      env:
        - name: MY_NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        - name: MY_POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: MY_POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: MY_POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        - name: MY_POD_SERVICE_ACCOUNT
          valueFrom:
            fieldRef:
              fieldPath: spec.serviceAccountName
  restartPolicy: Never
"""


def test_the_documentations_downward_api_example_prints_its_fields_every_10_seconds():
    c = Cluster(workers=1, seed=3)
    c.kubectl("apply -f -", stdin=DAPI)
    c.settle()
    c.run(15)
    ip = c.api.get("pods", "dapi-envars-fieldref")["status"]["podIP"]
    block = f"\nnode-1\ndapi-envars-fieldref\ndefault\n{ip}\ndefault\n"
    assert str(c.kubectl("logs dapi-envars-fieldref")) == block * 2


@pytest.mark.parametrize("script, log", [
    ("env; sleep 3600", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=p\nMY_POD=p\n"
     + "".join(f"{k}={v}\n" for k, v in K8S_ENV) + "HOME=/root\n"),
    ("echo -e 'a\\nb'; echo -n c", "a\nb\nc\n"),
], ids=["env in the program prints the process's environment",
        "echo -e breaks lines at \\n, -n adds no newline of its own"])
def test_program_output(script, log):
    c = Cluster(workers=1, seed=3)
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                  "spec": {"restartPolicy": "Never", "enableServiceLinks": False, "containers": [
                      {"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", script],
                       "env": [{"name": "MY_POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}]}})
    c.settle()
    assert str(c.kubectl("logs p")) == log
